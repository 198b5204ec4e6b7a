"""A small scenario for the browser view's tests: four states, one challenger, two flashpoints.

Hub "Alpha" with members Alpha, Beta and Gamma; "Delta" is no member. Under hub_and_spoke the hub is
bound to each spoke (2 obligations); under collective every member to every other (3 x 2 = 6).
"""

from __future__ import annotations

from pathlib import Path

SMALL_TOML = """
name = "small"
description = "four states, one challenger, two flashpoints"
hub = "Alpha"
members = ["Alpha", "Beta", "Gamma"]
baseline_divergence = 0.5

[[states]]
name = "Alpha"
power = 100.0
location = [140.0, 10.0]
hedging = 0.3
stakes = { beta_isle = 0.5, gamma_reef = 0.5 }

[[states]]
name = "Beta"
power = 20.0
location = [125.0, 30.0]
hedging = 0.4
stakes = { beta_isle = 1.0 }
red_lines = { beta_isle = 0.2 }

[[states]]
name = "Gamma"
power = 10.0
location = [110.0, 0.0]
hedging = 0.5
stakes = { gamma_reef = 1.0 }
red_lines = { gamma_reef = 0.2 }

[[states]]
name = "Delta"
power = 5.0
location = [100.0, 20.0]
hedging = 0.7

[[challengers]]
name = "Omega"
power = 60.0
location = [115.0, 25.0]
great_power = true

[[flashpoints]]
id = "beta_isle"
name = "Beta Isle"
target = "Beta"
challenger = "Omega"
value = 0.5
theatre = "maritime"
location = [122.0, 27.0]
rate = 0.5
neighbours = ["gamma_reef"]

[[flashpoints]]
id = "gamma_reef"
name = "Gamma Reef"
target = "Gamma"
challenger = "Omega"
value = 0.5
theatre = "maritime"
location = [112.0, 5.0]
rate = 0.5
neighbours = ["beta_isle"]
"""

HUBLESS_TOML = SMALL_TOML.replace('hub = "Alpha"\n', "")


def write(folder: Path, text: str = SMALL_TOML, name: str = "small.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


EVENTFUL = {"opportunity_scale": 3.0, "exit_threshold": 0.5, "shock_scale": 0.003, "exit_cost": 0.0,
            "patience": 1}
"""Settings under which the browser view has events to show in `asia` within a few dozen steps:
crises three times as often, members less patient (a tie ends at the first review at which its value
is negative), ending a tie free and the reviews' private shocks thirty times the calibrated scale,
so that ties end and form again at reviews. Under the calibrated defaults a tie rarely ends."""
