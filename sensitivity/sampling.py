"""Sample designs for global sensitivity analysis: Saltelli's Sobol' scheme and Morris trajectories.

Both are SALib's samplers, seeded, so the same seed gives the same design:

* ``sobol`` -- :func:`SALib.sample.sobol.sample`: two scrambled Sobol' quasi-random matrices A, B and
  the D (or 2D with second-order indices) matrices that mix their columns; ``N (D + 2)`` points, or
  ``N (2D + 2)`` (Saltelli 2002, Comput. Phys. Commun. 145; Saltelli et al. 2010, Comput. Phys.
  Commun. 181). ``N`` must be a power of two, or the Sobol' sequence loses its balance properties.
* ``morris`` -- :func:`SALib.sample.morris.sample`: ``N`` one-at-a-time trajectories on a grid of
  ``levels`` levels, ``N (D + 1)`` points (Morris 1991, Technometrics 33; Campolongo et al. 2007,
  Environ. Model. Softw. 22).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from SALib.sample import morris as morris_sampler
from SALib.sample import sobol as sobol_sampler

from .defaults import METHODS
from .problem import Factor, Problem

MORRIS_LEVELS = 4
"""Grid levels of Morris trajectories (Morris 1991; 4 with Campolongo's ``delta = p / (2 (p - 1))``)."""


@dataclass(frozen=True)
class Design:
    """A sample design: the method, its settings and the sample matrix (one row per point).

    Attributes:
        method: ``sobol`` or ``morris``.
        problem: the factors sampled.
        n: base sample size (Sobol') or number of trajectories (Morris).
        seed: seed of the sampler.
        second_order: whether the Sobol' design supports second-order indices.
        levels: Morris grid levels.
        samples: ``(points, factors)`` real numbers in problem units, as the sampler drew them
            (integer factors are mapped to whole numbers by :meth:`points`, the analysis uses these).
    """

    method: str
    problem: Problem
    n: int
    seed: int
    second_order: bool = False
    levels: int = MORRIS_LEVELS
    samples: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 0)))

    def __len__(self) -> int:
        return len(self.samples)

    def points(self) -> list[dict[str, float | int]]:
        """Each sample point as a parameter dictionary (model inputs)."""
        return self.problem.rows(self.samples)

    def settings(self) -> dict[str, object]:
        """The settings that, with the problem, determine the design (for manifests)."""
        return {"method": self.method, "n": self.n, "seed": self.seed,
                "second_order": self.second_order, "levels": self.levels,
                "factors": self.problem.names, "bounds": self.problem.bounds,
                "integer": [f.integer for f in self.problem.factors],
                "points": len(self)}


def points_needed(method: str, n: int, factors: int, second_order: bool = False) -> int:
    """How many points a design has: ``N (D + 2)``, ``N (2D + 2)`` or ``N (D + 1)``."""
    if method == "sobol":
        return n * (2 * factors + 2 if second_order else factors + 2)
    if method == "morris":
        return n * (factors + 1)
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def sample(
    problem: Problem, method: str, n: int, seed: int, *, second_order: bool = False,
    levels: int = MORRIS_LEVELS,
) -> Design:
    """Draw the ``method`` design of size ``n`` for ``problem`` with ``seed``.

    Raises ``ValueError`` with the reason for an unknown method, a non-positive ``n``, a Sobol'
    ``n`` that is not a power of two, or fewer than two Morris trajectories.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if n < 1:
        raise ValueError(f"the sample size n must be positive, got {n}")
    salib = problem.salib()
    if method == "sobol":
        if n & (n - 1):
            lower = 1 << (n.bit_length() - 1)
            raise ValueError(
                f"Sobol' sampling needs n to be a power of two (the sequence is balanced only then), "
                f"got {n}; try {lower} or {2 * lower}"
            )
        samples = sobol_sampler.sample(salib, n, calc_second_order=second_order, scramble=True,
                                       seed=seed)
    else:
        if n < 2:
            raise ValueError(f"Morris screening needs at least 2 trajectories, got {n}")
        if levels < 2 or levels % 2:
            raise ValueError(f"Morris levels must be an even number of at least 2, got {levels}")
        samples = morris_sampler.sample(salib, n, num_levels=levels, seed=seed)
    return Design(method, problem, n, seed, second_order=second_order and method == "sobol",
                  levels=levels, samples=np.asarray(samples, dtype=float))


def stored_design(definition: dict, samples: np.ndarray) -> Design:
    """The design a stored study was run with: its settings (:meth:`Design.settings`, kept in the
    manifest) and its sample matrix (kept in ``samples.csv``)."""
    integer = definition.get("integer") or [False] * len(definition["factors"])
    problem = Problem(tuple(
        Factor(name, low, high, integer=flag)
        for name, (low, high), flag in zip(definition["factors"], definition["bounds"], integer,
                                           strict=True)
    ))
    return Design(definition["method"], problem, definition["n"], definition["seed"],
                  second_order=definition["second_order"], levels=definition["levels"],
                  samples=np.asarray(samples, dtype=float))
