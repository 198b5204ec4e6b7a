"""How long ties last, from stored run rows (analysis/durations.py), against hand-computed values."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import chi2

from analysis import durations
from analysis.results import Results


def test_the_poisson_interval_is_garwoods():
    assert durations.poisson_interval(0) == (0.0, pytest.approx(3.6889, abs=1e-4))  # -ln(0.025)
    low, high = durations.poisson_interval(10)
    assert low == pytest.approx(4.7954, abs=1e-4) and high == pytest.approx(18.3904, abs=1e-4)
    assert low == pytest.approx(chi2.ppf(0.025, 20) / 2)


def _results() -> Results:
    # two runs of one point at a quarter-year per step: run 1 had 2 bilateral ties lasting 80
    # steps on average, one of which a party ended, and 1 minilateral tie lasting 40 steps, ended;
    # run 2 had 2 bilateral ties lasting 100 steps, none ended, and no minilateral tie
    runs = pd.DataFrame({
        "scenario": ["s", "s"], "structure": ["lattice", "lattice"], "point": [0, 0],
        "steps": [100, 100], "years": [25.0, 25.0],
        "ties_bilateral": [2, 2], "ties_ended_bilateral": [1, 0],
        "tie_duration_bilateral": [80.0, 100.0],
        "ties_minilateral": [1, 0], "ties_ended_minilateral": [1, 0],
        "tie_duration_minilateral": [40.0, math.nan],
        "ties_collective": [0, 0], "ties_ended_collective": [0, 0],
        "tie_duration_collective": [math.nan, math.nan],
    })
    return Results(Path("t"), runs, {"experiment": "t", "design": {"labels": ["defaults"]}})


def test_the_hazard_is_ties_ended_over_tie_years_at_risk():
    table = durations.hazard_table(_results()).set_index("kind")
    assert list(table.index) == ["bilateral", "minilateral"]  # no collective tie: no row
    # bilateral: (2 x 80 + 2 x 100) steps x 0.25 years = 90 tie-years, 1 ended
    assert table.loc["bilateral", "tie_years"] == pytest.approx(90.0)
    assert table.loc["bilateral", "hazard"] == pytest.approx(1 / 90)
    low, high = durations.poisson_interval(1)
    assert table.loc["bilateral", "hazard_low"] == pytest.approx(low / 90)
    assert table.loc["bilateral", "hazard_high"] == pytest.approx(high / 90)
    # minilateral: 40 steps x 0.25 = 10 tie-years, 1 ended
    assert table.loc["minilateral", "hazard"] == pytest.approx(0.1)
    assert table.loc["minilateral", "tie"] == "symmetric (spoke-spoke)"
    assert table.loc["bilateral", "runs"] == 2 and table.loc["bilateral", "ended"] == 1
