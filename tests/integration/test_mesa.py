"""The model works with Mesa's own tools as Mesa users expect."""

from __future__ import annotations

import mesa
import pandas as pd

from model import DeterrenceModel


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
