"""``run.py run``: one simulation, its run-level metrics as a table, optionally its series as CSV."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

from .options import (
    add_engine_option,
    add_model_options,
    add_structure_option,
    check_structures,
    parse_overrides,
)

if TYPE_CHECKING:
    from model import DeterrenceModel


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "run", help="run one simulation and print its run-level metrics",
        description="Run one simulation and print its run-level metrics as a table.",
    )
    add_model_options(parser)
    add_structure_option(parser)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="number of steps (default: 200)")
    length.add_argument("--years", type=float,
                        help="length in years, converted with the scenario's years per step")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="write the per-step series to this CSV file")
    add_engine_option(parser)
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
    if args.steps is not None and args.steps < 1:
        raise ValueError(f"--steps must be at least 1, got {args.steps}")
    if args.years is not None and args.years <= 0:
        raise ValueError(f"--years must be positive, got {args.years}")
    if args.out is not None and not args.out.parent.is_dir():
        raise ValueError(f"--out {args.out}: folder '{args.out.parent}' does not exist")
    scenario = load(args.scenario)
    steps = scenario.steps_for(args.years) if args.years is not None else (args.steps or 200)
    overrides = parse_overrides(args.overrides)
    model = DeterrenceModel(scenario, args.structure, rng=args.seed,
                            collect=args.out is not None, **overrides)
    print(f"scenario {scenario.name} · structure {args.structure} · seed {args.seed} · "
          f"{steps} steps = {steps * scenario.years_per_step:g} years "
          f"({scenario.years_per_step:g} years per step)")
    print()
    print(formation_summary(model))
    metrics = model.run(steps, engine=args.engine)
    grouped = sections()
    width = max(len(name) for names in grouped.values() for name in names)
    for section, names in grouped.items():
        print(f"\n{section}")
        for name in names:
            print(f"  {name:<{width}}  {format_value(metrics[name]):>8}")
    alliance = [e for e in model.events if e.step > 0]
    if alliance:
        print("\nThe alliance during the run")
        for event in alliance:
            print(f"  {event.describe()}")
    if args.out is not None:
        model.series().to_csv(args.out)
        print(f"\nper-step series written to {args.out}")
    return 0


def formation_summary(model: DeterrenceModel) -> str:
    """Whether the structure formed and who declined, in plain words."""
    params = model.params
    if not model.prospective:
        return f"Structure '{params['structure']}': no alliance (self-help baseline)."
    if params["formation"] == "imposed":
        return (f"Structure '{params['structure']}' imposed on its {len(model.prospective)} "
                "prospective members (formation = imposed).")
    lines = [event.describe().split(" · ", 1)[1] for event in model.events if event.step == 0]
    head = ("Structure formed" if model.formed else "The structure DID NOT FORM")
    return f"{head} (formation = voluntary):\n" + "\n".join(f"  {line}" for line in lines)
