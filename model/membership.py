"""Membership between crises: peacetime costs, the challenger's wedge, exits and ties ending
(docs/ODD.md, submodels 4 and 6).

Grievance is kept twice: each state's total (``State.grievance``, which a member of a collective pact
compares with the exit threshold) and, per tie, what each party holds against the other
(``model.tie_grievance[i, j]``, which ends a bilateral treaty or a minilateral link on its own).
Every grievance -- entrapment, abandonment, autonomy, wedge -- is added to both, weighted by the
aggrieved state's hedging, and both fade at ``grievance_decay``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import rules
from .crisis import Event
from .structure import EdgeKind

if TYPE_CHECKING:
    from .agents import State
    from .model import DeterrenceModel


def aggrieve_over(model: DeterrenceModel, state: State, partner: int, amount: float) -> None:
    """Add ``amount`` (times hedging) to ``state``'s grievance, held against ``partner``."""
    state.aggrieve(amount)
    model.tie_grievance[state.index, partner] += state.hedging * amount


def autonomy_loads(model: DeterrenceModel) -> np.ndarray:
    """``load[i, j]``: the autonomy state i gives up, per step, for its tie with j
    (:func:`rules.autonomy_load` of the obligation it owes j below its own red lines and of the
    protection j gives it)."""
    weight = model.graph.weight
    return rules.autonomy_load(weight * model.below, weight.T, model.params["protege_autonomy"])


def _facing(model: DeterrenceModel, challenger) -> list[int]:
    """Active members that face ``challenger``: targets of its flashpoints, or bound to defend one."""
    graph = model.graph
    targets = {fp.target.index for fp in model.flashpoints if fp.challenger is challenger}
    facing = set(targets)
    for j in targets:
        facing.update(int(i) for i in graph.obligees(j))
    return [i for i in sorted(facing) if graph.active[i]]


@dataclass(frozen=True)
class Peace:
    """What one step of peacetime does, as long as the graph and the states' traits stand.

    Attributes:
        grievance: ``(state, partner, amount)`` in the order the amounts are added: each adds
            ``amount`` to the state's grievance and to what it holds against the partner (amount
            already times its hedging).
        autonomy, wedge: each state's ``autonomy_pressure`` and ``wedge_pressure``.
        total: the step's ``peacetime_grievance`` (summed in the same order as the amounts).
        wedge_targets: how many challengers applied their wedge.
        by_holder: the same amounts by who holds them, in order: a state's index for its total
            grievance, ``(state, partner)`` for what it holds against the partner.
    """

    grievance: tuple[tuple[int, int, float], ...]
    autonomy: tuple[float, ...]
    wedge: tuple[float, ...]
    total: float
    wedge_targets: int
    by_holder: dict[int | tuple[int, int], tuple[float, ...]] = field(init=False)

    def __post_init__(self) -> None:
        holders: dict[int | tuple[int, int], list[float]] = {}
        for i, j, amount in self.grievance:
            holders.setdefault(i, []).append(amount)
            holders.setdefault((i, j), []).append(amount)
        object.__setattr__(self, "by_holder", {k: tuple(v) for k, v in holders.items()})


def peace(model: DeterrenceModel) -> Peace | None:
    """One step of peacetime costs and the wedge (``None`` when there is no structure to pay for).

    Autonomy (Morrow 1991): ``autonomy_grievance`` × the autonomy load of each tie. Wedge (Crawford
    2011): each challenger aims coercion or inducement at the member facing it that is most
    susceptible -- the greatest hedging × alignment, where alignment is the strength of its strongest
    tie -- adding ``wedge_pressure`` × alignment, shared over that member's ties by their strength.
    It depends only on the graph, the states' hedging and red lines and the parameters, so the model
    reuses it from step to step while they stand (:func:`peacetime` applies it).
    """
    p = model.params
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return None
    states = model.states
    grievance: list[tuple[int, int, float]] = []
    autonomy = [0.0] * len(states)
    wedge = [0.0] * len(states)
    total = 0
    targets = 0
    if p["autonomy_grievance"] > 0.0:
        loads = autonomy_loads(model)
        for i in np.flatnonzero(loads.any(axis=1)):
            hedging = states[i].hedging
            for j in np.flatnonzero(loads[i]):
                grievance.append(
                    (int(i), int(j), hedging * (p["autonomy_grievance"] * float(loads[i, j]))))
            autonomy[i] = hedging * p["autonomy_grievance"] * float(loads[i].sum())
            total += autonomy[i]
    if p["wedge_pressure"] > 0.0:
        strength = graph.weight + graph.weight.T
        alignment = np.maximum(graph.weight.max(axis=1), graph.weight.max(axis=0)).tolist()
        for challenger in model.challengers:
            facing = _facing(model, challenger)
            if not facing:
                continue
            target = max(facing, key=lambda i: states[i].hedging * alignment[i])
            hedging = states[target].hedging
            if hedging * alignment[target] <= 0.0:
                continue
            amount = p["wedge_pressure"] * alignment[target]
            ties = strength[target]
            share = float(ties.sum())
            for j in np.flatnonzero(ties):
                grievance.append((target, int(j), hedging * (amount * float(ties[j]) / share)))
            wedge[target] += hedging * amount
            total += hedging * amount
            targets += 1
    return Peace(tuple(grievance), tuple(autonomy), tuple(wedge), total, targets)


