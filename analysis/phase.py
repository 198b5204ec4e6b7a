"""Phase-diagram tables: a metric's paired difference between two structures over a 2-D grid.

Δ(collective − hub-and-spoke) over two factors of a full-factorial design
(red-line divergence × mean hedging; theatre coupling × challenger power). Each cell's difference is
paired on replicate (common random numbers); see :mod:`analysis.statistics`.
"""

from __future__ import annotations

import pandas as pd

from model.structure import COMPARED

from .statistics import paired_differences, summary

PHASE_METRICS = ["stable_cohesive", "stable", "formed", "deterrence_rate"]


def phase_table(runs: pd.DataFrame, x: str, y: str, metrics: list[str] | None = None,
                a: str = COMPARED[1], b: str = COMPARED[0]) -> pd.DataFrame:
    """One row per (x, y, metric): ``mean_<a>``, ``mean_<b>``, ``delta`` (= a − b, paired), its 95 %
    interval ``low``/``high``, ``n`` pairs and ``clear`` (the interval excludes 0)."""
    metrics = metrics or PHASE_METRICS
    pair = runs[runs["structure"].isin([a, b])]
    means = summary(pair, metrics, by=[x, y, "structure"])
    wide = means.pivot_table(index=[x, y, "metric"], columns="structure", values="mean")
    wide = wide.rename(columns={a: f"mean_{a}", b: f"mean_{b}"})[[f"mean_{a}", f"mean_{b}"]]
    differences = paired_differences(pair, metrics, baseline=b, by=[x, y])
    differences = differences[differences["structure"] == a].drop(columns="structure")
    differences = differences.rename(columns={"mean": "delta"}).set_index([x, y, "metric"])
    table = wide.join(differences, how="inner").reset_index()
    table["clear"] = (table["low"] > 0) | (table["high"] < 0)
    return table.sort_values(["metric", y, x]).reset_index(drop=True)


def grid(table: pd.DataFrame, x: str, y: str, metric: str, value: str = "delta") -> pd.DataFrame:
    """The ``value`` column of one metric as a y × x grid (rows: y ascending; columns: x ascending)."""
    part = table[table["metric"] == metric]
    return part.pivot(index=y, columns=x, values=value).sort_index().sort_index(axis=1)
