"""The golden runs give the stored numbers to the last bit (a restructuring changes no result)."""

from __future__ import annotations

import json

import pytest
from golden_runs import FILE, run

GOLDEN = json.loads(FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case", GOLDEN["runs"],
    ids=[f"{c['scenario']}-{c['structure']}-{c['seed']}" for c in GOLDEN["runs"]],
)
def test_golden_run(case):
    result = run(case)
    for name, stored in case["metrics"].items():
        assert result["metrics"][name] == stored, name
    assert result["crises"] == case["crises"]
