"""Where ``report --out`` writes, as ``run --out`` does (:class:`cli.destination.Destination`): a
folder and a read-only file refused before the report is made, a symlink's target written, ``-``
standard output, and the file replaced only once whole."""

from __future__ import annotations

import os
import stat

import pytest

from tests.cli.test_bad_input import one_line, run


@pytest.fixture
def results(tmp_path):
    root = tmp_path / "results"
    root.mkdir()
    return root


def test_a_folder_is_refused_naming_a_file_to_give(results, tmp_path):
    result = run("report", "--results", str(results), "--out", str(tmp_path))
    one_line(result, f"--out {tmp_path}: is a folder; give a file name, e.g. "
                     f"{tmp_path / 'report.html'}")


def test_a_read_only_file_is_refused_and_kept(results, tmp_path):
    path = tmp_path / "report.html"
    path.write_text("keep\n", encoding="utf-8")
    path.chmod(0o444)
    one_line(run("report", "--results", str(results), "--out", str(path)),
             f"--out {path}: not writable")
    assert path.read_text(encoding="utf-8") == "keep\n" and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_missing_folder_is_refused(results, tmp_path):
    path = tmp_path / "no" / "report.html"
    one_line(run("report", "--results", str(results), "--out", str(path)),
             f"--out {path}: folder '{tmp_path / 'no'}' does not exist")


def test_a_dash_writes_the_report_to_standard_output(results, tmp_path):
    result = run("report", "--results", str(results), "--out", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")
    assert result.stderr.startswith("report: standard output (")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]  # no file named '-'


def test_a_symlink_is_followed_and_the_file_written_whole(results, tmp_path):
    target = tmp_path / "target.html"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(target.name)
    result = run("report", "--results", str(results), "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "results", "target.html"]


def test_the_help_says_a_dash_is_standard_output():
    assert "'-': standard output" in " ".join(run("report", "--help").stdout.split())
