"""Limiting cases of the model's behaviour (docs/ODD.md, Process overview)."""

from __future__ import annotations

import pytest

from model import DeterrenceModel
from tests.support.cases import duel

SEEDS = range(8)


def test_structure_none_invokes_no_commitment(asia):
    for seed in SEEDS:
        metrics = DeterrenceModel(asia, "none", rng=seed, collect=False, opportunity_scale=3).run(200)
        assert metrics["invoked"] == 0
        assert metrics["aggressions"] > 0  # the case is not vacuous: crises did happen


def test_a_target_that_does_not_resist_invokes_no_obligation():
    scenario = duel(target_red_line=None, rate=0.8)  # the target never fights for itself
    for structure in ("hub_and_spoke", "collective"):
        model = DeterrenceModel(scenario, structure, rng=3, aggression_cost=0.0)
        metrics = model.run(100)
        assert metrics["aggressions"] > 0
        assert metrics["invoked"] == 0
        assert all(not c.fought for c in model.crisis_log)


def test_coupling_zero_never_spreads_a_war(asia):
    for seed in SEEDS:
        model = DeterrenceModel(asia, "collective", rng=seed, theatre_coupling=0.0, opportunity_scale=3)
        model.run(200)
        assert all(c.hop == 0 for c in model.crisis_log)


def test_coupling_one_spreads_wars(asia):
    # the counterpart of the test above: spreading exists, so that test can fail
    spread = 0
    for seed in SEEDS:
        model = DeterrenceModel(asia, "collective", rng=seed, theatre_coupling=1.0, opportunity_scale=3)
        model.run(200)
        spread += sum(1 for c in model.crisis_log if c.hop > 0)
    assert spread > 0


def test_an_undefended_target_below_its_red_line_loses_the_flashpoint():
    # Target's red line 0.5: probes (0.2) cross nobody's red line; no structure, so no defenders.
    scenario = duel(rate=0.8)
    model = DeterrenceModel(scenario, "none", rng=5, aggression_cost=0.0,
                            severity_limited=0.6, severity_major=0.7)
    model.run(100)
    probes = [c for c in model.crisis_log if c.severity == 0]
    assert probes, "expected some probes"
    assert all(c.outcome == "unopposed" and not c.fought for c in probes)
    metrics = model.metrics()
    # every unopposed probe costs value x severity = 1.0 x 0.2
    unopposed = [c for c in model.crisis_log if c.outcome == "unopposed"]
    assert metrics["sq_losses"] >= len(unopposed)
    assert metrics["sq_loss_value"] >= 0.2 * len(probes) - 1e-9


@pytest.mark.parametrize("structure", ["hub_and_spoke", "collective"])
def test_no_hedging_and_huge_reputation_means_every_obligation_is_honoured(asia, structure):
    total = 0
    for seed in SEEDS:
        metrics = DeterrenceModel(asia, structure, rng=seed, collect=False, mean_hedging=0.0,
                                  hub_hedging=0.0, reputational_weight=10.0, opportunity_scale=3).run(200)
        assert metrics["honoured"] == metrics["invoked"]
        total += metrics["invoked"]
    assert total > 0


def test_with_default_values_some_obligations_are_broken(asia):
    # the counterpart: the previous test is not true by construction
    defected = 0
    for seed in range(40):  # invocations are rare: a commitment is invoked in about one run in two
        model = DeterrenceModel(asia, "hub_and_spoke", rng=seed, collect=False, opportunity_scale=3,
                                formation="imposed")
        defected += model.run(200)["defected"]
    assert defected > 0
