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


def test_a_folder_named_like_a_shipped_scenario_does_not_hide_it(tmp_path):
    (tmp_path / "asia").mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "--scenario", "asia",
                             "--steps", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "scenario asia · " in result.stdout


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
    ["metrics", "--help"], ["report", "--help"],
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


# --- a name a user may mistype, a scenario without a hub ---------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["run", "--steps", "5", "--set", "theater_coupling=0.3"],
     "--set theater_coupling=0.3: unknown parameter 'theater_coupling'; did you mean 'theatre_coupling'?"),
    (["parameters", "quorom"], "unknown parameter 'quorom'; did you mean 'quorum'?"),
    (["metrics", "stabel"], "unknown metric or column 'stabel'; did you mean 'stable'?"),
])
def test_a_mistyped_name_is_refused_with_the_closest_one(args, message):
    result = run_py(*args)
    assert result.returncode == 2 and result.stderr == f"error: {message} ('python run.py " \
        f"{'metrics' if args[0] == 'metrics' else 'parameters'}' lists them)\n", result.stderr


def test_a_scenario_file_with_a_mistyped_field_is_refused_with_the_closest_one(tmp_path):
    text = (ROOT / "scenarios" / "asia.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace("\nneighbours = ", "\nneighbors = ", 1), encoding="utf-8")
    result = run_py("run", "--steps", "5", "--scenario", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}: flashpoints[0] (taiwan_strait).neighbors: unknown "
                                    "field; did you mean 'neighbours'? (allowed: "), result.stderr


def hubless(folder) -> str:
    text = (ROOT / "scenarios" / "symmetric.toml").read_text(encoding="utf-8")
    assert 'hub = "Hub"\n' in text
    path = folder / "hubless.toml"
    path.write_text(text.replace('hub = "Hub"\n', ""), encoding="utf-8")
    return str(path)


def test_a_structure_that_needs_a_hub_names_the_file_the_field_and_the_fix(tmp_path):
    path = hubless(tmp_path)
    result = run_py("run", "--steps", "5", "--scenario", path, "--structure", "hub_and_spoke")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"error: {path}: hub: missing; structure 'hub_and_spoke' needs a hub: add hub = \"NAME\" naming "
        "one of its members (Hub, Spoke A, Spoke B, Spoke C, Spoke D, Spoke E), or choose a structure "
        "without a hub (none, collective)\n")
    assert run_py("run", "--steps", "5", "--scenario", path, "--structure", "collective").returncode == 0


def test_an_experiment_that_needs_a_hub_is_refused_before_any_run(tmp_path):
    scenario = hubless(tmp_path)
    experiment = tmp_path / "mine.toml"
    experiment.write_text(f'name = "mine"\nscenario = "{scenario}"\nstructures = ["hub_and_spoke", '
                          '"collective"]\nreplicates = 2\nsteps = 5\nmaster_seed = 1\n', encoding="utf-8")
    result = run_py("sweep", str(experiment), "--out", str(tmp_path / "results"), "--workers", "1")
    assert result.returncode == 2
    assert result.stderr == (f"error: {experiment}: structures: 'hub_and_spoke' needs a hub, and scenario "
                             f"'{scenario}' names none: add hub = \"NAME\" to that file, or drop "
                             "'hub_and_spoke' from structures\n")
    assert not (tmp_path / "results").exists()


# --- the verdict, the data dictionary, one parameter in full -----------------------------------------

def test_run_opens_with_the_verdict_and_the_part_that_decided_it():
    from analysis.verdict import verdict
    from model import DeterrenceModel
    from scenarios import load

    result = run_py("run", "--structure", "collective", "--seed", "7", "--steps", "200")
    lines = result.stdout.splitlines()
    assert lines[1] == "" and lines[2].startswith("Verdict: ")
    model = DeterrenceModel(load("asia"), "collective", rng=7, collect=False)
    expected = verdict({**model.params, **model.run(200)})
    assert "\n".join(lines[2:2 + len(expected.splitlines())]) == expected
    assert "What a line means, its unit and type: python run.py metrics NAME" in result.stdout


def test_metrics_gives_the_meaning_unit_and_type_of_one_metric():
    result = run_py("metrics", "stable_cohesive")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "stable_cohesive"
    assert lines[1].startswith("  meaning  stable and cohesive (1 when met, else 0): both: the region keeps "
                               "its order and the alliance holds together")
    assert lines[2] == "  unit     share of runs"
    assert lines[3].startswith("  type     0 or 1")
    batch = run_py("metrics", "run_stable_cohesive")  # as mesa.batch_run names it
    assert batch.stdout == result.stdout


def test_parameters_name_shows_the_declaration_and_every_use_in_the_model():
    result = run_py("parameters", "quorum")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("quorum\n  meaning  ")
    # read from the code: the quorum decides formation (the one yardstick and the negotiation's
    # quorum) as well as dissolution
    for use in ("model/observations.py, Membership.of", "model/negotiation.py, Negotiation.__init__",
                "model/membership.py, dissolution"):
        assert use in result.stdout, use


def test_run_prints_the_events_of_the_start_year(tmp_path):
    """An event dated in the scenario's start_year takes effect as the model is built (a crisis: in
    the first step); the printed events list it as they list every later one."""
    path = tmp_path / "blockade.toml"
    path.write_text('extends = "asia"\nname = "blockade"\n\n[[events]]\nyear = 2024\nkind = "crisis"\n'
                    'flashpoint = "taiwan_strait"\nseverity = "limited"\nsource = "assumption: a test"\n',
                    encoding="utf-8")
    event = "step 0 · scheduled: 2024: a limited strike at taiwan_strait (assumption: a test)"
    for formation in ("negotiated", "independent"):
        result = run_py("run", "--scenario", str(path), "--steps", "2",
                        "--set", f"formation_rule={formation}")
        assert result.returncode == 0, result.stderr
        assert event in result.stdout.split("The alliance during the run")[-1]
        assert result.stdout.count("a limited strike at taiwan_strait") == 1


def test_the_sweep_summary_prints_an_undefined_deterrence_rate_as_run_does(tmp_path):
    """With every flashpoint closed no opportunity arises: the deterrence rate is undefined, '-'."""
    scenario = tmp_path / "closed.toml"
    scenario.write_text('extends = "symmetric"\nname = "closed"\n' + "".join(
        f'\n[[flashpoints]]\nid = "{fp}"\nclosed = true\n' for fp in "abcde"), encoding="utf-8")
    experiment = tmp_path / "closed_all.toml"
    experiment.write_text('description = "every flashpoint closed"\nscenario = "closed.toml"\n'
                          'structures = ["hub_and_spoke", "collective"]\nreplicates = 2\nsteps = 5\n'
                          'master_seed = 1\n', encoding="utf-8")
    single = run_py("run", "--scenario", str(scenario), "--steps", "5")
    assert single.returncode == 0, single.stderr
    assert "  deterrence_rate                   -  deterrence rate" in single.stdout
    result = run_py("sweep", str(experiment), "--workers", "1", "--out", str(tmp_path / "results"),
                    "--no-figures", "--no-progress")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith(("  hub", "  coll"))]
    assert [row[:7] for row in rows] == [
        ["hub-and-spoke", "0.000", "1.000", "0.000", "0.000", "-", "0.00"],
        ["collective", "0.000", "1.000", "0.000", "0.000", "-", "0.00"]]
    assert "nan" not in result.stdout
