"""Quiet steps in one go: the steps of a run in which no flashpoint opens.

Most steps of a run open no crisis (about four in five in ``asia``), yet each still does something:
peacetime costs and the wedge add to grievance, exits are checked, grievance and beliefs fade, and
the run's tally grows. Between two crises these steps repeat the same arithmetic on a handful of
numbers, so :func:`advance` runs a stretch of them at once -- and the end of the crisis step before
them (its peacetime, exits, fading and tally), which is the same arithmetic. It is an optimisation of
:meth:`DeterrenceModel.run <model.model.DeterrenceModel.run>`, not a rule of the model: every number
it leaves -- each grievance, each belief, the tallies -- is the one ``step()`` would have left, to the
last bit, because it performs the same floating-point operations in the same order on each number
(tests compare the two paths over hundreds of random parameter draws). It stops before any step at
which something else would happen -- a member leaving, a tie ending, the structure dissolving,
cooperation in a deepening lattice -- and leaves that step to ``step()``'s own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import membership
from .observations import Tally
from .structure import EdgeKind

if TYPE_CHECKING:
    from .membership import Peace
    from .model import DeterrenceModel

_NOTHING: tuple[float, ...] = ()


@dataclass(frozen=True)
class Layout:
    """What each quiet step does to grievance, while the graph and the states' traits stand.

    Attributes:
        plan: the peacetime step (:func:`model.membership.peace`), ``None`` without a structure.
        states: the states that gain grievance each step, with their gains in order.
        ties: the ``(holder, partner)`` grievances that gain each step, with their gains in order.
        members, pairs: the grievances the exit rule watches (:class:`model.membership.Watch`).
        watched_states, watched_ties: those of them that gain each step.
    """

    plan: Peace | None
    states: dict[int, tuple[float, ...]]
    ties: dict[tuple[int, int], tuple[float, ...]]
    members: frozenset[int]
    pairs: frozenset[tuple[int, int]]
    watched_states: tuple[int, ...] = field(init=False)
    watched_ties: tuple[tuple[int, int], ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "watched_states", tuple(i for i in self.states if i in self.members))
        object.__setattr__(self, "watched_ties", tuple(c for c in self.ties if c in self.pairs))


def layout(model: DeterrenceModel) -> Layout | None:
    """The model's quiet step as it stands, or ``None`` if a quiet step now must go through
    ``step()``'s own code (a deepening lattice with minilateral ties cooperates each step; the
    structure is about to dissolve)."""
    if model.structure.deepens and any(
            tie.kind == EdgeKind.MINILATERAL for tie in model.graph.open_ties()):
        return None
    watched = model._keep.watch()
    if watched is not None and watched.dissolving:
        return None
    plan = model._keep.peace()
    gains = plan.by_holder if plan is not None else {}
    return Layout(
        plan,
        {cell: amounts for cell, amounts in gains.items() if isinstance(cell, int)},
        {cell: amounts for cell, amounts in gains.items() if not isinstance(cell, int)},
        watched.members if watched is not None else frozenset(),
        watched.ties if watched is not None else frozenset(),
    )


def _path(value: float, amounts: tuple[float, ...], decay: float, steps: int,
          threshold: float | None) -> tuple[float, int]:
    """``(value after the steps, steps run)`` of one grievance that gains ``amounts`` (in order) and
    then fades each step; the steps stop before the first one after whose gains the value would
    exceed ``threshold`` (``None``: never)."""
    if threshold is None:
        if not amounts:
            if value:
                for _ in range(steps):
                    value *= decay
            return value, steps
        if len(amounts) == 1:
            amount = amounts[0]
            for _ in range(steps):
                value = (value + amount) * decay
            return value, steps
        for _ in range(steps):
            for amount in amounts:
                value += amount
            value *= decay
        return value, steps
    for done in range(steps):
        gained = value
        for amount in amounts:
            gained += amount
        if gained > threshold:
            return value, done
        value = gained * decay
    return value, steps


def advance(model: DeterrenceModel, steps: int, started: bool = False) -> int:
    """Run up to ``steps`` steps in which no flashpoint opens -- the first of them the current step,
    whose crises are over, if ``started`` -- exactly as ``step()`` would; return how many ran
    (fewer when the next one must go through ``step()``'s own code)."""
    if model._converged:
        return 0
    quiet = model._keep.quiet()
    if quiet is None:
        return 0
    params = model.params
    decay = params["grievance_decay"]
    threshold = params["exit_threshold"]
    states = model.states
    held = model.tie_grievance
    grows, ties = quiet.states, quiet.ties

    # grievances that only fade: one the exit rule watches cannot pass the threshold later if it
    # does not now
    fading = [i for i, state in enumerate(states) if state.grievance and i not in grows]
    rows, columns = held.nonzero()
    fading_ties = [cell for cell in zip(rows.tolist(), columns.tolist(), strict=True)
                   if cell not in ties] if len(rows) else []
    members, pairs = quiet.members, quiet.pairs
    for i in fading:
        if i in members and states[i].grievance > threshold:
            return 0
    for cell in fading_ties:
        if cell in pairs and held.item(cell) > threshold:
            return 0

    n = steps
    if grows or ties or fading or fading_ties:
        n = _grievances(model, quiet, n, fading, fading_ties, decay, threshold)
        if n == 0:
            return 0
    _fade_beliefs(model, n)
    _tally(model, quiet.plan, n, started)
    model.steps += n - 1 if started else n
    return n


def _grievances(model: DeterrenceModel, quiet: Layout, steps: int, fading: list[int],
                fading_ties: list[tuple[int, int]], decay: float, threshold: float) -> int:
    """Every grievance after up to ``steps`` quiet steps, stopping before the first step after
    which a watched one would pass ``threshold``; return how many steps ran (0: none)."""
    states = model.states
    held = model.tie_grievance
    grows, ties = quiet.states, quiet.ties
    n = steps
    state_ends: dict[int, float] = {}
    tie_ends: dict[tuple[int, int], float] = {}
    for i in quiet.watched_states:
        state_ends[i], ran = _path(float(states[i].grievance), grows[i], decay, n, threshold)
        if ran < n:
            n, state_ends = ran, {}
    for cell in quiet.watched_ties:
        tie_ends[cell], ran = _path(held.item(cell), ties[cell], decay, n, threshold)
        if ran < n:
            n, state_ends, tie_ends = ran, {}, {}
    if n == 0:
        return 0
    for i, amounts in grows.items():
        if i not in state_ends:
            state_ends[i] = _path(float(states[i].grievance), amounts, decay, n, None)[0]
    for cell, amounts in ties.items():
        if cell not in tie_ends:
            tie_ends[cell] = _path(held.item(cell), amounts, decay, n, None)[0]
    for i in fading:
        state_ends[i] = _path(float(states[i].grievance), _NOTHING, decay, n, None)[0]
    for cell in fading_ties:
        tie_ends[cell] = _path(held.item(cell), _NOTHING, decay, n, None)[0]

    for i, value in state_ends.items():
        state = states[i]
        state.grievance = type(state.grievance)(value)
    for cell, value in tie_ends.items():
        held[cell] = value
    return n


def _fade_beliefs(model: DeterrenceModel, steps: int) -> None:
    """Beliefs keep ``belief_memory`` of their evidence each step (``DeterrenceModel._fade``)."""
    memory = model.params["belief_memory"]
    if memory >= 1.0:
        return
    prior_alpha, prior_beta = model._prior
    states = model.states
    for i in model.learned:
        state = states[i]
        alpha, beta = state.alpha, state.beta
        if alpha == prior_alpha and beta == prior_beta:
            continue
        for _ in range(steps):
            alpha = prior_alpha + memory * (alpha - prior_alpha)
            beta = prior_beta + memory * (beta - prior_beta)
        state.alpha, state.beta = alpha, beta


def _tally(model: DeterrenceModel, plan: Peace | None, steps: int, started: bool) -> None:
    """The run's tally after ``steps`` steps, and the last one's own tally and crises."""
    quiet = Tally()
    if plan is not None:
        membership.press(model, plan)
        quiet.peacetime_grievance += plan.total
        quiet.wedge_targets += plan.wedge_targets
    if started:
        current = model.step_tally
        if plan is not None:
            current.peacetime_grievance += plan.total
            current.wedge_targets += plan.wedge_targets
        model._merge_step_tally()
        steps -= 1
        if not steps:
            return
    run = model.tally
    if quiet.peacetime_grievance:
        total = run.peacetime_grievance
        for _ in range(steps):
            total += quiet.peacetime_grievance
        run.peacetime_grievance = total
    if quiet.wedge_targets:
        run.wedge_targets += quiet.wedge_targets * steps
    model.step_tally = quiet
    model.crises = []
