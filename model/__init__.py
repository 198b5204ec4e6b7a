"""An agent-based model of alliance deterrence (Mesa 3.5).

Public API::

    from model import DeterrenceModel, PARAMETERS
    from scenarios import load
    m = DeterrenceModel(load("asia"), structure="collective", rng=7)
    metrics = m.run(200)          # run-level metrics (dict)
    series = m.series()           # per-step series (pandas DataFrame)

The package knows nothing of files, experiments or the browser: scenarios are read by the
``scenarios`` package, experiments live in ``experiments``.
"""

from .agents import Actor, Challenger, State
from .crisis import Crisis, Flashpoint
from .model import DeterrenceModel
from .observations import RUN_METRICS, STEP_SERIES
from .parameters import PARAMETERS, STRUCTURES, Parameter
from .scenario import ChallengerSpec, FlashpointSpec, Scenario, StateSpec

__all__ = [
    "PARAMETERS", "RUN_METRICS", "STEP_SERIES", "STRUCTURES", "Actor", "Challenger", "ChallengerSpec",
    "Crisis", "DeterrenceModel", "Flashpoint", "FlashpointSpec", "Parameter", "Scenario", "State",
    "StateSpec",
]
