"""The project's root folder, and its command line run as a user types it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The project's root folder (where ``run.py`` and ``pyproject.toml`` are)."""


def run_py(*args: str, timeout: float = 600, **options) -> subprocess.CompletedProcess:
    """``python run.py ARGS`` in the project's root, its output captured as text."""
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, **options)
