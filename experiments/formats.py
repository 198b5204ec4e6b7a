"""The results folder's format, in one place: file names, the partial-line rule, run identity.

A results folder (``results/<experiment>/``) is written by :mod:`experiments.store` and read by
:mod:`analysis.results`, :mod:`analysis.sensitivity` and :mod:`sensitivity.study`; all of them take
the names and rules below from here, so the writer and the readers cannot fall out of step::

    runs.csv        one row per finished run, appended as runs finish (first line: the columns)
    failures.csv    one row per run that raised: its parameters, seed, error and traceback
    series.csv      per-step series (run_id, step, series...), only when asked for
    manifest.json   what made these rows (experiment, seeds, design, commit, versions, identity)
    samples.csv     a sensitivity study's sample matrix; plan.csv: its run per point
    figures/        written by ``python run.py figures``

**A row is complete only with its newline.** A kill (or a full disk) can cut the last line short;
:func:`read_table` reads complete lines only and :func:`drop_partial_line` removes the cut tail
before a writer appends again, so a cut row is never taken as data.

**Identity**: rows are mixed in one folder only when the experiment's definition (its sha256 and
variant) and the fingerprints of the model's source and of every scenario's content are equal
(:func:`identity`). The manifest also records the commit, the package versions (:func:`git_commit`,
:func:`package_versions`) and each model file's hash, so that ``python run.py verify`` can say what
changed. Nothing here imports the model at import time: the readers never need it.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNS = "runs.csv"
FAILURES = "failures.csv"
SERIES = "series.csv"
MANIFEST = "manifest.json"
LOCK = ".lock"
FIGURES = "figures"
SAMPLES = "samples.csv"
PLAN = "plan.csv"
FORMAT_VERSION = 1
SERIES_KEY = "_series"
"""Key of a row's per-step series (a list of records) when the series were asked for."""
FAILED_KEY = "_failed"
"""Key that marks an evaluator's failure record (a run that raised) instead of a row."""


@dataclass(frozen=True)
class Column:
    """One column of a run table that is neither a parameter nor a metric: a run's identity.

    Attributes:
        name: the column's name.
        meaning: what it holds.
        unit: its unit ("-" for none).
        type: how it is stored (``text``, ``integer``).
    """

    name: str
    meaning: str
    unit: str
    type: str


IDENTITY: tuple[Column, ...] = (
    Column("run_id", "the run's identity: the first 16 hex digits of the sha256 of what makes it "
           "(scenario, structure, parameters, replicate, seed, steps); the same run has the same id "
           "in every sweep", "-", "text"),
    Column("experiment", "the name of the experiment that made the run", "-", "text"),
    Column("scenario", "the scenario as the experiment names it: a shipped scenario's name or the "
           "path of a scenario file", "-", "text"),
    Column("structure", "the alliance structure (python run.py parameters structure)", "-", "text"),
    Column("point", "the design point: its index in the experiment's design, from 0", "-", "integer"),
    Column("replicate", "the replicate: its index k, from 0; replicate k of every structure and "
           "design point has the same seed, so comparisons are paired on it", "-", "integer"),
    Column("seed", "the run's seed, derived from the experiment's master seed and the replicate",
           "-", "integer"),
    Column("steps", "how many steps the run lasted", "steps", "integer"),
)
"""The identity of a run, first in every row of ``runs.csv``."""
ID_COLUMNS: tuple[str, ...] = tuple(column.name for column in IDENTITY)
FAILURE_COLUMNS = (*ID_COLUMNS, "parameters", "error", "traceback")
"""Columns of ``failures.csv``: the run's identity, its parameter overrides (JSON), the error and the
traceback, each on one line (line breaks written as the two characters ``\\n``)."""
SENSITIVITY = "sensitivity"
"""The manifest's ``kind`` of a sensitivity study (a sweep's manifest has no ``kind``)."""


class ResultsError(ValueError):
    """A results folder that cannot be used as asked; the message names the folder and the problem."""


def cell(value: Any) -> str:
    """How a value is written in a table: Python's shortest round-trip text; empty for undefined."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


PACKAGES = ("mesa", "numpy", "pandas", "matplotlib", "scipy", "SALib", "networkx", "tqdm")


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


def complete_lines(data: bytes) -> bytes:
    """``data`` up to and including its last newline: the complete rows of a table being written."""
    return data[: data.rfind(b"\n") + 1]


def drop_partial_line(path: Path) -> None:
    """Cut a last line left without its newline (by a kill or a full disk) off ``path``."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        handle.truncate(len(complete_lines(handle.read())))


