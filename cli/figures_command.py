"""``run.py figures``: figures and summary tables from stored results, without rerunning the model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import check_unused


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "figures", help="draw figures and tables from stored results (no simulation)",
        description="Read results/<experiment>/runs.csv and manifest.json and write PNG and PDF "
                    "figures, caption sidecars and summary tables to results/<experiment>/figures/.",
    )
    parser.add_argument("experiment", nargs="?", metavar="EXPERIMENT",
                        help="a results folder's name under --out (e.g. headline, headline-quick) or "
                             "a folder path (default: every results folder)")
    parser.add_argument("--out", type=Path, default=Path("results"), metavar="DIR",
                        help="results root folder (default: results)")
    parser.add_argument("--publish", type=Path, metavar="DIR",
                        help="redraw the figures the documentation shows and copy them, with their captions, "
                             "to DIR (e.g. docs/figures)")
    parser.add_argument("--quick", action="store_true",
                        help="with --publish: publish the quick versions (<name>-quick folders), to try "
                             "the pipeline; their numbers mean nothing")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from analysis.figure_set import make_figures
    from analysis.results import folders, load, sweep_command

    if args.publish:
        from analysis.publish import publish

        check_unused("--publish", "redraws every published figure", "EXPERIMENT", args.experiment)
        files = publish(args.out, args.publish, quick=args.quick)
        print(f"published {len(files)} files to {args.publish}")
        return 0
    if args.quick:
        raise ValueError("--quick is only for --publish; a quick version's results are a folder of "
                         "their own, named NAME-quick: give that name (e.g. headline-quick)")
    if args.experiment:
        chosen = [_folder(args.experiment, args.out)]
    else:
        chosen = folders(args.out)
        if not chosen:
            raise ValueError(f"no results under {args.out}: run '{sweep_command(root=args.out)}' first")
    for folder in chosen:
        files = make_figures(folder)
        print(f"{folder}: {len(files)} files in {folder / 'figures'}")
        missing = load(folder).missing
        if missing:
            print(f"  note: {missing}; the figures show the runs present", file=sys.stderr)
    return 0


def _folder(name: str, out: Path) -> Path:
    """The results folder ``figures NAME`` draws: the folder NAME, or NAME under ``out``; else a
    ``ValueError`` with the command that makes it, or what the folder lacks."""
    from analysis.results import sweep_command
    from experiments.formats import MANIFEST

    places = (Path(name), out / name)
    for folder in places:
        if (folder / MANIFEST).is_file():
            return folder
    make = sweep_command(name, out) if len(Path(name).parts) == 1 else None
    if make:
        raise ValueError(f"no results for '{name}' in {out}: run '{make}' first")
    for folder in places:
        if folder.is_dir():
            raise ValueError(f"{folder}: not a results folder (no {MANIFEST})")
    raise ValueError(f"no results for '{name}': no folder {out / name}")
