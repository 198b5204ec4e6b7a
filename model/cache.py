"""The cache of one model: values it computes again and again, each valid while what it reads stands.

Most of a step repeats work done before: the challenger weighs the same options against the same
alliance, peacetime costs the same as the step before, the exit rule looks at the same grievances.
:class:`ModelCache` holds such values. Each reads the obligation graph and the states' traits
(hedging, stakes, red lines); both count their changes -- ``ObligationGraph.version``, bumped by
the graph's own methods, and ``ModelCache.traits_version``, bumped by
:class:`~model.agents.State`'s setters -- and the cache drops its entries when either has moved.
The arrays behind them are read-only, so nothing can change them without going through the code
that counts the change. Values that read beliefs carry the
beliefs in their keys.

While a model is as built -- the structure as formed, no trait changed but by the calendar, whose
power trends and scheduled events are the same for every model of a design point in the same year
of the run (:mod:`model.calendar`) -- the challenger's choice probabilities, the chance of a
provocation and who may fight where are the same for every model of its design point and formed
structure in that year, so entries that hold no object of the model are also shared between those
models (:mod:`model.design_cache`) during :meth:`DeterrenceModel.run
<model.model.DeterrenceModel.run>`, by the year (:attr:`ModelCache.traits_key`).

Nothing here changes a result: the cache only hands back what the code would compute again from the
same inputs. ``model.step()`` -- Mesa's step, the reference engine -- clears it first, so that the
reference computes everything afresh (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from . import design_cache

if TYPE_CHECKING:
    from .model import DeterrenceModel

LIMIT = 4096
"""Entries kept at most per dictionary (a long run with fading beliefs adds some at every crisis)."""
SHARED_TABLES = 16
"""Shared tables kept (:func:`design_cache.remember <model.design_cache.remember>`'s ``keep``):
one per design point and structure its models formed, a few per design point."""

_MISSING = object()


class ModelCache:
    """The cache of one model (see the module docstring).

    Attributes:
        traits_version: a count of the changes to the states' traits (hedging, stakes, red lines;
            powers, exposure and affinity as the calendar moves them).
        pressed: the peacetime plan whose pressures the states show (:func:`model.peacetime.press`).
        exit_paths: ``(steps, ends)``: the grievances the exit rule watches, after the quiet steps
            its limit last allowed (:func:`model.membership.quiet_limit`), for the quiet form of the
            peacetime phase that follows it.
    """

    def __init__(self, model: DeterrenceModel) -> None:
        self.model = model
        self.traits_version = 0
        self.pressed: Any = None
        self.exit_paths: tuple[int, dict] = (0, {})
        self._entries: dict = {}
        self._graph_version: int | None = None
        self._traits_version = 0
        self._shared: dict | None = None
        self._built: int | None = None
        self._sharing = False
        self._diverged = False
        self._by_calendar = False
        self._calendar_key = 0

    def traits_changed(self) -> None:
        """Traits changed (called by the states' setters and by the calendar): by the calendar,
        as in every model of the design point; otherwise (converging red lines), as in this model
        alone, which from then on shares nothing."""
        self.traits_version += 1
        if not self._by_calendar:
            self._diverged = True

    @property
    def traits_key(self) -> int | None:
        """What identifies the traits among the models of the design point: the year of the run
        whose calendar changes they hold (0: as built); ``None`` once they changed otherwise."""
        return None if self._diverged else self._calendar_key

    def calendar_changes(self) -> _CalendarChanges:
        """``with cache.calendar_changes():`` -- the trait changes made inside are the calendar's."""
        return _CalendarChanges(self)

    def clear(self) -> None:
        """Drop every entry and stop sharing: the next values are computed afresh."""
        self._entries = {}
        self._graph_version = None
        self._sharing = False
        self.pressed = None

    def built(self) -> None:
        """The model is built and its structure formed: from here, while nothing changes, it shares
        values with the models of its design point and formed structure."""
        model = self.model
        key = (model.design, frozenset(model.graph.pairs()))
        self._shared = design_cache.remember(model.spec, "shared values", key, dict,
                                             keep=SHARED_TABLES)
        self._built = model.graph.version

    def share(self) -> None:
        """Share values with the design point's other models (at the start of a run), if this model
        is still as built."""
        self._sharing = (self._built is not None and self.traits_key is not None
                         and self.model.graph.version == self._built)

    def get(self, key: Hashable, compute: Callable[[], Any], shared: bool = False) -> Any:
        """The cached value of ``key``, or ``compute()``'s. ``shared``: the value holds no object of
        this model (numbers, indices), so models of the same design point may share it."""
        if (self.model.graph.version == self._graph_version
                and self.traits_version == self._traits_version):
            entries = self._entries
            value = entries.get(key, _MISSING)
            if value is not _MISSING:
                return value
        else:
            entries = self._renew()
        if len(entries) >= LIMIT:
            entries = self._renew()
        common = self._common() if shared else None
        if common is None:
            value = entries[key] = compute()
        elif key in common:
            value = entries[key] = common[key]
        else:
            value = entries[key] = compute()
            if len(common) < LIMIT:
                common[key] = value
        return value

    def _renew(self) -> dict:
        """A fresh dictionary of entries, valid for the graph and traits as they are now."""
        self._entries = {}
        self._graph_version = self.model.graph.version
        self._traits_version = self.traits_version
        return self._entries

    def _common(self) -> dict | None:
        if self._sharing and self.model.graph.version == self._built:
            key = self.traits_key
            if key is not None:
                common = self._shared.get(key)
                if common is None:
                    common = self._shared[key] = {}
                return common
        return None


class _CalendarChanges:
    """The context of :meth:`ModelCache.calendar_changes`."""

    def __init__(self, cache: ModelCache) -> None:
        self.cache = cache

    def __enter__(self) -> None:
        self.cache._by_calendar = True
        self.version = self.cache.traits_version

    def __exit__(self, *exc) -> None:
        cache = self.cache
        cache._by_calendar = False
        if cache.traits_version != self.version:
            cache._calendar_key = cache.model.calendar.year
