"""Evaluate run specifications: the model as a function ``RunSpec -> row`` and three evaluators.

For the experiment layer the model is a pure function from parameters to outcomes (as in EMA
Workbench, Kwakkel 2017): :func:`evaluate` builds a :class:`model.DeterrenceModel` from a
:class:`~experiments.design.RunSpec`, runs it and returns one flat row: the run's identity
(:data:`ID_COLUMNS`), every resolved model parameter (:data:`PARAMETER_COLUMNS`) and every run-level
metric of :data:`model.observations.RUN_METRICS`.

Evaluators run many specs and yield rows as runs finish, in any order; they are interchangeable
behind :func:`make_evaluator`:

* :class:`SerialEvaluator` -- in this process;
* :class:`ProcessEvaluator` -- a pool of local worker processes (``--workers N``);
* :class:`DaskEvaluator` -- a dask.distributed cluster (``--scheduler ADDRESS``; needs the optional
  ``cluster`` extra: ``uv sync --extra cluster``).

Every evaluator gives the same rows for the same specs: a run depends only on its spec.
"""

from __future__ import annotations

import concurrent.futures
import math
import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from model import DeterrenceModel
from model.observations import RUN_METRICS
from model.parameters import PARAMETERS

from .design import RunSpec
from .formats import SERIES_KEY

ID_COLUMNS: tuple[str, ...] = ("run_id", "experiment", "scenario", "structure", "point", "replicate",
                               "seed", "steps")
"""The run's identity, first in every row."""
PARAMETER_COLUMNS: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.name != "structure")
"""Every model parameter's resolved value (the scenario's own value where the default is ``None``)."""
METRIC_COLUMNS: tuple[str, ...] = tuple(m for m in RUN_METRICS if m != "steps")
"""Run-level metrics (``steps`` is already an identity column)."""
COLUMNS: tuple[str, ...] = ID_COLUMNS + PARAMETER_COLUMNS + METRIC_COLUMNS
"""Columns of a row, in order."""


@lru_cache(maxsize=32)
def _scenario(name: str):
    from scenarios import load

    return load(name)


def _plain(value: Any) -> Any:
    """numpy scalars -> Python numbers, so rows pickle, compare and serialise the same everywhere."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def evaluate(spec: RunSpec, series: bool = False) -> dict[str, Any]:
    """Run one simulation and return its row (see :data:`COLUMNS`).

    With ``series=True`` the model collects its per-step series and the row carries them, as a list
    of records with a ``step`` key, under :data:`SERIES_KEY`.
    """
    model = DeterrenceModel(_scenario(spec.scenario), spec.structure, rng=spec.seed, collect=series,
                            **spec.parameters)
    metrics = model.run(spec.steps)
    row: dict[str, Any] = {
        "run_id": spec.run_id, "experiment": spec.experiment, "scenario": spec.scenario,
        "structure": spec.structure, "point": spec.point, "replicate": spec.replicate,
        "seed": spec.seed, "steps": spec.steps,
    }
    for name in PARAMETER_COLUMNS:
        row[name] = _plain(model.params[name])
    for name in METRIC_COLUMNS:
        value = _plain(metrics[name])
        row[name] = value
    if series:
        frame = model.series().reset_index()
        row[SERIES_KEY] = [{k: _plain(v) for k, v in record.items()}
                           for record in frame.to_dict("records")]
    return row


def evaluate_batch(specs: Sequence[RunSpec], series: bool = False) -> list[dict[str, Any]]:
    """:func:`evaluate` over several specs (one task of a parallel evaluator)."""
    return [evaluate(spec, series) for spec in specs]


class Evaluator(Protocol):
    """Runs specs and yields their rows as runs finish (in any order). Use as a context manager."""

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Evaluator: ...

    def __exit__(self, *exc: object) -> None: ...


class _Base:
    workers = 1

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialEvaluator(_Base):
    """Runs every spec in this process, in order."""

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        for spec in specs:
            yield evaluate(spec, series)


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
    """A pool of ``workers`` local processes; Ctrl-C is left to the main process."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=_context(), initializer=_ignore_interrupt,
        )

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        futures = [self._pool.submit(evaluate_batch, batch, series)
                   for batch in batches(specs, self.workers)]
        try:
            for future in concurrent.futures.as_completed(futures):
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEvaluator(_Base):
    """Runs specs on a dask.distributed scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

    The workers must be able to import this project (start ``dask worker ADDRESS`` from the
    project's folder, in its environment).
    """

    def __init__(self, address: str, timeout: str = "10s"):
        try:
            from dask.distributed import Client
        except ImportError:
            raise ValueError(
                "--scheduler needs dask.distributed: install the optional extra with "
                "'uv sync --extra cluster'"
            ) from None
        try:
            self._client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as error:
            raise ValueError(f"--scheduler {address}: cannot connect ({error})") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        from dask.distributed import as_completed

        futures = self._client.map(evaluate_batch, batches(specs, self.workers), series=series,
                                   pure=False)
        try:
            for future in as_completed(futures):
                yield from future.result()
        finally:
            self._client.cancel(futures)

    def close(self) -> None:
        self._client.close()


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def make_evaluator(workers: int | None = None, scheduler: str | None = None) -> Evaluator:
    """The evaluator for ``--workers N`` / ``--scheduler ADDRESS``.

    ``scheduler`` given: :class:`DaskEvaluator`. Else ``workers`` (default: every core) of 1 gives
    :class:`SerialEvaluator`, more gives :class:`ProcessEvaluator`.
    """
    if scheduler:
        return DaskEvaluator(scheduler)
    if workers is None:
        workers = default_workers()
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    return SerialEvaluator() if workers == 1 else ProcessEvaluator(workers)
