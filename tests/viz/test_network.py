"""The network as data and as drawing instructions: nodes, obligations, exits, crises, labels."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel
from model.crisis import Crisis
from scenarios import available, load
from tests.support.cases import calm
from tests.support.viz_fixtures import write
from viz.drawing import (
    BUCK_PASSER_COLOUR,
    EXITED_COLOUR,
    HEIGHT,
    KIND_DASHES,
    LEADER_FROM,
    MARGIN,
    WIDTH,
    frame,
    hedging_colour,
    make_scene,
    overlaps,
    place_labels,
    text_size,
)
from viz.map_positions import spread
from viz.network import network


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load(write(tmp_path_factory.mktemp("scenario")))


def quiet(scenario, structure, **overrides):
    """A model in which no crisis opens (every flashpoint's rate 0)."""
    return DeterrenceModel(calm(scenario), structure, rng=1, **{"formation": "imposed", **overrides})


def drawn(model):
    data = network(model)
    return data, frame(data, make_scene(data))


@pytest.mark.parametrize(
    "structure, obligations",
    [
        ("hub_and_spoke", ["Alpha->Beta", "Alpha->Gamma"]),
        ("collective", ["Alpha->Beta", "Alpha->Gamma", "Beta->Alpha", "Beta->Gamma",
                        "Gamma->Alpha", "Gamma->Beta"]),
        ("none", []),
    ],
)
def test_one_node_per_place_and_one_arrow_per_obligation(small, structure, obligations):
    data, step = drawn(quiet(small, structure))
    assert [n["id"] for n in step["nodes"]] == [
        "state:Alpha", "state:Beta", "state:Gamma", "state:Delta", "challenger:Omega",
        "flashpoint:beta_isle", "flashpoint:gamma_reef"]
    expected = sorted(f"obligation:state:{a}->state:{b}"
                      for a, b in (pair.split("->") for pair in obligations))
    assert sorted(e["id"] for e in step["edges"]) == expected
    assert step["links"] == []
    labels = [label["text"] for label in make_scene(data).as_props()["labels"]]
    assert labels == ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Beta Isle", "Gamma Reef"]


def test_arrow_width_grows_with_strength_and_dash_follows_kind(small):
    _, conditional = drawn(quiet(small, "hub_and_spoke"))  # conditional, strength 0.5
    automatic_data, automatic = drawn(quiet(small, "collective"))  # automatic, strength 1
    assert {e.weight for e in automatic_data.edges} == {1.0}
    assert max(e["w"] for e in conditional["edges"]) < min(e["w"] for e in automatic["edges"])
    assert {e["dash"] for e in conditional["edges"]} == {KIND_DASHES["bilateral"]}
    assert {e["dash"] for e in automatic["edges"]} == {KIND_DASHES["collective"]}
    notes = automatic_data.edges[0].notes
    assert notes[0] == "Alpha is bound to defend Beta"
    assert notes[1] == "collective, strength 1.00, unconditional"


def test_an_exit_greys_the_state_and_removes_its_obligations(small):
    model = quiet(small, "collective")
    _, before = drawn(model)
    beta = model.states[1]
    beta.grievance = model.params["exit_threshold"] + 1.0  # above the threshold: Beta leaves
    model.step()
    data, after = drawn(model)
    assert data.node("state:Beta").status == "exited"
    assert data.node("state:Alpha").status == "hub"
    assert data.node("state:Gamma").status == "member"
    assert data.node("state:Delta").status == "other"
    assert sorted(e["id"] for e in after["edges"]) == ["obligation:state:Alpha->state:Gamma",
                                                       "obligation:state:Gamma->state:Alpha"]
    assert len(before["edges"]) == 6
    markers = {n["id"]: n for n in after["nodes"]}
    assert markers["state:Beta"]["fill"] == EXITED_COLOUR
    assert markers["state:Beta"]["dash"] != ""
    assert {n["id"]: n for n in before["nodes"]}["state:Beta"]["fill"] == hedging_colour(
        model.states[1].hedging)
    assert data.title == "collective · step 1 · members 2/3 · ties 1/3"
    assert data.node("state:Beta").notes[0] == "Beta: left the structure"


def test_positions_and_labels_do_not_move_between_steps(small):
    model = DeterrenceModel(small, "collective", rng=4, opportunity_scale=2.0, formation="imposed")
    first = network(model)
    scene = make_scene(first)
    for _ in range(5):
        model.step()
    later = network(model)
    assert [(n.id, n.x, n.y) for n in later.nodes] == [(n.id, n.x, n.y) for n in first.nodes]
    assert make_scene(later) == scene


def test_this_steps_crises_are_marked(small):
    model = quiet(small, "collective")
    model.crises = [Crisis(7, "Beta Isle", "Omega", "Beta", 1, fought=["Beta", "Alpha"],
                           stayed_out=["Gamma"], outcome="defence held"),
                    Crisis(7, "Gamma Reef", "Omega", "Gamma", None)]
    data, step = drawn(model)
    assert data.node("state:Beta").roles == ("target", "fought")
    assert data.node("state:Alpha").roles == ("fought",)
    assert data.node("state:Gamma").roles == ("passed the buck",)  # Alpha fought besides Beta
    assert data.node("state:Delta").roles == ()
    assert data.node("challenger:Omega").roles == ("challenger",)
    assert data.node("flashpoint:beta_isle").status == "aggression"
    assert data.node("flashpoint:gamma_reef").status == "deterred"
    assert sorted(link["id"] for link in step["links"]) == [
        "crisis:challenger:challenger:Omega->flashpoint:beta_isle",
        "crisis:fought:state:Alpha->flashpoint:beta_isle",
        "crisis:passed the buck:state:Gamma->flashpoint:beta_isle",
    ]
    markers = {n["id"]: n for n in step["nodes"]}
    assert markers["state:Beta"]["halo"] > markers["state:Beta"]["r"]  # the target's halo
    assert [k for k, n in markers.items() if n["halo"]] == ["state:Beta"]
    assert markers["state:Alpha"]["stroke"] == markers["state:Beta"]["stroke"] == "#d62728"
    assert markers["state:Gamma"]["stroke"] == BUCK_PASSER_COLOUR
    assert markers["flashpoint:beta_isle"]["cls"] == "fp-aggression"
    assert markers["flashpoint:gamma_reef"]["cls"] == "fp-deterred"


def test_no_crisis_no_highlight(small):
    _, step = drawn(quiet(small, "hub_and_spoke"))
    assert step["links"] == []
    assert all(n["halo"] == 0 for n in step["nodes"])
    assert {n["cls"] for n in step["nodes"] if n["id"].startswith("flashpoint:")} == {"fp-quiet"}


ASIA = load("asia")


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
    assert data.step == model.steps


# --- labels ---------------------------------------------------------------------------------------


def test_text_size_is_the_browser_font_measured():
    width, height = text_size("United States", "state")  # DejaVu Sans 11: 74.5 wide in Chromium
    assert 73.0 < width < 76.0
    assert 12.5 < height < 13.2
    assert text_size("Wj", "hub")[0] > text_size("Wj", "state")[0]  # bold is wider


@pytest.mark.parametrize("name", available())
def test_no_label_overlaps_another_on_any_shipped_scenario(name):
    scene = make_scene(network(DeterrenceModel(load(name), "collective", rng=0)))
    assert overlaps(scene) == []
    for mark in scene.marks:
        x0, y0, x1, y1 = mark.label_box
        assert MARGIN - 1e-6 <= x0 and x1 <= WIDTH - MARGIN + 1e-6, mark.id
        assert MARGIN - 1e-6 <= y0 and y1 <= HEIGHT - MARGIN + 1e-6, mark.id
        assert 0 <= mark.x <= WIDTH and 0 <= mark.y <= HEIGHT


def test_a_label_is_beside_its_marker_or_has_a_leader_line():
    scene = make_scene(network(DeterrenceModel(load("europe"), "collective", rng=0)))
    for mark in scene.marks:
        x0, y0, x1, y1 = mark.label_box
        nearest = math.hypot(min(max(mark.x, x0), x1) - mark.x, min(max(mark.y, y0), y1) - mark.y)
        assert nearest >= mark.r  # never on its own marker
        assert bool(mark.leader) == (nearest > mark.r + mark.room + LEADER_FROM)


def test_crowded_labels_are_pushed_apart():
    items = [(300.0, 200.0, 5.0, "Northland", "state"), (302.0, 201.0, 5.0, "Southland", "state"),
             (304.0, 199.0, 5.0, "Eastland", "state")]
    boxes = place_labels(items, WIDTH, HEIGHT)
    for a in range(3):
        for b in range(a + 1, 3):
            ba, bb = boxes[a], boxes[b]
            assert min(ba[2], bb[2]) <= max(ba[0], bb[0]) or min(ba[3], bb[3]) <= max(ba[1], bb[1])


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
