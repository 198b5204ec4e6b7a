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


TABLES = 8
"""Design points whose growing tables (:func:`remember` with ``keep``) are kept at most, per
purpose: enough for a loop that runs every structure at each seed (each structure is a design
point of its own), which with two kept ran some twenty times slower than with them all kept."""
TABLE_ENTRIES = 40_000
"""Entries the kept tables of one purpose may hold together: beyond them the oldest go, the
newest always stays. Kept without limit, the tables of a long sweep filled memory (over 10 GB per
process in the ``threat`` experiment); a design point whose tables are large (twice a table's
:data:`model.valuation.SHARED_LIMIT`) leaves room for little else."""


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
    purpose, and of those only as many as hold :data:`TABLE_ENTRIES` together (the newest always
    kept), so that a process's memory stays flat however many design points it runs.
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
    if keep is not None:
        while len(entries) > 1 and sum(_size(table) for _, table in entries.values()) > TABLE_ENTRIES:
            entries.popitem(last=False)
    return value


def _size(table) -> int:
    """The entries a growing table holds (a dictionary, or a tuple of them)."""
    return len(table) if isinstance(table, dict) else sum(len(part) for part in table)


def frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only, to be shared between models."""
    array.flags.writeable = False
    return array
