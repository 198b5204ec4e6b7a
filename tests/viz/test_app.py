"""The two pages build and render without a browser (``app.routes``), and follow the session."""

from __future__ import annotations

import json
from types import SimpleNamespace

import ipyvue
import ipyvuetify
import pytest
import solara

from analysis.labels import metric_label
from analysis.phase import PHASE_METRICS
from tests.support.viz_fixtures import HUBLESS_TOML, write
from viz import session as state
from viz.controls import (
    SETTINGS_VARIABLE,
    Settings,
    settings_from_environment,
    settings_to_environment,
)
from viz.side_by_side_page import LOG_SLACK, SLACK


@pytest.fixture(autouse=True)
def fresh_session():
    """Each test starts with no comparison on view (the state lives at module level)."""
    state.session.set(None)
    state.playing.set(False)
    yield
    state.session.set(None)


def having(rc, trait: str) -> list:
    """The rendered widgets that have ``trait``."""
    return [w for w in rc.find(ipyvue.VueTemplate).widgets if trait in w.keys]


def html(rc, css: str) -> list:
    """The rendered ``solara.HTML`` widgets of class ``css``."""
    return [w for w in having(rc, "unsafe_innerHTML")
            if css in str(w.attributes.get("class", "")).split()]


def maps(rc) -> list[dict]:
    """The frames the network maps show, left first."""
    return [json.loads(w.frame_json) for w in sorted(having(rc, "frame_json"), key=lambda w: w.pane)]


def logs(rc) -> list:
    """The panes' log widgets, left first."""
    return sorted(having(rc, "rows_json"), key=lambda w: w.generation)


def chart(rc):
    (widget,) = [w for w in having(rc, "datasets_json") if ":" in w.token]
    return widget


def test_app_has_the_two_pages():
    import app

    assert [(r.path, r.label) for r in app.routes] == [("/", "Side by side"),
                                                       ("explorer", "Results explorer")]


def test_view_renders_two_maps_and_the_charts_and_follows_the_steps():
    # One test: the page is rendered once and followed through its steps, as a user would.
    from viz.side_by_side_page import Page

    box, rc = solara.render(Page(), handle_error=False)
    frames = maps(rc)
    assert [f["step"] for f in frames] == [0, 0]
    assert [f["title"].split(" · ")[0] for f in frames] == ["hub-and-spoke", "collective"]
    assert [f["heading"].split(" · ")[0] for f in frames] == ["hub-and-spoke", "collective"]
    # the collective pact is one outline around its members, not an arrow per pair
    assert frames[1]["edges"] == [] and len(frames[1]["pacts"]) == 1
    assert len(frames[1]["pacts"][0]["members"]) >= 2
    assert frames[0]["pacts"] == [] and frames[0]["edges"]  # hub-and-spoke: bilateral arrows
    panes = state.session.value.comparison.panes
    # the latest review (the first, at step 0) over each map's alliance box, with every judgement
    assert [f["review"] for f in frames] == [list(p.records[0].review) for p in panes]
    assert all(f["review"][0].startswith("Latest review: step 0 · the first, at formation (below) · ")
               for f in frames)
    # each log: the first review (formation) with every party's value, all entries sent
    for widget, pane in zip(logs(rc), panes, strict=True):
        sent = json.loads(widget.rows_json)
        assert sent["from"] == 0 and sent["rows"] == [e.row() for e in pane.log]
        assert widget.count == pane.records[0].entries == len(pane.log) == 1
        (text, kind, details), = sent["rows"]
        assert kind == "review" and text.startswith("step 0 · first review: ")
        assert details == [j.line for j in pane.formation.judgements]
    widget = chart(rc)
    assert widget.token == "0:0"
    assert json.loads(widget.datasets_json)["series"] == {"from": 0, "rows": []}
    scene = json.loads(rc.find(pane="p0").widget.scene_json)
    assert {label["text"] for label in scene["labels"]} >= {"Japan", "China", "Taiwan Strait"}

    state.advance(3)
    assert [f["step"] for f in maps(rc)] == [3, 3]
    assert chart(rc).token == "3:3"
    series = json.loads(chart(rc).datasets_json)["series"]
    assert series["from"] == 0 and len(series["rows"]) == 6  # 2 runs x 3 steps, all new
    (counter,) = html(rc, "deterrence-step")
    assert counter.unsafe_innerHTML == "step 3 of 3"
    assert (counter.attributes["data-step"], counter.attributes["data-latest"]) == ("3", "3")
    before = [len(p.log) for p in panes]
    state.advance(40)
    for widget, pane, sent in zip(logs(rc), panes, before, strict=True):  # only what is new
        rows = json.loads(widget.rows_json)
        assert rows["from"] == max(0, sent - LOG_SLACK)
        assert rows["rows"] == [e.row() for e in pane.log[rows["from"]:]]
        assert widget.count == pane.records[43].entries == len(pane.log)
    logs(rc)[0].vue_event_resync("any")  # the browser missed a change: every entry again
    assert json.loads(logs(rc)[0].rows_json)["from"] == 0
    series = json.loads(chart(rc).datasets_json)["series"]
    assert series["from"] == max(0, 6 - SLACK)
    assert [(r["run"], r["step"]) for r in series["rows"]][-2:] == [("hub-and-spoke", 43),
                                                                     ("collective", 43)]
    state.advance(1)  # the step's new rows, and SLACK rows before them
    series = json.loads(chart(rc).datasets_json)["series"]
    assert series["from"] == 86 - SLACK and len(series["rows"]) == SLACK + 2
    chart(rc).vue_event_resync("series")  # the browser missed a change: every row again
    assert json.loads(chart(rc).datasets_json)["series"]["from"] == 0
    assert len(json.loads(chart(rc).datasets_json)["series"]["rows"]) == 88

    state.look(1)  # looking back: the maps show step 1, the charts keep the run, marked at 1
    assert [f["step"] for f in maps(rc)] == [1, 1]
    assert [w.count for w in logs(rc)] == [p.records[1].entries for p in panes]  # the log then
    assert chart(rc).token == "44:1"
    assert json.loads(chart(rc).datasets_json)["cursor"] == [{"step": 1}]
    assert state.session.value.comparison.steps == 44
    # new runs: the browser starts each log and the charts afresh (a new generation, even if the
    # new comparison happens to get the old one's id)
    generations = [w.generation for w in logs(rc)] + [chart(rc).generation]
    state.start(state.session.value.config)
    assert [w.generation for w in logs(rc)] + [chart(rc).generation] != generations
    assert not set(w.generation for w in logs(rc)) & set(generations)
    assert [w.count for w in logs(rc)] == [1, 1]
    rc.close()


