"""Grievance, exit and dissolution (docs/ODD.md, submodel 4)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model import DeterrenceModel
from model.parameters import MECHANISMS_OFF


def quiet(asia, structure, **extra):
    """A model in which nothing happens unless the test makes it happen (no flashpoint opens), with
    every membership and cost mechanism off: imposed formation, exits of whole members, no peacetime
    costs (those mechanisms have tests of their own)."""
    calm = replace(asia, flashpoints=tuple(replace(f, rate=0.0) for f in asia.flashpoints))
    return DeterrenceModel(calm, structure, rng=1, **{**MECHANISMS_OFF, **extra})


def by_name(model, name):
    return next(s for s in model.states if s.name == name)


def test_grievance_fades_at_the_decay_rate(asia):
    model = quiet(asia, "collective", grievance_decay=0.9)
    japan = by_name(model, "Japan")
    japan.grievance = 1.0
    model.step()
    assert japan.grievance == pytest.approx(0.9)
    model.step()
    assert japan.grievance == pytest.approx(0.81)


def test_a_member_above_the_threshold_exits_and_its_obligations_are_cut(asia):
    model = quiet(asia, "collective", exit_threshold=1.5)
    thailand = by_name(model, "Thailand")
    thailand.grievance = 1.6
    assert model.graph.weight[thailand.index].any() and model.graph.weight[:, thailand.index].any()
    model.step()
    assert not model.graph.active[thailand.index]
    assert not model.graph.weight[thailand.index].any()
    assert not model.graph.weight[:, thailand.index].any()
    assert model.metrics()["exits"] == 1
    assert model.metrics()["dissolved"] == 0


def test_grievance_just_below_the_threshold_keeps_the_member(asia):
    model = quiet(asia, "collective", exit_threshold=1.5)
    by_name(model, "Thailand").grievance = 1.49
    model.step()
    assert model.graph.active_members() == 6


@pytest.mark.parametrize(("leavers", "dissolved"), [(3, False), (4, True)])
def test_collective_pact_dissolves_below_quorum(asia, leavers, dissolved):
    # 6 founders, quorum 0.5: 3 remaining is not below 3; 2 remaining is
    model = quiet(asia, "collective", quorum=0.5)
    for name in ["Japan", "South Korea", "Australia", "Philippines"][:leavers]:
        by_name(model, name).grievance = 10.0
    model.step()
    metrics = model.metrics()
    assert metrics["exits"] == leavers
    assert metrics["dissolved"] == int(dissolved)
    assert metrics["intact"] == int(not dissolved)
    if dissolved:
        assert metrics["time_to_dissolution"] == 1
        assert not model.graph.weight.any()
        assert metrics["stable"] == 0


def test_a_spoke_exit_ends_only_its_tie_the_hub_exit_ends_them_all(asia):
    model = quiet(asia, "hub_and_spoke")
    hub = model.hub
    japan = by_name(model, "Japan")
    before = model.graph.commitments(hub.index)
    japan.grievance = 10.0
    model.step()
    assert model.graph.commitments(hub.index) == before - 1
    assert not model.graph.dissolved
    hub.grievance = 10.0
    model.step()
    assert model.graph.dissolved
    assert model.metrics()["time_to_dissolution"] == 2


def test_structure_none_never_dissolves(asia):
    model = quiet(asia, "none")
    for state in model.states:
        state.grievance = 10.0
    model.run(3)
    metrics = model.metrics()
    assert metrics["exits"] == 0 and metrics["dissolved"] == 0 and metrics["intact"] == 1
