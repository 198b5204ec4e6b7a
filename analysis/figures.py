"""Figures from stored results (never from the model): each function returns a matplotlib Figure.

:func:`save` writes a figure as PNG and PDF with a caption sidecar (``<name>.txt``) that names the
experiment, the replicate count and the commit.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from model.structure import COMPARED  # noqa: E402

from . import labels  # noqa: E402
from .phase import grid  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import BASELINE, paired_differences, summary  # noqa: E402

FORMATS = ("png", "pdf")


def save(figure: plt.Figure, folder: Path, name: str, caption: str) -> list[Path]:
    """Write ``name.png``, ``name.pdf`` and the caption ``name.txt`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for extension in FORMATS:
        path = folder / f"{name}.{extension}"
        figure.savefig(path, dpi=150, bbox_inches="tight", metadata=None if extension == "png" else
                       {"CreationDate": None})
        paths.append(path)
    caption_path = folder / f"{name}.txt"
    caption_path.write_text(caption.strip() + "\n", encoding="utf-8")
    paths.append(caption_path)
    plt.close(figure)
    return paths


def _errorbar(ax, x, row, colour, label=None, marker="o"):
    low, high = row["low"], row["high"]
    yerr = None
    if not (np.isnan(low) or np.isnan(high)):
        yerr = [[max(0.0, row["mean"] - low)], [max(0.0, high - row["mean"])]]
    ax.errorbar([x], [row["mean"]], yerr=yerr, fmt=marker, color=colour, capsize=4, label=label,
                markersize=6)


def comparison(results: Results, runs: pd.DataFrame | None = None, title: str | None = None,
               metrics: list[str] | None = None) -> plt.Figure:
    """Each metric's mean per structure with 95 % intervals (top) and the paired difference
    against hub-and-spoke (bottom), pooled over the table's runs."""
    runs = results.runs if runs is None else runs
    metrics = metrics or labels.HEADLINE_METRICS
    structures = [s for s in results.structures if s in set(runs["structure"])]
    means = summary(runs, metrics)
    differences = paired_differences(runs, metrics)
    rows = 2 if not differences.empty else 1
    figure, axes = plt.subplots(rows, len(metrics), figsize=(2.6 * len(metrics), 3.2 * rows),
                                squeeze=False)
    for column, metric in enumerate(metrics):
        ax = axes[0, column]
        for k, structure in enumerate(structures):
            row = means[(means["structure"] == structure) & (means["metric"] == metric)].iloc[0]
            _errorbar(ax, k, row, labels.COLOURS.get(structure, "k"))
        ax.set_xticks(range(len(structures)), [labels.structure_label(s) for s in structures],
                      rotation=35, ha="right", fontsize=8)
        ax.set_title(labels.metric_label(metric, False), fontsize=10)
        ax.set_ylabel(labels.metric_unit(metric), fontsize=8)
        ax.set_xlim(-0.6, len(structures) - 0.4)
        ax.grid(axis="y", alpha=0.3)
        if rows == 2:
            ax = axes[1, column]
            others = [s for s in structures if s != BASELINE]
            for k, structure in enumerate(others):
                part = differences[(differences["structure"] == structure)
                                   & (differences["metric"] == metric)]
                if not part.empty:
                    _errorbar(ax, k, part.iloc[0], labels.COLOURS.get(structure, "k"), marker="s")
            ax.axhline(0, color="k", lw=0.8)
            ax.set_xticks(range(len(others)), [labels.structure_label(s) for s in others],
                          rotation=35, ha="right", fontsize=8)
            ax.set_xlim(-0.6, len(others) - 0.4)
            ax.set_ylabel(f"Δ vs hub-and-spoke ({labels.metric_unit(metric)})", fontsize=7)
            ax.grid(axis="y", alpha=0.3)
    figure.suptitle(title or f"{results.name}: run-level metrics by alliance structure (means, 95 % CI; "
                    "bottom: paired difference against hub-and-spoke)", fontsize=11)
    figure.tight_layout()
    return figure


def phase(results: Results, table: pd.DataFrame, x: str, y: str, metrics: list[str],
          a: str = COMPARED[1], b: str = COMPARED[0]) -> plt.Figure:
    """Heatmaps of Δ(a − b) per metric over the x × y grid, each colour scale centred on zero and
    spanning at least the metric's meaningful difference (:func:`analysis.labels.delta_limit`), so
    that noise is drawn pale; '*' marks cells whose paired 95 % interval excludes 0, hatching those
    whose interval includes it."""
    info = results.design.get("factor_info", {})
    columns = 2
    rows = int(np.ceil(len(metrics) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(5.6 * columns, 4.4 * rows), squeeze=False)
    for k, metric in enumerate(metrics):
        ax = axes[k // columns, k % columns]
        values = grid(table, x, y, metric)
        clear = grid(table, x, y, metric, "clear")
        data = values.to_numpy(dtype=float)
        largest = float(np.nanmax(np.abs(data))) if np.isfinite(data).any() else 0.0
        limit = labels.delta_limit(metric, largest)
        image = ax.imshow(data, origin="lower", cmap="RdBu_r" if metric in ("entrapments", "exits")
                          else "RdBu", norm=TwoSlopeNorm(0.0, -limit, limit), aspect="auto")
        ax.set_xticks(range(values.shape[1]), [f"{v:g}" for v in values.columns], fontsize=8)
        ax.set_yticks(range(values.shape[0]), [f"{v:g}" for v in values.index], fontsize=8)
        ax.set_xlabel(labels.factor_label(x, info.get(x)))
        ax.set_ylabel(labels.factor_label(y, info.get(y)))
        for (i, j), value in np.ndenumerate(data):
            if np.isfinite(value):
                sure = bool(clear.iloc[i, j])
                if not sure:  # the interval includes zero: hatched, its number on a white label
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="//",
                                           edgecolor="0.6", linewidth=0))
                ax.text(j, i, f"{value:+.2f}{'*' if sure else ''}", ha="center", va="center",
                        fontsize=7, color="white" if sure and abs(value) > 0.6 * limit else "black",
                        bbox=None if sure else {"facecolor": "white", "alpha": 0.85, "linewidth": 0,
                                                "boxstyle": "round,pad=0.15"})
        bar = figure.colorbar(image, ax=ax, shrink=0.85)
        bar.set_label(f"Δ {labels.metric_unit(metric)} (scale ±{limit:.2g})", fontsize=8)
        ax.set_title(f"Δ {labels.metric_label(metric, False)}: "
                     f"{labels.structure_label(a)} − {labels.structure_label(b)}", fontsize=10)
    for k in range(len(metrics), rows * columns):
        axes[k // columns, k % columns].set_visible(False)
    figure.suptitle(f"{results.name}: where collective obligation beats hub-and-spoke "
                    f"(paired Δ; * = 95 % CI excludes 0; hatched = it includes 0)", fontsize=11)
    figure.tight_layout()
    return figure


def by_group(results: Results, group: str, metrics: list[str], title: str,
             xlabel: str) -> plt.Figure:
    """Means with 95 % intervals per level of ``group`` (x axis), one marker per structure (top),
    and the paired Δ(collective − hub-and-spoke) per level (bottom, when both are present)."""
    runs = results.runs
    levels = list(dict.fromkeys(runs[group]))
    if group == "scenario":
        levels = results.scenarios
    names = [labels.scenario_label(results, v) if group == "scenario" else str(v) for v in levels]
    structures = results.structures
    means = summary(runs, metrics, by=[group, "structure"])
    differences = paired_differences(runs, metrics, by=[group])
    show_delta = set(COMPARED) <= set(structures) and not differences.empty
    rows = 2 if show_delta else 1
    figure, axes = plt.subplots(rows, len(metrics), figsize=(3.0 * len(metrics), 3.3 * rows),
                                squeeze=False)
    width = 0.8 / max(1, len(structures))
    for column, metric in enumerate(metrics):
        ax = axes[0, column]
        for s, structure in enumerate(structures):
            for k, level in enumerate(levels):
                part = means[(means[group] == level) & (means["structure"] == structure)
                             & (means["metric"] == metric)]
                if part.empty:
                    continue
                _errorbar(ax, k - 0.4 + width * (s + 0.5), part.iloc[0],
                          labels.COLOURS.get(structure, "k"),
                          label=labels.structure_label(structure) if k == 0 else None)
        ax.set_xticks(range(len(levels)), names, rotation=30, ha="right", fontsize=8)
        ax.set_xlim(-0.6, len(levels) - 0.4)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.set_title(labels.metric_label(metric, False), fontsize=10)
        ax.set_ylabel(labels.metric_unit(metric), fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        if show_delta:
            ax = axes[1, column]
            for k, level in enumerate(levels):
                part = differences[(differences[group] == level)
                                   & (differences["structure"] == COMPARED[1])
                                   & (differences["metric"] == metric)]
                if not part.empty:
                    _errorbar(ax, k, part.iloc[0], labels.COLOURS[COMPARED[1]], marker="s")
            ax.axhline(0, color="k", lw=0.8)
            ax.set_xticks(range(len(levels)), names, rotation=30, ha="right", fontsize=8)
            ax.set_xlim(-0.6, len(levels) - 0.4)
            ax.set_xlabel(xlabel, fontsize=8)
            ax.set_ylabel(f"Δ collective − hub ({labels.metric_unit(metric)})", fontsize=8)
            ax.grid(axis="y", alpha=0.3)
    handles, names = axes[0, 0].get_legend_handles_labels()
    figure.suptitle(title, fontsize=11)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.legend(handles, names, loc="lower center", ncol=len(names), fontsize=8, frameon=False)
    return figure


def thresholds(results: Results, table: pd.DataFrame, scenario: str | None = None) -> plt.Figure:
    """Stable share per structure as the status-quo-loss threshold varies (left) and the paired
    Δ(collective − hub-and-spoke) with its 95 % interval (right)."""
    has_delta = "delta" in table
    figure, axes = plt.subplots(1, 2 if has_delta else 1, figsize=(11 if has_delta else 6, 4),
                                squeeze=False)
    ax = axes[0, 0]
    x = table["sq_loss_threshold"]
    for structure in results.structures:
        if f"stable_{structure}" not in table:
            continue
        colour = labels.COLOURS.get(structure, "k")
        ax.plot(x, table[f"stable_{structure}"], marker="o", ms=3, color=colour,
                label=labels.structure_label(structure))
        ax.fill_between(x, table[f"low_{structure}"], table[f"high_{structure}"], color=colour,
                        alpha=0.15)
    defaults = sorted(set(results.runs["sq_loss_threshold"]))
    for value in defaults:
        for a in axes[0]:
            a.axvline(value, color="k", ls="--", lw=0.8)
    ax.set_xlabel("threshold on cumulative status-quo loss (flashpoint value)")
    ax.set_ylabel("stable (share of runs)")
    ax.set_title("stable share vs the flag's status-quo-loss threshold", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if has_delta:
        ax = axes[0, 1]
        ax.plot(x, table["delta"], marker="o", ms=3, color=labels.COLOURS[COMPARED[1]])
        ax.fill_between(x, table["delta_low"], table["delta_high"], color=labels.COLOURS[COMPARED[1]],
                        alpha=0.15)
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xlabel("threshold on cumulative status-quo loss (flashpoint value)")
        ax.set_ylabel("Δ stable, collective − hub (share of runs)")
        ax.set_title("paired difference (95 % CI); dashed: the model's threshold", fontsize=10)
        ax.grid(alpha=0.3)
    where = f" · {scenario}" if scenario else ""
    figure.suptitle(f"{results.name}{where}: how the stability verdict moves with the stable flag's "
                    "threshold", fontsize=11)
    figure.tight_layout()
    return figure


def scatter(results: Results, metrics: list[str], a: str = COMPARED[1], b: str = COMPARED[0]
            ) -> plt.Figure:
    """Per design point, the paired Δ(a − b) of each metric against each numeric factor."""
    info = results.design.get("factor_info", {})
    factors = [f for f in results.design.get("factors", [])
               if info.get(f, {}).get("kind", "real") != "categorical"]
    runs = results.runs
    differences = paired_differences(runs[runs["structure"].isin([a, b])], metrics, baseline=b,
                                     by=["point"])
    points = runs.drop_duplicates("point").set_index("point")
    figure, axes = plt.subplots(len(metrics), len(factors), figsize=(3.2 * len(factors), 2.8 * len(metrics)),
                                squeeze=False)
    for i, metric in enumerate(metrics):
        part = differences[differences["metric"] == metric].set_index("point")
        for j, factor in enumerate(factors):
            ax = axes[i, j]
            ax.scatter(points.loc[part.index, factor], part["mean"], s=12,
                       color=labels.COLOURS.get(a, "k"))
            ax.axhline(0, color="k", lw=0.8)
            ax.set_xlabel(labels.factor_label(factor, info.get(factor)), fontsize=8)
            ax.set_ylabel(f"Δ {labels.metric_label(metric, False)}", fontsize=8)
    figure.suptitle(f"{results.name}: paired Δ({labels.structure_label(a)} − {labels.structure_label(b)}) "
                    "per design point", fontsize=11)
    figure.tight_layout()
    return figure
