"""Crisis opportunities: which flashpoints an exogenous incident opens in a step (docs/ODD.md §3,
step 0).

The ``opportunities`` stream decides them alone -- it depends on no structure and no choice -- so
two structures run with the same seed face the same crises (common random numbers), but where a
flashpoint is taken or at war in one of them. One step's
flashpoints (:meth:`Opportunities.draw_one`) and ``k`` steps' at once (:meth:`Opportunities.draw`)
take the same numbers from the stream, in the same order (a generator fills an array number by
number).
"""

from __future__ import annotations

import numpy as np


class Opportunities:
    """The opportunities of a run.

    A flashpoint that the challenger has taken, that lies behind a front still held, that a
    scheduled event closed or where a war is under way does not open: its rate counts as 0 (the
    stream still draws its number, so the others' stay paired).

    Args:
        generator: the run's ``opportunities`` generator.
        flashpoints: the model's flashpoints (their rates, and whether each is open to crises).

    Attributes:
        rates: each flashpoint's chance per step of opening now.
        version: a count of the changes to ``rates`` (a flashpoint taken or a front fallen).
    """

    def __init__(self, generator: np.random.Generator, flashpoints) -> None:
        self.generator = generator
        self.flashpoints = flashpoints
        self.version = 0
        self.rates = np.array([f.rate if f.open_to_crises else 0.0 for f in flashpoints])

    def refresh(self) -> None:
        """Flashpoints were taken: the rates follow."""
        self.rates = np.array([f.rate if f.open_to_crises else 0.0 for f in self.flashpoints])
        self.version += 1

    def draw_one(self) -> np.ndarray:
        """The indices of the flashpoints that open in the next step."""
        return np.flatnonzero(self.generator.random(len(self.rates)) < self.rates)

    def numbers(self, steps: int) -> np.ndarray:
        """The stream's numbers for the next ``steps`` steps, ``[step, flashpoint]``."""
        return self.generator.random((steps, len(self.rates)))

    def opened(self, numbers: np.ndarray, start: int = 0) -> dict[int, list[int]]:
        """The flashpoints that open in each step of ``numbers`` from ``start`` on, at the rates as
        they are now, by step (0-based; steps in which none opens are absent)."""
        rows, columns = np.nonzero(numbers[start:] < self.rates)
        opened: dict[int, list[int]] = {}
        for step, flashpoint in zip(rows.tolist(), columns.tolist(), strict=True):
            opened.setdefault(step + start, []).append(flashpoint)
        return opened

    def draw(self, steps: int) -> dict[int, list[int]]:
        """The flashpoints that open in each of the next ``steps`` steps, at the rates as they are
        now (:meth:`numbers` then :meth:`opened`)."""
        return self.opened(self.numbers(steps))
