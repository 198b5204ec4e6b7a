"""The results store: one folder per experiment, a tidy run table and a manifest.

The folder's layout, the complete-line rule and the run identity are those of
:mod:`experiments.formats`; this module writes them.

Trust rules (enforced here):

* rows are appended as runs finish, each write whole or not at all (cut back if the disk is full),
  so an interrupted sweep keeps every finished run; a line cut short by a kill is dropped;
* resuming skips runs whose stable ``run_id`` is already in the table; a row is never written twice;
  runs that raised are in ``failures.csv`` and are retried only when asked;
* one sweep at a time: the writer holds a lock on ``.lock`` (naming it); another process is refused
  while it runs; the system releases the lock when the writer ends, however it ends;
* a folder whose manifest ``identity`` (the experiment file's hash, the variant, the model and
  scenario fingerprints) differs from the one asked for is refused, never mixed; ``new=True`` writes
  to a fresh folder ``<folder>-2``, ``-3``, ... instead.

This module knows nothing of the model: the caller supplies the identity and the rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .formats import (
    FAILURE_COLUMNS,
    FAILURES,
    FORMAT_VERSION,
    LOCK,
    MANIFEST,
    RUNS,
    SERIES,
    SERIES_KEY,
    ResultsError,
    _text,
    cell,
    drop_partial_line,
    git_commit,
    now,
    package_versions,
    read_table,
)
from .formats import read_manifest as _read_manifest_file
from .version import project_version


class StoreError(ResultsError):
    """A results folder that cannot be used as asked; the message says why and what to do."""


def _claim(folder: Path):
    """Claim ``folder`` for this process, or raise :class:`StoreError` naming the process that holds
    it: two sweeps must never append to one table at once.

    The claim is an exclusive ``flock`` on ``.lock`` (which names the holder), held while the store
    is open; the system releases it when the process ends, however it ends, so a lock left by a
    killed sweep is simply taken over; so is one this process left open (a store not closed).
    """
    import fcntl

    path = folder / LOCK
    abandoned = _HELD.pop(folder.resolve(), None)
    if abandoned is not None:
        abandoned.close()
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as error:
        raise StoreError(f"{folder}: cannot write here ({error.strerror})") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        try:
            held = json.loads(handle.read())
        except ValueError:
            held = {}
        handle.close()
        raise StoreError(
            f"{folder}: another sweep (process {held.get('pid', '?')} on {held.get('host', '?')}, "
            f"since {held.get('started', '?')}) is writing to this folder; wait for it to finish or "
            "stop it, then give the command again"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "host": platform.node(), "started": now()}) + "\n")
    handle.flush()
    _HELD[folder.resolve()] = handle
    return handle


def _release(folder: Path, handle) -> None:
    if _HELD.get(folder.resolve()) is handle:
        del _HELD[folder.resolve()]
        (folder / LOCK).unlink(missing_ok=True)
    handle.close()


_HELD: dict[Path, Any] = {}
"""The folders this process holds, with their open lock files."""


def _write_all(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` whole or not at all: if the disk is full or the file may not
    grow, what was written is cut off again, so no half-written row is left to be read as data."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError as error:
        raise StoreError(f"{path}: cannot write ({error.strerror})") from None
    start = os.fstat(descriptor).st_size
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    except OSError as error:
        try:
            os.ftruncate(descriptor, start)
        except OSError:
            pass  # the reader and the next writer drop a line without its newline anyway
        raise StoreError(f"{path}: cannot write ({error.strerror}); the rows written before are "
                         "kept: make room, then give the same command to resume") from None
    finally:
        os.close(descriptor)


class _Table:
    """An append-only CSV file with a fixed header."""

    def __init__(self, path: Path):
        self.path = path
        if path.exists():  # checked before anything runs: never a sweep whose rows cannot be kept
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            except OSError as error:
                raise StoreError(f"{path}: cannot write ({error.strerror}); the sweep appends its "
                                 "rows here: make it writable, or move the folder away") from None
        drop_partial_line(path)
        self.columns: list[str] | None = None
        if path.exists() and path.stat().st_size:
            self.columns = next(csv.reader(io.StringIO(_text(path))), None)

    def column(self, name: str) -> list[str]:
        """Every complete row's value in column ``name`` (empty if the table is)."""
        if self.columns is None:
            return []
        position = self.columns.index(name)
        reader = csv.reader(io.StringIO(_text(self.path)))
        next(reader)
        values = []
        for line in reader:
            if len(line) != len(self.columns):
                raise StoreError(f"{self.path}: line {reader.line_num}: {len(line)} fields where the "
                                 f"header has {len(self.columns)}; not a row this tool wrote: remove "
                                 "the line, or move the folder away")
            values.append(line[position])
        return values

    def append(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = self.columns or list(rows[0])
        for row in rows:
            if list(row) != columns and set(row) != set(columns):
                missing = sorted(set(columns) - set(row))
                extra = sorted(set(row) - set(columns))
                raise StoreError(f"{self.path}: a row does not match the table's columns "
                                 f"(missing {missing}, unexpected {extra})")
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        if self.columns is None:
            writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row[c]) for c in columns])
        _write_all(self.path, text.getvalue().encode("utf-8"))
        self.columns = columns


