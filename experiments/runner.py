"""Run an experiment into its results store: skip finished runs, write rows as they come, show progress.

:func:`run_experiment` is what ``python run.py sweep`` calls; :func:`run_specs` is the loop under it,
usable with any list of :class:`~experiments.design.RunSpec` (a sensitivity-analysis sample, say),
any :class:`~experiments.store.ResultsStore` and any evaluator.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import formats
from .design import Experiment, RunSpec
from .evaluate import Evaluator, make_evaluator
from .store import ResultsStore, StoreError


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
        failed: runs that raised and are not finished (recorded in ``failures.csv``).
    """

    folder: Path
    planned: int
    finished: int
    added: int
    seconds: float
    workers: int
    status: str
    failed: int = 0

    @property
    def rate(self) -> float:
        """Runs per second of wall time in this call."""
        return self.added / self.seconds if self.seconds > 0 else float("nan")


def identity(experiment: Experiment) -> dict[str, Any]:
    """What must match for rows to be mixed in one folder (:func:`experiments.formats.identity`)."""
    return formats.identity(experiment.sha256, experiment.quick, experiment.scenarios,
                            experiment.sources)


def check_store(experiment: Experiment, out: str | Path = "results") -> None:
    """Refuse early (``StoreError``) if the experiment's folder holds rows of another definition."""
    ResultsStore.check(Path(out) / experiment.folder_name, identity(experiment))


def check_rows(experiment: Experiment, out: str | Path, specs: Iterable[RunSpec]) -> None:
    """Before resuming: every row of the folder's table must be one of ``specs`` (and a whole,
    parsable row, its run id once): :func:`experiments.formats.check_rows`."""
    folder = Path(out) / experiment.folder_name
    try:
        stored = formats.read_manifest(folder)
    except formats.ResultsError:
        return  # opening the store says what is wrong with it
    if stored is None or stored.get("identity") != json.loads(json.dumps(identity(experiment))):
        return  # a new folder, or one of another definition (refused, or --new)
    if (folder / formats.RUNS).is_file() and (folder / formats.RUNS).stat().st_size:
        formats.check_rows(folder / formats.RUNS, (spec.run_id for spec in specs))


def open_store(experiment: Experiment, out: str | Path = "results", new: bool = False) -> ResultsStore:
    """The experiment's store under ``out`` (``<out>/<name>`` or ``<out>/<name>-quick``)."""
    info = {
        "experiment": experiment.name,
        "experiment_file": experiment.path.name,
        "experiment_folder": str(experiment.path.resolve().parent),
        "experiment_text": experiment.text,
        "experiment_sha256": experiment.sha256,
        "master_seed": experiment.master_seed,
        "design": experiment.summary(),
        "planned_runs": len(experiment.runs()),
        "model_files": formats.model_files(),
    }
    return ResultsStore.open(Path(out) / experiment.folder_name, identity(experiment), info, new=new)


PAUSE_VARIABLE = "DETERRENCE_PAUSE_AFTER_ROWS"
"""Set to N, a sweep stops taking rows after N new ones, says so on standard error and waits for
Ctrl-C: lets a test interrupt a sweep at a known state instead of racing it."""


def _pause_after() -> int | None:
    value = os.environ.get(PAUSE_VARIABLE, "")
    return int(value) if value.isdigit() else None


def _wait_for_interrupt(rows: int) -> None:
    """Say so, then wait for Ctrl-C. Not ``signal.pause()``: a signal that arrives after the message
    but before ``pause()`` begins (the reader answers the message at once; on a busy machine this
    process may be descheduled in between) is handled by Python only at its next instruction, so
    ``pause()`` would then wait forever for a second one. A sleep ends, and Python handles the
    signal, within a second whenever it arrived."""
    print(f"paused after {rows} rows ({PAUSE_VARIABLE})", file=sys.stderr, flush=True)
    while True:
        time.sleep(1.0)


class Pending(Sized, Iterable[RunSpec]):
    """The specs a store has not finished (runs that failed before only with ``retry_failed``),
    counted at once and made again each time they are read: a sweep of millions of runs is never
    held in memory whole."""

    def __init__(self, specs: Iterable[RunSpec], store: ResultsStore, retry_failed: bool = False):
        self.specs = specs
        self.skip = set(store.finished) if retry_failed else store.finished | store.failed
        self.count = sum(1 for spec in specs if spec.run_id not in self.skip)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[RunSpec]:
        return (spec for spec in self.specs if spec.run_id not in self.skip)


