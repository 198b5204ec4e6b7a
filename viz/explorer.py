"""The results explorer's data: stored experiments as interactive charts (no browser, no model).

It reads results folders through :mod:`analysis.results` and their statistics through
:mod:`analysis.statistics` and :mod:`analysis.phase` -- the numbers are those of the figures and
tables ``python run.py figures`` writes -- and never runs a sweep.

* :func:`listing` -- the experiments under a results folder;
* :func:`phase_spec` -- a two-factor full-factorial design's phase diagrams: the paired difference
  collective − hub-and-spoke per cell, the cell's numbers and 95 % interval on hover, a click
  opens the cell;
* :func:`headline_spec` -- every headline metric per structure, mean and 95 % interval;
* :func:`point_table` -- one row per scenario and design point, with its factors and means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from analysis import labels
from analysis.phase import PHASE_METRICS, phase_table
from analysis.results import Results, ResultsError, folders, load
from analysis.statistics import summary
from model.structure import COMPARED

LOWER_IS_BETTER = ("entrapments", "exits", "wars", "sq_loss_value", "abandonments", "dissolved")
PHASE_PAIR = (COMPARED[1], COMPARED[0])
"""(a, b) of the phase diagrams' Δ(a − b): collective − hub-and-spoke."""


@dataclass(frozen=True)
class Entry:
    """One results folder: its name, and its experiment or why it cannot be read."""

    name: str
    path: Path
    results: Results | None
    problem: str | None = None


def listing(root: str | Path) -> list[Entry]:
    """Every results folder directly under ``root``; sensitivity studies are left out (their
    report is the indices, not a comparison of design points)."""
    from analysis.sensitivity import is_study

    entries = []
    for folder in folders(root):
        if is_study(folder):
            continue
        try:
            entries.append(Entry(folder.name, folder, load(folder)))
        except ResultsError as problem:
            entries.append(Entry(folder.name, folder, None, str(problem)))
    return entries


def describe(results: Results) -> str:
    """One paragraph: what the experiment is and how complete its table is."""
    description = str(results.design.get("description") or "")
    return " ".join(part for part in (description, results.caption()) if part)


def phase_axes(results: Results) -> tuple[str, str] | None:
    """The two factors of a full-factorial design over two numeric factors that compares
    collective with hub-and-spoke (the designs that get phase diagrams), else ``None``."""
    design = results.design
    info = design.get("factor_info", {})
    factors = [f for f in design.get("factors", []) if f in results.runs]
    numeric = [f for f in factors if info.get(f, {}).get("kind", "real") != "categorical"]
    if (design.get("kind") == "full_factorial" and len(numeric) == 2 and len(factors) == 2
            and all(s in results.structures for s in PHASE_PAIR)):
        return numeric[0], numeric[1]
    return None


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def phase_cells(results: Results, x: str, y: str) -> pd.DataFrame:
    """:func:`analysis.phase.phase_table` per scenario, with each cell's design point."""
    runs = results.runs
    a, b = PHASE_PAIR
    parts = []
    for scenario in results.scenarios:
        part = runs[runs["scenario"] == scenario]
        table = phase_table(part, x, y, PHASE_METRICS, a=a, b=b)
        points = part.groupby([x, y])["point"].first().rename("point").reset_index()
        parts.append(table.merge(points, on=[x, y]).assign(scenario=scenario))
    return pd.concat(parts, ignore_index=True)


def phase_spec(results: Results, x: str, y: str, cells: pd.DataFrame, size: int = 190) -> dict:
    """The phase diagrams as one Vega-Lite spec: one heatmap per metric of
    :data:`analysis.phase.PHASE_METRICS` (and per scenario), Δ collective − hub-and-spoke in
    colour (blue: collective better), ``*`` where the 95 % interval excludes 0."""
    a, b = PHASE_PAIR
    info = results.design.get("factor_info", {})
    rows = []
    for record in cells.to_dict("records"):
        row = {k: _plain(v) for k, v in record.items()}
        row["x"], row["y"] = f"{record[x]:g}", f"{record[y]:g}"
        row["interval"] = (f"[{record['low']:+.3f}, {record['high']:+.3f}]"
                           if not math.isnan(record["low"]) else "undetermined")
        row["mark"] = "*" if record["clear"] else ""
        row["label"] = labels.metric_label(record["metric"], False)
        rows.append(row)
    charts = []
    for scenario in results.scenarios:
        for metric in PHASE_METRICS:
            part = [r for r in rows if r["metric"] == metric and r["scenario"] == scenario]
            limit = max([abs(r["delta"]) for r in part if r["delta"] is not None] + [0.0]) or 1.0
            base = alt.Chart(alt.Data(values=part)).encode(
                x=alt.X("x:O", title=labels.factor_label(x, info.get(x)), sort=None,
                        axis=alt.Axis(labelAngle=0)),
                y=alt.Y("y:O", title=labels.factor_label(y, info.get(y)), sort="descending"))
            heat = base.mark_rect(cursor="pointer", stroke="#ffffff", strokeWidth=1).encode(
                color=alt.Color("delta:Q", title=None, scale=alt.Scale(
                    scheme="redblue", domain=[-limit, limit], domainMid=0,
                    reverse=metric in LOWER_IS_BETTER),
                    legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=size,
                                      format="+.2g", labelFontSize=10)),
                tooltip=[
                    alt.Tooltip("label:N", title="metric"),
                    alt.Tooltip(f"{x}:Q", title=x), alt.Tooltip(f"{y}:Q", title=y),
                    alt.Tooltip(f"mean_{a}:Q", title=labels.structure_label(a), format=".3f"),
                    alt.Tooltip(f"mean_{b}:Q", title=labels.structure_label(b), format=".3f"),
                    alt.Tooltip("delta:Q", title="Δ (paired)", format="+.3f"),
                    alt.Tooltip("interval:N", title="95 % interval"),
                    alt.Tooltip("n:Q", title="pairs"),
                    alt.Tooltip("point:Q", title="design point"),
                ])
            ink = alt.condition(f"abs(datum.delta) > {0.55 * limit!r}", alt.value("#ffffff"),
                                alt.value("#222222"))  # white on the dark cells
            text = base.mark_text(fontSize=10).encode(text=alt.Text("delta:Q", format="+.2f"),
                                                      color=ink)
            star = base.mark_text(fontSize=13, dy=-9, dx=14, fontWeight="bold").encode(
                text="mark:N", color=ink)
            title = f"Δ {labels.metric_label(metric, False)}"
            if len(results.scenarios) > 1:
                title += f" · {scenario}"
            charts.append(alt.layer(heat, text, star).properties(
                width=size, height=size * 0.8, title=alt.TitleParams(title, fontSize=12)))
    chart = alt.concat(*charts, columns=len(PHASE_METRICS), spacing=18).resolve_scale(
        color="independent")
    return chart.configure_view(stroke=None).to_dict(validate=False)


