"""``run.py sensitivity`` and ``run.py figures`` on a sensitivity study, as a user types them."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from model.parameters import STRUCTURES, uncertainties
from sensitivity import outcomes
from tests.support.interrupt import ctrl_c_after_rows
from tests.support.project import ROOT, run_py


def test_quick_morris_end_to_end_then_figures_from_the_stored_runs_alone(tmp_path):
    result = run_py("sensitivity", "--method", "morris", "--quick", "--out", str(tmp_path),
                 "--no-progress", "--outcome", "stable", "wars")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "sensitivity-morris-quick"
    assert "top drivers by mu*" in result.stdout and str(folder) in result.stdout
    assert "Δ wars (collective − hub_and_spoke)" in result.stdout
    figures = folder / "figures"
    for outcome in ("stable_hub_and_spoke", "stable_collective", "delta_stable", "wars_collective",
                    "delta_wars"):
        for ext in ("png", "pdf", "txt"):
            assert (figures / f"morris_{outcome}.{ext}").is_file(), (outcome, ext)
    caption = (figures / "morris_delta_wars.txt").read_text()
    assert "sensitivity-morris-quick" in caption and "replicate noise" in caption
    indices = pd.read_csv(figures / "indices.csv")
    assert set(indices["index"]) == {"mu_star", "sigma", "mu"}
    assert list(indices[indices.outcome == "delta_wars"].parameter.unique()) == \
        [p.name for p in uncertainties()]
    before = indices

    # regenerate from the stored table: same indices, every figure back
    for path in figures.iterdir():
        path.unlink()
    again = run_py("figures", "sensitivity-morris-quick", "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert (figures / "morris_delta_wars.png").is_file() and (figures / "CAPTIONS.md").is_file()
    pd.testing.assert_frame_equal(pd.read_csv(figures / "indices.csv"), before)

    # the same command again resumes: nothing to run
    resumed = run_py("sensitivity", "--method", "morris", "--quick", "--out", str(tmp_path),
                  "--no-progress", "--outcome", "stable", "wars")
    assert resumed.returncode == 0, resumed.stderr
    assert "runs in" not in resumed.stdout


def test_bad_requests_are_one_line_errors(tmp_path, capsys):
    from cli import main

    cases = [
        (["--n", "100"], "power of two"),
        (["--outcome", "peace"], "unknown outcome 'peace'"),
        (["--scenario", "atlantis"], "atlantis"),
        (["--replicates", "0"], "--replicates must be at least 1"),
        (["--method", "morris", "--n", "1"], "at least 2 trajectories"),
        (["--workers", "0"], "--workers must be at least 1"),
    ]
    for extra, message in cases:
        code = main(["sensitivity", "--out", str(tmp_path), "--no-progress", *extra])
        err = capsys.readouterr().err
        assert code == 2, (extra, err)
        assert err.startswith("error:") and message in err and err.count("\n") == 1, (extra, err)
    assert not any(tmp_path.iterdir())  # nothing written


def test_analysis_of_stored_studies_does_not_import_the_model():
    # the model's declarations (labels, structures, metrics) may be read; the simulation may not
    code = ("import sys, analysis.sensitivity, analysis.sensitivity_figures; "
            "bad = [m for m in sys.modules if m in ('model.model', 'model.agents', 'mesa') "
            "or m.split('.')[0] == 'scenarios' "
            "or m.startswith('experiments.') and m != 'experiments.formats']; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_outcome_structures_are_the_models():
    assert outcomes.STRUCTURES == STRUCTURES
    assert set(outcomes.COMPARED) <= set(STRUCTURES)


def test_ctrl_c_keeps_finished_runs_and_exits_cleanly(tmp_path):
    from experiments.store import read_manifest, read_runs

    folder = tmp_path / "sensitivity-morris-n50"
    status, stderr = ctrl_c_after_rows(
        ["sensitivity", "--method", "morris", "--n", "50", "--steps", "50", "--workers", "2",
         "--out", str(tmp_path), "--no-progress"], rows=20)
    assert status == 130, stderr
    assert "Traceback" not in stderr and "give the same command to resume" in stderr
    kept = read_runs(folder)
    assert len(kept) == 20 and kept["run_id"].is_unique  # paused after 20 rows: exactly those kept
    assert read_manifest(folder)["status"] == "interrupted"
    assert not (folder / "figures").exists()  # no indices from a partial sample
    redraw = run_py("figures", "--out", str(tmp_path))
    assert redraw.returncode == 0 and "give the same 'python run.py sensitivity' command" in redraw.stderr
    assert not (folder / "figures").exists()
