"""Formation against values computed by hand: the joining decision, the price of an obligation and
the harm membership spares, who declined, and a structure below quorum (docs/ODD.md, submodel 0)."""

from __future__ import annotations

import numpy as np
import pytest

from model import DeterrenceModel, formation, rules
from model.parameters import VERSION_0_2_1
from tests.support.cases import triad


def test_join_probability_is_a_ratio_logit():
    assert rules.join_probability(2.0, 1.0, 1.0) == pytest.approx(2 / 3)
    assert rules.join_probability(2.0, 1.0, 2.0) == pytest.approx(4 / 5)
    assert rules.join_probability(1.0, 3.0, 0.5) == pytest.approx(1 / (1 + 3 ** 0.5))
    assert rules.join_probability(0.0, 1.0, 1.0) == 0.0
    assert rules.join_probability(1.0, 0.0, 1.0) == 1.0
    assert rules.join_probability(0.0, 0.0, 1.0) == 0.5


def test_a_state_whose_red_lines_cover_only_its_own_flashpoint_prices_its_obligations_by_hand():
    # triad: Hub (no flashpoint), A owns fa, B owns fb; A's only red line is at fa (0.5), B resists
    # from 0.5 at fb. Under collective obligation A owes B; at fb A's red line is never crossed.
    model = DeterrenceModel(triad(), "collective", rng=1, formation="imposed")
    a, b = model.states[1], model.states[2]
    expected = np.zeros((2, 3))
    expected[1] = [0.01, 0.02, 0.005]  # probes, limited strikes, major attacks per step at fb
    p = model.params
    cost = 0.0
    for option, rate in ((1, 0.02), (2, 0.005)):  # B does not resist a probe: no invocation
        sigma = model.severities[option]
        share = 40.0 / (40.0 + 20.0)  # challenger's and A's local power at fb (all at one place)
        war = p["defender_war_cost"] * sigma * share + p["fixed_war_cost"]
        cost += rate * (war + a.hedging * p["entrapment_aversion"])
    assert formation._obligation_cost(model, a, b.index, expected) == pytest.approx(cost)
    # A's autonomy load: it owes Hub (no flashpoint: 0) and B (every option below its red line),
    # and is protected by both
    below = formation.below_shares(model)
    assert below[a.index, b.index] == 1.0 and below[a.index, 0] == 0.0
    assert below[a.index, a.index] == pytest.approx(1 / 3)  # only a probe stays below 0.5 at fa
    decisions = {d.state: d for d in formation.judge(model, model.graph, model.prospective)}
    load = 1.0 * 1.0 + p["protege_autonomy"] * 2.0
    assert decisions[a.index].autonomy == pytest.approx(p["autonomy_cost"] * a.hedging * load)


def test_harm_counts_the_stake_lost_and_the_wars_fought_on_ones_own_account():
    model = DeterrenceModel(triad(), "collective", rng=1, formation="imposed")
    a = model.states[1]
    judge = formation._Judge(model)
    expected = np.zeros((2, 3))
    expected[0] = [0.01, 0.02, 0.0]
    prevail = np.full((2, 3), 0.5)
    p = model.params
    war = p["defender_war_cost"] * 0.5 * (40.0 / 60.0) + p["fixed_war_cost"]
    by_hand = 0.01 * (1.0 * 0.2 * 0.5) + 0.02 * (1.0 * 0.5 * 0.5 + war)
    assert judge.harm(a, expected, prevail) == pytest.approx(by_hand)


def test_a_state_that_declined_holds_no_obligation_and_an_unformed_structure_has_no_edge():
    for seed in range(40):
        model = DeterrenceModel(triad(), "collective", rng=seed, autonomy_cost=0.05,
                                **VERSION_0_2_1)
        names = [s.name for s in model.states]
        for name in model.declined:
            i = names.index(name)
            assert not model.graph.weight[i].any() and not model.graph.weight[:, i].any()
        if not model.formed:
            assert not model.graph.weight.any() and model.graph.ties == []
            metrics = model.metrics()
            assert metrics["formed"] == 0 and metrics["cohesive"] == 0 and metrics["stable_cohesive"] == 0


def test_imposed_formation_binds_every_prospective_member():
    model = DeterrenceModel(triad(), "collective", rng=3, formation="imposed")
    assert model.formed and model.declined == [] and model.metrics()["joined"] == 3


def test_a_structure_below_quorum_does_not_form_and_says_who_declined():
    # opportunities so rare that membership protects almost nothing, and autonomy so dear that
    # every member declines: the pact does not form, and the run says who declined
    model = DeterrenceModel(triad(), "collective", rng=1, opportunity_scale=0.1, autonomy_cost=0.05,
                            quorum=1.0, **VERSION_0_2_1)
    assert all(d.probability < 0.2 for d in model.decisions)  # all three must join: P < 0.001
    metrics = model.metrics()
    assert not model.formed and metrics["formed"] == 0 and metrics["founders"] == 0
    assert metrics["declined"] == 3 and metrics["declined_states"] == "Hub;A;B"
    assert [e.kind for e in model.events].count("declined") == 3
    assert any(e.kind == "not formed" for e in model.events)
