"""Membership between crises: exits, ties ending and dissolution (docs/ODD.md, submodel 4).

The ``membership`` phase (:func:`exits`): a member or a tie whose grievance has passed
``exit_threshold`` leaves or ends; a structure with no obligation left, or -- where a quorum applies
-- below ``quorum`` of its founders, dissolves. :func:`quiet_limit` says how many quiet steps may run
in one go before the rule would act (the grievance paths of :mod:`model.grievance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import grievance, negotiation, peacetime
from .crisis import Event
from .structure import EdgeKind

if TYPE_CHECKING:
    from .model import DeterrenceModel


@dataclass(frozen=True)
class Watch:
    """What the exit rule looks at, while the graph stands.

    Attributes:
        members: the states whose total grievance above ``exit_threshold`` ends their membership
            (every active founder under ``exit_scope = "member"``; under ``"tie"``, those with
            collective ties).
        ties: ``(holder, partner)`` pairs whose grievance above the threshold ends their tie
            (bilateral and minilateral ties under ``"tie"``).
        dissolving: why the structure dissolves at the next check whatever grievance does (no
            obligation left, or below quorum where the quorum applies), or ``None``.
    """

    members: frozenset[int]
    ties: frozenset[tuple[int, int]]
    dissolving: str | None


def dissolution(model: DeterrenceModel) -> str | None:
    """Why the structure must dissolve now, in words, or ``None``: no obligation left, or fewer
    than ``quorum`` × founders active -- for a pact with collective ties, and under ``exit_scope =
    "member"`` for every structure (a set of bilateral treaties has no quorum: each treaty stands on
    its own)."""
    graph = model.graph
    p = model.params
    active = graph.active_members()
    if active < p["quorum"] * len(graph.founders) and (
            p["exit_scope"] == "member" or model.quorum_applies):
        return f"{active} of {len(graph.founders)} founders left, quorum {p['quorum']:g}"
    if graph.empty():
        return "no tie left"
    return None


def watch(model: DeterrenceModel) -> Watch | None:
    """What :func:`exits` checks (``None`` when there is no structure to leave)."""
    graph = model.graph
    if graph.dissolved or not graph.founders:
        return None
    dissolving = dissolution(model)
    if model.params["exit_scope"] == "member":
        return Watch(frozenset(i for i in graph.founders if graph.active[i]), frozenset(),
                     dissolving)
    collective = ((graph.kind == EdgeKind.COLLECTIVE) & (graph.weight > 0)).any(axis=1)
    members = frozenset(i for i in graph.founders if graph.active[i] and collective[i])
    ties = frozenset(pair for tie in graph.open_ties() if tie.kind != EdgeKind.COLLECTIVE
                     for pair in ((tie.a, tie.b), (tie.b, tie.a)))
    return Watch(members, ties, dissolving)


def current_watch(model: DeterrenceModel) -> Watch | None:
    """:func:`watch` of the model as it stands (cached while the graph stands)."""
    return model.cache.get("watch", lambda: watch(model), shared=True)


def exits(model: DeterrenceModel) -> None:
    """The ``membership`` phase: members and ties above the exit threshold leave; below quorum, the
    structure dissolves.

    ``exit_scope = "member"``: a founder whose grievance passes ``exit_threshold`` cuts every tie.
    ``"tie"``: a member of a collective pact leaves all of it on its total grievance, while a
    bilateral treaty or a minilateral link ends when either party's grievance over that tie passes
    the threshold (Morrow 1991). Then :func:`dissolution`.
    """
    watched = current_watch(model)
    if watched is None:
        return
    threshold = model.params["exit_threshold"]
    states, held = model.states, model.tie_grievance
    if not (watched.dissolving or any(states[i].grievance > threshold for i in watched.members)
            or any(held[pair] > threshold for pair in watched.ties)):
        return
    graph = model.graph
    step = model.steps
    names = [s.name for s in states]
    active_before = graph.active.copy()
    open_before = len(graph.open_ties())
    member_scope = model.params["exit_scope"] == "member"
    for i in graph.founders:
        if not (graph.active[i] and states[i].grievance > threshold):
            continue
        if member_scope or ((graph.kind[i] == EdgeKind.COLLECTIVE) & (graph.weight[i] > 0)).any():
            graph.remove(i, step)
            model.events.append(Event(step, "left", [names[i]], _over(states[i].grievance, threshold)))
    if not member_scope:
        for tie in graph.open_ties():
            if tie.kind == EdgeKind.COLLECTIVE:
                continue
            most = max(held[tie.a, tie.b], held[tie.b, tie.a])
            if most > threshold:
                graph.end_tie(tie.a, tie.b, step)
                model.events.append(Event(step, "tie ended", [names[tie.a], names[tie.b]],
                                          _over(most, threshold)))
    left = active_before & ~graph.active
    model.step_tally.exits += int(left[graph.founders].sum())
    model.step_tally.ties_ended += open_before - len(graph.open_ties())
    why = dissolution(model)
    if why is not None:
        graph.dissolve(step)
        model.dissolved_at = step
        model.events.append(Event(step, "dissolved", [], why))


def phase(model: DeterrenceModel) -> None:
    """**Membership**: with ``exit_rule = "review"``, a review at every ``review_interval``
    (:func:`model.negotiation.review`: parties leave ties they have valued below zero for
    ``patience`` reviews, others accede); with ``"grievance"``, :func:`exits`. Then the coverage."""
    if model.params["exit_rule"] == "grievance":
        exits(model)
    elif model.steps % model.review_period == 0 and model.negotiation.units:
        model.reviews.append(negotiation.review(model, first=False))
    model.membership.update(model)


def review_limit(model: DeterrenceModel, steps: int, first: int) -> int:
    """Quiet steps run in one go up to the next review (the steps are ``first``, ``first + 1``,
    ...)."""
    if not model.negotiation.units:
        return steps
    period = model.review_period
    return min(steps, (-first) % period)


def quiet_limit(model: DeterrenceModel, steps: int) -> tuple[int, dict]:
    """How many of the next ``steps`` quiet steps may run before the exit rule acts, and the end
    values of the grievances it watches after that many steps (``(0, {})``: the next step must run
    on its own -- the structure is about to dissolve, or a watched grievance passes the threshold
    within the step)."""
    watched = current_watch(model)
    if watched is None:
        return steps, {}
    if watched.dissolving:
        return 0, {}
    threshold = model.params["exit_threshold"]
    decay = model.params["grievance_decay"]
    peace = peacetime.current(model)
    gains = peace.by_holder if peace is not None else {}
    states, held = model.states, model.tie_grievance
    for i in watched.members:  # a grievance that only fades passes the threshold now or never
        if i not in gains and states[i].grievance > threshold:
            return 0, {}
    for pair in watched.ties:
        if pair not in gains and held[pair] > threshold:
            return 0, {}
    n = steps
    ends: dict = {}
    for holder in (*(i for i in watched.members if i in gains),
                   *(pair for pair in watched.ties if pair in gains)):
        value = float(states[holder].grievance) if isinstance(holder, int) else held.item(holder)
        end, ran = grievance.path(value, gains[holder], decay, n, threshold)
        if ran < n:
            n, ends = ran, {}  # the ends so far were for more steps: grievance.advance redoes them
            if n == 0:
                return 0, {}
            continue
        ends[holder] = end
    return n, ends


def _over(value: float, threshold: float) -> str:
    return f"grievance {value:.2f} > exit threshold {threshold:g}"
