"""What a model keeps from step to step while what it depends on stands.

Most of a step repeats work done before: the challenger weighs the same options against the same
alliance, peacetime costs the same as the step before, the exit rule looks at the same
grievances. :class:`Kept` holds such results for one model, each valid while the obligation graph
(``ObligationGraph.version``) and the states' traits (hedging, stakes, red lines: ``traits``) stand;
the model tells it when traits change, and ``step()`` forgets everything first (anything may have
been changed from outside between two steps). Values that read beliefs carry the beliefs in their
keys.

While a model's graph and traits are still those its design point gives -- the structure as
formed, the scenario's traits -- the choice probabilities, the chance of a provocation and who may
fight where are the same for every model of that design point and formed structure, so they are
also shared between those models (:mod:`model.design_point`). :meth:`Kept.check` decides, at the
start of a run, whether the model still is as built (a user may have changed its arrays); if not,
nothing is shared.

None of this changes a result: the caches only hand back what the code would compute again, from the
same inputs (tests compare ``run()`` with step-by-step runs of a fresh model).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from . import design_point, membership, quiet

if TYPE_CHECKING:
    from .model import DeterrenceModel

LIMIT = 4096
"""Entries kept at most per dictionary (a long run with fading beliefs adds some at every crisis)."""

_MISSING = object()


class Kept:
    """The caches of one model (see the module docstring)."""

    def __init__(self, model: DeterrenceModel) -> None:
        self.model = model
        self.traits = 0
        self.forget()
        self._shared: dict | None = None
        self._formed: tuple[int, bytes] | None = None
        self._sharing = False

    def forget(self) -> None:
        """Drop every kept value (anything may have changed since the last step)."""
        self._local: dict = {}
        self._version: int | None = None
        self._traits = self.traits
        self._sharing = False
        self.pressed: membership.Peace | None = None

    def _renew(self) -> dict:
        """A fresh dictionary of kept values, valid for the graph and traits as they are now."""
        self._local = {}
        self._version = self.model.graph.version
        self._traits = self.traits
        return self._local

    def traits_changed(self) -> None:
        """Hedging, stakes or red lines changed."""
        self.traits += 1

    # --- the end of a step ------------------------------------------------------------------------

    def peace(self) -> membership.Peace | None:
        """One step of peacetime costs (:func:`model.membership.peace`)."""
        return self.get("peace", lambda: membership.peace(self.model), shared=True)

    def watch(self) -> membership.Watch | None:
        """What the exit rule looks at (:func:`model.membership.watch`)."""
        return self.get("watch", lambda: membership.watch(self.model), shared=True)

    def quiet(self) -> quiet.Layout | None:
        """What a quiet step does (:func:`model.quiet.layout`)."""
        return self.get("quiet", lambda: quiet.layout(self.model), shared=True)

    # --- the crises ------------------------------------------------------------------------------

    def get(self, key: Hashable, compute: Callable[[], Any], shared: bool = False) -> Any:
        """The kept value of ``key``, or ``compute()``'s. ``shared``: the value holds no object of
        this model (numbers, indices), so models of the same design point may share it."""
        if self.model.graph.version == self._version and self.traits == self._traits:
            local = self._local
            value = local.get(key, _MISSING)
            if value is not _MISSING:
                return value
        else:
            local = self._renew()
        if len(local) >= LIMIT:
            local = self._renew()
        common = self._common() if shared else None
        if common is None:
            value = local[key] = compute()
        elif key in common:
            value = local[key] = common[key]
        else:
            value = local[key] = compute()
            if len(common) < LIMIT:
                common[key] = value
        return value

    def formed(self) -> None:
        """The model is built: what it shares with models of its design point is known from here."""
        model = self.model
        key = (model._design, frozenset(model.graph.pairs()))
        self._shared = design_point.kept(model.spec, "kept", key, dict)
        self._formed = (model.graph.version,
                        design_point.kept(model.spec, "as built", key, self._digest))

    def check(self) -> None:
        """Share with the design point's other models in this run only if this model's graph and
        traits are still as built (compared by content: they may have been changed from outside)."""
        self._sharing = (self._formed is not None and self.traits == 0
                         and self._formed == (self.model.graph.version, self._digest()))

    def _common(self) -> dict | None:
        if self._sharing and self.model.graph.version == self._formed[0] and not self.traits:
            return self._shared
        return None

    def _digest(self) -> tuple:
        """What the shared values read, besides the parameters: the graph (obligations, members),
        each actor's red lines, stakes, hedging and local power, the flashpoints and the
        severities."""
        model = self.model
        graph = model.graph
        arrays = [graph.weight, graph.conditional, graph.kind, graph.active]
        arrays += [state.red_lines for state in model.states]
        arrays += [state.stakes for state in model.states]
        arrays += [state.local_power for state in model.states]
        arrays += [challenger.local_power for challenger in model.challengers]
        return (b"".join(array.tobytes() for array in arrays), model.severities,
                tuple(graph.founders), graph.dissolved, tuple(s.hedging for s in model.states),
                tuple((f.value, f.options, f.target.index, f.challenger.index, f.neighbours,
                       f.target_may_provoke) for f in model.flashpoints))
