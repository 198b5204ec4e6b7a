"""The log: the model's last crises in words (:meth:`Crisis.describe`) and the alliance's own events
after formation (:meth:`Event.describe`: ties that ended, members that left, dissolution), newest
first."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.crisis import Crisis

LOG_LENGTH = 8

STAYED_OUT = "obliged but stayed out: "
PASSED_THE_BUCK = "obliged but passed the buck: "


def crisis_line(crisis: Crisis) -> str:
    """A crisis in words: :meth:`Crisis.describe`, except that obliged states that stayed out while
    another defender than the target fought are named as passing the buck
    (:attr:`Crisis.buck_passers`)."""
    line = crisis.describe()
    if crisis.buck_passers:
        line = line.replace(STAYED_OUT, PASSED_THE_BUCK, 1)
    return line


def log_lines(model: DeterrenceModel, last: int = LOG_LENGTH, size: int | None = None) -> list[str]:
    """The ``last`` crises of the run as lines of words, newest first.

    ``size`` is the length the log had at the step on view (default: now), so that a past step
    shows the log as it stood then. Deterred challenges are kept: a challenge that was weighed and
    dropped is deterrence at work.
    """
    log = model.crisis_log if size is None else model.crisis_log[:size]
    if last <= 0:
        return []
    return [crisis_line(crisis) for crisis in reversed(log[-last:])]


def log_entries(model: DeterrenceModel, last: int = LOG_LENGTH, size: int | None = None,
                events: int | None = None) -> list[tuple[str, str]]:
    """The ``last`` entries of the run's log, newest first, as ``(words, kind)``: its crises
    (kind ``crisis``) and the alliance's events after formation (kind ``alliance``), in the order
    they happened (in a step, its crises come before the exits and ties ending at its end).

    ``size`` and ``events``: the lengths the crisis log and the event list had at the step on view
    (default: now).
    """
    if last <= 0:
        return []
    crises = model.crisis_log if size is None else model.crisis_log[:size]
    happened = model.events if events is None else model.events[:events]
    later = [e for e in happened if e.step > 0][-last:]
    entries: list[tuple[int, int, str, str]] = [
        (c.step, 0, crisis_line(c), "crisis") for c in crises[-last:]]
    entries += [(e.step, 1, e.describe(), "alliance") for e in later]
    entries.sort(key=lambda entry: (entry[0], entry[1]))  # stable: each kind keeps its order
    return [(words, kind) for _, _, words, kind in reversed(entries[-last:])]


def step_summary(model: DeterrenceModel) -> str:
    """One line on the current step: how many crises, or that it was quiet; and the alliance's
    events of the step, if any."""
    if model.steps == 0:
        return "no step yet"
    crises = model.crises
    ended = sum(e.step == model.steps for e in getattr(model, "events", ()))
    if not crises:
        summary = f"step {model.steps}: no crisis"
    else:
        aggressions = sum(c.severity is not None for c in crises)
        deterred = len(crises) - aggressions
        parts = []
        if aggressions:
            parts.append(f"{aggressions} aggression{'s' if aggressions > 1 else ''}")
        if deterred:
            parts.append(f"{deterred} challenge{'s' if deterred > 1 else ''} deterred")
        summary = f"step {model.steps}: " + ", ".join(parts)
    if ended:
        summary += f" · {ended} alliance event{'s' if ended > 1 else ''}"
    return summary
