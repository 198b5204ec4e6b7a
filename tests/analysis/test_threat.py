"""Coverage over time and around the first major attack, from stored run rows (analysis/threat.py),
against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import threat


def test_a_path_holds_each_value_from_its_step_on():
    assert threat.coverage_path("0:0.5;3:1;5:0", 6).tolist() == [0.5, 0.5, 0.5, 1, 1, 0, 0]
    assert threat.coverage_path(math.nan, 2).tolist() == [0, 0, 0]


def _runs() -> pd.DataFrame:
    return pd.DataFrame({
        "scenario": ["s"] * 3, "structure": ["collective"] * 3, "steps": [4, 4, 4],
        "coverage_changes": ["0:0;2:1", "0:0.5", "0:0;1:0.5;3:1"],
        "first_major_attack": [2.0, math.nan, 1.0],
        "joined_later": ["2:A", "", "1:B;3:A"],
    })


def test_the_mean_over_time_is_the_mean_of_the_paths():
    table = threat.over_time_table(_runs(), None)
    paths = np.array([[0, 0, 1, 1, 1], [0.5] * 5, [0, 0.5, 0.5, 1, 1]])
    assert table["coverage"].to_numpy() == pytest.approx(paths.mean(axis=0))
    assert set(table["n"]) == {3}


def test_the_event_study_aligns_each_run_on_its_own_attack():
    table = threat.after_attack_table(_runs()).set_index("offset")
    # run 1 attacked at step 2: coverage 0 before (step 1), 1 at the attack; run 3 at step 1: 0
    # before (step 0), 0.5 at the attack; run 2 had no major attack
    assert table.loc[-1, "coverage"] == pytest.approx(0.0)
    assert table.loc[0, "coverage"] == pytest.approx(0.75)
    assert table.loc[0, "n"] == 2
    # offset 3: run 1 would be at step 5, past its last step; run 3 at step 4 (1.0)
    assert table.loc[3, "coverage"] == pytest.approx(1.0) and table.loc[3, "n"] == 1


def test_who_joined_at_or_after_the_attack():
    table = threat.accession_table(_runs()).set_index("joined at or after the attack")
    assert table.loc["A", "share of runs"] == pytest.approx(1.0)  # run 1 at 2 (attack 2), run 3 at 3
    assert table.loc["B", "share of runs"] == pytest.approx(0.5)  # run 3 at 1 (attack 1)
    assert table.loc["(coverage)", "coverage just before"] == pytest.approx(0.0)
    assert table.loc["(coverage)", "share of runs"] == pytest.approx(1.0)  # both rose after
