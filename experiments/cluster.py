"""Run specs on a dask.distributed cluster whose machines have the dependencies but not this project.

``--scheduler tcp://HOST:PORT`` connects to a scheduler started with the plain ``dask scheduler``
command, its workers with ``dask worker tcp://HOST:PORT --nthreads 1 --nworkers N`` (one thread per
process: the model is pure Python), from any folder, in an environment with the project's
dependencies (``pip install "mesa[rec]==3.5.*" "dask[distributed]" ...``: those of
``pyproject.toml``). ``--scheduler local`` starts a ``LocalCluster`` on this machine instead.

**How the code gets there.** The evaluation function is pickled once per sweep with cloudpickle,
this project's packages (``model``, ``scenarios``, ``experiments``) registered to pickle *by value*
(``cloudpickle.register_pickle_by_value``): the bytes carry the functions and classes a run needs.
Each task is a payload holding those bytes, its runs and the scenarios they name, already loaded.
The task the scheduler sees is ``pickle.loads(payload)``, whose unpickling calls the evaluation
(``__reduce__``), so neither the scheduler nor the workers import anything of this project, and a
worker always runs the code of the client that sent the task -- never a stale copy from an earlier
sweep.

**Failures.** A run that raises gives a failure record (:func:`experiments.evaluate.failure`); a
task that fails as a whole -- its worker died (``KilledWorker`` after dask's retries) or it could
not be unpickled -- gives one for each of its runs, with the error. If the cluster has no worker
left for ``patience`` seconds, the runs still pending are recorded as failed and the sweep ends:
it never hangs, and rows already received are kept.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import pickle
import time
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

from .design import RunSpec
from .evaluate import _Base, batches, default_workers, evaluate_batch, failure, load_scenarios

BATCH = 100
"""Most runs per task: a task carries the code (about 150 kB), so it should carry many runs."""


class _Call:
    """Unpickling this calls ``function(*args)``: the payload runs where it is loaded."""

    def __init__(self, function: Any, *args: Any):
        self.function = function
        self.args = args

    def __reduce__(self):
        return self.function, self.args


class _Loads:
    """Unpickling this unpickles ``data``: code pickled once, reused in every task's payload."""

    def __init__(self, data: bytes):
        self.data = data

    def __reduce__(self):
        return pickle.loads, (self.data,)


@contextlib.contextmanager
def _by_value():
    """Within: cloudpickle pickles this project's packages by value (their code travels along)."""
    import cloudpickle

    import experiments
    import model
    import scenarios

    packages = (model, scenarios, experiments)
    for package in packages:
        cloudpickle.register_pickle_by_value(package)
    try:
        yield cloudpickle
    finally:
        for package in packages:
            cloudpickle.unregister_pickle_by_value(package)


def ship(function: Any) -> bytes:
    """``function`` pickled with this project's code by value (made once per sweep: ~0.2 s)."""
    with _by_value() as cloudpickle:
        return cloudpickle.dumps(function)


def payload(code: bytes, *args: Any) -> bytes:
    """Bytes that, when unpickled, call the shipped function ``code`` with ``args``
    (``operator.call(pickle.loads(code), *args)``; the arguments' classes by value too)."""
    with _by_value() as cloudpickle:
        return cloudpickle.dumps(_Call(operator.call, _Loads(code), *args))


class DaskEvaluator(_Base):
    """Runs specs on a dask.distributed scheduler at ``address``, or on a new ``LocalCluster``
    (``address="local"``, ``workers`` processes of one thread; default every core).

    Attributes:
        workers: threads the cluster offers (its worker count at the start).
        patience: seconds without any worker after which pending runs are recorded as failed.
    """

    def __init__(self, address: str, workers: int | None = None, timeout: str = "10s",
                 patience: float = 120.0):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ValueError("--scheduler needs dask.distributed: install the optional extra with "
                             "'uv sync --extra cluster'") from None
        self.patience = patience
        self._cluster = None
        if address == "local":
            self._cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            address = self._cluster.scheduler_address
        try:
            self._client = Client(address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:  # ValueError: not an address
            self.close()
            raise ValueError(f"--scheduler {address}: cannot connect ({error})") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map(self, specs: Sequence[RunSpec], series: bool = False) -> Iterator[dict[str, Any]]:
        """Rows as tasks finish. At most ``4 x workers`` tasks are on the cluster at a time, so the
        payloads in memory stay bounded however long the sweep."""
        from dask.distributed import wait

        scenarios = load_scenarios(specs)
        code = ship(evaluate_batch)
        work = iter(batches(specs, self.workers, most=BATCH))
        batch_of: dict[str, list[RunSpec]] = {}
        pending: set[Any] = set()

        def submit(count: int) -> None:
            for batch in itertools.islice(work, count):
                future = self._client.submit(pickle.loads,
                                             payload(code, batch, series, scenarios, self.engine),
                                             pure=False)
                batch_of[future.key] = batch
                pending.add(future)

        submit(4 * self.workers)
        alone_since = None
        try:
            while pending:
                try:
                    wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
                except Exception:  # a timeout, or cancelled futures: told apart by their status
                    pass
                done = {future for future in pending if future.status != "pending"}
                pending -= done
                for future in done:
                    yield from self._results(future, batch_of.pop(future.key))
                submit(len(done))
                if done or self._client.nthreads():
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > self.patience:
                    cause = f"no worker left on the cluster for {self.patience:.0f} s"
                    for batch in [*(batch_of[f.key] for f in pending), *work]:
                        yield from (failure(spec, cause) for spec in batch)
                    return
        finally:
            self._client.cancel(list(pending))

    @staticmethod
    def _results(future: Any, batch: list[RunSpec]) -> list[dict[str, Any]]:
        """The rows of a finished task, or a failure record per run if the task itself failed."""
        if future.status == "finished":
            return future.result()
        if future.status == "cancelled":
            return [failure(spec, "task cancelled by the cluster") for spec in batch]
        error = future.exception()
        trace = "".join(traceback.format_tb(future.traceback())) if error is not None else ""
        cause = f"{type(error).__name__}: {error}" if error is not None else f"task {future.status}"
        return [failure(spec, cause, trace) for spec in batch]

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
