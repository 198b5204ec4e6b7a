"""The command line, as a user types it."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tests.support.project import ROOT, run_py


def test_run_prints_a_table_of_run_metrics():
    result = run_py("run", "--scenario", "asia", "--structure", "collective", "--seed", "7", "--steps", "200")
    assert result.returncode == 0, result.stderr
    assert "scenario asia · structure collective · seed 7 · 200 steps" in result.stdout
    for heading in ("Deterrence", "War", "Commitments", "Stability"):
        assert heading in result.stdout
    assert "deterrence_rate" in result.stdout and "stable" in result.stdout


def test_run_is_reproducible_from_the_command_line():
    a = run_py("run", "--seed", "3", "--steps", "100")
    b = run_py("run", "--seed", "3", "--steps", "100")
    assert a.stdout == b.stdout


def test_out_writes_the_per_step_series(tmp_path):
    out = tmp_path / "series.csv"
    result = run_py("run", "--steps", "30", "--out", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, index_col="step")
    assert len(frame) == 30
    assert {"opportunities", "wars", "active_members"} <= set(frame.columns)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "theatre_coupling=3"],
         "parameter 'theatre_coupling': 3.0 is outside the allowed range [0.0, 1.0]"),
        (["--set", "coupling=3"], "unknown parameter 'coupling'"),
        (["--set", "theatre_coupling"], "--set expects NAME=VALUE"),
        (["--set", "structure=star"], "parameter 'structure': 'star' is not one of"),
        (["--scenario", "atlantis"], "unknown scenario 'atlantis'"),
        (["--scenario", "missing.toml"], "missing.toml: no such scenario file"),
        (["--steps", "0"], "--steps must be at least 1"),
        (["--out", "no/such/folder/x.csv"], "folder 'no/such/folder' does not exist"),
    ],
)
def test_bad_input_gives_one_clear_line_and_no_traceback(args, message):
    result = run_py("run", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_help_explains_every_option():
    result = run_py("run", "--help")
    for option in ("--scenario", "--structure", "--seed", "--steps", "--out", "--set"):
        assert option in result.stdout


def test_parameters_lists_the_declaration():
    result = run_py("parameters")
    assert result.returncode == 0
    assert "theatre_coupling" in result.stdout and "[0, 1]" in result.stdout


HEAVY = ("mesa", "pandas", "matplotlib", "SALib", "numpy", "scipy", "scenarios", "solara")
LIGHT = ("model", "model.engines")  # the model package loads its modules when first used
IMPORTED = """
import runpy, sys
sys.argv = ["run.py", *sys.argv[1:]]
try:
    runpy.run_path("run.py", run_name="__main__")
except SystemExit:
    pass
print(sorted({name for name in sys.modules if name.split(".")[0] in HEAVY
              or name.startswith("model") and name not in LIGHT}), file=sys.stderr)
""".replace("HEAVY", repr(HEAVY)).replace("LIGHT", repr(LIGHT))


@pytest.mark.parametrize("args", [
    ["--help"], ["run", "--help"], ["sweep", "--help"], ["sensitivity", "--help"], ["figures", "--help"],
    ["verify", "--help"], ["viz", "--help"], ["parameters", "--help"], ["discover", "--help"],
    ["sweep", "--workers", "two"], ["sensitivity", "--method", "sobel"], ["nonsense"],
])
def test_help_and_argument_errors_import_no_heavy_module(args):
    """--help and argparse's errors answer before Mesa, pandas, matplotlib or SALib are imported."""
    result = subprocess.run([sys.executable, "-c", IMPORTED, *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr
    assert "usage: run.py" in result.stdout + result.stderr


def test_a_bad_structure_is_refused_by_the_command_with_the_known_ones():
    from model.parameters import STRUCTURES

    result = run_py("run", "--structure", "nato")
    assert result.returncode == 2
    assert result.stderr == f"error: unknown structure 'nato'; choose one of {', '.join(STRUCTURES)}\n"
