"""Tables and figures of the second round's questions, from stored results (never from the model).

* formation: does a structure form, and how stable is it unconditionally and when it formed
  (:func:`viability_table`, :func:`viability_figure`; Smith 1995: the alliances that form are
  selected, so both ways of counting are shown);
* the stability verdict under every declared definition, over all runs and over the runs in which
  both compared structures formed (:func:`stability_table`);
* what each mechanism changes (:func:`variants_table`, :func:`variants_figure`): the design points of
  an experiment such as ``mechanisms``, each labelled by what it switches;
* the reliability of each kind of commitment under each structure (:func:`kinds_table`,
  :func:`kinds_figure`).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from model.observations import STABILITY  # noqa: E402
from model.parameters import BY_NAME  # noqa: E402

from . import labels  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import BASELINE, LEVEL, mean_ci, paired_differences, verdict, wilson  # noqa: E402

COMPARED = ("collective", BASELINE)
STABILITY_METRICS = [d.name for d in STABILITY]
KINDS = ("bilateral", "minilateral", "collective")


def formed_pairs(runs: pd.DataFrame, a: str = COMPARED[0], b: str = COMPARED[1]) -> pd.DataFrame:
    """The runs of ``a`` and ``b`` whose replicate formed under both (matched on scenario, design
    point and replicate, so on the seed)."""
    keys = ["scenario", "point", "replicate"]
    both = runs[runs["structure"].isin([a, b])]
    formed = both[both["formed"] == 1].groupby(keys)["structure"].nunique()
    keep = formed[formed == 2].index
    return both.set_index(keys).loc[lambda frame: frame.index.isin(keep)].reset_index()


def stability_table(runs: pd.DataFrame, a: str = COMPARED[0], b: str = COMPARED[1]) -> pd.DataFrame:
    """The verdict a − b under every stability definition, over all runs and over the runs in which
    both formed: each structure's share, the paired Δ with its 95 % interval, and the verdict."""
    rows = []
    for counting, part in (("all runs", runs), ("both formed", formed_pairs(runs, a, b))):
        for definition in STABILITY:
            name = definition.name
            row = {"runs": counting, "definition": f"{definition.label} ({name})"}
            for structure in (a, b):
                values = part.loc[part["structure"] == structure, name]
                estimate = mean_ci(values, share=True)
                row[structure] = estimate["mean"]
                row[f"n {structure}"] = estimate["n"]
            differences = paired_differences(part[part["structure"].isin([a, b])], [name],
                                             baseline=b) if len(part) else pd.DataFrame()
            if differences.empty or differences.iloc[0]["n"] == 0:
                row.update({"delta": math.nan, "low": math.nan, "high": math.nan,
                            "verdict": "undetermined"})
            else:
                d = differences.iloc[0]
                row.update({"delta": d["mean"], "low": d["low"], "high": d["high"],
                            "verdict": verdict(d["low"], d["high"], f"{a} more", f"{b} more")})
            rows.append(row)
    return pd.DataFrame.from_records(rows)


