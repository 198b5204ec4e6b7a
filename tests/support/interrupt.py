"""Interrupt a command as Ctrl-C in a terminal does, at a state the command reports.

The command runs with ``DETERRENCE_PAUSE_AFTER_ROWS=N``: after N new rows it says so on standard
error and waits; only then is SIGINT sent. Nothing depends on how fast the machine is.

It starts with SIGINT handled as in a terminal's foreground job (:func:`as_in_a_terminal`), whatever
the test runner inherited: a suite started in the background of a non-interactive shell (``pytest &``
in a script, ``nohup``) has SIGINT ignored, and a command started from it would inherit that, never
see the Ctrl-C, and wait for ever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from experiments.runner import PAUSE_VARIABLE
from tests.support.project import ROOT


def as_in_a_terminal() -> None:
    """In the child, before it runs the command: SIGINT back to its default action, as a terminal's
    foreground job has it (Python then turns it into ``KeyboardInterrupt``)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_paused(args: list[str], rows: int = 20) -> subprocess.Popen:
    """Start ``python run.py ARGS`` in its own process group; return once it has paused after
    ``rows`` new rows (or has ended without pausing)."""
    process = subprocess.Popen(
        [sys.executable, "run.py", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, env={**os.environ, PAUSE_VARIABLE: str(rows)},
        preexec_fn=as_in_a_terminal,
    )
    process.before_pause = []  # type: ignore[attr-defined]
    for line in process.stderr:
        if line.startswith(f"paused after {rows} rows"):
            break
        process.before_pause.append(line)  # type: ignore[attr-defined]
    return process


def ctrl_c(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    """Send SIGINT to the process group, as a terminal's Ctrl-C does; its exit status and stderr."""
    try:
        os.killpg(process.pid, signal.SIGINT)
    except ProcessLookupError:  # it ended without pausing: its status and stderr say why
        pass
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, "".join(process.before_pause) + stderr  # type: ignore[attr-defined]


def ctrl_c_after_rows(args: list[str], rows: int = 20) -> tuple[int, str]:
    """Start ``python run.py ARGS``, wait until it reports ``rows`` new rows, then Ctrl-C it."""
    return ctrl_c(start_paused(args, rows))
