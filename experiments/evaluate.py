"""Evaluate run specifications: the model as a function ``RunSpec -> row`` and three evaluators.

For the experiment layer the model is a pure function from parameters to outcomes (as in EMA
Workbench, Kwakkel 2017): :func:`evaluate` builds a :class:`model.DeterrenceModel` from a
:class:`~experiments.design.RunSpec`, runs it and returns one flat row: the run's identity
(:data:`~experiments.formats.IDENTITY`), every resolved model parameter and every run-level
metric: the columns of :data:`experiments.columns.COLUMNS`, whose meanings are the data
dictionary. A run that raises gives a failure record instead (:func:`failure`: its parameters,
seed, error and traceback), so one bad run never stops a sweep.

Evaluators run many specs and yield rows (or failure records) as runs finish, in any order; they
are interchangeable behind :func:`make_evaluator`:

* :class:`SerialEvaluator` -- in this process;
* :class:`ProcessEvaluator` -- a pool of local worker processes (``--workers N``);
* :class:`experiments.cluster.DaskEvaluator` -- a dask.distributed cluster (``--scheduler ADDRESS``
  or ``--scheduler local``).

Every evaluator gives the same rows for the same specs: a run depends only on its spec and the
scenario it names, which is loaded once here and sent along with the work.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import json
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

import numpy as np

from model import DeterrenceModel

from .columns import METRIC_COLUMNS, PARAMETER_COLUMNS
from .design import Runs, RunSpec
from .formats import FAILED_KEY, FAILURE_COLUMNS, SERIES_KEY

_LOADED: dict[str, Any] = {}


def _scenario(name: str):
    """The scenario ``name``, loaded once per process. (A plain dict, not ``functools.lru_cache``:
    the function must pickle by value for the cluster, :mod:`experiments.cluster`.)"""
    if name not in _LOADED:
        from scenarios import load

        _LOADED[name] = load(name)
    return _LOADED[name]


def load_scenarios(specs: Iterable[RunSpec]) -> dict[str, Any]:
    """Every scenario the specs name, loaded once (here, where the files are), by name. (A scenario
    named by a path relative to an experiment file is loaded from beside that file:
    ``RunSpec.source``.)"""
    if isinstance(specs, Runs):
        named = specs.scenarios()
    else:
        named = {spec.scenario: spec.source or spec.scenario for spec in specs}
    return {name: _scenario(source) for name, source in named.items()}


def _plain(value: Any) -> Any:
    """numpy scalars -> Python numbers, so rows pickle, compare and serialise the same everywhere."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def evaluate(spec: RunSpec, series: bool = False, scenario: Any = None,
             engine: str = "fast") -> dict[str, Any]:
    """Run one simulation and return its row (see :data:`experiments.columns.COLUMNS`).

    ``scenario``: the loaded scenario that ``spec.scenario`` names (default: load it here). With
    ``series=True`` the model collects its per-step series and the row carries them, as a list of
    records with a ``step`` key, under :data:`SERIES_KEY`. ``engine``: how the run is stepped
    (:mod:`model.engines`; the same row either way).
    """
    scenario = _scenario(spec.source or spec.scenario) if scenario is None else scenario
    model = DeterrenceModel(scenario, spec.structure, rng=spec.seed, collect=series, **spec.parameters)
    metrics = model.run(spec.steps, engine=engine)
    check_finite(model, metrics)
    row: dict[str, Any] = {
        "run_id": spec.run_id, "experiment": spec.experiment, "scenario": spec.scenario,
        "structure": spec.structure, "point": spec.point, "replicate": spec.replicate,
        "seed": spec.seed, "steps": spec.steps,
    }
    for name in PARAMETER_COLUMNS:
        row[name] = _plain(model.params[name])
    for name in METRIC_COLUMNS:
        row[name] = _plain(metrics[name])
    if series:
        frame = model.series().reset_index()
        row[SERIES_KEY] = [{k: _plain(v) for k, v in record.items()}
                           for record in frame.to_dict("records")]
    return row


class NonFiniteError(ArithmeticError):
    """A run whose arithmetic gave infinity or NaN where a number must be: a failed run, never a
    stored result."""


