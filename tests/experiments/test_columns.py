"""The data dictionary (``experiments/columns.py``) covers every column the code writes."""

from __future__ import annotations

import pytest

from experiments.columns import COLUMNS, STEP_MEANINGS, TYPES, entries, entry, markdown
from model.observations import METRICS, STEP_SERIES
from tests.support.project import ROOT


def test_every_column_of_a_run_row_has_a_meaning_a_unit_and_a_type():
    from experiments import design
    from experiments.evaluate import evaluate

    row = evaluate(design.load("tiny", quick=True).runs()[0])
    assert list(row) == list(COLUMNS)
    for name in row:
        found = entry(name)
        assert found.meaning.strip() and found.unit.strip() and found.type.strip(), name


def test_every_declared_metric_is_documented_once():
    documented = [e.name for e in entries() if e.group == "metric"]
    assert sorted(documented) == sorted(m.name for m in METRICS if m.name != "steps")
    assert {m.kind for m in METRICS} <= set(TYPES)  # a new kind of metric needs its type in words
    page = markdown()
    for metric in METRICS:
        assert f"| `{metric.name}` |" in page, metric.name


def test_every_per_step_series_is_documented():
    counted = {m.name for m in METRICS if m.counted}
    assert set(STEP_SERIES) - counted == set(STEP_MEANINGS)  # no series undocumented, none stale


def test_the_documentation_page_is_the_generated_dictionary():
    page = (ROOT / "docs" / "reference" / "data-dictionary.md").read_text(encoding="utf-8")
    assert markdown() in page, "regenerate with: python run.py metrics --markdown"


def test_an_unknown_name_is_refused_with_the_closest():
    with pytest.raises(KeyError, match="did you mean 'deterrence_rate'"):
        entry("deterence_rate")