def viability_table(runs: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Per structure and cell of a two-factor grid: the share of runs in which it formed, and its
    share stable and cohesive over all runs and over the runs in which it formed (95 % Wilson
    intervals)."""
    headline = STABILITY[-1].name
    rows = []
    for (structure, xv, yv), group in runs.groupby(["structure", x, y], sort=False):
        formed = group["formed"]
        conditional = group.loc[formed == 1, headline]
        row = {"structure": structure, x: xv, y: yv, "n": len(group)}
        for name, values in (("formed", formed), (f"{headline}_all", group[headline]),
                             (f"{headline}_formed", conditional)):
            estimate = mean_ci(values, share=True)
            row[name], row[f"{name}_low"], row[f"{name}_high"] = (
                estimate["mean"], estimate["low"], estimate["high"])
        row[f"n_{headline}_formed"] = len(conditional)
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def viability_summary(runs: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per structure, over a grid's cells (``table`` from :func:`viability_table`): the share of runs
    in which it formed (95 % Wilson interval), its lowest and highest share in a cell, the cells in
    which it formed in at least half the runs, and its share stable and cohesive over all runs and
    over the runs in which it formed (95 % Wilson intervals)."""
    headline = STABILITY[-1].name
    rows = []
    for structure, group in runs.groupby("structure", sort=False):
        cells = table[table["structure"] == structure]
        row = {"structure": structure, "level": LEVEL, "runs": len(group), "cells": len(cells),
               "formed_cell_min": float(cells["formed"].min()),
               "formed_cell_max": float(cells["formed"].max()),
               "cells_formed_majority": int((cells["formed"] >= 0.5).sum())}
        formed = group["formed"] == 1
        for name, values in (("formed", group["formed"]), (f"{headline}_all", group[headline]),
                             (f"{headline}_formed", group.loc[formed, headline])):
            estimate = mean_ci(values, share=True)
            row.update({name: estimate["mean"], f"{name}_low": estimate["low"],
                        f"{name}_high": estimate["high"], f"{name}_n": estimate["n"]})
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def viability_figure(results: Results, table: pd.DataFrame, x: str, y: str) -> plt.Figure:
    """Heatmaps: per structure (rows), the share of runs in which it formed, and its share stable and
    cohesive over all runs and over the runs in which it formed (columns)."""
    headline = STABILITY[-1].name
    structures = [s for s in results.structures if s in set(table["structure"])]
    columns = [("formed", "formed (share of runs)"),
               (f"{headline}_all", "stable and cohesive, all runs"),
               (f"{headline}_formed", "stable and cohesive, runs that formed")]
    info = results.design.get("factor_info", {})
    figure, axes = plt.subplots(len(structures), len(columns), squeeze=False,
                                figsize=(4.2 * len(columns), 3.4 * len(structures)))
    xs = sorted(table[x].unique())
    ys = sorted(table[y].unique())
    for r, structure in enumerate(structures):
        part = table[table["structure"] == structure]
        for c, (column, title) in enumerate(columns):
            ax = axes[r, c]
            grid = part.pivot_table(index=y, columns=x, values=column, aggfunc="first")
            grid = grid.reindex(index=ys, columns=xs)
            image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", vmin=0.0, vmax=1.0,
                              cmap="viridis", aspect="auto")
            for i, yv in enumerate(ys):
                for j, xv in enumerate(xs):
                    value = grid.loc[yv, xv]
                    if not np.isnan(value):
                        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                                color="white" if value < 0.6 else "black")
            ax.set_xticks(range(len(xs)), [f"{v:g}" for v in xs], fontsize=7)
            ax.set_yticks(range(len(ys)), [f"{v:g}" for v in ys], fontsize=7)
            ax.set_xlabel(labels.factor_label(x, info.get(x)), fontsize=8)
            ax.set_ylabel(labels.factor_label(y, info.get(y)), fontsize=8)
            ax.set_title(f"{labels.structure_label(structure)}: {title}", fontsize=9)
            figure.colorbar(image, ax=ax, shrink=0.8).set_label("share of runs", fontsize=7)
    figure.suptitle(f"{results.name}: does the structure form, and is it stable and cohesive? "
                    "(blank: no run formed)", fontsize=11)
    figure.tight_layout()
    return figure


def point_labels(results: Results) -> dict[int, str]:
    """Words for each design point: its label if the experiment gave one, else what it sets."""
    given = results.design.get("labels") or []
    factors = results.design.get("factors", [])
    out = {}
    for point, group in results.runs.groupby("point"):
        if point < len(given) and given[point]:
            out[point] = given[point]
            continue
        first = group.iloc[0]
        sets = [f"{f}={first[f]}" for f in factors if f in group and _differs(f, first[f])]
        out[point] = ", ".join(sets) if sets else "defaults"
    return out


def _differs(name: str, value) -> bool:
    declared = BY_NAME.get(name)
    return declared is None or declared.default is None or str(declared.default) != str(value)


VARIANT_METRICS = ["stable_cohesive", "stable", "cohesive", "formed", "deterrence_rate", "wars",
                   "entrapments", "exits"]


def variants_table(results: Results, metrics: list[str] | None = None) -> pd.DataFrame:
    """Per design point and structure: each metric's mean and 95 % interval; and per point the
    paired Δ(collective − hub-and-spoke) with its interval."""
    metrics = [m for m in (metrics or VARIANT_METRICS) if m in results.runs]
    names = point_labels(results)
    rows = []
    for point, group in results.runs.groupby("point", sort=True):
        for structure in results.structures:
            part = group[group["structure"] == structure]
            for metric in metrics:
                estimate = mean_ci(part[metric])
                rows.append({"point": point, "variant": names[point], "structure": structure,
                             "metric": metric, **estimate})
        differences = paired_differences(group, metrics)
        for _, d in differences[differences["structure"] == COMPARED[0]].iterrows():
            rows.append({"point": point, "variant": names[point],
                         "structure": f"Δ {COMPARED[0]} − {COMPARED[1]}", "metric": d["metric"],
                         "mean": d["mean"], "low": d["low"], "high": d["high"], "n": d["n"]})
    return pd.DataFrame.from_records(rows)


