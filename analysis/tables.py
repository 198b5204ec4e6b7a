"""Summary tables in Markdown and CSV."""

from __future__ import annotations

import math

import pandas as pd

from . import labels
from .statistics import paired_differences, summary


def number(value: float, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    if isinstance(value, (int,)) or (isinstance(value, float) and value == int(value) and abs(value) > 10):
        return f"{value:g}"
    return f"{value:.{digits}f}"


def estimate(row: pd.Series, digits: int = 3) -> str:
    """"0.412 [0.380, 0.445]"."""
    return f"{number(row['mean'], digits)} [{number(row['low'], digits)}, {number(row['high'], digits)}]"


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table (no dependency on ``tabulate``)."""
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    lines = [header, rule]
    for _, row in frame.iterrows():
        cells = [number(v) if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def structure_table(runs: pd.DataFrame, structures: list[str], metrics: list[str]) -> pd.DataFrame:
    """Rows: metrics; columns: structures, each cell "mean [95 % CI]"; then paired Δ vs hub-and-spoke."""
    means = summary(runs, metrics)
    differences = paired_differences(runs, metrics)
    table = pd.DataFrame({"metric": [labels.metric_label(m) for m in metrics]})
    for structure in structures:
        cells = []
        for metric in metrics:
            part = means[(means["structure"] == structure) & (means["metric"] == metric)]
            cells.append(estimate(part.iloc[0]) if not part.empty else "–")
        table[labels.structure_label(structure)] = cells
    for structure in structures:
        part = differences[differences["structure"] == structure] if not differences.empty else differences
        if part.empty:
            continue
        cells = []
        for metric in metrics:
            row = part[part["metric"] == metric]
            cells.append(estimate(row.iloc[0]) if not row.empty else "–")
        table[f"Δ {labels.structure_label(structure)} − hub-and-spoke"] = cells
    return table
