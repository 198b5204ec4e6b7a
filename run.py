"""Entry point: ``python run.py --help``. The commands live in the ``cli`` package."""

import os
import sys

from cli import main

INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl-C or SIGTERM."""

if __name__ == "__main__":
    status = main()
    if status == INTERRUPTED:
        # Stopped: every finished row is stored and the manifest says so. Leave at once, without
        # the interpreter's exit hooks: the process pool's hook joins the threads of a pool whose
        # workers were terminated mid-task, which on a busy machine can wait for minutes (CPython
        # issue 125886 and its kin).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
