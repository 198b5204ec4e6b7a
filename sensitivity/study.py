"""A stored sensitivity study of the model: design x structures x replicates, in the results store.

A :class:`Study` turns a Sobol' or Morris design of the declared uncertainties into run
specifications of the experiment layer (:class:`experiments.design.RunSpec`): every design point,
under every compared structure, for each replicate seed, where replicate k has the same seed at every
point and under every structure (common random numbers, :func:`experiments.design.replicate_seeds`).
The runs go through the same evaluators, results store, manifest and resume as sweeps
(:func:`experiments.runner.run_specs`), into ``results/sensitivity-<method>-n<N>/`` (or
``...-quick``), next to a ``samples.csv`` holding the design's sample matrix. The study's definition
(method, N, seed, factors and bounds, scenario, structures, replicates, steps) is its identity: a
folder holding another definition, or rows from other model code, is refused, never mixed.

Analysis (:func:`analyse_folder`) reads the stored table and samples only; it never runs the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.design import RunSpec, replicate_seeds
from experiments.store import ResultsStore, StoreError, read_manifest, read_runs

from .indices import Analysis, analyse
from .outcomes import COMPARED, DEFAULT_METRICS, check_metrics, check_structures, outputs_from_table
from .problem import Factor, Problem, declared_problem
from .sampling import MORRIS_LEVELS, Design, sample

KIND = "sensitivity"
"""The manifest's ``kind``: how ``run.py figures`` recognises a sensitivity folder."""
SAMPLES = "samples.csv"
INDICES = "indices.csv"
SUMMARY = "summary.csv"

DEFAULTS: dict[str, dict[str, int]] = {
    "sobol": {"n": 256, "replicates": 4, "steps": 200},
    "morris": {"n": 50, "replicates": 4, "steps": 200},
}
"""Full runs: Sobol' N = 256 with 34 factors is 9,216 points, x 2 structures x 4 replicates = 73,728
runs (a few minutes on two cores); Morris 50 trajectories = 1,750 points, 14,000 runs."""
QUICK: dict[str, dict[str, int]] = {
    "sobol": {"n": 8, "replicates": 2, "steps": 50},
    "morris": {"n": 4, "replicates": 2, "steps": 50},
}
"""``--quick``: a smoke test in seconds; its indices mean nothing."""
MASTER_SEED = 20260101


