"""Grievance, exit and dissolution: whole members, and ties ending one by one (docs/ODD.md, submodel 4)."""

from __future__ import annotations

import pytest

from model import DeterrenceModel
from model.parameters import MECHANISMS_OFF
from tests.support.cases import calm, state_named, triad


def quiet(asia, structure, **extra):
    """A model in which nothing happens unless the test makes it happen (no flashpoint opens), with
    every membership and cost mechanism off: imposed formation, exits of whole members, no peacetime
    costs (those mechanisms have tests of their own)."""
    return DeterrenceModel(calm(asia), structure, rng=1, **{**MECHANISMS_OFF, **extra})


def test_grievance_fades_at_the_decay_rate(asia):
    model = quiet(asia, "collective", grievance_decay=0.9)
    japan = state_named(model, "Japan")
    japan.grievance = 1.0
    model.step()
    assert japan.grievance == pytest.approx(0.9)
    model.step()
    assert japan.grievance == pytest.approx(0.81)


def test_a_member_above_the_threshold_exits_and_its_obligations_are_cut(asia):
    model = quiet(asia, "collective", exit_threshold=1.5)
    thailand = state_named(model, "Thailand")
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
    state_named(model, "Thailand").grievance = 1.49
    model.step()
    assert model.graph.active_members() == 6


@pytest.mark.parametrize(("leavers", "dissolved"), [(3, False), (4, True)])
def test_collective_pact_dissolves_below_quorum(asia, leavers, dissolved):
    # 6 founders, quorum 0.5: 3 remaining is not below 3; 2 remaining is
    model = quiet(asia, "collective", quorum=0.5)
    for name in ["Japan", "South Korea", "Australia", "Philippines"][:leavers]:
        state_named(model, name).grievance = 10.0
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
    japan = state_named(model, "Japan")
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


# --- ties ending one by one on grievance (exit_rule = "grievance", exit_scope = "tie") -----------


def test_a_single_bilateral_tie_ends_and_the_others_last():
    model = DeterrenceModel(calm(triad()), "hub_and_spoke", rng=1, formation="imposed",
                            autonomy_grievance=0.0, wedge_pressure=0.0, exit_threshold=1.0,
                            exit_rule="grievance", yardstick="own_rule")
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
                            quorum=0.5, exit_rule="grievance", yardstick="own_rule")
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
