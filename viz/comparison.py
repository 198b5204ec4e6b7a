"""Two structures, one seed, one crisis stream: the model the browser view steps.

:class:`Comparison` is a Mesa model holding two :class:`~model.DeterrenceModel` runs that differ
only in their structure. They share the seed, so they face the same crisis opportunities (the
model draws opportunities from their own random stream, independent of every decision), and they
step together: a viewer sees the same challenge met differently. Problems with the inputs (an
unknown scenario, a structure the scenario cannot have, a seed that is not a whole number) are kept
as a message for the page to show, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mesa

from model import DeterrenceModel

from .controls import overrides as slider_overrides


@dataclass
class Pane:
    """One side of the comparison: its structure, and its model or the reason there is none."""

    structure: str
    model: DeterrenceModel | None
    error: str | None = None


class Comparison(mesa.Model):
    """Two structures stepping together on the same seed.

    Args:
        scenario_name: a shipped scenario's name or a scenario file's path.
        left, right: the two structures.
        seed: the shared seed (an integer, or its text from the page's seed box).
        scenario_marks: start positions of the "scenario's own value" sliders
            (:func:`viz.controls.overrides`).
        fixed: other parameter values (levers and settings given on the command line).
        scenario: accepted and ignored: Mesa's ``SolaraViz`` passes its own experiment scenario
            object on Reset; the scenario here is ``scenario_name``.
        **parameters: uncertainty values from the sliders.

    Attributes:
        panes: the left and right :class:`Pane`.
        error: a problem that affects both panes (bad seed, unreadable scenario), or ``None``.
        scenario_title: the loaded scenario's name.
    """

    def __init__(
        self,
        scenario_name: str = "asia",
        left: str = "hub_and_spoke",
        right: str = "collective",
        seed: int | str = 1,
        scenario_marks: dict[str, float] | None = None,
        fixed: dict[str, Any] | None = None,
        scenario: Any = None,
        **parameters: Any,
    ) -> None:
        from scenarios import ScenarioError, load

        self.error: str | None = None
        self.scenario_title = str(scenario_name)
        number = _parse_seed(seed)
        if number is None:
            self.error = f"seed: {str(seed).strip()!r} is not a whole number"
            number = 0
        super().__init__(rng=number)
        self.shared_seed = number
        self.panes: list[Pane] = []
        loaded = None
        if self.error is None:
            try:
                loaded = load(scenario_name)
                self.scenario_title = loaded.name
            except ScenarioError as problem:
                self.error = str(problem)
        values = {**(fixed or {}), **slider_overrides(parameters, scenario_marks or {})}
        for structure in (left, right):
            if loaded is None:
                self.panes.append(Pane(structure, None, self.error))
                continue
            try:
                self.panes.append(Pane(structure, DeterrenceModel(loaded, structure, rng=number,
                                                                  **values)))
            except ValueError as problem:
                self.panes.append(Pane(structure, None, str(problem)))
        self.running = any(p.model is not None for p in self.panes)

    @property
    def models(self) -> list[tuple[str, DeterrenceModel]]:
        """``(structure, model)`` of every pane that has a model."""
        return [(p.structure, p.model) for p in self.panes if p.model is not None]

    def step(self) -> None:
        """Step both runs once."""
        for _, model in self.models:
            model.step()


def _parse_seed(seed: int | str) -> int | None:
    if isinstance(seed, bool):
        return None
    if isinstance(seed, int):
        return seed if seed >= 0 else None
    text = str(seed).strip()
    return int(text) if text.isdigit() else None
