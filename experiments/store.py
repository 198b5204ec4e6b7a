"""The results store: one folder per experiment, a tidy run table and a manifest.

Layout of ``results/<experiment>/``::

    runs.csv        one row per finished run, appended as runs finish (header: the columns)
    series.csv      per-step series (run_id, step, series...), only when asked for
    manifest.json   what made these rows: the experiment file's content and sha256, the master
                    seed, the design, the project's version, git commit, package versions, start
                    and end times, run counts
    figures/        written by ``python run.py figures``

Trust rules (enforced here):

* rows are appended and flushed as runs finish, so an interrupted sweep keeps every finished run; a
  line cut short by a kill is dropped when the store is reopened;
* resuming skips runs whose stable ``run_id`` is already in the table; a row is never written twice;
* one sweep at a time: a ``.lock`` file names the process writing to the folder; another process is
  refused while it runs, and a lock left by a killed process is taken over;
* a folder whose manifest ``identity`` (the experiment file's hash, the variant, the model and
  scenario fingerprints) differs from the one asked for is refused, never mixed; ``new=True`` writes
  to a fresh folder ``<folder>-2``, ``-3``, ... instead.

This module knows nothing of the model: the caller supplies the identity and the rows.
"""

from __future__ import annotations

import csv
import datetime
import importlib.metadata
import json
import math
import os
import platform
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .version import project_version

RUNS = "runs.csv"
SERIES = "series.csv"
MANIFEST = "manifest.json"
LOCK = ".lock"
FIGURES = "figures"
FORMAT_VERSION = 1
SERIES_KEY = "_series"
PACKAGES = ("mesa", "numpy", "pandas", "matplotlib", "scipy", "SALib", "networkx", "tqdm")


class StoreError(ValueError):
    """A results folder that cannot be used as asked; the message says why and what to do."""


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def git_commit(where: Path | None = None) -> tuple[str | None, bool | None]:
    """(commit hash, whether tracked files have uncommitted changes) of the project, or (None, None)."""
    cwd = where or Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit, bool(dirty)


