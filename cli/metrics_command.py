"""``run.py metrics``: the data dictionary -- every run-level metric and every column of a run table,
with its meaning, unit and type (:mod:`experiments.columns`)."""

from __future__ import annotations

import argparse

from .options import check_unused


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "metrics", help="what each metric and column of a run means (the data dictionary)",
        description="The data dictionary: every run-level metric (what 'python run.py run' prints "
                    "and runs.csv stores), every other column of runs.csv and the per-step series, "
                    "with meaning, unit and type. Give a NAME for one of them.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="one metric or column, e.g. stable_cohesive (also run_<metric>, as "
                             "mesa.batch_run names it)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables that docs/reference/data-dictionary.md embeds")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments.columns import entries, entry, markdown, step_series_meaning
    from model.observations import STEP_SERIES

    if args.markdown:
        check_unused("--markdown", "prints the tables of every metric and column", "NAME", args.name)
        print(markdown(), end="")
        return 0
    if args.name:
        found = entry(args.name)
        print(found.name)
        print(f"  meaning  {found.meaning}")
        print(f"  unit     {found.unit}")
        print(f"  type     {found.type}")
        where = {"identity": "runs.csv (the run's identity)",
                 "parameter": f"runs.csv; a parameter ({found.section}): python run.py parameters "
                              f"{found.name}",
                 "metric": f"runs.csv, model.run(), python run.py run (under {found.section}), "
                           f"mesa.batch_run as run_{found.name}",
                 "series": "the per-step series only"}[found.group]
        print(f"  where    {where}")
        if found.name in STEP_SERIES and found.group != "series":
            print(f"  per step {step_series_meaning(found.name)} (series.csv, model.series())")
        return 0
    section = None
    for item in entries():
        if item.group == "parameter":
            continue
        if item.section != section:
            section = item.section
            print(f"\n{section}")
        print(f"  {item.name:<26} {item.meaning.split(': ')[0].split('; ')[0]} ({item.unit})")
    print("\nEvery parameter is a column too: python run.py parameters. One entry in full: "
          "python run.py metrics NAME")
    return 0
