"""The alliance network as data: states, challengers and flashpoints on the map, obligations, crises.

:func:`network` turns a model's current step into plain data: one :class:`Node` per state,
challenger and flashpoint, one :class:`Edge` per obligation, and the crisis lines of this step. The
browser draws that data (:mod:`viz.drawing`); the page keeps one :class:`Network` per step, so a
past step is shown from its record, never by rerunning the model.

What the data encodes (the mechanism, not just a counter):

* a state's power, its hedging (Morrow 1991: the value of autonomy), whether it is the hub, a
  member, a member that left (Leeds & Savun 2007) or no member;
* an obligation ``i -> j`` (i is bound to defend j): its strength, its kind (bilateral, minilateral,
  collective) and whether it is conditional;
* the crises of the step: the challenger and the flashpoint, the target, who fought and who was
  obliged but stayed out; a challenge that was deterred.

Every node and edge carries ``notes``: lines of words shown when the pointer rests on it. They are
the place for more per-state and per-tie information: a function that knows more about a state
extends :func:`state_notes` (or :func:`edge_notes`) and the page shows it with no other change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from model.structure import EdgeKind

from .layout import spread

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.crisis import Crisis

KIND_NAMES = {EdgeKind.BILATERAL: "bilateral", EdgeKind.MINILATERAL: "minilateral",
              EdgeKind.COLLECTIVE: "collective"}
ROLES = ("challenger", "target", "fought", "stayed out")
"""Crisis roles, in the order a node lists them."""


@dataclass(frozen=True)
class Node:
    """One thing on the map.

    Attributes:
        id: ``state:NAME``, ``challenger:NAME`` or ``flashpoint:ID``.
        kind: ``state``, ``challenger`` or ``flashpoint``.
        label: its name.
        x, y: position (degrees of longitude and latitude, eased apart where crowded).
        power: states and challengers: power in scenario units (``None`` for flashpoints).
        status: states: ``hub``, ``member``, ``exited`` or ``other``; challengers ``challenger``;
            flashpoints ``quiet``, ``aggression`` or ``deterred`` this step.
        hedging: the state's hedging (``None`` for challengers and flashpoints).
        roles: this step's crisis roles (:data:`ROLES`).
        notes: lines of words about it at this step.
    """

    id: str
    kind: str
    label: str
    x: float
    y: float
    power: float | None
    status: str
    hedging: float | None = None
    roles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    """One obligation: ``source`` is bound to defend ``target`` (node ids).

    Attributes:
        weight: strength in (0, 1] (1 = automatic, Article-5-like).
        kind: ``bilateral``, ``minilateral`` or ``collective``.
        conditional: void when the protégé provoked.
        notes: lines of words about the tie.
    """

    source: str
    target: str
    weight: float
    kind: str
    conditional: bool
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"obligation:{self.source}->{self.target}"


@dataclass(frozen=True)
class Link:
    """A line of this step's crises: ``source`` to the flashpoint ``target`` in ``role``
    (``challenger``, ``fought`` or ``stayed out``)."""

    source: str
    target: str
    role: str

    @property
    def id(self) -> str:
        return f"crisis:{self.role}:{self.source}->{self.target}"


@dataclass
class Network:
    """One step of one run: the nodes, the obligations and the crisis lines."""

    title: str
    step: int
    nodes: list[Node]
    edges: list[Edge]
    crises: list[Crisis] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def node_ids(model: DeterrenceModel) -> list[str]:
    """Ids of every state, challenger and flashpoint, in the model's order."""
    return ([f"state:{s.name}" for s in model.states]
            + [f"challenger:{c.name}" for c in model.challengers]
            + [f"flashpoint:{f.id}" for f in model.flashpoints])


def positions(model: DeterrenceModel) -> dict[str, tuple[float, float]]:
    """Stable map positions of every state, challenger and flashpoint, keyed by node id."""
    points = tuple(tuple(map(float, place.location))
                   for place in (*model.states, *model.challengers, *model.flashpoints))
    return dict(zip(node_ids(model), _spread(points), strict=True))