def read_table(path: Path):
    """A CSV table of a results folder as a pandas DataFrame, complete lines only.

    Never modifies the file, so it is safe while a sweep is writing. (pandas >= 3 parses every float
    back to the bit the store wrote: Python writes the shortest representation that round-trips.)
    """
    import pandas as pd

    from model.observations import METRICS, TEXT_KINDS

    names = {m.name: str for m in METRICS if m.kind in TEXT_KINDS}  # lists of names are text, even empty
    return pd.read_csv(io.StringIO(_text(path)), dtype=names)


RUN_ID = re.compile(r"[0-9a-f]{16}")
"""A run id: the first 16 hex digits of a sha256 (:meth:`experiments.design.RunSpec.make`)."""
WHOLE_COLUMNS = tuple(column.name for column in IDENTITY if column.type == "integer")


def _text(path: Path) -> str:
    """``path``'s complete lines as text; :class:`ResultsError` naming the file and line if they are
    not UTF-8."""
    data = complete_lines(path.read_bytes())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ResultsError(f"{path}: line {line}: not UTF-8 text (byte {data[error.start]:#04x}); "
                           "the file was changed or damaged: restore it, or move the folder away"
                           ) from None


def numeric_columns() -> set[str]:
    """The columns of a run table that hold numbers (the rest are names and labels)."""
    from model.observations import METRICS, TEXT_KINDS
    from model.parameters import PARAMETERS

    return ({*WHOLE_COLUMNS} | {p.name for p in PARAMETERS if p.kind != "categorical"}
            | {m.name for m in METRICS if m.kind not in TEXT_KINDS})


def point_name(values: dict[str, Any] | Any, factors: Iterable[str]) -> str:
    """What an unlabelled design point is called in figures and tables: ``name=value`` for each of
    the design's ``factors`` whose value there (``values``: the point's parameters as a run resolves
    them, or its row of the run table) differs from the parameter's declared default, or that has
    no declared default, joined by ``", "``; ``"defaults"`` if none. (A labelled point is called by
    its label; the experiment loader refuses a label that is another point's name.)"""
    from model.parameters import BY_NAME

    def differs(name: str, value: Any) -> bool:
        declared = BY_NAME.get(name)
        return declared is None or declared.default is None or str(declared.default) != str(value)

    sets = [f"{name}={values[name]}" for name in factors
            if name in values and differs(name, values[name])]
    return ", ".join(sets) if sets else "defaults"


