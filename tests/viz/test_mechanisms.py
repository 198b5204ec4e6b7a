"""Every mechanism on the page, without a browser: formation (who joined, who declined and why),
ties that ended, buck-passing, the peacetime pressure on each member and the challenger's wedge,
the alliance's events in the log. Every expected value comes from the model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model import DeterrenceModel
from model.crisis import Crisis, Event
from model.formation import Decision
from model.structure import STRUCTURES
from scenarios import available, load
from tests.support.cases import calm
from tests.support.viz_fixtures import write
from viz import drawing
from viz.alliance import PER, TERMS, formation_of, needed, reason
from viz.comparison import Comparison
from viz.crisis_log import log_entries, step_summary
from viz.drawing import frame, make_scene, pressure_width
from viz.network import network, pressure_scale

HUBBED = ("hub_and_spoke", "lattice", "collective")


def structures(scenario) -> list[str]:
    return [s for s in HUBBED if scenario.hub or not STRUCTURES[s].needs_hub]


def declined_events(model) -> set[tuple[str, str]]:
    """(state, what it declined) of the model's own ``declined`` events (``Event.detail`` is
    ``WHAT: P(join) = p``)."""
    return {(e.states[0], e.detail.rsplit(": P(join)", 1)[0]) for e in model.events
            if e.kind == "declined"}


# --- formation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", available())
def test_formation_verdicts_are_the_models_decisions(name):
    scenario = load(name)
    for structure in structures(scenario):
        for seed in (1, 2):
            model = DeterrenceModel(scenario, structure, rng=seed)
            found = formation_of(model)
            names = [s.name for s in model.states]
            assert [v.decision for v in found.verdicts] == model.decisions
            assert {(v.state, v.what) for v in found.declines} == declined_events(model)
            assert set(found.declined) == set(model.declined)
            assert found.joined == tuple(names[i] for i in model.joined)
            lines = found.lines()
            if model.formed:
                assert lines[0].startswith(f"Alliance formed: {len(model.joined)} of "
                                           f"{len(model.prospective)} prospective members joined")
            else:
                assert lines[0].startswith("Alliance did not form")
                if model.quorum_applies:  # the number of members the pact needed, in words
                    need = needed(model.params["quorum"], len(model.prospective))
                    assert len(model.joined) < need
                    assert lines[0].endswith(f", short of the quorum of {need}")
            if found.declines:
                assert lines[1] == f"{len(found.declines)} declined — {TERMS}:"
                assert lines[2:] == [v.line for v in found.declines]
                for v, line in zip(found.declines, lines[2:], strict=True):
                    assert line.startswith(f"{v.state} declined {v.what}: ")
                    assert f"P(join) {v.decision.probability:.2f}" in line
            else:
                assert lines == [lines[0]]


def test_a_decline_in_words_weighs_protection_against_the_costs():
    def decision(benefit, obligations, autonomy, probability):
        return Decision(0, 1, ((0, 1),), benefit / PER, obligations / PER, autonomy / PER,
                        probability)

    assert reason(decision(0.2, 0.3, 0.1, 0.1), False) == (
        "protection 0.20 < cost 0.40 (0.30 + 0.10) · P(join) 0.10")
    assert reason(decision(1.31, 0.83, 0.15, 0.57), False) == (
        "protection 1.31 ≥ cost 0.98 (0.83 + 0.15) · P(join) 0.57, against the odds")
    assert reason(decision(0.0, 0.0, 0.06, 0.0), False) == (
        "no protection to gain, cost 0.06 (autonomy) · P(join) 0.00")
    assert reason(decision(0.5, 1.2, 0.0, 0.2), True) == (
        "protection 0.50 < cost 1.20 (obligations) · P(join) 0.20, against the odds")
    assert reason(decision(0.0, 0.0, 0.0, 0.5), False) == (
        "nothing to gain or lose · P(join) 0.50, a coin toss")
    assert reason(decision(-0.3, 0.1, 0.1, 0.0), False).startswith("no protection to gain")


def test_the_alliance_boxes_are_as_tall_as_the_longer_needs_and_say_when_to_scroll():
    from viz.side_by_side_page import ALLIANCE_ROWS, alliance_rows

    low, high = ALLIANCE_ROWS
    for name in ("asia", "europe", "symmetric"):
        pair = Comparison(name, "hub_and_spoke", "collective", seed=1)
        longest = max(len(p.formation.lines()) for p in pair.panes)
        rows = alliance_rows(pair)
        assert rows == min(max(longest, low), high)
        for pane in pair.panes:
            plain, fitted = pane.formation.lines(), pane.formation.lines(rows)
            assert len(fitted) == len(plain) and fitted[2:] == plain[2:]
            if len(plain) > rows:  # europe's hub-and-spoke: ten declines
                assert fitted[1] == plain[1].replace(" declined — ", " declined (scroll for all) — ")
            else:
                assert fitted == plain
    europe = Comparison("europe", "hub_and_spoke", "collective", seed=1)
    assert max(len(p.formation.lines()) for p in europe.panes) > high


def test_imposed_and_absent_structures_say_so():
    asia = load("asia")
    imposed = formation_of(DeterrenceModel(asia, "collective", rng=1, formation="imposed"))
    assert imposed.lines() == ["Alliance imposed: all 6 prospective members bound"]
    none = formation_of(DeterrenceModel(asia, "none", rng=1))
    assert none.lines() == [f"No alliance: {STRUCTURES['none'].description}"]


def test_states_that_did_not_join_are_marked_and_say_why():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    found = formation_of(model)
    assert found.declines, "asia, seed 1: some prospective member declines the pact"
    data = network(model)
    step = frame(data, make_scene(data))
    markers = {n["id"]: n for n in step["nodes"]}
    founders = {model.states[i].name for i in model.graph.founders}
    for i in model.prospective:
        name = model.states[i].name
        node = data.node(f"state:{name}")
        if name in founders:
            assert node.status in ("hub", "member")
            assert markers[node.id]["out"] == 0
        else:
            assert node.status == "not joined"
            assert markers[node.id]["out"] > markers[node.id]["r"]  # the dashed ring outside
        for line in found.by_state[name]:
            assert line in node.notes
    for v in found.declines:
        assert f"declined {v.what}: {v.reason}" in data.node(f"state:{v.state}").notes
    others = [s for s in model.states if s.index not in model.prospective]
    assert all(data.node(f"state:{s.name}").status == "other" for s in others)


# --- ties that ended, exits, the log --------------------------------------------------------------


def first_event(kind: str, scenario="asia", **overrides):
    """(model, step) of the first run over seeds 1..40 with an alliance event of ``kind``."""
    for seed in range(1, 41):
        for structure in ("hub_and_spoke", "collective"):
            model = DeterrenceModel(load(scenario), structure, rng=seed, **overrides)
            for _ in range(150):
                model.step()
                if any(e.kind == kind and e.step == model.steps for e in model.events):
                    return model, model.steps
    pytest.fail(f"no {kind!r} event in 40 seeds")


EVENTFUL = {"opportunity_scale": 3.0, "exit_threshold": 0.5}


def test_a_tie_that_ended_is_drawn_crossed_with_when_and_why():
    model, step = first_event("tie ended", **EVENTFUL)
    (event,) = [e for e in model.events if e.kind == "tie ended" and e.step == step][:1]
    data = network(model)
    a, b = sorted(event.states)
    (tie,) = [t for t in data.ended if sorted((t.a, t.b)) == [f"state:{a}", f"state:{b}"]]
    assert tie.end == step
    assert tie.notes[0].startswith(f"tie {event.states[0]} – {event.states[1]} ended at step {step}") \
        or tie.notes[0].startswith(f"tie {event.states[1]} – {event.states[0]} ended at step {step}")
    assert event.detail in tie.notes
    drawn = {e["id"]: e for e in frame(data, make_scene(data))["ended"]}
    assert drawn[tie.id]["now"] is True  # red: it ended this step
    assert not any(tie.a in (e.source, e.target) and tie.b in (e.source, e.target)
                   for e in data.edges)  # and its obligations are gone
    # the log and the summary name it at its step
    entries = log_entries(model)
    assert (event.describe(), "alliance") in entries
    assert "alliance event" in step_summary(model)


def test_the_record_shows_a_tie_only_from_its_end_on_and_the_log_as_it_stood():
    model, ended_at = first_event("tie ended", **EVENTFUL)  # the seed and step, from the model
    pair = Comparison("asia", model.params["structure"], "none", seed=model.seed, **EVENTFUL)
    pair.run(ended_at)
    pane = pair.panes[0]
    assert pane.records[ended_at - 1].network.ended == []
    assert [t.end for t in pane.records[ended_at].network.ended] == [
        t.end for t in pane.model.graph.ties if t.end is not None]
    events = [e.describe() for e in pane.model.events if e.step == ended_at]
    assert events and set(events) <= set(pane.log_lines(ended_at))
    assert not set(events) & set(pane.log_lines(ended_at - 1))


def test_the_log_interleaves_crises_and_alliance_events_newest_first():
    crises = [Crisis(3, "A", "C", "T", None),
              Crisis(5, "B", "C", "T", 0, fought=[], outcome="unopposed")]

    events = [Event(0, "declined", ["X"], "membership: P(join) = 0.10"),
              Event(5, "tie ended", ["X", "Y"], "grievance 1.62 > exit threshold 1.5"),
              Event(4, "left", ["Z"], "grievance 1.70 > exit threshold 1.5")]
    model = type("M", (), {"crisis_log": crises, "events": events})()
    entries = log_entries(model)
    assert [kind for _, kind in entries] == ["alliance", "crisis", "alliance", "crisis"]
    assert entries[0][0] == "step 5 · tie ended: X – Y · grievance 1.62 > exit threshold 1.5"
    assert entries[1][0].startswith("step 5 · C: grey-zone probe at B")
    assert entries[2][0] == "step 4 · left the structure: Z · grievance 1.70 > exit threshold 1.5"
    assert entries[3] == ("step 3 · C deterred at A", "crisis")
    assert log_entries(model, last=2) == entries[:2]
    # as the log stood with one crisis and two events (formation's decline is not in the log)
    assert log_entries(model, size=1, events=2) == [entries[0], entries[3]]


# --- buck-passing ---------------------------------------------------------------------------------


def test_buck_passers_are_marked_apart_from_states_that_stayed_out_alone(tmp_path):
    small = load(write(tmp_path))
    model = DeterrenceModel(calm(small), "collective", rng=1, formation="imposed")
    passing = Crisis(2, "Beta Isle", "Omega", "Beta", 1, fought=["Beta", "Alpha"],
                     stayed_out=["Gamma"], outcome="defence held")
    alone = Crisis(2, "Gamma Reef", "Omega", "Gamma", 1, fought=["Gamma"],
                   stayed_out=["Alpha"], outcome="challenger won")
    for crisis, who, role in ((passing, "Gamma", "passed the buck"), (alone, "Alpha", "stayed out")):
        model.crises = [crisis]
        data = network(model)
        assert data.node(f"state:{who}").roles == (role,)
        step = frame(data, make_scene(data))
        marker = {n["id"]: n for n in step["nodes"]}[f"state:{who}"]
        colour = drawing.BUCK_PASSER_COLOUR if crisis.buck_passers else drawing.STAYED_OUT_COLOUR
        assert marker["stroke"] == colour
        assert [link["role"] for link in step["links"] if link["id"].endswith(
            f"state:{who}->flashpoint:{'beta_isle' if crisis is passing else 'gamma_reef'}")] == [
            role.replace(" ", "-")]


def test_a_run_with_buck_passing_marks_the_model_s_buck_passers():
    for seed in range(1, 41):
        model = DeterrenceModel(load("asia"), "collective", rng=seed, **EVENTFUL)
        for _ in range(150):
            model.step()
            passers = {n for c in model.crises for n in c.buck_passers}
            if passers:
                data = network(model)
                marked = {n.label for n in data.nodes if "passed the buck" in n.roles}
                assert marked == passers
                lines = log_entries(model)
                assert any("obliged but passed the buck: " in words for words, _ in lines)
                return
    pytest.fail("no buck-passing in 40 seeds")


# --- peacetime pressure and the wedge -------------------------------------------------------------


def test_pressure_on_each_member_is_the_model_s_and_drawn_as_a_band():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    assert all(n.autonomy == n.wedge == 0.0 for n in network(model).nodes)  # before any step
    for _ in range(3):
        model.step()
    data = network(model)
    scene = make_scene(data)
    markers = {n["id"]: n for n in frame(data, scene)["nodes"]}
    scale = pressure_scale(model)
    assert scale == pytest.approx(model.params["exit_threshold"] * (1 - model.params["grievance_decay"]))
    pressed = 0
    for state in model.states:
        node = data.node(f"state:{state.name}")
        assert (node.autonomy, node.wedge) == (state.autonomy_pressure, state.wedge_pressure)
        marker = markers[node.id]
        assert marker["autonomy"] == round(state.autonomy_pressure, 6)
        assert marker["wedge"] == round(state.wedge_pressure, 6)
        total = state.autonomy_pressure + state.wedge_pressure
        assert marker["pw"] == pressure_width(total, scale)
        if total:
            pressed += 1
            assert marker["pw"] > 0 and marker["pr"] > marker["r"]
            assert (f"peacetime pressure this step: autonomy {state.autonomy_pressure:.4f} + wedge "
                    f"{state.wedge_pressure:.4f} (grievance added)") in node.notes
    assert pressed >= 2
    low, high = drawing.PRESSURE_WIDTH
    assert pressure_width(0.0, scale) == 0.0
    assert low < pressure_width(scale / 100, scale) < pressure_width(scale / 4, scale) < high
    assert pressure_width(scale, scale) == pressure_width(10 * scale, scale) == high


def test_the_wedge_line_runs_to_each_member_the_model_pressed():
    for name in ("asia", "europe", "seato", "symmetric"):
        for structure in ("hub_and_spoke", "collective"):
            model = DeterrenceModel(load(name), structure, rng=1)
            for _ in range(20):
                model.step()
                if any(e.step == model.steps for e in model.events):
                    continue  # the graph changed after this step's peacetime
                data = network(model)
                aimed = {link.target for link in data.wedges}
                pressed = {f"state:{s.name}" for s in model.states if s.wedge_pressure > 0}
                assert aimed == pressed, (name, structure, model.steps)
                for link in data.wedges:
                    assert link.source.startswith("challenger:")
                    challenger = link.source.split(":", 1)[1]
                    assert any(f"the wedge: {challenger}" in line
                               for line in data.node(link.target).notes)


def test_no_pressure_once_the_structure_is_gone():
    model, step = first_event("dissolved", **EVENTFUL)
    model.step()
    assert all(n.pressure == 0.0 for n in network(model).nodes)
    assert network(model).wedges == []


# --- the page's colours ---------------------------------------------------------------------------


def test_the_map_s_style_uses_the_drawing_colours():
    style = (Path(drawing.__file__).parent / "network.vue").read_text().lower()
    for colour in (drawing.FOUGHT_COLOUR, drawing.STAYED_OUT_COLOUR, drawing.BUCK_PASSER_COLOUR,
                   drawing.PRESSURE_COLOUR, drawing.ENDED_COLOUR, drawing.OUTSIDE_RING[0],
                   drawing.OBLIGATION_COLOUR, drawing.TARGET_COLOUR):
        assert colour.lower() in style, colour
    assert re.search(r"pressure-band \{[^}]*stroke-opacity: " + str(drawing.PRESSURE_OPACITY), style)
