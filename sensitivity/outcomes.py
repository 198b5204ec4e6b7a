"""The model's outcomes for sensitivity analysis: each structure's metrics and the paired gap.

For a metric such as ``stable`` (the run-level flag of docs/ODD.md, Observation; its replicate mean is the
stable share) or ``deterrence_rate``, and the compared structures A = ``hub_and_spoke``, B = ``collective``
(:data:`model.structure.COMPARED`), the outcomes are

* ``stable[hub_and_spoke]``, ``stable[collective]`` -- each structure's value;
* ``delta_stable`` -- the paired difference B - A: replicate k of both structures uses the same seed,
  so both face the same crisis-opportunity stream (common random numbers) and the difference is
  computed run by run, then averaged, which removes the shared luck from the gap.

:func:`model_function` runs the model directly (the in-memory pipeline);
:func:`outputs_from_table` reads the same outcomes from a table of stored runs (one row per run,
with ``point``, ``replicate``, ``structure`` and metric columns), so stored studies and the in-memory
path are analysed alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from model.structure import COMPARED
from model.structure import NAMES as STRUCTURES

from .defaults import DEFAULT_METRICS
from .replicates import Outputs


def structure_outcome(metric: str, structure: str) -> str:
    return f"{metric}[{structure}]"


def gap_outcome(metric: str) -> str:
    return f"delta_{metric}"


def check_metrics(metrics: Sequence[str], known: Sequence[str] | None = None) -> tuple[str, ...]:
    """The metrics, validated against ``known`` (default ``model.RUN_METRICS``); a ``ValueError``
    lists the known ones."""
    if known is None:
        from model.observations import RUN_METRICS as known
    if not metrics:
        raise ValueError("name at least one outcome metric")
    for metric in metrics:
        if metric not in known:
            raise ValueError(f"unknown outcome '{metric}'; run-level metrics are: {', '.join(known)}")
    return tuple(dict.fromkeys(metrics))


def check_structures(structures: Sequence[str]) -> tuple[str, ...]:
    for structure in structures:
        if structure not in STRUCTURES:
            raise ValueError(f"unknown structure '{structure}'; choose from {', '.join(STRUCTURES)}")
    if len(set(structures)) != len(structures) or not structures:
        raise ValueError("name each structure once, at least one")
    return tuple(structures)


def outcome_names(metrics: Sequence[str], structures: Sequence[str] = COMPARED) -> tuple[str, ...]:
    """Outcome names in analysis order: per metric, each structure, then the gap (if both compared)."""
    names = []
    with_gap = all(s in structures for s in COMPARED)
    for metric in metrics:
        names.extend(structure_outcome(metric, s) for s in structures)
        if with_gap:
            names.append(gap_outcome(metric))
    return tuple(names)


def outcome_label(name: str) -> str:
    """A readable label: ``delta_stable`` -> ``Δ stable (collective − hub_and_spoke)``."""
    if name.startswith("delta_"):
        return f"Δ {name[6:]} ({COMPARED[1]} − {COMPARED[0]})"
    metric, _, structure = name.partition("[")
    return f"{metric} ({structure.rstrip(']')})" if structure else name


def _outcome_values(runs: dict[str, dict[str, float]], metrics: Sequence[str],
                    structures: Sequence[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    with_gap = all(s in structures for s in COMPARED)
    for metric in metrics:
        for structure in structures:
            values[structure_outcome(metric, structure)] = float(runs[structure][metric])
        if with_gap:
            values[gap_outcome(metric)] = (float(runs[COMPARED[1]][metric])
                                           - float(runs[COMPARED[0]][metric]))
    return values


def model_function(scenario: Any, steps: int, metrics: Sequence[str] = DEFAULT_METRICS,
                   structures: Sequence[str] = COMPARED, fixed: dict[str, Any] | None = None,
                   ) -> Callable[[dict[str, Any], int], dict[str, float]]:
    """``f(values, seed)``: run every structure with ``seed`` for ``steps`` and return the outcomes.

    ``scenario`` is a loaded :class:`model.Scenario`; ``fixed`` are parameter values held constant.
    """
    from model import DeterrenceModel

    metrics = check_metrics(metrics)
    structures = check_structures(structures)
    fixed = dict(fixed or {})

    def run(values: dict[str, Any], seed: int) -> dict[str, float]:
        runs = {
            structure: DeterrenceModel(scenario, structure, rng=seed, collect=False,
                                       **{**fixed, **values}).run(steps)
            for structure in structures
        }
        return _outcome_values(runs, metrics, structures)

    return run


def outputs_from_table(table: pd.DataFrame, points: int, replicates: int,
                       metrics: Sequence[str] = DEFAULT_METRICS,
                       structures: Sequence[str] = COMPARED) -> Outputs:
    """Outcomes ``[point, replicate, outcome]`` from stored runs (columns point, replicate, structure,
    and the metrics). A missing run leaves NaN; a duplicated run is an error (it would mean mixed
    results)."""
    metrics = tuple(dict.fromkeys(metrics))
    names = outcome_names(metrics, structures)
    missing = [c for c in ("point", "replicate", "structure", *metrics) if c not in table.columns]
    if missing:
        raise ValueError(f"the results table has no column {missing[0]!r}")
    keys = table[["point", "replicate", "structure"]]
    if keys.duplicated().any():
        first = keys[keys.duplicated()].iloc[0]
        raise ValueError(f"the results table holds run (point {first.point}, replicate "
                         f"{first.replicate}, {first.structure}) twice")
    values = np.full((points, replicates, len(names)), np.nan)
    cube: dict[str, np.ndarray] = {}
    for structure in structures:
        rows = table[table.structure == structure]
        rows = rows[(rows.point < points) & (rows.replicate < replicates)]
        for metric in metrics:
            grid = np.full((points, replicates), np.nan)
            grid[rows.point.to_numpy(int), rows.replicate.to_numpy(int)] = rows[metric].to_numpy(float)
            cube[structure_outcome(metric, structure)] = grid
    for k, name in enumerate(names):
        if name.startswith("delta_"):
            metric = name[6:]
            values[:, :, k] = (cube[structure_outcome(metric, COMPARED[1])]
                               - cube[structure_outcome(metric, COMPARED[0])])
        else:
            values[:, :, k] = cube[name]
    return Outputs(names, values)
