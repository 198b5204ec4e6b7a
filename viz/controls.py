"""The browser's controls, built from the single parameter declaration (:mod:`model.parameters`).

:func:`sliders` gives one slider per declared uncertainty, with the declared bounds; sweeps,
sensitivity analysis and these sliders read the same table, so they cannot disagree.

A few uncertainties default to "the scenario's own value" (declared default ``None``: the scenario's
red-line divergence, mean hedging, hub stake and hub hedging), and a scenario may set others in its
``[parameters]`` table (``theatre_coupling`` in europe and seato). Their sliders start at the chosen
scenario's value, and the start position keeps meaning "the scenario's own": only a slider moved
away from it overrides the scenario (:func:`overrides`); choosing another scenario moves the
sliders still at their start to its values (:func:`rebase`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

from model.parameters import Parameter, uncertainties
from model.structure import COMPARED


@dataclass(frozen=True)
class Settings:
    """What the page starts with (``python run.py viz`` options; defaults otherwise).

    Attributes:
        scenario: a shipped scenario's name or a scenario file's path.
        structures: the left and right panes' structures (the compared pair by default).
        seed: the shared seed.
        overrides: parameter values set with ``--set``.
        results: the folder whose experiments the results explorer lists.
    """

    scenario: str = "asia"
    structures: tuple[str, str] = COMPARED
    seed: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)
    results: str = "results"

SETTINGS_VARIABLE = "DETERRENCE_VIZ_SETTINGS"
"""Environment variable through which ``python run.py viz`` passes its options to the page."""

def settings_from_environment() -> Settings:
    """The :class:`Settings` in ``$DETERRENCE_VIZ_SETTINGS`` (JSON), or the defaults."""
    text = os.environ.get(SETTINGS_VARIABLE)
    if not text:
        return Settings()
    data = json.loads(text)
    return Settings(scenario=data.get("scenario", "asia"),
                    structures=tuple(data.get("structures", Settings().structures)),
                    seed=int(data.get("seed", 1)), overrides=dict(data.get("overrides", {})),
                    results=str(data.get("results", "results")))


def settings_to_environment(settings: Settings) -> str:
    """The JSON text :func:`settings_from_environment` reads."""
    return json.dumps({"scenario": settings.scenario, "structures": list(settings.structures),
                       "seed": settings.seed, "overrides": settings.overrides,
                       "results": settings.results})



def slider_step(parameter: Parameter) -> float:
    """A round step giving about a hundred positions: 1, 2 or 5 times a power of ten -- finer (down
    to a hundredth of it) where the declared default would fall between two positions, so that a
    slider can always be put back at its default (a slider's positions are ``low + k × step``)."""
    if parameter.kind == "integer":
        return 1
    span = (parameter.high - parameter.low) / 100.0
    power = 10.0 ** math.floor(math.log10(span))
    step = next((round(f * power, 12) for f in (1.0, 2.0, 5.0) if f * power >= span * 0.999),
                round(10.0 * power, 12))
    if parameter.default is None:
        return step
    for finer in (step, step / 2, step / 5, step / 10, step / 20, step / 50, step / 100):
        positions = (parameter.default - parameter.low) / finer
        if abs(positions - round(positions)) < 1e-6:
            return round(finer, 12)
    return step


def scenario_values(scenario) -> dict[str, float]:
    """The scenario's own values of the uncertainties it decides: those whose declared default is
    "the scenario's" (``None``), and those its ``[parameters]`` table sets (``theatre_coupling`` in
    ``europe``). A slider starts there, and left there leaves the scenario its value.

    Read from a model built on it (the model resolves them); ``hub_stake`` has no single scenario
    value (the hub's stakes differ per flashpoint), so its slider starts at the mean of them.
    """
    from model import DeterrenceModel

    model = DeterrenceModel(scenario, "none", rng=0, collect=False)
    hub = next((s for s in model.states if s.is_hub), None)
    values = {}
    for p in uncertainties():
        if p.default is not None and p.name not in scenario.parameters:
            continue
        value = model.params.get(p.name)
        if value is None and p.name == "hub_stake" and hub is not None:
            value = float(hub.stakes.mean())
        if value is None:
            value = (p.low + p.high) / 2.0
        values[p.name] = round(float(value), 6)
    return values


@dataclass(frozen=True)
class Slider:
    """One slider of the sidebar: a declared uncertainty with its bounds and a round step."""

    name: str
    label: str
    low: float
    high: float
    step: float
    integer: bool
    scenario_default: bool
    """Whether its declared default is "the scenario's own value" (it then starts there)."""


def sliders() -> list[Slider]:
    """One slider per declared uncertainty, with the declared bounds."""
    return [Slider(p.name, p.name if p.default is not None else f"{p.name} (start: scenario's)",
                   p.low, p.high, slider_step(p), p.kind == "integer", p.default is None)
            for p in uncertainties()]


def slider_values(overrides: dict[str, Any], start: dict[str, float]) -> dict[str, float]:
    """Where each slider starts: ``overrides`` (from ``--set``), else the scenario's own value
    (``start``, from :func:`scenario_values`), else the declared default."""
    values = {}
    for p in uncertainties():
        value = overrides.get(p.name)
        if value is None:
            value = start[p.name] if p.name in start else p.default
        values[p.name] = value
    return values


def rebase(values: dict[str, Any], before: dict[str, float], after: dict[str, float]
           ) -> dict[str, Any]:
    """The sliders' values when the scenario changes from one with start values ``before`` to one
    with ``after`` (:func:`scenario_values`): a slider still at its start moves to the new start;
    one the user moved keeps its value."""
    moved = dict(values)
    for p in uncertainties():
        if p.name not in values or values[p.name] is None:
            continue
        old = before.get(p.name, p.default)
        if old is not None and abs(float(values[p.name]) - float(old)) < 1e-6:
            moved[p.name] = after.get(p.name, p.default)
    return moved


def fixed_values(overrides: dict[str, Any]) -> dict[str, Any]:
    """The ``--set`` values that have no slider (levers and settings): they apply to both panes."""
    return {k: v for k, v in overrides.items() if k not in _sliders()}


def _sliders() -> set[str]:
    return {p.name for p in uncertainties()}


def overrides(values: dict[str, Any], marks: dict[str, float]) -> dict[str, Any]:
    """Parameter overrides from the sliders' ``values``.

    A ``None``-default parameter whose slider sits at its start position (``marks``, within a
    millionth) is left to the scenario. Real values are rounded to 10 decimals, so that a slider's
    arithmetic (``0.30000000000000004``) never falls outside a declared bound.
    """
    result: dict[str, Any] = {}
    for p in uncertainties():
        if p.name not in values:
            continue
        value = values[p.name]
        if p.name in marks and value is not None and abs(float(value) - marks[p.name]) < 1e-6:
            continue
        if p.kind == "real" and value is not None:
            value = round(float(value), 10)
        result[p.name] = value
    return result
