"""Alliance politics: negotiated membership, the value of a tie, threat beliefs, graded and
coalition-aware contributions, conquest and the one yardstick -- each rule against hand-computed
values, and the properties the design names (docs/ODD.md, submodels 8-11)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel, negotiation, rules
from model.observations import covered
from model.scenario import ChallengerSpec, FlashpointSpec, Scenario, StateSpec
from model.structure import NAMES
from model.threat import Threat
from tests.support.cases import duel, state_named

# --- negotiation, by hand -------------------------------------------------------------------------


def test_three_states_that_each_gain_only_if_the_other_two_join_all_join():
    """Each member gains only in the full pact: starting from everyone in (the first review),
    nobody leaves, so all three join; starting from nobody, nobody would join alone."""
    units = [(0,), (1,), (2,)]

    def score(party, unit, config):
        return 1.0 if len(config | {unit}) == 3 else -1.0

    everyone = frozenset(units)
    config, joined, left = negotiation.negotiate(units, everyone, score, lambda p, u: True,
                                                 lambda u, c: True)
    assert config == everyone and joined == [] and left == []
    config, joined, left = negotiation.negotiate(units, frozenset(), score, lambda p, u: True,
                                                 lambda u, c: True)
    assert config == frozenset() and joined == []


def test_a_consent_veto_keeps_out_an_applicant():
    units = [(0,), (1,), (2,)]
    applicant = (2,)
    start = frozenset({(0,), (1,)})

    def score(party, unit, config):
        return 0.5  # everyone gains, the applicant too

    vetoed = negotiation.negotiate(units, start, score, lambda p, u: True,
                                   lambda unit, config: unit != applicant)
    assert vetoed == (start, [], [])
    admitted = negotiation.negotiate(units, start, score, lambda p, u: True, lambda u, c: True)
    assert admitted == (start | {applicant}, [applicant], [])


def test_the_most_negative_leaves_first_and_the_rest_are_judged_again():
    units = [(0, 1), (0, 2), (0, 3)]
    values = {(2, (0, 2)): -0.5, (3, (0, 3)): -0.2}

    def score(party, unit, config):
        if (0, 2) not in config and unit == (0, 3):
            return 0.1  # once the worst tie is gone, 3 is content
        return values.get((party, unit), 0.3)

    config, joined, left = negotiation.negotiate(units, frozenset(units), score,
                                                 lambda p, u: True, lambda u, c: True)
    assert left == [(0, 2)] and config == frozenset({(0, 1), (0, 3)})


def test_a_negotiation_that_would_cycle_ends_by_keeping_out_a_unit_that_left():
    """1 prefers to leave the pair, but alone it would rather join again: a unit that left during
    the review stays out until the next one (the declared rule), so the negotiation ends with 0
    alone instead of cycling."""
    units = [(0,), (1,)]

    def score(party, unit, config):
        if party == 1 and len(config) == 2:
            return -0.1  # in the pair, 1 would rather leave
        return 0.2      # alone, 1 would rather join

    config, joined, left = negotiation.negotiate(units, frozenset(units), score,
                                                 lambda p, u: True, lambda u, c: True)
    assert left == [(1,)] and joined == [] and config == frozenset({(0,)})


def test_a_tie_ends_after_patience_negative_reviews_and_not_before(monkeypatch):
    """With patience 3 and yearly reviews (every 4 steps), a party that turns against its tie after
    formation ends it at the third review, step 12."""
    model = DeterrenceModel(duel(rate=0.0), "hub_and_spoke", rng=1, collect=False, patience=3,
                            formation="imposed", shock_scale=0.0)
    assert model.config == frozenset({(0, 1)})
    monkeypatch.setattr(model.negotiation, "score", lambda *args: -1.0)
    ended = []
    for _ in range(16):
        model.step()
        ended.append(bool(model.config))
    assert ended == [True] * 11 + [False] * 5
    assert [e.kind for e in model.events][-1] == "tie ended"
    assert model.graph.ties[0].end == 12


# --- threat, by hand -----------------------------------------------------------------------------


def test_a_major_attack_raises_a_belief_by_the_computed_amount():
    """Prior 0.2 that the challenger is greedy; attention 0.5 for one state, 1.0 for the other. A
    major attack that the greedy type makes with probability 0.4 and the secure type with 0.05:
    log-odds rise by w x ln(0.4 / 0.05) (Bayes' rule, weighted by attention)."""
    threat = Threat(np.array([[0.5], [1.0]]), [0], 1, prior=0.2, learning=True)
    assert threat.greedy()[:, 0] == pytest.approx([0.2, 0.2])
    threat.observe(0, greedy=0.4, secure=0.05)
    prior = math.log(0.2 / 0.8)
    expected = [1 / (1 + math.exp(-(prior + w * math.log(0.4 / 0.05)))) for w in (0.5, 1.0)]
    assert threat.greedy()[:, 0] == pytest.approx(expected)
    assert expected[1] == pytest.approx(0.2 * 0.4 / (0.2 * 0.4 + 0.8 * 0.05))  # Bayes itself
    # a challenger that keeps the peace where the greedy type would strike lowers it again
    threat.observe(0, greedy=0.3, secure=0.9)
    assert threat.greedy()[1, 0] < expected[1]


def test_threat_is_fixed_when_not_learnt():
    threat = Threat(np.array([[1.0]]), [0], 1, prior=0.2, learning=False)
    threat.observe(0, greedy=0.9, secure=0.1)
    assert threat.greedy()[0, 0] == pytest.approx(0.2)


def test_a_choice_one_type_never_makes_is_strong_finite_evidence():
    """A probability that underflowed to 0 moves the belief all the way, without an error or a
    NaN; the belief stays a probability."""
    threat = Threat(np.ones((2, 1)), [0], 1, prior=0.2, learning=True)
    threat.observe(0, greedy=0.5, secure=0.0)
    belief = threat.greedy()
    assert np.all(np.isfinite(belief)) and np.all(belief <= 1.0) and belief[0, 0] > 0.999
    threat.observe(0, greedy=0.0, secure=0.5)
    threat.observe(0, greedy=0.0, secure=0.5)
    belief = threat.greedy()
    assert np.all(np.isfinite(belief)) and belief[0, 0] < 1e-3


def test_a_major_attack_raises_the_threat_of_those_who_watch_it_in_a_run(asia):
    """In the step of the first major attack (and nothing else happening), every state that pays
    attention to that flashpoint believes its challenger more likely greedy; one that pays none
    does not change its mind."""
    model = DeterrenceModel(asia, "none", rng=1, collect=False, opportunity_scale=3)
    while True:
        before = model.threat.greedy().copy()
        model.step()
        if any(c.severity == 2 for c in model.crises):
            break
    assert len(model.crises) == 1  # this seed's first major attack is the step's only crisis
    attack = model.crises[0]
    fp = next(fp for fp in model.flashpoints if fp.name == attack.flashpoint)
    c = fp.challenger.index
    after = model.threat.greedy()
    attention = model.threat.attention[:, fp.index]
    assert all(after[i, c] > before[i, c] for i in np.flatnonzero(attention > 0))
    assert all(after[i, c] == before[i, c] for i in np.flatnonzero(attention == 0))


# --- coalition-aware, graded contributions, by hand ------------------------------------------------


def test_the_cost_of_war_with_one_and_with_three_partners_fighting(duel_scenario):
    """Coalition pricing: Ally (local 30) against C (40), the target and the partners expected to
    bring 10 or 30 beside it: cost = 2 x 0.5 x 40 / (40 + 30 + others) + 1.2."""
    model = DeterrenceModel(duel_scenario, "hub_and_spoke", rng=0, fighting="coalition")
    ally = model.states[1]
    *_, one = ally.response_utilities(0, 0.5, 0.5, 40.0, others_power=10.0)
    *_, three = ally.response_utilities(0, 0.5, 0.5, 40.0, others_power=30.0)
    assert one == pytest.approx(2 * 0.5 * 40 / 80 + 1.2)
    assert three == pytest.approx(2 * 0.5 * 40 / 100 + 1.2)
    alone = DeterrenceModel(duel_scenario, "hub_and_spoke", rng=0, fighting="alone").states[1]
    *_, own = alone.response_utilities(0, 0.5, 0.5, 40.0, others_power=30.0)
    assert own == pytest.approx(2 * 0.5 * 40 / 70 + 1.2)  # priced alone, whoever fights beside


def test_a_contribution_is_none_a_token_or_full_by_a_logit(duel_scenario):
    """Token = credit x kept word + share x (full - kept word); probabilities a softmax of
    (0, token, full) at the response temperature."""
    model = DeterrenceModel(duel_scenario, "hub_and_spoke", rng=0, token_share=0.1,
                            token_credit=0.5, formation="imposed", buck_passing=0.0)
    ally = model.states[1]
    token, full, kept, crossed, cost = ally.response_utilities(0, 0.5, 0.5, 40.0, others_power=10.0)
    reputation = model.params["reputational_weight"]  # one commitment, reputation of the invoked
    assert kept == pytest.approx(0.5 * reputation)
    assert full == pytest.approx(kept + 0.4 - cost - 0.3 * 1.0)  # stake 0.4, hedging 0.3 x 1.0
    assert token == pytest.approx(0.5 * kept + 0.1 * (full - kept))
    p_full, p_token, _, _ = ally.response(0, 0.5, 0.5, 40.0, others_power=10.0)
    expected = rules.softmax([0.0, token, full], 0.3)
    assert (p_token, p_full) == pytest.approx((expected[1], expected[2]))


def test_the_cost_of_holding_an_obligation_is_what_its_response_loses():
    # a state that would fight anyway loses nothing; one that never would loses its word
    assert rules.obligation_cost([0.0, 6.0], [0.0, 5.0], 1.0, 0.3) == pytest.approx(0.0, abs=1e-6)
    assert rules.obligation_cost([0.0, -4.0], [0.0, -5.0], 1.0, 0.3) == pytest.approx(1.0, abs=1e-5)
    # in between, by hand: with = 0.3 ln(1 + e^(0.2/0.3)), without = 0.3 ln(1 + e^(-0.8/0.3))
    with_ = 0.3 * math.log(1 + math.exp(0.2 / 0.3))
    without = 0.3 * math.log(1 + math.exp(-0.8 / 0.3))
    assert rules.obligation_cost([0.0, 0.2], [0.0, -0.8], 1.0, 0.3) == pytest.approx(
        without - with_ + 1.0)


def test_reliability_counts_any_contribution_and_full_force_apart(asia):
    metrics = DeterrenceModel(asia, "collective", rng=2, collect=False, formation="imposed",
                              opportunity_scale=4, token_credit=0.9).run(300)
    assert metrics["honoured_full"] <= metrics["honoured"]
    assert metrics["token_contributions"] > 0
    assert metrics["reliability_full"] <= metrics["reliability"]


# --- conquest and fronts ---------------------------------------------------------------------------


def front_and_rear(**parameters) -> Scenario:
    """A hub U and two spokes: A holds a front F, B's homeland H lies behind it; one challenger C;
    everyone at one place; the challenger weighs only major attacks."""
    return Scenario(
        name="front_and_rear", description="a homeland behind a front",
        states=(
            StateSpec(name="U", power=30.0, hedging=0.3, location=(0.0, 0.0)),
            StateSpec(name="A", power=10.0, hedging=0.2, location=(0.0, 0.0), stakes={"f": 1.0},
                      red_lines={"f": 0.2}),
            StateSpec(name="B", power=10.0, hedging=0.2, location=(0.0, 0.0), stakes={"h": 1.0},
                      red_lines={"h": 0.2}),
        ),
        challengers=(ChallengerSpec(name="C", power=40.0, location=(0.0, 0.0)),),
        flashpoints=(
            FlashpointSpec(id="f", name="F", target="A", challenger="C", value=1.0, theatre="land",
                           location=(0.0, 0.0), rate=0.1, options=(2,)),
            FlashpointSpec(id="h", name="H", target="B", challenger="C", value=1.0, theatre="land",
                           location=(0.0, 0.0), rate=0.1, options=(2,), behind=("f",)),
        ),
        hub="U", members=("U", "A", "B"), baseline_divergence=0.5, parameters=dict(parameters),
    )


def test_a_homeland_behind_a_front_opens_only_once_the_front_falls():
    model = DeterrenceModel(front_and_rear(), "none", rng=1, collect=False, opportunity_scale=5)
    front, rear = model.flashpoints
    assert not rear.reachable and model.opportunities.rates.tolist() == [0.5, 0.0]
    for _ in range(400):
        model.step()
        if front.taken:
            break
    assert front.taken and rear.reachable
    assert model.opportunities.rates.tolist() == [0.0, 0.5]
    first_taken = next(c.step for c in model.crisis_log if c.taken)
    assert all(c.flashpoint == "F" for c in model.crisis_log if c.step <= first_taken)


def test_a_state_whose_homeland_lies_behind_a_front_gains_exactly_the_computed_protection():
    """B's protection from its tie with U: the chance that F falls within the planning horizon,
    times H's openings, times the fall in what H costs B there -- the challenger's expected wins and
    the wars B fights -- by hand from the challenger's choice (softmax of status quo and a major
    attack) with and without U bound, for the challenger as it is and for the greedy type, mixed by
    B's belief that it is greedy."""
    model = DeterrenceModel(front_and_rear(), "hub_and_spoke", rng=1, collect=False,
                            formation="imposed", shock_scale=0.0, autonomy_cost=0.0,
                            wedge_pressure=0.0, distrust_cost=0.0, greed=2.0, greed_prior=0.2)
    p = model.params
    neg = model.negotiation
    config = frozenset(neg.units)
    tie = (0, 2)
    value = neg.value(2, tie, config, model.threat.greedy())

    def harm(bound: bool, greed: float) -> float:
        """H's expected loss per opening to B: the challenger's wins there (stake 1, severity 1),
        and the wars B fights (its red line is crossed), priced by the coalition beside it."""
        # the challenger at H: the target resists a major attack almost surely (red line 0.2)
        q_target = rules.logistic(1.0 - 0.2, p["red_line_noise"])
        q_u = q_target * 0.5 * p["prior_reliability"] if bound else 0.0  # conditional, strength 0.5
        opposed = 1 - (1 - q_target) * (1 - q_u)
        opposing = (q_target * 10.0 + q_u * 30.0) / opposed
        win = rules.contest_success(40.0, opposing, p["decisiveness"])
        share = opposing / (40.0 + opposing)
        utility = rules.challenge_utility(
            value=1.0 * greed, gain_share=1.0, p_opposed=opposed, p_win_if_opposed=win,
            opposing_share=share, severity=1.0, challenger_war_cost=p["challenger_war_cost"],
            challenger_fixed_war_cost=p["challenger_fixed_war_cost"],
            aggression_cost=p["aggression_cost"])
        attack = rules.softmax([0.0, utility], p["challenger_temperature"])[1]
        war = p["defender_war_cost"] * 1.0 * 40.0 / (40.0 + max(10.0, opposing)) + p[
            "fixed_war_cost"]
        return attack * ((1 - opposed) + opposed * win) + attack * war

    def protection(greed: float) -> float:
        # F's falls per step (A bound to U in both configurations), and the chance H comes in reach
        f_look = neg.valuation.outlook(0, neg.graph(config), np.full(3, p["prior_reliability"]),
                                       greed)
        falls = 0.1 * f_look.losses[2]
        reach = 1 - math.exp(-falls * p["planning_horizon"] / model.years_per_step)
        return reach * 0.1 * (harm(False, greed) - harm(True, greed)) / model.years_per_step

    # B weighs the challenger as it is and the greedy type it fears, by its belief (the prior: B
    # has seen nothing)
    by_hand = 0.8 * protection(1.0) + 0.2 * protection(2.0)
    assert value.protection == pytest.approx(by_hand, rel=1e-9)
    assert value.protection > 0


def test_the_wedge_in_the_value_of_a_tie_is_priced_by_wedge_cost_not_by_its_grievance(asia):
    """The challenger's wedge costs the member it is aimed at ``wedge_cost`` (utility per step) ×
    hedging × alignment, per year; ``wedge_pressure`` is the same wedge's grievance and does not
    enter the value. In ``asia`` China's wedge aims at Thailand (hedging 0.7, conditional tie of
    strength 0.5) once it is bound, and at nobody of its hub-and-spoke ties otherwise."""
    names = [s.name for s in asia.states]
    thailand, us = names.index("Thailand"), names.index("United States")
    tie = (us, thailand)
    wedges = {}
    for cost, pressure in ((0.0, 0.05), (0.002, 0.0), (0.002, 0.05)):
        model = DeterrenceModel(asia, "hub_and_spoke", rng=1, collect=False, formation="imposed",
                                wedge_cost=cost, wedge_pressure=pressure, shock_scale=0.0)
        neg = model.negotiation
        value = neg.value(thailand, tie, frozenset(neg.units), model.threat.greedy())
        wedges[(cost, pressure)] = value.wedge
    per_year = 1.0 / asia.years_per_step
    assert wedges[(0.0, 0.05)] == 0.0
    assert wedges[(0.002, 0.0)] == pytest.approx(-0.002 * 0.7 * 0.5 * per_year)
    assert wedges[(0.002, 0.05)] == wedges[(0.002, 0.0)]


# --- properties -------------------------------------------------------------------------------------


SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(structure=st.sampled_from([n for n in NAMES if n != "none"]), seed=st.integers(0, 10**6),
       quorum=st.floats(0.0, 1.0))
def test_the_yardstick_is_the_same_for_every_structure(asia, structure, seed, quorum):
    """Formed means: at least max(2, ceil(quorum x prospective)) prospective members are bound --
    whatever the structure."""
    model = DeterrenceModel(asia, structure, rng=seed, collect=False, quorum=quorum)
    metrics = model.run(8)
    prospective = len(model.prospective)
    needed = max(2, math.ceil(quorum * prospective - 1e-9))
    bound = round(metrics["coverage_initial"] * prospective)
    assert metrics["formed"] == int(bound >= needed)
    assert metrics["coverage_final"] == pytest.approx(covered(model))


@SLOW
@given(seed=st.integers(0, 10**6), scale=st.floats(0.0, 0.05),
       structure=st.sampled_from(["hub_and_spoke", "collective", "lattice"]))
def test_membership_after_the_first_review_is_stable(asia, seed, scale, structure):
    """No party of a unit in force after the first review would gain by leaving it: its score
    (value and shock) at the final configuration is not negative."""
    model = DeterrenceModel(asia, structure, rng=seed, collect=False, shock_scale=scale)
    record = model.reviews[0]
    for unit in model.config:
        for party in unit:
            score = record.scores.get((party, unit, model.config))
            if score is not None:
                assert score >= 0.0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), structure=st.sampled_from(["hub_and_spoke", "collective"]))
