"""The page's browser components: the network map (SVG), a pane's log and a Vega-Lite chart.

Each is a Vue template run by Solara (``solara.component_vue``): Python sends data, the browser
draws. The map's static part (:meth:`viz.drawing.Scene.as_props`) is sent once per scenario and
each step sends only its frame; the log and a chart's rows grow, and each step sends the rows
added (the browser keeps the rest); a chart's spec is compiled once.

Data go as JSON text: the component framework looks through lists and dictionaries passed to a
component for nested components, which costs a walk over every row at every step; text it passes on
untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import solara

from .assets import vega_modules


def as_json(data) -> str:
    """``data`` as compact JSON text (what the components take)."""
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


@solara.component_vue("network.vue", vuetify=False)
def NetworkMap(scene_json: str, frame_json: str, pane: str, alliance_json: str = "[]",
               alliance_height: float = 72.5):
    """One pane at one step: its heading, its network on the scenario's map and how its alliance
    formed. ``frame_json``: :func:`viz.drawing.frame` with ``heading``, ``colour`` (the run's
    colour in the charts), ``summary`` and ``review`` (the latest review's line, then its
    judgements: :func:`viz.reviews.latest_line`), as JSON; ``scene_json``:
    :meth:`viz.drawing.Scene.as_props` as JSON, sent once per scenario; ``alliance_json``: the
    alliance box's ``[words, kind]`` lines (:meth:`viz.alliance.Formation.entries`), sent once per
    run; ``alliance_height``: the box's height in pixels (it scrolls beyond)."""


@solara.component_vue("log.vue", vuetify=False)
def _Log(rows_json: str, generation: str, count: int, event_resync: Callable[[str], None]):
    pass


@solara.component
def LogView(rows_json: str, generation: str, count: int,
            on_resync: Callable[[str], None] | None = None):
    """A pane's whole log, newest first, with a text filter. ``rows_json``: ``{"from": k, "rows":
    [...]}`` as JSON, the log's entries (:meth:`viz.crisis_log.LogEntry.row`) from index k on --
    the browser keeps those it has and calls ``on_resync`` if it lacks earlier ones (send every row
    then); ``generation`` names the runs (a new one starts the log afresh); ``count``: the entries
    the log had at the step on view."""
    return _Log(rows_json=rows_json, generation=generation, count=count,
                event_resync=on_resync or _ignore)


@solara.component_vue("vega.vue", vuetify=False)
def _Vega(spec_json: str, datasets_json: str, growing: list, generation: str, token: str,
          modules: dict, renderer: str, clickable: bool, event_click: Callable[[dict], None],
          event_resync: Callable[[str], None]):
    pass


def _ignore(_data) -> None:
    pass


@solara.component
def VegaChart(spec_json: str, datasets_json: str = "{}", growing: tuple[str, ...] = (),
              generation: str = "", token: str = "",
              on_click: Callable[[dict], None] | None = None,
              on_resync: Callable[[str], None] | None = None, renderer: str = "canvas"):
    """A Vega-Lite chart (``spec_json``: the spec as JSON text).

    ``datasets_json`` maps dataset names to rows (JSON text); they replace the chart's named data
    without re-embedding. A dataset named in ``growing`` only grows while ``generation`` stays the
    same: it comes as ``{"from": k, "rows": [...]}``, its rows from index k on, and the browser
    adds those it lacks; if it lacks rows before k it calls ``on_resync(name)``, and the next
    ``datasets_json`` should then start from 0. The element's ``data-rendered`` attribute is
    ``token`` once the data are drawn, and ``data-rows`` the length of the first growing dataset.
    ``on_click`` receives the clicked mark's data."""
    return _Vega(spec_json=spec_json, datasets_json=datasets_json, growing=list(growing),
                 generation=generation, token=token, modules=vega_modules(), renderer=renderer,
                 clickable=on_click is not None, event_click=on_click or _ignore,
                 event_resync=on_resync or _ignore)
