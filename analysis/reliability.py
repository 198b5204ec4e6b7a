"""The reliability of each kind of commitment -- bilateral, minilateral, collective -- under each
structure, from stored results (never from the model): honoured ÷ invoked, pooled over the runs of
each design point, with a Wilson 95 % interval (:func:`kinds_table`, :func:`kinds_figure`), beside
the empirical band of docs/calibration.md.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import labels  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import wilson  # noqa: E402

KINDS = ("bilateral", "minilateral", "collective")
"""The kinds of commitment, as the run-level metrics ``invoked_<kind>`` and ``honoured_<kind>`` name
them."""


def kinds_table(results: Results) -> pd.DataFrame:
    """Per design point, structure and kind of commitment: honoured ÷ invoked pooled over the runs,
    with a Wilson 95 % interval."""
    names = labels.point_labels(results)
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
