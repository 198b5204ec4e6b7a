"""The golden runs: fixed sets of runs whose run-level metrics and crisis records are stored.

Three tables, each rerun by ``tests/integration/test_golden.py`` and compared to the last bit:

* ``mechanisms_off`` (``tests/golden/runs.json``) pins the baseline model: a frozen copy of the
  scenario files of version 0.1.0 (``tests/golden/scenarios/``) with
  :data:`model.parameters.MECHANISMS_OFF`, which switches every membership and cost mechanism off.
  It must never move.
* ``version_0_2_1`` (``tests/golden/version_0_2_1.json``) pins version 0.2.1: a frozen copy of its
  scenario files (``tests/golden/scenarios_0_2_1/``) with :data:`model.parameters.VERSION_0_2_1`,
  which switches the alliance politics back to that version, at its defaults and under
  :data:`STRESS_0_2_1`. It must never move.
* ``current`` (``tests/golden/current.json``) pins today's model: the shipped scenarios at their
  defaults, and once more under :data:`STRESS_CURRENT`, which makes every mechanism fire.
  It moves only when a change is meant to move results: regenerate it on purpose and say so in
  CHANGELOG.md.

``python tests/support/golden_runs.py [mechanisms_off|version_0_2_1|current]`` rewrites a table from
the current code (it imports only the installed project, so it runs as a script from any folder).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

from model import DeterrenceModel
from model.parameters import MECHANISMS_OFF, VERSION_0_2_1
from model.structure import NAMES
from scenarios import available, load

FOLDER = Path(__file__).resolve().parent.parent / "golden"
FILE = FOLDER / "runs.json"
FILES = {"mechanisms_off": FILE, "version_0_2_1": FOLDER / "version_0_2_1.json",
         "current": FOLDER / "current.json"}
SCENARIOS = FOLDER / "scenarios"
FROZEN = {"mechanisms_off": SCENARIOS, "version_0_2_1": FOLDER / "scenarios_0_2_1"}
"""The frozen scenario files of the tables that must never move."""
MECHANISMS_OFF_STRUCTURES = ("none", "hub_and_spoke", "lattice", "collective")
"""The structures of the ``mechanisms_off`` table (those its frozen scenario files were made for)."""
SEEDS = (1, 2, 3)
STEPS = 200
STRESS = {
    "opportunity_scale": 3.0, "exit_threshold": 0.4, "belief_memory": 0.9, "accommodation": 0.3,
    "theatre_coupling": 0.6, "quorum": 0.8,
}
"""Values that make the rules every mechanism setting shares fire often: exits, dissolution, decay of
beliefs, accommodation."""
STRESS_0_2_1 = {
    **STRESS, "quorum": 0.5, "exit_threshold": 0.6, "buck_passing": 0.4, "autonomy_grievance": 0.05,
    "wedge_pressure": 0.05, "autonomy_cost": 0.0005, "deepening_rate": 0.1,
    "convergence_rate": 0.05, "reputation_interdependence": 0.5,
}
"""Values that made every mechanism of version 0.2.1 fire often: formation both ways, buck-passing,
ties ending, the wedge, second fronts, deepening and convergence."""
STRESS_CURRENT = {
    **STRESS_0_2_1, "shock_scale": 0.03, "patience": 1, "greed_prior": 0.5,
    "distrust_cost": 0.01, "token_credit": 0.9, "quorum_pricing": 0.5,
}
"""Values that make every mechanism fire often: the above, and reviews that end and form ties at
almost every review, threat beliefs that start undecided (so each aggression moves them most),
distrust, token contributions."""


def cases(table: str = "mechanisms_off") -> list[dict]:
    """Every scenario x structure x seed, and once more under the table's stress values."""
    if table == "mechanisms_off":
        names = sorted(p.stem for p in SCENARIOS.glob("*.toml"))
        structures, base = MECHANISMS_OFF_STRUCTURES, dict(MECHANISMS_OFF)
        stress = {**MECHANISMS_OFF, **STRESS}
    elif table == "version_0_2_1":
        names = sorted(p.stem for p in FROZEN[table].glob("*.toml"))
        structures, base, stress = NAMES, dict(VERSION_0_2_1), {**VERSION_0_2_1, **STRESS_0_2_1}
    else:
        names, structures, base, stress = available(), NAMES, {}, dict(STRESS_CURRENT)
    out = []
    for scenario in names:
        for structure in structures:
            for seed in SEEDS:
                out.append({"table": table, "scenario": scenario, "structure": structure,
                            "seed": seed, "overrides": dict(base)})
            out.append({"table": table, "scenario": scenario, "structure": structure, "seed": 4,
                        "overrides": dict(stress)})
    return out


def crisis_digest(model: DeterrenceModel) -> str:
    """sha256 of every crisis record's content (who did what, where, when, with what outcome)."""
    records = [
        (c.step, c.flashpoint, c.challenger, c.target, c.severity, c.hop, c.provoked,
         list(c.fought), list(c.stayed_out), c.outcome)
        for c in model.crisis_log
    ]
    return hashlib.sha256(json.dumps(records).encode()).hexdigest()


def event_digest(model: DeterrenceModel) -> str:
    """sha256 of every alliance event (formation, declines, ties ended, exits, dissolution)."""
    records = [(e.step, e.kind, list(e.states), e.detail) for e in model.events]
    return hashlib.sha256(json.dumps(records).encode()).hexdigest()


def run(case: dict) -> dict:
    table = case.get("table", "mechanisms_off")
    if table in FROZEN:
        scenario = load(FROZEN[table] / f"{case['scenario']}.toml")
        overrides = {**VERSION_0_2_1, **case["overrides"]}  # tables stored before those switches
    else:
        scenario, overrides = load(case["scenario"]), case["overrides"]
    model = DeterrenceModel(scenario, case["structure"], rng=case["seed"], collect=False,
                            **overrides)
    metrics = model.run(STEPS)
    result = {"metrics": {k: (None if isinstance(v, float) and math.isnan(v) else v)
                          for k, v in metrics.items()},
              "crises": crisis_digest(model)}
    if table != "mechanisms_off":
        result["events"] = event_digest(model)
    return result


def load_table(table: str) -> list[dict]:
    return json.loads(FILES[table].read_text(encoding="utf-8"))["runs"]


def main(tables: list[str]) -> None:
    for table in tables:
        rows = [{**case, **run(case)} for case in cases(table)]
        FILES[table].parent.mkdir(exist_ok=True)
        FILES[table].write_text(json.dumps({"steps": STEPS, "runs": rows}, indent=1) + "\n",
                                encoding="utf-8")
        print(f"wrote {len(rows)} golden runs to {FILES[table]}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["current"])
