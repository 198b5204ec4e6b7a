"""The command line: ``python run.py <command>``.

Each command lives in its own module with ``add_parser(subparsers)`` and ``main(args) -> int``;
:func:`main` dispatches and turns expected errors (bad scenario, bad parameter value, bad file) into
one clear message and exit status 2, never a traceback. The command modules import nothing heavy
at the top (Mesa, pandas, matplotlib, SALib are imported inside the ``main`` that needs them), so
``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import signal
import sys

from experiments.version import DISTRIBUTION, project_version

from . import (
    discover_command,
    figures_command,
    metrics_command,
    parameters_command,
    report_command,
    run_command,
    sensitivity_command,
    sweep_command,
    verify_command,
    viz_command,
)

COMMANDS = [run_command, metrics_command, parameters_command, sweep_command, sensitivity_command,
            discover_command, figures_command, report_command, verify_command, viz_command]


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


def _terminated(signum, frame):
    """SIGTERM (``kill``, a batch system's time limit) stops a command as Ctrl-C does: finished runs
    are kept and the manifest says ``interrupted``."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.handler(args)
    except KeyError as error:  # an unknown name: str() quotes the message
        print(f"error: {str(error).strip(chr(39) + chr(34))}", file=sys.stderr)
        return 2
    except (UsageError, ValueError) as error:  # every validation error is a ValueError
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
    except OSError as error:  # a file or folder that cannot be read or written: name it
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
