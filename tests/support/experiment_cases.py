"""Tiny experiment files for the experiment-layer tests (seconds to run), and their stored table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TINY = """\
description = "test: two structures on a 2 x 2 grid"
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 3
steps = 25
master_seed = 11

[design]
kind = "full_factorial"

[design.factors]
red_line_divergence = [0.2, 0.8]
mean_hedging = [0.2, 0.6]
"""

SCENARIOS = """\
scenarios = ["asia", "europe"]
structures = ["none", "hub_and_spoke", "collective"]
replicates = 3
steps = 25
master_seed = 12
"""

POINTS = """\
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 3
steps = 25
master_seed = 13

[design]
kind = "points"
points = [{ obligation_mode = "conditional" }, { obligation_mode = "automatic" }]
"""

LATIN = """\
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 2
steps = 25
master_seed = 14

[design]
kind = "latin_hypercube"
samples = 4

[design.factors]
theatre_coupling = {}
challenger_power_scale = { low = 0.5, high = 2.0 }
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sorted_table(folder: Path) -> pd.DataFrame:
    """A results folder's stored runs in ``run_id`` order, whatever order the workers wrote them in."""
    from experiments.store import read_runs

    return read_runs(folder).sort_values("run_id").reset_index(drop=True)
