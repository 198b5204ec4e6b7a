"""How long ties last (from stored results): the hazard of a tie ending, by kind of tie.

A run records, per kind of tie (bilateral: hub-spoke, asymmetric; minilateral: spoke-spoke,
symmetric; collective), how many ties it had (``ties_<kind>``), how many a party ended
(``ties_ended_<kind>``, not counting those a dissolution ended) and their mean duration in steps
(``tie_duration_<kind>``, a tie still standing counted to the end of the run). Pooled over the runs of
a scenario, structure and design point, the hazard of a tie ending is the number ended over the
tie-years at risk, with the exact 95 % Poisson interval of the count (Garwood 1936) over the same
exposure. Morrow (1991) expects asymmetric ties, which trade autonomy for security, to outlast
symmetric ones, and both to end more often after shifts in relative power (Leeds & Savun 2007).
"""

from __future__ import annotations

import math

import pandas as pd
from scipy.stats import chi2

from .labels import point_labels
from .results import Results

KINDS = ("bilateral", "minilateral", "collective")
"""The kinds of tie, as the run table names them."""
SYMMETRY = {"bilateral": "asymmetric (hub-spoke)", "minilateral": "symmetric (spoke-spoke)",
            "collective": "collective"}


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) interval of a Poisson count."""
    alpha = 1.0 - level
    low = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    high = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(low), float(high)


def hazard_table(results: Results) -> pd.DataFrame:
    """One row per (scenario, structure, design point, kind of tie) with ties: ties, ended,
    tie-years at risk, the hazard per tie-year and its 95 % interval."""
    runs = results.runs
    names = point_labels(results)
    rows = []
    for (scenario, structure, point), group in runs.groupby(["scenario", "structure", "point"],
                                                            sort=False):
        years_per_step = (group["years"] / group["steps"]).iloc[0]
        for kind in KINDS:
            ties = group[f"ties_{kind}"].sum()
            if not ties:
                continue
            ended = int(group[f"ties_ended_{kind}"].sum())
            exposure = float((group[f"ties_{kind}"] * group[f"tie_duration_{kind}"].fillna(0.0))
                             .sum() * years_per_step)
            low, high = poisson_interval(ended)
            rows.append({"scenario": scenario, "structure": structure, "point": point,
                         "variant": names[point], "kind": kind, "tie": SYMMETRY[kind],
                         "runs": len(group), "ties": int(ties), "ended": ended,
                         "tie_years": exposure,
                         "hazard": ended / exposure if exposure else math.nan,
                         "hazard_low": low / exposure if exposure else math.nan,
                         "hazard_high": high / exposure if exposure else math.nan})
    return pd.DataFrame.from_records(rows)


def hazard_figure(results: Results, table: pd.DataFrame):
    """Each kind's hazard per tie-year with its interval, one panel per scenario, a row per design
    point (and structure, if there are several)."""
    from . import figures

    scenarios = list(dict.fromkeys(table["scenario"]))
    fig, axes = figures.plt.subplots(1, len(scenarios), figsize=(5.2 * len(scenarios), 3.2),
                                     squeeze=False)
    colours = {"bilateral": "#1f77b4", "minilateral": "#e36c0a", "collective": "#2ca02c"}
    several = table["structure"].nunique() > 1
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        part = table[table["scenario"] == scenario]
        rowed = part.assign(row=part["structure"] + " · " + part["variant"] if several
                            else part["variant"])
        variants = list(dict.fromkeys(rowed["row"]))
        kinds = list(dict.fromkeys(rowed["kind"]))
        for k, kind in enumerate(kinds):
            rows = rowed[rowed["kind"] == kind].set_index("row").reindex(variants)
            y = [v + (k - (len(kinds) - 1) / 2) * 0.18 for v in range(len(variants))]
            ax.errorbar(rows["hazard"], y, xerr=[rows["hazard"] - rows["hazard_low"],
                                                 rows["hazard_high"] - rows["hazard"]],
                        fmt="o", color=colours[kind], label=SYMMETRY[kind], capsize=3)
        ax.set_yticks(range(len(variants)), variants)
        ax.invert_yaxis()
        ax.set_title(scenario)
        # rates from none to a few in a hundred: linear near 0, logarithmic above 1e-4
        ax.set_xscale("symlog", linthresh=1e-4)
        ax.set_xlim(0.0, max(float(part["hazard_high"].max()) * 2.0, 1e-3))
        ax.set_xlabel("ties ended per tie-year (95 % Poisson CI; log above 1e-4)")
        ax.grid(axis="x", alpha=0.3)
    shown = {}
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            shown.setdefault(label, handle)
    fig.legend(list(shown.values()), list(shown), loc="lower center", ncol=len(shown), fontsize=8,
               frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
