"""The side-by-side page: two networks on the map, the charts below, the controls on the left.

Only what changes is sent when a step is shown: each pane's frame (:func:`viz.drawing.frame`), the
entries its log gained and the charts' rows; the map, the labels, the alliance box and the charts'
spec go once. The components
that follow the step read :data:`viz.session.position`; the settings form does not, so stepping
never redraws it.
"""

from __future__ import annotations

import time

import solara
import solara.lab

from . import session as state
from .charts import chart_spec, cursor_rows, extent_rows
from .comparison import CRISIS_SEARCH_LIMIT
from .drawing import frame as draw_frame
from .drawing import make_scene
from .legend import legend_html
from .replay_card import ReplayCard
from .settings_form import SettingsForm
from .widgets import LogView, NetworkMap, VegaChart, as_json

PLAY_RATES = (1, 2, 4, 8, 12, 20)
"""Steps per second Play can run at."""
DEFAULT_RATE = 8
RUN_DEFAULT = 50
RUN_MOST = 5000
ALLIANCE_ROWS = (2, 6)
"""Fewest and most lines the alliance box shows without scrolling: it is as tall as the longer of
the two panes' boxes needs, within these (the maps give up the room); beyond, it scrolls."""
ALLIANCE_LINE = 16.0
"""Height of one line of the alliance box, in pixels (its CSS ``line-height``)."""
LOG_HEIGHT = 66
"""Height of a pane's log, in pixels (four lines; it scrolls beyond)."""

CSS = """
.deterrence-page { height: calc(100vh - 64px); display: flex; flex-direction: row; overflow: hidden; }
.deterrence-side { width: 300px; min-width: 300px; height: 100%; overflow-y: auto;
                   padding: 8px 10px; border-right: 1px solid #e0e0e0; background: #fafafa; }
.deterrence-main { flex: 1 1 auto; min-width: 0; height: 100%; overflow: hidden; display: flex;
                   flex-direction: column; padding: 4px 10px 0 10px; }
.deterrence-live { height: 100%; display: flex; flex-direction: column; min-height: 0; }
.deterrence-panes { display: flex; flex-direction: row; gap: 12px; flex: 1 1 auto; min-height: 0; }
.deterrence-pane { flex: 1 1 0; min-width: 0; min-height: 0; display: flex; flex-direction: column; }
.deterrence-pane-body { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.deterrence-map { flex: 1 1 auto; min-height: 0; }
.deterrence-title { font-size: 13px; font-weight: 600; line-height: 20px; display: flex;
                    flex-wrap: wrap; justify-content: space-between; column-gap: 12px; }
.deterrence-swatch { display: inline-block; width: 18px; height: 4px; border-radius: 2px;
                     vertical-align: middle; margin: 0 6px 2px 0; }
.deterrence-alliance { flex: 0 0 auto; overflow-y: auto; font-size: 12.5px; line-height: 16px;
                       color: #222; margin: 3px 0 2px 0; padding: 0 4px 0 16px;
                       border-left: 3px solid #8e44ad55; background-color: #faf7fc;
                       /* a shadow at the bottom (top) edge while more lines lie below (above) */
                       background-image: linear-gradient(#faf7fc 30%, #faf7fc00),
                           linear-gradient(#faf7fc00, #faf7fc 70%),
                           radial-gradient(farthest-side at 50% 0, #6c2a8a59, #6c2a8a00),
                           radial-gradient(farthest-side at 50% 100%, #6c2a8a59, #6c2a8a00);
                       background-position: center top, center bottom, center top, center bottom;
                       background-repeat: no-repeat;
                       background-size: 100% 24px, 100% 24px, 100% 10px, 100% 10px;
                       background-attachment: local, local, scroll, scroll; }
.deterrence-alliance-line { display: block; text-indent: -12px; }
.deterrence-alliance, .deterrence-log { scrollbar-width: thin; scrollbar-color: #c3aed0 transparent; }
.deterrence-alliance::-webkit-scrollbar, .deterrence-log::-webkit-scrollbar { width: 7px; }
.deterrence-alliance::-webkit-scrollbar-thumb, .deterrence-log::-webkit-scrollbar-thumb {
    background: #c3aed0; border-radius: 4px; }
.deterrence-alliance-headline { font-weight: 600; }
.deterrence-alliance-terms { color: #555; }
.deterrence-alliance-in { color: #1d5c2a; }
.deterrence-alliance-out { color: #9b1c1c; }
.deterrence-alliance-willing { color: #7a4d00; }
.deterrence-latest-review { color: #6c2a8a; font-weight: 600; cursor: help; }
.deterrence-summary { font-size: 12.5px; font-weight: 600; color: #8b0000; }
.deterrence-log { height: LOG_HEIGHTpx; min-height: LOG_HEIGHTpx; }
.deterrence-legend { flex: 0 0 auto; padding: 2px 0; }
.deterrence-charts { flex: 0 0 auto; overflow: hidden; padding: 0 0 28px 0; }
.deterrence-side .v-card { margin-bottom: 8px; }
.deterrence-slider-row .v-input__slot { flex-wrap: wrap; }
.deterrence-slider-row .v-input__slot > .v-label { flex: 1 0 100%; max-width: 100%;
    white-space: normal; font-size: 13px; margin: 0 0 -6px 0; }
.deterrence-step { font-size: 14px; font-weight: 600; }
.deterrence-message { font-size: 12px; color: #8b0000; }
""".replace("LOG_HEIGHT", str(LOG_HEIGHT))


