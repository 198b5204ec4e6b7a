"""Peacetime: what membership costs between crises -- the autonomy an alliance takes and the
challenger's wedge -- added to grievance each step (docs/ODD.md, submodel 6).

:func:`plan` computes one step's costs from the graph, the states' traits and the parameters; the
model caches it while they stand (:mod:`model.cache`). :func:`apply` is the step's ``peacetime``
phase; over ``k`` quiet steps the same plan accrues by :func:`model.grievance.advance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import grievance, rules

if TYPE_CHECKING:
    from .model import DeterrenceModel


def autonomy_loads(model: DeterrenceModel) -> np.ndarray:
    """``load[i, j]``: the autonomy state i gives up, per step, for its tie with j
    (:func:`rules.autonomy_load` of the obligation it owes j below its own red lines and of the
    protection j gives it)."""
    weight = model.graph.weight
    return rules.autonomy_load(weight * model.below, weight.T, model.params["protege_autonomy"])


def wedges(model: DeterrenceModel, graph, members: np.ndarray, pressure: float | None = None
           ) -> list[tuple[int, float]]:
    """``(target, pressure × alignment)`` of each challenger's wedge under ``graph`` (Crawford
    2011): it aims at the member facing it (among ``members``) that is most susceptible -- the
    greatest hedging × alignment, alignment being the strength of its strongest tie. ``pressure``
    is ``wedge_pressure`` (grievance per step) unless given: the value of a tie prices the same
    wedge in utility, by ``wedge_cost`` (:mod:`model.valuation`)."""
    p = model.params
    pressure = p["wedge_pressure"] if pressure is None else pressure
    states = model.states
    alignment = np.maximum(graph.weight.max(axis=1), graph.weight.max(axis=0)).tolist()
    out = []
    for challenger in model.challengers:
        candidates = facing(model, challenger, graph, members)
        if not candidates:
            continue
        target = max(candidates, key=lambda i: states[i].hedging * alignment[i])
        if states[target].hedging * alignment[target] <= 0.0:
            continue
        out.append((target, pressure * alignment[target]))
    return out


def facing(model: DeterrenceModel, challenger, graph=None, members: np.ndarray | None = None
           ) -> list[int]:
    """Members (``members``, default the active ones) that face ``challenger`` under ``graph``
    (default the model's): targets of its flashpoints, or bound to defend one."""
    graph = model.graph if graph is None else graph
    members = graph.active if members is None else members
    targets = {fp.target.index for fp in model.flashpoints if fp.challenger is challenger}
    found = set(targets)
    for j in targets:
        found.update(int(i) for i in graph.obligees(j))
    return [i for i in sorted(found) if members[i]]


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


def plan(model: DeterrenceModel) -> Peace | None:
    """One step of peacetime costs and the wedge (``None`` when there is no structure to pay for).

    Autonomy (Morrow 1991): ``autonomy_grievance`` × the autonomy load of each tie. Wedge (Crawford
    2011): each challenger aims coercion or inducement at the member facing it that is most
    susceptible -- the greatest hedging × alignment, where alignment is the strength of its strongest
    tie -- adding ``wedge_pressure`` × alignment, shared over that member's ties by their strength.
    """
    p = model.params
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return None
    states = model.states
    costs: list[tuple[int, int, float]] = []
    autonomy = [0.0] * len(states)
    wedge = [0.0] * len(states)
    total = 0
    targets = 0
    if p["autonomy_grievance"] > 0.0:
        loads = autonomy_loads(model)
        for i in np.flatnonzero(loads.any(axis=1)):
            hedging = states[i].hedging
            for j in np.flatnonzero(loads[i]):
                costs.append(
                    (int(i), int(j), hedging * (p["autonomy_grievance"] * float(loads[i, j]))))
            autonomy[i] = hedging * p["autonomy_grievance"] * float(loads[i].sum())
            total += autonomy[i]
    if p["wedge_pressure"] > 0.0:
        strength = graph.weight + graph.weight.T
        for target, amount in wedges(model, graph, graph.active):
            hedging = states[target].hedging
            ties = strength[target]
            share = float(ties.sum())
            for j in np.flatnonzero(ties):
                costs.append((target, int(j), hedging * (amount * float(ties[j]) / share)))
            wedge[target] += hedging * amount
            total += hedging * amount
            targets += 1
    return Peace(tuple(costs), tuple(autonomy), tuple(wedge), total, targets)


def current(model: DeterrenceModel) -> Peace | None:
    """The plan of the model as it stands (cached while the graph and the traits stand)."""
    return model.cache.get("peace", lambda: plan(model), shared=True)


def press(model: DeterrenceModel, peace: Peace) -> None:
    """Set each state's ``autonomy_pressure`` and ``wedge_pressure`` to the plan's (unless the last
    plan applied, which nothing else changes within a run, was this one)."""
    if model.cache.pressed is peace:
        return
    for state, autonomy, wedge in zip(model.states, peace.autonomy, peace.wedge, strict=True):
        state.autonomy_pressure = autonomy
        state.wedge_pressure = wedge
    model.cache.pressed = peace


def apply(model: DeterrenceModel) -> None:
    """The ``peacetime`` phase: every member's autonomy cost, and each challenger's wedge, add to
    grievance."""
    peace = current(model)
    if peace is None:
        return
    press(model, peace)
    grievance.accrue(model, peace)
    model.step_tally.peacetime_grievance += peace.total
    model.step_tally.wedge_targets += peace.wedge_targets
