"""The obligation graph: who is bound to defend whom, how strongly, and on what condition.

``weight[i, j]`` in [0, 1] is how strongly state i is bound to defend state j (1 = automatic,
Article-5-like; 0.5 = "in accordance with constitutional processes"; 0 = none). ``conditional[i, j]``
says whether the support is void when j provoked the crisis (Cha 2009/10: the bilateral design let
Washington restrain its allies). ``kind[i, j]`` labels each edge bilateral, minilateral or collective
for the observations. Topology (the ``structure``) and strength (the ``obligation_mode``) are set
apart, so experiments can tell who is bound from how tightly (docs/ODD.md, Entities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import IntEnum

import numpy as np

from . import design_cache
from .scenario import Scenario


class EdgeKind(IntEnum):
    """Kind of an obligation, for counting commitments apart (``label``: its name in results)."""

    NONE = 0
    BILATERAL = 1
    MINILATERAL = 2
    COLLECTIVE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


KINDS: tuple[EdgeKind, ...] = (EdgeKind.BILATERAL, EdgeKind.MINILATERAL, EdgeKind.COLLECTIVE)
"""The kinds an obligation can have, in the order results list them."""


@dataclass
class Tie:
    """A treaty between two states: the obligations between them, in one direction or both.

    Attributes:
        a, b: the two states' indices (a < b).
        kind: the tie's :class:`EdgeKind` (of its stronger obligation).
        start: the step it started (0: before the first step).
        end: the step it ended, or ``None`` while it lasts.
    """

    a: int
    b: int
    kind: EdgeKind
    start: int
    end: int | None = None

    def duration(self, now: int) -> int:
        """Steps it has lasted (up to ``now`` if it still lasts)."""
        return (now if self.end is None else self.end) - self.start


class ObligationGraph:
    """A weighted directed graph of defence obligations among the scenario's states, and its ties.

    The arrays are read-only: every change goes through a method, which counts it in ``version``
    (what the model caches about the graph is valid while the version stands: :mod:`model.cache`).

    Attributes:
        weight: (n, n) float array, ``weight[i, j]`` = strength of i's obligation to defend j.
        conditional: (n, n) bool array, support void if the protege provoked.
        kind: (n, n) int array of :class:`EdgeKind`.
        founders: indices of the founding members.
        active: (n,) bool array, True while a founder is still in the structure.
        ties: every :class:`Tie` recorded by :meth:`record_ties`, ended ones included.
        version: a count of the changes made to the graph.
    """

    def __init__(self, n: int, founders: list[int]):
        self._set_arrays(np.zeros((n, n)), np.zeros((n, n), dtype=bool),
                         np.zeros((n, n), dtype=np.int8), np.zeros(n, dtype=bool))
        self.founders = list(founders)
        self._active[founders] = True
        self.dissolved = False
        self.ties: list[Tie] = []
        self._open: dict[tuple[int, int], Tie] = {}
        self.version = 0
        self._pairs: tuple[int, dict[tuple[int, int], EdgeKind]] = (-1, {})

    def _set_arrays(self, weight: np.ndarray, conditional: np.ndarray, kind: np.ndarray,
                    active: np.ndarray) -> None:
        """Hold the given (writable) arrays and show them as read-only views."""
        self._weight, self._conditional, self._kind, self._active = weight, conditional, kind, active
        self.weight, self.conditional, self.kind, self.active = (
            _read_only(weight), _read_only(conditional), _read_only(kind), _read_only(active))

    def copy(self) -> ObligationGraph:
        """An independent copy (arrays, members and ties)."""
        other = ObligationGraph.__new__(ObligationGraph)
        other._set_arrays(self._weight.copy(), self._conditional.copy(), self._kind.copy(),
                          self._active.copy())
        other.founders = list(self.founders)
        other.dissolved = self.dissolved
        other.ties = [replace(tie) for tie in self.ties]
        other._open = {(tie.a, tie.b): tie for tie in other.ties if tie.end is None}
        other.version = self.version
        self.pairs()
        other._pairs = self._pairs
        return other

    def without(self, ties: tuple[tuple[int, int], ...]) -> ObligationGraph:
        """A copy of the obligations (not the members or ties) with those of ``ties`` cut both
        ways: the structure as it would be if these ties were not signed."""
        other = ObligationGraph(len(self._active), [])
        other._set_arrays(self._weight.copy(), self._conditional, self._kind, other._active)
        for a, b in ties:
            other._weight[a, b] = other._weight[b, a] = 0.0
        return other

    def restricted(self, keep: np.ndarray) -> ObligationGraph:
        """A copy of the obligations (not the members or ties) with only those where ``keep`` (an
        (n, n) bool array) is true: the structure as it would be with only these signed."""
        other = ObligationGraph(len(self._active), [])
        other._set_arrays(np.where(keep, self._weight, 0.0), self._conditional, self._kind,
                          other._active)
        return other

    def bind(self, i: int, j: int, weight: float, conditional: bool, kind: EdgeKind) -> None:
        """Oblige i to defend j (keeps the stronger of an existing and the new obligation)."""
        if i == j or weight <= 0.0 or weight <= self._weight[i, j]:
            return
        self.version += 1
        self._weight[i, j] = weight
        self._conditional[i, j] = conditional
        self._kind[i, j] = kind

    def set_weight(self, i: int, j: int, weight: float) -> None:
        """Set the strength of an existing obligation of i to defend j (its kind and condition
        stay)."""
        self.version += 1
        self._weight[i, j] = weight

    def scale_weights(self, factor: float) -> None:
        """Multiply every obligation's strength by ``factor``."""
        self.version += 1
        self._weight *= factor

    def deepen(self, i: int, j: int, rate: float) -> None:
        """i's obligation to defend j moves ``rate`` of the way to strength 1 (if it exists)."""
        if self._weight[i, j] > 0.0:
            self.version += 1
            self._weight[i, j] += rate * (1.0 - self._weight[i, j])

    def obligees(self, j: int) -> np.ndarray:
        """Indices of the states bound to defend j."""
        return np.flatnonzero(self._weight[:, j])

    def obligations_to(self, j: int) -> tuple[list[int], tuple]:
        """``(who is bound to defend j, a key of who they are and their obligations' strengths and
        conditions)``:
        what a judgement of a crisis at one of j's flashpoints reads of the graph (kept while the
        graph stands)."""
        version, kept = getattr(self, "_obligations_to", (None, {}))
        if version != self.version:
            kept = {}
            self._obligations_to = (self.version, kept)
        found = kept.get(j)
        if found is None:
            bound = np.flatnonzero(self._weight[:, j]).tolist()
            found = kept[j] = (bound, (tuple(bound), self._weight[bound, j].tobytes(),
                                       self._conditional[bound, j].tobytes()))
        return found

    def commitment_counts(self) -> np.ndarray:
        """``[state]``: the number of states each is bound to defend (kept while the graph
        stands)."""
        version, counts = getattr(self, "_commitment_counts", (None, None))
        if version != self.version:
            counts = np.count_nonzero(self._weight, axis=1)
            counts.flags.writeable = False
            self._commitment_counts = (self.version, counts)
        return counts

    def commitments(self, i: int) -> int:
        """Number of states i is bound to defend."""
        return int(np.count_nonzero(self._weight[i]))

    def edges(self) -> list[tuple[int, int, float, EdgeKind, bool]]:
        """Every obligation as (i, j, weight, kind, conditional)."""
        rows, cols = np.nonzero(self._weight)
        return [
            (int(i), int(j), float(self._weight[i, j]), EdgeKind(self._kind[i, j]),
             bool(self._conditional[i, j]))
            for i, j in zip(rows, cols, strict=True)
        ]

    def pairs(self) -> dict[tuple[int, int], EdgeKind]:
        """Every pair of states with an obligation between them (a < b), with the kind of the
        stronger obligation."""
        if self._pairs[0] != self.version:
            rows, columns = np.nonzero(self._weight)
            weight, kind = self._weight.tolist(), self._kind.tolist()
            strongest: dict[tuple[int, int], float] = {}
            kinds: dict[tuple[int, int], int] = {}
            for i, j in zip(rows.tolist(), columns.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                if weight[i][j] > strongest.get(key, 0.0):
                    strongest[key] = weight[i][j]
                    kinds[key] = kind[i][j]
            self._pairs = (self.version, {key: EdgeKind(kinds[key]) for key in sorted(kinds)})
        return dict(self._pairs[1])

    def keep_only(self, pairs: set[tuple[int, int]]) -> None:
        """Cut the obligations both ways between every pair (a < b) not in ``pairs``."""
        kept = {}
        for (a, b), kind in self.pairs().items():
            if (a, b) in pairs:
                kept[a, b] = kind
            else:
                self._weight[a, b] = self._weight[b, a] = 0.0
        self.version += 1
        self._pairs = (self.version, kept)

    def set_founders(self, founders: list[int]) -> None:
        """The founding members are ``founders``, all of them active (formation)."""
        self.founders = list(founders)
        self._active[:] = False
        self._active[self.founders] = True
        fresh = self._pairs[0] == self.version
        self.version += 1
        if fresh:
            self._pairs = (self.version, self._pairs[1])

    def record_ties(self, step: int) -> None:
        """Open a :class:`Tie` record for every pair bound now (called once the structure formed)."""
        for (a, b), kind in self.pairs().items():
            if (a, b) not in self._open:
                tie = Tie(a, b, kind, step)
                self.ties.append(tie)
                self._open[(a, b)] = tie

    def open_ties(self) -> list[Tie]:
        """The ties that still last."""
        return list(self._open.values())

    def _close(self, key: tuple[int, int], step: int) -> None:
        tie = self._open.pop(key, None)
        if tie is not None:
            tie.end = step

    def end_tie(self, a: int, b: int, step: int) -> None:
        """The tie between a and b ends: the obligations both ways are cut. A founder left with no
        tie is no longer an active member."""
        self.version += 1
        self._weight[a, b] = self._weight[b, a] = 0.0
        self._close((min(a, b), max(a, b)), step)
        for i in (a, b):
            if not self._weight[i].any() and not self._weight[:, i].any():
                self._active[i] = False

    def remove(self, i: int, step: int | None = None) -> None:
        """State i leaves: its obligations both ways are cut (and its ties end at ``step``)."""
        self.version += 1
        self._active[i] = False
        self._weight[i, :] = 0.0
        self._weight[:, i] = 0.0
        if step is not None:
            for key in [k for k in self._open if i in k]:
                self._close(key, step)

    def adopt(self, other: ObligationGraph, step: int) -> int:
        """Take the obligations of ``other`` (the configuration a review settled on): the ties that
        start are recorded as starting at ``step``, those that end as ending there; a state is
        active while some obligation binds it or binds another to it. Returns how many ties
        ended."""
        self.version += 1
        self._weight[:] = other.weight
        self._conditional[:] = other.conditional
        self._kind[:] = other.kind
        now = self.pairs()
        ended = [key for key in self._open if key not in now]
        for key in ended:
            self._close(key, step)
        for key, kind in now.items():
            if key not in self._open:
                tie = Tie(key[0], key[1], kind, step)
                self.ties.append(tie)
                self._open[key] = tie
        self._active[:] = self._weight.any(axis=1) | self._weight.any(axis=0)
        return len(ended)

    def bound(self) -> np.ndarray:
        """``[state]``: whether some obligation binds it or binds another to it now."""
        return self._weight.any(axis=1) | self._weight.any(axis=0)

    def active_members(self) -> int:
        return int(self._active[self.founders].sum())

    def empty(self) -> bool:
        return not self._weight.any()

    def dissolve(self, step: int | None = None) -> None:
        """Every obligation ends; the structure no longer exists."""
        self.version += 1
        self.dissolved = True
        self._weight[:, :] = 0.0
        if step is not None:
            for key in list(self._open):
                self._close(key, step)


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _strength(structure: Structure, obligation_mode: str, conditional_strength: float
              ) -> tuple[float, bool]:
    """(weight, conditional) of the structure's main obligations under ``obligation_mode``."""
    mode = structure.default_mode if obligation_mode == "default" else obligation_mode
    return (1.0, False) if mode == "automatic" else (conditional_strength, True)


def _build_none(scenario: Scenario, index: dict[str, int], members: list[int], protected: list[int],
                strength: tuple[float, bool], minilateral_strength: float) -> ObligationGraph:
    return ObligationGraph(len(index), [])


def _build_hub_and_spoke(scenario: Scenario, index: dict[str, int], members: list[int],
                         protected: list[int], strength: tuple[float, bool],
                         minilateral_strength: float) -> ObligationGraph:
    graph = ObligationGraph(len(index), members)
    hub = index[scenario.hub]
    for j in protected:
        graph.bind(hub, j, *strength, EdgeKind.BILATERAL)
    return graph


def _build_lattice(scenario: Scenario, index: dict[str, int], members: list[int],
                   protected: list[int], strength: tuple[float, bool],
                   minilateral_strength: float) -> ObligationGraph:
    graph = _build_hub_and_spoke(scenario, index, members, protected, strength, minilateral_strength)
    for a, b in scenario.minilateral:
        graph.bind(index[a], index[b], minilateral_strength, True, EdgeKind.MINILATERAL)
        graph.bind(index[b], index[a], minilateral_strength, True, EdgeKind.MINILATERAL)
    return graph


def _build_collective(scenario: Scenario, index: dict[str, int], members: list[int],
                      protected: list[int], strength: tuple[float, bool],
                      minilateral_strength: float) -> ObligationGraph:
    graph = ObligationGraph(len(index), members)
    for i in members:
        for j in protected:
            graph.bind(i, j, *strength, EdgeKind.COLLECTIVE)
    return graph


@dataclass(frozen=True)
class Structure:
    """One alliance structure, declared once; everything else (parameters, experiments, sensitivity
    outcomes, figures, the browser view, the command line) reads :data:`STRUCTURES`.

    Attributes:
        name: identifier (the ``structure`` parameter's value, a column value in results).
        label: words for figures and tables.
        colour: its colour in every figure and in the browser view.
        needs_hub: whether it can only be built for a scenario that names a hub.
        default_mode: the strength ``obligation_mode = "default"`` gives it (``conditional`` or
            ``automatic``).
        edge_kinds: the kinds of obligation it creates.
        builder: ``(scenario, index, members, protected, (weight, conditional),
            minilateral_strength) -> ObligationGraph``.
        description: who is bound to whom, in words (docs/ODD.md).
        deepens: whether its minilateral ties deepen, and partners' red lines converge, with each
            joint action (``deepening_rate``, ``convergence_rate``).
    """

    name: str
    label: str
    colour: str
    needs_hub: bool
    default_mode: str
    edge_kinds: tuple[EdgeKind, ...]
    builder: Callable[..., ObligationGraph] = field(repr=False)
    description: str
    deepens: bool = False


STRUCTURES: dict[str, Structure] = {s.name: s for s in (
    Structure("none", "none (self-help)", "#7f7f7f", False, "conditional", (), _build_none,
              "nobody is bound (self-help baseline)"),
    Structure("hub_and_spoke", "hub-and-spoke", "#1f77b4", True, "conditional",
              (EdgeKind.BILATERAL,), _build_hub_and_spoke,
              "the hub to each spoke (and to protocol states); spokes owe each other nothing"),
    Structure("lattice", "lattice", "#2ca02c", True, "conditional",
              (EdgeKind.BILATERAL, EdgeKind.MINILATERAL), _build_lattice,
              "hub-and-spoke plus the scenario's minilateral pairs, both ways, at "
              "minilateral_strength, conditional"),
    Structure("deepening_lattice", "deepening lattice", "#9467bd", True, "conditional",
              (EdgeKind.BILATERAL, EdgeKind.MINILATERAL), _build_lattice,
              "a lattice whose minilateral ties deepen with each joint action, and whose partners' "
              "stakes and red lines converge as they act together", deepens=True),
    Structure("collective", "collective", "#d62728", False, "automatic", (EdgeKind.COLLECTIVE,),
              _build_collective,
              "every member to every other member (and to protocol states)"),
)}
"""Every structure, in the order figures and tables show them."""
NAMES: tuple[str, ...] = tuple(STRUCTURES)
"""The structures' names, in declaration order (the ``structure`` parameter's choices)."""
COMPARED: tuple[str, str] = ("hub_and_spoke", "collective")
"""The pair of structures the project's question compares: the US-centred hub-and-spoke alliance
and the NATO-style collective pact. Every headline difference is ``COMPARED[1] − COMPARED[0]``,
collective − hub-and-spoke, paired on seeds; hub-and-spoke is the baseline of paired differences.
Everything that defaults to the compared pair reads it here."""


def get(name: str) -> Structure:
    """The declared structure ``name``; ``ValueError`` naming the known ones otherwise."""
    try:
        return STRUCTURES[name]
    except KeyError:
        raise ValueError(f"unknown structure '{name}'; choose from {', '.join(NAMES)}") from None


def check_hub(scenario: Scenario, name: str) -> None:
    """Raise ``ValueError`` if structure ``name`` needs a hub and the scenario names none."""
    if get(name).needs_hub and scenario.hub is None:
        raise ValueError(
            f"scenario '{scenario.name}': structure '{name}' needs a hub, and the scenario names none"
        )


def build(
    scenario: Scenario,
    structure: str,
    obligation_mode: str,
    conditional_strength: float,
    minilateral_strength: float,
) -> ObligationGraph:
    """The obligation graph of ``structure`` over the scenario's members (see :data:`STRUCTURES`).

    Protocol states are defended by the hub (hub-and-spoke, lattice) or by every member
    (collective) and owe nothing. ``obligation_mode`` sets the strength: ``conditional`` =
    ``conditional_strength`` and void on provocation, ``automatic`` = 1 and unconditional,
    ``default`` = the structure's :attr:`Structure.default_mode`. The hub owns no flashpoint, so
    what spokes owe it is never invoked and is left out.
    """
    declared = get(structure)
    check_hub(scenario, structure)

    def designed() -> ObligationGraph:
        names = scenario.state_names()
        index = {name: k for k, name in enumerate(names)}
        members = [index[m] for m in scenario.members]
        protected = members + [index[p] for p in scenario.protocol_states]
        return declared.builder(scenario, index, members, protected,
                                _strength(declared, obligation_mode, conditional_strength),
                                minilateral_strength)

    key = (structure, obligation_mode, conditional_strength, minilateral_strength)
    return design_cache.remember(scenario, "structure", key, designed).copy()
