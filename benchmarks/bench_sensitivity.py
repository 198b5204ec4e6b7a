"""Time a sensitivity study: the cost of one run over the design's spread of parameters, and the
wall time it implies for the default ``python run.py sensitivity`` on a given number of cores.

    python benchmarks/bench_sensitivity.py [--method sobol] [--n 128] [--runs 600] [--cores 2]

Runs ``--runs`` of the study's distinct runs (spread evenly over the design) in this process with the
experiment layer's row function, and prints the CPU time per run and the projected wall time of the
whole study (runs x time per run / cores, plus the measured start-up). Sampled parameters make runs
dearer than the default parameters do (more opportunities, longer wars), which is why this differs
from ``bench_model.py``. Run on an otherwise idle machine; it uses one core.
"""

from __future__ import annotations

import argparse
import sys
import time

from experiments.evaluate import evaluate
from sensitivity.study import make_study


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", default="sobol", choices=("sobol", "morris"))
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--runs", type=int, default=600)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    study = make_study(args.method, args.n)
    specs = list({spec.run_id: spec for spec in study.runs()}.values())
    stride = max(1, len(specs) // args.runs)
    chosen = specs[::stride][: args.runs]
    evaluate(chosen[0])  # warm the scenario cache
    wall, cpu = time.perf_counter(), time.process_time()
    for spec in chosen:
        evaluate(spec)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per_run = cpu / len(chosen)
    print(f"{study.name}: {len(specs)} distinct runs of {study.steps} steps")
    print(f"  {len(chosen)} runs timed: {1000 * per_run:.2f} ms CPU per run "
          f"({1000 * wall / len(chosen):.2f} ms wall)")
    print(f"  projected on {args.cores} idle cores: {len(specs) * per_run / args.cores / 60:.1f} min "
          "of runs (+ a few seconds to start workers and draw the figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