def test_the_counts_of_a_run_are_the_reviews_events(asia, seed, structure):
    """Under reviews, the run's counts are what its reviews did: every tie that ended after the
    first review is counted in ``ties_ended``, every unit that joined later in ``accessions``, and
    ``exited_states`` names only prospective members that were once bound and are no longer."""
    model = DeterrenceModel(asia, structure, rng=seed, collect=False, shock_scale=0.03)
    metrics = model.run(80)
    later = [e for e in model.events if e.step > 0]
    joined = sum(e.kind in ("acceded", "tie formed") for e in later)
    assert metrics["accessions"] == joined
    assert metrics["ties_ended"] == sum(1 for tie in model.graph.ties
                                        if tie.end is not None and tie.end > 0)
    if structure == "hub_and_spoke":
        assert metrics["ties_ended"] == sum(e.kind == "tie ended" for e in later)
    ever = {model.states[i].name for tie in model.graph.ties for i in (tie.a, tie.b)}
    exited = set(filter(None, str(metrics["exited_states"]).split(";")))
    assert exited <= ever
    assert not exited & {model.states[i].name for i in model.prospective if model.graph.active[i]}


@SLOW
@given(seed=st.integers(0, 10**6), factor=st.floats(1.0, 3.0), which=st.integers(0, 4))
def test_a_state_with_a_larger_stake_never_has_a_smaller_value_of_its_tie(asia, seed, factor,
                                                                          which):
    """Raising a spoke's stakes (capped at 1) never lowers its value of its tie with the hub under
    conditional hub-and-spoke (a restrained protege: its tie never makes it more likely attacked)."""
    values = []
    for scale in (1.0, factor):
        model = DeterrenceModel(asia, "hub_and_spoke", rng=seed, collect=False,
                                formation="imposed", shock_scale=0.0)
        neg = model.negotiation
        unit = sorted(neg.units)[which]
        spoke = model.states[unit[1] if unit[0] == model.hub.index else unit[0]]
        spoke.set_traits(stakes=np.minimum(1.0, spoke.stakes * scale))
        values.append(neg.value(spoke.index, unit, model.config, model.threat.greedy()).total)
    assert values[1] >= values[0] - 1e-12


