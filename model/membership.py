"""Membership between crises: peacetime costs, the challenger's wedge, exits and ties ending
(docs/ODD.md, submodels 4 and 6).

Grievance is kept twice: each state's total (``State.grievance``, which a member of a collective pact
compares with the exit threshold) and, per tie, what each party holds against the other
(``model.tie_grievance[i, j]``, which ends a bilateral treaty or a minilateral link on its own).
Every grievance -- entrapment, abandonment, autonomy, wedge -- is added to both, weighted by the
aggrieved state's hedging, and both fade at ``grievance_decay``.
"""

from __future__ import annotations

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


def peacetime(model: DeterrenceModel) -> None:
    """Each step: every member's autonomy cost, and each challenger's wedge, add to grievance.

    Autonomy (Morrow 1991): ``autonomy_grievance`` × the autonomy load of each tie. Wedge (Crawford
    2011): each challenger aims coercion or inducement at the member facing it that is most
    susceptible -- the greatest hedging × alignment, where alignment is the strength of its strongest
    tie -- adding ``wedge_pressure`` × alignment, shared over that member's ties by their strength.
    """
    p = model.params
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return
    for state in model.states:
        state.autonomy_pressure = state.wedge_pressure = 0.0
    if p["autonomy_grievance"] > 0.0:
        loads = autonomy_loads(model)
        for i in np.flatnonzero(loads.any(axis=1)):
            state = model.states[i]
            for j in np.flatnonzero(loads[i]):
                aggrieve_over(model, state, int(j), p["autonomy_grievance"] * float(loads[i, j]))
            state.autonomy_pressure = state.hedging * p["autonomy_grievance"] * float(loads[i].sum())
            model.step_tally.peacetime_grievance += state.autonomy_pressure
    if p["wedge_pressure"] > 0.0:
        strength = graph.weight + graph.weight.T
        alignment = np.maximum(graph.weight.max(axis=1), graph.weight.max(axis=0)).tolist()
        for challenger in model.challengers:
            facing = _facing(model, challenger)
            if not facing:
                continue
            target = max(facing, key=lambda i: model.states[i].hedging * alignment[i])
            state = model.states[target]
            if state.hedging * alignment[target] <= 0.0:
                continue
            amount = p["wedge_pressure"] * alignment[target]
            ties = strength[target]
            total = float(ties.sum())
            for j in np.flatnonzero(ties):
                aggrieve_over(model, state, int(j), amount * float(ties[j]) / total)
            state.wedge_pressure += state.hedging * amount
            model.step_tally.peacetime_grievance += state.hedging * amount
            model.step_tally.wedge_targets += 1


def exits(model: DeterrenceModel) -> None:
    """Members and ties above the exit threshold leave; below quorum, the structure dissolves.

    ``exit_scope = "member"`` (the first model): a founder whose grievance passes ``exit_threshold``
    cuts every tie. ``"tie"``: a member of a collective pact leaves all of it on its total
    grievance, while a bilateral treaty or a minilateral link ends when either party's grievance
    over that tie passes the threshold (Morrow 1991). The structure dissolves when no obligation is
    left, or when fewer than ``quorum`` × founders remain active -- for a pact with collective ties;
    under ``"member"`` for every structure, as in the first model (a set of bilateral treaties has no
    quorum: each treaty stands on its own).
    """
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return
    p = model.params
    threshold = p["exit_threshold"]
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
    if graph.empty() or (below_quorum and (p["exit_scope"] == "member" or model.quorum_applies)):
        graph.dissolve(step)
        model.dissolved_at = step
        model.events.append(Event(step, "dissolved", [], f"{graph.active_members()} of "
                                  f"{len(graph.founders)} founders left, quorum {p['quorum']:g}"))


def _over(value: float, threshold: float) -> str:
    return f"grievance {value:.2f} > exit threshold {threshold:g}"
