"""Evaluate run specifications: the model as a function ``RunSpec -> row`` and three evaluators.

For the experiment layer the model is a pure function from parameters to outcomes (as in EMA
Workbench, Kwakkel 2017): :func:`evaluate` builds a :class:`model.DeterrenceModel` from a
:class:`~experiments.design.RunSpec`, runs it and returns one flat row: the run's identity
(:data:`ID_COLUMNS`), every resolved model parameter (:data:`PARAMETER_COLUMNS`) and every run-level
metric of :data:`model.observations.RUN_METRICS`. A run that raises gives a failure record instead
(:func:`failure`: its parameters, seed, error and traceback), so one bad run never stops a sweep.

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
import json
import math
import multiprocessing
import os
import signal
import traceback
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

import numpy as np

from model import DeterrenceModel
from model.observations import RUN_METRICS
from model.parameters import PARAMETERS

from .design import RunSpec
from .formats import FAILED_KEY, FAILURE_COLUMNS, SERIES_KEY

ID_COLUMNS: tuple[str, ...] = ("run_id", "experiment", "scenario", "structure", "point", "replicate",
                               "seed", "steps")
"""The run's identity, first in every row."""
PARAMETER_COLUMNS: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.name != "structure")
"""Every model parameter's resolved value (the scenario's own value where the default is ``None``)."""
METRIC_COLUMNS: tuple[str, ...] = tuple(m for m in RUN_METRICS if m != "steps")
"""Run-level metrics (``steps`` is already an identity column)."""
COLUMNS: tuple[str, ...] = ID_COLUMNS + PARAMETER_COLUMNS + METRIC_COLUMNS
"""Columns of a row, in order."""


_LOADED: dict[str, Any] = {}


def _scenario(name: str):
    """The scenario ``name``, loaded once per process. (A plain dict, not ``functools.lru_cache``:
    the function must pickle by value for the cluster, :mod:`experiments.cluster`.)"""
    if name not in _LOADED:
        from scenarios import load

        _LOADED[name] = load(name)
    return _LOADED[name]


def load_scenarios(specs: Sequence[RunSpec]) -> dict[str, Any]:
    """Every scenario the specs name, loaded once (here, where the files are), by name."""
    return {name: _scenario(name) for name in dict.fromkeys(spec.scenario for spec in specs)}


def _plain(value: Any) -> Any:
    """numpy scalars -> Python numbers, so rows pickle, compare and serialise the same everywhere."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def evaluate(spec: RunSpec, series: bool = False, scenario: Any = None,
             engine: str = "fast") -> dict[str, Any]:
    """Run one simulation and return its row (see :data:`COLUMNS`).

    ``scenario``: the loaded scenario that ``spec.scenario`` names (default: load it here). With
    ``series=True`` the model collects its per-step series and the row carries them, as a list of
    records with a ``step`` key, under :data:`SERIES_KEY`. ``engine``: how the run is stepped
    (:mod:`model.engines`; the same row either way).
    """
    scenario = _scenario(spec.scenario) if scenario is None else scenario
    model = DeterrenceModel(scenario, spec.structure, rng=spec.seed, collect=series, **spec.parameters)
    metrics = model.run(spec.steps, engine=engine)
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

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]: ...

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

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        scenarios = load_scenarios(specs)
        for spec in specs:
            yield from evaluate_batch([spec], series, scenarios, self.engine)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops the sweep and keeps finished rows."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def batches(specs: Sequence[RunSpec], workers: int, most: int = 25) -> list[list[RunSpec]]:
    """Split specs into tasks: small enough to balance load and show progress, large enough to
    amortise the cost of sending work to a process."""
    size = max(1, min(most, math.ceil(len(specs) / (workers * 8)) if specs else 1))
    return [list(specs[k:k + size]) for k in range(0, len(specs), size)]


def _context():
    """``forkserver`` where available (clean workers, no inherited threads; the server imports the
    model once and forks each worker from it), else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["experiments.evaluate"])
        return context
    return multiprocessing.get_context("spawn")


class ProcessEvaluator(_Base):
    """A pool of ``workers`` local processes; Ctrl-C is left to the main process.

    A worker process that dies (killed, out of memory) breaks the pool: every batch not yet returned
    gets failure records naming the cause (``--retry-failed`` reruns them), and a new pool serves the
    next call. Rows already returned are never lost.
    """

    def __init__(self, workers: int, engine: str = "fast"):
        self.workers = workers
        self.engine = engine
        self._pool = self._start()

    def _start(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), initializer=_ignore_interrupt,
        )

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        scenarios = load_scenarios(specs)
        futures = {self._pool.submit(evaluate_batch, batch, series, scenarios, self.engine): batch
                   for batch in batches(specs, self.workers)}
        broken = False
        try:
            for future in concurrent.futures.as_completed(futures):
                batch = futures.pop(future)  # a finished task's rows are not kept here
                try:
                    results = future.result()
                except BrokenProcessPool as error:
                    broken = True
                    results = [failure(spec, f"a worker process died: {error}") for spec in batch]
                del future
                yield from results
        finally:
            for future in futures:
                future.cancel()
            if broken:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._start()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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
