"""The SolaraViz page: two network panes side by side, the charts below, controls in the sidebar.

``make_page(settings)`` returns the Mesa ``SolaraViz`` element that ``app.py`` exposes as ``page``.
The panes and charts are plain functions of the :class:`~viz.comparison.Comparison` model (Mesa
re-renders them after every step); the drawing itself lives in :mod:`viz.network`,
:mod:`viz.charts` and :mod:`viz.crisis_log`, which need no browser.
"""

from __future__ import annotations

import io

import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization import solara_viz as mesa_solara_viz
from solara.alias import rw

from model.parameters import uncertainties

from .charts import draw_charts
from .comparison import Comparison
from .controls import Settings, model_params, scenario_values
from .crisis_log import log_lines, step_summary
from .network import draw_network

TITLE = "Alliance deterrence: hub-and-spoke vs collective obligation"

def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def image(figure: Figure, css_class: str):
    """The figure as a PNG image: its own size, shrunk to scale where the tile is narrower."""
    return rw.Image(value=png(figure), format="png", _dom_classes=["solara-image", css_class],
                    layout={"max_width": "100%", "height": "auto", "width": "auto"})


def run_labels(model: Comparison) -> list[str]:
    """Labels of the panes' runs: their structures, with (left)/(right) if they are the same."""
    names = [p.structure for p in model.panes]
    if len(set(names)) < len(names):
        return [f"{name} ({side})" for name, side in zip(names, ("left", "right"), strict=False)]
    return names


def pane(model: Comparison, side: int):
    """One structure: its network with this step's crises, and its crisis log."""
    current = model.panes[side]
    with solara.Column(classes=["deterrence-pane"], gap="4px",
                       style={"padding": "4px 8px"}) as column:
        if model.error is not None or current.model is None:
            solara.Error(f"{current.structure}: {current.error or model.error}",
                         classes=["deterrence-error"])
            return column
        image(draw_network(current.model), "deterrence-network")
        solara.Text(step_summary(current.model), classes=["deterrence-summary"],
                    style={"font-weight": "bold", "font-size": "13px"})
        lines = log_lines(current.model)
        with solara.Column(classes=["deterrence-log"], gap="0px",
                           style={"font-size": "12px", "line-height": "1.35", "max-height": "170px",
                                  "overflow-y": "auto"}):
            if not lines:
                solara.Text("crisis log: no crisis yet", style={"color": "#777"})
            for line in lines:
                solara.Text(line, classes=["deterrence-log-line"])
    return column


def left_pane(model: Comparison):
    return pane(model, 0)


def right_pane(model: Comparison):
    return pane(model, 1)


def charts(model: Comparison):
    """Both runs' series on shared axes."""
    # the bottom margin keeps Solara's corner badge off the charts
    with solara.Column(classes=["deterrence-charts"],
                       style={"padding": "4px 8px", "margin-bottom": "40px"}) as column:
        runs = list(zip(run_labels(model), [p.model for p in model.panes], strict=True))
        runs = [(label, m) for label, m in runs if m is not None]
        if not runs:
            solara.Error(model.error or "no run to chart")
            return column
        image(draw_charts(runs), "deterrence-chart")
    return column


def grid_layout(count: int) -> list[dict]:
    """Initial tiles of the main panel: the two panes side by side, the charts below at full width.

    Mesa 3.5's ``SolaraViz`` gives every component a 6x10 tile (about 390 px high); the panes need
    more room. Tiles can still be dragged and resized in the page.
    """
    if count != 3:
        return _MESA_GRID_LAYOUT(count)
    return [
        {"i": 0, "x": 0, "y": 0, "w": 6, "h": 20, "moved": False},
        {"i": 1, "x": 6, "y": 0, "w": 6, "h": 20, "moved": False},
        {"i": 2, "x": 0, "y": 20, "w": 12, "h": 14, "moved": False},
    ]


_MESA_GRID_LAYOUT = mesa_solara_viz.make_initial_grid_layout


def make_page(settings: Settings | None = None):
    """The ``SolaraViz`` page for ``settings`` (default: asia, hub_and_spoke vs collective, seed 1)."""
    from scenarios import available, load

    settings = settings or Settings()
    start = scenario_values(load(settings.scenario))
    params = model_params(settings, available(), start)
    values = {p.name: params[p.name]["value"] for p in uncertainties()}
    model = Comparison(settings.scenario, *settings.structures, seed=settings.seed,
                       scenario_marks=start, fixed=params["fixed"], **values)
    mesa_solara_viz.make_initial_grid_layout = grid_layout
    return SolaraViz(model, components=[left_pane, right_pane, charts], model_params=params,
                     name=TITLE)
