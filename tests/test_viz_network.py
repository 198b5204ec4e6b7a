"""The network drawing: one node per state, one arrow per obligation, exits and crises shown."""

from __future__ import annotations

from dataclasses import replace

import matplotlib.colors as mcolors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel
from model.crisis import Crisis
from scenarios import load
from tests.viz_fixtures import write
from viz.layout import spread
from viz.network import EXITED_COLOUR, draw_network, network


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load(write(tmp_path_factory.mktemp("scenario")))


def artists(fig, prefix):
    """gids of the figure's artists that start with ``prefix``."""
    found = fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))
    return sorted(a.get_gid() for a in found)


def quiet(scenario, structure, **overrides):
    """A model in which no crisis opens (every flashpoint's rate 0)."""
    calm = replace(scenario, flashpoints=tuple(replace(f, rate=0.0) for f in scenario.flashpoints))
    return DeterrenceModel(calm, structure, rng=1, **{"formation": "imposed", **overrides})


@pytest.mark.parametrize(
    "structure, obligations",
    [
        ("hub_and_spoke", ["Alpha->Beta", "Alpha->Gamma"]),
        ("collective", ["Alpha->Beta", "Alpha->Gamma", "Beta->Alpha", "Beta->Gamma",
                        "Gamma->Alpha", "Gamma->Beta"]),
        ("none", []),
    ],
)
def test_one_node_per_state_and_one_arrow_per_obligation(small, structure, obligations):
    model = quiet(small, structure)
    fig = draw_network(model)
    assert artists(fig, "state:") == ["state:Alpha", "state:Beta", "state:Delta", "state:Gamma"]
    assert artists(fig, "challenger:") == ["challenger:Omega"]
    assert artists(fig, "flashpoint:") == ["flashpoint:beta_isle", "flashpoint:gamma_reef"]
    expected = sorted(f"obligation:state:{a}->state:{b}"
                      for a, b in (pair.split("->") for pair in obligations))
    assert artists(fig, "obligation:") == expected
    assert artists(fig, "label:state:") == ["label:state:Alpha", "label:state:Beta",
                                            "label:state:Delta", "label:state:Gamma"]


def test_edge_width_grows_with_strength_and_style_follows_kind(small):
    conditional = network(quiet(small, "hub_and_spoke"))  # conditional, strength 0.5
    automatic = network(quiet(small, "collective"))  # automatic, strength 1
    assert {e.kind for e in conditional.edges} == {"bilateral"}
    assert {e.kind for e in automatic.edges} == {"collective"}
    assert {e.weight for e in conditional.edges} == {0.5}
    assert {e.weight for e in automatic.edges} == {1.0}
    assert max(e.width for e in conditional.edges) < min(e.width for e in automatic.edges)
    assert conditional.edges[0].style != automatic.edges[0].style


def test_an_exit_greys_the_state_and_removes_its_obligations(small):
    model = quiet(small, "collective")
    before = draw_network(model)
    beta = model.states[1]
    beta.grievance = model.params["exit_threshold"] + 1.0  # above the threshold: Beta leaves
    model.step()
    after_data = network(model)
    after = draw_network(model)

    assert after_data.node("state:Beta").status == "exited"
    assert after_data.node("state:Alpha").status == "hub"
    assert after_data.node("state:Gamma").status == "member"
    assert artists(after, "obligation:") == ["obligation:state:Alpha->state:Gamma",
                                             "obligation:state:Gamma->state:Alpha"]
    assert len(artists(before, "obligation:")) == 6
    (dot,) = after.findobj(lambda a: a.get_gid() == "state:Beta")
    assert mcolors.to_hex(dot.get_facecolor()[0]) == EXITED_COLOUR
    (old_dot,) = before.findobj(lambda a: a.get_gid() == "state:Beta")
    assert mcolors.to_hex(old_dot.get_facecolor()[0]) != EXITED_COLOUR
    assert "members 2/3" in after_data.title


def test_positions_do_not_move_between_steps(small):
    model = DeterrenceModel(small, "collective", rng=4, formation="imposed")
    first = {n.id: (n.x, n.y) for n in network(model).nodes}
    for _ in range(5):
        model.step()
    assert {n.id: (n.x, n.y) for n in network(model).nodes} == first


def test_current_crisis_is_highlighted(small):
    model = quiet(small, "collective")
    model.crises = [Crisis(7, "Beta Isle", "Omega", "Beta", 1, fought=["Beta", "Alpha"],
                           stayed_out=["Gamma"], outcome="defence held"),
                    Crisis(7, "Gamma Reef", "Omega", "Gamma", None)]
    data = network(model)
    assert data.node("state:Beta").roles == ("target", "fought")
    assert data.node("state:Alpha").roles == ("fought",)
    assert data.node("state:Gamma").roles == ("stayed out",)
    assert data.node("state:Delta").roles == ()
    assert data.node("challenger:Omega").roles == ("challenger",)
    assert data.node("flashpoint:beta_isle").status == "aggression"
    assert data.node("flashpoint:gamma_reef").status == "deterred"
    fig = draw_network(model)
    assert artists(fig, "crisis:") == [
        "crisis:challenger:challenger:Omega->flashpoint:beta_isle",
        "crisis:fought:state:Alpha->flashpoint:beta_isle",
        "crisis:stayed out:state:Gamma->flashpoint:beta_isle",
        "crisis:target:state:Beta",
    ]


def test_no_crisis_no_highlight(small):
    fig = draw_network(quiet(small, "hub_and_spoke"))
    assert artists(fig, "crisis:") == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), steps=st.integers(0, 30),
       structure=st.sampled_from(["none", "hub_and_spoke", "lattice", "collective"]))
def test_network_matches_the_model_for_any_run(seed, steps, structure):
    model = DeterrenceModel(ASIA, structure, rng=seed, formation="imposed")
    for _ in range(steps):
        model.step()
    data = network(model)
    assert len([n for n in data.nodes if n.kind == "state"]) == len(model.states)
    assert len(data.edges) == int((model.graph.weight > 0).sum())
    exited = {n.label for n in data.nodes if n.status == "exited"}
    assert exited == {model.states[i].name for i in model.graph.founders
                      if not model.graph.active[i]}


ASIA = load("asia")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 20), st.floats(0, 20)), min_size=2, max_size=7))
def test_spread_separates_points_and_is_deterministic(points):
    out = spread(points, spacing=0.05)
    assert (out == spread(points, spacing=0.05)).all()
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    for a in range(len(out)):
        for b in range(a + 1, len(out)):
            distance = ((out[a] - out[b]) ** 2).sum() ** 0.5
            assert distance >= 0.05 * extent * 0.95


def test_spread_leaves_distant_points_alone():
    points = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]
    assert spread(points).tolist() == [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]
