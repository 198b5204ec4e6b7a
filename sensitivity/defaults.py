"""A sensitivity study's defaults, in a module that imports nothing (the command line's help reads it).

:mod:`sensitivity.study` and :mod:`sensitivity.outcomes` use these values; ``python run.py
sensitivity --help`` shows them without importing numpy, pandas or SALib.
"""

from __future__ import annotations

METHODS: tuple[str, ...] = ("sobol", "morris")
DEFAULT_METRICS: tuple[str, ...] = ("stable_cohesive", "stable", "formed", "deterrence_rate")
"""The headline stability definition, order alone, formation and deterrence (docs/ODD.md)."""
DEFAULTS: dict[str, dict[str, int]] = {
    "sobol": {"n": 128, "replicates": 4, "steps": 200},
    "morris": {"n": 40, "replicates": 4, "steps": 200},
}
"""The default run: Sobol' N = 128 gives N x (k + 2) points for k declared uncertainties (5,760 for
the 43 of version 0.2.1), each run under 2 structures x 4 replicates; Morris 40 trajectories give
40 x (k + 1) points. ``--replicates 30`` is the run whose gap indices can be read (docs/findings.md)."""
QUICK: dict[str, dict[str, int]] = {
    "sobol": {"n": 8, "replicates": 2, "steps": 50},
    "morris": {"n": 2, "replicates": 2, "steps": 50},
}
"""``--quick``: a smoke test in seconds; its indices mean nothing."""
MASTER_SEED = 20260101
