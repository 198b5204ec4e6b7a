"""The model works with Mesa's own tools as Mesa users expect."""

from __future__ import annotations

import math

import mesa
import pandas as pd

from model import DeterrenceModel
from model.observations import RUN_METRICS


def test_batch_run_collects_the_series_and_pairs_structures(asia):
    results = mesa.batch_run(
        DeterrenceModel,
        parameters={"scenario": [asia], "structure": ["hub_and_spoke", "collective"],
                    "opportunity_scale": [3.0]},
        rng=[4, 5],
        max_steps=40,
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert set(frame["structure"]) == {"hub_and_spoke", "collective"}
    assert frame["Step"].max() == 40
    # the same seed gives both structures the same crisis opportunities, step by step
    for seed, runs in frame.groupby("rng"):
        by_structure = {
            s: g.sort_values("Step")["opportunities"].tolist() for s, g in runs.groupby("structure")
        }
        assert by_structure["hub_and_spoke"] == by_structure["collective"], seed
    assert frame["opportunities"].sum() > 0


def test_run_for_advances_like_step(asia):
    a = DeterrenceModel(asia, "lattice", rng=9)
    a.run_for(50)
    b = DeterrenceModel(asia, "lattice", rng=9)
    b.run(50)
    assert a.steps == b.steps == 50
    pd.testing.assert_frame_equal(a.series(), b.series())


def _same(a, b) -> bool:
    """Equal, counting two undefined values (NaN) as equal."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def test_batch_run_gives_each_run_its_run_level_metrics_at_its_end(asia):
    """A Mesa user's first reflex: ``batch_run`` with its default (the last step of each run) has
    every run-level metric as ``run_<metric>``, equal to what ``run()`` returns for the same seed."""
    results = pd.DataFrame(mesa.batch_run(
        DeterrenceModel, parameters={"scenario": [asia], "structure": ["hub_and_spoke", "collective"]},
        rng=[4, 5], max_steps=30, number_processes=1, display_progress=False))
    assert len(results) == 4 and set(results["Step"]) == {30}
    for _, row in results.iterrows():
        expected = DeterrenceModel(asia, row["structure"], rng=row["rng"], collect=False).run(30)
        for name in RUN_METRICS:
            assert _same(row[f"run_{name}"], expected[name]), (row["structure"], row["rng"], name)
    assert set(results["run_stable_cohesive"]) <= {0, 1}


def test_the_collector_changes_neither_the_run_nor_the_series_columns(asia):
    collected = DeterrenceModel(asia, "collective", rng=3)
    quiet = DeterrenceModel(asia, "collective", rng=3, collect=False)
    with_collector, without = collected.run(40), quiet.run(40)
    assert all(_same(with_collector[name], without[name]) for name in RUN_METRICS)
    series = collected.series()
    assert not any(column.startswith("run_") for column in series.columns)
    assert series["wars"].sum() == with_collector["wars"]
