"""What a researcher relies on months later: failed runs recorded, results verifiable, one writer per
folder, a full disk leaving no half row, and the same table from every evaluator."""

from __future__ import annotations

import json
import resource

import pandas as pd
import pytest

from experiments import design, evaluate, runner
from experiments.design import RunSpec
from experiments.store import read_manifest, read_runs
from experiments.verify import VerifyError, check_unchanged, experiment_specs, verify
from tests.support.experiment_cases import TINY, sorted_table, write
from tests.support.interrupt import ctrl_c, start_paused
from tests.support.project import run_py


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny experiment (24 runs of 25 steps), run serially once."""
    folder = tmp_path_factory.mktemp("tiny")
    experiment = design.load(write(folder, "tiny", TINY))
    report = runner.run_experiment(experiment, out=folder / "results", workers=1, progress=False)
    return experiment, report


# --- failures are recorded, not fatal ---------------------------------------------------------

def specs_with_bad_runs(experiment) -> tuple[list[RunSpec], set[str]]:
    """The experiment's runs plus two whose parameter value the model refuses when it is built."""
    specs = experiment.runs()
    bad = [RunSpec.make("tiny", "asia", "collective", {"theatre_coupling": 7.0}, k, 100 + k, 25, 9)
           for k in range(2)]
    return specs[:10] + bad + specs[10:], {spec.run_id for spec in bad}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tiny, tmp_path, workers):
    experiment, serial = tiny
    specs, bad = specs_with_bad_runs(experiment)
    store = runner.open_store(experiment, tmp_path)
    report = runner.run_pending(specs, store, workers=workers, progress=False)
    assert report.status == "complete" and report.failed == 2 and report.finished == 24
    pd.testing.assert_frame_equal(sorted_table(serial.folder), sorted_table(report.folder))
    failures = pd.read_csv(report.folder / "failures.csv")
    assert set(failures["run_id"]) == bad
    assert set(failures["seed"]) == {100, 101}
    assert all(json.loads(p) == {"theatre_coupling": 7.0} for p in failures["parameters"])
    assert failures["error"].str.contains("theatre_coupling.*outside the allowed range").all()
    assert failures["traceback"].str.startswith("Traceback (most recent call last):").all()
    assert read_manifest(report.folder)["failed_runs"] == 2

    # resuming skips them; --retry-failed runs them again (and they fail again)
    store = runner.open_store(experiment, tmp_path)
    assert runner.run_pending(specs, store, workers=1, progress=False).added == 0
    assert len(pd.read_csv(report.folder / "failures.csv")) == 2
    store = runner.open_store(experiment, tmp_path)
    again = runner.run_pending(specs, store, workers=1, progress=False, retry_failed=True)
    assert again.failed == 2 and len(pd.read_csv(report.folder / "failures.csv")) == 4


