"""Bad options, damaged results folders and unwritable places: one line naming the option or file and
the problem, exit status 2, no traceback, nothing partial written (issue: nothing wrong in silence,
items 3, 6, 7, 10 and 11). Each test fails on the code before the fix."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from experiments.store import read_manifest
from tests.support.experiment_cases import TINY, write
from tests.support.interrupt import ctrl_c, start_paused
from tests.support.project import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def one_line(result: subprocess.CompletedProcess, *parts: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("usage:", " "))]
    assert len(lines) == 1, result.stderr
    for part in parts:
        assert part in lines[0], lines[0]


@contextmanager
def read_only(path: Path):
    """``path`` made unwritable, even for root (immutable), for the block."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("cannot make a file read-only for root here (no chattr +i)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)])
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


# --- 6. and 7. options --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "parts"), [
    (["--set", "structure=collective"], ["--set structure=collective", "--structure"]),
    (["--years", "inf"], ["--years", "expected a finite number, got 'inf'"]),
    (["--years", "nan"], ["--years", "expected a finite number, got 'nan'"]),
    (["--years", "1e9"], ["--years must be at most 2,500"]),
    (["--steps", "10001"], ["--steps must be at most 10,000"]),
    (["--steps", "0_1"], ["--steps", "expected a whole number, got '0_1'"]),
    (["--seed", "-1"], ["--seed must be at least 0, got -1"]),
    (["--seed", "1_0"], ["--seed", "expected a whole number"]),
    (["--set", "quorum=0_1"], ["parameter 'quorum'", "'0_1'"]),
    (["--set", "max_spread_hops=inf"], ["parameter 'max_spread_hops'", "'inf'"]),
])
def test_a_bad_run_option_is_one_line_naming_it(args, parts):
    one_line(run("run", "--steps", "5", *args) if "--steps" not in args and "--years" not in args
             else run("run", *args), *parts)


@pytest.mark.parametrize(("years_per_step", "years", "refused"), [
    ("10", "5", "--years 5: not a whole number of steps of 10 years (scenario mine)"),
    ("0.25", "5.1", "--years 5.1: not a whole number of steps of 0.25 years (scenario mine)"),
    ("0.25", "0.1", "--years 0.1: not a whole number of steps of 0.25 years (scenario mine)"),
    ("10", "20", None),
    ("0.1", "0.3", None),  # 0.3 / 0.1 is 2.9999999999999996 in floating point: 3 steps
])
def test_years_must_be_a_whole_number_of_steps(tmp_path, years_per_step, years, refused):
    path = tmp_path / "mine.toml"
    path.write_text(f'extends = "asia"\nname = "mine"\nyears_per_step = {years_per_step}\n',
                    encoding="utf-8")
    result = run("run", "--scenario", str(path), "--years", years)
    if refused:
        one_line(result, refused)
    else:
        assert result.returncode == 0, result.stderr
        steps = round(float(years) / float(years_per_step))
        assert f"{steps} steps = {years} years" in result.stdout


@pytest.mark.parametrize(("args", "parts"), [
    (["parameters", "--markdown", "trend_scale"], ["--markdown", "takes no NAME, got 'trend_scale'"]),
    (["metrics", "--markdown", "stable"], ["--markdown", "takes no NAME, got 'stable'"]),
    (["sweep", "--list", "extra"], ["--list", "takes no EXPERIMENT, got 'extra'"]),
    (["figures", "--publish", "{tmp}/published", "headline"],
     ["--publish", "takes no EXPERIMENT, got 'headline'"]),
    (["figures", "headline", "--quick"], ["--quick", "--publish", "headline-quick"]),
])
def test_an_argument_a_command_would_not_use_is_refused(tmp_path, args, parts):
    result = run(*(arg.format(tmp=tmp_path) for arg in args))
    one_line(result, *parts)
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_run_out_to_a_folder_is_refused_before_the_run(tmp_path):
    one_line(run("run", "--steps", "5", "--out", str(tmp_path)), f"--out {tmp_path}", "is a folder")


