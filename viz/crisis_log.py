"""The crisis log: the model's last crises in words, newest first (:meth:`Crisis.describe`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model import DeterrenceModel

LOG_LENGTH = 8


def log_lines(model: DeterrenceModel, last: int = LOG_LENGTH) -> list[str]:
    """The ``last`` crises of the run as lines of words, newest first.

    Deterred challenges are kept: a challenge that was weighed and dropped is deterrence at work.
    """
    if last <= 0:
        return []
    return [crisis.describe() for crisis in reversed(model.crisis_log[-last:])]


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