@dataclass(frozen=True)
class Study:
    """Everything that determines a sensitivity study's runs.

    Attributes:
        design: the sample design (method, N, seed, factors, samples).
        scenario: a shipped scenario's name or a scenario file's path.
        structures: structures run at every point (the gap needs hub_and_spoke and collective).
        replicates: seeds per point and structure.
        steps: steps per run.
        quick: the ``--quick`` variant (its own folder).
    """

    design: Design
    scenario: str
    structures: tuple[str, ...]
    replicates: int
    steps: int
    quick: bool = False

    @property
    def name(self) -> str:
        suffix = "quick" if self.quick else f"n{self.design.n}"
        return f"{KIND}-{self.design.method}-{suffix}"

    def definition(self) -> dict[str, Any]:
        """The study as data (stored in the manifest; its hash is the study's identity)."""
        return {"kind": KIND, **self.design.settings(), "scenario": self.scenario,
                "structures": list(self.structures), "replicates": self.replicates,
                "steps": self.steps, "quick": self.quick}

    @property
    def text(self) -> str:
        return json.dumps(self.definition(), indent=2, sort_keys=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def seeds(self) -> list[int]:
        return replicate_seeds(self.design.seed, self.replicates)

    def runs(self) -> list[RunSpec]:
        """Every run: points x structures x replicates; replicate k has one seed everywhere."""
        seeds = self.seeds()
        specs = []
        for point, values in enumerate(self.design.points()):
            for structure in self.structures:
                for k, seed in enumerate(seeds):
                    specs.append(RunSpec.make(self.name, self.scenario, structure, values, k, seed,
                                              self.steps, point))
        return specs


def make_study(method: str = "sobol", n: int | None = None, *, seed: int = MASTER_SEED,
               scenario: str = "asia", structures: Sequence[str] = COMPARED,
               replicates: int | None = None, steps: int | None = None, second_order: bool = False,
               quick: bool = False, problem: Problem | None = None) -> Study:
    """A study with the defaults of :data:`DEFAULTS` (or :data:`QUICK`) for what is not given."""
    if method not in DEFAULTS:
        raise ValueError(f"unknown method {method!r}; choose sobol or morris")
    base = (QUICK if quick else DEFAULTS)[method]
    n = base["n"] if n is None else n
    replicates = base["replicates"] if replicates is None else replicates
    steps = base["steps"] if steps is None else steps
    if replicates < 1:
        raise ValueError(f"--replicates must be at least 1, got {replicates}")
    if steps < 1:
        raise ValueError(f"--steps must be at least 1, got {steps}")
    design = sample(problem or declared_problem(), method, n, seed, second_order=second_order,
                    levels=MORRIS_LEVELS)
    return Study(design, scenario, check_structures(structures), replicates, steps, quick)


def identity(study: Study) -> dict[str, Any]:
    """What must match for rows to be mixed: the study's hash, the model's and the scenario's."""
    from experiments.runner import model_fingerprint, scenario_fingerprint

    return {"experiment_sha256": study.sha256, "variant": "quick" if study.quick else "full",
            "model_sha256": model_fingerprint(),
            "scenarios_sha256": {study.scenario: scenario_fingerprint(study.scenario)}}


def open_store(study: Study, out: str | Path = "results", new: bool = False,
               metrics: Sequence[str] = DEFAULT_METRICS) -> ResultsStore:
    """The study's results store under ``out``, with its sample matrix in ``samples.csv``."""
    info = {"kind": KIND, "experiment": study.name, "experiment_file": None,
            "experiment_text": study.text, "experiment_sha256": study.sha256,
            "master_seed": study.design.seed, "design": study.definition(),
            "planned_runs": len(study.design) * len(study.structures) * study.replicates,
            "outcomes": list(check_metrics(metrics))}
    store = ResultsStore.open(Path(out) / study.name, identity(study), info, new=new)
    samples = store.folder / SAMPLES
    frame = pd.DataFrame(study.design.samples, columns=study.design.problem.names)
    frame.index.name = "point"
    if not samples.exists():
        temporary = samples.with_suffix(".csv.tmp")
        frame.to_csv(temporary, float_format="%.17g")
        temporary.replace(samples)
    return store


def run_study(study: Study, out: str | Path = "results", workers: int | None = None,
              scheduler: str | None = None, new: bool = False, progress: bool = True,
              metrics: Sequence[str] = DEFAULT_METRICS):
    """Run (or resume) the study's runs into its store; an :class:`experiments.runner.SweepReport`."""
    from experiments.evaluate import make_evaluator
    from experiments.runner import SweepReport, run_specs

    specs = study.runs()
    store = open_store(study, out, new, metrics)
    todo = sum(spec.run_id not in store.finished for spec in specs)
    if todo == 0:
        store.close("complete")
        return SweepReport(store.folder, len(specs), len(store.finished), 0, 0.0, 0, "complete")
    try:
        evaluator = make_evaluator(min(workers, todo) if workers else workers, scheduler)
    except BaseException:
        store.close("failed")
        raise
    with evaluator:
        return run_specs(specs, store, evaluator, progress=progress, label=study.name)


def runs_by_point(study: Study, table: pd.DataFrame) -> pd.DataFrame:
    """One row per (point, structure, replicate) of the study, with its stored run's metrics.

    Runs are identified by content (:class:`experiments.design.RunSpec`): two design points that
    differ only below an integer factor's resolution make the same run, stored once and used for
    both. A run not in the table gives a row with NaN ``run_id``.
    """
    specs = pd.DataFrame(
        [(s.point, s.structure, s.replicate, s.run_id) for s in study.runs()],
        columns=["point", "structure", "replicate", "run_key"],
    )
    stored = table.drop(columns=[c for c in ("point", "structure", "replicate") if c in table])
    stored = stored.drop_duplicates("run_id")
    merged = specs.merge(stored, how="left", left_on="run_key", right_on="run_id")
    return merged


def is_study_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds a sensitivity study (its manifest's ``kind``)."""
    try:
        return read_manifest(folder).get("kind") == KIND
    except StoreError:
        return False


def stored_design(folder: str | Path) -> tuple[Design, dict[str, Any]]:
    """The design of a stored study (from its manifest and ``samples.csv``) and its definition."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("kind") != KIND:
        raise StoreError(f"{folder}: not a sensitivity study (its manifest has no kind '{KIND}')")
    definition = manifest["design"]
    path = folder / SAMPLES
    if not path.exists():
        raise StoreError(f"{folder}: no {SAMPLES}; the study's sample matrix is missing")
    frame = pd.read_csv(path, index_col="point")
    if list(frame.columns) != definition["factors"]:
        raise StoreError(f"{path}: columns differ from the factors in {folder / 'manifest.json'}")
    problem = Problem(tuple(
        Factor(name, low, high, integer=_is_integer(name))
        for name, (low, high) in zip(definition["factors"], definition["bounds"], strict=True)
    ))
    design = Design(definition["method"], problem, definition["n"], definition["seed"],
                    second_order=definition["second_order"], levels=definition["levels"],
                    samples=frame.to_numpy(float))
    if len(design) != definition["points"]:
        raise StoreError(f"{path}: {len(design)} points, the manifest says {definition['points']}")
    return design, definition


def _is_integer(name: str) -> bool:
    from model.parameters import BY_NAME

    return name in BY_NAME and BY_NAME[name].kind == "integer"


def analyse_folder(folder: str | Path, metrics: Sequence[str] | None = None, *,
                   conf_level: float = 0.95, write: bool = True) -> Analysis:
    """Indices of a stored study from its table alone; writes ``indices.csv`` and ``summary.csv``.

    ``metrics`` default to those the study was run for. Missing runs (an interrupted study) are
    refused: the Sobol' and Morris estimators need every point.
    """
    folder = Path(folder)
    design, definition = stored_design(folder)
    manifest = read_manifest(folder)
    metrics = check_metrics(metrics or manifest.get("outcomes") or DEFAULT_METRICS)
    table = read_runs(folder)
    study = Study(design, definition["scenario"], tuple(definition["structures"]),
                  definition["replicates"], definition["steps"], definition["quick"])
    runs = runs_by_point(study, table)
    missing = int(runs.run_id.isna().sum()) if "run_id" in runs else 0
    if missing:
        planned = runs.drop_duplicates("run_key").shape[0]
        raise StoreError(
            f"{folder}: {planned - missing} of {planned} runs finished; run the same sensitivity "
            "command again to resume before analysing"
        )
    outputs = outputs_from_table(runs, len(design), study.replicates, metrics, study.structures)
    if np.isnan(outputs.values).all(axis=(0, 1)).any():
        raise StoreError(f"{folder}: an outcome is undefined in every run")
    analysis = analyse(design, outputs, conf_level=conf_level, seed=definition["seed"])
    if write:
        analysis.indices.to_csv(folder / INDICES, index=False, float_format="%.6g")
        analysis.summary.to_csv(folder / SUMMARY, index=False, float_format="%.6g")
    return analysis
