"""Options shared by several commands: scenario, structure, seed and ``--set name=value``."""

from __future__ import annotations

import argparse
from typing import Any


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario", default="asia",
        help="a shipped scenario's name (asia, symmetric, europe, seato, taiwan_invasion) or the "
             "path of a scenario TOML file (default: asia)",
    )
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
        help="override a model parameter, e.g. --set theatre_coupling=0.4 (repeatable; "
             "'python run.py parameters' lists them with their ranges)",
    )


def add_structure_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--structure", default="hub_and_spoke",
        help="alliance structure (default: hub_and_spoke; 'python run.py parameters' lists them)",
    )


def check_structures(names: list[str]) -> None:
    """``ValueError`` naming the known structures if one of ``names`` is not one (checked in the
    command, not by argparse, so that ``--help`` need not import the model)."""
    from model.structure import NAMES as STRUCTURES

    for name in names:
        if name not in STRUCTURES:
            raise ValueError(f"unknown structure '{name}'; choose one of {', '.join(STRUCTURES)}")


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["a=1", "b=x"]`` -> validated values; ``ValueError`` naming the parameter otherwise."""
    from model.parameters import get

    overrides: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"--set expects NAME=VALUE, got {item!r}")
        overrides[name] = get(name).parse(text.strip())
    return overrides


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    from model.engines import ENGINES

    parser.add_argument(
        "--engine", choices=ENGINES, default=ENGINES[0],
        help="how runs are stepped: 'fast' (default) or 'reference', Mesa's own step() one step at "
             "a time (same results, slower: a check of the fast loop)",
    )
