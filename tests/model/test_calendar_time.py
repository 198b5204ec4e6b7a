"""Calendar time: a scenario's years per step, and a run's length in years."""

from __future__ import annotations

from model import DeterrenceModel


def test_steps_and_years(asia):
    assert asia.years_per_step == 0.25
    assert asia.steps_for(50) == 200
    assert asia.steps_for(0.1) == 1
    metrics = DeterrenceModel(asia, "none", rng=1, collect=False).run(8)
    assert metrics["years"] == 2.0
