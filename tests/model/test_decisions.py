"""The challenger's and a defender's decisions in a small fixed case, computed by hand.

The case (conftest.duel): Target (power 10) and Ally (power 30, the hub) against challenger C (power
40), all at one place, so local power equals power. Hub-and-spoke: Ally bound to Target at 0.5,
conditional. Target's red line 0.5; Ally has none. Prior belief in Ally's reliability 0.6.
"""

from __future__ import annotations

import pytest

from model import DeterrenceModel, rules
from model.parameters import MECHANISMS_OFF

PARAMS = dict(MECHANISMS_OFF, challenger_war_cost=1.0, challenger_fixed_war_cost=0.5, aggression_cost=0.2,
              decisiveness=1.0, red_line_noise=0.1, prior_reliability=0.6, prior_strength=4.0,
              defender_war_cost=2.0, fixed_war_cost=1.2, reputational_weight=1.5,
              response_temperature=0.3, challenger_temperature=0.1, entrapment_aversion=1.0,
              red_line_bonus=3.0)


def make(duel_scenario, structure="hub_and_spoke", **extra):
    return DeterrenceModel(duel_scenario, structure, rng=0, **{**PARAMS, **extra})


def test_challenger_expected_utility_of_a_limited_strike(duel_scenario):
    # q_target = logistic(0/0.1) = 0.5; Ally: 0.5 * 0.5 * 0.6 = 0.15.
    # P(opposed) = 1 - 0.5 * 0.85 = 0.575; E = 0.5*10 + 0.15*30 = 9.5; given opposed 16.521739.
    # p_win = 40 / 56.521739 = 0.707692; share = 0.292308.
    # gain = 0.5 * (0.425 + 0.575 * 0.707692) = 0.415962
    # war  = 0.575 * (0.5 * 0.292308 + 0.5) = 0.371538;  EU = 0.415962 - 0.371538 - 0.2
    model = make(duel_scenario)
    challenger = model.challengers[0]
    assert challenger.option_utility(0, 0.5, provoked=False) == pytest.approx(-0.155577, abs=1e-5)


def test_challenger_expected_utility_of_a_probe(duel_scenario):
    # q_target = logistic(-3) = 0.047426; Ally 0.047426*0.5*0.6 = 0.014228
    # P(none) = 0.952574 * 0.985772 = 0.939021; E = 0.474259 + 0.426833 = 0.901092
    # opposed power 14.777; p_win 0.730234; share 0.269766
    # gain = 0.2 * (0.939021 + 0.060979*0.730234) = 0.196710; war = 0.060979*(0.2*0.269766+0.5)
    model = make(duel_scenario)
    assert model.challengers[0].option_utility(0, 0.2, provoked=False) == pytest.approx(-0.037069, abs=1e-5)


def test_challenger_choice_probabilities(duel_scenario):
    model = make(duel_scenario)
    challenger = model.challengers[0]
    utilities = [0.0] + [challenger.option_utility(0, s, False) for s in (0.2, 0.5, 1.0)]
    probabilities = rules.softmax(utilities, 0.1)
    # status quo weight 1, probe e^-0.37069 = 0.690289, limited e^-1.55577 = 0.211027
    assert probabilities[0] / probabilities[1] == pytest.approx(1 / 0.690289, rel=1e-4)
    assert probabilities[1] / probabilities[2] == pytest.approx(0.690289 / 0.211027, rel=1e-4)
    # the pick follows the probabilities: a uniform below P(status quo) means deterrence
    assert challenger.choose(0, False, probabilities[0] * 0.999) == 0
    assert challenger.choose(0, False, probabilities[0] * 1.001) == 1


def test_provoked_conditional_obligation_is_void_for_the_challenger(duel_scenario):
    model = make(duel_scenario)
    challenger = model.challengers[0]
    # with Ally's conditional obligation void, only the target may resist:
    # P(opposed) = 0.5, E = 5, opposed power 10, p_win 0.8, share 0.2; value x (1 + 0.5)
    # gain = 1.5 * 0.5 * (0.5 + 0.5*0.8) = 0.675; war = 0.5 * (0.5*0.2 + 0.5) = 0.3
    assert challenger.option_utility(0, 0.5, provoked=True) == pytest.approx(0.675 - 0.3 - 0.2)


def test_defender_response_probability(duel_scenario):
    # Ally holds 1 commitment: reputation 1.5 ln 2 = 1.039721; war cost 2*0.5*40/70 + 1.2 = 1.771429
    # U = 0.5*1.039721 + 0.4 - 1.771429 - 0.3 = -1.151569;  P = logistic(U / 0.3) = 0.021071
    model = make(duel_scenario)
    ally = model.states[1]
    probability, _, crossed, cost = ally.response(0, 0.5, 0.5, 40.0)
    assert not crossed
    assert cost == pytest.approx(1.771429, abs=1e-6)
    assert probability == pytest.approx(0.021071, abs=1e-5)


def test_defender_response_with_reputation_of_the_invoked_commitment_and_buck_passing(duel_scenario):
    # reputation of the invoked commitment alone: 1.5 x 1 (not 1.5 ln 2); no co-obligee, so only the
    # stake is shared: Ally's 30 against the Target's 10 expected -> 0.4 x (0.9 + 0.1 x 30/40) = 0.39
    # U = 0.5*1.5 + 0.39 - 1.771429 - 0.3 = -0.931429;  P = logistic(U / 0.3) = 0.042911
    model = make(duel_scenario, reputation_interdependence=0.0, buck_passing=0.1)
    ally = model.states[1]
    probability, _, _, _ = ally.response(0, 0.5, 0.5, 40.0, codefectors=0.0, others_power=10.0)
    assert probability == pytest.approx(0.042911, abs=1e-5)


def test_collective_automatic_obligation_raises_the_response(duel_scenario):
    # collective: both members bound at strength 1; Ally's reputation the same (1 commitment)
    # U = 1*1.039721 + 0.4 - 1.771429 - 0.3 = -0.631708; P = logistic(-2.105693) = 0.108548
    model = make(duel_scenario, "collective")
    probability, _, _, _ = model.states[1].response(0, 0.5, 1.0, 40.0)
    assert probability == pytest.approx(0.108548, abs=1e-5)


def test_a_flashpoint_restricted_to_major_attacks_offers_only_that(duel_scenario):
    from dataclasses import replace

    only_major = replace(duel_scenario, flashpoints=tuple(
        replace(f, options=(2,)) for f in duel_scenario.flashpoints))
    model = make(only_major)
    challenger = model.challengers[0]
    utility = challenger.option_utility(0, 1.0, False)
    p_status_quo = rules.softmax([0.0, utility], 0.1)[0]
    # below P(status quo) the challenger is deterred; above it, the only option is a major attack (3)
    assert challenger.choose(0, False, p_status_quo * 0.999) == 0
    assert challenger.choose(0, False, min(0.999999, p_status_quo * 1.001 + 1e-9)) == 3
    model.run(100)
    assert {c.severity for c in model.crisis_log if c.hop == 0} <= {None, 2}
