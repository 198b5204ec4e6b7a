"""Replaying stored runs: a design point of a results folder, opened in the side-by-side view.

The run table (``runs.csv``) keeps, for every run, its scenario, structure, seed, steps and every
parameter's resolved value. :func:`replay` picks the two rows of one scenario, design point and
replicate (one per structure) and returns a :class:`Replay`: what the view needs to rerun them
exactly. :func:`compare` sets the stored run-level metrics next to the replayed ones; they must be
equal to the last bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.results import Results
from model.observations import METRICS, TEXT_KINDS
from model.parameters import PARAMETERS

PARAMETER_NAMES = tuple(p.name for p in PARAMETERS if p.name != "structure")
_KINDS = {p.name: p.kind for p in PARAMETERS}
_NAMES = {m.name for m in METRICS if m.kind in TEXT_KINDS}


class ReplayError(ValueError):
    """The rows to replay cannot be found or disagree; the message says which and why."""


@dataclass(frozen=True)
class Replay:
    """Two stored runs (one per structure) of one scenario, design point and replicate.

    Attributes:
        experiment: the experiment's name; ``folder``: its results folder's name.
        scenario, point, replicate, seed, steps: the runs' identity.
        structures: (left, right).
        parameters: every parameter's stored value (``None``: the scenario's own).
        factors: the design's factors and their values at this point.
        stored: the stored rows' run-level metrics, left and right.
        run_ids: the stored rows' ids, left and right.
    """

    experiment: str
    folder: str
    scenario: str
    point: int
    replicate: int
    seed: int
    steps: int
    structures: tuple[str, str]
    parameters: dict[str, Any]
    factors: dict[str, Any]
    stored: tuple[dict[str, float], dict[str, float]]
    run_ids: tuple[str, str]


def _value(name: str, value: Any) -> Any:
    """A run-table cell as the model takes it (an empty list of names is stored as an empty cell)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "" if name in _NAMES else None
    kind = _KINDS.get(name)
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    return value.item() if hasattr(value, "item") else value


def _metrics(row: pd.Series) -> dict[str, float]:
    skip = {"run_id", "experiment", "scenario", "structure", "point", "replicate", "seed", "steps",
            *PARAMETER_NAMES}
    return {k: _value(k, v) for k, v in row.items() if k not in skip}


def replay(results: Results, scenario: str, point: int, replicate: int,
           structures: tuple[str, str]) -> Replay:
    """The stored runs of ``scenario``, design ``point`` and ``replicate`` under ``structures``.

    Raises:
        ReplayError: a row is missing, or the two rows differ in a parameter other than the
            structure (they would not be a paired comparison).
    """
    runs = results.runs
    rows = []
    for structure in structures:
        found = runs[(runs["scenario"] == scenario) & (runs["point"] == point)
                     & (runs["replicate"] == replicate) & (runs["structure"] == structure)]
        if found.empty:
            raise ReplayError(f"{results.folder.name}: no stored run of {structure} at scenario "
                              f"{scenario}, point {point}, replicate {replicate}")
        rows.append(found.iloc[0])
    left, right = rows
    parameters = {name: _value(name, left[name]) for name in PARAMETER_NAMES if name in left}
    for name in ("seed", "steps", *parameters):
        if _value(name, left[name]) != _value(name, right[name]):
            raise ReplayError(f"{results.folder.name}: the {structures[0]} and {structures[1]} runs "
                              f"of point {point}, replicate {replicate} differ in '{name}'")
    factors = {f: parameters.get(f, _value(f, left.get(f))) for f in results.design.get("factors", [])}
    return Replay(
        experiment=results.name, folder=results.folder.name, scenario=str(scenario),
        point=int(point), replicate=int(replicate), seed=int(left["seed"]), steps=int(left["steps"]),
        structures=(str(structures[0]), str(structures[1])), parameters=parameters, factors=factors,
        stored=(_metrics(left), _metrics(right)), run_ids=(str(left["run_id"]), str(right["run_id"])),
    )


def same(a: Any, b: Any) -> bool:
    """Equal to the last bit (two undefined values are equal)."""
    a_missing = a is None or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    return a == b


def compare(stored: dict[str, float], replayed: dict[str, float]) -> list[tuple[str, Any, Any, bool]]:
    """``(metric, stored, replayed, equal)`` for every stored metric the replayed run reports."""
    return [(name, value, replayed[name], same(value, replayed[name]))
            for name, value in stored.items() if name in replayed]
