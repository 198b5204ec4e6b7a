"""Analysis: intervals and paired differences by hand, phase tables, the stable flag recomputed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import phase, statistics, thresholds


def frame(rows):
    return pd.DataFrame.from_records(rows)


def test_wilson_interval_by_hand():
    # 0 successes of 10: upper bound z^2 / (n + z^2) with z = 1.959964
    low, high = statistics.wilson(0, 10)
    z2 = 1.959964**2
    assert low == 0.0
    assert high == pytest.approx(z2 / (10 + z2), rel=1e-5)
    # 5 of 10: symmetric around 0.5
    low, high = statistics.wilson(5, 10)
    assert (low + high) / 2 == pytest.approx(0.5)
    assert high == pytest.approx(0.7634, abs=1e-4)


def test_t_interval_by_hand():
    mean, low, high = statistics.t_interval(np.array([1.0, 2.0, 3.0, np.nan]))
    half = 4.302653 * 1.0 / math.sqrt(3)  # t(0.975, 2) * sd / sqrt(n)
    assert mean == 2.0
    assert (low, high) == pytest.approx((2 - half, 2 + half), rel=1e-6)


def test_paired_differences_match_on_replicate_by_hand():
    runs = frame([
        {"scenario": "a", "point": 0, "replicate": 0, "structure": "hub_and_spoke", "x": 1.0},
        {"scenario": "a", "point": 0, "replicate": 1, "structure": "hub_and_spoke", "x": 2.0},
        {"scenario": "a", "point": 0, "replicate": 2, "structure": "hub_and_spoke", "x": 3.0},
        {"scenario": "a", "point": 0, "replicate": 2, "structure": "collective", "x": 3.0},
        {"scenario": "a", "point": 0, "replicate": 0, "structure": "collective", "x": 2.0},
        {"scenario": "a", "point": 0, "replicate": 1, "structure": "collective", "x": 4.0},
    ])
    d = statistics.paired_differences(runs, ["x"]).iloc[0]
    # differences matched on replicate: 1, 2, 0 -> mean 1, sd 1
    assert d["structure"] == "collective" and d["n"] == 3
    assert d["mean"] == pytest.approx(1.0)
    assert d["high"] - d["mean"] == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    assert statistics.verdict(d["low"], d["high"], "up", "down") == "no clear difference"
    assert statistics.verdict(0.1, 0.3, "up", "down") == "up"
    assert statistics.verdict(-0.3, -0.1, "up", "down") == "down"


def test_paired_differences_of_typed_flags_as_loaded():
    # load(..., typed=True) holds a flag as a nullable boolean; its paired difference is of 0 and 1
    flag = pd.array([True, False, None, True, True, False], dtype="boolean")
    runs = frame([{"scenario": "a", "point": 0, "replicate": k % 3,
                   "structure": "hub_and_spoke" if k < 3 else "collective"} for k in range(6)])
    runs["formed"] = flag
    d = statistics.paired_differences(runs, ["formed"]).iloc[0]
    # pairs: (True, True) -> 0, (False, True) -> 1, (None, False) -> undefined
    assert d["n"] == 2
    assert d["mean"] == pytest.approx(0.5)


def test_phase_table_by_hand():
    rows = []
    for x in (0.0, 1.0):
        for k in range(3):
            rows.append({"scenario": "a", "point": int(x), "replicate": k, "structure": "hub_and_spoke",
                         "f": x, "g": 0.5, "stable": 0, "exits": 0})
            rows.append({"scenario": "a", "point": int(x), "replicate": k, "structure": "collective",
                         "f": x, "g": 0.5, "stable": int(x == 1.0), "exits": k})
    table = phase.phase_table(frame(rows), "f", "g", ["stable", "exits"])
    stable = table[table["metric"] == "stable"].set_index("f")
    assert stable.loc[0.0, "delta"] == 0 and stable.loc[1.0, "delta"] == 1
    assert stable.loc[1.0, "mean_collective"] == 1 and stable.loc[1.0, "mean_hub_and_spoke"] == 0
    exits = table[table["metric"] == "exits"].set_index("f")
    assert exits.loc[0.0, "delta"] == pytest.approx(1.0)  # (0 + 1 + 2) / 3
    assert phase.grid(table, "f", "g", "stable").shape == (1, 2)


@st.composite
def run_tables(draw):
    n = draw(st.integers(2, 30))
    rows = []
    for structure in ("hub_and_spoke", "collective"):
        for k in range(n):
            loss = draw(st.floats(0, 5, allow_nan=False))
            parts = {p: draw(st.integers(0, 1)) for p in ("no_great_power_war", "no_major_loss", "intact")}
            threshold = 1.0
            below = int(loss < threshold)
            stable = int(all(parts.values()) and below)
            rows.append({"scenario": "a", "point": 0, "replicate": k, "structure": structure,
                         "sq_loss_value": loss, "sq_loss_threshold": threshold,
                         "sq_loss_below_threshold": below, "stable": stable, **parts})
    return frame(rows)


@settings(max_examples=40, deadline=None)
@given(runs=run_tables(), t1=st.floats(0, 6), t2=st.floats(0, 6))
def test_recomputed_flag_matches_the_stored_one_and_grows_with_the_threshold(runs, t1, t2):
    assert (thresholds.stable_flag(runs) == runs["stable"]).all()
    low, high = sorted((t1, t2))
    assert (thresholds.stable_flag(runs, low) <= thresholds.stable_flag(runs, high)).all()
    table = thresholds.threshold_table(runs, [low, high])
    assert table["stable_collective"].iloc[0] <= table["stable_collective"].iloc[1]
    parts = thresholds.parts_table(runs)
    hub = runs.loc[runs.structure == "hub_and_spoke", "stable"]
    assert parts["stable_hub_and_spoke"].iloc[0] == hub.mean()
    # leaving a part out can only make more runs stable
    assert (parts["stable_collective"].iloc[1:] >= parts["stable_collective"].iloc[0]).all()


def test_a_level_is_compared_only_with_the_run_that_differs_from_it_in_that_factor_alone():
    # points: (lasting, on) defaults, (decisive, on) one change, (lasting, off), (decisive, off);
    # plus a point (decisive, off, other) whose twin at "lasting" does not exist
    rows = []
    values = {("lasting", "on", 0): 10.0, ("decisive", "on", 0): 13.0,
              ("lasting", "off", 0): 100.0, ("decisive", "off", 0): 101.0,
              ("decisive", "off", 1): 500.0}
    for replicate, noise in enumerate((0.0, 1.0)):
        for (war, trend, other), value in values.items():
            rows.append({"structure": "collective", "scenario": "asia", "replicate": replicate,
                         "war": war, "trend": trend, "other": other, "wars": value + noise})
    runs = pd.DataFrame(rows)
    effects = statistics.level_differences(runs, "war", ["wars"], within=["trend", "other"])
    assert len(effects) == 1
    row = effects.iloc[0]
    # twins: (on, 0) 13 - 10 = 3 and (off, 0) 101 - 100 = 1, for each of the 2 replicates
    assert (row["level"], row["baseline_level"], row["n"]) == ("decisive", "lasting", 4)
    assert row["mean"] == pytest.approx(2.0)
    # matched on the replicate alone, every run at one level met every run at the other
    pooled = statistics.level_differences(runs, "war", ["wars"])
    assert pooled.iloc[0]["n"] == 2 * 3 * 2


def test_a_factor_whose_levels_have_no_twins_gives_no_rows():
    runs = pd.DataFrame([
        {"structure": "collective", "scenario": "asia", "replicate": 0, "war": "lasting",
         "trend": 1.0, "wars": 1.0},
        {"structure": "collective", "scenario": "asia", "replicate": 0, "war": "decisive",
         "trend": 0.0, "wars": 2.0}])
    effects = statistics.level_differences(runs, "war", ["wars"], within=["trend"])
    assert effects.empty and list(effects.columns)[:2] == ["structure", "level"]
