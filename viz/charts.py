"""Charts of the per-step series, one line per structure: how each one holds or breaks over time.

:func:`chart_frame` derives the plotted quantities from :meth:`DeterrenceModel.series` (docs/ODD.md,
Observation). :func:`chart_spec` is the Vega-Lite chart (built with Altair) of ten panels with
legends of its own, drawn once; :func:`chart_rows` gives its data, which is all that changes from
step to step. A vertical line marks the step on view (:func:`cursor_rows`), so looking back shows
where that step sits in the runs. Everything here works without a browser.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

ROLLING_WINDOW = 20
"""Steps in the rolling deterrence rate."""

COLUMNS = ("aggressions", "wars", "deterrence_rate", "reliability", "entrapments", "abandonments",
           "buck_passes", "ties_ended", "coverage", "needed", "mean_grievance", "pressure",
           "power_share", "wars_under_way", "deterrence_rate_starts", "reliability_starts")
DOTTED = ("deterrence_rate", "reliability")
"""Quantities that can be undefined: where their line starts (after a gap), ``NAME_starts`` holds
the value and the chart draws a dot, for a line of one point is not drawn at all."""

PANELS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("aggressions, wars: cumulative", ("aggressions", "wars"), "count"),
    (f"deterrence rate, {ROLLING_WINDOW}-step rolling", ("deterrence_rate",), "share"),
    ("reliability (honoured ÷ invoked)", ("reliability",), "share"),
    ("entrapments, abandonments: cum.", ("entrapments", "abandonments"), "count"),
    ("buck-passes, ties ended: cum.", ("buck_passes", "ties_ended"), "count"),
    ("coverage: members bound", ("coverage", "needed"), "share"),
    ("mean grievance", ("mean_grievance",), "grievance"),
    ("peacetime pressure per step", ("pressure",), "grievance"),
    ("challengers' share of power", ("power_share",), "share"),
    ("wars under way", ("wars_under_way",), "count"),
)
"""(title, columns (first solid, second dashed), y-axis title) of each panel."""
NAMES = {"aggressions": "aggressions", "wars": "wars", "entrapments": "entrapments",
         "abandonments": "abandonments", "buck_passes": "buck-passes", "ties_ended": "ties ended",
         "coverage": "coverage", "needed": "needed to form"}
"""The words for each quantity of a panel with two, in its legend of line styles."""
HEADROOM = 1.3
"""The top of a share's axis in a panel with two quantities (coverage): above 1, room for its legend
of line styles, which no line can reach."""
DASHES = ([1, 0], [5, 3])
"""The line style of a panel's first and second quantity: solid, dashed."""
COLUMNS_PER_ROW = 5
PADDING = 5
"""Pixels kept between a panel's frame and the ends of its y axis' domain."""

SERIES_USED = ("opportunities", "deterred", "aggressions_probe", "aggressions_limited",
               "aggressions_major", "wars", "invoked_bilateral", "invoked_minilateral",
               "invoked_collective", "honoured_bilateral", "honoured_minilateral",
               "honoured_collective", "entrapments", "abandonments", "buck_passes", "ties_ended",
               "coverage", "mean_grievance", "peacetime_grievance", "challenger_power_share",
               "wars_under_way")
"""The per-step series (:meth:`DeterrenceModel.series`) the charts are made from."""

COLOURS = ("#1f77b4", "#e36c0a", "#2ca02c", "#9467bd")
"""One colour per run (left pane, right pane)."""


