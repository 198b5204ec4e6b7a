"""Sweeps end to end: table, manifest, figures; serial = parallel; resume; pairing; Ctrl-C."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments import cluster, design, evaluate, formats, runner
from experiments.columns import COLUMNS
from experiments.evaluate import SerialEvaluator
from experiments.store import read_manifest, read_runs
from model.observations import RUN_METRICS
from tests.support.experiment_cases import LATIN, POINTS, SCENARIOS, TINY, sorted_table, write
from tests.support.interrupt import ctrl_c_after_rows
from tests.support.project import ROOT


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory):
    """The tiny experiment, run once serially, with its figures drawn."""
    from analysis.figure_set import make_figures

    folder = tmp_path_factory.mktemp("tiny")
    path = write(folder, "tiny", TINY)
    experiment = design.load(path)
    report = runner.run_experiment(experiment, out=folder / "results", workers=1, progress=False)
    files = make_figures(report.folder)
    return experiment, report, files


def test_tiny_experiment_end_to_end_writes_table_manifest_and_figures(tiny_results):
    experiment, report, files = tiny_results
    assert report.status == "complete" and report.added == report.planned == 24
    table = read_runs(report.folder)
    assert len(table) == 24 and table["run_id"].is_unique
    assert list(table.columns) == list(COLUMNS)
    assert set(RUN_METRICS) <= set(table.columns)
    # one row per (point, structure, replicate), with the design's values stored as parameters
    assert set(zip(table["red_line_divergence"], table["mean_hedging"], strict=True)) == {
        (0.2, 0.2), (0.2, 0.6), (0.8, 0.2), (0.8, 0.6)}
    manifest = read_manifest(report.folder)
    assert manifest["experiment_text"] == experiment.text
    assert manifest["experiment_sha256"] == hashlib.sha256(experiment.text.encode()).hexdigest()
    assert manifest["master_seed"] == 11
    assert manifest["planned_runs"] == manifest["finished_runs"] == 24
    assert manifest["status"] == "complete"
    assert manifest["started"] <= manifest["ended"]
    assert "git_commit" in manifest and manifest["versions"]["numpy"]
    names = {f.name for f in files}
    for figure in ("comparison", "phase_red_line_divergence_mean_hedging", "stable_thresholds"):
        for extension in ("png", "pdf", "txt"):
            assert f"{figure}.{extension}" in names
        caption = (report.folder / "figures" / f"{figure}.txt").read_text()
        assert "Experiment 'tiny'" in caption and "3 paired replicates" in caption and "commit" in caption
    for table_file in ("summary.md", "summary.csv", "thresholds.csv", "phase.csv", "CAPTIONS.md"):
        assert table_file in names


def test_figures_regenerate_from_the_stored_table_alone(tiny_results, tmp_path, monkeypatch):
    _, report, files = tiny_results
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("runs.csv", "manifest.json"):
        (copy / name).write_bytes((report.folder / name).read_bytes())
    # neither the simulation (the model's declarations may be read), nor the scenarios, nor the
    # experiment layer (but its format module) can be imported
    blocked = ("model.model", "model.agents", "mesa", "scenarios", "experiments.design",
               "experiments.evaluate", "experiments.runner", "experiments.store")
    for module in [m for m in sys.modules if m.split(".")[0] in ("model", "mesa", "scenarios", "analysis")
                   or m.startswith(blocked)]:
        monkeypatch.delitem(sys.modules, module)
    for name in blocked:
        monkeypatch.setitem(sys.modules, name, None)
    from analysis.figure_set import make_figures

    regenerated = make_figures(copy)
    assert sorted(f.name for f in regenerated) == sorted(f.name for f in files)
    original = pd.read_csv(report.folder / "figures" / "phase.csv")
    again = pd.read_csv(copy / "figures" / "phase.csv")
    pd.testing.assert_frame_equal(original, again)


def test_tables_do_not_depend_on_the_order_in_which_runs_finished(tiny_results, tmp_path):
    """Workers finish runs in any order; every table drawn from them is the same to the last bit."""
    from analysis.figure_set import make_figures

    _, report, _ = tiny_results
    copy = tmp_path / "shuffled"
    copy.mkdir()
    (copy / "manifest.json").write_bytes((report.folder / "manifest.json").read_bytes())
    header, *rows = (report.folder / "runs.csv").read_text().splitlines(keepends=True)
    order = np.random.default_rng(4).permutation(len(rows))
    assert list(order) != sorted(order)
    (copy / "runs.csv").write_text(header + "".join(rows[k] for k in order))
    make_figures(copy)
    for name in ("summary.csv", "paired_differences.csv", "phase.csv", "thresholds.csv"):
        original = report.folder / "figures" / name
        assert original.is_file(), name
        assert (copy / "figures" / name).read_bytes() == original.read_bytes(), name


def test_serial_and_parallel_sweeps_give_identical_tables(tiny_results, tmp_path):
    experiment, report, _ = tiny_results
    parallel = runner.run_experiment(experiment, out=tmp_path, workers=2, progress=False)
    assert parallel.workers == 2
    pd.testing.assert_frame_equal(sorted_table(report.folder), sorted_table(parallel.folder))


class StopAfter(SerialEvaluator):
    """A serial evaluator that is 'interrupted' (KeyboardInterrupt) after ``count`` rows."""

    def __init__(self, count: int):
        self.count = count

    def map(self, specs, series=False):
        for k, row in enumerate(super().map(specs, series)):
            if k == self.count:
                raise KeyboardInterrupt
            yield row


def test_resume_after_interruption_gives_exactly_the_rows_of_an_uninterrupted_sweep(tiny_results, tmp_path):
    experiment, report, _ = tiny_results
    specs = experiment.runs()
    store = runner.open_store(experiment, tmp_path)
    stopped = runner.run_specs(specs, store, StopAfter(7), progress=False)
    assert stopped.status == "interrupted" and stopped.finished == 7
    assert read_manifest(stopped.folder)["status"] == "interrupted"
    # a second interruption, then a kill in the middle of writing a line
    store = runner.open_store(experiment, tmp_path)
    runner.run_specs(specs, store, StopAfter(5), progress=False)
    with (stopped.folder / "runs.csv").open("a") as handle:
        handle.write("deadbeef,tiny,asia,coll")
    resumed = runner.run_experiment(experiment, out=tmp_path, workers=1, progress=False)
    assert resumed.status == "complete" and resumed.added == 24 - 12
    pd.testing.assert_frame_equal(sorted_table(report.folder), sorted_table(resumed.folder))


def test_a_changed_experiment_file_is_not_mixed_in(tmp_path):
    path = write(tmp_path, "tiny", TINY)
    first = runner.run_experiment(design.load(path), out=tmp_path / "results", workers=1, progress=False)
    before = (first.folder / "runs.csv").read_bytes()
    path.write_text(TINY.replace("replicates = 3", "replicates = 4"))
    changed = design.load(path)
    with pytest.raises(ValueError, match="different experiment definition.*experiment_sha256"):
        runner.run_experiment(changed, out=tmp_path / "results", workers=1, progress=False)
    assert (first.folder / "runs.csv").read_bytes() == before
    second = runner.run_experiment(changed, out=tmp_path / "results", workers=1, progress=False, new=True)
    assert second.folder.name == "tiny-2" and second.finished == 32
    assert (first.folder / "runs.csv").read_bytes() == before
    assert read_manifest(second.folder)["experiment_text"] == changed.text


def test_a_changed_parent_of_a_scenario_is_named_in_the_refusal(tmp_path):
    from scenarios import SHIPPED

    parent = tmp_path / "parent.toml"
    parent.write_text((SHIPPED / "symmetric.toml").read_text())
    (tmp_path / "child.toml").write_text('extends = "parent.toml"\nname = "child"\n')
    path = write(tmp_path, "exp", 'scenarios = ["child.toml", "asia"]\nstructures = ["collective"]\n'
                                  "replicates = 1\nsteps = 2\nmaster_seed = 1\n")
    runner.run_experiment(design.load(path), out=tmp_path / "results", workers=1, progress=False)
    parent.write_text(parent.read_text().replace("power = 30.0", "power = 31.0"))
    with pytest.raises(ValueError) as refused:
        runner.run_experiment(design.load(path), out=tmp_path / "results", workers=1,
                              progress=False)
    message = str(refused.value)
    assert ("(scenario child.toml (or a file it extends) changed since the results were made); "
            "they are never mixed") in message, message
    assert "asia" not in message


def test_replicate_k_of_two_structures_faces_the_same_crisis_opportunities(tiny_results):
    experiment, report, _ = tiny_results
    table = read_runs(report.folder)
    per_pair = table.groupby(["point", "replicate"])
    assert (per_pair["seed"].nunique() == 1).all()
    assert (per_pair["opportunities"].nunique() == 1).all()
    # and step by step: rerun replicate 0 of both structures with the per-step series
    spec_by = {(s.structure, s.replicate, s.point): s for s in experiment.runs()}
    hub = evaluate.evaluate(spec_by[("hub_and_spoke", 0, 3)], series=True)["_series"]
    collective = evaluate.evaluate(spec_by[("collective", 0, 3)], series=True)["_series"]
    assert [r["opportunities"] for r in hub] == [r["opportunities"] for r in collective]
    # another replicate faces another stream (seeds differ)
    other = evaluate.evaluate(spec_by[("hub_and_spoke", 1, 3)], series=True)["_series"]
    assert spec_by[("hub_and_spoke", 1, 3)].seed != spec_by[("hub_and_spoke", 0, 3)].seed
    assert len(other) == len(hub)


def test_evaluate_is_the_model_run_by_hand(tiny_results):
    from model import DeterrenceModel
    from scenarios import load

    experiment, _, _ = tiny_results
    spec = experiment.runs()[5]
    row = evaluate.evaluate(spec)
    metrics = DeterrenceModel(load("asia"), spec.structure, rng=spec.seed, collect=False,
                              **spec.parameters).run(spec.steps)
    for name in RUN_METRICS:
        assert row[name] == pytest.approx(metrics[name], nan_ok=True), name
    assert row["seed"] == spec.seed and row["replicate"] == spec.replicate


def test_series_are_stored_only_when_asked(tmp_path):
    path = write(tmp_path, "pts", POINTS.replace("replicates = 3", "replicates = 1"))
    report = runner.run_experiment(design.load(path), out=tmp_path, workers=1, progress=False, series=True)
    series = pd.read_csv(report.folder / "series.csv")
    assert len(series) == report.finished * 25
    assert set(series["run_id"]) == set(read_runs(report.folder)["run_id"])
    plain = runner.run_experiment(design.load(path), out=tmp_path / "b", workers=1, progress=False)
    assert not (plain.folder / "series.csv").exists()


def test_scenario_and_points_experiments_draw_their_own_figures(tmp_path):
    from analysis.figure_set import make_figures

    names = {}
    for name, text in (("sc", SCENARIOS), ("pts", POINTS), ("lhs", LATIN)):
        path = write(tmp_path, name, text)
        report = runner.run_experiment(design.load(path), out=tmp_path / "results", workers=1,
                                       progress=False)
        names[name] = {f.name for f in make_figures(report.folder)}
    assert {"scenarios.png", "comparison_asia.png", "comparison_europe.pdf", "stable_thresholds_asia.png",
            "stable_thresholds_europe.txt"} <= names["sc"]
    assert {"by_obligation_mode.png", "by_obligation_mode.pdf", "comparison.png"} <= names["pts"]
    assert {"scatter.png", "scatter.pdf", "scatter.txt", "stable_thresholds.png"} <= names["lhs"]


def test_cli_sweep_and_figures_as_a_user_types_them(tmp_path):
    path = write(tmp_path, "tiny", TINY)
    out = tmp_path / "results"
    done = subprocess.run([sys.executable, "run.py", "sweep", str(path), "--workers", "1", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"24 of 24 runs in {out / 'tiny'}" in done.stdout
    assert "collective" in done.stdout and "Δ stable+cohesive vs hub" in done.stdout
    assert "run/s" in done.stderr  # the progress bar: runs done, rate, time left
    again = subprocess.run([sys.executable, "run.py", "figures", "tiny", "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    bad = write(tmp_path, "bad", TINY.replace("replicates = 3", "replicates = -1"))
    refused = subprocess.run([sys.executable, "run.py", "sweep", str(bad), "--out", str(out)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"error: {bad}: replicates: must be at least 1, got -1"
    assert not (out / "bad").exists()


def test_ctrl_c_keeps_finished_rows_and_exits_cleanly(tmp_path):
    path = write(tmp_path, "long", TINY.replace("replicates = 3", "replicates = 400"))
    out = tmp_path / "results"
    runs = out / "long" / "runs.csv"
    status, stderr = ctrl_c_after_rows(
        ["sweep", str(path), "--workers", "2", "--out", str(out), "--no-figures", "--no-progress"], rows=20)
    assert status == 130, stderr
    assert "Traceback" not in stderr
    assert "give the same command to resume" in stderr
    kept = read_runs(out / "long")
    assert len(kept) == 20 and kept["run_id"].is_unique  # paused after 20 rows: exactly those kept
    assert read_manifest(out / "long")["status"] == "interrupted"
    assert runs.read_bytes().endswith(b"\n")


def test_dask_evaluator_gives_the_same_rows(tiny_results, tmp_path):
    distributed = pytest.importorskip("dask.distributed")  # the optional 'cluster' extra
    experiment, report, _ = tiny_results
    # the worker in a process of its own, as in use: unpickled in this process, the code shipped by
    # value would overwrite the methods of the project's own classes here (cloudpickle reuses a
    # class it pickled in the same process), and later tests would run that copy
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as local:
        on_dask = runner.run_experiment(experiment, out=tmp_path, scheduler=local.scheduler_address,
                                        progress=False)
    assert on_dask.status == "complete"
    pd.testing.assert_frame_equal(sorted_table(report.folder), sorted_table(on_dask.folder))


def test_an_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("dask.distributed")
    with pytest.raises(ValueError, match="--scheduler tcp://127.0.0.1:9: cannot connect"):
        cluster.DaskEvaluator("tcp://127.0.0.1:9", timeout="1s")


def test_publish_copies_the_readme_figures_with_their_provenance(tiny_results, tmp_path):
    from analysis.publish import publish

    _, report, _ = tiny_results
    root = tmp_path / "results"
    (root / "headline").mkdir(parents=True)
    for name in ("runs.csv", "manifest.json"):
        (root / "headline" / name).write_bytes((report.folder / name).read_bytes())
    files = publish(root, tmp_path / "docs")
    docs = tmp_path / "docs"
    assert {f.relative_to(docs).as_posix() for f in files} == {
        "headline.png", "README.md", *(f"data/headline/{name}" for name in (
            "summary.csv", "paired_differences.csv", "stability.csv", "provenance.json"))}
    readme = (tmp_path / "docs" / "README.md").read_text()
    assert "3 paired replicates" in readme and "commit" in readme and "figures --publish" in readme


def test_a_set_with_one_changed_experiment_is_refused_before_anything_runs(tmp_path):
    first = write(tmp_path, "first", TINY)
    second = write(tmp_path, "second", POINTS)
    out = tmp_path / "results"
    runner.run_experiment(design.load(second), out=out, workers=1, progress=False)
    second.write_text(POINTS.replace("replicates = 3", "replicates = 2"))
    with pytest.raises(ValueError, match="different experiment definition"):
        for experiment in (design.load(first), design.load(second)):
            runner.check_store(experiment, out)
    assert not (out / "first").exists()
    runner.check_store(design.load(first), out)  # an empty folder is fine


def test_a_worker_that_died_while_the_pool_was_idle_does_not_fail_the_next_experiment(tiny_results):
    """The default sweep runs one experiment after another on one pool: a worker killed between
    them (for lack of memory, say) used to end the sweep with a traceback at the next submission."""
    import os
    import signal
    import time

    experiment, _, _ = tiny_results
    specs = experiment.runs()[:4]
    evaluator = evaluate.ProcessEvaluator(1)
    try:
        first = list(evaluator.map(specs))
        pool = evaluator._pool
        for process in list(pool._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 120  # a guard only: the loop waits for the pool's own report
        while not pool._broken and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool._broken, "the pool never noticed its dead worker"
        second = list(evaluator.map(specs))
    finally:
        evaluator.close()
    assert not any(row.get(formats.FAILED_KEY) for row in second)
    assert [row["run_id"] for row in second] == [row["run_id"] for row in first]
