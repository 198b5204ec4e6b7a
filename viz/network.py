"""The alliance network as data: states, challengers and flashpoints on the map, obligations, crises.

:func:`network` turns a model's current step into plain data: one :class:`Node` per state,
challenger and flashpoint, one :class:`Edge` per obligation, and the crisis lines of this step. The
browser draws that data (:mod:`viz.drawing`); the page keeps one :class:`Network` per step, so a
past step is shown from its record, never by rerunning the model.

What the data encodes (the mechanism, not just a counter):

* a state's power, its hedging (Morrow 1991: the value of autonomy), whether it is the hub, a
  member, a member that left (Leeds & Savun 2007), a prospective member that did not join
  (formation, :mod:`viz.alliance`) or no member;
* the peacetime pressure on each member this step: the grievance its autonomy cost and the
  challenger's wedge added (``State.autonomy_pressure``, ``State.wedge_pressure``), and which
  member each challenger's wedge aims at (Crawford 2011);
* an obligation ``i -> j`` (i is bound to defend j): its strength, its kind (bilateral, minilateral,
  collective) and whether it is conditional; a tie that ended, and when and why;
* a collective pact as one :class:`Pact`: its members (every one bound to defend every other) and
  the protocol states it protects, so that the map draws it as one shape, not as every pairwise
  arrow;
* the reviews of membership (:mod:`viz.reviews`): each state's verdict and value at the first
  review and at the latest;
* the crises of the step: the challenger and the flashpoint, the target, who fought, who passed the
  buck (obliged, stayed out while others fought: ``Crisis.buck_passers``) and who was obliged but
  stayed out while only the target fought; a challenge that was deterred.

Every node and edge carries ``notes``: lines of words shown when the pointer rests on it. They are
the place for more per-state and per-tie information: a function that knows more about a state
extends :func:`state_notes` (or :func:`edge_notes`) and the page shows it with no other change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from model import peacetime
from model.structure import EdgeKind
from model.structure import get as get_structure

from .alliance import TERMS, formation_of
from .map_positions import spread
from .reviews import TERMS as VALUE_TERMS
from .reviews import latest

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.crisis import Crisis

KIND_NAMES = {EdgeKind.BILATERAL: "bilateral", EdgeKind.MINILATERAL: "minilateral",
              EdgeKind.COLLECTIVE: "collective"}
ROLES = ("challenger", "target", "fought", "passed the buck", "stayed out")
"""Crisis roles, in the order a node lists them. ``passed the buck``: obliged, it stayed out while
another defender than the target fought; ``stayed out``: obliged, it stayed out while only the
target fought (or nobody did)."""


@dataclass(frozen=True)
class Node:
    """One thing on the map.

    Attributes:
        id: ``state:NAME``, ``challenger:NAME`` or ``flashpoint:ID``.
        kind: ``state``, ``challenger`` or ``flashpoint``.
        label: its name.
        x, y: position (degrees of longitude and latitude, eased apart where crowded).
        power: states and challengers: power in scenario units (``None`` for flashpoints).
        status: states: ``hub``, ``member``, ``exited``, ``not joined`` (a prospective member
            outside the structure) or ``other``; challengers ``challenger``; flashpoints
            ``quiet``, ``aggression`` or ``deterred`` this step.
        hedging: the state's hedging (``None`` for challengers and flashpoints).
        roles: this step's crisis roles (:data:`ROLES`).
        notes: lines of words about it at this step.
        autonomy, wedge: states: the grievance this step's peacetime autonomy cost and the
            challenger's wedge added (the model's ``autonomy_pressure`` and ``wedge_pressure``;
            0 once the structure is gone).
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
    autonomy: float = 0.0
    wedge: float = 0.0

    @property
    def pressure(self) -> float:
        return self.autonomy + self.wedge


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
    pact: str = ""
    """The id of the :class:`Pact` it belongs to (drawn as the pact, not as an arrow), or ``""``."""

    @property
    def id(self) -> str:
        return f"obligation:{self.source}->{self.target}"


@dataclass(frozen=True)
class Pact:
    """A collective pact: ``members`` (state node ids) each bound to defend every other, and to defend
    ``protected`` (its protocol states, which owe nothing).

    Attributes:
        id: ``pact:K`` (K-th pact of the step, by its first member).
        weight: its obligations' strength (the strongest, if they differ).
        conditional: whether they are void when the protégé provoked.
        notes: lines of words about it.
    """

    id: str
    members: tuple[str, ...]
    protected: tuple[str, ...]
    weight: float
    conditional: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndedTie:
    """A tie that has ended: ``a`` and ``b`` (state node ids) are no longer bound either way.

    Attributes:
        start, end: the steps it started and ended (the latest time, if it formed and ended more
            than once).
        notes: lines of words about it (when and why it ended).
        kind: ``bilateral``, ``minilateral`` or ``collective`` (a pact's: the map shows the member
            that left, not each of its ties).
    """

    a: str
    b: str
    start: int
    end: int
    notes: tuple[str, ...] = ()
    kind: str = "bilateral"

    @property
    def id(self) -> str:
        return f"ended:{self.a}--{self.b}"


