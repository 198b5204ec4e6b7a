"""The results store: rows written as they come, resume, torn lines, refusal of other definitions."""

from __future__ import annotations

import json
import math

import pytest

from experiments.store import MANIFEST, RUNS, ResultsStore, StoreError, read_manifest, read_runs

IDENTITY = {"experiment_sha256": "aaa", "variant": "full"}


def row(run_id: str, value: float = 1.5) -> dict:
    return {"run_id": run_id, "structure": "collective", "replicate": 0, "metric": value}


def test_rows_are_on_disk_as_soon_as_appended_and_resume_skips_them(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {"planned_runs": 3, "master_seed": 5})
    assert store.append(row("a"))
    assert (tmp_path / "exp" / RUNS).read_text().count("\n") == 2  # header + one row, before close
    store.close("interrupted")
    manifest = read_manifest(tmp_path / "exp")
    assert manifest["status"] == "interrupted"
    assert manifest["finished_runs"] == 1
    assert manifest["master_seed"] == 5

    again = ResultsStore.open(tmp_path / "exp", IDENTITY, {"planned_runs": 3, "master_seed": 5})
    assert again.finished == {"a"}
    assert not again.append(row("a", 9.0))  # already there: never written twice
    assert again.extend([row("b"), row("c", math.nan)]) == 2
    again.close("complete")
    table = read_runs(tmp_path / "exp")
    assert list(table["run_id"]) == ["a", "b", "c"]
    assert table["metric"].iloc[0] == 1.5 and math.isnan(table["metric"].iloc[2])
    manifest = read_manifest(tmp_path / "exp")
    assert [s["runs_added"] for s in manifest["sessions"]] == [1, 2]
    assert manifest["status"] == "complete" and manifest["finished_runs"] == 3


