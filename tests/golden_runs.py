"""The golden runs: a fixed set of runs whose run-level metrics and crisis records are stored.

They pin the model's code on fixed inputs: a frozen copy of the first round's scenario files
(``tests/golden/scenarios/``, so that recalibrating a shipped scenario does not move them) and the
first model's values of the second round's parameters (:data:`model.parameters.FIRST_MODEL`).
``python tests/golden_runs.py`` rewrites ``tests/golden/runs.json`` from the current code; do it only
on purpose, when a change is meant to move results (and say so in CHANGELOG.md). ``test_golden.py``
reruns every case and compares each stored number to the last bit.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

from model import DeterrenceModel
from model.parameters import FIRST_MODEL
from scenarios import load

FILE = Path(__file__).resolve().parent / "golden" / "runs.json"
SCENARIOS = FILE.parent / "scenarios"
STRUCTURES = ("none", "hub_and_spoke", "lattice", "collective")
SEEDS = (1, 2, 3)
STEPS = 200
STRESS = {
    "opportunity_scale": 3.0, "exit_threshold": 0.4, "belief_memory": 0.9, "accommodation": 0.3,
    "theatre_coupling": 0.6, "quorum": 0.8,
}
"""Values that make every rule fire often: exits, dissolution, decay of beliefs, accommodation."""


def cases() -> list[dict]:
    """Every shipped scenario x structure x seed with the first model's mechanisms
    (:data:`model.parameters.FIRST_MODEL`), and once more under :data:`STRESS`."""
    out = []
    for scenario in sorted(p.stem for p in SCENARIOS.glob("*.toml")):
        for structure in STRUCTURES:
            for seed in SEEDS:
                out.append({"scenario": scenario, "structure": structure, "seed": seed,
                            "overrides": dict(FIRST_MODEL)})
            out.append({"scenario": scenario, "structure": structure, "seed": 4,
                        "overrides": {**FIRST_MODEL, **STRESS}})
    return out


def crisis_digest(model: DeterrenceModel) -> str:
    """sha256 of every crisis record's content (who did what, where, when, with what outcome)."""
    records = [
        (c.step, c.flashpoint, c.challenger, c.target, c.severity, c.hop, c.provoked,
         list(c.fought), list(c.stayed_out), c.outcome)
        for c in model.crisis_log
    ]
    return hashlib.sha256(json.dumps(records).encode()).hexdigest()


def run(case: dict) -> dict:
    model = DeterrenceModel(load(SCENARIOS / f"{case['scenario']}.toml"), case["structure"], rng=case["seed"],
                            collect=False, **case["overrides"])
    metrics = model.run(STEPS)
    return {"metrics": {k: (None if isinstance(v, float) and math.isnan(v) else v)
                        for k, v in metrics.items()},
            "crises": crisis_digest(model)}


def main() -> None:
    table = [{**case, **run(case)} for case in cases()]
    FILE.parent.mkdir(exist_ok=True)
    FILE.write_text(json.dumps({"steps": STEPS, "runs": table}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} golden runs to {FILE}")


if __name__ == "__main__":
    main()
