"""The fast engine: a run's steps without Mesa's per-step event machinery.

:func:`run` makes the same steps as that many calls of ``model.step()``: it draws the opportunities
of many steps at once (the same numbers, in the same order: :meth:`Opportunities.draw
<model.opportunities.Opportunities.draw>`), runs each busy step through the phases of
:data:`model.step.STEP`, advances stretches of quiet steps in one go through the phases' quiet forms
(:func:`model.step.quiet_steps`), draws the decisions' numbers in batches, lets the model's cache
keep values from step to step, and finally leaves Mesa's clock as Mesa's own loop would
(:mod:`model.mesa_clock`). Every number it leaves is the one the reference engine leaves, to the last
bit (tests compare them over hundreds of random parameter draws).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import calendar, mesa_clock, step

if TYPE_CHECKING:
    from .model import DeterrenceModel

CHUNK = 1024
"""Steps whose opportunities are drawn at once (bounds the memory of very long runs)."""


def usable(model: DeterrenceModel, step_function) -> bool:
    """Whether the fast loop may run the model: nothing else scheduled on Mesa's clock and no
    per-step series to collect."""
    return not model.collect and mesa_clock.plain(model, step_function)


def run(model: DeterrenceModel, steps: int) -> None:
    """Make ``steps`` steps of ``model`` as ``steps`` calls of ``model.step()`` would (check
    :func:`usable` first)."""
    if steps <= 0:
        return
    model.cache.share()
    model.learned = {s.index for s in model.states if (s.alpha, s.beta) != model.prior}
    for first in range(0, steps, CHUNK):
        _run_chunk(model, min(CHUNK, steps - first))
    mesa_clock.advance(model, steps)


def _run_chunk(model: DeterrenceModel, steps: int) -> None:
    opportunities = model.opportunities
    numbers = opportunities.numbers(steps)
    opened = opportunities.opened(numbers)
    version = opportunities.version
    base = model.steps
    # the steps of the chunk (0-based) in which a scheduled event starts a crisis
    forced = sorted(s - base - 1 for s in model.calendar.forced if base < s <= base + steps)
    model.draws.reserve(len(opened.keys() | set(forced)))
    done, started = 0, False
    while True:
        until = min(next(iter(opened), steps), forced[0] if forced else steps)
        while done < until:
            ran = step.quiet_steps(model, until - done, started)
            if not ran:
                if not started:
                    model.steps += 1
                    model.opened = ()
                    step.resolve_crises(model)
                for phase in step.end():
                    phase.run(model)
                ran = 1
            done += ran
            started = False
            if opportunities.version != version:  # the calendar opened or closed a flashpoint
                break
        if opportunities.version != version:
            opened, version = opportunities.opened(numbers, done), opportunities.version
            model.draws.reserve(len(opened.keys() | set(forced)))
            continue
        if until >= steps:
            return
        model.steps += 1
        model.opened = calendar.opened(model, model.steps, opened.pop(until, []))
        if forced and forced[0] == until:
            forced.pop(0)
        step.resolve_crises(model)
        started = True
        if opportunities.version != version:  # a flashpoint was taken: the rates changed
            opened, version = opportunities.opened(numbers, until + 1), opportunities.version
            model.draws.reserve(len(opened.keys() | set(forced)))