def press(model: DeterrenceModel, plan: Peace) -> None:
    """Set each state's ``autonomy_pressure`` and ``wedge_pressure`` to the plan's (unless the last
    plan applied, which nothing else changes within a run, was this one)."""
    if model._keep.pressed is plan:
        return
    for state, autonomy, wedge in zip(model.states, plan.autonomy, plan.wedge, strict=True):
        state.autonomy_pressure = autonomy
        state.wedge_pressure = wedge
    model._keep.pressed = plan


def peacetime(model: DeterrenceModel, plan: Peace | None) -> None:
    """Each step: every member's autonomy cost, and each challenger's wedge, add to grievance
    (``plan`` = :func:`peace` of the model as it stands)."""
    if plan is None:
        return
    press(model, plan)
    states = model.states
    held = model.tie_grievance
    for i, j, amount in plan.grievance:
        states[i].grievance += amount
        held[i, j] += amount
    model.step_tally.peacetime_grievance += plan.total
    model.step_tally.wedge_targets += plan.wedge_targets


@dataclass(frozen=True)
class Watch:
    """What the exit rule looks at, while the graph stands.

    Attributes:
        members: the states whose total grievance above ``exit_threshold`` ends their membership
            (every active founder under ``exit_scope = "member"``; under ``"tie"``, those with
            collective ties).
        ties: ``(holder, partner)`` pairs whose grievance above the threshold ends their tie
            (bilateral and minilateral ties under ``"tie"``).
        dissolving: the structure dissolves at the next check whatever grievance does (no
            obligation left, or below quorum where the quorum applies).
    """

    members: frozenset[int]
    ties: frozenset[tuple[int, int]]
    dissolving: bool


def watch(model: DeterrenceModel) -> Watch | None:
    """What :func:`exits` checks (``None`` when there is no structure to leave)."""
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return None
    p = model.params
    below_quorum = graph.active_members() < p["quorum"] * len(graph.founders)
    dissolving = graph.empty() or (
        below_quorum and (p["exit_scope"] == "member" or model.quorum_applies))
    if p["exit_scope"] == "member":
        return Watch(frozenset(i for i in graph.founders if graph.active[i]), frozenset(),
                     dissolving)
    collective = ((graph.kind == EdgeKind.COLLECTIVE) & (graph.weight > 0)).any(axis=1)
    members = frozenset(i for i in graph.founders if graph.active[i] and collective[i])
    ties = frozenset(pair for tie in graph.open_ties() if tie.kind != EdgeKind.COLLECTIVE
                     for pair in ((tie.a, tie.b), (tie.b, tie.a)))
    return Watch(members, ties, dissolving)


def exits(model: DeterrenceModel) -> None:
    """Members and ties above the exit threshold leave; below quorum, the structure dissolves.

    ``exit_scope = "member"`` (every mechanism off): a founder whose grievance passes ``exit_threshold``
    cuts every tie. ``"tie"``: a member of a collective pact leaves all of it on its total
    grievance, while a bilateral treaty or a minilateral link ends when either party's grievance
    over that tie passes the threshold (Morrow 1991). The structure dissolves when no obligation is
    left, or when fewer than ``quorum`` × founders remain active -- for a pact with collective ties;
    under ``"member"`` for every structure, as with every mechanism off (a set of bilateral treaties has no
    quorum: each treaty stands on its own).
    """
    watched = model._keep.watch()
    if watched is None:
        return
    p = model.params
    threshold = p["exit_threshold"]
    states, held = model.states, model.tie_grievance
    if not (watched.dissolving or any(states[i].grievance > threshold for i in watched.members)
            or any(held[pair] > threshold for pair in watched.ties)):
        return
    graph = model.graph
    step = model.steps
    names = [s.name for s in model.states]
    active_before = graph.active.copy()
    open_before = len(graph.open_ties())
    if p["exit_scope"] == "member":
        for i in graph.founders:
            if graph.active[i] and model.states[i].grievance > threshold:
                graph.remove(i, step)
                model.step_tally.exits += 1
                model.events.append(Event(step, "left", [names[i]],
                                          _over(model.states[i].grievance, threshold)))
    else:
        for i in graph.founders:
            collective = (graph.kind[i] == EdgeKind.COLLECTIVE) & (graph.weight[i] > 0)
            if graph.active[i] and collective.any() and model.states[i].grievance > threshold:
                graph.remove(i, step)
                model.events.append(Event(step, "left", [names[i]],
                                          _over(model.states[i].grievance, threshold)))
        for tie in graph.open_ties():
            if tie.kind == EdgeKind.COLLECTIVE:
                continue
            held = max(model.tie_grievance[tie.a, tie.b], model.tie_grievance[tie.b, tie.a])
            if held > threshold:
                graph.end_tie(tie.a, tie.b, step)
                model.events.append(Event(step, "tie ended", [names[tie.a], names[tie.b]],
                                          _over(held, threshold)))
        left = active_before & ~graph.active
        model.step_tally.exits += int(left[graph.founders].sum())
    model.step_tally.ties_ended += open_before - len(graph.open_ties())
    below_quorum = graph.active_members() < p["quorum"] * len(graph.founders)
    quorum_failed = below_quorum and (p["exit_scope"] == "member" or model.quorum_applies)
    if graph.empty() or quorum_failed:
        graph.dissolve(step)
        model.dissolved_at = step
        why = (f"{graph.active_members()} of {len(graph.founders)} founders left, quorum "
               f"{p['quorum']:g}" if quorum_failed else "no tie left")
        model.events.append(Event(step, "dissolved", [], why))


def _over(value: float, threshold: float) -> str:
    return f"grievance {value:.2f} > exit threshold {threshold:g}"