def test_problems_show_as_messages_in_the_pane(tmp_path, monkeypatch):
    from viz.side_by_side_page import Page

    hubless = write(tmp_path, HUBLESS_TOML)
    monkeypatch.setenv(SETTINGS_VARIABLE, settings_to_environment(
        Settings(scenario=str(hubless), structures=("hub_and_spoke", "collective"))))
    box, rc = solara.render(Page(), handle_error=False)
    errors = rc.find(class_="deterrence-error").widgets
    assert len(errors) == 1
    assert "hub_and_spoke" in repr(errors[0]) and "needs a hub" in repr(errors[0])
    assert [f["title"].split(" · ")[0] for f in maps(rc)] == ["collective"]
    assert "hub-and-spoke" in repr(errors[0])  # the pane is named by the structure's label
    rc.close()


def test_explorer_lists_the_experiments_and_a_click_opens_the_replay(tiny_results, monkeypatch):
    from viz.explorer_page import Page

    monkeypatch.setenv(SETTINGS_VARIABLE, settings_to_environment(Settings(results=str(tiny_results))))
    visited = []
    monkeypatch.setattr(solara, "use_router", lambda: SimpleNamespace(push=visited.append))
    box, rc = solara.render(Page(), handle_error=False)
    assert "tiny-quick" in repr(rc.find(class_="explorer-experiments").widget)
    (phase,) = rc.find(token="phase").widgets
    first = PHASE_METRICS[0]
    assert json.loads(phase.spec_json)["concat"][0]["title"]["text"] == f"Δ {metric_label(first, False)}"
    opened = []
    monkeypatch.setattr(state, "open_replay", opened.append)
    phase.vue_event_click({"scenario": "asia", "point": 3, "metric": "stable"})
    (found,) = opened
    assert (found.point, found.replicate, found.structures) == (3, 0, ("hub_and_spoke",
                                                                      "collective"))
    assert found.factors == {"red_line_divergence": 0.8, "mean_hedging": 0.6}
    assert visited == ["/"]  # and the side-by-side view is shown
    table = rc.find(ipyvuetify.DataTable, class_="explorer-points").widget
    assert [row["point"] for row in table.items] == [0, 1, 2, 3]
    table.fire_event("click:row", table.items[1])
    assert (opened[1].point, opened[1].factors) == (1, {"red_line_divergence": 0.2,
                                                        "mean_hedging": 0.6})
    rc.close()


def test_a_replay_shows_its_values_in_the_sidebar_and_its_metrics_next_to_the_stored(tiny_results):
    from analysis.results import load
    from viz.replay import replay
    from viz.side_by_side_page import Page

    found = replay(load(tiny_results / "tiny-quick"), "asia", 1, 1, ("hub_and_spoke", "collective"))
    state.open_replay(found)
    box, rc = solara.render(Page(), handle_error=False)
    factors = [w.children[0] for w in rc.find(class_="deterrence-replay-factor").widgets]
    assert factors == ["red_line_divergence = 0.2", "mean_hedging = 0.6"]
    for side in ("left", "right"):
        (verdict,) = rc.find(class_=f"deterrence-replay-verdict-{side}").widgets
        assert "all equal" in verdict.children[0]
    assert state.session.value.comparison.steps == found.steps
    assert [f["step"] for f in maps(rc)] == [0, 0]  # the replay opens at its start
    rc.find(class_="deterrence-parameters").widget.click()
    (slider,) = [w for w in rc.find(ipyvuetify.Slider).widgets
                 if w.label.startswith("mean_hedging (start: scenario's)")]
    assert slider.v_model == 0.6 and slider.label == "mean_hedging (start: scenario's): 0.6"
    slider.v_model = 0.45  # moved: its label says so
    (slider,) = [w for w in rc.find(ipyvuetify.Slider).widgets if w.label.startswith("mean_hedging")]
    assert slider.label == "mean_hedging (start: scenario's): 0.45"
    rc.close()


def test_settings_travel_through_the_environment(monkeypatch):
    settings = Settings(scenario="asia", structures=("lattice", "none"), seed=12,
                        overrides={"theatre_coupling": 0.4}, results="/somewhere/results")
    monkeypatch.setenv(SETTINGS_VARIABLE, settings_to_environment(settings))
    assert settings_from_environment() == settings
    monkeypatch.delenv(SETTINGS_VARIABLE)
    assert settings_from_environment() == Settings()
    assert json.loads(settings_to_environment(Settings()))["structures"] == ["hub_and_spoke",
                                                                             "collective"]
