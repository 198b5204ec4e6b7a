"""Run an experiment into its results store: skip finished runs, write rows as they come, show progress.

:func:`run_experiment` is what ``python run.py sweep`` calls; :func:`run_specs` is the loop under it,
usable with any list of :class:`~experiments.design.RunSpec` (a sensitivity-analysis sample, say),
any :class:`~experiments.store.ResultsStore` and any evaluator.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import formats
from .design import Experiment, RunSpec
from .evaluate import Evaluator, make_evaluator
from .store import ResultsStore


@dataclass
class SweepReport:
    """What a sweep did.

    Attributes:
        folder: the results folder.
        planned: runs the experiment asks for.
        finished: runs in the table now.
        added: runs made by this call.
        seconds: wall time of this call's runs.
        workers: processes (or cluster threads) used.
        status: ``complete``, ``interrupted`` or ``failed``.
    """

    folder: Path
    planned: int
    finished: int
    added: int
    seconds: float
    workers: int
    status: str

    @property
    def rate(self) -> float:
        """Runs per second of wall time in this call."""
        return self.added / self.seconds if self.seconds > 0 else float("nan")


def identity(experiment: Experiment) -> dict[str, Any]:
    """What must match for rows to be mixed in one folder (:func:`experiments.formats.identity`)."""
    return formats.identity(experiment.sha256, experiment.quick, experiment.scenarios)


def check_store(experiment: Experiment, out: str | Path = "results") -> None:
    """Refuse early (``StoreError``) if the experiment's folder holds rows of another definition."""
    ResultsStore.check(Path(out) / experiment.folder_name, identity(experiment))


def open_store(experiment: Experiment, out: str | Path = "results", new: bool = False) -> ResultsStore:
    """The experiment's store under ``out`` (``<out>/<name>`` or ``<out>/<name>-quick``)."""
    info = {
        "experiment": experiment.name,
        "experiment_file": experiment.path.name,
        "experiment_text": experiment.text,
        "experiment_sha256": experiment.sha256,
        "master_seed": experiment.master_seed,
        "design": experiment.summary(),
        "planned_runs": len(experiment.runs()),
    }
    return ResultsStore.open(Path(out) / experiment.folder_name, identity(experiment), info, new=new)


def run_specs(specs: Sequence[RunSpec], store: ResultsStore, evaluator: Evaluator, series: bool = False,
              progress: bool = True, label: str = "") -> SweepReport:
    """Run the specs not yet in ``store``, appending each row as it arrives.

    Ctrl-C (``KeyboardInterrupt``) stops the sweep: every finished row is kept, the manifest says
    ``interrupted`` and the report's status too; running the same specs again resumes. Any other
    error marks the manifest ``failed`` and is raised.
    """
    todo = [spec for spec in specs if spec.run_id not in store.finished]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(specs), initial=len(specs) - len(todo), unit="run", desc=label or None,
                   dynamic_ncols=True, smoothing=0.1)
    start = time.perf_counter()
    added = 0
    status = "complete"
    try:
        for row in evaluator.map(todo, series=series):
            added += store.append(row)
            if bar is not None:
                bar.update(1)
    except KeyboardInterrupt:
        status = "interrupted"
    except BaseException:
        store.close("failed")
        raise
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - start
    store.close(status)
    return SweepReport(store.folder, len(specs), len(store.finished), added, seconds,
                       getattr(evaluator, "workers", 1), status)


def run_experiment(experiment: Experiment, out: str | Path = "results", workers: int | None = None,
                   scheduler: str | None = None, new: bool = False, series: bool = False,
                   progress: bool = True, evaluator: Evaluator | None = None) -> SweepReport:
    """Run (or resume) one experiment into ``<out>/<name>/``; see :func:`run_specs`.

    ``evaluator`` given: use it (and leave it open, so several experiments can share one pool);
    otherwise make one from ``workers`` and ``scheduler`` (:func:`~experiments.evaluate.make_evaluator`).
    """
    specs = experiment.runs()
    store = open_store(experiment, out, new)
    return run_pending(specs, store, workers=workers, scheduler=scheduler, evaluator=evaluator,
                       series=series, progress=progress, label=experiment.folder_name)


def run_pending(specs: list[RunSpec], store: ResultsStore, *, workers: int | None = None,
                scheduler: str | None = None, evaluator: Evaluator | None = None,
                series: bool = False, progress: bool = True, label: str = "") -> SweepReport:
    """Run the specs that ``store`` has not finished, with ``evaluator`` or a new one.

    A given evaluator is left open; otherwise one is made from ``workers`` and ``scheduler`` (never
    more workers than runs to do) and closed afterwards. Nothing to do: the store is marked complete.
    """
    todo = sum(spec.run_id not in store.finished for spec in specs)
    if todo == 0:
        store.close("complete")
        return SweepReport(store.folder, len(specs), len(store.finished), 0, 0.0, 0, "complete")
    if evaluator is not None:
        return run_specs(specs, store, evaluator, series=series, progress=progress, label=label)
    try:
        evaluator = make_evaluator(min(workers, todo) if workers else workers, scheduler)
    except BaseException:
        store.close("failed")
        raise
    with evaluator:
        return run_specs(specs, store, evaluator, series=series, progress=progress, label=label)
