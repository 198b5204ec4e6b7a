"""The documentation says what the code does."""

from __future__ import annotations

from model.parameters import PARAMETERS, markdown_table
from tests.support.project import ROOT


def test_odd_parameter_table_is_generated_from_the_declaration():
    odd = (ROOT / "docs" / "ODD.md").read_text()
    assert markdown_table() in odd, "regenerate with: python run.py parameters --markdown"


def test_every_parameter_has_a_source_and_judgements_are_marked():
    for p in PARAMETERS:
        assert p.source.strip(), p.name
        assert p.meaning.strip(), p.name


def test_every_shipped_scenario_value_without_a_published_source_is_marked():
    # every line that sets a judgement value in asia.toml says "assumption" or names SIPRI
    text = (ROOT / "scenarios" / "asia.toml").read_text()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("power =", "available_share =", "hedging =")):
            assert "SIPRI" in line or "assumption" in line, line
