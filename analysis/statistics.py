"""Means with 95 % confidence intervals, and paired differences between structures.

* A 0/1 flag (the ``stable`` flag and its parts, ``dissolved``; :data:`SHARES`) is
  a share: its interval is Wilson's score interval (Wilson 1927), which stays inside [0, 1] and is
  not degenerate at 0 or 1.
* Any other metric: the mean with a Student-t interval.
* Paired differences (common random numbers): the difference of a metric between a structure and the
  baseline (``hub_and_spoke``) is taken run by run, matched on scenario, design point and replicate
  (so on the replicate's seed), and its mean gets a Student-t interval -- much narrower than the
  difference of two independent means when the runs are positively correlated.

Undefined values (e.g. reliability in a run where no commitment was invoked) are left out; ``n``
says how many values each estimate uses.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from model.observations import FLAGS
from model.structure import COMPARED

LEVEL = 0.95
BASELINE = COMPARED[0]
"""The structure paired differences are taken against: hub-and-spoke (:data:`model.structure.COMPARED`)."""
MATCH = ["scenario", "point", "replicate"]


SHARES = FLAGS | {"stable_variant"}
"""Run-level 0/1 flags (the model's declared flags, and the recomputed ``stable_variant`` of
:mod:`analysis.thresholds`): their mean is a share of runs."""


def is_share(values: pd.Series) -> bool:
    """True for the 0/1 flags of :data:`SHARES` (by column name)."""
    return values.name in SHARES


def wilson(successes: float, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n``."""
    if n == 0:
        return math.nan, math.nan
    z = stats.norm.ppf(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def t_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, low, high) with a Student-t interval; the interval is NaN below two values."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return mean, math.nan, math.nan
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half


def mean_ci(values: pd.Series, share: bool | None = None) -> dict[str, float]:
    """``{"mean", "low", "high", "n"}`` of the defined values (Wilson for shares, t otherwise)."""
    defined = values.dropna().astype(float)
    n = len(defined)
    if share is None:
        share = is_share(defined)
    if share:
        mean = float(defined.mean()) if n else math.nan
        low, high = wilson(float(defined.sum()), n)
        return {"mean": mean, "low": low, "high": high, "n": n}
    mean, low, high = t_interval(defined.to_numpy())
    return {"mean": mean, "low": low, "high": high, "n": n}


def summary(runs: pd.DataFrame, metrics: list[str], by: list[str] | None = None) -> pd.DataFrame:
    """Mean and 95 % interval of each metric per group (default: per structure).

    Returns a long table: the ``by`` columns, ``metric``, ``mean``, ``low``, ``high``, ``n``.
    """
    by = by or ["structure"]
    records = []
    for key, group in runs.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        for metric in metrics:
            share = is_share(runs[metric])
            records.append({**dict(zip(by, key, strict=True)), "metric": metric,
                            **mean_ci(group[metric], share)})
    return pd.DataFrame.from_records(records)


def paired_differences(runs: pd.DataFrame, metrics: list[str], baseline: str = BASELINE,
                       by: list[str] | None = None, match: list[str] | None = None) -> pd.DataFrame:
    """Mean paired difference (structure - baseline) of each metric, with a 95 % t interval.

    Runs are matched on ``match`` (default scenario, design point and replicate: the same seed).
    Returns a long table: the ``by`` columns, ``structure``, ``metric``, ``mean``, ``low``, ``high``,
    ``n`` (pairs with both values defined). Empty if no run has a twin under the baseline (it is
    absent, or runs under it and under the others never share a scenario, point and replicate).
    """
    by = by or []
    match = match or MATCH
    columns = [*by, "structure", "metric", "mean", "low", "high", "n"]
    base = runs[runs["structure"] == baseline]
    if base.empty:
        return pd.DataFrame(columns=columns)
    keys = list(dict.fromkeys([*by, *match]))
    base = base.set_index(keys)
    records = []
    for structure, group in runs[runs["structure"] != baseline].groupby("structure", sort=False):
        joined = group.set_index(keys).join(base[metrics].add_suffix("__base"), how="inner")
        groups = joined.groupby(level=by, sort=False) if by else [((), joined)]
        for key, part in groups:
            key = key if isinstance(key, tuple) else (key,)
            for metric in metrics:
                # as floats: a typed run table (``load(..., typed=True)``) holds flags as booleans
                difference = (part[metric].astype(float)
                              - part[f"{metric}__base"].astype(float)).to_numpy(dtype=float)
                mean, low, high = t_interval(difference)
                records.append({**dict(zip(by, key, strict=True)), "structure": structure,
                                "metric": metric, "mean": mean, "low": low, "high": high,
                                "n": int(np.sum(~np.isnan(difference)))})
    return pd.DataFrame.from_records(records, columns=columns)


def verdict(low: float, high: float, better: str, worse: str) -> str:
    """Words for a paired interval: which side it lies on, or "no clear difference"."""
    if math.isnan(low) or math.isnan(high):
        return "undetermined"
    if low > 0:
        return better
    if high < 0:
        return worse
    return "no clear difference"


def level_differences(runs: pd.DataFrame, factor: str, metrics: list[str],
                      within: list[str] = ()) -> pd.DataFrame:
    """Per structure, the paired difference of each metric between each level of ``factor`` and its
    first level, matched on scenario, replicate (replicate k has the same seed at every design
    point) and the values of the design's other factors, ``within``: a run is compared only with
    the run that differs from it in ``factor`` alone. For ``obligation_mode``: the effect of *how
    tightly* within one topology. A level none of whose runs has such a twin is left out.

    Returns a long table: ``structure``, ``level``, ``baseline_level``, ``metric``, ``mean``,
    ``low``, ``high``, ``n``.
    """
    levels = list(dict.fromkeys(runs[factor]))
    keys = ["scenario", "replicate", *within]
    records = []
    for structure, group in runs.groupby("structure", sort=False):
        base = group[group[factor] == levels[0]].set_index(keys)
        for level in levels[1:]:
            other = group[group[factor] == level].set_index(keys)
            joined = other[metrics].join(base[metrics].add_suffix("__base"), how="inner")
            if joined.empty:
                continue
            for metric in metrics:
                difference = (joined[metric] - joined[f"{metric}__base"]).to_numpy(dtype=float)
                mean, low, high = t_interval(difference)
                records.append({"structure": structure, "level": level, "baseline_level": levels[0],
                                "metric": metric, "mean": mean, "low": low, "high": high,
                                "n": int(np.sum(~np.isnan(difference)))})
    return pd.DataFrame.from_records(
        records, columns=["structure", "level", "baseline_level", "metric", "mean", "low", "high",
                          "n"])
