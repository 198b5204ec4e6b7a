"""``run.py run``: one simulation, its run-level metrics as a table, optionally its series as CSV."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from .options import add_model_options, add_structure_option, check_structures, parse_overrides


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "run", help="run one simulation and print its run-level metrics",
        description="Run one simulation and print its run-level metrics as a table.",
    )
    add_model_options(parser)
    add_structure_option(parser)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--steps", type=int, default=200, help="number of steps (default: 200)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="write the per-step series to this CSV file")
    parser.set_defaults(handler=main)


def format_value(value: float) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if value != int(value):
            return f"{value:.3f}"
        return str(int(value))
    return str(value)


def main(args: argparse.Namespace) -> int:
    from model import DeterrenceModel
    from model.observations import sections
    from scenarios import load

    check_structures([args.structure])
    if args.steps < 1:
        raise ValueError(f"--steps must be at least 1, got {args.steps}")
    if args.out is not None and not args.out.parent.is_dir():
        raise ValueError(f"--out {args.out}: folder '{args.out.parent}' does not exist")
    scenario = load(args.scenario)
    overrides = parse_overrides(args.overrides)
    model = DeterrenceModel(scenario, args.structure, rng=args.seed,
                            collect=args.out is not None, **overrides)
    metrics = model.run(args.steps)
    print(f"scenario {scenario.name} · structure {args.structure} · seed {args.seed} · "
          f"{args.steps} steps")
    grouped = sections()
    width = max(len(name) for names in grouped.values() for name in names)
    for section, names in grouped.items():
        print(f"\n{section}")
        for name in names:
            print(f"  {name:<{width}}  {format_value(metrics[name]):>8}")
    if args.out is not None:
        model.series().to_csv(args.out)
        print(f"\nper-step series written to {args.out}")
    return 0
