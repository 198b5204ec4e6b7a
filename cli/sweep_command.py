"""``run.py sweep``: run experiments into ``results/<experiment>/``, then draw their figures.

With no argument, runs the default set (``experiments.design.DEFAULT_SET``: the headline comparison,
viability, the mechanisms, history, pathways, both phase diagrams, topology x strength, the scenario
comparison, reliability by kind, exit x quorum, threat, the settings that can swing the verdict and
how long ties last),
about 40 minutes on two cores.
An interrupted sweep (Ctrl-C) keeps every finished run; the same command resumes it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import add_engine_option, check_unused, counted, whole, workers_that_help


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep", help="run an experiment (default: the default set) and draw its figures",
        description="Run an experiment file's runs in parallel into results/<experiment>/ (runs.csv, "
                    "manifest.json), resuming where an earlier sweep stopped, then write its figures. "
                    "Shipped experiments: python run.py sweep --list.",
    )
    parser.add_argument("experiment", nargs="?", metavar="EXPERIMENT",
                        help="a shipped experiment's name or the path of an experiment TOML file "
                             "(default: the default set)")
    parser.add_argument("--quick", action="store_true",
                        help="run the experiment's small [quick] version into results/<name>-quick/")
    parser.add_argument("--workers", type=whole, metavar="N",
                        help="worker processes (default: every core; 1 = serial; more than the cores "
                             "are not used)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a dask.distributed scheduler (tcp://HOST:PORT), or 'local' to start "
                             "a LocalCluster of --workers processes (needs: uv sync --extra cluster)")
    parser.add_argument("--out", type=Path, default=Path("results"), metavar="DIR",
                        help="results root folder (default: results)")
    parser.add_argument("--new", action="store_true",
                        help="if the folder holds results of a changed experiment, write to a new "
                             "folder (<name>-2, ...) instead of refusing")
    parser.add_argument("--series", action="store_true",
                        help="also store every run's per-step series (series.csv; slower, larger)")
    parser.add_argument("--retry-failed", action="store_true",
                        help="also rerun the runs that raised in an earlier session (failures.csv)")
    parser.add_argument("--no-figures", action="store_true", help="do not draw figures afterwards")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--list", action="store_true", help="list the shipped experiments and exit")
    add_engine_option(parser)
    parser.set_defaults(handler=main)


def _select(args: argparse.Namespace):
    """Load (and so validate) every experiment before running any."""
    from experiments.design import DEFAULT_SET, ExperimentError, load

    if args.experiment:
        return [load(args.experiment, quick=args.quick)], []
    chosen, skipped = [], []
    for name in DEFAULT_SET:
        try:
            chosen.append(load(name, quick=args.quick))
        except ExperimentError as error:
            if "unknown scenario" not in str(error):
                raise
            skipped.append((name, str(error)))
    return chosen, skipped


def main(args: argparse.Namespace) -> int:
    from experiments.design import ExperimentError, available, load
    from experiments.evaluate import make_evaluator
    from experiments.runner import check_store, run_experiment

    if args.list:
        check_unused("--list", "lists every shipped experiment", "EXPERIMENT", args.experiment)
        for name in available():
            try:
                experiment = load(name)
            except ExperimentError as error:
                print(f"{name:<20} (unavailable: {error})")
                continue
            print(f"{name:<20} {len(experiment.runs()):>6} runs  {experiment.description}")
        return 0
    args.workers = workers_that_help("--workers", args.workers)
    experiments, skipped = _select(args)
    for name, reason in skipped:
        print(f"skipping {name}: {reason}", file=sys.stderr)
    if not args.new:
        for experiment in experiments:  # refuse before running anything, not halfway through the set
            check_store(experiment, args.out)
    done: list[Path] = []
    failed = 0
    with make_evaluator(args.workers, args.scheduler, args.engine) as evaluator:
        for experiment in experiments:
            report = run_experiment(experiment, out=args.out, new=args.new, series=args.series,
                                    progress=not args.no_progress, evaluator=evaluator,
                                    retry_failed=args.retry_failed)
            failed += report.failed
            if not _finish(args, experiment, report, done):
                return 130
    headline = next((f for f in done if f.name.startswith("headline")), done[0] if done else None)
    if headline is not None:
        from analysis.figure_set import headline_text

        print()
        print(headline_text(headline))
    if failed:
        print(f"{counted(failed, 'run')} failed: their parameters, seeds and tracebacks are in each folder's "
              "failures.csv; fix the cause, then give the same command with --retry-failed",
              file=sys.stderr)
        return 1
    return 0


def _finish(args: argparse.Namespace, experiment, report, done: list[Path]) -> bool:
    """Report one experiment's sweep and draw its figures; False if it was interrupted."""
    rate = f", {report.rate:.0f} runs/s on {counted(report.workers, 'worker')}" if report.added else ""
    failed = f", {report.failed} failed: see failures.csv" if report.failed else ""
    print(f"{experiment.folder_name}: {report.finished} of {report.planned} runs in {report.folder} "
          f"({report.added} new, {report.seconds:.1f} s{rate}{failed})")
    if report.status == "interrupted":
        print(f"interrupted: the {report.finished} finished runs are kept in {report.folder / 'runs.csv'}; "
              "give the same command to resume", file=sys.stderr)
        return False
    done.append(report.folder)
    if not args.no_figures:
        from analysis.figure_set import make_figures

        files = make_figures(report.folder)
        print(f"  figures and tables: {report.folder / 'figures'} ({len(files)} files)")
    return True