@dataclass(frozen=True)
class Link:
    """A line of this step: ``source`` to the flashpoint ``target`` in a crisis ``role``
    (``challenger``, ``fought``, ``passed the buck`` or ``stayed out``), or a challenger's
    ``wedge`` aimed at the state ``target``."""

    source: str
    target: str
    role: str

    @property
    def id(self) -> str:
        return f"crisis:{self.role}:{self.source}->{self.target}"


@dataclass
class Network:
    """One step of one run: the nodes, the obligations, the collective pacts, the ties that ended,
    the crisis lines and the challengers' wedges.

    ``pressure_scale`` is the peacetime pressure (grievance per step) that would on its own hold a
    member's grievance at the exit threshold: ``exit_threshold × (1 − grievance_decay)``; the map
    draws each member's pressure against it.
    """

    title: str
    step: int
    nodes: list[Node]
    edges: list[Edge]
    crises: list[Crisis] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ended: list[EndedTie] = field(default_factory=list)
    wedges: list[Link] = field(default_factory=list)
    pressure_scale: float = 1.0
    pacts: list[Pact] = field(default_factory=list)

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
    """:func:`viz.map_positions.spread`, once per set of places (it does not change between steps)."""
    return tuple((float(x), float(y)) for x, y in spread(points))


def structure_title(model: DeterrenceModel) -> str:
    """``hub-and-spoke · step 12 · members 5/6 · ties 4`` (the structure's label; the prospective
    members bound, of all of them; the ties standing; ``· not formed`` while fewer than the quorum
    of them are bound and it never formed, ``· below quorum`` once it had, ``· dissolved``)."""
    graph = model.graph
    parts = [get_structure(model.params["structure"]).label, f"step {model.steps}"]
    if graph.founders:
        parts.append(f"members {int(graph.active[graph.founders].sum())}/{len(graph.founders)}")
        parts.append(f"ties {len(graph.open_ties())}")
    membership = getattr(model, "membership", None)
    if graph.dissolved:
        parts.append("dissolved")
    elif model.prospective and membership is not None and (
            membership.coverage * membership.prospective < membership.needed - 1e-9):
        parts.append("not formed" if membership.formed_at is None else "below quorum")
    elif model.prospective and not graph.founders and not model.formed:
        parts.append("not formed")
    return " · ".join(parts)


def state_status(model: DeterrenceModel, index: int) -> str:
    """``hub``, ``member``, ``exited`` (a prospective member that was bound and is no longer: it left
    or its ties ended), ``not joined`` (a prospective member never bound so far: it declined, its
    partners declined, it was not admitted, or the pact did not form) or ``other``."""
    graph = model.graph
    if index in graph.founders and graph.active[index]:
        return "hub" if model.states[index].is_hub else "member"
    if index not in graph.founders and index not in model.prospective:
        return "other"
    if any(index in (tie.a, tie.b) for tie in graph.ties):
        return "exited"
    return "not joined"


STATUS_WORDS = {"hub": "hub of the structure", "member": "member", "exited": "left the structure",
                "not joined": "prospective member, outside the structure", "other": "not a member"}


def pressure_scale(model: DeterrenceModel) -> float:
    """The pressure per step that alone would hold grievance at the exit threshold."""
    p = model.params
    return p["exit_threshold"] * max(1.0 - p["grievance_decay"], 1e-3)


def pressures(model: DeterrenceModel) -> tuple[list[float], list[float]]:
    """Each state's autonomy and wedge pressure this step: the model's numbers, 0 when no
    peacetime cost applied (no structure, or it dissolved)."""
    graph = model.graph
    if graph.dissolved or not graph.founders or model.steps == 0:
        return [0.0] * len(model.states), [0.0] * len(model.states)
    return ([float(s.autonomy_pressure) for s in model.states],
            [float(s.wedge_pressure) for s in model.states])


