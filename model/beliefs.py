"""Beliefs in each state's reliability: learnt from what it did, fading towards the prior
(Smith 1995 on alliance reliability; a memory below 1 forgets old evidence).

Everyone shares one Beta belief ``(alpha, beta)`` per state (``State.observe`` updates it). Each step
the evidence beyond the prior keeps ``belief_memory`` of itself: :func:`fade` for one step,
:func:`fade_steps` for ``k`` quiet steps at once (the same rule, :func:`model.rules.beta_decay`,
applied ``k`` times: the same numbers to the last bit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import rules

if TYPE_CHECKING:
    from .model import DeterrenceModel


def fade(model: DeterrenceModel) -> None:
    """One step of fading for every state whose belief differs from the prior."""
    memory = model.params["belief_memory"]
    if memory >= 1.0:
        return
    prior = model.prior
    for state in model.states:
        if (state.alpha, state.beta) != prior:
            state.alpha, state.beta = rules.beta_decay(state.alpha, state.beta, *prior, memory)
            model.belief_version += 1


def fade_steps(model: DeterrenceModel, steps: int) -> None:
    """``steps`` steps of fading at once (the states ever observed are ``model.learned``)."""
    memory = model.params["belief_memory"]
    if memory >= 1.0:
        return
    prior = model.prior
    states = model.states
    for i in model.learned:
        state = states[i]
        alpha, beta = state.alpha, state.beta
        if (alpha, beta) == prior:
            continue
        for _ in range(steps):
            alpha, beta = rules.beta_decay(alpha, beta, *prior, memory)
        state.alpha, state.beta = alpha, beta
        model.belief_version += 1