@lru_cache(maxsize=64)
def _spread(points: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    """:func:`viz.layout.spread`, once per set of places (it does not change between steps)."""
    return tuple((float(x), float(y)) for x, y in spread(points))


def structure_title(model: DeterrenceModel) -> str:
    """``hub_and_spoke · step 12 · members 5/6`` (``· dissolved`` once it has)."""
    graph = model.graph
    parts = [str(model.params["structure"]), f"step {model.steps}"]
    if graph.founders:
        parts.append(f"members {int(graph.active[graph.founders].sum())}/{len(graph.founders)}")
    if graph.dissolved:
        parts.append("dissolved")
    return " · ".join(parts)


def state_status(model: DeterrenceModel, index: int) -> str:
    """``hub``, ``member``, ``exited`` (a founder no longer active) or ``other``."""
    graph = model.graph
    if index not in graph.founders:
        return "other"
    if not graph.active[index]:
        return "exited"
    return "hub" if model.states[index].is_hub else "member"


STATUS_WORDS = {"hub": "hub of the structure", "member": "member", "exited": "left the structure",
                "other": "not a member"}


def state_notes(model: DeterrenceModel, index: int, roles: tuple[str, ...]) -> tuple[str, ...]:
    """What the page says about a state when the pointer rests on it."""
    state = model.states[index]
    lines = [f"{state.name}: {STATUS_WORDS[state_status(model, index)]}",
             f"power {state.power:.1f} · hedging {state.hedging:.2f}",
             f"grievance {state.grievance:.2f} (members leave above "
             f"{model.params['exit_threshold']:g})"]
    if roles:
        lines.append("this step: " + ", ".join(roles))
    return tuple(lines)


def edge_notes(source: str, target: str, weight: float, kind: str,
               conditional: bool) -> tuple[str, ...]:
    """What the page says about an obligation when the pointer rests on it."""
    terms = "conditional (void if the protégé provoked)" if conditional else "unconditional"
    return (f"{source} is bound to defend {target}", f"{kind}, strength {weight:.2f}, {terms}")


def _crisis_roles(model: DeterrenceModel) -> tuple[dict[str, list[str]], dict[str, str], list[Link]]:
    """Roles of each node, status of each flashpoint and the crisis lines of this step."""
    roles: dict[str, list[str]] = {}
    status: dict[str, str] = {}
    links: list[Link] = []
    by_name = {f.name: f for f in model.flashpoints}
    for crisis in model.crises:
        fp = by_name.get(crisis.flashpoint)
        if fp is None:
            continue
        fp_id = f"flashpoint:{fp.id}"
        if crisis.severity is None:
            status.setdefault(fp_id, "deterred")
            continue
        status[fp_id] = "aggression"
        links.append(Link(f"challenger:{crisis.challenger}", fp_id, "challenger"))
        roles.setdefault(f"challenger:{crisis.challenger}", []).append("challenger")
        roles.setdefault(f"state:{crisis.target}", []).append("target")
        for name in crisis.fought:
            roles.setdefault(f"state:{name}", []).append("fought")
            if name != crisis.target:
                links.append(Link(f"state:{name}", fp_id, "fought"))
        for name in crisis.stayed_out:
            roles.setdefault(f"state:{name}", []).append("stayed out")
            links.append(Link(f"state:{name}", fp_id, "stayed out"))
    return roles, status, links


def network(model: DeterrenceModel) -> Network:
    """The model's current step as data (see the module docstring)."""
    where = positions(model)
    roles, flashpoint_status, links = _crisis_roles(model)

    def ordered(node_id: str) -> tuple[str, ...]:
        found = roles.get(node_id, [])
        return tuple(r for r in ROLES if r in found)

    nodes: list[Node] = []
    for s in model.states:
        node_id = f"state:{s.name}"
        mine = ordered(node_id)
        nodes.append(Node(node_id, "state", s.name, *where[node_id], float(s.power),
                          state_status(model, s.index), hedging=float(s.hedging), roles=mine,
                          notes=state_notes(model, s.index, mine)))
    for c in model.challengers:
        node_id = f"challenger:{c.name}"
        nodes.append(Node(node_id, "challenger", c.name, *where[node_id], float(c.power),
                          "challenger", roles=ordered(node_id),
                          notes=(f"{c.name}: challenger", f"power {c.power:.1f}")))
    for f in model.flashpoints:
        node_id = f"flashpoint:{f.id}"
        status = flashpoint_status.get(node_id, "quiet")
        nodes.append(Node(node_id, "flashpoint", f.name, *where[node_id], None, status,
                          notes=(f"{f.name}: flashpoint", f"target {f.target.name}, contested by "
                                 f"{f.challenger.name}", f"this step: {status}")))

    names = [s.name for s in model.states]
    edges = [
        Edge(f"state:{names[i]}", f"state:{names[j]}", weight, KIND_NAMES[kind], conditional,
             notes=edge_notes(names[i], names[j], weight, KIND_NAMES[kind], conditional))
        for i, j, weight, kind, conditional in model.graph.edges()
    ]
    return Network(structure_title(model), model.steps, nodes, edges, list(model.crises), links)