def chart_frame(series: pd.DataFrame, window: int = ROLLING_WINDOW,
                needed: float = math.nan, ended: Sequence[float] | None = None) -> pd.DataFrame:
    """The charted quantities per step, from a model's per-step series.

    * ``aggressions``, ``wars``, ``entrapments``, ``abandonments``, ``buck_passes`` (obliged
      states that stayed out while another defender fought), ``ties_ended``: cumulative counts
      (``ended``: the ties ended at each step of the series, if given, else the series' own
      ``ties_ended``);
    * ``deterrence_rate``: deterred challenges ÷ crisis opportunities over the last ``window``
      steps (NaN while the window holds no opportunity);
    * ``reliability``: obligations honoured ÷ obligations invoked so far (NaN before the first);
    * ``coverage``: the share of the prospective members bound (the model's yardstick of formation);
      ``needed``: the share that must be bound for the structure to count as formed (the run's
      ``needed``, constant); ``mean_grievance``: mean over states;
      ``pressure``: the grievance the step's peacetime costs added, summed over members (autonomy
      cost and the challengers' wedge); ``power_share``: the challengers' share of all power (as
      the power trends move it); ``wars_under_way``: the wars still being fought after the step;
    * ``deterrence_rate_starts``, ``reliability_starts``: the value where its line starts (the
      first defined value after an undefined one), else undefined: the chart's dots (a step's row
      depends on the steps up to it only, so rows already sent stay right).
    """
    if series.empty:
        return pd.DataFrame(columns=list(COLUMNS), dtype=float)

    values = series[list(SERIES_USED)].to_numpy(dtype=float)  # one conversion: pandas is slow
    where = {name: k for k, name in enumerate(SERIES_USED)}  # per column

    def total(*columns: str) -> np.ndarray:
        return sum(values[:, where[c]] for c in columns)

    def rolling(values: np.ndarray) -> np.ndarray:
        summed = np.cumsum(values)
        summed[window:] -= summed[:-window].copy()
        return summed

    aggressions = total("aggressions_probe", "aggressions_limited", "aggressions_major")
    invoked = np.cumsum(total("invoked_bilateral", "invoked_minilateral", "invoked_collective"))
    honoured = np.cumsum(total("honoured_bilateral", "honoured_minilateral", "honoured_collective"))
    opportunities = rolling(total("opportunities"))
    deterred = rolling(total("deterred"))
    with np.errstate(invalid="ignore", divide="ignore"):
        frame = {
            "aggressions": np.cumsum(aggressions),
            "wars": np.cumsum(total("wars")),
            "deterrence_rate": np.where(opportunities > 0, deterred / opportunities, np.nan),
            "reliability": np.where(invoked > 0, honoured / invoked, np.nan),
            "entrapments": np.cumsum(total("entrapments")),
            "abandonments": np.cumsum(total("abandonments")),
            "buck_passes": np.cumsum(total("buck_passes")),
            "ties_ended": np.cumsum(total("ties_ended") if ended is None
                                    else np.asarray(ended, dtype=float)[:len(values)]),
            "coverage": total("coverage"),
            "needed": np.full(len(values), needed, dtype=float),
            "mean_grievance": total("mean_grievance"),
            "pressure": total("peacetime_grievance"),
            "power_share": total("challenger_power_share"),
            "wars_under_way": total("wars_under_way"),
        }
    for name in DOTTED:
        values = frame[name]
        before = np.concatenate(([np.nan], values[:-1]))
        frame[f"{name}_starts"] = np.where(np.isnan(before), values, np.nan)
    return pd.DataFrame(frame, index=series.index)


def chart_rows(frames: Sequence[tuple[str, pd.DataFrame]], start: int = 0) -> list[dict]:
    """The chart's data: one row per run and step after ``start`` (``run``, ``step`` and every
    column of :func:`chart_frame`); undefined values become ``None`` (a gap in the line)."""
    rows = []
    for label, frame in frames:
        steps = frame.index.to_numpy()
        values = frame.to_numpy(dtype=float)  # chart_frame's columns are COLUMNS, in order
        for k in np.flatnonzero(steps > start):
            row = {"run": label, "step": int(steps[k])}
            for column, value in zip(COLUMNS, values[k].tolist(), strict=True):
                row[column] = None if math.isnan(value) else round(value, 6)
            rows.append(row)
    return rows


def cursor_rows(step: int) -> list[dict]:
    """The marker of the step on view."""
    return [{"step": int(step)}]


