"""Sweep throughput: runs per second per core, serial and with a process pool, through the real
experiment layer (evaluate -> store), into a temporary folder.

    python benchmarks/bench_sweep.py [--experiment headline] [--runs 800] [--workers 1 2]

For each worker count, runs ``--runs`` specs spread over the experiment (every structure) into a
fresh temporary results folder and prints the pool's start-up time (one model import in the fork
server) apart from the wall time of the runs, runs/s and runs/s per core. Run on an otherwise idle
machine; ``--json FILE`` also writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from experiments import design, runner
from experiments.evaluate import default_workers, make_evaluator
from experiments.store import ResultsStore


def measure(experiment: design.Experiment, runs: int, workers: int) -> dict[str, float]:
    """Wall time of ``runs`` specs (every structure in turn), with and without pool start-up."""
    every = experiment.runs()
    step = max(1, len(every) // runs)
    specs = every[::step][:runs]
    warmup = every[1::step][:workers]
    with tempfile.TemporaryDirectory() as folder:
        store = ResultsStore.open(Path(folder) / "bench", {"bench": experiment.sha256},
                                  {"planned_runs": len(specs)})
        start = time.perf_counter()
        with make_evaluator(workers) as evaluator:
            list(evaluator.map(warmup))  # starts the pool (and imports the model in it)
            ready = time.perf_counter()
            report = runner.run_specs(specs, store, evaluator, progress=False)
            end = time.perf_counter()
    assert report.finished == len(specs)
    steady = end - ready
    return {"workers": workers, "runs": len(specs), "startup_s": ready - start, "wall_s": steady,
            "runs_per_s": len(specs) / steady, "runs_per_s_per_core": len(specs) / steady / workers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiment", default="headline")
    parser.add_argument("--runs", type=int, default=800)
    parser.add_argument("--workers", type=int, nargs="+", default=sorted({1, default_workers()}))
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()
    experiment = design.load(args.experiment)
    print(f"experiment {experiment.name}: first {args.runs} runs, {experiment.steps} steps each, "
          f"Python {platform.python_version()}, {default_workers()} cores available")
    print(f"{'workers':>7} {'runs':>6} {'start-up (s)':>13} {'wall (s)':>9} {'runs/s':>8} "
          f"{'runs/s/core':>12}")
    results = []
    for workers in args.workers:
        result = measure(experiment, args.runs, workers)
        results.append(result)
        print(f"{result['workers']:>7} {result['runs']:>6} {result['startup_s']:>13.2f} "
              f"{result['wall_s']:>9.2f} "
              f"{result['runs_per_s']:>8.1f} {result['runs_per_s_per_core']:>12.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
