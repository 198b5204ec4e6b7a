"""Outcomes of a stochastic model at each sample point: replicate averages and replicate noise.

A stochastic model gives a different outcome at the same parameters for each seed. Sobol' indices of
single runs would count that luck as variance "explained" by nothing (it lowers every S1 and raises
every ST). The usual remedy is to analyse the mean over replicates at each point (Marrel et al. 2012,
Stoch. Environ. Res. Risk Assess. 26; ten Broeke et al. 2016, JASSS 19(1) 5) and to say how much of the
variance is still noise:

* ``noise_share_run`` -- the mean variance across replicates at fixed parameters divided by the total
  variance of single runs: the share of a single run's variance that no parameter can explain;
* ``noise_share_mean`` -- the same for the analysed replicate means: mean within-point variance / R,
  divided by the variance of the means. Indices of an outcome whose ``noise_share_mean`` is large are
  dominated by luck, whatever their confidence intervals say.

Points where an outcome is undefined in every replicate (a ratio with a zero denominator, e.g. a
deterrence rate with no crisis opportunity) are filled with the outcome's mean over the other points
so that the estimators can run; their number is reported next to the indices.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Outputs:
    """Outcome values of a design: ``values[point, replicate, outcome]`` (NaN = undefined)."""

    names: tuple[str, ...]
    values: np.ndarray

    def __post_init__(self) -> None:
        if self.values.ndim != 3 or self.values.shape[2] != len(self.names):
            raise ValueError(
                f"outputs need shape (points, replicates, {len(self.names)}), got {self.values.shape}"
            )

    @property
    def points(self) -> int:
        return self.values.shape[0]

    @property
    def replicates(self) -> int:
        return self.values.shape[1]

    def outcome(self, name: str) -> np.ndarray:
        """``(points, replicates)`` values of one outcome."""
        try:
            k = self.names.index(name)
        except ValueError:
            raise KeyError(f"unknown outcome '{name}'; known: {', '.join(self.names)}") from None
        return self.values[:, :, k]


@dataclass(frozen=True)
class Averaged:
    """The replicate mean of one outcome at every point, ready for the estimators."""

    means: np.ndarray
    undefined_points: int
    variance_run: float
    variance_within: float
    variance_mean: float
    noise_share_run: float
    noise_share_mean: float


def _nan_safe(function, *args, **kwargs) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(function(*args, **kwargs))


def average(values: np.ndarray) -> Averaged:
    """Replicate means of ``values[point, replicate]``, undefined points filled, and the noise shares.

    Variances are the unbiased sample variances (``ddof=1``); the within-point variance is the mean
    over points with at least two defined replicates. A share is NaN when it cannot be computed
    (one replicate, or no variance at all).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"expected values[point, replicate], got shape {values.shape}")
    points, replicates = values.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(values, axis=1)
    undefined = np.isnan(means)
    if undefined.all():
        raise ValueError("the outcome is undefined at every sample point")
    filled = np.where(undefined, np.nanmean(means), means)

    defined = values[~np.isnan(values)]
    variance_run = _nan_safe(np.var, defined, ddof=1) if defined.size > 1 else np.nan
    counts = np.sum(~np.isnan(values), axis=1)
    usable = counts >= 2
    if replicates >= 2 and usable.any():
        within = _nan_safe(np.mean, np.nanvar(values[usable], axis=1, ddof=1))
        mean_replicates = float(np.mean(counts[usable]))
    else:
        within, mean_replicates = np.nan, np.nan
    variance_mean = _nan_safe(np.var, filled, ddof=1) if points > 1 else np.nan
    # a variance below rounding error of the values' magnitude is no variance at all
    tiny = 1e-12 * max(1.0, float(np.nanmax(np.abs(defined))) ** 2) if defined.size else 0.0
    share_run = within / variance_run if variance_run > tiny else np.nan
    share_mean = (within / mean_replicates) / variance_mean if variance_mean > tiny else np.nan
    return Averaged(filled, int(undefined.sum()), variance_run, within, variance_mean,
                    share_run, share_mean)
