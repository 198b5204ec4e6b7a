"""The command line: ``python run.py <command>``.

Each command lives in its own module with ``add_parser(subparsers)`` and ``main(args) -> int``;
:func:`main` dispatches and turns expected errors (bad scenario, bad parameter value, bad file) into
one clear message and exit status 2, never a traceback. The command modules import nothing heavy
at the top (Mesa, pandas, matplotlib, SALib are imported inside the ``main`` that needs them), so
``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import sys

from experiments.version import DISTRIBUTION, project_version

from . import (
    discover_command,
    figures_command,
    parameters_command,
    report_command,
    run_command,
    sensitivity_command,
    sweep_command,
    verify_command,
    viz_command,
)

COMMANDS = [run_command, parameters_command, sweep_command, sensitivity_command, discover_command,
            figures_command, report_command, verify_command, viz_command]


class UsageError(Exception):
    """A problem with what the user asked for; the message says what and how to fix it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py",
        description=(
            "An agent-based model of alliance deterrence: hub-and-spoke versus collective "
            "obligation. Run 'python run.py COMMAND --help' for a command's options."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {project_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ValueError, KeyError) as error:  # every validation error is a ValueError
        message = str(error).strip("'\"")
        print(f"error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
