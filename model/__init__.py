"""An agent-based model of alliance deterrence (Mesa 3.5).

Public API::

    from model import DeterrenceModel, PARAMETERS
    from scenarios import load
    m = DeterrenceModel(load("asia"), structure="collective", rng=7)
    metrics = m.run(200)          # run-level metrics (dict)
    series = m.series()           # per-step series (pandas DataFrame)

The package knows nothing of files, experiments or the browser: scenarios are read by the
``scenarios`` package, experiments live in ``experiments``.

The declarations -- parameters (:mod:`model.parameters`), structures (:mod:`model.structure`),
metrics (:mod:`model.observations`) and random draws (:mod:`model.draws`) -- can be imported on
their own, without Mesa: the names below are loaded when first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Actor": "agents", "Challenger": "agents", "State": "agents",
    "Crisis": "crisis", "Flashpoint": "crisis",
    "DeterrenceModel": "model",
    "METRICS": "observations", "RUN_METRICS": "observations", "STEP_SERIES": "observations",
    "PARAMETERS": "parameters", "Parameter": "parameters", "Parameters": "parameters",
    "STRUCTURES": "structure",
    "ChallengerSpec": "scenario", "FlashpointSpec": "scenario", "Scenario": "scenario",
    "StateSpec": "scenario",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'model' has no attribute '{name}'")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
