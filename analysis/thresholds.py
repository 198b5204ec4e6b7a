"""How the stability verdict moves with the ``stable`` flag's definition (docs/ODD.md, Observation).

The flag is recomputed from the parts stored with every run -- ``no_great_power_war``,
``no_major_loss``, ``intact`` and the cumulative status-quo loss ``sq_loss_value`` -- so the
threshold on status-quo loss can be varied, and each part left out, without rerunning the model:

    stable = no_great_power_war and no_major_loss and (sq_loss_value < threshold) and intact

At each run's own ``sq_loss_threshold`` this reproduces the stored ``stable`` column exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.structure import COMPARED

from .statistics import paired_differences, verdict, wilson

PARTS = ("no_great_power_war", "no_major_loss", "sq_loss_below_threshold", "intact")


def stable_flag(runs: pd.DataFrame, threshold: float | None = None,
                parts: tuple[str, ...] = PARTS) -> pd.Series:
    """The stable flag (0/1) of every run; ``threshold`` None = each run's own ``sq_loss_threshold``."""
    limit = runs["sq_loss_threshold"] if threshold is None else threshold
    flag = pd.Series(True, index=runs.index)
    for part in parts:
        if part == "sq_loss_below_threshold":
            flag &= runs["sq_loss_value"] < limit
        else:
            flag &= runs[part].astype(bool)
    return flag.astype(int)


def default_thresholds(runs: pd.DataFrame, count: int = 13) -> list[float]:
    """A range of thresholds from 0 to past most runs' loss, including the stored default."""
    upper = max(float(runs["sq_loss_value"].quantile(0.9)), 2 * float(runs["sq_loss_threshold"].max()))
    values = set(np.round(np.linspace(0.0, upper, count), 3).tolist())
    values.update(float(v) for v in runs["sq_loss_threshold"].unique())
    return sorted(values)


def _row(runs: pd.DataFrame, flag: pd.Series, structures: list[str], a: str, b: str) -> dict:
    frame = runs.assign(stable_variant=flag)
    row: dict = {}
    for structure in structures:
        values = frame.loc[frame["structure"] == structure, "stable_variant"]
        row[f"stable_{structure}"] = float(values.mean()) if len(values) else np.nan
        low, high = wilson(float(values.sum()), len(values))
        row[f"low_{structure}"], row[f"high_{structure}"] = low, high
    if a in structures and b in structures:
        d = paired_differences(frame[frame["structure"].isin([a, b])], ["stable_variant"], baseline=b)
        d = d.iloc[0]
        row.update({"delta": d["mean"], "delta_low": d["low"], "delta_high": d["high"],
                    "verdict": verdict(d["low"], d["high"], f"{a} more stable", f"{b} more stable")})
    return row


def threshold_table(runs: pd.DataFrame, thresholds: list[float] | None = None,
                    a: str = COMPARED[1], b: str = COMPARED[0]) -> pd.DataFrame:
    """Per threshold on cumulative status-quo loss: each structure's stable share (Wilson 95 %
    interval), the paired Δ(a − b) with its 95 % interval, and the verdict."""
    structures = list(dict.fromkeys(runs["structure"]))
    thresholds = thresholds if thresholds is not None else default_thresholds(runs)
    rows = [{"sq_loss_threshold": t, **_row(runs, stable_flag(runs, t), structures, a, b)}
            for t in thresholds]
    return pd.DataFrame.from_records(rows)


def parts_table(runs: pd.DataFrame, a: str = COMPARED[1], b: str = COMPARED[0]) -> pd.DataFrame:
    """The verdict with the flag as defined, and with each of its four parts left out in turn."""
    structures = list(dict.fromkeys(runs["structure"]))
    variants = [("all four parts (as defined)", PARTS)]
    variants += [(f"without {part}", tuple(p for p in PARTS if p != part)) for part in PARTS]
    rows = [{"definition": name, **_row(runs, stable_flag(runs, None, parts), structures, a, b)}
            for name, parts in variants]
    return pd.DataFrame.from_records(rows)
