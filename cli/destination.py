"""Where an ``--out FILE`` option writes, checked before the work that makes what it writes."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


class Destination:
    """Where ``--out`` writes, checked before the work starts.

    ``-``, or this process's standard output named as a file (``/dev/stdout``): standard output. A
    file that exists and is not a regular file (a FIFO, a device): written as it is. Otherwise a
    regular file, new or writable, in an existing folder (a symlink's target, the symlink kept):
    the text goes to a temporary file beside it, renamed over it only once whole, so a full disk or
    an interruption leaves no partial file. A read-only file and a folder are refused.

    Args:
        path: the option's value.
        example: a file name to suggest when ``path`` is a folder (``series.csv``).
    """

    def __init__(self, path: Path, example: str):
        self.path = path
        self.stdout = str(path) == "-"
        self.temporary: Path | None = None  # None: written as it is (or to standard output)
        if self.stdout:
            return
        if path.is_dir():
            raise ValueError(f"--out {path}: is a folder; give a file name, e.g. {path / example}")
        try:
            status = path.stat()
        except FileNotFoundError:  # a new file, or a symlink to one
            status = None
        if status is not None and _is_stdout(status):
            self.stdout = True
            return
        # read-only: its mode lets no one write it (root could, but is not to replace it)
        if status is not None and (not os.access(path, os.W_OK) or not status.st_mode & 0o222):
            raise ValueError(f"--out {path}: not writable")
        if status is not None and not stat.S_ISREG(status.st_mode):
            return
        self.target = Path(os.path.realpath(path)) if path.is_symlink() else path
        if not self.target.parent.is_dir():
            raise ValueError(f"--out {path}: folder '{self.target.parent}' does not exist")
        temporary = self.target.with_name(f".{self.target.name}.{os.getpid()}.tmp")
        try:
            temporary.open("x").close()
        except OSError as error:
            raise ValueError(f"--out {path}: cannot write there ({error.strerror})") from None
        self.temporary = temporary

    def write(self, writer: Callable[[TextIO], object]) -> None:
        """Write by ``writer(stream)``, a text stream (UTF-8, newlines as written)."""
        if self.stdout:
            writer(sys.stdout)
            return
        try:
            if self.temporary is None:
                with self.path.open("w", encoding="utf-8", newline="") as stream:
                    writer(stream)
            else:
                with self.temporary.open("w", encoding="utf-8", newline="") as stream:
                    writer(stream)
                os.replace(self.temporary, self.target)
        except OSError as error:
            whole = "" if self.temporary is None else "; nothing was written"
            raise ValueError(f"--out {self.path}: cannot write ({error.strerror}){whole}") from None

    def discard(self) -> None:
        """Remove the temporary file, if it is still there (the work failed or was interrupted)."""
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


def _is_stdout(status: os.stat_result) -> bool:
    """Whether ``status`` is that of this process's standard output."""
    try:
        return os.path.samestat(status, os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError):  # standard output is no file here (captured, in a notebook)
        return False
