"""Time the model: one 200-step run (median of many) and the cost of a step per agent.

    python benchmarks/bench_model.py [--scenario asia] [--runs 300] [--steps 200]

Prints, for each structure, the median wall time of one run without per-step collection (the sweep
path) and with it (the browser and ``run --out`` path), and that time divided by steps x agents.
Run on an otherwise idle machine; it uses one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from model import DeterrenceModel
from model.structure import NAMES as STRUCTURES
from scenarios import load


def time_runs(scenario, structure: str, runs: int, steps: int, collect: bool) -> list[float]:
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        model = DeterrenceModel(scenario, structure, rng=seed, collect=collect)
        model.run(steps)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", default="asia")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    scenario = load(args.scenario)
    agents = len(scenario.states) + len(scenario.challengers)
    print(f"scenario {scenario.name}: {agents} agents, {len(scenario.flashpoints)} flashpoints, "
          f"{args.steps} steps, median of {args.runs} runs, Python {sys.version.split()[0]}")
    print(f"{'structure':<14} {'run (ms)':>9} {'with series (ms)':>17} {'per step x agent (us)':>22}")
    for structure in STRUCTURES:
        fast = statistics.median(time_runs(scenario, structure, args.runs, args.steps, collect=False))
        slow = statistics.median(time_runs(scenario, structure, max(20, args.runs // 5), args.steps, True))
        per = fast / (args.steps * agents) * 1e6
        print(f"{structure:<14} {fast * 1e3:>9.2f} {slow * 1e3:>17.2f} {per:>22.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