def variants_figure(results: Results, table: pd.DataFrame) -> plt.Figure:
    """One panel per metric: each design point (a row) with each structure's mean and 95 % interval,
    and, in the last column, the paired Δ collective − hub-and-spoke."""
    metrics = list(dict.fromkeys(table["metric"]))
    variants = list(dict.fromkeys(table.sort_values("point")["variant"]))
    structures = [s for s in results.structures if s in set(table["structure"])]
    delta = f"Δ {COMPARED[0]} − {COMPARED[1]}"
    figure, axes = plt.subplots(2, len(metrics), figsize=(2.9 * len(metrics), 0.42 * len(variants) * 2 + 2.5),
                                squeeze=False, sharey=True)
    ys = np.arange(len(variants))[::-1]
    for column, metric in enumerate(metrics):
        part = table[table["metric"] == metric]
        ax = axes[0, column]
        for k, structure in enumerate(structures):
            rows = part[part["structure"] == structure].set_index("variant").reindex(variants)
            offset = (k - (len(structures) - 1) / 2) * 0.18
            _dots(ax, rows, ys + offset, labels.COLOURS.get(structure, "k"),
                  labels.structure_label(structure) if column == 0 else None)
        ax.set_title(labels.metric_label(metric, False), fontsize=9)
        ax.set_xlabel(labels.metric_unit(metric), fontsize=7)
        ax.grid(axis="x", alpha=0.3)
        ax = axes[1, column]
        rows = part[part["structure"] == delta].set_index("variant").reindex(variants)
        _dots(ax, rows, ys, labels.COLOURS[COMPARED[0]], None, marker="s")
        ax.axvline(0.0, color="k", lw=0.8)
        ax.set_xlabel(f"Δ {labels.metric_unit(metric)}", fontsize=7)
        ax.set_title("Δ collective − hub-and-spoke", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    for row in range(2):
        axes[row, 0].set_yticks(ys, variants, fontsize=7)
    axes[0, 0].legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.12), ncol=len(structures))
    figure.suptitle(f"{results.name}: each variant's metrics per structure (mean, 95 % CI) and the "
                    "paired gap collective − hub-and-spoke", fontsize=10)
    figure.tight_layout()
    return figure


def _dots(ax, rows: pd.DataFrame, ys: np.ndarray, colour: str, label: str | None,
          marker: str = "o") -> None:
    means = rows["mean"].to_numpy(dtype=float)
    low = np.clip(means - rows["low"].to_numpy(dtype=float), 0, None)
    high = np.clip(rows["high"].to_numpy(dtype=float) - means, 0, None)
    ax.errorbar(means, ys, xerr=[np.nan_to_num(low), np.nan_to_num(high)], fmt=marker,
                color=colour, capsize=3, markersize=4, label=label, lw=1)


def kinds_table(results: Results) -> pd.DataFrame:
    """Per design point, structure and kind of commitment: honoured ÷ invoked pooled over the runs,
    with a Wilson 95 % interval."""
    names = point_labels(results)
    rows = []
    for (point, structure), group in results.runs.groupby(["point", "structure"], sort=False):
        for kind in KINDS:
            invoked = float(group[f"invoked_{kind}"].sum())
            honoured = float(group[f"honoured_{kind}"].sum())
            low, high = wilson(honoured, int(invoked)) if invoked else (math.nan, math.nan)
            rows.append({"point": point, "variant": names[point], "structure": structure,
                         "kind": kind, "invoked": invoked, "honoured": honoured,
                         "reliability": honoured / invoked if invoked else math.nan,
                         "low": low, "high": high})
    return pd.DataFrame.from_records(rows)


def kinds_figure(results: Results, table: pd.DataFrame, band: tuple[float, float] = (0.40, 0.75)
                 ) -> plt.Figure:
    """Reliability of each kind of commitment per structure (bars, 95 % CI), one panel per design
    point; the shaded band is the empirical range of docs/calibration.md."""
    variants = list(dict.fromkeys(table.sort_values("point")["variant"]))
    structures = [s for s in results.structures if s in set(table["structure"])]
    figure, axes = plt.subplots(1, len(variants), figsize=(5.2 * len(variants), 3.8), squeeze=False,
                                sharey=True)
    width = 0.8 / len(KINDS)
    kind_colours = {"bilateral": "#1f77b4", "minilateral": "#2ca02c", "collective": "#d62728"}
    for c, variant in enumerate(variants):
        ax = axes[0, c]
        ax.axhspan(*band, color="0.9", zorder=0, label="empirical band" if c == 0 else None)
        part = table[table["variant"] == variant]
        for k, kind in enumerate(KINDS):
            rows = part[part["kind"] == kind].set_index("structure").reindex(structures)
            xs = np.arange(len(structures)) + (k - 1) * width
            values = rows["reliability"].to_numpy(dtype=float)
            error = [np.nan_to_num(np.clip(values - rows["low"].to_numpy(dtype=float), 0, None)),
                     np.nan_to_num(np.clip(rows["high"].to_numpy(dtype=float) - values, 0, None))]
            ax.bar(xs, np.nan_to_num(values), width, yerr=error, capsize=3,
                   color=kind_colours[kind], label=kind if c == 0 else None)
            tops = np.nan_to_num(values) + error[1]
            for x, invoked in enumerate(rows["invoked"]):
                if not np.isnan(invoked):
                    ax.text(xs[x], tops[x] + 0.02, f"n={int(invoked)}", rotation=90,
                            fontsize=6, ha="center", va="bottom", color="0.2")
        ax.set_xticks(range(len(structures)), [labels.structure_label(s) for s in structures],
                      rotation=20, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_title(variant, fontsize=9)
        ax.set_ylabel("honoured ÷ invoked", fontsize=8)
    handles, names = axes[0, 0].get_legend_handles_labels()
    figure.legend(handles, names, loc="lower center", ncol=len(names), fontsize=8, frameon=False)
    figure.suptitle(f"{results.name}: reliability of each kind of commitment (pooled over runs, "
                    "95 % Wilson CI; n = invocations)", fontsize=10)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return figure