def package_versions() -> dict[str, str]:
    """Python and the versions of the packages that shape the results."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def _repair(path: Path) -> None:
    """Drop a last line cut short by a kill (a row is only complete with its newline)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        data = handle.read()
        handle.truncate(data.rfind(b"\n") + 1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock(folder: Path) -> None:
    """Claim ``folder`` for this process: two sweeps must never append to one table at once.

    A lock left by a process that no longer runs (a kill, a crash) is taken over.
    """
    path = folder / LOCK
    mine = {"pid": os.getpid(), "host": platform.node(), "started": now()}
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        held = None
    if isinstance(held, dict) and held.get("pid") != os.getpid():
        same_host = held.get("host") == platform.node()
        if not same_host or _alive(int(held.get("pid", 0))):
            raise StoreError(
                f"{folder}: another sweep (process {held.get('pid')} on {held.get('host')}, since "
                f"{held.get('started')}) is writing to this folder; wait for it, or delete "
                f"{path} if it is no longer running"
            )
    path.write_text(json.dumps(mine) + "\n", encoding="utf-8")


def _unlock(folder: Path) -> None:
    path = folder / LOCK
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


class _Table:
    """An append-only CSV file with a fixed header."""

    def __init__(self, path: Path):
        self.path = path
        _repair(path)
        self.columns: list[str] | None = None
        if path.exists() and path.stat().st_size:
            with path.open(newline="", encoding="utf-8") as handle:
                self.columns = next(csv.reader(handle))

    def append(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.columns is None:
            self.columns = list(rows[0])
            with self.path.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, lineterminator="\n").writerow(self.columns)
        for row in rows:
            if list(row) != self.columns and set(row) != set(self.columns):
                missing = sorted(set(self.columns) - set(row))
                extra = sorted(set(row) - set(self.columns))
                raise StoreError(f"{self.path}: a row does not match the table's columns "
                                 f"(missing {missing}, unexpected {extra})")
        with self.path.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for row in rows:
                writer.writerow([_cell(row[c]) for c in self.columns])
            handle.flush()


class ResultsStore:
    """One experiment's results folder. Open it with :meth:`open`; read it with :func:`read_runs`.

    Typical use (what ``experiments.runner`` does)::

        store = ResultsStore.open(folder, identity={...}, info={...})
        todo = [spec for spec in specs if spec.run_id not in store.finished]
        for row in evaluator.map(todo):
            store.append(row)
        store.close("complete")

    Attributes:
        folder: where the files are.
        finished: run ids already in the table.
        manifest: the manifest as last written.
    """

    def __init__(self, folder: Path, manifest: dict[str, Any]):
        self.folder = folder
        self.manifest = manifest
        self._runs = _Table(folder / RUNS)
        self._series = _Table(folder / SERIES)
        self.finished: set[str] = set()
        if self._runs.columns is not None:
            if "run_id" not in self._runs.columns:
                raise StoreError(f"{folder / RUNS}: no 'run_id' column; not a results table")
            position = self._runs.columns.index("run_id")
            with (folder / RUNS).open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                self.finished = {line[position] for line in reader if line}
        self._added = 0

    @classmethod
    def open(cls, folder: str | Path, identity: dict[str, Any], info: dict[str, Any],
             new: bool = False) -> ResultsStore:
        """Create ``folder`` or resume it.

        Args:
            folder: the results folder (created with its parents if missing).
            identity: what must match for rows to be mixed: for an experiment, the file's sha256,
                the variant (full or quick) and fingerprints of the model and scenarios.
            info: other manifest fields (experiment name and file content, master seed, design,
                planned_runs, ...), refreshed on every open.
            new: when ``folder`` holds results of another identity, write to the first free
                ``<folder>-2``, ``<folder>-3``, ... instead of refusing.

        Raises:
            StoreError: the folder holds results of another identity (and ``new`` is false), or is
                not a results folder.
        """
        folder = Path(folder)
        identity = json.loads(json.dumps(identity))
        while True:
            existing = cls._read_manifest(folder)
            if existing is None or existing.get("identity") == identity:
                break
            if not new:
                raise StoreError(cls._mismatch(folder, existing.get("identity", {}), identity))
            folder = cls._next_folder(folder)
        folder.mkdir(parents=True, exist_ok=True)
        _lock(folder)
        commit, dirty = git_commit()
        session = {"started": now(), "ended": None, "runs_added": 0, "status": "running",
                   "git_commit": commit, "git_dirty": dirty, "model_version": project_version()}
        if existing is None:
            manifest = {"format": FORMAT_VERSION, "identity": identity, "created": now(),
                        "sessions": []}
        else:
            manifest = existing
        manifest.update(json.loads(json.dumps(info)))
        manifest.update({"model_version": project_version(), "git_commit": commit, "git_dirty": dirty,
                         "versions": package_versions(),
                         "status": "running", "ended": None})
        manifest["sessions"].append(session)
        store = cls(folder, manifest)
        manifest["finished_runs"] = len(store.finished)
        manifest.setdefault("started", session["started"])
        store._write_manifest()
        return store

    @classmethod
    def check(cls, folder: str | Path, identity: dict[str, Any]) -> None:
        """Raise :class:`StoreError` if ``folder`` holds results of another identity (no side effects).

        Lets a command check every folder it will write to before it runs anything.
        """
        folder = Path(folder)
        identity = json.loads(json.dumps(identity))
        existing = cls._read_manifest(folder)
        if existing is not None and existing.get("identity") != identity:
            raise StoreError(cls._mismatch(folder, existing.get("identity", {}), identity))

    @staticmethod
    def _read_manifest(folder: Path) -> dict[str, Any] | None:
        path = folder / MANIFEST
        if not path.exists():
            if (folder / RUNS).exists():
                raise StoreError(f"{folder}: has a {RUNS} but no {MANIFEST}; not a results folder this "
                                 "tool can resume (move it away or delete it)")
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise StoreError(f"{path}: cannot be read ({error}); move the folder away") from None

    @staticmethod
    def _mismatch(folder: Path, old: dict[str, Any], new: dict[str, Any]) -> str:
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        detail = ", ".join(f"{k}: stored {str(old.get(k))[:12]}, now {str(new.get(k))[:12]}"
                           for k in changed)
        return (f"{folder} holds results of a different experiment definition ({detail}); they are "
                "never mixed: give --new to write to a new folder, or delete the folder to start "
                "afresh")

    @staticmethod
    def _next_folder(folder: Path) -> Path:
        base = folder.name
        stem, sep, number = base.rpartition("-")
        if sep and number.isdigit():
            return folder.with_name(f"{stem}-{int(number) + 1}")
        return folder.with_name(f"{base}-2")

    def _write_manifest(self) -> None:
        path = self.folder / MANIFEST
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(self.manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)

    def append(self, row: dict[str, Any]) -> bool:
        """Write one finished run (and its series, if the row carries them); flushed at once.

        Returns False, writing nothing, if the run is already in the table.
        """
        if row["run_id"] in self.finished:
            return False
        row = dict(row)
        series = row.pop(SERIES_KEY, None)
        if series:
            self._series.append([{"run_id": row["run_id"], **record} for record in series])
        self._runs.append([row])
        self.finished.add(row["run_id"])
        self._added += 1
        return True

    def extend(self, rows: Iterable[dict[str, Any]]) -> int:
        """:meth:`append` each row; the number written."""
        return sum(self.append(row) for row in rows)

    def close(self, status: str = "complete") -> None:
        """Record the end of this session: ``complete``, ``interrupted`` or ``failed``."""
        ended = now()
        session = self.manifest["sessions"][-1]
        session.update({"ended": ended, "runs_added": self._added, "status": status})
        self.manifest.update({"status": status, "ended": ended, "finished_runs": len(self.finished)})
        self._write_manifest()
        _unlock(self.folder)


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a results folder."""
    manifest = ResultsStore._read_manifest(Path(folder))
    if manifest is None:
        raise StoreError(f"{folder}: no {MANIFEST}; not a results folder")
    return manifest


def read_runs(folder: str | Path):
    """The run table of a results folder as a pandas DataFrame (one row per run).

    Reads complete lines only and never modifies the file, so it is safe while a sweep is writing.
    """
    import io

    import pandas as pd

    path = Path(folder) / RUNS
    if not path.exists():
        raise StoreError(f"{folder}: no {RUNS} yet")
    data = path.read_bytes()
    return pd.read_csv(io.BytesIO(data[: data.rfind(b"\n") + 1]))
