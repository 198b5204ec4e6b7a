"""Options shared by several commands: scenario, structure, seed and ``--set name=value``."""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path
from typing import Any

_WHOLE = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
MOST_SEED = 2**63 - 1
"""The largest seed (numpy takes any whole number >= 0; results store seeds as 64-bit integers)."""


def counted(number: int, noun: str) -> str:
    """``"1 worker"``, ``"2 workers"``: a count with its noun, singular for one."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def whole(text: str) -> int:
    """An option's whole number, strictly (``int()`` would take ``0_1`` as 1 and `` 7 `` as 7)."""
    if not _WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def decimal(text: str) -> float:
    """An option's finite number, strictly (no ``inf``, ``nan``, underscores or spaces)."""
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return float(text)


def check_unused(option: str, does: str, metavar: str, given: str | None) -> None:
    """``ValueError`` if an argument ``metavar`` was ``given`` with ``option``, which does not use it
    (``does``: what the option does instead)."""
    if given:
        raise ValueError(f"{option} {does}: it takes no {metavar}, got '{given}'")


def check_range(option: str, value: float | None, low: float, high: float | None = None) -> None:
    """``ValueError`` naming ``option`` if ``value`` (when given) is outside ``[low, high]``."""
    if value is None:
        return
    if value < low:
        raise ValueError(f"{option} must be at least {low:,}, got {value:,}")
    if high is not None and value > high:
        raise ValueError(f"{option} must be at most {high:,}, got {value:,}")


def check_seed(option: str, value: int | None) -> None:
    check_range(option, value, 0, MOST_SEED)


def workers_that_help(option: str, workers: int | None) -> int | None:
    """``--workers`` checked (at least 1) and capped at what helps: one process per core this
    process may use (at least 2, so that a parallel run stays parallel). Says so on standard error
    when it caps."""
    import sys

    check_range(option, workers, 1)
    if workers is None:
        return None
    most = max(2, usable_cores())
    if workers > most:
        print(f"note: {option} {workers}: more processes than the {usable_cores()} cores this "
              f"process may use do not help; using {most}", file=sys.stderr)
        return most
    return workers


def usable_cores() -> int:
    """Cores this process may use."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _shipped() -> list[str]:
    """The shipped scenarios' names (the files of the scenarios folder, read without importing
    the model, so that ``--help`` stays quick)."""
    folder = Path(__file__).resolve().parent.parent / "scenarios"
    return sorted(path.stem for path in folder.glob("*.toml"))


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario", default="asia",
        help=f"a shipped scenario's name ({', '.join(_shipped())}) or the path of a scenario "
             "file: a value that ends in .toml or holds a / is a path, relative to the current "
             "folder (default: asia)",
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
    from model.parameters import BY_NAME
    from scenarios.checking import did_you_mean

    overrides: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"--set expects NAME=VALUE, got {item!r}")
        if name in overrides:
            raise ValueError(f"--set {name} is given twice")
        if name not in BY_NAME:
            raise ValueError(f"--set {item}: unknown parameter '{name}'{did_you_mean(name, BY_NAME)} "
                             "('python run.py parameters' lists them)")
        overrides[name] = BY_NAME[name].parse(text.strip())
        if name == "structure":
            raise ValueError(f"--set structure={overrides[name]}: the structure is not a --set "
                             "parameter; give --structure NAME (--structures LEFT RIGHT for viz)")
    return overrides


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    from model.engines import ENGINES

    parser.add_argument(
        "--engine", choices=ENGINES, default=ENGINES[0],
        help="how runs are stepped: 'fast' (default) or 'reference', Mesa's own step() one step at "
             "a time (same results, slower: a check of the fast loop)",
    )