def extent_rows(steps: int, least: int = 10) -> list[dict]:
    """The span of the step axis: the steps run so far rounded up (to 5, 25, 250, 2500 ... by
    their number of digits), and at least ``least``.

    Rounding keeps the axis fixed for many steps in a row, and while the axis does not change the
    browser draws only a step's new points, not the whole run again.
    """
    steps = int(steps)
    chunk = max(5, 10 ** (len(str(steps)) - 1) // 4)
    return [{"step": 0}, {"step": max(-(-steps // chunk) * chunk, least)}]


WHOLE_TICKS = "datum.value % 1 !== 0"
"""A tick between whole numbers, which an axis that counts things hides."""


def _whole(axis: dict) -> dict:
    """An axis of whole numbers: Vega's ``tickMinStep`` still puts ticks at halves when the domain
    spans 1 or 2 (then labelled ``0, 1, 1`` or ``0, 0, 1, 2, 2``), so those ticks, their grid lines
    and their labels are hidden."""
    hidden = {"condition": {"test": WHOLE_TICKS, "value": 0}, "value": 1}
    return {**axis, "tickMinStep": 1, "format": "d", "labelExpr": f"{WHOLE_TICKS} ? '' : datum.label",
            "tickOpacity": hidden, "gridOpacity": hidden}


def chart_spec(labels: Sequence[str], width: int = 160, height: int = 70,
               colours: Sequence[str] | None = None) -> dict:
    """The panels (:data:`PANELS`) as a Vega-Lite spec, one colour per run label (``colours``,
    default :data:`COLOURS`), with legends of its own: the runs' colours above the panels, and in each
    panel with two quantities which is solid and which dashed (:data:`NAMES`).

    The data come by name (``series``, ``cursor`` and ``extent``), so the page sends new rows
    without rebuilding the chart. Each line is a layer of its own, reading its column directly (a
    fold transform would redo every row at every step).
    """
    # One function: a single Vega-Lite specification, built as the chart reads it (legends, then a
    # panel per quantity, then the cursor); splitting it would scatter one spec over several places.
    palette = list(colours) if colours is not None else list(COLOURS[:len(labels)])
    scale_colours = alt.Scale(domain=list(labels), range=palette[:len(labels)])
    runs = alt.Legend(title=None, orient="top", direction="horizontal", labelFontSize=12,
                      symbolType="stroke", symbolStrokeWidth=3, symbolSize=300, labelLimit=400,
                      offset=4, padding=0)
    panels = []
    for title, columns, unit in PANELS:
        # a few pixels' padding, so that a line at the axis's end stays clear of the frame
        if unit == "share" and len(columns) > 1:  # room above 1 for the legend of line styles
            scale = alt.Scale(domain=[0, HEADROOM], padding=PADDING)
        elif unit == "share":
            scale = alt.Scale(domain=[0, 1], padding=PADDING)
        else:
            scale = alt.Scale(zero=True, nice=True, padding=PADDING)
        whole = unit == "count"  # whole numbers: no ticks between them
        x = alt.X("step:Q", title=None, axis=alt.Axis(tickMinStep=1, labelFontSize=10),
                  scale=alt.Scale(zero=True, nice=False))
        # labels flush with the plot's ends: none sticks out above it and shifts the panel's title
        base = {"tickCount": 4, "labelFontSize": 10, "titleFontSize": 10, "labelFlush": True}
        if unit == "share" and len(columns) > 1:
            base = {**base, "values": [0, 0.25, 0.5, 0.75, 1]}
        axis = alt.Axis(**(_whole(base) if whole else base))
        names = [NAMES.get(c, c) for c in columns]
        styles = alt.Scale(domain=names, range=[list(d) for d in DASHES[:len(names)]])
        kinds = alt.Legend(title=None, orient="top-left", direction="horizontal", labelFontSize=10,
                           symbolType="stroke", symbolSize=180, symbolStrokeColor="#555555",
                           symbolStrokeWidth=1.6, fillColor="#ffffffd9", padding=2, offset=3,
                           rowPadding=0, columnPadding=8)

        def style(k: int, j: int, names=names, styles=styles, kinds=kinds) -> dict:
            if len(names) < 2:
                return {}
            return {"strokeDash": alt.StrokeDash(datum=names[j], scale=styles,
                                                 legend=kinds if k == j == 0 else None)}

        # the first run wider and underneath, so that equal series stay visible; in each panel the
        # first quantity solid, the second dashed
        lines = [
            alt.Chart(alt.NamedData("series"))
            .transform_filter(alt.datum.run == label)
            .mark_line(strokeWidth=1.6 + 1.6 * (len(labels) - 1 - k), clip=unit != "share",
                       strokeDash=list(DASHES[j]))
            .encode(x=x, y=alt.Y(f"{column}:Q", title=unit, scale=scale, axis=axis),
                    color=alt.Color(datum=label, scale=scale_colours,
                                    legend=runs if (not panels and k == 0 and j == 0) else None),
                    **style(k, j))
            for k, label in enumerate(labels) for j, column in enumerate(columns)
        ]
        # a dot where a line starts, so that a line's first point shows before the second comes
        dots = [
            alt.Chart(alt.NamedData("series"))
            .transform_filter(alt.datum.run == label)
            .mark_point(filled=True, size=14, opacity=1, clip=False)
            .encode(x=x, y=alt.Y(f"{column}_starts:Q", title=unit, scale=scale, axis=axis),
                    color=alt.Color(datum=label, scale=scale_colours, legend=None))
            for label in labels for column in columns if column in DOTTED
        ]
        cursor = alt.Chart(alt.NamedData("cursor")).mark_rule(color="#777777", strokeDash=[2, 2]).encode(
            x="step:Q")
        extent = alt.Chart(alt.NamedData("extent")).mark_point(opacity=0).encode(x="step:Q")
        panels.append(alt.layer(*lines, *dots, cursor, extent).properties(
            width=width, height=height,
            title=alt.TitleParams(title, fontSize=11, fontWeight="normal", anchor="start",
                                  frame="group")))
    # one grid, so that the panels of both rows line up whatever their axes' labels
    chart = alt.concat(*panels, columns=COLUMNS_PER_ROW, spacing={"column": 68, "row": 42},
                       bounds="flush")  # plot areas aligned; the spacing leaves room for axes and titles
    chart = chart.resolve_scale(strokeDash="independent").resolve_legend(strokeDash="independent")
    spec = chart.configure_view(stroke="#dddddd").configure_axis(
        grid=True, gridColor="#eeeeee").to_dict(validate=False)
    spec["autosize"] = {"type": "pad", "resize": True}  # axes grow with the data: re-measure
    return spec
