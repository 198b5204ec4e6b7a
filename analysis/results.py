"""Read a results folder (``results/<experiment>/``): the run table and the manifest.

The format is :mod:`experiments.formats` (file names, complete lines only, identity); that module
imports nothing of the model, so the analysis never imports or runs the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.formats import (
    FAILURES,
    FIGURES,
    MANIFEST,
    RUNS,
    ResultsError,
    check_rows,
    is_results_folder,
    read_manifest,
    read_table,
)

__all__ = ["FIGURES", "PROVENANCE", "Results", "ResultsError", "find", "folders", "load", "stored",
           "typed_runs", "write_provenance"]

PROVENANCE = "provenance.json"
"""``figures/provenance.json``: what made a folder's figures and tables (experiment, file hash,
replicates, steps, runs, model version, commit, and the provenance line its captions end with); the
HTML report and the published summaries carry it."""


@dataclass
class Results:
    """One experiment's stored results.

    Attributes:
        folder: the results folder.
        runs: one row per run (identity, parameters, run-level metrics).
        manifest: the manifest (experiment file, seeds, design, commit, versions, counts).
    """

    folder: Path
    runs: pd.DataFrame
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return self.manifest.get("experiment", self.folder.name)

    @property
    def design(self) -> dict[str, Any]:
        return self.manifest.get("design", {})

    @property
    def structures(self) -> list[str]:
        """Structures in the table, in the experiment's order."""
        present = set(self.runs["structure"])
        order = self.design.get("structures") or sorted(present)
        return [s for s in order if s in present]

    @property
    def scenarios(self) -> list[str]:
        present = set(self.runs["scenario"])
        order = self.design.get("scenarios") or sorted(present)
        return [s for s in order if s in present]

    @property
    def commit(self) -> str:
        commit = self.manifest.get("git_commit") or "unknown"
        dirty = "+uncommitted changes" if self.manifest.get("git_dirty") else ""
        return commit[:10] + dirty

    @property
    def version(self) -> str:
        """The project version that made the runs (``CHANGELOG.md`` says what it changed)."""
        return self.manifest.get("model_version") or "unknown (not recorded)"

    @property
    def replicates(self) -> int:
        """Replicates per structure and design point found in the table."""
        counts = self.runs.groupby(["scenario", "point", "structure"]).size()
        return int(counts.min()) if len(counts) else 0

    @property
    def missing(self) -> str:
        """Empty if every planned run is in the table; else how many are missing, and why."""
        planned = self.manifest.get("planned_runs")
        status = self.manifest.get("status", "?")
        if not isinstance(planned, int) or len(self.runs) >= planned:
            return "" if status == "complete" else f"sweep {status}"
        failed = self.manifest.get("failed_runs") or 0
        why = [f"{failed} failed, see {FAILURES}"] if failed else []
        if status != "complete":
            why.append(f"sweep {status}")
        return (f"{planned - len(self.runs)} of {planned} planned runs missing"
                + (f" ({'; '.join(why)})" if why else ""))

    @property
    def length(self) -> str:
        """The runs' length in steps and, where the table records it, in years: "200 steps
        (50 years)" (several lengths joined by commas)."""
        if "years" not in self.runs:
            return f"{', '.join(map(str, sorted(set(self.runs['steps']))))} steps"
        pairs = sorted(set(zip(self.runs["steps"], self.runs["years"], strict=True)))
        return ", ".join(f"{steps} steps ({years:g} years)" for steps, years in pairs)

    def caption(self) -> str:
        """The provenance line every figure's caption ends with."""
        incomplete = f" ({self.missing})" if self.missing else ""
        return (
            f"Experiment '{self.name}' ({self.manifest.get('experiment_file', '?')}, sha256 "
            f"{str(self.manifest.get('experiment_sha256', '?'))[:12]}), {self.replicates} paired replicates "
            f"per structure and design point, {self.length}, master seed "
            f"{self.manifest.get('master_seed', '?')}, {len(self.runs)} runs, model version {self.version}, "
            f"commit {self.commit}"
            f"{incomplete}."
        )


def write_provenance(results: Results, line: str) -> Path:
    """Write ``figures/provenance.json`` for ``results``; ``line`` is the provenance sentence its
    captions end with."""
    import json

    manifest = results.manifest
    design = results.design
    record = {
        "experiment": results.name,
        "folder": results.folder.name,
        "experiment_file": manifest.get("experiment_file"),
        "experiment_sha256": manifest.get("experiment_sha256"),
        "variant": "quick" if design.get("quick") else "full",
        "replicates": results.replicates,
        "steps": sorted({int(s) for s in results.runs["steps"]}) if "steps" in results.runs else [],
        "runs": len(results.runs),
        "master_seed": manifest.get("master_seed", design.get("seed")),
        "model_version": results.version,
        "commit": results.commit,
        "line": line,
    }
    path = results.folder / FIGURES / PROVENANCE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


ORDER = ("scenario", "point", "structure", "replicate", "run_id")
"""The order of a loaded table's runs (scenarios and structures in the experiment's order)."""


RESULTS_ROOT = Path("results")
"""Where :func:`load` looks for an experiment given by name (relative to the current folder)."""


def sweep_command(name: str = "", root: str | Path = RESULTS_ROOT, quick: bool = False) -> str | None:
    """The command that makes the results folder ``name`` under ``root`` (``durations-quick``:
    ``python run.py sweep durations --quick``; no name: the default set, ``quick`` its quick
    versions), or ``None`` if no shipped experiment makes it."""
    from experiments.design import available

    experiment = name.removesuffix("-quick")
    if experiment and experiment not in available():
        return None
    command = "python run.py sweep" + (f" {experiment}" if experiment else "") + \
        (" --quick" if quick or experiment != name else "")
    return command if Path(root) == RESULTS_ROOT else f"{command} --out {root}"


