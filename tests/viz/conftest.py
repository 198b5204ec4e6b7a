"""Fixtures the browser view's tests share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_results(tmp_path_factory) -> Path:
    """A results folder holding only the ``tiny`` experiment's quick version (``tiny-quick``), swept
    once for every test that reads it. Read it; never write into it."""
    from experiments import design, runner

    root = tmp_path_factory.mktemp("results")
    runner.run_experiment(design.load("tiny", quick=True), out=root, workers=1, progress=False)
    return root