@solara.component
def Page():
    """The side-by-side view."""
    from .controls import settings_from_environment

    if state.session.value is None:
        state.start(state.default_config(settings_from_environment()))
    current = state.session.value
    solara.Style(CSS)
    # made here, so that stepping (which re-renders Board) leaves them alone
    extra = [ReplayCard(), SettingsForm(current.config).key(f"settings-{current.comparison.serial}")]
    Board(current, extra)


@solara.component
def Board(current: state.Session, extra: list):
    """The page's frame, and the only component that reads the step on view (one render pass per
    step); of its children only :func:`StepView` and :func:`Live` depend on the step."""
    comparison = current.comparison
    step = min(state.position.value.step, comparison.steps)
    playing = state.playing.value
    with solara.Div(classes=["deterrence-page"]):
        with solara.Div(classes=["deterrence-side"]):
            with solara.Card(margin=0, classes=["deterrence-controls"]):
                StepView(step, comparison.steps, playing)
                StepButtons(comparison, playing)
            solara.Div(children=extra)
        with solara.Div(classes=["deterrence-main"]):
            Live(comparison, step)


def _toggle_play() -> None:
    state.playing.set(not state.playing.value)


def _step() -> None:
    state.advance(1)


def _back() -> None:
    state.look(state.position.value.step - 1)


@solara.component
def StepView(step: int, latest: int, playing: bool):
    """Which step is on view, and the slider over every step run so far."""
    solara.HTML(tag="div", unsafe_innerHTML=f"step {step} of {latest}",
                classes=["deterrence-step"], attributes={"data-step": str(step),
                                                         "data-latest": str(latest)})
    with solara.Div(classes=["deterrence-slider"]):
        solara.SliderInt("step on view", value=step, min=0, max=max(latest, 1),
                         on_value=state.look, disabled=playing or latest == 0)


@solara.component
def StepButtons(comparison, playing: bool):
    """Back, Step, Play, run N steps, next crisis, and the speed of Play."""
    rate = solara.use_reactive(DEFAULT_RATE)
    count = solara.use_reactive(RUN_DEFAULT)
    message = solara.use_reactive("")
    running = bool(comparison.running)

    def play():
        while state.playing.value:
            began = time.perf_counter()
            state.advance(1)
            pause = 1.0 / rate.value - (time.perf_counter() - began)
            if pause > 0:
                time.sleep(pause)

    solara.lab.use_task(play, dependencies=[playing], prefer_threaded=True)

    def run_many():
        state.advance(max(1, min(int(count.value or 1), RUN_MOST)))

    def crisis():
        found = state.next_crisis()
        message.set("" if found is not None else
                    f"no crisis in the next {CRISIS_SEARCH_LIMIT} steps")

    narrow = {"padding": "0 12px"}
    with solara.Row(gap="6px", style={"margin": "6px 0"}):
        solara.Button("◀ Back", on_click=_back, disabled=playing, classes=["deterrence-back"],
                      outlined=True, style=narrow)
        solara.Button("Step", on_click=_step, disabled=playing or not running,
                      color="primary", classes=["deterrence-step-button"], style=narrow)
        solara.Button("❚❚ Pause" if playing else "▶ Play", on_click=_toggle_play,
                      disabled=not running, color="primary", classes=["deterrence-play"],
                      style=narrow)
    with solara.Row(gap="6px", style={"align-items": "center"}):
        solara.InputInt("steps", value=count, style={"max-width": "70px"},
                        classes=["deterrence-count"])
        solara.Button("Run", on_click=run_many, disabled=playing or not running, outlined=True,
                      classes=["deterrence-run"])
        solara.Button("Next crisis", on_click=crisis, disabled=playing or not running,
                      outlined=True, classes=["deterrence-next-crisis"])
    if message.value:
        solara.Text(message.value, classes=["deterrence-message"])
    solara.Select("play speed (steps per second)", value=rate, values=list(PLAY_RATES),
                  classes=["deterrence-speed"])


@solara.component
def Live(comparison, step: int):
    """The two panes and the charts at the step on view."""
    scene = solara.use_memo(lambda: _scene(comparison), [comparison])
    scene_json = solara.use_memo(lambda: as_json(scene.as_props()) if scene else "", [scene])
    with solara.Div(classes=["deterrence-live"]) as live:
        rows = solara.use_memo(lambda: alliance_rows(comparison), [comparison])
        with solara.Div(classes=["deterrence-panes"]):
            for side in range(2):
                PaneView(comparison, side, step, scene, scene_json, rows)
        solara.HTML(tag="div", unsafe_innerHTML=legend_html(), classes=["deterrence-legend"])
        Charts(comparison, step)
    return live