def find(name_or_folder: str | Path, root: str | Path = RESULTS_ROOT) -> Path:
    """The results folder that ``name_or_folder`` refers to: a folder's path, or the name of an
    experiment under ``root`` (``"headline"`` -> ``results/headline``). :class:`ResultsError` naming
    what was looked for and what is there otherwise."""
    given = Path(name_or_folder)
    root = Path(root)
    if given.is_dir():
        return given
    named = root / given
    if len(given.parts) == 1 and named.is_dir():
        return named
    stored = [folder.name for folder in folders(root)]
    there = (f"; stored under {root}/: {', '.join(stored)}" if stored
             else f"; nothing is stored under {root}/ yet")
    looked = f"{given}" if len(given.parts) > 1 or root == Path(".") else f"{given} or {named}"
    make = sweep_command(given.name, root) if len(given.parts) == 1 else None
    raise ResultsError(f"no results folder '{name_or_folder}' (looked for {looked}){there}"
                       + (f"; '{make}' makes it" if make else ""))


def load(name_or_folder: str | Path, typed: bool = False, root: str | Path = RESULTS_ROOT) -> Results:
    """Read the results of an experiment: its ``runs.csv`` and ``manifest.json``.

    Args:
        name_or_folder: the folder's path, or the experiment's name under ``root``
            (``load("headline")`` reads ``results/headline``; ``"headline-quick"`` its quick version).
        typed: ``False`` (default): the table as stored -- flags as 0/1 numbers, lists of names and
            timelines as text joined by ``;`` -- which every function of :mod:`analysis` takes.
            ``True``: flags as booleans (``<NA>`` where undefined), lists as Python lists
            (:func:`typed_runs`); :func:`stored` turns such a table back, losing nothing.
        root: where names are looked for.

    Example::

        from analysis.results import load
        runs = load("headline", typed=True).runs
        runs.groupby("structure")["stable_cohesive"].mean()
    """
    folder = find(name_or_folder, root)
    runs_path = folder / RUNS
    manifest = read_manifest(folder)
    if manifest is None:
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); a sweep writes one "
                           "('python run.py sweep EXPERIMENT')")
    if not runs_path.is_file():
        raise ResultsError(f"{folder}: no {RUNS} yet; the sweep has not finished any run")
    try:
        # a row that is not a run is refused, not counted (the figures read no scenario, so the run
        # ids are checked against the manifest's count here, and one by one on resume and verify)
        check_rows(runs_path, planned=manifest.get("planned_runs"),
                   experiment=manifest.get("experiment"))
        runs = read_table(runs_path)
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{runs_path}: no runs yet") from None
    if runs.empty:
        raise ResultsError(f"{runs_path}: no runs yet")
    results = Results(folder, runs.drop_duplicates("run_id"), manifest)
    # the design's order, not the order in which workers finished: every sum, and so every table, is
    # the same to the last bit however the runs were made
    rank = {"scenario": results.scenarios, "structure": results.structures}
    runs = results.runs.sort_values(
        list(ORDER), kind="stable", ignore_index=True,
        key=lambda column: column.map({v: k for k, v in enumerate(rank[column.name])})
        if column.name in rank else column)
    runs = typed_runs(runs) if typed else runs.copy()  # a copy: one block per dtype, later columns
    return Results(folder, runs, manifest)               # add cheaply


SEPARATOR = ";"
"""What joins the names of a list, and the entries of a timeline, in a stored table."""


def _entry(text: str) -> tuple[int, int | float | str]:
    step, _, value = text.partition(":")
    try:
        number: int | float | str = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            number = value
    return int(step), number


def typed_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """A stored run table with typed columns: each flag (``model.observations.FLAGS``) as pandas'
    ``boolean`` (``<NA>`` where undefined), each list of names as a list of str (``[]`` for none),
    each timeline as a list of ``(step, value)`` (the value a number where it is one)."""
    from model.observations import BY_NAME, FLAGS

    typed = runs.copy()
    for column in runs.columns:
        kind = BY_NAME[column].kind if column in BY_NAME else None
        if column in FLAGS:
            typed[column] = runs[column].astype("boolean")
        elif kind == "names":
            typed[column] = [text.split(SEPARATOR) if isinstance(text, str) and text else []
                             for text in runs[column]]
        elif kind == "timeline":
            typed[column] = [[_entry(e) for e in text.split(SEPARATOR)] if isinstance(text, str)
                             and text else [] for text in runs[column]]
    return typed


def stored(typed: pd.DataFrame) -> pd.DataFrame:
    """A typed run table (:func:`typed_runs`) as :func:`load` reads it from ``runs.csv``: flags as
    0/1 (floats where one is undefined, as pandas reads an empty cell), lists joined by ``;``
    (undefined where empty)."""
    from model.observations import BY_NAME, FLAGS

    runs = typed.copy()
    for column in typed.columns:
        kind = BY_NAME[column].kind if column in BY_NAME else None
        if column in FLAGS:
            values = typed[column]
            runs[column] = (values.astype("float64") if values.isna().any()
                            else values.astype("int64"))
        elif kind in ("names", "timeline"):
            texts = [SEPARATOR.join(item if kind == "names" else f"{item[0]}:{item[1]}"
                                    for item in items) or None for items in typed[column]]
            runs[column] = pd.Series(texts, index=typed.index, dtype=str)
    return runs


def folders(root: str | Path) -> list[Path]:
    """Every results folder (one with a manifest) directly under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if is_results_folder(p))