def state_notes(model: DeterrenceModel, index: int, roles: tuple[str, ...],
                autonomy: float = 0.0, wedge: float = 0.0,
                wedged_by: tuple[str, ...] = (), protected: bool = False) -> tuple[str, ...]:
    """What the page says about a state when the pointer rests on it: status, power, hedging,
    grievance, this step's peacetime pressure, its crisis roles, its formation decisions and its
    verdict at the latest review (``protected``: a collective pact protects it, as a protocol
    state)."""
    state = model.states[index]
    threshold = model.params["exit_threshold"]
    status = STATUS_WORDS[state_status(model, index)]
    if protected:
        status += "; protected by the collective pact (a protocol state: it owes nothing)"
    lines = [f"{state.name}: {status}",
             f"power {state.power:.1f} · hedging {state.hedging:.2f}",
             f"grievance {state.grievance:.2f} (members leave above {threshold:g})"]
    if autonomy or wedge:
        decay = model.params["grievance_decay"]
        steady = (autonomy + wedge) / max(1.0 - decay, 1e-3)
        lines.append(f"peacetime pressure this step: autonomy {autonomy:.4f} + wedge {wedge:.4f} "
                     "(grievance added)")
        if wedge_by := ", ".join(wedged_by):
            lines.append(f"the wedge: {wedge_by} aims coercion or inducement at it")
        lines.append(f"(alone, it would hold grievance at {steady:.2f}: "
                     f"{steady / threshold:.0%} of the exit threshold)")
    if roles:
        lines.append("this step: " + ", ".join(roles))
    formed = formation_of(model)
    decisions = formed.by_state.get(state.name, ())
    if decisions:
        terms = VALUE_TERMS if formed.negotiated else TERMS
        lines.append(f"at formation (the first review), {terms}:" if formed.negotiated
                     else f"at formation, {terms}:")
        lines.extend(decisions)
    text = latest(model)
    if text is not None and not text.first:
        mine = [j.line for j in text.judgements if j.party == state.name]
        if mine:
            lines.append(f"at the latest review (step {text.step}):")
            lines.extend(mine)
    return tuple(lines)


def edge_notes(source: str, target: str, weight: float, kind: str,
               conditional: bool) -> tuple[str, ...]:
    """What the page says about an obligation when the pointer rests on it."""
    terms = "conditional (void if the protégé provoked)" if conditional else "unconditional"
    return (f"{source} is bound to defend {target}", f"{kind}, strength {weight:.2f}, {terms}")


def pacts(model: DeterrenceModel) -> list[Pact]:
    """The collective pacts of this step: the states bound by collective obligations, grouped where
    they defend one another, with the states they protect that owe nothing (protocol states)."""
    names = [s.name for s in model.states]
    collective = [(i, j, w, c) for i, j, w, kind, c in model.graph.edges()
                  if kind == EdgeKind.COLLECTIVE]
    if not collective:
        return []
    members = sorted({i for i, *_ in collective})
    group = {i: i for i in members}

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, j, *_ in collective:
        if j in group:
            group[root(j)] = root(i)
    found = []
    for first in sorted({root(i) for i in members}):
        mine = [i for i in members if root(i) == first]
        edges = [(i, j, w, c) for i, j, w, c in collective if i in mine]
        protected = sorted({j for _, j, _, _ in edges if j not in mine})
        weight = max(w for _, _, w, _ in edges)
        conditional = any(c for *_, c in edges)
        terms = "conditional (void if the protégé provoked)" if conditional else "unconditional"
        notes = (f"collective pact of {len(mine)}: {', '.join(names[i] for i in mine)}",
                 f"each bound to defend every other: strength {weight:.2f}, {terms}")
        if protected:
            notes += (f"and to defend {', '.join(names[j] for j in protected)} (protocol states: "
                      "they owe nothing)",)
        found.append(Pact(f"pact:{len(found)}", tuple(f"state:{names[i]}" for i in mine),
                          tuple(f"state:{names[j]}" for j in protected), weight, conditional,
                          notes))
    return found


def _crisis_roles(model: DeterrenceModel) -> tuple[dict[str, list[str]], dict[str, str], list[Link]]:
    """Roles of each node, status of each flashpoint and the crisis lines of this step: its crises,
    and the wars still under way at its end (each defender in the field drawn as fighting)."""
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
        role = "passed the buck" if crisis.buck_passers else "stayed out"
        for name in crisis.stayed_out:
            roles.setdefault(f"state:{name}", []).append(role)
            links.append(Link(f"state:{name}", fp_id, role))
    drawn = set(links)
    for war in model.wars:
        fp = war.aggression.flashpoint
        fp_id = f"flashpoint:{fp.id}"
        status[fp_id] = "aggression"
        lines = [Link(f"challenger:{fp.challenger.name}", fp_id, "challenger")]
        roles.setdefault(f"challenger:{fp.challenger.name}", []).append("challenger")
        roles.setdefault(f"state:{fp.target.name}", []).append("target")
        for i in war.fighting:
            name = model.states[i].name
            roles.setdefault(f"state:{name}", []).append("fought")
            if i != fp.target.index:
                lines.append(Link(f"state:{name}", fp_id, "fought"))
        links += [line for line in lines if line not in drawn]
    return {node: list(dict.fromkeys(found)) for node, found in roles.items()}, status, links


