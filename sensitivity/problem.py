"""The SALib problem: which inputs vary and over what range, read from the one parameter declaration.

A :class:`Problem` is an ordered list of (name, low, high, kind). :func:`declared_problem` builds it
from the uncertainties of :mod:`model.parameters` (in declaration order), so a sensitivity analysis
varies exactly the inputs that sweeps vary, over exactly the declared ranges. A parameter whose
default is ``None`` ("the scenario's own value") still has bounds, and is sampled over them.

Samplers draw real numbers; :meth:`Problem.values` turns one row into model inputs. An integer
parameter over ``[low, high]`` is read as ``low + floor((x - low) / (high - low) * (high - low + 1))``
(capped at ``high``), so each whole number takes an equal share of the range (the usual treatment of
discrete factors in variance-based analysis: Saltelli et al. 2008, *Global Sensitivity Analysis.
The Primer*, section 1.2.3).

Only :func:`declared_problem` reads the model's declaration (imported when called), so the analysis of
stored results and of analytic functions never imports the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from model.parameters import Parameter


@dataclass(frozen=True)
class Factor:
    """One input of a sensitivity analysis: a name, its range and whether it takes whole numbers."""

    name: str
    low: float
    high: float
    integer: bool = False

    def value(self, x: float) -> float | int:
        """The input value for the sampled real number ``x`` (whole numbers for integer factors)."""
        if not self.integer:
            return float(x)
        span = self.high - self.low
        if span == 0:
            return int(self.low)
        step = math.floor((x - self.low) / span * (span + 1))
        return int(self.low + min(max(step, 0), span))


@dataclass(frozen=True)
class Problem:
    """An ordered set of factors; ``salib()`` gives the dictionary SALib's samplers expect."""

    factors: tuple[Factor, ...]

    def __post_init__(self) -> None:
        if not self.factors:
            raise ValueError("a sensitivity problem needs at least one factor")
        names = [f.name for f in self.factors]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"factor names must be unique, repeated: {', '.join(duplicates)}")
        for f in self.factors:
            if not (math.isfinite(f.low) and math.isfinite(f.high) and f.low < f.high):
                raise ValueError(
                    f"factor '{f.name}': bounds must be finite with low < high, got [{f.low}, {f.high}]"
                )

    @classmethod
    def from_bounds(cls, bounds: dict[str, tuple[float, float]]) -> Problem:
        """A problem of real factors, e.g. ``{"x1": (-pi, pi), ...}`` (in that order)."""
        return cls(tuple(Factor(name, float(lo), float(hi)) for name, (lo, hi) in bounds.items()))

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    @property
    def bounds(self) -> list[list[float]]:
        return [[f.low, f.high] for f in self.factors]

    def __len__(self) -> int:
        return len(self.factors)

    def salib(self) -> dict[str, Any]:
        """The problem as SALib's ``{"num_vars", "names", "bounds"}`` dictionary."""
        return {"num_vars": len(self.factors), "names": self.names, "bounds": self.bounds}

    def values(self, row: Sequence[float]) -> dict[str, float | int]:
        """One sample row (real numbers in problem order) as ``{name: model input}``."""
        if len(row) != len(self.factors):
            raise ValueError(f"a sample row needs {len(self.factors)} values, got {len(row)}")
        return {f.name: f.value(x) for f, x in zip(self.factors, row, strict=True)}

    def rows(self, samples: np.ndarray) -> list[dict[str, float | int]]:
        """Every row of a sample matrix as a parameter dictionary."""
        return [self.values(row) for row in samples]


def factor_of(parameter: Parameter) -> Factor:
    """The sensitivity factor of a declared real or integer parameter."""
    if parameter.kind == "categorical" or parameter.low is None or parameter.high is None:
        raise ValueError(
            f"parameter '{parameter.name}' is {parameter.kind} without numeric bounds and cannot be "
            "a factor of a sensitivity analysis"
        )
    return Factor(parameter.name, float(parameter.low), float(parameter.high),
                  integer=parameter.kind == "integer")


def declared_problem(names: Iterable[str] | None = None) -> Problem:
    """The problem of the declared uncertainties (all of them, in declaration order) or of ``names``.

    ``names`` may pick any numeric declared parameters, for example a few levers; unknown names raise
    ``KeyError`` listing the known ones.
    """
    from model.parameters import get, uncertainties

    parameters = uncertainties() if names is None else [get(n) for n in names]
    return Problem(tuple(factor_of(p) for p in parameters))