def _non_finite(value: Any) -> bool:
    if isinstance(value, float | np.floating):
        return not math.isfinite(value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return not bool(np.isfinite(value).all())
    if isinstance(value, tuple | list):
        return any(_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return False


def check_finite(model: DeterrenceModel, metrics: Mapping[str, Any]) -> None:
    """Raise :class:`NonFiniteError` naming the first value that is infinite or NaN where the model
    keeps numbers: each formation decision, each state's and challenger's numbers, the tie
    grievances, and every metric (a metric may be undefined, NaN, when it divides by zero, never
    infinite)."""
    for decision in model.decisions:
        for name in ("benefit", "obligations", "autonomy", "probability"):
            if _non_finite(getattr(decision, name)):
                raise NonFiniteError(
                    f"the joining decision of {model.states[decision.state].name} has "
                    f"{name} {getattr(decision, name)!r}: the scenario's numbers overflow the rules")
    for actor in (*model.states, *model.challengers):
        for name, value in vars(actor).items():
            if not name.startswith("_") and _non_finite(value):
                raise NonFiniteError(f"{actor.name}.{name} is not finite: the scenario's numbers "
                                     "overflow the rules")
    if _non_finite(model.tie_grievance):
        raise NonFiniteError("a tie grievance is not finite: the scenario's numbers overflow the rules")
    for name, value in metrics.items():
        if isinstance(value, float) and math.isinf(value):
            raise NonFiniteError(f"metric {name} is {value!r}: the scenario's numbers overflow the rules")


def failure(spec: RunSpec, error: str, trace: str = "") -> dict[str, Any]:
    """The record of a run that did not finish: its identity, parameter overrides, seed, error and
    traceback (:data:`~experiments.formats.FAILURE_COLUMNS`, marked by
    :data:`~experiments.formats.FAILED_KEY`)."""
    record = {"run_id": spec.run_id, "experiment": spec.experiment, "scenario": spec.scenario,
              "structure": spec.structure, "point": spec.point, "replicate": spec.replicate,
              "seed": spec.seed, "steps": spec.steps,
              "parameters": json.dumps(spec.parameters, sort_keys=True, default=str),
              "error": error, "traceback": trace}
    assert tuple(record) == FAILURE_COLUMNS
    return {**record, FAILED_KEY: True}


_SEEN: dict[str, Any] = {}
"""The scenarios this process has run, by name: a worker receives a fresh copy of each scenario
with every task, and runs it as the equal scenario it already holds, so that what
:mod:`model.design_cache` keeps for that scenario serves every task, not only the first."""


def _held(scenarios: Mapping[str, Any]) -> dict[str, Any]:
    """``scenarios`` with each replaced by the equal one this process already holds."""
    held = {}
    for name, scenario in scenarios.items():
        seen = _SEEN.get(name)
        if seen is None or seen != scenario:
            _SEEN[name] = seen = scenario
        held[name] = seen
    return held


def evaluate_batch(specs: Sequence[RunSpec], series: bool = False,
                   scenarios: Mapping[str, Any] | None = None, engine: str = "fast"
                   ) -> list[dict[str, Any]]:
    """:func:`evaluate` over several specs (one task of a parallel evaluator). A run that raises
    gives its :func:`failure` record and the others go on."""
    scenarios = _held(scenarios or {})
    results = []
    for spec in specs:
        try:
            results.append(evaluate(spec, series, scenarios.get(spec.scenario), engine))
        except Exception as error:  # any error of one run is recorded, not fatal
            results.append(failure(spec, f"{type(error).__name__}: {error}", traceback.format_exc()))
    return results


class Evaluator(Protocol):
    """Runs specs and yields their rows as runs finish (in any order). Use as a context manager."""

    def map(self, specs: Iterable[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Evaluator: ...

    def __exit__(self, *exc: object) -> None: ...


class _Base:
    workers = 1
    engine = "fast"

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialEvaluator(_Base):
    """Runs every spec in this process, in order."""

    def map(self, specs: Iterable[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        for spec in specs:
            yield from evaluate_batch([spec], series, load_scenarios([spec]), self.engine)


def _start_worker() -> None:
    """A worker leaves Ctrl-C to the main process, which stops the sweep and keeps finished rows;
    and it ends as soon as the main process is gone, however that ends (``kill -9`` included), so
    that no worker is left running a sweep nobody will read."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()  # the main process, also under forkserver
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="parent-watch",
                         daemon=True).start()


def _exit_with(sentinel: int) -> None:
    """Wait until the main process has ended (its end of a pipe closes), then end this worker."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def batches(specs: Iterable[RunSpec], workers: int, most: int = 25,
            total: int | None = None) -> Iterator[list[RunSpec]]:
    """Split specs into tasks, made as they are taken: small enough to balance load and show
    progress, large enough to amortise the cost of sending work to a process. ``total``: how many
    specs there are (default ``len(specs)``; without either, tasks of ``most``)."""
    if total is None:
        total = len(specs) if isinstance(specs, Sized) else workers * 8 * most
    size = max(1, min(most, math.ceil(total / (workers * 8)) if total else 1))
    specs = iter(specs)
    while batch := list(itertools.islice(specs, size)):
        yield batch


def _context():
    """``forkserver`` where available (clean workers, no inherited threads; the server imports the
    model once and forks each worker from it), else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["experiments.evaluate"])
        return context
    return multiprocessing.get_context("spawn")


IN_FLIGHT = 3
"""Tasks per worker submitted ahead: enough to keep every worker busy, few enough that memory stays
bounded however many runs a sweep has, and that an interrupted sweep has little to throw away."""


class ProcessEvaluator(_Base):
    """A pool of ``workers`` local processes; Ctrl-C is left to the main process.

    Tasks are submitted a few per worker ahead of the results (:data:`IN_FLIGHT`), so a sweep of
    millions of runs never holds them all. A worker process that dies (killed, out of memory) breaks
    the pool: the tasks then running get failure records naming the cause (``--retry-failed``
    reruns them), a new pool takes the rest. Rows already returned are never lost.

    When the caller stops taking rows before the end (Ctrl-C, SIGTERM, an error), the workers are
    stopped at once, not left to finish their tasks: an interrupted sweep ends promptly however
    long its runs, and the runs cut short are simply not in the table (the same command reruns
    them).
    """

    def __init__(self, workers: int, engine: str = "fast"):
        self.workers = workers
        self.engine = engine
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _start(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers, mp_context=_context(), initializer=_start_worker,
            )
        return self._pool

    def map(self, specs: Iterable[RunSpec], series: bool = False,
            total: int | None = None) -> Iterator[dict[str, Any]]:
        work = batches(specs, self.workers, total=total)
        futures: dict[concurrent.futures.Future, list[RunSpec]] = {}

        def submit(count: int) -> None:
            for batch in itertools.islice(work, count):
                task = (evaluate_batch, batch, series, load_scenarios(batch), self.engine)
                try:
                    future = self._start().submit(*task)
                except BrokenProcessPool:  # a worker died while the pool was idle (between
                    self._stop()           # experiments): a new pool takes the task
                    future = self._start().submit(*task)
                futures[future] = batch

        finished = False
        try:
            submit(IN_FLIGHT * self.workers)
            while futures:
                done, _ = concurrent.futures.wait(futures, return_when=FIRST_COMPLETED)
                broken = None
                for future in done:
                    batch = futures.pop(future)  # a finished task's rows are not kept here
                    try:
                        results = future.result()
                    except BrokenProcessPool as error:
                        broken = error
                        results = [failure(spec, f"a worker process died: {error}") for spec in batch]
                    del future
                    yield from results
                if broken is not None:  # every task still in the broken pool is lost with it
                    for batch in futures.values():
                        yield from (failure(spec, f"a worker process died: {broken}") for spec in batch)
                    futures.clear()
                    self._stop()
                submit(IN_FLIGHT * self.workers - len(futures))
            finished = True
        finally:
            if not finished:
                self._stop()

    def _stop(self) -> None:
        """End the pool now: cancel what has not started, terminate the workers mid-task (what
        Python 3.14's ``terminate_workers`` does), and let a new pool serve the next call."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                if process.is_alive():
                    process.terminate()
            except (ValueError, ProcessLookupError):  # already closed or gone
                pass
        for process in processes:
            try:
                process.join(timeout=10)
            except ValueError:
                pass

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def make_evaluator(workers: int | None = None, scheduler: str | None = None,
                   engine: str = "fast") -> Evaluator:
    """The evaluator for ``--workers N`` / ``--scheduler ADDRESS``.

    ``scheduler`` given: :class:`experiments.cluster.DaskEvaluator` (``local``: a new LocalCluster
    of ``workers`` processes, default every core). Else ``workers`` (default: every core) of 1 gives
    :class:`SerialEvaluator`, more gives :class:`ProcessEvaluator`. ``engine``: how each run is
    stepped (:mod:`model.engines`); it changes no row.
    """
    from model.engines import ENGINES

    if engine not in ENGINES:
        raise ValueError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    if scheduler:
        from .cluster import DaskEvaluator

        evaluator = DaskEvaluator(scheduler, workers=workers)
    else:
        workers = default_workers() if workers is None else workers
        evaluator = SerialEvaluator() if workers == 1 else ProcessEvaluator(workers)
    evaluator.engine = engine
    return evaluator
