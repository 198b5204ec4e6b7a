"""Where ``run --out`` writes: a symlink's target, a FIFO as it is, ``-`` to standard output, and a
read-only file refused, as a user types them. (Devices such as /dev/null are written as a FIFO is;
they are never pointed at here, since the code before the fix replaced its target by a rename.)"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys

import pandas as pd

from tests.cli.test_bad_input import one_line, run
from tests.support.project import ROOT


def series(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), index_col="step")


def test_a_symlink_is_followed_and_its_target_written(tmp_path):
    target = tmp_path / "target.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)
    result = run("run", "--steps", "5", "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert len(series(target.read_text(encoding="utf-8"))) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "target.csv"]


def test_a_symlink_to_a_new_file_makes_that_file(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to("new.csv")
    result = run("run", "--steps", "5", "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and len(series((tmp_path / "new.csv").read_text(encoding="utf-8"))) == 5


def test_a_fifo_is_written_as_it_is(tmp_path):
    fifo = tmp_path / "series.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", "import sys; print(open(sys.argv[1]).read(), end='')",
                               str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        result = run("run", "--steps", "5", "--out", str(fifo))
        assert result.returncode == 0, result.stderr
        assert stat.S_ISFIFO(fifo.lstat().st_mode)  # not replaced by a regular file
        text, _ = reader.communicate(timeout=60)  # the writer has closed: the reader is at its end
    finally:
        reader.kill()
        reader.wait()
    assert len(series(text)) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["series.fifo"]


def test_a_dash_writes_the_series_to_standard_output_and_the_table_to_standard_error(tmp_path):
    result = run("run", "--steps", "5", "--out", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(series(result.stdout)) == 5
    assert "scenario asia · structure hub_and_spoke · seed 1 · 5 steps" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_standard_output_named_as_a_file_is_standard_output(tmp_path):
    """``--out /dev/stdout > FILE``: FILE holds the series, not the table nor half of each."""
    out = tmp_path / "out.csv"
    with out.open("w") as stdout:
        done = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "--steps", "5", "--out",
                               "/proc/self/fd/1"], stdout=stdout, stderr=subprocess.PIPE,
                              text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert len(series(out.read_text(encoding="utf-8"))) == 5
    assert "5 steps" in done.stderr


def test_the_help_says_a_dash_is_standard_output():
    assert "'-': standard output" in " ".join(run("run", "--help").stdout.split())


def test_a_read_only_file_is_refused_before_the_run(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("keep\n", encoding="utf-8")
    path.chmod(0o444)
    result = run("run", "--steps", "5", "--out", str(path))
    one_line(result, f"--out {path}: not writable")
    assert "scenario asia" not in result.stdout
    assert path.read_text(encoding="utf-8") == "keep\n" and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
