"""The installable package lists every code folder of the project."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_included_in_the_distribution():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    declared = sorted(pattern.rstrip("*") for pattern in include)
    folders = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
    assert declared == folders
