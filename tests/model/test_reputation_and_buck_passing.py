"""What is at stake when a state is asked to fight, against values computed by hand: the reputation of
the invoked commitment or of all commitments, and buck-passing -- the reputational cost shared with
expected co-defectors, a stake counted by one's share of the defence (docs/ODD.md, submodel 2)."""

from __future__ import annotations

import numpy as np
import pytest

from model import DeterrenceModel, rules
from tests.support.cases import state_named


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


def test_at_buck_passing_zero_co_obligees_change_nothing(asia):
    model = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=0.0,
                            fighting="alone")
    japan = state_named(model, "Japan")
    alone = japan.response(3, 0.5, 1.0, 4.0)
    assert japan.response(3, 0.5, 1.0, 4.0, codefectors=3.0, others_power=500.0) == alone


def test_buck_passing_lowers_the_will_to_fight_of_an_obliged_state_with_co_obligees(asia):
    base = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=0.0,
                            fighting="alone")
    lazy = DeterrenceModel(asia, "collective", rng=1, formation="imposed", buck_passing=1.0,
                            fighting="alone")
    japan = state_named(base, "Japan")
    korea = state_named(base, "South Korea")
    f = next(fp.index for fp in base.flashpoints if fp.target is korea)
    alone = japan.response(f, 0.5, 1.0, 4.0)[0]
    shared = state_named(lazy, "Japan").response(
        f, 0.5, 1.0, 4.0, codefectors=2.0, others_power=500.0)[0]
    assert shared < alone