def test_floats_survive_the_round_trip_exactly(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    value = 0.1 + 0.2  # 0.30000000000000004
    store.append(row("a", value))
    store.close()
    assert read_runs(tmp_path / "exp")["metric"].iloc[0] == value


def test_a_line_cut_short_by_a_kill_is_dropped_on_reopening(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    store.extend([row("a"), row("b")])
    path = tmp_path / "exp" / RUNS
    with path.open("a") as handle:
        handle.write("c,collec")  # torn write: no newline
    # reading (e.g. while a sweep is still writing) sees complete rows and changes nothing
    assert list(read_runs(tmp_path / "exp")["run_id"]) == ["a", "b"]
    assert path.read_text().endswith("c,collec")
    again = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    assert again.finished == {"a", "b"}
    again.append(row("c"))
    again.close()
    assert list(read_runs(tmp_path / "exp")["run_id"]) == ["a", "b", "c"]


def test_a_folder_of_another_definition_is_refused_and_left_untouched(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    store.append(row("a"))
    store.close()
    before = (tmp_path / "exp" / RUNS).read_bytes()
    changed = {**IDENTITY, "experiment_sha256": "bbb"}
    with pytest.raises(StoreError, match="experiment_sha256.*never mixed.*--new"):
        ResultsStore.open(tmp_path / "exp", changed, {})
    assert (tmp_path / "exp" / RUNS).read_bytes() == before

    other = ResultsStore.open(tmp_path / "exp", changed, {}, new=True)
    assert other.folder == tmp_path / "exp-2"
    assert other.finished == set()
    other.close()
    third = ResultsStore.open(tmp_path / "exp", {**IDENTITY, "variant": "quick"}, {}, new=True)
    assert third.folder == tmp_path / "exp-3"
    assert (tmp_path / "exp" / RUNS).read_bytes() == before
    assert json.loads((tmp_path / "exp" / MANIFEST).read_text())["identity"] == IDENTITY


def test_a_refusal_names_each_scenario_that_is_not_the_same(tmp_path):
    ResultsStore.open(tmp_path / "exp", {**IDENTITY, "scenarios_sha256": {
        "asia": "1" * 64, "child.toml": "2" * 64, "europe": "3" * 64}}, {}).close()
    now = {**IDENTITY, "scenarios_sha256": {"asia": "1" * 64, "child.toml": "9" * 64, "seato": "4" * 64}}
    with pytest.raises(StoreError) as refused:
        ResultsStore.check(tmp_path / "exp", now)
    assert ("(scenario child.toml (or a file it extends) changed since the results were made; "
            "scenario europe is in the results but no longer run; scenario seato is not in the "
            "results); they are never mixed") in str(refused.value)


def test_rows_with_other_columns_are_refused(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    store.append(row("a"))
    with pytest.raises(StoreError, match="missing \\['metric'\\]"):
        store.append({"run_id": "b", "structure": "x", "replicate": 1})


def test_a_runs_table_without_manifest_is_not_resumed(tmp_path):
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / RUNS).write_text("run_id\nx\n")
    with pytest.raises(StoreError, match="no manifest.json"):
        ResultsStore.open(tmp_path / "exp", IDENTITY, {})


def test_manifest_records_provenance(tmp_path):
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {"experiment_text": "x = 1\n"})
    store.close()
    manifest = read_manifest(tmp_path / "exp")
    for key in ("git_commit", "versions", "started", "ended", "created", "sessions", "identity"):
        assert key in manifest
    assert manifest["versions"]["mesa"].startswith("3.5")
    assert manifest["experiment_text"] == "x = 1\n"


HOLD = """
import sys
from experiments.store import ResultsStore
store = ResultsStore.open(sys.argv[1], {"experiment_sha256": "aaa", "variant": "full"}, {})
print("holding", flush=True)
sys.stdin.read()
"""


def test_two_sweeps_never_write_to_one_folder_at_once(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    folder = tmp_path / "exp"
    store = ResultsStore.open(folder, IDENTITY, {})
    store.close()
    assert not (folder / ".lock").exists()  # released on close
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "holding\n"  # the other process holds the folder now
        with pytest.raises(StoreError, match=f"another sweep \\(process {holder.pid} on .*wait for it"):
            ResultsStore.open(folder, IDENTITY, {})
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a kill: no chance to release anything
        holder.wait()
    # the system released the killed process's lock: the folder is taken over
    taken = ResultsStore.open(folder, IDENTITY, {})
    assert json.loads((folder / ".lock").read_text())["pid"] == os.getpid()
    taken.close()


def test_a_write_cut_short_by_a_full_disk_leaves_no_partial_row(tmp_path, monkeypatch):
    import errno
    import os

    from experiments import store as store_module

    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    store.extend([row("a"), row("b")])
    real_write = os.write

    def half_then_full(descriptor, data):  # what a disk filling up mid-row does
        real_write(descriptor, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_module.os, "write", half_then_full)
    with pytest.raises(StoreError, match="runs.csv: cannot write \\(No space left on device\\); the "
                                         "rows written before are kept"):
        store.append(row("c"))
    monkeypatch.undo()
    assert (tmp_path / "exp" / RUNS).read_text().endswith("\n")
    assert list(read_runs(tmp_path / "exp")["run_id"]) == ["a", "b"]
    assert store.finished == {"a", "b"}
    store.append(row("c"))  # space again: the sweep goes on where it stopped
    store.close()
    assert list(read_runs(tmp_path / "exp")["run_id"]) == ["a", "b", "c"]


def test_a_results_folder_that_cannot_be_created_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="file/exp: cannot create the results folder \\(Not a directory\\)"):
        ResultsStore.open(blocker / "exp", IDENTITY, {})


def test_failures_are_recorded_one_line_each_and_retried_only_when_finished(tmp_path):
    record = {"run_id": "x", "experiment": "e", "scenario": "asia", "structure": "collective",
              "point": 0, "replicate": 1, "seed": 7, "steps": 5, "parameters": '{"a": 1}',
              "error": "ValueError: bad", "traceback": "Traceback\n  line 1\nValueError: bad\n"}
    store = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    store.record_failure(record)
    store.close()
    assert (tmp_path / "exp" / "failures.csv").read_text().count("\n") == 2  # header + one line
    again = ResultsStore.open(tmp_path / "exp", IDENTITY, {})
    assert again.failed == {"x"}
    assert read_manifest(tmp_path / "exp")["failed_runs"] == 1
    again.append({"run_id": "x", "structure": "collective", "replicate": 1, "metric": 1.0})
    assert again.failed == set()  # finished after all
    again.close()
    assert read_manifest(tmp_path / "exp")["failed_runs"] == 0


def test_a_scenarios_fingerprint_is_its_content_wherever_its_file_lies(tmp_path):
    """Results made in one checkout verify and resume in another: the path a scenario was loaded
    from is not part of its fingerprint (it was, so a moved folder of results was 'changed')."""
    from experiments.formats import scenario_fingerprint
    from tests.support.project import ROOT

    text = (ROOT / "scenarios" / "symmetric.toml").read_text(encoding="utf-8")
    here, there = tmp_path / "here", tmp_path / "there"
    for folder in (here, there):
        folder.mkdir()
        (folder / "ring.toml").write_text(text, encoding="utf-8")
    assert scenario_fingerprint(str(here / "ring.toml")) == scenario_fingerprint(str(there / "ring.toml"))
    assert scenario_fingerprint(str(here / "ring.toml")) == scenario_fingerprint("symmetric")
    (there / "ring.toml").write_text(text.replace("power = ", "power = 1", 1), encoding="utf-8")
    assert scenario_fingerprint(str(here / "ring.toml")) != scenario_fingerprint(str(there / "ring.toml"))