def alliance_rows(comparison) -> int:
    """Lines of the alliance boxes (both panes alike, so that the maps line up): the longer box's
    (with the latest review's line, in a run that holds reviews), within :data:`ALLIANCE_ROWS`."""
    longest = max([len(alliance_entries(p)) for p in comparison.running] + [0])
    low, high = ALLIANCE_ROWS
    return min(max(longest, low), high)


def alliance_entries(pane, fit: int | None = None) -> list[tuple[str, str]]:
    """A pane's alliance box, ``(words, kind)`` per line: how it formed
    (:meth:`viz.alliance.Formation.entries`) and, after the headline, the latest review (kind
    ``review``) in a run that holds reviews (the page shows the one of the step on view)."""
    found = pane.formation.entries(fit if fit is None else fit - 1 if _reviewed(pane) else fit)
    if _reviewed(pane):
        found = [found[0], (pane.records[-1].review[0], "review"), *found[1:]]
    return found


def _reviewed(pane) -> bool:
    return bool(pane.records and pane.records[0].review)


def _scene(comparison):
    running = comparison.running
    return make_scene(running[0].records[0].network) if running else None


@solara.component
def PaneView(comparison, side: int, step: int, scene, scene_json: str, rows: int = 5):
    """One structure at the step on view: its network, how it formed, its latest review, its
    summary and its log."""
    pane = comparison.panes[side]
    alliance_json = solara.use_memo(
        lambda: as_json([list(entry) for entry in pane.formation.entries(
            rows - 1 if _reviewed(pane) else rows)]) if pane.model is not None else "[]",
        [pane, rows])
    sent = solara.use_ref((None, 0))  # (comparison, log entries sent)
    resyncs = solara.use_reactive(0)
    resyncs.value  # noqa: B018  (a request for every entry renders again)

    def resync(_generation: str) -> None:
        sent.current = (None, 0)
        resyncs.set(resyncs.value + 1)

    with solara.Div(classes=["deterrence-pane", f"deterrence-pane-{side}"]):
        if pane.model is None:
            solara.Error(f"{comparison.labels[side]}: {pane.error or comparison.error}",
                         classes=["deterrence-error"])
            return
        record = pane.records[step]
        summary = record.summary
        if comparison.steps == 0:
            summary = "step 0: as formed"
        standing = record.network.title.split(" · ")[2:]  # after the structure and the step
        shown = {**draw_frame(record.network, scene),
                 "heading": " · ".join([comparison.labels[side], *standing]),
                 "colour": comparison.colours[side], "summary": summary,
                 "review": list(record.review)}
        NetworkMap(scene_json=scene_json, frame_json=as_json(shown), pane=f"p{side}",
                   alliance_json=alliance_json, alliance_height=rows * ALLIANCE_LINE)
        log = pane.log
        before, count = sent.current
        start = max(0, min(count - LOG_SLACK, len(log))) if before is comparison else 0
        sent.current = (comparison, len(log))
        LogView(rows_json=as_json({"from": start, "rows": [e.row() for e in log[start:]]}),
                generation=f"{comparison.serial}:{side}", count=record.entries, on_resync=resync)


LOG_SLACK = 8
"""Log entries sent again with each step's new ones, in case the browser missed a change."""


SLACK = 32
"""Rows sent again with each step's new ones, in case the browser missed a change."""


@solara.component
def Charts(comparison, step: int):
    """Both runs' series on shared axes, with a marker at the step on view.

    Each render sends the rows added since the previous one (and :data:`SLACK` before them); the
    browser adds those it lacks, and asks for all of them again if it ever lacks earlier ones.
    """
    running = comparison.running
    labels = [label for label, p in zip(comparison.labels, comparison.panes, strict=True)
              if p.model is not None]
    colours = [colour for colour, p in zip(comparison.colours, comparison.panes, strict=True)
               if p.model is not None]
    spec = solara.use_memo(lambda: as_json(chart_spec(labels, colours=colours)),
                           [tuple(labels), tuple(colours)])
    sent = solara.use_ref((None, 0))  # (comparison, rows sent)
    resyncs = solara.use_reactive(0)
    resyncs.value  # noqa: B018  (a request for every row renders again)

    def resync(_name: str) -> None:
        sent.current = (None, 0)
        resyncs.set(resyncs.value + 1)

    with solara.Div(classes=["deterrence-charts"]):
        if not running:
            solara.Error(comparison.error or "no run to chart")
            return
        rows = comparison.chart_rows()
        before, count = sent.current
        start = max(0, min(count - SLACK, len(rows))) if before is comparison else 0
        sent.current = (comparison, len(rows))
        datasets = as_json({"series": {"from": start, "rows": rows[start:]},
                            "cursor": cursor_rows(step), "extent": extent_rows(comparison.steps)})
        VegaChart(spec_json=spec, datasets_json=datasets, growing=("series",),
                  generation=str(comparison.serial), token=f"{comparison.steps}:{step}",
                  on_resync=resync)
