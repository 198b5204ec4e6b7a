"""What each mechanism changes, from stored results (never from the model): the design points of an
experiment such as ``mechanisms`` -- every mechanism on, each switched off in turn, all of them off
-- each named by what it switches (:func:`analysis.labels.point_labels`), with each structure's
metrics and the paired difference collective − hub-and-spoke at each point (:func:`variants_table`,
:func:`variants_figure`).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from model.structure import COMPARED  # noqa: E402

from . import labels  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import mean_ci, paired_differences  # noqa: E402

VARIANT_METRICS = ["stable_cohesive", "stable", "cohesive", "formed", "deterrence_rate", "wars",
                   "entrapments", "exits"]
"""The metrics of each variant, in the table and the figure."""
WAR_METRICS = ["mean_war_length", "flashpoints_lost_major"]
"""Further metrics of each variant, in the table only: how long wars last and what they take."""


def variants_table(results: Results, metrics: list[str] | None = None) -> pd.DataFrame:
    """Per design point and structure: each metric's mean and 95 % interval; and per point the
    paired Δ(collective − hub-and-spoke) with its interval."""
    metrics = [m for m in (metrics or VARIANT_METRICS + WAR_METRICS) if m in results.runs]
    names = labels.point_labels(results)
    rows = []
    for point, group in results.runs.groupby("point", sort=True):
        for structure in results.structures:
            part = group[group["structure"] == structure]
            for metric in metrics:
                estimate = mean_ci(part[metric])
                rows.append({"point": point, "variant": names[point], "structure": structure,
                             "metric": metric, **estimate})
        differences = paired_differences(group, metrics)
        for _, d in differences[differences["structure"] == COMPARED[1]].iterrows():
            rows.append({"point": point, "variant": names[point],
                         "structure": f"Δ {COMPARED[1]} − {COMPARED[0]}", "metric": d["metric"],
                         "mean": d["mean"], "low": d["low"], "high": d["high"], "n": d["n"]})
    return pd.DataFrame.from_records(rows)


def variants_figure(results: Results, table: pd.DataFrame) -> plt.Figure:
    """One panel per metric: each design point (a row) with each structure's mean and 95 % interval,
    and, in the last column, the paired Δ collective − hub-and-spoke."""
    metrics = [m for m in dict.fromkeys(table["metric"]) if m in VARIANT_METRICS]
    variants = list(dict.fromkeys(table.sort_values("point")["variant"]))
    structures = [s for s in results.structures if s in set(table["structure"])]
    delta = f"Δ {COMPARED[1]} − {COMPARED[0]}"
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
        _dots(ax, rows, ys, labels.COLOURS[COMPARED[1]], None, marker="s")
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
