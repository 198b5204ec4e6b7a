"""The one place that touches Mesa's internals: its clock, for the fast run loop.

Mesa 3.5 advances a model through an event list: each ``step()`` pops an event, executes it and
schedules the next, which costs more than a quiet step of this model. When nothing but the model's
own step is scheduled (no simulator, no other event, the default schedule untouched),
:func:`model.fast_run.run` makes the steps itself and then leaves Mesa's clock -- ``steps``,
``time``, the pending step event -- as that many calls of ``step()`` would (:func:`advance`).

Both functions read private attributes of Mesa 3.5's ``Model`` and ``EventGenerator`` (which is why
Mesa is pinned to 3.5.*). They are guarded: if Mesa's internals are not what this module expects,
:func:`plain` says no and the model is stepped through Mesa's own loop (same results, slower); a test
checks the clock after a fast run against Mesa's own.
"""

from __future__ import annotations

from collections.abc import Callable

import mesa


def plain(model: mesa.Model, step: Callable) -> bool:
    """Whether Mesa would do nothing in the next steps but call ``step`` (the model class's own
    step function) once per unit of time."""
    try:
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
            and hasattr(generator, "_execution_count") and hasattr(generator, "_schedule_next")
        )
    except AttributeError:  # another Mesa: use its own loop
        return False


def advance(model: mesa.Model, steps: int) -> None:
    """Mesa's clock as its event loop leaves it after ``steps`` steps (check :func:`plain` first):
    the time advanced, the step generator's count, and one pending step event one unit ahead."""
    generator = model._default_schedule
    model._event_list._events.clear()
    generator._execution_count += steps
    model.time = model.time + steps
    generator._schedule_next(model.time + 1.0)
