"""The second round's rules against values computed by hand: formation, buck-passing, autonomy cost,
the wedge, ties ending one by one, horizontal escalation, the deepening lattice, calendar time."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model import DeterrenceModel, formation, rules
from model.structure import EdgeKind
from tests.support.cases import triad

# --- rules -------------------------------------------------------------------------------------


def test_join_probability_is_a_ratio_logit():
    assert rules.join_probability(2.0, 1.0, 1.0) == pytest.approx(2 / 3)
    assert rules.join_probability(2.0, 1.0, 2.0) == pytest.approx(4 / 5)
    assert rules.join_probability(1.0, 3.0, 0.5) == pytest.approx(1 / (1 + 3 ** 0.5))
    assert rules.join_probability(0.0, 1.0, 1.0) == 0.0
    assert rules.join_probability(1.0, 0.0, 1.0) == 1.0
    assert rules.join_probability(0.0, 0.0, 1.0) == 0.5


@pytest.mark.parametrize("codefectors, expected", [(1, 3.0 / 1.5), (2, 3.0 / 2.0), (5, 3.0 / 3.5)])
def test_the_reputation_at_stake_is_shared_with_1_2_and_5_co_defectors(codefectors, expected):
    assert rules.shared_reputation(3.0, codefectors, 0.5) == pytest.approx(expected)
    assert rules.shared_reputation(3.0, codefectors, 0.0) == 3.0


def test_a_stake_counts_by_the_share_of_the_expected_defence():
    # own 10, others 30: share 1/4; at strength 0.4 the stake keeps 0.6 + 0.4/4 = 0.7 of itself
    assert rules.marginal_stake(1.0, 10.0, 30.0, 0.4) == pytest.approx(0.7)
    assert rules.marginal_stake(0.8, 10.0, 0.0, 0.4) == pytest.approx(0.8)  # alone: all of it
    assert rules.marginal_stake(0.8, 10.0, 30.0, 0.0) == 0.8


def test_reputation_of_the_invoked_commitment_or_of_all_commitments():
    assert rules.reputational_value(2.0, 5, 0.0) == 2.0
    assert rules.reputational_value(2.0, 5, 1.0) == pytest.approx(2.0 * np.log(6))
    assert rules.reputational_value(2.0, 5, 0.5) == pytest.approx(2.0 * (0.5 + 0.5 * np.log(6)))
    assert rules.reputational_value(2.0, 0, 0.5) == 0.0


def test_autonomy_load_of_owing_and_of_being_protected():
    assert rules.autonomy_load(1.5, 0.5, 0.5) == pytest.approx(1.75)
    assert rules.autonomy_load(0.0, 1.0, 0.0) == 0.0


# --- formation ---------------------------------------------------------------------------------


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
        model = DeterrenceModel(triad(), "collective", rng=seed, autonomy_cost=0.05)
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
                            quorum=1.0)
    assert all(d.probability < 0.2 for d in model.decisions)  # all three must join: P < 0.001
    metrics = model.metrics()
    assert not model.formed and metrics["formed"] == 0 and metrics["founders"] == 0
    assert metrics["declined"] == 3 and metrics["declined_states"] == "Hub;A;B"
    assert [e.kind for e in model.events].count("declined") == 3
    assert any(e.kind == "not formed" for e in model.events)


# --- buck-passing in a crisis ------------------------------------------------------------------


def test_at_buck_passing_zero_co_obligees_change_nothing(asia):
    model = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=0.0)
    japan = next(s for s in model.states if s.name == "Japan")
    alone = japan.fight_probability(3, 0.5, 1.0, 4.0)
    assert japan.fight_probability(3, 0.5, 1.0, 4.0, codefectors=3.0, others_power=500.0) == alone


def test_buck_passing_lowers_the_will_to_fight_of_an_obliged_state_with_co_obligees(asia):
    base = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=0.0)
    lazy = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=1.0)
    japan = next(s for s in base.states if s.name == "Japan")
    korea = next(s for s in base.states if s.name == "South Korea")
    f = next(fp.index for fp in base.flashpoints if fp.target is korea)
    alone = japan.fight_probability(f, 0.5, 1.0, 4.0)[0]
    shared = next(s for s in lazy.states if s.name == "Japan").fight_probability(
        f, 0.5, 1.0, 4.0, codefectors=2.0, others_power=500.0)[0]
    assert shared < alone


# --- peacetime: autonomy cost and the wedge ----------------------------------------------------


def calm(scenario):
    return replace(scenario, flashpoints=tuple(replace(f, rate=0.0) for f in scenario.flashpoints))


def test_autonomy_grievance_per_step_by_hand():
    model = DeterrenceModel(calm(triad()), "hub_and_spoke", rng=1, formation="imposed",
                            autonomy_grievance=0.02, wedge_pressure=0.0, grievance_decay=0.9)
    hub, a = model.states[0], model.states[1]
    model.step()
    p = model.params
    # Hub owes A and B 0.5 each, below its (absent) red lines at every option: load 1.0
    assert hub.grievance == pytest.approx(0.9 * hub.hedging * 0.02 * 1.0)
    # A owes nothing and is protected at 0.5: load protege_autonomy x 0.5
    assert a.grievance == pytest.approx(0.9 * a.hedging * 0.02 * p["protege_autonomy"] * 0.5)
    assert model.tie_grievance[hub.index, a.index] == pytest.approx(0.9 * hub.hedging * 0.02 * 0.5)


def test_the_wedge_targets_the_most_susceptible_member_facing_the_challenger():
    model = DeterrenceModel(calm(triad()), "hub_and_spoke", rng=1, formation="imposed",
                            autonomy_grievance=0.0, wedge_pressure=0.05, grievance_decay=1.0)
    model.step()
    # susceptibility = hedging x strongest tie: Hub 0.3 x 0.5, A 0.2 x 0.5, B 0.6 x 0.5 -> B
    hub, a, b = model.states
    assert b.grievance == pytest.approx(0.6 * 0.05 * 0.5)
    assert hub.grievance == 0.0 and a.grievance == 0.0
    assert model.metrics()["wedge_targets"] == 1


# --- ties ending one by one --------------------------------------------------------------------


def test_a_single_bilateral_tie_ends_and_the_others_last():
    model = DeterrenceModel(calm(triad()), "hub_and_spoke", rng=1, formation="imposed",
                            autonomy_grievance=0.0, wedge_pressure=0.0, exit_threshold=1.0)
    hub, a, b = model.states
    model.tie_grievance[b.index, hub.index] = 1.2
    b.grievance = 1.2
    model.step()
    assert model.graph.weight[hub.index, b.index] == 0.0
    assert model.graph.weight[hub.index, a.index] > 0.0
    ended = [t for t in model.graph.ties if t.end is not None]
    assert [(t.a, t.b, t.end) for t in ended] == [(hub.index, b.index, 1)]
    metrics = model.metrics()
    assert metrics["ties_ended"] == 1 and metrics["ties_ended_bilateral"] == 1
    assert metrics["exits"] == 1 and not model.graph.active[b.index] and metrics["dissolved"] == 0
    assert any(e.kind == "tie ended" for e in model.events)


def test_leaving_a_collective_pact_ends_every_tie_of_the_member():
    model = DeterrenceModel(calm(triad()), "collective", rng=1, formation="imposed",
                            autonomy_grievance=0.0, wedge_pressure=0.0, exit_threshold=1.0,
                            quorum=0.5)
    b = model.states[2]
    b.grievance = 1.2
    model.step()
    assert not model.graph.weight[b.index].any() and not model.graph.weight[:, b.index].any()
    assert all(t.end == 1 for t in model.graph.ties if b.index in (t.a, t.b))
    assert model.metrics()["exits"] == 1


def test_tie_durations_are_censored_at_the_end_of_the_run():
    model = DeterrenceModel(calm(triad()), "hub_and_spoke", rng=1, formation="imposed")
    model.run(10)
    assert model.metrics()["tie_duration_bilateral"] == 10
    assert all(t.end is None or t.end >= t.start for t in model.graph.ties)


# --- horizontal escalation as a decision -------------------------------------------------------


def test_a_challenger_at_war_next_door_is_spared_the_fixed_cost_of_being_opposed(asia):
    model = DeterrenceModel(asia, "collective", rng=1, formation="imposed")
    china = model.challengers[0]
    utility, opposed, _ = china.assess(1, 0.5, False)
    at_war, opposed_again, _ = china.assess(1, 0.5, False, at_war=True)
    assert opposed == opposed_again
    assert at_war - utility == pytest.approx(opposed * model.params["challenger_fixed_war_cost"])


def test_without_coupling_no_war_opens_a_second_front(asia):
    metrics = DeterrenceModel(asia, "collective", rng=2, collect=False, theatre_coupling=0.0,
                              opportunity_scale=4).run(200)
    assert metrics["second_fronts"] == 0 and metrics["escalations"] == 0


def test_with_full_coupling_every_war_with_room_to_spread_opens_a_second_front(asia):
    model = DeterrenceModel(asia, "collective", rng=2, collect=False, theatre_coupling=1.0,
                            opportunity_scale=4, max_spread_hops=1)
    metrics = model.run(200)
    wars_at_hop0 = sum(1 for c in model.crisis_log if c.hop == 0 and c.fought
                       and model.flashpoints[[f.name for f in model.flashpoints].index(c.flashpoint)
                                             ].neighbours)
    assert metrics["second_fronts"] == wars_at_hop0 > 0
    assert 0 <= metrics["escalations"] <= metrics["second_fronts"]
    chosen = [c for c in model.crisis_log if c.second_front]
    assert len(chosen) == metrics["second_fronts"]


# --- the deepening lattice ---------------------------------------------------------------------


def test_a_joint_action_deepens_a_minilateral_tie_and_draws_red_lines_together():
    model = DeterrenceModel(triad(minilateral=True), "deepening_lattice", rng=1, formation="imposed",
                            deepening_rate=0.5, convergence_rate=0.1)
    hub, a, b = model.states
    assert model.graph.kind[a.index, b.index] == EdgeKind.MINILATERAL
    w = model.graph.weight[a.index, b.index]
    stakes_a, stakes_b = a.stakes.copy(), b.stakes.copy()
    model._deepen([a, b])
    assert model.graph.weight[a.index, b.index] == pytest.approx(w + 0.5 * (1 - w))
    assert model.graph.weight[b.index, a.index] == pytest.approx(w + 0.5 * (1 - w))
    # fa and fb are owned by A and B: nothing is shared, so nothing converges
    assert np.array_equal(a.stakes, stakes_a) and np.array_equal(b.stakes, stakes_b)
    assert model.metrics()["joint_actions"] == 0  # counted in the step tally, merged at step end


def test_the_static_lattice_never_deepens(asia):
    model = DeterrenceModel(asia, "lattice", rng=4, formation="imposed", opportunity_scale=4)
    before = model.graph.weight.copy()
    model.run(100)
    assert np.all(model.graph.weight <= before)  # ties may end, never deepen


# --- calendar time -----------------------------------------------------------------------------


def test_steps_and_years(asia):
    assert asia.years_per_step == 0.25
    assert asia.steps_for(50) == 200
    assert asia.steps_for(0.1) == 1
    metrics = DeterrenceModel(asia, "none", rng=1, collect=False).run(8)
    assert metrics["years"] == 2.0
