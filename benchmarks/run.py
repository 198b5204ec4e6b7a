"""Every benchmark in one go: one ``name: value`` line each, then the machine, versions and commit.

    python benchmarks/run.py            # the full set (about half an hour on 2 cores)
    python benchmarks/run.py --quick    # a rough version in under a minute
    python benchmarks/run.py --json benchmarks/latest.json
    python benchmarks/run.py --publish docs/figures   # add the run to docs/performance.md's table

What each line measures (targets in brackets; docs in docs/performance.md):

* ``single_run_ms`` -- one 200-step ``asia`` run under the collective structure, built and run
  (``DeterrenceModel(...).run(200)``), median of many [<= 1.5]; ``single_run_ms_standing_still``,
  the same with the power trends off and every war decided in its first step (``trend_scale = 0``,
  ``war_duration = "decisive"``: the model before time changed things), in the same run;
* ``runs_per_s_per_core`` -- the sweep path (evaluate -> results store) at the default parameters,
  one worker, after start-up (median of 5 rounds);
* ``sensitivity_runs_per_s`` -- the same over a Sobol' sample of every declared uncertainty, 2
  workers, and ``sensitivity_30_replicates_min``, the wall time it projects for
  ``python run.py sensitivity --replicates 30`` [<= 10];
* ``localcluster_ratio`` -- the sweep path's rate over that sample on a Dask ``LocalCluster`` of 2
  workers (what ``--scheduler local`` starts) over the process pool's, the figure a cluster's
  throughput is projected from;
* ``batch_run_ratio`` -- runs per second of the sweep engine over those of
  ``mesa.batch_run(number_processes=2)`` on the same grid of runs, both end to end (pools started,
  models built and run), timed one after the other in this process [>= 3];
* ``parallel_efficiency`` -- the sweep path's rate on 2 workers over twice its rate on 1, medians of
  5 alternated rounds of each [>= 0.9];
* ``sweep_peak_rss_mb`` -- the peak resident memory of a 50,000-run sweep (its main process plus
  each worker's peak), and the same for a sweep a tenth as long, to show it is flat [<= 1024];
* ``cli_help_s`` -- ``python run.py --help``, wall time [<= 0.5].

Timings depend on the machine and on what else runs on it: the script prints the load average
before and after, and ratios measured within one run are the figures to compare across machines.

``--publish DIR`` adds a full run's figures, with its commit, date, machine and load, to
``DIR/data/performance/benchmarks.csv``; ``python run.py report --readme`` then shows the latest runs
in docs/performance.md (:func:`analysis.numbers.performance`).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {
    "single_run_ms": ("<=", 1.5), "batch_run_ratio": (">=", 3.0),
    "parallel_efficiency": (">=", 0.9), "sweep_peak_rss_mb": ("<=", 1024.0),
    "cli_help_s": ("<=", 0.5), "sensitivity_30_replicates_min": ("<=", 10.0),
}
LABELS = {
    "single_run_ms": "`single_run_ms`: one 200-step `asia` collective run, built and run (median)",
    "single_run_ms_standing_still": "the same with power trends off and one-step wars "
                                    "(`trend_scale = 0`, `war_duration = decisive`)",
    "runs_per_s_per_core": "`runs_per_s_per_core`: the sweep path at the defaults, one worker",
    "sensitivity_runs_per_s": "`sensitivity_runs_per_s`: the sweep path over the Sobol' sample, 2 "
                              "workers",
    "sensitivity_30_replicates_min": "`sensitivity_30_replicates_min`: `python run.py sensitivity "
                                     "--replicates 30` projected",
    "localcluster_ratio": "`localcluster_ratio`: the same on a Dask LocalCluster of 2 workers ÷ the "
                          "process pool",
    "batch_run_ratio": "`batch_run_ratio`: our sweep engine ÷ `mesa.batch_run(number_processes=2)`, "
                       "same grid",
    "parallel_efficiency": "`parallel_efficiency`: 2 workers ÷ twice 1 worker",
    "sweep_peak_rss_mb": "`sweep_peak_rss_mb`: a 50,000-run sweep, all processes",
    "sweep_peak_rss_mb_at_5000_runs": "the same for a 5,000-run sweep (flat: close to the line above)",
    "cli_help_s": "`cli_help_s`: `python run.py --help`",
    "large_scenario_run_s": "`large_scenario_run_s`: one 200-step collective run of a generated "
                            "200-state scenario, built and run (nearly all of it in formation)",
}
"""What each line measures, in the Performance table (a quick run's memory line has another name)."""
DIGITS = {"single_run_ms": 3, "single_run_ms_standing_still": 3, "runs_per_s_per_core": 1,
          "sensitivity_runs_per_s": 1, "sensitivity_30_replicates_min": 1}
"""Decimals shown (2 unless named here; memory in whole MB)."""
PERFORMANCE = Path("data") / "performance"
COLUMNS = ("run", "commit", "date", "load_1min", "machine", "python", "mesa", "benchmark", "label",
           "value", "digits", "target")
"""The published table: one row per benchmark of each recorded run."""

FULL = {"single": 200, "sweep": 1500, "rounds": 5, "sensitivity_blocks": 60, "batch": 1000,
        "rss": 50_000, "cli": 5, "states": 200}
QUICK = {"single": 30, "sweep": 250, "rounds": 1, "sensitivity_blocks": 6, "batch": 100,
         "rss": 2_000, "cli": 1, "states": 50}


def large_scenario(states: int) -> str:
    """A scenario of ``states`` states (all prospective members, the first the hub), two challengers
    and one flashpoint per ten states, as TOML text."""
    import random

    rng = random.Random(states)
    lines = [f'name = "generated-{states}"', "members = [" + ", ".join(
        f'"S{k}"' for k in range(states)) + "]", 'hub = "S0"', ""]
    for k in range(states):
        lines += ["[[states]]", f'name = "S{k}"', f"power = {rng.uniform(1, 500):.1f}",
                  f"hedging = {rng.uniform(0, 1):.2f}",
                  f"location = [{rng.uniform(90, 180):.1f}, {rng.uniform(-40, 60):.1f}]", ""]
    for k in range(2):
        lines += ["[[challengers]]", f'name = "C{k}"', f"power = {rng.uniform(100, 800):.1f}",
                  f"location = [{rng.uniform(90, 180):.1f}, {rng.uniform(-40, 60):.1f}]", ""]
    for k in range(max(1, states // 10)):
        lines += ["[[flashpoints]]", f'id = "f{k}"', f'target = "S{rng.randrange(1, states)}"',
                  f'challenger = "C{k % 2}"', f"value = {rng.uniform(0.2, 1):.2f}",
                  'theatre = "maritime"',
                  f"location = [{rng.uniform(90, 180):.1f}, {rng.uniform(-40, 60):.1f}]",
                  "rate = 0.03", ""]
    return "\n".join(lines)


def large_scenario_run_s(states: int) -> float:
    """Wall time of building and running one 200-step collective model of a generated scenario
    of ``states`` states, in seconds (what the scale of a scenario costs)."""
    from model import DeterrenceModel
    from scenarios import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.toml"
        path.write_text(large_scenario(states), encoding="utf-8")
        scenario = load(str(path))
    start = time.perf_counter()
    DeterrenceModel(scenario, "collective", rng=1, collect=False).run(200)
    return time.perf_counter() - start


def single_run_ms(runs: int, **overrides) -> float:
    """Median wall time of building and running a 200-step asia collective model, in ms (with
    ``overrides`` of its parameters)."""
    from model import DeterrenceModel
    from scenarios import load

    scenario = load("asia")
    DeterrenceModel(scenario, "collective", rng=0, collect=False, **overrides).run(200)
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        DeterrenceModel(scenario, "collective", rng=seed, collect=False, **overrides).run(200)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def default_specs(count: int) -> list:
    """``count`` runs at the default parameters: asia, every structure in turn, 200 steps."""
    from experiments.design import RunSpec, replicate_seeds
    from model.structure import NAMES

    seeds = replicate_seeds(20240101, -(-count // len(NAMES)))
    specs = [RunSpec.make("bench", "asia", structure, {}, k, seed, 200)
             for k, seed in enumerate(seeds) for structure in NAMES]
    return specs[:count]


def sensitivity_specs(blocks: int) -> tuple[list, int]:
    """Runs of the 30-replicate Sobol' study, in the study's own order: ``blocks`` whole
    (point, structure) blocks of 30 replicates spread over the design; and the study's size."""
    from sensitivity.study import make_study

    study = make_study("sobol", 128, replicates=30)
    specs = list({spec.run_id: spec for spec in study.runs()}.values())
    block = study.replicates
    stride = max(block, len(specs) // block // blocks * block)
    chosen = [spec for start in range(0, len(specs), stride)[:blocks]
              for spec in specs[start:start + block]]
    return chosen, len(specs)


def sweep_rate(specs: list, evaluator) -> float:
    """Runs per second of the sweep path (the evaluator's rows appended to a fresh results store),
    after the evaluator has started."""
    from experiments import runner
    from experiments.store import ResultsStore

    with tempfile.TemporaryDirectory() as folder:
        store = ResultsStore.open(Path(folder) / "bench", {"bench": len(specs)},
                                  {"planned_runs": len(specs)})
        list(evaluator.map(specs[:evaluator.workers]))  # every worker has imported the model
        start = time.perf_counter()
        report = runner.run_specs(specs, store, evaluator, progress=False)
        seconds = time.perf_counter() - start
    assert report.finished == len(specs), report
    return len(specs) / seconds


def batch_run_ratio(runs: int) -> tuple[float, float, float]:
    """(ratio, our runs/s, mesa.batch_run's runs/s) on the same grid, each end to end."""
    import mesa

    from experiments import runner
    from experiments.evaluate import make_evaluator
    from experiments.store import ResultsStore
    from model import DeterrenceModel
    from model.structure import NAMES
    from scenarios import load

    specs = default_specs(runs)
    seeds = sorted({spec.seed for spec in specs})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = ResultsStore.open(Path(folder) / "bench", {"bench": runs}, {"planned_runs": runs})
        with make_evaluator(2) as evaluator:
            runner.run_specs(specs, store, evaluator, progress=False)
    ours = runs / (time.perf_counter() - start)
    start = time.perf_counter()
    mesa.batch_run(DeterrenceModel,
                   parameters={"scenario": [load("asia")], "structure": list(NAMES),
                               "collect": [False]},
                   rng=seeds, max_steps=200, number_processes=2, data_collection_period=-1,
                   display_progress=False)
    theirs = len(seeds) * len(NAMES) / (time.perf_counter() - start)
    return ours / theirs, ours, theirs


RSS_SCRIPT = """
import os, sys, tempfile, threading, time
from pathlib import Path
from run import default_specs  # this script runs in the benchmarks folder
from experiments import runner
from experiments.evaluate import make_evaluator
from experiments.store import ResultsStore

def hwm(pid):
    # peak resident memory of a live process, kB (VmHWM starts afresh at exec)
    try:
        for line in Path(f"/proc/{{pid}}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

def descendants(root):
    parents = {{}}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                todo.append(child)
    return found

peaks, done = {{}}, threading.Event()
def watch():
    while not done.wait(0.2):
        for pid in descendants(os.getpid()):
            peaks[pid] = max(peaks.get(pid, 0), hwm(pid))
threading.Thread(target=watch, daemon=True).start()
specs = default_specs({runs})
with tempfile.TemporaryDirectory() as folder:
    store = ResultsStore.open(Path(folder) / "rss", {{"rss": {runs}}}, {{"planned_runs": {runs}}})
    with make_evaluator(2) as evaluator:
        report = runner.run_specs(specs, store, evaluator, progress=False)
        time.sleep(0.5)
done.set()
assert report.finished == {runs}, report
print(hwm(os.getpid()), sum(peaks.values()), len(peaks))
"""


def sweep_peak_rss_mb(runs: int) -> float:
    """Peak resident memory of a sweep of ``runs`` runs on 2 workers, in MB: the peaks of its main
    process and of every process it starts (fork server, workers), added up."""
    script = RSS_SCRIPT.format(runs=runs)
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).parent).stdout.split()
    return (int(out[-3]) + int(out[-2])) / 1024


def cli_help_s(repeats: int) -> float:
    """Median wall time of ``python run.py --help``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "run.py", "--help"], check=True, cwd=ROOT,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> dict[str, str]:
    import mesa
    import numpy

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                                capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":(exclude)docs"], cwd=ROOT, text=True, capture_output=True,
                               check=True).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {"machine": f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
            "python": platform.python_version(), "numpy": numpy.__version__,
            "mesa": mesa.__version__, "commit": commit}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    # Over 60 lines by design: the command's options, then each benchmark in the order it prints.
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a rough version in under a minute")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--publish", type=Path, metavar="DIR",
                        help="add this run to DIR/data/performance/benchmarks.csv, the table the "
                             "Performance page (docs/performance.md) is generated from (full runs only)")
    args = parser.parse_args()
    if args.publish and args.quick:
        parser.error("--publish records full runs only: drop --quick")
    if args.publish and not args.publish.is_dir():
        parser.error(f"--publish {args.publish}: no such folder")
    if args.publish and "uncommitted" in machine()["commit"]:
        parser.error("--publish records the code of a commit: commit or stash the changes first")
    size = QUICK if args.quick else FULL
    from experiments.evaluate import make_evaluator

    results: dict[str, float] = {}
    before = load_average()

    def report(name: str, value: float) -> None:
        results[name] = value
        digits = digits_of(name)
        target = TARGETS.get(name)
        mark = ""
        if target:
            ok = value <= target[1] if target[0] == "<=" else value >= target[1]
            mark = f"   (target {target[0]} {target[1]:g}: {'met' if ok else 'missed'})"
        print(f"{name}: {value:.{digits}f}{mark}", flush=True)

    report("single_run_ms", single_run_ms(size["single"]))
    report("single_run_ms_standing_still",
           single_run_ms(size["single"], trend_scale=0.0, war_duration="decisive"))
    specs = default_specs(size["sweep"])
    ones, twos = [], []
    with make_evaluator(1) as serial, make_evaluator(2) as pool:
        for _ in range(size["rounds"]):  # alternated, so that a change in load touches both
            ones.append(sweep_rate(specs, serial))
            twos.append(sweep_rate(specs, pool))
        one, two = statistics.median(ones), statistics.median(twos)
        report("runs_per_s_per_core", one)
        study_specs, study_runs = sensitivity_specs(size["sensitivity_blocks"])
        sensitivity = sweep_rate(study_specs, pool)
    report("sensitivity_runs_per_s", sensitivity)
    report("sensitivity_30_replicates_min", study_runs / sensitivity / 60)
    with make_evaluator(2, scheduler="local") as cluster:
        report("localcluster_ratio", sweep_rate(study_specs, cluster) / sensitivity)
    ratio, ours, theirs = batch_run_ratio(size["batch"])
    report("batch_run_ratio", ratio)
    report("parallel_efficiency", two / (2 * one))
    report("sweep_peak_rss_mb", sweep_peak_rss_mb(size["rss"]))
    report(f"sweep_peak_rss_mb_at_{size['rss'] // 10}_runs", sweep_peak_rss_mb(size["rss"] // 10))
    report("cli_help_s", cli_help_s(size["cli"]))
    report("large_scenario_run_s" if size["states"] == 200 else
           f"large_scenario_run_s_at_{size['states']}_states", large_scenario_run_s(size["states"]))
    info = machine()
    info["load average"] = f"{before} before, {load_average()} after (1, 5, 15 min)"
    info["sizes"] = (f"{'quick' if args.quick else 'full'}: single runs {size['single']}, sweep "
                     f"{size['sweep']} runs, sensitivity {len(study_specs)} of {study_runs} runs, "
                     f"batch_run grid {size['batch']} runs (ours {ours:.0f}/s, batch_run "
                     f"{theirs:.0f}/s), rss {size['rss']} runs")
    for key, value in info.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps({"results": results, **info}, indent=2) + "\n")
    if args.publish:
        table = record(args.publish, results, info, float(before.split()[0]),
                       datetime.date.today().isoformat())
        print(f"recorded in {table}; now run: python run.py report --readme")
    return 0


def digits_of(name: str) -> int:
    """Decimals shown for benchmark ``name``."""
    return 0 if name.startswith("sweep_peak_rss_mb") else DIGITS.get(name, 2)


def record(folder: Path, results: dict[str, float], info: dict[str, str], load: float,
           date: str) -> Path:
    """Append one full run's figures to ``folder``'s published benchmark table, and write its
    provenance; return the table's path."""
    target_folder = folder / PERFORMANCE
    target_folder.mkdir(parents=True, exist_ok=True)
    table = target_folder / "benchmarks.csv"
    runs = []
    if table.is_file():
        with table.open(newline="", encoding="utf-8") as handle:
            runs = [int(row["run"]) for row in csv.DictReader(handle)]
    run = max(runs, default=0) + 1
    new = not table.is_file()
    with table.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        if new:
            writer.writeheader()
        for name, value in results.items():
            target = TARGETS.get(name)
            writer.writerow({
                "run": run, "commit": info["commit"], "date": date, "load_1min": f"{load:.1f}",
                "machine": info["machine"], "python": info["python"], "mesa": info["mesa"],
                "benchmark": name, "label": LABELS.get(name, f"`{name}`"), "value": repr(value),
                "digits": digits_of(name),
                "target": f"{'≤' if target[0] == '<=' else '≥'} {target[1]:g}" if target else "",
            })
    line = ("Benchmarks: each column is one full run of `python benchmarks/run.py --publish "
            "docs/figures` at the commit named, with its date and the 1-minute load average from "
            f"other work when it started; {run} runs recorded in benchmarks.csv.")
    (target_folder / "provenance.json").write_text(json.dumps({"line": line}, indent=2) + "\n",
                                                   encoding="utf-8")
    return table


if __name__ == "__main__":
    sys.exit(main())
