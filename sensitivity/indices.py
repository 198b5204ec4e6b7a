"""Sensitivity indices from a design and its outcomes: Sobol' (S1, ST, S2) and Morris (mu*, sigma).

* Sobol' (SALib :func:`SALib.analyze.sobol.analyze`; Saltelli et al. 2010 estimators): ``S1`` is the
  share of the outcome's variance explained by one factor alone, ``ST`` the share in which the factor
  takes part at all (alone or in interaction); ``ST - S1`` measures interactions; ``S2`` the share of
  one pair's interaction. Confidence intervals by bootstrap over the sample points (Archer et al.
  1997, J. Stat. Comput. Simul. 58).
* Morris (SALib :func:`SALib.analyze.morris.analyze`; Morris 1991, Campolongo et al. 2007): ``mu*``
  the mean absolute elementary effect (overall influence, in outcome units per factor range), ``sigma``
  their standard deviation (non-linearity or interaction), ``mu`` the signed mean.

The result is a tidy table, one row per (outcome, index, factor[, second factor]), with the half
width of the confidence interval in ``conf``; and a per-outcome summary with the replicate-noise shares
of :mod:`sensitivity.replicates`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyzer
from SALib.analyze import sobol as sobol_analyzer

from .replicates import Outputs, average
from .sampling import Design

INDEX_COLUMNS = ("outcome", "index", "parameter", "other", "value", "conf")
SUMMARY_COLUMNS = ("outcome", "method", "points", "replicates", "undefined_points", "variance_mean",
                   "variance_run", "noise_share_run", "noise_share_mean", "conf_level")


@dataclass(frozen=True)
class Analysis:
    """Indices (tidy, see :data:`INDEX_COLUMNS`) and a per-outcome summary (:data:`SUMMARY_COLUMNS`)."""

    indices: pd.DataFrame
    summary: pd.DataFrame

    def table(self, outcome: str, index: str) -> pd.DataFrame:
        """One index of one outcome, indexed by parameter, with ``value`` and ``conf`` columns."""
        rows = self.indices[(self.indices.outcome == outcome) & (self.indices["index"] == index)]
        return rows.set_index("parameter")[["value", "conf"]]


def _sobol_rows(design: Design, outcome: str, y: np.ndarray, conf_level: float, resamples: int,
                seed: int) -> list[tuple]:
    names = design.problem.names
    if np.var(y) == 0:  # nothing to apportion: every index undefined
        rows = [(outcome, index, n, "", np.nan, np.nan) for index in ("S1", "ST") for n in names]
        if design.second_order:
            rows += [(outcome, "S2", names[i], names[j], np.nan, np.nan)
                     for i in range(len(names)) for j in range(i + 1, len(names))]
        return rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = sobol_analyzer.analyze(
            design.problem.salib(), y, calc_second_order=design.second_order,
            num_resamples=resamples, conf_level=conf_level, seed=seed,
        )
    rows = []
    for index in ("S1", "ST"):
        for k, name in enumerate(names):
            rows.append((outcome, index, name, "", float(result[index][k]),
                         float(result[f"{index}_conf"][k])))
    if design.second_order:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                rows.append((outcome, "S2", names[i], names[j], float(result["S2"][i, j]),
                             float(result["S2_conf"][i, j])))
    return rows


def _morris_rows(design: Design, outcome: str, y: np.ndarray, conf_level: float, resamples: int,
                 seed: int) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = morris_analyzer.analyze(
            design.problem.salib(), design.samples, y, num_resamples=resamples,
            conf_level=conf_level, num_levels=design.levels, seed=seed,
        )
    rows = []
    for k, name in enumerate(design.problem.names):
        rows.append((outcome, "mu_star", name, "", float(result["mu_star"][k]),
                     float(result["mu_star_conf"][k])))
        rows.append((outcome, "sigma", name, "", float(result["sigma"][k]), np.nan))
        rows.append((outcome, "mu", name, "", float(result["mu"][k]), np.nan))
    return rows


def analyse(design: Design, outputs: Outputs, *, conf_level: float = 0.95, resamples: int = 100,
            seed: int = 0) -> Analysis:
    """Indices of every outcome in ``outputs`` for ``design`` (its method decides which indices).

    Replicates are averaged per point first (:func:`sensitivity.replicates.average`). ``seed`` seeds
    the bootstrap of the confidence intervals, so the same inputs give the same table.
    """
    if outputs.points != len(design):
        raise ValueError(f"the design has {len(design)} points but the outputs have {outputs.points}")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must lie between 0 and 1, got {conf_level}")
    rows: list[tuple] = []
    summary: list[tuple] = []
    for name in outputs.names:
        averaged = average(outputs.outcome(name))
        if design.method == "sobol":
            rows += _sobol_rows(design, name, averaged.means, conf_level, resamples, seed)
        else:
            rows += _morris_rows(design, name, averaged.means, conf_level, resamples, seed)
        summary.append((name, design.method, outputs.points, outputs.replicates,
                        averaged.undefined_points, averaged.variance_mean, averaged.variance_run,
                        averaged.noise_share_run, averaged.noise_share_mean, conf_level))
    return Analysis(pd.DataFrame(rows, columns=list(INDEX_COLUMNS)),
                    pd.DataFrame(summary, columns=list(SUMMARY_COLUMNS)))
