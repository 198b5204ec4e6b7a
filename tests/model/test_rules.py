"""Each rule on its own, against values computed by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import rules

finite = st.floats(min_value=-50, max_value=50, allow_nan=False)
temperature = st.floats(min_value=0.01, max_value=5)


def test_logistic_hand_values():
    assert rules.logistic(1.0, 0.5) == pytest.approx(0.8807970779778823)
    assert rules.logistic(0.0, 0.3) == 0.5
    assert rules.logistic(-1.0, 0.5) == pytest.approx(1 - 0.8807970779778823)


def test_logistic_is_stable_for_extreme_utilities():
    assert rules.logistic(1e4, 0.01) == 1.0
    assert rules.logistic(-1e4, 0.01) == 0.0


def test_softmax_hand_values():
    # weights e^0, e^1, e^-2 over their sum 3.853617...
    assert rules.softmax([0.0, 0.1, -0.2], 0.1) == pytest.approx([0.259496, 0.705385, 0.035119], abs=1e-6)


def test_pick_inverse_cdf():
    probabilities = [0.2, 0.5, 0.3]
    assert rules.pick(probabilities, 0.0) == 0
    assert rules.pick(probabilities, 0.19) == 0
    assert rules.pick(probabilities, 0.65) == 1
    assert rules.pick(probabilities, 0.7) == 2
    assert rules.pick(probabilities, 0.999999) == 2


def test_contest_success_function():
    assert rules.contest_success(3.0, 1.0, 1.0) == pytest.approx(0.75)
    assert rules.contest_success(3.0, 1.0, 2.0) == pytest.approx(0.9)
    assert rules.contest_success(0.0, 0.0, 1.0) == 0.5
    assert rules.contest_success(1.0, 0.0, 1.0) == 1.0


def test_loss_of_strength_and_distance():
    assert rules.local_power(100.0, 5000.0, 5000.0) == pytest.approx(100 / math.e)
    assert rules.great_circle_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.19, abs=0.01)
    assert rules.great_circle_km((139.7, 35.7), (139.7, 35.7)) == 0.0


def test_reputational_value_grows_with_commitments():
    assert rules.reputational_value(1.5, 5) == pytest.approx(1.5 * math.log(6))  # 2.687639
    assert rules.reputational_value(2.0, 1) == pytest.approx(1.386294, abs=1e-6)
    assert rules.reputational_value(1.5, 0) == 0.0


def test_defender_war_cost_hand_value():
    cost = rules.defender_war_cost(severity=0.5, challenger_local_power=300.0, own_local_power=100.0,
                                   war_cost=2.0, fixed_war_cost=1.2)
    assert cost == pytest.approx(2 * 0.5 * 0.75 + 1.2)  # 1.95


def test_response_utility_hand_values():
    common = dict(obligation=0.5, reputation=2.687639, stake=0.6, red_line_bonus=3.0, hedging=0.3,
                  entrapment_aversion=1.0, war_cost=1.95)
    # 0.5 * 2.687639 + 0.6 - 1.95 - 0.3 * 1
    assert rules.response_utility(red_line_crossed=False, **common) == pytest.approx(-0.3061805)
    # 0.5 * 2.687639 + 0.6 - 1.95 + 3
    assert rules.response_utility(red_line_crossed=True, **common) == pytest.approx(2.9938195)


def test_challenge_utility_hand_value():
    # gain 1 * 0.5 * (0.2 + 0.8 * 0.25) = 0.2; war 0.8 * (1 * 0.5 * 0.6 + 0.5) = 0.64; fixed 0.2
    utility = rules.challenge_utility(value=1.0, gain_share=0.5, p_opposed=0.8, p_win_if_opposed=0.25,
                                      opposing_share=0.6, severity=0.5, challenger_war_cost=1.0,
                                      challenger_fixed_war_cost=0.5, aggression_cost=0.2)
    assert utility == pytest.approx(-0.64)


def test_beta_update_and_decay():
    assert rules.beta_update(2.0, 3.0, honoured=True) == (3.0, 3.0)
    assert rules.beta_update(2.0, 3.0, honoured=False) == (2.0, 4.0)
    assert rules.beta_mean(3.0, 3.0) == 0.5
    assert rules.beta_decay(5.0, 3.0, 2.0, 2.0, 0.5) == (3.5, 2.5)
    assert rules.beta_decay(5.0, 3.0, 2.0, 2.0, 1.0) == (5.0, 3.0)


def test_provocation_probability():
    # 0.1 * (1 + 2 * 0.5) = 0.2; restrained: 0.2 * (1 - 0.7) = 0.06
    kwargs = dict(base_rate=0.1, moral_hazard=2.0, backing=0.5, restraint=0.7)
    assert rules.provocation_probability(restrained=False, **kwargs) == pytest.approx(0.2)
    assert rules.provocation_probability(restrained=True, **kwargs) == pytest.approx(0.06)
    assert rules.provocation_probability(base_rate=0.9, moral_hazard=5.0, backing=1.0,
                                         restrained=False, restraint=0.0) == 1.0


def test_divergence_transform_is_piecewise_linear_through_the_file_value():
    # file 0.4, shared 1.0, own-only 0.0, baseline 0.6
    assert rules.interpolate_towards(0.4, 1.0, 0.0, 0.0, 0.6) == pytest.approx(1.0)
    assert rules.interpolate_towards(0.4, 1.0, 0.0, 0.3, 0.6) == pytest.approx(0.7)
    assert rules.interpolate_towards(0.4, 1.0, 0.0, 0.6, 0.6) == pytest.approx(0.4)
    assert rules.interpolate_towards(0.4, 1.0, 0.0, 0.8, 0.6) == pytest.approx(0.2)
    assert rules.interpolate_towards(0.4, 1.0, 0.0, 1.0, 0.6) == pytest.approx(0.0)


@given(finite, temperature)
def test_logistic_is_a_probability(utility, tau):
    assert 0.0 <= rules.logistic(utility, tau) <= 1.0


@given(st.lists(finite, min_size=1, max_size=6), temperature)
def test_softmax_is_a_distribution(utilities, tau):
    probabilities = rules.softmax(utilities, tau)
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert sum(probabilities) == pytest.approx(1.0)


@given(st.floats(0, 1), st.floats(0, 5), st.floats(0, 1), st.booleans(), st.floats(0, 1))
def test_provocation_is_a_probability(base, hazard, backing, restrained, restraint):
    p = rules.provocation_probability(base_rate=base, moral_hazard=hazard, backing=backing,
                                      restrained=restrained, restraint=restraint)
    assert 0.0 <= p <= 1.0


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0.25, 4))
def test_contest_success_is_a_probability_and_symmetric(a, b, m):
    p = rules.contest_success(a, b, m)
    assert 0.0 <= p <= 1.0
    assert p + rules.contest_success(b, a, m) == pytest.approx(1.0)
