"""The step of docs/ODD.md §3, in code: an ordered list of named phases (in the manner of Starsim's
``Loop``, which lists the functions of its step).

:data:`STEP` is the step; :data:`CRISIS` the phases every aggression goes through inside the
``crises`` phase. Every engine walks these lists: Mesa's ``model.step()`` (the reference) and the
fast run loop (:mod:`model.fast_run`), which also advances stretches of quiet steps -- steps in
which no flashpoint opens -- in one go, through the ``quiet`` forms declared here. Adding a phase to
the model is writing one function of the model and one line below.

A phase's quiet form comes in two parts: ``limit(model, k, first)``, how many of the next ``k`` quiet
steps (the first of them numbered ``first``)
the phase lets run in one go (0: the next step must run through the phases themselves), and
``advance(model, n, started)``, its effect over ``n`` quiet steps (``started``: the first of them is
the current step, whose crises are over); a phase with a limit and no advance does nothing in the
quiet steps it allows. A phase with neither -- a new phase, say -- makes the fast engine run every
step through the phases: correct first, fast once its quiet form is written. Each quiet form sits
beside the phase's one-step form in its own module, and a test checks that they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import beliefs, calendar, crises, deepening, grievance, membership, observations, peacetime, war

if TYPE_CHECKING:
    from .model import DeterrenceModel


@dataclass(frozen=True)
class Phase:
    """One phase of the step (or of a crisis).

    Attributes:
        name: its name, as in docs/ODD.md §3.
        run: the phase for one step (or one aggression): ``run(model)`` (``run(model, aggression)``).
        limit: how many of ``k`` quiet steps it lets run in one go, ``limit(model, k, first) -> n``
            (``first``: the number of the first of them).
        advance: its effect over ``n`` quiet steps, ``advance(model, n, started)``.
        With neither, quiet steps run through ``run`` one by one.
    """

    name: str
    run: Callable[..., None]
    limit: Callable[[DeterrenceModel, int, int], int] | None = None
    advance: Callable[[DeterrenceModel, int, bool], None] | None = None

    @property
    def meaning(self) -> str:
        """The first line of its function's docstring."""
        return (self.run.__doc__ or "").strip().splitlines()[0]


def open_flashpoints(model: DeterrenceModel) -> None:
    """**Opportunities**: each flashpoint opens with its rate, drawn from the ``opportunities``
    stream alone (so two structures with the same seed face the same crises, but where a flashpoint
    is taken or at war in one of them), and where a
    scheduled event starts a crisis (:mod:`model.calendar`)."""
    model.opened = calendar.opened(model, model.steps, model.opportunities.draw_one())


def resolve_crises(model: DeterrenceModel) -> None:
    """**Crises**: at each opened flashpoint in scenario order, the provocation and the challenge
    (:func:`model.crises.open_crisis`), then each aggression through :data:`CRISIS`, a war that
    spreads through them again at the next hop."""
    model.step_tally = observations.Tally()
    model.crises = []
    if not len(model.opened):
        return
    model.draws.new_crisis_step()
    flashpoints = model.flashpoints
    for f in model.opened:
        aggression = crises.open_crisis(model, flashpoints[f])
        while aggression is not None:
            for phase in CRISIS:
                phase.run(model, aggression)
            aggression = aggression.next


def _peacetime_quiet(model: DeterrenceModel, steps: int, started: bool) -> None:
    """Grievance over quiet steps: peacetime accrual and fading alternate each step, so they advance
    together (:func:`model.grievance.advance`, with the ends the exit rule's limit computed)."""
    peace = peacetime.current(model)
    if peace is not None:
        peacetime.press(model, peace)
    n, ends = model.cache.exit_paths
    model.cache.exit_paths = (0, {})
    grievance.advance(model, peace, steps, ends if n == steps else None)


def _membership_limit(model: DeterrenceModel, steps: int, first: int) -> int:
    """Reviews run step by step; under the grievance rule, the exit rule's limit, whose grievance
    paths are kept for the peacetime phase's quiet form, which needs them for the same steps."""
    if model.params["exit_rule"] == "review":
        return membership.review_limit(model, steps, first)
    n, ends = membership.quiet_limit(model, steps)
    model.cache.exit_paths = (n, ends)
    return n


def _fading_quiet(model: DeterrenceModel, steps: int, started: bool) -> None:
    """Beliefs over quiet steps (grievance fades in the peacetime phase's quiet form)."""
    beliefs.fade_steps(model, steps)


def _observation_quiet(model: DeterrenceModel, steps: int, started: bool) -> None:
    observations.observe_quiet(model, peacetime.current(model), steps, started)


def fade(model: DeterrenceModel) -> None:
    """**Fading**: grievance keeps ``grievance_decay`` of itself, beliefs ``belief_memory`` of their
    evidence."""
    grievance.fade(model)
    beliefs.fade(model)


STEP: tuple[Phase, ...] = (
    Phase("opportunities", open_flashpoints),
    Phase("crises", resolve_crises),
    Phase("wars", war.phase, limit=war.quiet_limit),
    Phase("peacetime", peacetime.apply, advance=_peacetime_quiet),
    Phase("cooperation", deepening.cooperate, limit=deepening.quiet_limit),
    Phase("membership", membership.phase, limit=_membership_limit),
    Phase("fading", fade, advance=_fading_quiet),
    Phase("observation", observations.observe, advance=_observation_quiet),
    Phase("calendar", calendar.turn, limit=calendar.quiet_limit),
)
"""The phases of one step, in order (docs/ODD.md §3)."""

CRISIS: tuple[Phase, ...] = (
    Phase("response", crises.respond),
    Phase("outcome", crises.outcome),
    Phase("learning", crises.learn),
    Phase("record", crises.record),
    Phase("joint action", crises.joint_action),
    Phase("escalation", crises.escalate),
)
"""The phases of one aggression, in order (docs/ODD.md §3, steps 2-3)."""

def end() -> tuple[Phase, ...]:
    """The phases after the crises: what a step does whether or not a flashpoint opened."""
    return STEP[2:]


def step(model: DeterrenceModel) -> None:
    """One step: every phase of :data:`STEP` in order."""
    for phase in STEP:
        phase.run(model)


def quiet_steps(model: DeterrenceModel, steps: int, started: bool) -> int:
    """Run up to ``steps`` quiet steps in one go -- the first of them the current step, whose crises
    are over, if ``started`` -- exactly as the phases would one step at a time; return how many ran
    (0: the next step must run through the phases themselves)."""
    n = steps
    first = model.steps if started else model.steps + 1
    phases = end()
    for phase in phases:
        if phase.limit is None and phase.advance is None:
            return 0
        if phase.limit is not None:
            n = phase.limit(model, n, first)
            if n == 0:
                return 0
    for phase in phases:
        if phase.advance is not None:
            phase.advance(model, n, started)
    model.steps += n - 1 if started else n
    return n


def describe() -> list[tuple[str, str]]:
    """Every phase of the step and of a crisis as ``(name, meaning)``, in order."""
    out: list[tuple[str, Any]] = [(phase.name, phase.meaning) for phase in STEP]
    out += [(f"crisis: {phase.name}", phase.meaning) for phase in CRISIS]
    return out
