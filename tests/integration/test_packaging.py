"""The installable package lists every code folder of the project (the test suite is not one)."""

from __future__ import annotations

import tomllib

from tests.support.project import ROOT


def test_every_package_folder_is_included_in_the_distribution():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    declared = sorted(pattern.rstrip("*") for pattern in include)
    folders = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")
    assert declared == folders
