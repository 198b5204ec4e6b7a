"""The project's version: declared once, in ``pyproject.toml``, read from the installed metadata.

``python run.py --version`` prints it, every results manifest records it (``model_version``) and every
figure caption names it, so a reader of an old figure can find, in ``CHANGELOG.md``, which model made
it.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

DISTRIBUTION = "alliance-deterrence"


def project_version() -> str:
    """The version of ``alliance-deterrence``, e.g. ``"0.2.0"``.

    The project is installed (editable) by ``uv sync`` or ``pip install -e .``, so its metadata holds
    the version of ``pyproject.toml``; a checkout run without installing falls back to reading
    ``pyproject.toml`` itself.
    """
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