def test_every_mechanism_recovers_version_0_2_1_together_and_each_is_a_setting(asia):
    from model.parameters import BY_NAME, VERSION_0_2_1

    for name, value in VERSION_0_2_1.items():
        assert BY_NAME[name].validate(value) == value and BY_NAME[name].default != value
    a = DeterrenceModel(asia, "collective", rng=5, collect=False, **VERSION_0_2_1)
    assert a.reviews == [] and a.decisions  # formed once, by independent decisions


def test_python_run_prints_who_joined_and_why(asia):
    model = DeterrenceModel(asia, "collective", rng=1, collect=False)
    lines = [e.describe() for e in model.events]
    assert any(line.startswith("step 0 · structure formed") or "did not form" in line
               for line in lines)
    assert all("value" in e.detail for e in model.events if e.kind == "declined")
    names = [s.name for s in model.states]
    japan = state_named(model, "Japan")
    assert names[japan.index] == "Japan"


def test_aggressions_seen_before_the_run_shape_the_starting_threat(asia):
    """A major attack observed before the start moves, before the first review, the belief of every
    state that watches that flashpoint by its attention x the log of the likelihood ratio of a major
    attack under the two types, judged with no alliance."""
    from dataclasses import replace

    from model import threat
    from model.scenario import Observed
    from model.structure import ObligationGraph

    seen = replace(asia, observed=(Observed(2020, "taiwan_strait", 2, "a test"),))
    model = DeterrenceModel(seen, "none", rng=1, collect=False)
    f = [fp.id for fp in model.flashpoints].index("taiwan_strait")
    fp = model.flashpoints[f]
    china = fp.challenger.index
    nobody = ObligationGraph(len(model.states), [])
    prior = np.full(len(model.states), model.params["prior_reliability"])
    greedy, secure = threat.likelihoods(model, fp, fp.options.index(2) + 1, False, graph=nobody,
                                        beliefs=prior)
    w = model.threat.attention[:, f]
    start = math.log(model.params["greed_prior"] / (1 - model.params["greed_prior"]))
    assert model.threat.greedy()[:, china] == pytest.approx(
        1 / (1 + np.exp(-(start + w * math.log(greedy / secure)))))
    assert greedy > secure  # a major attack is the greedy type's move