def headline(results: Results) -> pd.DataFrame:
    """Mean and 95 % interval of each headline metric per structure (and scenario), pooled over
    the design points (:func:`analysis.statistics.summary`)."""
    metrics = [m for m in labels.HEADLINE_METRICS if m in results.runs]
    table = summary(results.runs, metrics, by=["scenario", "structure"])
    return table


def headline_spec(results: Results, table: pd.DataFrame, width: int = 230) -> dict:
    """Each headline metric per structure: a point at the mean and a bar for the 95 % interval."""
    rows = []
    for record in table.to_dict("records"):
        row = {k: _plain(v) for k, v in record.items()}
        row["structure_label"] = labels.structure_label(record["structure"])
        row["label"] = labels.metric_label(record["metric"], False)
        rows.append(row)
    order = [labels.structure_label(s) for s in results.structures]
    several = len(results.scenarios) > 1
    colour = alt.Color("structure_label:N", title=None, scale=alt.Scale(
        domain=order, range=[labels.COLOURS.get(s, "#555555") for s in results.structures]),
        legend=alt.Legend(orient="top", direction="horizontal") if several else None)
    charts = []
    for metric in dict.fromkeys(table["metric"]):
        part = [r for r in rows if r["metric"] == metric]
        # one scenario: a row per structure; several: a row per scenario, a colour per structure
        y = (alt.Y("scenario:N", title=None, sort=results.scenarios) if several
             else alt.Y("structure_label:N", title=None, sort=order))
        base = alt.Chart(alt.Data(values=part)).encode(
            y=y, tooltip=[alt.Tooltip("structure_label:N", title="structure"),
                          alt.Tooltip("scenario:N"),
                          alt.Tooltip("mean:Q", format=".3f"), alt.Tooltip("low:Q", format=".3f"),
                          alt.Tooltip("high:Q", format=".3f"), alt.Tooltip("n:Q", title="runs")])
        if several:
            base = base.encode(yOffset=alt.YOffset("structure_label:N", sort=order))
        interval = base.mark_rule(strokeWidth=2).encode(
            x=alt.X("low:Q", title=labels.metric_unit(metric), scale=alt.Scale(zero=False),
                    axis=alt.Axis(tickCount=5)),
            x2="high:Q", color=colour)
        point = base.mark_point(filled=True, size=60).encode(x="mean:Q", color=colour)
        rows_shown = len(results.scenarios) * len(order) if several else len(order)
        charts.append(alt.layer(interval, point).properties(
            width=width, height=(12 if several else 18) * rows_shown,
            title=alt.TitleParams(labels.metric_label(metric, False), fontSize=12)))
    chart = alt.concat(*charts, columns=3, spacing=16)
    return chart.configure_axis(labelFontSize=11).to_dict(validate=False)


def point_table(results: Results) -> pd.DataFrame:
    """One row per scenario and design point: its factors, then the mean of ``stable`` and of the
    deterrence rate per structure (:func:`analysis.statistics.summary`)."""
    runs = results.runs
    factors = [f for f in results.design.get("factors", []) if f in runs]
    metrics = [m for m in ("stable", "deterrence_rate") if m in runs]
    means = summary(runs, metrics, by=["scenario", "point", "structure"])
    wide = means.pivot_table(index=["scenario", "point"], columns=["metric", "structure"],
                             values="mean")
    wide.columns = [f"{metric} · {structure}" for metric, structure in wide.columns]
    ordered = [f"{m} · {s}" for m in metrics for s in results.structures
               if f"{m} · {s}" in wide.columns]
    keys = runs.groupby(["scenario", "point"])[factors].first() if factors else None
    table = wide[ordered]
    if keys is not None:
        table = keys.join(table)
    return table.reset_index()
