"""Interrupt a command as Ctrl-C in a terminal does, once it has written some rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ctrl_c_after_rows(args: list[str], runs: Path, rows: int = 20, timeout: float = 120) -> tuple[int, str]:
    """Start ``python run.py ARGS``, wait until ``runs`` holds more than ``rows`` lines, then send
    SIGINT to its whole process group; return its exit status and standard error."""
    process = subprocess.Popen(
        [sys.executable, "run.py", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if runs.exists() and runs.read_text().count("\n") > rows:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr
