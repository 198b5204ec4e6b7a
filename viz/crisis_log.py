"""The crisis log: the model's last crises in words, newest first (:meth:`Crisis.describe`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model import DeterrenceModel

LOG_LENGTH = 8


def log_lines(model: DeterrenceModel, last: int = LOG_LENGTH, size: int | None = None) -> list[str]:
    """The ``last`` crises of the run as lines of words, newest first.

    ``size`` is the length the log had at the step on view (default: now), so that a past step
    shows the log as it stood then. Deterred challenges are kept: a challenge that was weighed and
    dropped is deterrence at work.
    """
    log = model.crisis_log if size is None else model.crisis_log[:size]
    if last <= 0:
        return []
    return [crisis.describe() for crisis in reversed(log[-last:])]


def step_summary(model: DeterrenceModel) -> str:
    """One line on the current step: how many crises, or that it was quiet."""
    if model.steps == 0:
        return "no step yet"
    crises = model.crises
    if not crises:
        return f"step {model.steps}: no crisis"
    aggressions = sum(c.severity is not None for c in crises)
    deterred = len(crises) - aggressions
    parts = []
    if aggressions:
        parts.append(f"{aggressions} aggression{'s' if aggressions > 1 else ''}")
    if deterred:
        parts.append(f"{deterred} challenge{'s' if deterred > 1 else ''} deterred")
    return f"step {model.steps}: " + ", ".join(parts)
