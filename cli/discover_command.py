"""``run.py discover``: the regime map -- where collective obligation is less stable than
hub-and-spoke, and where it does not form (scenario discovery with PRIM, :mod:`analysis.discovery`).

Runs (or resumes) the ``regime`` experiment -- a Latin hypercube over every declared uncertainty with
hub-and-spoke and collective on paired seeds, states free to join or not -- and ``regime_imposed``,
the same points with every structure imposed, into ``results/<name>/``; then draws their figures,
including the PRIM boxes, and prints them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import add_engine_option, counted, whole, workers_that_help

EXPERIMENTS = ("regime", "regime_imposed")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "discover", help="the regime map: where collective obligation is less stable, or does not "
                         "form (PRIM)",
        description="Run (or resume) the regime experiment -- a Latin hypercube over every declared "
                    "uncertainty, hub-and-spoke against collective on paired seeds -- then find with "
                    "PRIM (EMA Workbench) the boxes of parameter space where collective obligation is "
                    "less stable than hub-and-spoke and where the collective pact does not form. "
                    "Figures and tables: results/<name>/figures/ (discovery_*.png, discovery.csv, "
                    "summary.md).",
    )
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT",
                        help="Latin-hypercube experiments comparing collective with hub-and-spoke "
                             f"(default: {' '.join(EXPERIMENTS)})")
    parser.add_argument("--quick", action="store_true",
                        help="the experiment's small version (seconds), into results/<name>-quick/")
    parser.add_argument("--workers", type=whole, metavar="N",
                        help="worker processes (default: every core; 1 = serial; more than the cores "
                             "are not used)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a dask.distributed scheduler (tcp://HOST:PORT, or 'local')")
    parser.add_argument("--out", type=Path, default=Path("results"), metavar="DIR",
                        help="results root folder (default: results)")
    parser.add_argument("--new", action="store_true",
                        help="if the folder holds results of a changed experiment, write to a new folder")
    parser.add_argument("--retry-failed", action="store_true",
                        help="also rerun the runs that raised in an earlier session (failures.csv)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_engine_option(parser)
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.design import load
    from experiments.evaluate import make_evaluator
    from experiments.runner import check_store
    from model.structure import COMPARED

    args.workers = workers_that_help("--workers", args.workers)
    experiments = [load(name, quick=args.quick) for name in args.experiments or EXPERIMENTS]
    for experiment in experiments:  # everything is checked before anything runs
        if experiment.kind != "latin_hypercube" or not set(COMPARED) <= set(experiment.structures):
            raise ValueError(f"{experiment.path}: discover needs a latin_hypercube design comparing "
                             "collective with hub_and_spoke")
        if not args.new:
            check_store(experiment, args.out)
    failed = 0
    with make_evaluator(args.workers, args.scheduler, args.engine) as evaluator:
        for experiment in experiments:
            status, count = _discover(experiment, args, evaluator)
            failed += count
            if status == "interrupted":
                return 130
    if failed:
        print(f"{counted(failed, 'run')} failed: see each folder's failures.csv; fix the cause, then "
              "give the same command with --retry-failed", file=sys.stderr)
        return 1
    return 0


def _discover(experiment, args: argparse.Namespace, evaluator) -> tuple[str, int]:
    """Run one experiment, draw its figures and print its boxes; its status and failed runs."""
    from analysis.figure_set import make_figures
    from experiments.runner import run_experiment

    report = run_experiment(experiment, out=args.out, new=args.new, progress=not args.no_progress,
                            evaluator=evaluator, retry_failed=args.retry_failed)
    print(f"{experiment.folder_name}: {report.finished} of {report.planned} runs in {report.folder} "
          f"({report.added} new, {report.seconds:.1f} s)")
    if report.status == "interrupted":
        print(f"interrupted: the {report.finished} finished runs are kept; give the same command to "
              "resume", file=sys.stderr)
        return report.status, report.failed
    files = make_figures(report.folder)
    summary = (report.folder / "figures" / "summary.md").read_text(encoding="utf-8")
    start = summary.find("## Scenario discovery")
    end = summary.find("\n## ", start + 1)
    print()
    print(summary[start:end if end > 0 else None].strip())
    print(f"\nfigures and tables: {report.folder / 'figures'} ({len(files)} files)\n")
    return report.status, report.failed
