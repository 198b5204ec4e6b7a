"""Check stored results against the code: rerun a sample of stored runs, compare bit for bit.

``python run.py verify results/EXPERIMENT`` (:func:`verify`) rebuilds the run specifications from
the manifest (the experiment file's stored text, or a sensitivity study's definition and samples),
reruns a random sample of the stored rows -- always with the first and the last -- and compares
every column of each recomputed row with the text stored in ``runs.csv``: the stored text must be
exactly what the store would write now, so equal text means equal bits. It refuses to start when the
model's code or a scenario changed since the rows were made (:func:`check_unchanged`), since every
mismatch would then mean only that.
"""

from __future__ import annotations

import csv
import io
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import formats
from .design import RunSpec, parse
from .evaluate import evaluate, load_scenarios


class VerifyError(formats.ResultsError):
    """Results that cannot be verified here; the message says why and what to do."""


@dataclass(frozen=True)
class Mismatch:
    """A stored value that the code no longer produces."""

    run_id: str
    column: str
    stored: str
    recomputed: str


@dataclass
class Verification:
    """What :func:`verify` checked: the runs rerun, the sample's seed and every mismatch."""

    folder: Path
    seed: int
    stored: int
    checked: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


def check_unchanged(folder: Path, manifest: dict[str, Any]) -> None:
    """Raise :class:`VerifyError` if the model's code or a scenario differs from what made the rows."""
    changes = formats.changed_since(manifest)
    if changes:
        files = [change.file for change in changes if change.file]
        when, restore = "", []
        if len(files) < len(changes):  # the project's own code or scenarios: its commit has them
            when = f" (at commit {(manifest.get('git_commit') or 'unknown')[:10]})"
            restore.append("check that commit out")
        if files:
            restore.append(f"put {', '.join(files)} back as {'it was' if len(files) == 1 else 'they were'}")
        raise VerifyError(f"{folder}: cannot verify: {' and '.join(c.what for c in changes)} changed "
                          f"since these results were made{when}; {' and '.join(restore)} to verify "
                          "them, or rerun the sweep with --new")


def experiment_specs(manifest: dict[str, Any]) -> list[RunSpec]:
    """The run specifications of a sweep, rebuilt from the experiment text its manifest stores."""
    text = manifest["experiment_text"]
    path = Path(manifest.get("experiment_file") or f"{manifest['experiment']}.toml")
    if manifest.get("experiment_folder"):  # scenario paths are relative to the file's folder
        path = Path(manifest["experiment_folder"]) / path
    quick = manifest.get("identity", {}).get("variant") == "quick"
    return parse(tomllib.loads(text), text, path, quick).runs()


def _stored_rows(folder: Path) -> tuple[list[str], list[list[str]]]:
    lines = list(csv.reader(io.StringIO(formats._text(folder / formats.RUNS))))
    if not lines:
        raise VerifyError(f"{folder}: no stored runs to verify")
    return lines[0], lines[1:]


def verify(folder: str | Path, specs: list[RunSpec], sample: int = 20, seed: int | None = None,
           engine: str = "fast") -> Verification:
    """Rerun ``sample`` stored runs chosen at random (plus the first and last) and compare them.

    ``specs``: the study's or experiment's run specifications (:func:`experiment_specs`,
    :func:`sensitivity.study.stored_runs`); ``seed`` fixes the sample (default: a fresh one, given
    back in the result so the same sample can be checked again).
    """
    folder = Path(folder)
    formats.check_rows(folder / formats.RUNS, (spec.run_id for spec in specs))
    columns, rows = _stored_rows(folder)
    if not rows:
        raise VerifyError(f"{folder}: no stored runs to verify")
    wanted = {row[columns.index("run_id")] for row in rows}
    by_id = {spec.run_id: spec for spec in specs if spec.run_id in wanted}
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    picks = sorted({0, len(rows) - 1} | set(random.Random(seed).sample(range(len(rows)),
                                                                        min(sample, len(rows)))))
    chosen = [dict(zip(columns, rows[k], strict=True)) for k in picks]
    unknown = [row["run_id"] for row in chosen if row["run_id"] not in by_id]
    if unknown:
        raise VerifyError(f"{folder}: run {unknown[0]} is not one of the runs its manifest defines; "
                          "the folder was changed by hand")
    result = Verification(folder, seed, len(rows))
    scenarios = load_scenarios([by_id[row["run_id"]] for row in chosen])
    for stored in chosen:
        spec = by_id[stored["run_id"]]
        recomputed = evaluate(spec, scenario=scenarios[spec.scenario], engine=engine)
        result.checked.append(spec.run_id)
        for column in columns:
            now = formats.cell(recomputed.get(column))
            if column not in recomputed or now != stored[column]:
                result.mismatches.append(Mismatch(spec.run_id, column, stored[column], now))
    return result
