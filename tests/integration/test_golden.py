"""The golden runs give the stored numbers to the last bit: the model with every mechanism off never
moves, and today's model moves only on purpose (see tests/support/golden_runs.py)."""

from __future__ import annotations

import pytest

from tests.support.golden_runs import load_table, run

CASES = [case for table in ("mechanisms_off", "version_0_2_1", "current") for case in load_table(table)]


@pytest.mark.parametrize(
    "case", CASES,
    ids=[f"{c.get('table', 'mechanisms_off')}-{c['scenario']}-{c['structure']}-{c['seed']}" for c in CASES],
)
def test_golden_run(case):
    result = run(case)
    for name, stored in case["metrics"].items():
        assert result["metrics"][name] == stored, name
    assert result["crises"] == case["crises"]
    if "events" in case:
        assert result["events"] == case["events"]
