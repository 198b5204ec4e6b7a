"""``run.py report``: one self-contained HTML file of every stored result; ``--readme`` regenerates
the README's numbers from the published tables.

The report (:mod:`analysis.html_report`) reads the stored results only and never runs the model; a
section whose experiment has not been run says which command makes it. ``--readme`` rewrites the
blocks between ``<!-- results: NAME -->`` and ``<!-- /results -->`` in README.md from
``docs/figures/data`` (:mod:`analysis.readme`); ``--check-readme`` only says which blocks differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="one self-contained HTML report of every stored result (no simulation)",
        description="Assemble results/report.html from the stored results: the headline, phase "
                    "diagrams, viability, history, pathways, the regime map and the sensitivity "
                    "indices, each figure with its caption, experiment hash, replicates and commit "
                    "(images embedded, one file). With --readme, regenerate instead the README's "
                    "numbers (the blocks between <!-- results: NAME --> markers) from the published "
                    "tables in docs/figures/data.",
    )
    parser.add_argument("--results", type=Path, default=Path("results"), metavar="DIR",
                        help="results root folder to read (default: results)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="the HTML file to write (default: DIR/report.html, or "
                             "DIR/report-quick.html with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="report the quick versions (the <name>-quick folders)")
    parser.add_argument("--readme", action="store_true",
                        help="regenerate the README's results blocks from --published instead")
    parser.add_argument("--check-readme", action="store_true",
                        help="only check that the README's results blocks equal what --published "
                             "makes; exit 1 naming the blocks that differ")
    parser.add_argument("--readme-file", type=Path, default=Path("README.md"), metavar="FILE",
                        help="the README to regenerate or check (default: README.md)")
    parser.add_argument("--published", type=Path, default=Path("docs/figures"), metavar="DIR",
                        help="the published figures and tables (default: docs/figures)")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    if args.readme or args.check_readme:
        return _readme(args)
    from analysis.html_report import build

    out = args.out or args.results / ("report-quick.html" if args.quick else "report.html")
    path = build(args.results, out, quick=args.quick)
    print(f"report: {path} ({path.stat().st_size / 1e6:.1f} MB, figures embedded)")
    return 0


def _readme(args: argparse.Namespace) -> int:
    from analysis.numbers import Source
    from analysis.readme import stale, update

    if not args.readme_file.is_file():
        raise ValueError(f"{args.readme_file}: no such file")
    if args.check_readme:
        text = args.readme_file.read_text(encoding="utf-8")
        differ = stale(text, Source(args.published, published=True))
        if differ:
            print(f"{args.readme_file}: blocks differ from {args.published / 'data'}: "
                  f"{', '.join(differ)}; 'python run.py report --readme' regenerates them",
                  file=sys.stderr)
            return 1
        print(f"{args.readme_file}: every results block equals what {args.published} makes")
        return 0
    changed = update(args.readme_file, args.published)
    print(f"{args.readme_file}: {len(changed)} block(s) regenerated from {args.published / 'data'}"
          + (f" ({', '.join(changed)})" if changed else ""))
    return 0
