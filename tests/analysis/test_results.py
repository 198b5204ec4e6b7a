"""Reading a results folder (``analysis/results.py``): by name or path, as stored or typed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.results import ResultsError, load, stored, typed_runs
from tests.support.experiment_cases import write

SMALL = """\
name = "small"
scenario = "asia"
structures = ["none", "hub_and_spoke", "collective"]
replicates = 6
steps = 120
master_seed = 11
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    from experiments import design, runner

    base = tmp_path_factory.mktemp("results")
    runner.run_experiment(design.load(write(base, "small", SMALL)), out=base / "results", workers=1,
                          progress=False)
    return base / "results"


def test_typed_columns_by_hand():
    runs = pd.DataFrame({"run_id": ["a", "b"], "stable": [1, 0], "cohesive": [1.0, math.nan],
                         "declined_states": pd.Series(["Japan;South Korea", math.nan], dtype=str),
                         "coverage_changes": pd.Series(["0:0.5;12:1", "0:nan"], dtype=str),
                         "joined_later": pd.Series(["12:Japan–Australia", math.nan], dtype=str)})
    typed = typed_runs(runs)
    assert typed["stable"].tolist() == [True, False]
    assert bool(typed["cohesive"].iloc[0]) and typed["cohesive"].isna().tolist() == [False, True]
    assert typed["declined_states"].tolist() == [["Japan", "South Korea"], []]
    assert typed["coverage_changes"].iloc[0] == [(0, 0.5), (12, 1)]
    assert math.isnan(typed["coverage_changes"].iloc[1][0][1])
    assert typed["joined_later"].tolist() == [[(12, "Japan–Australia")], []]
    pd.testing.assert_frame_equal(stored(typed), runs)


def test_a_round_trip_through_the_typed_table_loses_nothing(root):
    as_stored = load(root / "small").runs
    typed = load("small", typed=True, root=root).runs
    assert typed["stable_cohesive"].dtype == "boolean" and typed["stable_cohesive"].isna().any()
    assert any(len(changes) > 1 for changes in typed["coverage_changes"])  # the data has lists to lose
    pd.testing.assert_frame_equal(stored(typed), as_stored)
    share = typed.groupby("structure")["stable"].mean()
    assert share["collective"] == as_stored[as_stored["structure"] == "collective"]["stable"].mean()


def test_a_name_is_looked_for_under_the_results_root_and_a_missing_one_says_where(root, tmp_path):
    assert load("small", root=root).folder == root / "small"
    with pytest.raises(ResultsError) as error:
        load("headline", root=root)
    assert str(error.value) == (f"no results folder 'headline' (looked for headline or {root}/headline); "
                                f"stored under {root}/: small; 'python run.py sweep headline --out "
                                f"{root}' makes it")
    with pytest.raises(ResultsError) as error:
        load("headline-quick", root=root)
    assert str(error.value).endswith(f"'python run.py sweep headline --quick --out {root}' makes it")
    with pytest.raises(ResultsError) as error:
        load("mine", root=root)
    assert str(error.value).endswith(f"stored under {root}/: small")
    with pytest.raises(ResultsError, match="not a results folder"):
        load(tmp_path)


def test_a_table_under_another_experiments_manifest_is_refused_naming_the_line(root, tmp_path):
    import json
    import shutil

    from tests.support.project import run_py

    folder = tmp_path / "mixed"
    shutil.copytree(root / "small", folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["experiment"] = "mechanisms"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ResultsError, match="line 2: a run of experiment 'small', but the folder's "
                       "manifest is that of experiment 'mechanisms'"):
        load(folder)
    result = run_py("figures", str(folder))
    assert result.returncode == 2 and "a run of experiment 'small'" in result.stderr
    assert "Traceback" not in result.stderr and not (folder / "figures").exists()