def check_rows(path: Path, defined: Iterable[str] | None = None, planned: int | None = None,
               experiment: str | None = None) -> None:
    """Check every row of a run table (read it with :func:`read_table`).

    Every complete line must be a run: as many fields as the header, a run id of the form the
    store writes and, when ``defined`` (the run ids the manifest defines, in any order, read once)
    is given, one of those; no run id twice; at most ``planned`` rows; when ``experiment`` (the
    manifest's) is given, a run of that experiment; every number column parsable. Anything else
    raises
    :class:`ResultsError` naming the file, the line and the problem: a table changed by hand is
    refused, never counted.
    """
    import pandas as pd

    text = _text(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ResultsError(f"{path}: empty; no runs yet")
    if "run_id" not in header:
        raise ResultsError(f"{path}: line 1: no 'run_id' column; not a run table")
    position = header.index("run_id")
    named = header.index("experiment") if experiment is not None and "experiment" in header else None
    lines: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if len(row) != len(header):
            raise ResultsError(f"{path}: line {line}: {len(row)} fields where the header has "
                               f"{len(header)}; not a run: remove the line, or move the folder away")
        if named is not None and row[named] != experiment:
            raise ResultsError(f"{path}: line {line}: a run of experiment {row[named][:40]!r}, but "
                               f"the folder's manifest is that of experiment {experiment!r}: the "
                               "manifest or the table comes from another folder")
        run_id = row[position]
        if not RUN_ID.fullmatch(run_id):
            raise ResultsError(f"{path}: line {line}: {run_id[:40]!r} is not a run id; not a run: "
                               "remove the line, or move the folder away")
        if run_id in lines:
            raise ResultsError(f"{path}: line {line}: run {run_id} is already on line "
                               f"{lines[run_id]}; remove one of them, or move the folder away")
        lines[run_id] = line
    if planned is not None and len(lines) > planned:
        raise ResultsError(f"{path}: {len(lines):,} runs where its manifest plans {planned:,}; rows "
                           "were added by hand: remove them, or move the folder away")
    if defined is not None:
        unknown = set(lines)
        for run_id in defined:
            unknown.discard(run_id)
            if not unknown:
                break
        if unknown:
            first = min(unknown, key=lines.__getitem__)
            raise ResultsError(f"{path}: line {lines[first]}: run {first} is not one of the runs "
                               f"its manifest defines ({len(unknown)} such rows); the table was "
                               "changed by hand: remove those lines, or move the folder away")
    names = {m: str for m in header if m not in numeric_columns()}
    frame = pd.read_csv(io.StringIO(text), dtype=names, keep_default_na=False,
                        na_values={c: [""] for c in header if c not in names})
    for column in header:
        if column not in names and frame[column].dtype.kind not in "biuf":
            values = pd.to_numeric(frame[column], errors="coerce")
            bad = int((values.isna() & frame[column].notna()).to_numpy().nonzero()[0][0])
            raise ResultsError(f"{path}: line {bad + 2}: column {column}: "
                               f"{str(frame[column].iloc[bad])[:40]!r} is not a number; the table "
                               "was changed by hand: fix or remove the line, or move the folder away")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """``folder``'s manifest, or None if it has none; :class:`ResultsError` if it cannot be read."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultsError(f"{path}: cannot be read ({error}); move the folder away") from None
    if not isinstance(manifest, dict):
        raise ResultsError(f"{path}: not a results manifest; move the folder away")
    return manifest


def is_results_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a manifest and a run table."""
    return (Path(folder) / MANIFEST).is_file() and (Path(folder) / RUNS).is_file()


def model_files() -> dict[str, str]:
    """sha256 of each source file of the model package, by path inside the package."""
    import model

    root = Path(model.__file__).resolve().parent
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*.py"))}


def model_fingerprint() -> str:
    """sha256 of the model package's source: rows made by different model code are never mixed."""
    import model

    root = Path(model.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def scenario_fingerprint(name: str) -> str:
    """sha256 of a scenario's loaded content (its parent files included), wherever its file lies:
    the path it was loaded from is left out, so that results verify and resume from any checkout
    or machine; ``name``: a shipped scenario's name or the path it is loaded from."""
    from dataclasses import replace

    from scenarios import load

    return hashlib.sha256(repr(replace(load(name), source="")).encode()).hexdigest()


def identity(definition_sha256: str, quick: bool, scenarios: list[str] | tuple[str, ...],
             sources: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """What must match for rows to be mixed in one folder: the definition's hash and variant, the
    model's source and each scenario's content (loaded from ``sources``, where given: a path
    relative to an experiment file, resolved against that file's folder)."""
    sources = sources or scenarios
    return {
        "experiment_sha256": definition_sha256,
        "variant": "quick" if quick else "full",
        "model_sha256": model_fingerprint(),
        "scenarios_sha256": {name: scenario_fingerprint(source)
                             for name, source in zip(scenarios, sources, strict=True)},
    }


def scenario_source(stored: dict[str, Any], name: str) -> str:
    """Where the scenario a manifest names ``name`` is loaded from: a relative path against the
    folder of the experiment file that named it (recorded as ``experiment_folder``), as the
    experiment loader does."""
    from scenarios import is_path

    folder = stored.get("experiment_folder")
    path = Path(name)
    if folder and not path.is_absolute() and is_path(name):
        return str(Path(folder) / path)
    return name


@dataclass(frozen=True)
class Change:
    """Something that differs from what made a folder's rows.

    Attributes:
        what: in words, e.g. ``the model's code (model/rules.py)``, ``scenario 'asia'``.
        file: the scenario file it is in, where the scenario is a file of its own (not the
            project's, which the commit the rows were made at restores).
    """

    what: str
    file: str | None = None


def changed_since(stored: dict[str, Any]) -> list[Change]:
    """What changed in the model's code and the scenarios since ``stored`` (a manifest) was made;
    empty when the code that made the rows is the code here."""
    from scenarios import is_path

    changes = []
    stored_identity = stored.get("identity", {})
    if stored_identity.get("model_sha256") != model_fingerprint():
        before = stored.get("model_files") or {}
        now = model_files()
        files = sorted(name for name in set(before) | set(now) if before.get(name) != now.get(name))
        detail = f" ({', '.join('model/' + f for f in files)})" if before and files else ""
        changes.append(Change(f"the model's code{detail}"))
    for name, digest in sorted(stored_identity.get("scenarios_sha256", {}).items()):
        source = scenario_source(stored, name)
        try:
            now_digest = scenario_fingerprint(source)
        except ValueError:
            now_digest = None
        if now_digest != digest:
            changes.append(Change(f"scenario '{name}'" + ("" if now_digest else " (no longer loads)"),
                                  source if is_path(name) else None))
    return changes
