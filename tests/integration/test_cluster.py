"""A real dask cluster: ``dask scheduler`` and two ``dask worker`` processes started in a temporary
folder with an interpreter that has the project's dependencies but cannot import the project.

The sweep must ship its code to them (:mod:`experiments.cluster`) and give the rows of a serial
sweep; a run that raises on a worker is recorded with its parameters and seed, not lost.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import design, runner
from experiments.design import RunSpec
from tests.support.experiment_cases import TINY, sorted_table, write
from tests.support.project import ROOT

distributed = pytest.importorskip("distributed")


def without_the_project(folder: Path) -> Path:
    """A Python whose path holds this environment's packages but not the project (its editable
    install is a .pth hook, which a directory named in another .pth file does not run)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    site = Path(subprocess.run([folder / "bin" / "python", "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"], capture_output=True,
                               text=True, check=True).stdout.strip())
    packages = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies.pth").write_text("\n".join(sorted(packages)) + "\n")
    return folder / "bin" / "python"


def wait_for_file(path: Path, process: subprocess.Popen, log: Path, limit: float = 120) -> dict:
    """The scheduler file once the scheduler has written it (a state it reports)."""
    deadline = time.monotonic() + limit  # a safety net against a scheduler that never starts
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dask scheduler exited: {log.read_text()[-2000:]}")
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.1)
    pytest.fail(f"dask scheduler did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    where = tmp_path_factory.mktemp("cluster")
    python = without_the_project(where / "env")
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    probe = subprocess.run([python, "-c", "import model"], cwd=where, capture_output=True, env=clean)
    assert probe.returncode != 0  # the project's code is not importable there
    address_file = where / "scheduler.json"
    logs = [where / "scheduler.log", where / "workers.log"]
    processes = [subprocess.Popen(
        [python, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(address_file)],
        cwd=where, env=clean, stdout=logs[0].open("w"), stderr=subprocess.STDOUT)]
    try:
        address = wait_for_file(address_file, processes[0], logs[0])["address"]
        processes.append(subprocess.Popen(
            [python, "-m", "dask", "worker", address, "--nworkers", "2", "--nthreads", "1",
             "--no-dashboard"], cwd=where, env=clean, stdout=logs[1].open("w"), stderr=subprocess.STDOUT))
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=180)
            found = client.run(importlib.util.find_spec, "model")
        assert len(found) == 2 and set(found.values()) == {None}, found  # workers cannot import it
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serial")
    experiment = design.load(write(folder, "tiny", TINY))
    return experiment, runner.run_experiment(experiment, out=folder / "results", workers=1, progress=False)


def test_a_sweep_on_plain_dask_workers_gives_the_serial_rows(scheduler, serial, tmp_path):
    experiment, report = serial
    done = subprocess.run([sys.executable, "run.py", "sweep", str(experiment.path), "--scheduler", scheduler,
                           "--out", str(tmp_path), "--no-figures", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "24 of 24 runs" in done.stdout and "on 2 workers" in done.stdout
    pd.testing.assert_frame_equal(sorted_table(report.folder), sorted_table(tmp_path / "tiny"))
    assert not (tmp_path / "tiny" / "failures.csv").exists()


def test_a_run_that_raises_on_a_worker_is_recorded_not_lost(scheduler, serial, tmp_path):
    experiment, report = serial
    bad = RunSpec.make("tiny", "asia", "collective", {"theatre_coupling": 7.0}, 0, 4242, 25, 9)
    specs = experiment.runs()
    store = runner.open_store(experiment, tmp_path)
    result = runner.run_pending(specs[:5] + [bad] + specs[5:], store, scheduler=scheduler, progress=False)
    assert result.status == "complete" and result.finished == 24 and result.failed == 1
    pd.testing.assert_frame_equal(sorted_table(report.folder), sorted_table(result.folder))
    failures = pd.read_csv(result.folder / "failures.csv")
    assert list(failures["run_id"]) == [bad.run_id] and list(failures["seed"]) == [4242]
    assert json.loads(failures["parameters"].iloc[0]) == {"theatre_coupling": 7.0}
    assert "outside the allowed range" in failures["error"].iloc[0]
    assert "Traceback" in failures["traceback"].iloc[0]


def test_the_shipped_code_carries_no_cached_values():
    """Models fill a per-process cache (:mod:`model.design_cache`); the code shipped to workers
    carries it empty, so a payload neither grows with the cache nor reads it while a worker thread
    of the same process writes to it."""
    import pickle

    from experiments.cluster import ship
    from model import DeterrenceModel, design_cache
    from scenarios import load

    empty = len(ship(design_cache.remember))
    for structure in ("hub_and_spoke", "collective"):
        DeterrenceModel(load("asia"), structure, rng=1).run(5)
    assert len(design_cache._ENTRIES) > 0
    assert len(ship(design_cache.remember)) == empty
    assert len(pickle.loads(ship(design_cache.remember)).__globals__["_ENTRIES"]) == 0