def test_run_out_to_an_unwritable_folder_is_refused_before_the_run(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = run("run", "--steps", "5", "--out", str(folder / "series.csv"))
    one_line(result, f"--out {folder / 'series.csv'}", "cannot write")
    assert "scenario asia" not in result.stdout  # refused before the run, not after
    assert list(folder.iterdir()) == []


def test_run_out_writes_the_whole_file_and_nothing_else(tmp_path):
    result = run("run", "--steps", "5", "--out", str(tmp_path / "series.csv"))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["series.csv"]


def test_too_many_workers_are_capped_and_said(tmp_path):
    path = write(tmp_path, "tiny", TINY)
    result = run("sweep", str(path), "--workers", "1000", "--out", str(tmp_path / "r"), "--no-figures",
                 "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "note: --workers 1000: more processes than the" in result.stderr


@pytest.mark.parametrize("command", [["sweep", "tiny"], ["sensitivity", "--quick"], ["discover", "--quick"]])
@pytest.mark.parametrize(("address", "problem"), [
    ("bogus", "missing port number"),
    ("foo://x:1", "unknown address scheme 'foo'"),
])
def test_a_scheduler_address_that_is_not_one_is_one_line_naming_the_option(tmp_path, command, address,
                                                                            problem):
    pytest.importorskip("distributed")
    one_line(run(*command, "--scheduler", address, "--out", str(tmp_path), "--no-progress"),
             f"--scheduler {address}: ", problem)
    assert list(tmp_path.iterdir()) == []  # refused before any results folder is made


def test_a_host_that_does_not_resolve_is_one_line():
    one_line(run("viz", "--host", "no-such-host.invalid"), "--host no-such-host.invalid",
             "cannot be resolved")


def test_serving_beyond_this_machine_is_warned_about():
    from cli.viz_command import exposure_warning

    assert "anyone who can reach it can run the model" in exposure_warning("0.0.0.0")
    assert exposure_warning("127.0.0.1") is None and exposure_warning("localhost") is None


# --- 3. and 10. damaged results folders --------------------------------------------------------------

@pytest.fixture
def swept(tmp_path):
    path = write(tmp_path, "tiny", TINY)
    out = tmp_path / "results"
    result = run("sweep", str(path), "--workers", "1", "--out", str(out), "--no-figures", "--no-progress")
    assert result.returncode == 0, result.stderr
    return path, out, out / "tiny"


def resume(path: Path, out: Path) -> subprocess.CompletedProcess:
    return run("sweep", str(path), "--workers", "1", "--out", str(out), "--no-figures", "--no-progress")


def test_a_line_that_is_not_a_run_is_refused_by_resume_figures_and_verify(swept):
    path, out, folder = swept
    table = folder / "runs.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    foreign = lines[1].replace(lines[1].split(",", 1)[0], "0123456789abcdef", 1)
    table.write_text("".join(lines) + foreign, encoding="utf-8")
    one_line(resume(path, out), str(table), "line 26", "0123456789abcdef", "not one of the runs")
    one_line(run("figures", str(folder)), str(table), "25 runs where its manifest plans 24")
    one_line(run("verify", str(folder)), str(table), "line 26", "not one of the runs")
    assert read_manifest(folder)["status"] == "complete"  # the refused resume wrote nothing


@pytest.mark.parametrize(("damage", "parts"), [
    (lambda line: line + line, ["line 26: run", "is already on line 25"]),
    (lambda line: line + "garbage\n", ["line 26: 1 fields where the header has"]),
    (lambda line: line.replace(",25,", ",twenty-five,", 1), ["line 25: column", "is not a number"]),
])
def test_a_duplicated_short_or_unparsable_row_is_refused(swept, damage, parts):
    path, out, folder = swept
    table = folder / "runs.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ",25," in lines[-1]
    table.write_text("".join(lines[:-1]) + damage(lines[-1]), encoding="utf-8")
    one_line(run("figures", str(folder)), str(table), *parts)


def test_invalid_utf8_in_the_table_names_the_file(swept):
    path, out, folder = swept
    table = folder / "runs.csv"
    table.write_bytes(table.read_bytes() + b"\xff\xfe,\n")
    one_line(resume(path, out), str(table), "not UTF-8")
    one_line(run("figures", str(folder)), str(table), "not UTF-8")


def test_resuming_into_a_read_only_table_is_one_line(swept):
    path, out, folder = swept
    table = folder / "runs.csv"
    data = table.read_bytes()
    table.write_bytes(data[: data.rfind(b"\n", 0, len(data) - 1) + 1])  # one run to redo
    with read_only(table):
        one_line(resume(path, out), str(table), "cannot write")
    assert read_manifest(folder)["status"] == "complete"


def test_figures_on_a_read_only_folder_is_one_line(swept):
    path, out, folder = swept
    with read_only(folder):
        one_line(run("figures", str(folder)), str(folder / "figures"))


# --- 7. SIGTERM and a killed sweep ------------------------------------------------------------------

def long_sweep(tmp_path: Path, workers: str, rows: int = 5):
    path = write(tmp_path, "long", TINY.replace("replicates = 3", "replicates = 400"))
    out = tmp_path / "results"
    process = start_paused(["sweep", str(path), "--workers", workers, "--out", str(out),
                            "--no-figures", "--no-progress"], rows=rows)
    return process, out / "long"


def test_sigterm_stops_a_sweep_as_ctrl_c_does(tmp_path):
    process, folder = long_sweep(tmp_path, "2")
    os.kill(process.pid, signal.SIGTERM)  # the main process only, as `kill PID` does
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert read_manifest(folder)["status"] == "interrupted"
    assert "Traceback" not in stderr


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_the_workers_of_a_killed_sweep_exit(tmp_path):
    process, _ = long_sweep(tmp_path, "2")
    family = descendants(process.pid)
    assert len(family) >= 3  # the forkserver and two workers (and the resource tracker)
    process.kill()
    process.communicate(timeout=60)
    # the state the workers report is their absence; on the old code they ran the sweep on (minutes)
    import time

    deadline = time.monotonic() + 120
    while any(running(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in family if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes {left} outlived their killed sweep"


def test_ctrl_c_in_a_paused_sweep_exits_and_keeps_the_rows(tmp_path):
    process, folder = long_sweep(tmp_path, "2", rows=7)
    status, stderr = ctrl_c(process)
    assert status == 130, stderr
    assert len((folder / "runs.csv").read_text().splitlines()) == 8
    assert json.loads((folder / "manifest.json").read_text())["status"] == "interrupted"


# --- advice that works ------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "advice"), [
    (["figures", "durations-quick", "--out", "{tmp}/r"],
     "run 'python run.py sweep durations --quick --out {tmp}/r' first"),
    (["figures", "durations"], "run 'python run.py sweep durations' first"),
    (["figures", "--out", "{tmp}/r"], "run 'python run.py sweep --out {tmp}/r' first"),
    (["figures", "--publish", "{tmp}/published", "--quick", "--out", "{tmp}/r"],
     "run 'python run.py sweep --quick --out {tmp}/r' first"),
])
def test_figures_without_results_names_the_command_that_makes_them(tmp_path, args, advice):
    one_line(run(*(arg.format(tmp=tmp_path) for arg in args), cwd=tmp_path), advice.format(tmp=tmp_path))


def test_figures_on_a_folder_that_holds_no_results_says_what_it_lacks(tmp_path):
    folder = tmp_path / "empty" / "e1"
    folder.mkdir(parents=True)
    for given in (str(folder), "e1"):
        result = run("figures", given, "--out", str(folder.parent))
        one_line(result, f"{folder}: not a results folder (no manifest.json)")
        assert "sweep" not in result.stderr
    result = run("figures", "mine", "--out", str(tmp_path))
    one_line(result, f"no results for 'mine': no folder {tmp_path / 'mine'}")
    assert "sweep" not in result.stderr


CLOSED = 'extends = "symmetric"\nname = "closed"\n'
OWN = ('description = "own scenario"\nscenario = "closed.toml"\nstructures = ["hub_and_spoke", '
       '"collective"]\nreplicates = 2\nsteps = 5\nmaster_seed = 1\n')


@pytest.fixture
def own(tmp_path):
    """An experiment on a scenario file of the user's, swept as typed in their folder."""
    (tmp_path / "closed.toml").write_text(CLOSED, encoding="utf-8")
    (tmp_path / "own.toml").write_text(OWN, encoding="utf-8")
    done = run("sweep", "own.toml", "--workers", "1", "--out", "results", "--no-figures", "--no-progress",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path, tmp_path / "results" / "own"


def test_results_of_an_own_scenario_file_verify_and_resume_from_any_folder(own):
    tmp_path, folder = own
    for given, cwd in (("results/own", tmp_path), (str(folder), ROOT)):
        verified = run("verify", given, "--sample", "1", cwd=cwd)
        assert verified.returncode == 0, verified.stderr
        assert "all match" in verified.stdout
    again = run("sweep", str(tmp_path / "own.toml"), "--workers", "1", "--out", str(tmp_path / "results"),
                "--no-figures", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "4 of 4 runs" in again.stdout and "(0 new" in again.stdout


def test_a_changed_own_scenario_file_is_named_with_how_to_restore_it(own):
    tmp_path, folder = own
    (tmp_path / "closed.toml").write_text(CLOSED + "years_per_step = 0.5\n", encoding="utf-8")
    result = run("verify", str(folder))
    one_line(result, "scenario 'closed.toml' changed since these results were made",
             f"put {tmp_path / 'closed.toml'} back as it was to verify them, or rerun the sweep with --new")
    assert "commit" not in result.stderr
