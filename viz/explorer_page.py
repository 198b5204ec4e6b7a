"""The results explorer page: pick a stored experiment, read its charts, open any design point.

It lists the experiments under the results folder (``python run.py viz --results DIR``, default
``results/``), shows the chosen one's phase diagrams (two-factor designs) and headline metrics as
interactive charts, and a table of its design points. A click on a phase-diagram cell or a table row
replays that design point's stored runs -- one replicate, both structures -- in the side-by-side
view (:func:`viz.session.open_replay`). Nothing here runs a sweep.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
import solara

from analysis.labels import metric_label, structure_label
from model.structure import COMPARED

from . import explorer
from . import session as state
from .replay import ReplayError, replay
from .widgets import VegaChart, as_json

CSS = """
.explorer-page { height: calc(100vh - 64px); display: flex; flex-direction: row; overflow: hidden; }
.explorer-side { width: 300px; min-width: 300px; height: 100%; overflow-y: auto; padding: 8px 10px;
                 border-right: 1px solid #e0e0e0; background: #fafafa; }
.explorer-main { flex: 1 1 auto; min-width: 0; height: calc(100% - 38px); overflow-y: auto;
                 padding: 6px 14px 12px 14px; }  /* it scrolls; Solara's badge sits in the strip below */
.explorer-main h3 { margin: 10px 0 4px 0; font-size: 15px; }
.explorer-caption { font-size: 12.5px; color: #444; }
.explorer-points td, .explorer-points th { font-size: 12px; }
.explorer-main h2 { margin: 4px 0; font-size: 20px; font-weight: 500; }
.explorer-experiments .v-btn { text-transform: none; justify-content: flex-start; }
"""


def _root() -> Path:
    from .controls import settings_from_environment

    return Path(settings_from_environment().results)


@solara.component
def Page():
    """The results explorer."""
    # One component: Solara's hooks (use_reactive, use_memo) must be called in the same order on every
    # render, so the page's state is declared here and its parts are drawn by the helpers below.
    router = solara.use_router()
    root = _root()
    entries = solara.use_memo(lambda: explorer.listing(root), [str(root)])
    names = [e.name for e in entries]
    chosen = solara.use_reactive(names[0] if names else None)
    replicate = solara.use_reactive(0)
    left = solara.use_reactive(COMPARED[0])
    right = solara.use_reactive(COMPARED[1])
    problem = solara.use_reactive("")
    entry = next((e for e in entries if e.name == chosen.value), None)
    results = entry.results if entry else None
    structures = results.structures if results is not None else []

    def open_point(scenario: str, point: int, pair: tuple[str, str]) -> None:
        try:
            found = replay(results, scenario, int(point), int(replicate.value), pair)
        except ReplayError as error:
            problem.set(str(error))
            return
        problem.set("")
        state.open_replay(found)
        router.push("/")

    solara.Style(CSS)
    with solara.Div(classes=["explorer-page"]):
        with solara.Div(classes=["explorer-side"]):
            with solara.Card("Experiments", margin=0):
                solara.Text(f"results folder: {root}", style={"font-size": "12px"})
                if not entries:
                    solara.Text("no results yet: run 'python run.py sweep' first",
                                classes=["explorer-empty"])
                else:
                    solara.ToggleButtonsSingle(value=chosen, values=names, dense=True,
                                               classes=["explorer-experiments"],
                                               style={"flex-direction": "column",
                                                      "align-items": "stretch", "width": "100%"})
            if results is not None:
                with solara.Card("Open a design point", margin=0, style={"margin-top": "8px"}):
                    solara.Text("Click a phase-diagram cell or a row of the table to replay its "
                                "stored runs side by side.", style={"font-size": "12px"})
                    solara.SliderInt("replicate", value=replicate, min=0,
                                     max=max(results.replicates - 1, 0))
                    solara.Text(f"replicate {replicate.value} (of 0–{results.replicates - 1}): "
                                "its seed is replayed", style={"font-size": "12px"},
                                classes=["explorer-replicate"])
                    if len(structures) > 2:
                        named = {structure_label(s): s for s in structures}
                        for words, side in (("left pane", left), ("right pane", right)):
                            solara.Select(words, value=structure_label(side.value),
                                          values=list(named),
                                          on_value=lambda label, side=side: side.set(named[label]))
        with solara.Div(classes=["explorer-main"]):
            if problem.value:
                solara.Error(problem.value, classes=["explorer-problem"])
            if entry is None:
                solara.Text("No experiment to show: 'python run.py sweep' makes one.")
            elif results is None:
                solara.Error(f"{entry.name}: {entry.problem}")
            else:
                pair = _pair(structures, left.value, right.value)
                Experiment(results, pair, open_point)


def _pair(structures: list[str], left: str, right: str) -> tuple[str, str]:
    """The structures a table row opens: the chosen ones if present, else the first two."""
    if left in structures and right in structures and left != right:
        return left, right
    return (structures + structures)[0], (structures + structures)[1]


@solara.component
def Experiment(results, pair: tuple[str, str], open_point):
    """One experiment: its caption, phase diagrams, headline chart and design points."""
    axes = explorer.phase_axes(results)
    phase = solara.use_memo(
        lambda: as_json(explorer.phase_spec(results, *axes, explorer.phase_cells(results, *axes)))
        if axes else None, [results.folder, axes])
    headline = solara.use_memo(
        lambda: as_json(explorer.headline_spec(results, explorer.headline(results))),
        [results.folder])
    points = solara.use_memo(lambda: explorer.point_table(results), [results.folder])

    def click_cell(datum: dict) -> None:
        if "point" in datum and "scenario" in datum:
            open_point(datum["scenario"], datum["point"], COMPARED)

    solara.HTML(tag="h2", unsafe_innerHTML=escape(f"{results.name} ({results.folder.name})"))
    solara.Text(explorer.describe(results), classes=["explorer-caption"])
    if phase is not None:
        heading(f"Phase diagrams: Δ {structure_label(COMPARED[1])} − {structure_label(COMPARED[0])} "
                "(paired; * = 95 % interval excludes 0; hover a cell for its numbers, click it to "
                "replay it)")
        VegaChart(spec_json=phase, on_click=click_cell, renderer="svg", token="phase")
    heading("Headline metrics by structure (mean and 95 % interval"
            + (", pooled over the design points)" if results.design.get("points", 1) > 1 else ")"))
    VegaChart(spec_json=headline, renderer="svg", token="headline")
    heading(f"Design points (a row opens {structure_label(pair[0])} and {structure_label(pair[1])})")
    PointTable(points, lambda row: open_point(row["scenario"], row["point"], pair))


def heading(text: str) -> None:
    solara.HTML(tag="h3", unsafe_innerHTML=escape(text))


def column_title(column: str) -> str:
    """A table column's title: ``stable · hub_and_spoke`` reads ``stable · hub-and-spoke``."""
    if " · " not in column:
        return column
    metric, structure = column.split(" · ", 1)
    return f"{metric_label(metric, False)} · {structure_label(structure)}"


@solara.component
def PointTable(table: pd.DataFrame, on_row):
    """The design points; a click on a row opens it."""
    v = solara.v
    headers = [{"text": column_title(c), "value": c} for c in table.columns]
    items = [{k: (round(v_, 4) if isinstance(v_, float) else v_) for k, v_ in row.items()}
             for row in table.to_dict("records")]
    data_table = v.DataTable(headers=headers, items=items, dense=True, hide_default_footer=True,
                             items_per_page=-1, class_="explorer-points", style_="cursor: pointer")
    v.use_event(data_table, "click:row", lambda _widget, _event, row: on_row(row))
    return data_table
