"""``run.py report``: one self-contained HTML file of every stored result; ``--readme`` regenerates
the numbers of README.md and of the documentation (docs/findings.md, ...) from the published tables.

The report (:mod:`analysis.html_report`) reads the stored results only and never runs the model: a
section for every experiment and study stored; ``--missing`` also lists the default set's
experiments that have not been run, with the command that makes each. ``--readme`` rewrites the
blocks between ``<!-- results: NAME -->`` and ``<!-- /results -->`` in every document of
:data:`analysis.readme.DOCUMENTS` (or the ``--readme-file`` given) from ``docs/figures/data``
(:mod:`analysis.readme`); ``--check-readme`` only says which blocks differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="one self-contained HTML report of every stored result (no simulation)",
        description="Assemble results/report.html from the stored results: a section for every "
                    "experiment and sensitivity study under the results folder (your own among "
                    "them), each with its design, its tables and every figure with its caption, "
                    "experiment hash, replicates and commit (images embedded, one file; click a "
                    "figure for its full size). With --readme, regenerate instead the numbers of "
                    "README.md, docs/index.md, docs/findings.md and docs/performance.md (the blocks "
                    "between <!-- results: NAME --> markers) from the published tables in "
                    "docs/figures/data.",
    )
    parser.add_argument("--results", type=Path, default=Path("results"), metavar="DIR",
                        help="results root folder to read (default: results)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="the HTML file to write ('-': standard output; default: "
                             "DIR/report.html, or DIR/report-quick.html with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="report the quick versions (the <name>-quick folders)")
    parser.add_argument("--missing", action="store_true",
                        help="also list the default set's experiments (and the regime map and the "
                             "sensitivity study) that have not been run, with the command for each")
    parser.add_argument("--readme", action="store_true",
                        help="regenerate the results blocks of README.md and the documentation from "
                             "--published instead")
    parser.add_argument("--check-readme", action="store_true",
                        help="only check that those results blocks equal what --published makes; "
                             "exit 1 naming the blocks that differ")
    parser.add_argument("--readme-file", type=Path, action="append", metavar="FILE",
                        help="a document to regenerate or check (repeatable; default: README.md, "
                             "docs/index.md, docs/findings.md, docs/performance.md)")
    parser.add_argument("--published", type=Path, default=Path("docs/figures"), metavar="DIR",
                        help="the published figures and tables (default: docs/figures)")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    if args.readme or args.check_readme:
        return _readme(args)
    from analysis.html_report import check_root, render

    from .destination import Destination

    check_root(args.results)
    out = args.out or args.results / ("report-quick.html" if args.quick else "report.html")
    destination = Destination(out, "report.html")  # checked before the report is made
    expected: tuple[str, ...] = ()
    if args.missing:
        from cli.discover_command import EXPERIMENTS as REGIME
        from experiments.design import DEFAULT_SET

        expected = (*DEFAULT_SET, *REGIME, "sensitivity")
    try:
        document = render(args.results, quick=args.quick, expected=expected)
        destination.write(lambda stream: stream.write(document))
    finally:
        destination.discard()
    size = f"{len(document.encode()) / 1e6:.1f} MB, figures embedded"
    print(f"report: {'standard output' if destination.stdout else out} ({size})",
          file=sys.stderr if destination.stdout else sys.stdout)
    return 0


def _readme(args: argparse.Namespace) -> int:
    from analysis.numbers import Source
    from analysis.readme import DOCUMENTS, stale, update

    files = args.readme_file or [Path(name) for name in DOCUMENTS]
    for file in files:
        if not file.is_file():
            raise ValueError(f"{file}: no such file")
    if args.check_readme:
        status = 0
        for file in files:
            differ = stale(file.read_text(encoding="utf-8"), Source(args.published, published=True))
            if differ:
                print(f"{file}: blocks differ from {args.published / 'data'}: {', '.join(differ)}; "
                      "'python run.py report --readme' regenerates them", file=sys.stderr)
                status = 1
            else:
                print(f"{file}: every results block equals what {args.published} makes")
        return status
    for file in files:
        changed = update(file, args.published)
        print(f"{file}: {len(changed)} block(s) regenerated from {args.published / 'data'}"
              + (f" ({', '.join(changed)})" if changed else ""))
    return 0
