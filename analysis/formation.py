"""Does a structure form, and how stable is it -- over all runs and over the runs in which it
formed? From stored results (never from the model). The alliances that form are a selection (Smith
1995), so both ways of counting are shown.

* :func:`viability_table`, :func:`viability_summary`, :func:`viability_figure`: per structure and
  cell of a two-factor grid, the share of runs in which it formed, and its share stable and
  cohesive over all runs and over the runs in which it formed;
* :func:`stability_table`: the verdict collective − hub-and-spoke under every declared stability
  definition, over all runs and over the runs in which both compared structures formed
  (:func:`formed_pairs`).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from model.observations import STABILITY  # noqa: E402
from model.structure import COMPARED  # noqa: E402

from . import labels  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import LEVEL, mean_ci, paired_differences, verdict  # noqa: E402


def formed_pairs(runs: pd.DataFrame, a: str = COMPARED[1], b: str = COMPARED[0]) -> pd.DataFrame:
    """The runs of ``a`` and ``b`` whose replicate formed under both (matched on scenario, design
    point and replicate, so on the seed)."""
    keys = ["scenario", "point", "replicate"]
    both = runs[runs["structure"].isin([a, b])]
    formed = both[both["formed"] == 1].groupby(keys)["structure"].nunique()
    keep = formed[formed == 2].index
    return both.set_index(keys).loc[lambda frame: frame.index.isin(keep)].reset_index()


def stability_table(runs: pd.DataFrame, a: str = COMPARED[1], b: str = COMPARED[0]) -> pd.DataFrame:
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
