"""The obligation graph: who is bound to defend whom, how strongly, and on what condition.

``weight[i, j]`` in [0, 1] is how strongly state i is bound to defend state j (1 = automatic,
Article-5-like; 0.5 = "in accordance with constitutional processes"; 0 = none). ``conditional[i, j]``
says whether the support is void when j provoked the crisis (Cha 2009/10: the bilateral design let
Washington restrain its allies). ``kind[i, j]`` labels each edge bilateral, minilateral or collective
for the observations. Topology (the ``structure``) and strength (the ``obligation_mode``) are set
apart, so experiments can tell who is bound from how tightly (docs/ODD.md, Entities).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .scenario import Scenario


class EdgeKind(IntEnum):
    """Kind of an obligation, for counting commitments apart."""

    NONE = 0
    BILATERAL = 1
    MINILATERAL = 2
    COLLECTIVE = 3


class ObligationGraph:
    """A weighted directed graph of defence obligations among the scenario's states.

    Attributes:
        weight: (n, n) float array, ``weight[i, j]`` = strength of i's obligation to defend j.
        conditional: (n, n) bool array, support void if the protege provoked.
        kind: (n, n) int array of :class:`EdgeKind`.
        founders: indices of the founding members.
        active: (n,) bool array, True while a founder is still in the structure.
    """

    def __init__(self, n: int, founders: list[int]):
        self.weight = np.zeros((n, n))
        self.conditional = np.zeros((n, n), dtype=bool)
        self.kind = np.zeros((n, n), dtype=np.int8)
        self.founders = list(founders)
        self.active = np.zeros(n, dtype=bool)
        self.active[founders] = True
        self.dissolved = False

    def bind(self, i: int, j: int, weight: float, conditional: bool, kind: EdgeKind) -> None:
        """Oblige i to defend j (keeps the stronger of an existing and the new obligation)."""
        if i == j or weight <= 0.0 or weight <= self.weight[i, j]:
            return
        self.weight[i, j] = weight
        self.conditional[i, j] = conditional
        self.kind[i, j] = kind

    def obligees(self, j: int) -> np.ndarray:
        """Indices of the states bound to defend j."""
        return np.flatnonzero(self.weight[:, j])

    def commitments(self, i: int) -> int:
        """Number of states i is bound to defend."""
        return int(np.count_nonzero(self.weight[i]))

    def edges(self) -> list[tuple[int, int, float, EdgeKind, bool]]:
        """Every obligation as (i, j, weight, kind, conditional)."""
        rows, cols = np.nonzero(self.weight)
        return [
            (int(i), int(j), float(self.weight[i, j]), EdgeKind(self.kind[i, j]),
             bool(self.conditional[i, j]))
            for i, j in zip(rows, cols, strict=True)
        ]

    def remove(self, i: int) -> None:
        """State i leaves: its obligations both ways are cut."""
        self.active[i] = False
        self.weight[i, :] = 0.0
        self.weight[:, i] = 0.0

    def active_members(self) -> int:
        return int(self.active[self.founders].sum())

    def empty(self) -> bool:
        return not self.weight.any()

    def dissolve(self) -> None:
        """Every obligation ends; the structure no longer exists."""
        self.dissolved = True
        self.weight[:, :] = 0.0


def build(
    scenario: Scenario,
    structure: str,
    obligation_mode: str,
    conditional_strength: float,
    minilateral_strength: float,
) -> ObligationGraph:
    """The obligation graph of ``structure`` over the scenario's members.

    * ``none``: no obligations (self-help baseline).
    * ``hub_and_spoke``: the hub is bound to each spoke; spokes owe each other nothing (the hub owns
      no flashpoint, so what spokes owe it is never invoked and is left out).
    * ``lattice``: hub-and-spoke plus the scenario's minilateral links among spokes, both ways, at
      ``minilateral_strength``, always conditional.
    * ``collective``: every member bound to every other (an attack on one is an attack on all).

    Protocol states are defended by the hub (hub-and-spoke, lattice) or by every member
    (collective) and owe nothing. ``obligation_mode`` sets the strength: ``conditional`` =
    ``conditional_strength`` and void on provocation, ``automatic`` = 1 and unconditional,
    ``default`` = conditional for hub-and-spoke and lattice, automatic for collective.
    """
    names = scenario.state_names()
    index = {name: k for k, name in enumerate(names)}
    members = [index[m] for m in scenario.members]
    graph = ObligationGraph(len(names), members if structure != "none" else [])
    if structure == "none":
        return graph
    mode = obligation_mode
    if mode == "default":
        mode = "automatic" if structure == "collective" else "conditional"
    strength, conditional = (1.0, False) if mode == "automatic" else (conditional_strength, True)
    protected = members + [index[p] for p in scenario.protocol_states]

    if structure == "collective":
        for i in members:
            for j in protected:
                graph.bind(i, j, strength, conditional, EdgeKind.COLLECTIVE)
        return graph

    if scenario.hub is None:
        raise ValueError(
            f"scenario '{scenario.name}': structure '{structure}' needs a hub, and the scenario "
            "names none"
        )
    hub = index[scenario.hub]
    for j in protected:
        graph.bind(hub, j, strength, conditional, EdgeKind.BILATERAL)
    if structure == "lattice":
        for a, b in scenario.minilateral:
            graph.bind(index[a], index[b], minilateral_strength, True, EdgeKind.MINILATERAL)
            graph.bind(index[b], index[a], minilateral_strength, True, EdgeKind.MINILATERAL)
    return graph
