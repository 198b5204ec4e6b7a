"""Shared fixtures."""

from __future__ import annotations

import pytest

from model.scenario import Scenario
from tests.support.cases import duel


@pytest.fixture
def duel_scenario() -> Scenario:
    return duel()


@pytest.fixture(scope="session")
def asia():
    from scenarios import load

    return load("asia")
