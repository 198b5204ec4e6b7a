"""Quiet steps in one go: the steps of a run in which no flashpoint opens.

Most steps of a run open no crisis (about four in five in ``asia``), yet each still does something:
peacetime costs and the wedge add to grievance, exits are checked, grievance and beliefs fade, and
the run's tally grows. Between two crises these steps repeat the same arithmetic on a handful of
numbers, so :func:`advance` runs a stretch of them at once. It is an optimisation of
:meth:`DeterrenceModel.run <model.model.DeterrenceModel.run>`, not a rule of the model: every number
it leaves -- each grievance, each belief, the tallies -- is the one ``step()`` would have left, to the
last bit, because it performs the same floating-point operations in the same order on each number
(a test compares the two paths over hundreds of random parameter draws). It stops before any step
at which something else would happen -- a member leaving, a tie ending, the structure dissolving,
peacetime cooperation in a deepening lattice -- and leaves that step to ``step()``'s own code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .observations import Tally
from .structure import EdgeKind

if TYPE_CHECKING:
    from .model import DeterrenceModel


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


def advance(model: DeterrenceModel, steps: int) -> int:
    """Run up to ``steps`` steps in which no flashpoint opens, exactly as ``step()`` would; return
    how many ran (fewer when a later one must go through ``step()``'s own code)."""
    if model.structure.deepens and any(
            tie.kind == EdgeKind.MINILATERAL for tie in model.graph.open_ties()):
        return 0
    watched = model._watch()
    if watched is not None and watched.dissolving:
        return 0
    plan = model._peace()
    gains = plan.by_holder if plan is not None else {}
    decay = model.params["grievance_decay"]
    states = model.states
    held = model.tie_grievance

    starts: dict[tuple[int, int] | int, float] = {
        i: float(state.grievance) for i, state in enumerate(states) if state.grievance or i in gains}
    rows, columns = np.nonzero(held)
    for cell in zip(rows.tolist(), columns.tolist(), strict=True):
        starts[cell] = float(held[cell])
    for cell in gains:
        if cell not in starts:
            starts[cell] = 0.0

    n = steps
    ends: dict[tuple[int, int] | int, float] = {}
    if watched is not None:
        threshold = model.params["exit_threshold"]
        for cell, value in starts.items():
            if cell in watched.members or cell in watched.ties:
                ends[cell], ran = _path(value, gains.get(cell, ()), decay, n, threshold)
                if ran < n:
                    n, ends = ran, {}
        if n == 0:
            return 0
    for cell, value in starts.items():
        if cell not in ends:
            ends[cell] = _path(value, gains.get(cell, ()), decay, n, None)[0]

    for cell, value in ends.items():
        if isinstance(cell, int):
            state = states[cell]
            state.grievance = type(state.grievance)(value)
        else:
            held[cell] = value
    _fade_beliefs(model, n)
    _tally(model, plan, n)
    model.steps += n
    return n


def _fade_beliefs(model: DeterrenceModel, steps: int) -> None:
    """Beliefs keep ``belief_memory`` of their evidence each step (``DeterrenceModel._fade``)."""
    memory = model.params["belief_memory"]
    if memory >= 1.0:
        return
    prior_alpha, prior_beta = model._prior
    for state in model.states:
        alpha, beta = state.alpha, state.beta
        if alpha == prior_alpha and beta == prior_beta:
            continue
        for _ in range(steps):
            alpha = prior_alpha + memory * (alpha - prior_alpha)
            beta = prior_beta + memory * (beta - prior_beta)
        state.alpha, state.beta = alpha, beta


def _tally(model: DeterrenceModel, plan, steps: int) -> None:
    """The run's tally after ``steps`` quiet steps, and the last one's own tally and crises."""
    last = Tally()
    if plan is not None:
        for state, autonomy, wedge in zip(model.states, plan.autonomy, plan.wedge, strict=True):
            state.autonomy_pressure = autonomy
            state.wedge_pressure = wedge
        last.peacetime_grievance += plan.total
        last.wedge_targets += plan.wedge_targets
        run = model.tally
        if last.peacetime_grievance:
            total = run.peacetime_grievance
            for _ in range(steps):
                total += last.peacetime_grievance
            run.peacetime_grievance = total
        if last.wedge_targets:
            run.wedge_targets += last.wedge_targets * steps
    model.step_tally = last
    model.crises = []
