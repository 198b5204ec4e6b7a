"""A sensitivity study of the model, run into the results store: design x structures x replicates.

A :class:`Study` turns a Sobol' or Morris design of the declared uncertainties into run
specifications of the experiment layer (:class:`experiments.design.RunSpec`): every design point,
under every compared structure, for each replicate seed, where replicate k has the same seed at every
point and under every structure (common random numbers, :func:`experiments.design.replicate_seeds`).
The runs go through the same evaluators, results store, manifest and resume as sweeps
(:func:`experiments.runner.run_specs`) into ``results/sensitivity-<method>-n<N>/`` (or
``sensitivity-<method>-quick/``), next to

* ``samples.csv`` -- the design's sample matrix as the sampler drew it (one row per point);
* ``plan.csv`` -- which stored run (``run_id``) is each (point, structure, replicate). Runs are
  identified by content, so two points that differ only below an integer factor's resolution make
  one run, stored once and used for both.

The study's definition (method, N, seed, factors and bounds, scenario, structures, replicates, steps)
is its identity: a folder holding another definition, or rows made by other model code, is refused,
never mixed (``--new`` writes to a new folder). The indices and figures are made from these files by
:mod:`analysis.sensitivity`, which never runs the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import formats
from experiments.design import MOST, MOST_RUNS, RunSpec, replicate_seeds
from experiments.formats import PLAN, SAMPLES
from experiments.store import ResultsStore
from model.parameters import MOST_STEPS
from model.structure import COMPARED

from .defaults import DEFAULT_METRICS, DEFAULTS, MASTER_SEED, QUICK
from .outcomes import check_metrics, check_structures
from .problem import Problem, declared_problem
from .sampling import MORRIS_LEVELS, Design, points_needed, sample, stored_design

KIND = formats.SENSITIVITY
"""The manifest's ``kind``: how ``run.py figures`` recognises a sensitivity folder."""



@dataclass(frozen=True)
class Study:
    """Everything that determines a sensitivity study's runs.

    Attributes:
        design: the sample design (method, N, seed, factors, samples).
        scenario: a shipped scenario's name or a scenario file's path.
        structures: structures run at every point (the gap needs both of
            :data:`model.structure.COMPARED`).
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
                "scenarios": [self.scenario], "structures": list(self.structures),
                "replicates": self.replicates, "steps": self.steps, "quick": self.quick}

    @property
    def text(self) -> str:
        return json.dumps(self.definition(), indent=2, sort_keys=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def seeds(self) -> list[int]:
        """Replicate k's seed, the same at every point and under every structure."""
        return replicate_seeds(self.design.seed, self.replicates)

    def runs(self) -> list[RunSpec]:
        """Every (point, structure, replicate), in that order; identical runs share one spec id."""
        return list(self._specs)

    @cached_property
    def _specs(self) -> tuple[RunSpec, ...]:
        """:meth:`runs`, expanded once per study (a 30-replicate Sobol' study has 345,600)."""
        seeds = self.seeds()
        specs: list[RunSpec] = []
        for point, values in enumerate(self.design.points()):
            for structure in self.structures:
                specs += RunSpec.replicates(self.name, self.scenario, structure, values, seeds,
                                            self.steps, point)
        return tuple(specs)

    def plan(self) -> pd.DataFrame:
        """``point, structure, replicate, run_id`` of every run the analysis needs."""
        return pd.DataFrame([(s.point, s.structure, s.replicate, s.run_id) for s in self.runs()],
                            columns=["point", "structure", "replicate", "run_id"])


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
    for option, value, most in (("--replicates", replicates, MOST), ("--steps", steps, MOST_STEPS),
                                ("--n", n, MOST)):
        if value < 1:
            raise ValueError(f"{option} must be at least 1, got {value}")
        if value > most:
            raise ValueError(f"{option} must be at most {most:,}, got {value:,}")
    problem = problem or declared_problem()
    total = points_needed(method, n, len(problem), second_order) * len(structures) * replicates
    if total > MOST_RUNS:
        raise ValueError(f"--n {n} and --replicates {replicates} make {total:,} runs, more than "
                         f"{MOST_RUNS:,}; ask for fewer")
    design = sample(problem, method, n, seed, second_order=second_order, levels=MORRIS_LEVELS)
    return Study(design, scenario, check_structures(structures), replicates, steps, quick)


def _write_once(path: Path, frame: pd.DataFrame, **options: Any) -> None:
    if path.exists():
        return
    temporary = path.with_suffix(".tmp")
    frame.to_csv(temporary, **options)
    temporary.replace(path)


def open_store(study: Study, out: str | Path = "results", new: bool = False,
               metrics: Sequence[str] = DEFAULT_METRICS) -> ResultsStore:
    """The study's results store under ``out``, with ``samples.csv`` and ``plan.csv`` written."""
    plan = study.plan()
    info = {"kind": KIND, "experiment": study.name, "experiment_file": None,
            "experiment_text": study.text, "experiment_sha256": study.sha256,
            "master_seed": study.design.seed, "design": study.definition(),
            "planned_runs": int(plan.run_id.nunique()), "outcomes": list(check_metrics(metrics)),
            "model_files": formats.model_files()}
    identity = formats.identity(study.sha256, study.quick, [study.scenario])
    store = ResultsStore.open(Path(out) / study.name, identity, info, new=new)
    samples = pd.DataFrame(study.design.samples, columns=study.design.problem.names)
    samples.index.name = "point"
    _write_once(store.folder / SAMPLES, samples, float_format="%.17g")
    _write_once(store.folder / PLAN, plan, index=False)
    return store


def run_study(study: Study, out: str | Path = "results", workers: int | None = None,
              scheduler: str | None = None, new: bool = False, progress: bool = True,
              metrics: Sequence[str] = DEFAULT_METRICS, retry_failed: bool = False,
              engine: str = "fast"):
    """Run (or resume) the study into its store; an :class:`experiments.runner.SweepReport`. A
    ``scheduler`` is connected to before the store is opened, so that one that cannot be reached
    leaves no folder behind."""
    from experiments.evaluate import make_evaluator
    from experiments.runner import run_pending

    specs = list({spec.run_id: spec for spec in study.runs()}.values())
    options = {"progress": progress, "label": study.name, "retry_failed": retry_failed}
    if scheduler is None:
        store = open_store(study, out, new, metrics)
        return run_pending(specs, store, workers=workers, engine=engine, **options)
    with make_evaluator(workers, scheduler, engine) as evaluator:
        store = open_store(study, out, new, metrics)
        return run_pending(specs, store, evaluator=evaluator, **options)


def stored_runs(folder: str | Path, manifest: dict[str, Any]) -> list[RunSpec]:
    """The run specifications of a stored study, rebuilt from its manifest and ``samples.csv``
    (what ``python run.py verify`` reruns)."""
    definition = manifest["design"]
    samples = pd.read_csv(Path(folder) / SAMPLES, index_col="point")
    study = Study(stored_design(definition, samples.to_numpy(float)), definition["scenario"],
                  tuple(definition["structures"]), definition["replicates"], definition["steps"],
                  definition["quick"])
    return study.runs()
