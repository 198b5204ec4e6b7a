"""Crisis opportunities: which flashpoints an exogenous incident opens in a step (docs/ODD.md §3,
step 0).

The ``opportunities`` stream decides them alone -- it depends on no structure and no choice -- so
two structures run with the same seed face the same crises (common random numbers). One step's
flashpoints (:meth:`Opportunities.draw_one`) and ``k`` steps' at once (:meth:`Opportunities.draw`)
take the same numbers from the stream, in the same order (a generator fills an array number by
number).
"""

from __future__ import annotations

import numpy as np


class Opportunities:
    """The opportunities of a run.

    Args:
        generator: the run's ``opportunities`` generator.
        rates: each flashpoint's chance per step of opening.
    """

    def __init__(self, generator: np.random.Generator, rates: np.ndarray) -> None:
        self.generator = generator
        self.rates = rates

    def draw_one(self) -> np.ndarray:
        """The indices of the flashpoints that open in the next step."""
        return np.flatnonzero(self.generator.random(len(self.rates)) < self.rates)

    def draw(self, steps: int) -> dict[int, list[int]]:
        """The flashpoints that open in each of the next ``steps`` steps, by step (0-based; steps in
        which none opens are absent)."""
        rows, columns = np.nonzero(self.generator.random((steps, len(self.rates))) < self.rates)
        opened: dict[int, list[int]] = {}
        for step, flashpoint in zip(rows.tolist(), columns.tolist(), strict=True):
            opened.setdefault(step, []).append(flashpoint)
        return opened