def pending(specs: Iterable[RunSpec], store: ResultsStore, retry_failed: bool = False) -> Pending:
    """The specs ``store`` has not finished; runs that failed before only with ``retry_failed``."""
    return Pending(specs, store, retry_failed)


def run_specs(specs: Sequence[RunSpec], store: ResultsStore, evaluator: Evaluator, series: bool = False,
              progress: bool = True, label: str = "", retry_failed: bool = False) -> SweepReport:
    """Run the specs not yet in ``store``, appending each row as it arrives.

    A run that raises is recorded in ``failures.csv`` (parameters, seed, traceback) and the sweep goes
    on; resuming retries it only with ``retry_failed``. Ctrl-C (``KeyboardInterrupt``) stops the
    sweep: every finished row is kept, the manifest says ``interrupted`` and the report's status too;
    running the same specs again resumes. Any other error marks the manifest ``failed`` and is raised.
    """
    todo = pending(specs, store, retry_failed)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(specs), initial=len(specs) - len(todo), unit="run", desc=label or None,
                   dynamic_ncols=True, smoothing=0.1)
    start = time.perf_counter()
    added = 0
    status = "complete"
    pause = _pause_after()
    rows = evaluator.map(todo, series=series)
    try:
        for row in rows:
            if row.get(formats.FAILED_KEY):
                store.record_failure(row)
            else:
                added += store.append(row)
            if bar is not None:
                bar.update(1)
            if pause is not None and added >= pause:
                _wait_for_interrupt(added)
        rows = None
    except KeyboardInterrupt:
        status = "interrupted"
    except BaseException:
        try:
            store.close("failed")
        except StoreError:
            pass  # the error being raised says why (e.g. a full disk)
        raise
    finally:
        if rows is not None and hasattr(rows, "close"):
            rows.close()  # at once, not when collected: the evaluator stops its workers now
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - start
    store.close(status)
    return SweepReport(store.folder, len(specs), len(store.finished), added, seconds,
                       getattr(evaluator, "workers", 1), status, len(store.failed))


def run_experiment(experiment: Experiment, out: str | Path = "results", workers: int | None = None,
                   scheduler: str | None = None, new: bool = False, series: bool = False,
                   progress: bool = True, evaluator: Evaluator | None = None,
                   retry_failed: bool = False, engine: str = "fast") -> SweepReport:
    """Run (or resume) one experiment into ``<out>/<name>/``; see :func:`run_specs`.

    ``evaluator`` given: use it (and leave it open, so several experiments can share one pool);
    otherwise make one from ``workers`` and ``scheduler`` (:func:`~experiments.evaluate.make_evaluator`).
    """
    experiment.check_trends()
    specs = experiment.runs()
    check_rows(experiment, out, specs)
    store = open_store(experiment, out, new)
    return run_pending(specs, store, workers=workers, scheduler=scheduler, evaluator=evaluator,
                       series=series, progress=progress, label=experiment.folder_name,
                       retry_failed=retry_failed, engine=engine)


def run_pending(specs: list[RunSpec], store: ResultsStore, *, workers: int | None = None,
                scheduler: str | None = None, evaluator: Evaluator | None = None,
                series: bool = False, progress: bool = True, label: str = "",
                retry_failed: bool = False, engine: str = "fast") -> SweepReport:
    """Run the specs that ``store`` has not finished, with ``evaluator`` or a new one.

    A given evaluator is left open; otherwise one is made from ``workers`` and ``scheduler`` (never
    more workers than runs to do) and closed afterwards. Nothing to do: the store is marked complete.
    """
    todo = len(pending(specs, store, retry_failed))
    if todo == 0:
        store.close("complete")
        return SweepReport(store.folder, len(specs), len(store.finished), 0, 0.0, 0, "complete",
                           len(store.failed))
    options = {"series": series, "progress": progress, "label": label, "retry_failed": retry_failed}
    if evaluator is not None:
        return run_specs(specs, store, evaluator, **options)
    try:
        evaluator = make_evaluator(min(workers, todo) if workers else workers, scheduler, engine)
    except BaseException:
        store.close("failed")
        raise
    with evaluator:
        return run_specs(specs, store, evaluator, **options)
