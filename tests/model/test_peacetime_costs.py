"""Peacetime costs against values computed by hand: the autonomy load of owing and of being protected,
the grievance it adds each step, and the challenger's wedge (docs/ODD.md, submodel 6)."""

from __future__ import annotations

import pytest

from model import DeterrenceModel, rules
from tests.support.cases import calm, triad


def test_autonomy_load_of_owing_and_of_being_protected():
    assert rules.autonomy_load(1.5, 0.5, 0.5) == pytest.approx(1.75)
    assert rules.autonomy_load(0.0, 1.0, 0.0) == 0.0


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