def wedges(model: DeterrenceModel, wedge: list[float]) -> list[Link]:
    """Each challenger's wedge this step: a line to the member it aims at (docs/ODD.md, submodel
    6: the member facing it with the greatest hedging × alignment), drawn only where the model
    recorded wedge pressure this step (``wedge``)."""
    graph = model.graph
    if not any(wedge):
        return []
    states = model.states
    alignment = np.maximum(graph.weight.max(axis=1), graph.weight.max(axis=0)).tolist()
    found = []
    for challenger in model.challengers:
        facing = peacetime.facing(model, challenger)
        if not facing:
            continue
        target = max(facing, key=lambda i: states[i].hedging * alignment[i])
        if wedge[target] > 0.0:
            found.append(Link(f"challenger:{challenger.name}", f"state:{states[target].name}",
                              "wedge"))
    return found


def ended_ties(model: DeterrenceModel) -> list[EndedTie]:
    """The ties that have ended and stand no more, with when and why (the model's alliance events):
    one per pair of states, its latest ending (a tie that formed again is an arrow, not an ended
    tie)."""
    standing = {(tie.a, tie.b) for tie in model.graph.open_ties()}
    latest = {}
    for tie in model.graph.ties:
        if tie.end is not None and (tie.a, tie.b) not in standing:
            latest[(tie.a, tie.b)] = tie  # the ties are recorded in the order they formed
    ended = sorted(latest.values(), key=lambda tie: (tie.end, tie.a, tie.b))
    if not ended:
        return []
    names = [s.name for s in model.states]
    why: dict[tuple[str, ...], str] = {}
    for event in model.events:
        if event.kind == "tie ended":
            why[(event.step, *sorted(event.states))] = event.detail
        elif event.kind == "left":
            why[(event.step, event.states[0])] = f"{event.states[0]} left the structure ({event.detail})"
        elif event.kind == "dissolved":
            why[(event.step,)] = f"the structure dissolved ({event.detail})"
    out = []
    for tie in ended:
        a, b = names[tie.a], names[tie.b]
        reason = (why.get((tie.end, *sorted((a, b)))) or why.get((tie.end, a))
                  or why.get((tie.end, b)) or why.get((tie.end,)) or "")
        notes = (f"tie {a} – {b} ended at step {tie.end} (it started at step {tie.start})",)
        out.append(EndedTie(f"state:{a}", f"state:{b}", tie.start, tie.end,
                            notes + ((reason,) if reason else ()), KIND_NAMES[tie.kind]))
    return out


def network(model: DeterrenceModel) -> Network:
    """The model's current step as data (see the module docstring)."""
    where = positions(model)
    roles, flashpoint_status, links = _crisis_roles(model)

    def ordered(node_id: str) -> tuple[str, ...]:
        found = roles.get(node_id, [])
        return tuple(r for r in ROLES if r in found)

    found = pacts(model)
    protected = {node for pact in found for node in pact.protected}
    autonomy, wedge = pressures(model)
    aimed = wedges(model, wedge)
    wedged_by: dict[str, list[str]] = {}
    for link in aimed:
        wedged_by.setdefault(link.target, []).append(link.source.split(":", 1)[1])
    nodes: list[Node] = []
    for s in model.states:
        node_id = f"state:{s.name}"
        mine = ordered(node_id)
        nodes.append(Node(node_id, "state", s.name, *where[node_id], float(s.power),
                          state_status(model, s.index), hedging=float(s.hedging), roles=mine,
                          notes=state_notes(model, s.index, mine, autonomy[s.index],
                                            wedge[s.index], tuple(wedged_by.get(node_id, ())),
                                            node_id in protected),
                          autonomy=autonomy[s.index], wedge=wedge[s.index]))
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
    in_pact = {member: pact.id for pact in found for member in pact.members}
    edges = [
        Edge(f"state:{names[i]}", f"state:{names[j]}", weight, KIND_NAMES[kind], conditional,
             notes=edge_notes(names[i], names[j], weight, KIND_NAMES[kind], conditional),
             pact=in_pact.get(f"state:{names[i]}", "") if kind == EdgeKind.COLLECTIVE else "")
        for i, j, weight, kind, conditional in model.graph.edges()
    ]
    return Network(structure_title(model), model.steps, nodes, edges, list(model.crises), links,
                   ended_ties(model), aimed, pressure_scale(model), found)
