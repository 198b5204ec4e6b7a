"""``run.py sensitivity``: global sensitivity analysis (SALib Sobol' or Morris) of the declared uncertainties.

Samples every declared uncertainty of ``model.parameters``, runs each point under hub-and-spoke and
collective with paired replicate seeds, stores the runs in ``results/sensitivity-<method>-n<N>/``
(same store, manifest and resume as sweeps), then writes the indices (``indices.csv``,
``summary.csv``) and figures, and prints the top drivers of each outcome.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from sensitivity.defaults import DEFAULT_METRICS, DEFAULTS, MASTER_SEED, METHODS, QUICK

from .options import add_engine_option, check_seed, counted, whole, workers_that_help

TOP = 5


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sensitivity", help="global sensitivity analysis (Sobol' or Morris) of the structure comparison",
        description=(
            "Sample the declared uncertainties with SALib, run every point under hub_and_spoke and "
            "collective with paired seeds and several replicates, and compute Sobol' (S1, ST, S2) or "
            "Morris (mu*, sigma) indices for each structure's outcome and for the paired gap "
            "delta = collective - hub_and_spoke. Results, manifest and resume as for sweeps."
        ),
    )
    parser.add_argument("--method", choices=METHODS, default="sobol",
                        help="Sobol' variance decomposition or Morris screening (default: sobol)")
    parser.add_argument(
        "--n", type=whole, metavar="N",
        help=f"Sobol' base sample (a power of two; default {DEFAULTS['sobol']['n']}) or Morris "
             f"trajectories (default {DEFAULTS['morris']['n']})",
    )
    parser.add_argument(
        "--outcome", nargs="+", metavar="NAME", default=list(DEFAULT_METRICS),
        help="run-level metrics to analyse, each per structure and as the paired gap "
             f"(default: {' '.join(DEFAULT_METRICS)})",
    )
    parser.add_argument("--second-order", action="store_true",
                        help="also estimate second-order Sobol' indices S2 (about twice the runs)")
    parser.add_argument("--quick", action="store_true",
                        help="a small version in seconds (smoke test; its indices mean nothing)")
    parser.add_argument("--replicates", type=whole, metavar="R",
                        help=f"paired replicates per point (default {DEFAULTS['sobol']['replicates']}, "
                             f"--quick {QUICK['sobol']['replicates']})")
    parser.add_argument("--steps", type=whole,
                        help=f"steps per run, at most 10,000 (default {DEFAULTS['sobol']['steps']})")
    parser.add_argument("--seed", type=whole, default=MASTER_SEED,
                        help=f"master seed of the sample and the replicate seeds (default {MASTER_SEED})")
    parser.add_argument("--scenario", default="asia", help="scenario name or TOML path (default: asia)")
    parser.add_argument("--workers", type=whole, metavar="N",
                        help="worker processes (default: every core, or 1 with --quick, where starting "
                             "workers costs more than it saves; 1 = in this process; more than the "
                             "cores are not used)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a dask.distributed scheduler (tcp://HOST:PORT), or 'local' for a "
                             "LocalCluster, instead of local processes")
    parser.add_argument("--out", type=Path, default=Path("results"),
                        help="results folder (default: results)")
    parser.add_argument("--new", action="store_true",
                        help="if the study's folder holds another definition, write to a new folder")
    parser.add_argument("--retry-failed", action="store_true",
                        help="also rerun the runs that raised in an earlier session (failures.csv)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_engine_option(parser)
    parser.set_defaults(handler=main)


def _format(value: float, conf: float) -> str:
    if not math.isfinite(value):
        return "-"
    if math.isfinite(conf):
        return f"{value:.2f}±{conf:.2f}"
    return f"{value:.3f}"


def print_summary(analysis, method: str) -> None:
    """Per outcome: the replicate-noise share and the top drivers."""
    from sensitivity.outcomes import outcome_label

    index = "ST" if method == "sobol" else "mu_star"
    label = "top drivers by ST (total Sobol' index ± 95 % CI)" if method == "sobol" else \
        "top drivers by mu* (mean |elementary effect| ± 95 % CI)"
    print(f"\n{label}; noise = share of the analysed variance that is replicate noise")
    summary = analysis.summary.set_index("outcome")
    for outcome in summary.index:
        row = summary.loc[outcome]
        noise = "-" if not math.isfinite(row.noise_share_mean) else f"{row.noise_share_mean:.0%}"
        table = analysis.table(outcome, index)
        if table.value.isna().all():
            print(f"  {outcome_label(outcome)}: did not vary over the sample")
            continue
        top = table.value.sort_values(ascending=False).index[:TOP]
        drivers = ", ".join(f"{name} {_format(table.value[name], table.conf[name])}" for name in top)
        extra = f"; undefined at {row.undefined_points} points" if row.undefined_points else ""
        print(f"  {outcome_label(outcome)}  (noise {noise}{extra})\n      {drivers}")


def main(args: argparse.Namespace) -> int:
    from analysis.sensitivity import analyse_folder
    from analysis.sensitivity_figures import make_figures
    from model.structure import COMPARED
    from scenarios import load, require_hub
    from sensitivity.outcomes import check_metrics
    from sensitivity.sampling import points_needed
    from sensitivity.study import make_study, run_study

    metrics = check_metrics(args.outcome)
    args.workers = workers_that_help("--workers", args.workers)
    check_seed("--seed", args.seed)
    scenario = load(args.scenario)  # a bad scenario is refused before anything is written
    for structure in COMPARED:
        require_hub(scenario, structure, choosable=False)  # the study compares these two
    study = make_study(args.method, args.n, seed=args.seed, scenario=args.scenario,
                       structures=COMPARED, replicates=args.replicates, steps=args.steps,
                       second_order=args.second_order, quick=args.quick)
    design = study.design
    planned = points_needed(design.method, design.n, len(design.problem), design.second_order)
    total = planned * len(study.structures) * study.replicates
    distinct = len({spec.run_id for spec in study.runs()})
    repeats = f" ({distinct} distinct)" if distinct != total else ""
    print(f"{study.name}: {design.method} on {study.scenario}, {len(design.problem)} uncertainties, "
          f"{planned} points x {len(study.structures)} structures x {study.replicates} replicates "
          f"= {total} runs{repeats} of {study.steps} steps")
    workers = 1 if args.quick and args.workers is None and args.scheduler is None else args.workers
    report = run_study(study, args.out, workers=workers, scheduler=args.scheduler, new=args.new,
                       progress=not args.no_progress, metrics=metrics, retry_failed=args.retry_failed,
                       engine=args.engine)
    if report.failed:
        print(f"{counted(report.failed, 'run')} failed (their parameters, seeds and tracebacks are in "
              f"{report.folder / 'failures.csv'}); the indices need every run: fix the cause, then "
              "give the same command with --retry-failed", file=sys.stderr)
        return 1
    if report.status != "complete":
        print(f"{report.status}: the {report.finished} of {report.planned} finished runs are kept in "
              f"{report.folder / 'runs.csv'}; give the same command to resume", file=sys.stderr)
        return 130
    if report.added:
        print(f"{report.added} runs in {report.seconds:.1f} s ({report.rate:.0f} runs/s, "
              f"{counted(report.workers, 'worker')})")
    analysis = analyse_folder(report.folder, list(metrics))
    files = make_figures(report.folder, analysis)
    print_summary(analysis, design.method)
    print(f"\nresults: {report.folder} (runs.csv, samples.csv, plan.csv, manifest.json)")
    print(f"indices and figures: {report.folder / 'figures'} ({len(files)} files: indices.csv, "
          "sensitivity_summary.csv, summary.md, PNG/PDF with captions); "
          f"'python run.py figures {report.folder.name}' regenerates them from the stored runs")
    return 0
