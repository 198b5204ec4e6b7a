"""``run.py run``: one simulation, its run-level metrics as a table, optionally its series as CSV."""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .destination import Destination
from .options import (
    add_engine_option,
    add_model_options,
    add_structure_option,
    check_range,
    check_seed,
    check_structures,
    decimal,
    parse_overrides,
    whole,
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
    parser.add_argument("--seed", type=whole, default=1,
                        help="random seed, a whole number >= 0 (default: 1)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--steps", type=whole,
                        help="number of steps, at most 10,000 (default: 200)")
    length.add_argument("--years", type=decimal,
                        help="length in years, a whole number of the scenario's steps (at most "
                             "10,000 steps)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="write the per-step series to this CSV file ('-': standard output, "
                             "the table then goes to standard error)")
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
    from model.parameters import MOST_STEPS
    from scenarios import load, require_hub

    check_structures([args.structure])
    check_seed("--seed", args.seed)
    check_range("--steps", args.steps, 1, MOST_STEPS)
    if args.years is not None and args.years <= 0:
        raise ValueError(f"--years must be positive, got {args.years:g}")
    overrides = parse_overrides(args.overrides)
    scenario = load(args.scenario)
    require_hub(scenario, args.structure)
    steps = args.steps or 200
    if args.years is not None:
        steps = _steps_of(args.years, scenario)
        if steps > MOST_STEPS:
            raise ValueError(f"--years must be at most {MOST_STEPS * scenario.years_per_step:,g} for "
                             f"scenario {scenario.name} ({MOST_STEPS:,} steps of "
                             f"{scenario.years_per_step:g} years), got {args.years:g}")
    destination = (Destination(args.out, "series.csv") if args.out is not None
                   else None)  # checked before the run
    try:
        model = DeterrenceModel(scenario, args.structure, rng=args.seed,
                                collect=args.out is not None, **overrides)
        to_stdout = destination is not None and destination.stdout
        with contextlib.redirect_stdout(sys.stderr) if to_stdout else contextlib.nullcontext():
            result = _run(model, scenario, args, steps)
        if destination is not None:
            series = model.series()
            destination.write(series.to_csv)
            if not to_stdout:
                print(f"\nper-step series written to {args.out}")
    finally:
        if destination is not None:
            destination.discard()
    return result


def _steps_of(years: float, scenario) -> int:
    """The steps that span ``years`` exactly (to rounding error); ``ValueError`` otherwise."""
    length = scenario.years_per_step
    steps = round(years / length)
    if steps < 1 or not math.isclose(years / length, steps, rel_tol=1e-9):
        raise ValueError(f"--years {years:g}: not a whole number of steps of {length:g} years "
                         f"(scenario {scenario.name}); give a multiple of {length:g}, or --steps")
    return steps


def _run(model: DeterrenceModel, scenario, args: argparse.Namespace, steps: int) -> int:
    from analysis.verdict import verdict
    from experiments.evaluate import NonFiniteError, check_finite
    from model.observations import BY_NAME, sections

    print(f"scenario {scenario.name} · structure {args.structure} · seed {args.seed} · "
          f"{steps} steps = {steps * scenario.years_per_step:g} years "
          f"({scenario.years_per_step:g} years per step)")
    formation = formation_summary(model)  # the first review, as it stood before the first step
    metrics = model.run(steps, engine=args.engine)
    try:
        check_finite(model, metrics)
    except NonFiniteError as error:
        raise ValueError(f"the run failed: {error}") from None
    print()
    print(verdict({**model.params, **metrics}))
    print()
    print(formation)
    grouped = sections()
    width = max(len(name) for names in grouped.values() for name in names)
    for section, names in grouped.items():
        print(f"\n{section}")
        for name in names:
            print(f"  {name:<{width}}  {format_value(metrics[name]):>8}  {BY_NAME[name].label}")
    alliance = [e for e in model.events if e.step > 0 or e.kind == "scheduled"]  # the start year's at 0
    if alliance:
        print("\nThe alliance during the run")
        for event in alliance:
            print(f"  {event.describe()}")
    print("\nWhat a line means, its unit and type: python run.py metrics NAME")
    return 0


def formation_summary(model: DeterrenceModel) -> str:
    """Whether the structure formed, and each party's decision at the first review with its value
    in parts (utility per year), in plain words."""
    params = model.params
    if not model.prospective:
        return f"Structure '{params['structure']}': no alliance (self-help baseline)."
    if params["formation"] == "imposed":
        return (f"Structure '{params['structure']}' imposed on its {len(model.prospective)} "
                "prospective members (formation = imposed).")
    names = [s.name for s in model.states]
    head = ("Structure formed" if model.metrics()["formed"] else "The structure DID NOT FORM")
    if not model.reviews:  # formation_rule = independent
        lines = [event.describe().split(" · ", 1)[1] for event in model.events
                 if event.step == 0 and event.kind != "scheduled"]
        return f"{head} (formation = voluntary, independent decisions):\n" + "\n".join(
            f"  {line}" for line in lines)
    values = model.reviews[0].values(model.negotiation)
    lines = []
    for unit in model.negotiation.units:
        what = " – ".join(names[i] for i in unit)
        for party in unit:
            value = values.get((party, unit))
            score = model.reviews[0].score_of(party, unit)
            if unit in model.config:
                verdict = "joined  "
            else:
                verdict = "declined" if score is not None and score < 0 else "willing "
            why = value.describe() if value is not None else "not asked (the negotiation ended)"
            who = f"{names[party]} on {what}" if len(unit) > 1 else names[party]
            lines.append(f"  {verdict}  {who}: {why}")
    summary = next(e.describe().split(" · ", 1)[1] for e in model.events
                   if e.step == 0 and e.kind in ("formed", "not formed"))
    return (f"{head} at the first review (formation = voluntary, negotiated; values in utility "
            f"per year):\n" + "\n".join(lines) + f"\n  {summary}")