def test_the_cli_reports_failures_in_its_summary_exit_status_and_figures(tmp_path, monkeypatch, capsys):
    from cli import main

    path = write(tmp_path, "tiny", TINY)
    real = evaluate.evaluate

    def broken_for_replicate_2(spec, series=False, scenario=None, engine="fast"):
        if spec.replicate == 2 and spec.point == 0:
            raise RuntimeError("a run that breaks")
        return real(spec, series, scenario, engine)

    monkeypatch.setattr(evaluate, "evaluate", broken_for_replicate_2)
    code = main(["sweep", str(path), "--workers", "1", "--out", str(tmp_path / "r"), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "22 of 24 runs" in out and "2 failed: see failures.csv" in out
    assert "2 runs failed" in err and "--retry-failed" in err
    caption = (tmp_path / "r" / "tiny" / "figures" / "comparison.txt").read_text()
    assert "2 of 24 planned runs missing (2 failed, see failures.csv)" in caption

    monkeypatch.setattr(evaluate, "evaluate", real)
    assert main(["figures", "tiny", "--out", str(tmp_path / "r")]) == 0
    assert "note: 2 of 24 planned runs missing" in capsys.readouterr().err
    assert main(["sweep", str(path), "--workers", "1", "--out", str(tmp_path / "r"), "--no-progress",
                 "--retry-failed", "--no-figures"]) == 0
    assert "24 of 24 runs" in capsys.readouterr().out


# --- verify -------------------------------------------------------------------------------------

def test_verify_reruns_a_sample_and_finds_every_changed_value(tiny, tmp_path):
    experiment, report = tiny
    manifest = read_manifest(report.folder)
    result = verify(report.folder, experiment_specs(manifest), sample=5, seed=3)
    assert result.mismatches == [] and len(result.checked) >= 6  # 5 at random + first + last
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("manifest.json", "runs.csv"):
        (copy / name).write_bytes((report.folder / name).read_bytes())
    lines = (copy / "runs.csv").read_text().splitlines()
    columns = lines[0].split(",")
    last = lines[-1].split(",")
    position = columns.index("wars")
    stored = last[position]
    last[position] = str(int(stored) + 1)  # one metric of the last run, changed by one
    (copy / "runs.csv").write_text("\n".join(lines[:-1] + [",".join(last)]) + "\n")
    found = verify(copy, experiment_specs(manifest), sample=0)
    assert [(m.run_id, m.column, m.stored, m.recomputed) for m in found.mismatches] == [
        (last[0], "wars", str(int(stored) + 1), stored)]


def test_verify_as_a_user_types_it(tiny):
    _, report = tiny
    done = run_py("verify", str(report.folder), "--sample", "3")
    assert done.returncode == 0, done.stderr
    assert "reran" in done.stdout and "all match" in done.stdout


def test_verify_refuses_results_made_by_other_model_code_and_says_which(tiny, tmp_path):
    _, report = tiny
    manifest = read_manifest(report.folder)
    manifest["identity"]["model_sha256"] = "0" * 64
    manifest["model_files"]["rules.py"] = "0" * 64
    manifest["identity"]["scenarios_sha256"]["asia"] = "0" * 64
    with pytest.raises(VerifyError, match=r"the model's code \(model/rules.py\) and scenario 'asia' "
                                          r"changed since these results were made"):
        check_unchanged(report.folder, manifest)
    copy = tmp_path / "changed"
    copy.mkdir()
    (copy / "runs.csv").write_bytes((report.folder / "runs.csv").read_bytes())
    (copy / "manifest.json").write_text(json.dumps(manifest))
    done = run_py("verify", str(copy))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "cannot verify: the model's code (model/rules.py)" in done.stderr


def test_verify_reruns_a_stored_sensitivity_study(tmp_path):
    done = run_py("sensitivity", "--method", "morris", "--quick", "--out", str(tmp_path), "--no-progress",
                   "--workers", "1")
    assert done.returncode == 0, done.stderr
    checked = run_py("verify", str(tmp_path / "sensitivity-morris-quick"), "--sample", "4")
    assert checked.returncode == 0, checked.stderr
    assert "all match" in checked.stdout


# --- one writer per folder; a full or unwritable disk ------------------------------------------

def test_a_second_sweep_into_a_folder_being_written_is_refused(tmp_path):
    path = write(tmp_path, "long", TINY.replace("replicates = 3", "replicates = 400"))
    out = tmp_path / "results"
    first = start_paused(["sweep", str(path), "--workers", "1", "--out", str(out), "--no-figures",
                          "--no-progress"], rows=5)
    try:
        second = run_py("sweep", str(path), "--workers", "1", "--out", str(out), "--no-figures",
                         "--no-progress")
        assert second.returncode == 2
        assert second.stderr == (f"error: {out / 'long'}: another sweep (process {first.pid} on "
                                 f"{json.loads((out / 'long' / '.lock').read_text())['host']}, since "
                                 f"{json.loads((out / 'long' / '.lock').read_text())['started']}) is "
                                 "writing to this folder; wait for it to finish or stop it, then give "
                                 "the command again\n")
    finally:
        status, _ = ctrl_c(first)
    assert status == 130
    assert len(read_runs(out / "long")) == 5  # the refused sweep wrote nothing


def _limit_file_size(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_gives_one_clear_error_and_no_half_written_row(tiny, tmp_path):
    experiment, serial = tiny
    out = tmp_path / "results"
    # files may not grow past 8 kB: runs.csv (24 rows, about 10 kB) fills up in the middle of a row
    full = run_py("sweep", str(experiment.path), "--workers", "1", "--out", str(out), "--no-figures",
                   "--no-progress", preexec_fn=_limit_file_size(8_000))
    assert full.returncode == 2, full.stderr
    assert full.stderr.count("\n") == 1 and "Traceback" not in full.stderr
    assert full.stderr.startswith(f"error: {out / 'tiny' / 'runs.csv'}: cannot write (File too large)")
    data = (out / "tiny" / "runs.csv").read_bytes()
    assert data.endswith(b"\n") and 0 < len(data) <= 8_000
    kept = read_runs(out / "tiny")
    assert 0 < len(kept) < 24
    # room again: the same command resumes and gives the table of an uninterrupted sweep
    resumed = run_py("sweep", str(experiment.path), "--workers", "1", "--out", str(out), "--no-figures",
                      "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(sorted_table(serial.folder), sorted_table(out / "tiny"))


def test_an_unwritable_results_folder_is_one_clear_error(tiny, tmp_path):
    experiment, _ = tiny
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done = run_py("sweep", str(experiment.path), "--out", str(blocker / "results"), "--no-figures")
    assert done.returncode == 2
    assert done.stderr == (f"error: {blocker / 'results' / 'tiny'}: cannot create the results folder "
                           "(Not a directory)\n")


# --- the reproducibility contract ----------------------------------------------------------------

def test_serial_two_processes_and_a_local_dask_cluster_give_identical_tables(tiny, tmp_path):
    pytest.importorskip("dask.distributed")
    experiment, serial = tiny
    two = runner.run_experiment(experiment, out=tmp_path / "two", workers=2, progress=False)
    assert two.workers == 2
    cluster = runner.run_experiment(experiment, out=tmp_path / "dask", scheduler="local", workers=2,
                                    progress=False)
    assert cluster.workers == 2 and cluster.status == "complete"
    expected = sorted_table(serial.folder)
    pd.testing.assert_frame_equal(expected, sorted_table(two.folder))
    pd.testing.assert_frame_equal(expected, sorted_table(cluster.folder))
    # bit for bit, as text: the files hold the same rows
    assert (sorted((serial.folder / "runs.csv").read_text().splitlines())
            == sorted((cluster.folder / "runs.csv").read_text().splitlines()))