class ResultsStore:
    """One experiment's results folder. Open it with :meth:`open`; read it with :func:`read_runs`.

    Typical use (what ``experiments.runner`` does)::

        store = ResultsStore.open(folder, identity={...}, info={...})
        todo = [spec for spec in specs if spec.run_id not in store.finished | store.failed]
        for row in evaluator.map(todo):
            store.record_failure(row) if row.get(FAILED_KEY) else store.append(row)
        store.close("complete")

    Attributes:
        folder: where the files are.
        finished: run ids already in the table.
        failed: run ids recorded in ``failures.csv`` and not finished since.
        manifest: the manifest as last written.
    """

    def __init__(self, folder: Path, manifest: dict[str, Any]):
        self.folder = folder
        self.manifest = manifest
        self._runs = _Table(folder / RUNS)
        self._series = _Table(folder / SERIES)
        self._failures = _Table(folder / FAILURES)
        if self._runs.columns is not None and "run_id" not in self._runs.columns:
            raise StoreError(f"{folder / RUNS}: no 'run_id' column; not a results table")
        self.finished: set[str] = set(self._runs.column("run_id"))
        self._failed: set[str] = set(self._failures.column("run_id"))
        self._added = 0
        self._lock = None

    @property
    def failed(self) -> set[str]:
        return self._failed - self.finished

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
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{folder}: cannot create the results folder ({error.strerror})") from None
        lock = _claim(folder)
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
        try:
            store = cls(folder, manifest)
            store._lock = lock
            manifest["finished_runs"] = len(store.finished)
            manifest["failed_runs"] = len(store.failed)
            manifest.setdefault("started", session["started"])
            store._write_manifest()
        except BaseException:
            _release(folder, lock)
            raise
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
        if not (folder / MANIFEST).exists() and (folder / RUNS).exists():
            raise StoreError(f"{folder}: has a {RUNS} but no {MANIFEST}; not a results folder this "
                             "tool can resume (move it away or delete it)")
        try:
            return _read_manifest_file(folder)
        except ResultsError as error:
            raise StoreError(str(error)) from None

    @staticmethod
    def _mismatch(folder: Path, old: dict[str, Any], new: dict[str, Any]) -> str:
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        detail = "; ".join(_difference(k, old.get(k), new.get(k)) for k in changed)
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
        """Replace the manifest whole (write a temporary file, then rename): never half a manifest."""
        path = self.folder / MANIFEST
        temporary = path.with_suffix(".json.tmp")
        try:
            temporary.write_text(json.dumps(self.manifest, indent=2) + "\n", encoding="utf-8")
            os.replace(temporary, path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise StoreError(f"{path}: cannot write ({error.strerror})") from None

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

    def record_failure(self, record: dict[str, Any]) -> None:
        """Write a run that raised to ``failures.csv`` (:data:`~experiments.formats.FAILURE_COLUMNS`),
        each field on one line."""
        row = {name: str(record[name]).replace("\r", "\\r").replace("\n", "\\n")
               if name in ("error", "traceback") else record[name] for name in FAILURE_COLUMNS}
        self._failures.append([row])
        self._failed.add(record["run_id"])

    def close(self, status: str = "complete") -> None:
        """Record the end of this session (``complete``, ``interrupted`` or ``failed``) and release
        the folder. When the disk is full, the manifest may keep its last state; the rows are safe."""
        ended = now()
        session = self.manifest["sessions"][-1]
        session.update({"ended": ended, "runs_added": self._added, "status": status})
        self.manifest.update({"status": status, "ended": ended, "finished_runs": len(self.finished),
                              "failed_runs": len(self.failed)})
        try:
            self._write_manifest()
        finally:
            if self._lock is not None:
                _release(self.folder, self._lock)
                self._lock = None


def _difference(key: str, stored: Any, now: Any) -> str:
    """One part of a results folder's identity that is not the same now, in words: each scenario
    by its name, anything else by the start of its value."""
    if key != "scenarios_sha256" or not isinstance(stored, dict) or not isinstance(now, dict):
        return f"{key}: stored {str(stored)[:12]}, now {str(now)[:12]}"
    phrases = []
    for name in sorted(set(stored) | set(now)):
        if name not in stored:
            phrases.append(f"scenario {name} is not in the results")
        elif name not in now:
            phrases.append(f"scenario {name} is in the results but no longer run")
        elif stored[name] != now[name]:
            phrases.append(f"scenario {name} (or a file it extends) changed since the results were "
                           "made")
    return "; ".join(phrases)


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
    path = Path(folder) / RUNS
    if not path.exists():
        raise StoreError(f"{folder}: no {RUNS} yet")
    return read_table(path)
