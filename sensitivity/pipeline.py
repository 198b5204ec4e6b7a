"""The generic pipeline: problem -> design -> evaluate any function -> indices.

The function maps a parameter dictionary to outcome values, so one code path serves the model and
analytic test functions (the Ishigami function, linear functions) whose indices are known::

    problem = Problem.from_bounds({"x1": (-pi, pi), "x2": (-pi, pi), "x3": (-pi, pi)})
    analysis = run(problem, ishigami, "sobol", n=1024, seed=1)
    analysis.table("y", "S1")

A deterministic function takes ``(values)``; a stochastic one takes ``(values, seed)`` and is run once
per replicate seed at every point (the same seeds at every point: common random numbers, so points
differ by their parameters, not by their luck). It may return a number (outcome ``y``) or a mapping
``{outcome: number}``. This in-memory path is for functions that are cheap; the model's runs go
through the experiments store instead (:mod:`sensitivity.study`), and both end in
:func:`sensitivity.indices.analyse`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .indices import Analysis, analyse
from .problem import Problem
from .replicates import Outputs
from .sampling import MORRIS_LEVELS, Design, sample

OutcomeFunction = Callable[..., Mapping[str, float] | float]


def _as_mapping(result: Mapping[str, float] | float) -> Mapping[str, float]:
    if isinstance(result, Mapping):
        return result
    return {"y": float(result)}


def evaluate(design: Design, function: OutcomeFunction,
             replicate_seeds: Sequence[int] | None = None) -> Outputs:
    """Call ``function`` at every point of ``design`` (once per replicate seed, if any)."""
    points = design.points()
    seeds: Sequence[int | None] = [None] if replicate_seeds is None else list(replicate_seeds)
    if not seeds:
        raise ValueError("replicate_seeds must name at least one seed")
    names: tuple[str, ...] | None = None
    values: np.ndarray | None = None
    for p, point in enumerate(points):
        for r, seed in enumerate(seeds):
            result = _as_mapping(function(dict(point)) if seed is None else function(dict(point), seed))
            if names is None:
                names = tuple(result)
                values = np.full((len(points), len(seeds), len(names)), np.nan)
            elif tuple(result) != names:
                raise ValueError(
                    f"the function returned outcomes {sorted(result)} at point {p}, "
                    f"but {sorted(names)} before"
                )
            values[p, r, :] = [float(result[n]) for n in names]
    assert names is not None and values is not None
    return Outputs(names, values)


def run(problem: Problem, function: OutcomeFunction, method: str, n: int, seed: int, *,
        replicate_seeds: Sequence[int] | None = None, second_order: bool = False,
        levels: int = MORRIS_LEVELS, conf_level: float = 0.95, resamples: int = 100,
        ) -> Analysis:
    """Sample ``problem`` with ``method`` (size ``n``, ``seed``), evaluate ``function``, analyse."""
    design = sample(problem, method, n, seed, second_order=second_order, levels=levels)
    outputs = evaluate(design, function, replicate_seeds)
    return analyse(design, outputs, conf_level=conf_level, resamples=resamples, seed=seed)
