"""A cache of what a scenario and a model's parameters imply, computed once per design point.

An experiment builds thousands of models that differ only in their seed (replicates) or in their
structure; what the scenario and the parameters imply -- the states' stakes, red lines, hedging and
projected power, who may fight where, the structure's graph as designed, the formation judgement --
is the same for all of them. :func:`remember` computes such a value once and returns it to every
later model of the same design point. A loaded scenario is never changed (its dataclasses are frozen
and the model copies whatever it alters), so the scenario object's identity, with the parameter
values a value depends on, is its key; the entry also holds the scenario itself, so that a key is
never matched by a later scenario that happens to reuse a freed object's identity.

Values handed out here are shared between models: they must be immutable (tuples, frozen
dataclasses) or read-only arrays (:func:`frozen`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .scenario import Scenario

SIZE = 1024
"""Entries kept (the least recently used go first): a sensitivity study's design points come one
after another, so a few hundred cover every model built at once."""


TABLES = 2
"""Design points whose growing tables (:func:`remember` with ``keep``) are kept, per purpose: the
one a process is running and the one before it (two processes share a design point's replicates
batch by batch). Kept longer, the tables of a long sweep filled memory (over 10 GB per process
in the ``threat`` experiment)."""


class _Entries(OrderedDict):
    """The cached values. Pickled empty: the cluster ships this module's code by value
    (:mod:`experiments.cluster`), and a cache is local to the process that fills it."""

    def __reduce__(self):
        return type(self), ()


_ENTRIES: _Entries = _Entries()
_TABLES: dict[str, _Entries] = {}
"""The growing tables (:func:`remember` with ``keep``), by purpose."""


def remember[T](scenario: Scenario, purpose: str, key: Hashable, compute: Callable[[], T],
                keep: int | None = None) -> T:
    """``compute()``, or the value it gave for the same ``scenario``, ``purpose`` and ``key``.

    ``keep``: the value is a table that the models of a design point fill as they run (values they
    share while they run); the tables of only the ``keep`` design points met last are kept for this
    purpose, so that a process's memory stays flat however many design points it runs (a process
    runs one design point's replicates one after another).
    """
    if keep is None:
        entries, size = _ENTRIES, SIZE
    else:
        entries, size = _TABLES.setdefault(purpose, _Entries()), keep
    full = (purpose, id(scenario), key)
    hit = entries.get(full)
    if hit is not None and hit[0] is scenario:
        entries.move_to_end(full)
        return hit[1]  # type: ignore[return-value]
    value = compute()
    entries[full] = (scenario, value)
    if len(entries) > size:
        entries.popitem(last=False)
    return value


def frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only, to be shared between models."""
    array.flags.writeable = False
    return array
