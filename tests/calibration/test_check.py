"""The calibration check compares with its bands and fails when a figure is outside one."""

from __future__ import annotations

import subprocess
import sys

from tests.support.project import ROOT

CHECK = ROOT / "calibration" / "check.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def test_the_calibrated_model_lies_inside_every_band():
    result = run("--quick")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every figure inside its band" in result.stdout


def test_a_model_outside_a_band_fails_the_check():
    # with war free of cost, every obliged state fights: reliability 1, above the 0.40-0.75 band
    result = run("--replicates", "5", "--set", "fixed_war_cost=0", "--set", "defender_war_cost=0",
                 "--set", "entrapment_aversion=0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "OUT " in result.stdout and "reliability of defence commitments" in result.stdout


def test_a_bad_override_is_refused_in_one_line():
    result = run("--replicates", "1", "--set", "quorum=7")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: parameter 'quorum'")
