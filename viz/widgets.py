"""The page's two browser components: the network map (SVG) and a Vega-Lite chart.

Both are Vue templates run by Solara (``solara.component_vue``): Python sends data, the browser
draws. The map's static part (:meth:`viz.drawing.Scene.as_props`) is sent once per scenario and
each step sends only its frame; a chart's spec is compiled once and each step sends its rows.

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
def NetworkMap(scene_json: str, frame_json: str, pane: str, alliance_json: str = "[]"):
    """One pane at one step: its heading, its network on the scenario's map, how its alliance
    formed, the step's summary and the log. ``frame_json``: :func:`viz.drawing.frame` with
    ``heading``, ``colour`` (the run's colour in the charts), ``summary`` and ``log`` (``[words,
    kind]`` pairs), as JSON; ``scene_json``: :meth:`viz.drawing.Scene.as_props` as JSON, sent
    once per scenario; ``alliance_json``: the alliance box's lines (:meth:`viz.alliance.Formation.lines`),
    sent once per run."""


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
