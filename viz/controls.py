"""The browser's controls, built from the single parameter declaration (:mod:`model.parameters`).

:func:`model_params` returns Mesa's ``model_params`` dictionary for ``SolaraViz``: scenario, the two
structures compared, the seed, and one slider per declared uncertainty, with the declared bounds.
Sweeps, sensitivity analysis and these sliders read the same table, so they cannot disagree.

A few uncertainties default to "the scenario's own value" (declared default ``None``: the scenario's
red-line divergence, mean hedging, hub stake and hub hedging). Their sliders start at the chosen
scenario's value, and the start position keeps meaning "the scenario's own": only a slider moved
away from it overrides the scenario (:func:`overrides`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

from model.parameters import STRUCTURES, Parameter, uncertainties

DEFAULT_STRUCTURES = ("hub_and_spoke", "collective")


@dataclass(frozen=True)
class Settings:
    """What the page starts with (``python run.py viz`` options; defaults otherwise).

    Attributes:
        scenario: a shipped scenario's name or a scenario file's path.
        structures: the left and right panes' structures.
        seed: the shared seed.
        overrides: parameter values set with ``--set``.
    """

    scenario: str = "asia"
    structures: tuple[str, str] = DEFAULT_STRUCTURES
    seed: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)

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
                    seed=int(data.get("seed", 1)), overrides=dict(data.get("overrides", {})))


def settings_to_environment(settings: Settings) -> str:
    """The JSON text :func:`settings_from_environment` reads."""
    return json.dumps({"scenario": settings.scenario, "structures": list(settings.structures),
                       "seed": settings.seed, "overrides": settings.overrides})



def slider_step(parameter: Parameter) -> float:
    """A round step giving about a hundred positions: 1, 2 or 5 times a power of ten."""
    if parameter.kind == "integer":
        return 1
    span = (parameter.high - parameter.low) / 100.0
    power = 10.0 ** math.floor(math.log10(span))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= span * 0.999:
            return round(factor * power, 12)
    return round(10.0 * power, 12)


def scenario_values(scenario) -> dict[str, float]:
    """The values that the ``None``-default uncertainties take for ``scenario``.

    Read from a model built on it (the model resolves them); ``hub_stake`` has no single scenario
    value (the hub's stakes differ per flashpoint), so its slider starts at the mean of them.
    """
    from model import DeterrenceModel

    model = DeterrenceModel(scenario, "none", rng=0, collect=False)
    values = {}
    for p in uncertainties():
        if p.default is not None:
            continue
        value = model.params.get(p.name)
        if value is None and p.name == "hub_stake" and model.hub is not None:
            value = float(model.hub.stakes.mean())
        if value is None:
            value = (p.low + p.high) / 2.0
        values[p.name] = round(float(value), 6)
    return values


def model_params(settings: Settings, scenario_names: list[str], start: dict[str, float]) -> dict:
    """Mesa ``SolaraViz`` ``model_params``: selects, the seed box, one slider per uncertainty.

    Args:
        settings: the page's starting values.
        scenario_names: choices of the scenario select.
        start: :func:`scenario_values` of the starting scenario (start positions of the sliders
            whose declared default is "the scenario's own").
    """
    names = list(scenario_names)
    if settings.scenario not in names:
        names.append(settings.scenario)
    params: dict[str, Any] = {
        "scenario_name": {"type": "Select", "value": settings.scenario, "values": names,
                          "label": "scenario"},
        "left": {"type": "Select", "value": settings.structures[0], "values": list(STRUCTURES),
                 "label": "structure (left)"},
        "right": {"type": "Select", "value": settings.structures[1], "values": list(STRUCTURES),
                  "label": "structure (right)"},
        "seed": {"type": "InputText", "value": str(settings.seed), "label": "seed (both panes)"},
        "scenario_marks": dict(start),
        "fixed": {k: v for k, v in settings.overrides.items() if k not in _sliders()},
    }
    for p in uncertainties():
        value = settings.overrides.get(p.name, p.default)
        if value is None:
            value = start[p.name]
        params[p.name] = {
            "type": "SliderInt" if p.kind == "integer" else "SliderFloat",
            "value": value,
            "min": p.low,
            "max": p.high,
            "step": slider_step(p),
            "label": p.name if p.default is not None else f"{p.name} (start: scenario's)",
        }
    return params


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
