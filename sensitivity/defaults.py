"""A sensitivity study's defaults, in a module that imports nothing (the command line's help reads it).

:mod:`sensitivity.study` and :mod:`sensitivity.outcomes` use these values; ``python run.py
sensitivity --help`` shows them without importing numpy, pandas or SALib.
"""

from __future__ import annotations

METHODS: tuple[str, ...] = ("sobol", "morris")
DEFAULT_METRICS: tuple[str, ...] = ("stable", "deterrence_rate")
COMPARED: tuple[str, str] = ("hub_and_spoke", "collective")
"""The gap is ``COMPARED[1] - COMPARED[0]``: collective minus hub-and-spoke."""
DEFAULTS: dict[str, dict[str, int]] = {
    "sobol": {"n": 128, "replicates": 4, "steps": 200},
    "morris": {"n": 40, "replicates": 4, "steps": 200},
}
"""The default run: Sobol' N = 128 with the 34 declared uncertainties is 4,608 points, x 2
structures x 4 replicates = 36,864 runs; Morris 40 trajectories = 1,400 points, 11,200 runs."""
QUICK: dict[str, dict[str, int]] = {
    "sobol": {"n": 8, "replicates": 2, "steps": 50},
    "morris": {"n": 4, "replicates": 2, "steps": 50},
}
"""``--quick``: a smoke test in seconds; its indices mean nothing."""
MASTER_SEED = 20260101
