"""The run loop without Mesa's per-step event machinery, for :meth:`DeterrenceModel.run`.

Mesa 3.5 advances a model through an event list: each ``step()`` pops an event, executes it and
schedules the next, which costs more than a quiet step of this model. When nothing but the model's
own step is scheduled (no simulator, no other event, the default schedule untouched) and no
per-step series are collected, :func:`run` makes the same steps directly: it draws the
opportunities of all of them at once (the same numbers, in the same order), runs the steps in which
no flashpoint opens in one go (:mod:`model.quiet`), the others through the model's own step code,
and finally leaves Mesa's clock -- ``steps``, ``time``, the pending step event -- as ``steps``
calls of ``step()`` would have left it. :func:`plain` says when that holds.

This reads private attributes of Mesa 3.5's ``Model`` and ``EventGenerator``, which is why Mesa is
pinned to 3.5.* and a test (``tests/integration/test_fast_run.py``) checks the clock after a run
against Mesa's own loop; ``model.step()`` itself is Mesa's, untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import mesa
import numpy as np

from . import quiet

if TYPE_CHECKING:
    from .model import DeterrenceModel

_CHUNK = 1024
"""Steps whose opportunities are drawn at once (bounds the memory of very long runs)."""


def plain(model: DeterrenceModel, step: Callable) -> bool:
    """Whether Mesa would do nothing in the next steps but call ``step`` (the model class's own
    step function) once per unit of time."""
    generator = model._default_schedule
    pending = model._event_list._events
    event = generator._current_event
    return (
        model._simulator is None
        and getattr(model._user_step, "__func__", None) is step
        and getattr(model.__dict__.get("step"), "__func__", None) is mesa.Model._wrapped_step
        and model._event_generators == {generator}
        and generator._active and not generator._paused
        and generator.schedule.interval == 1.0
        and generator.schedule.end is None and generator.schedule.count is None
        and len(pending) == 1 and pending[0] is event
        and not event.CANCELED and event.time == model.time + 1.0
    )


def run(model: DeterrenceModel, steps: int) -> None:
    """Make ``steps`` steps of ``model`` as ``steps`` calls of ``model.step()`` would (check
    :func:`plain` first)."""
    if steps <= 0:
        return
    for first in range(0, steps, _CHUNK):
        _run_chunk(model, min(_CHUNK, steps - first))
    _advance_clock(model, steps)


def _run_chunk(model: DeterrenceModel, steps: int) -> None:
    rows, columns = np.nonzero(model.rng_opportunities.random((steps, len(model._rates)))
                               < model._rates)
    opened: dict[int, list[int]] = {}
    for step, flashpoint in zip(rows.tolist(), columns.tolist(), strict=True):
        opened.setdefault(step, []).append(flashpoint)
    model.draws.reserve(len(opened))
    done, started = 0, False
    for until in [*opened, steps]:
        while done < until:
            ran = quiet.advance(model, until - done, started)
            if not ran:
                if started:
                    model._after_crises()
                else:
                    model.steps += 1
                    model._step(())
                ran = 1
            done += ran
            started = False
        if until < steps:
            model.steps += 1
            model._crises(opened[until])
            started = True


def _advance_clock(model: DeterrenceModel, steps: int) -> None:
    """Mesa's clock as its event loop leaves it after ``steps`` steps: the time advanced, the step
    generator's count, and one pending step event one unit ahead."""
    generator = model._default_schedule
    model._event_list._events.clear()
    generator._execution_count += steps
    model.time = model.time + steps
    generator._schedule_next(model.time + 1.0)
