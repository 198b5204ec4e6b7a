"""The log: the run's whole history in words -- its crises (:meth:`Crisis.describe`), the alliance's
events (:meth:`Event.describe`: ties that ended, members that left, dissolution, formation by
independent decisions) and its reviews of membership (:mod:`viz.reviews`: who negotiated, what
changed, and each party's value in parts) -- as :class:`LogEntry` records, oldest first; the page
shows them newest first, all of them, with a text filter (:meth:`LogEntry.matches`).

A review that changed nothing is not listed (the alliance box names the latest review, whatever it
did); the alliance's events that a review made (``acceded``, ``left``, ``tie formed``, ``tie ended``
at a review's step, and the first review's ``declined`` and ``formed``) are listed as that review,
with every party's value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .reviews import ReviewText, review_texts

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.crisis import Crisis, Event

STAYED_OUT = "obliged but stayed out: "
PASSED_THE_BUCK = "obliged but passed the buck: "
REVIEW_KINDS = frozenset({"acceded", "left", "tie formed", "tie ended", "declined", "formed",
                          "not formed"})
"""Kinds of event a review makes (shown as the review itself, with every party's value)."""
KINDS = ("crisis", "alliance", "review")
"""The kinds of log entry, in the order they come within a step (crises first, then the membership
phase)."""


@dataclass(frozen=True)
class LogEntry:
    """One entry of the log.

    Attributes:
        step: the step it happened at.
        kind: ``crisis``, ``alliance`` (an event of the alliance) or ``review``.
        text: its line of words.
        details: the lines under it (a review's judgements).
    """

    step: int
    kind: str
    text: str
    details: tuple[str, ...] = ()

    def row(self) -> list:
        """The entry for the page: ``[text, kind, details]``."""
        return [self.text, self.kind, list(self.details)]

    def matches(self, query: str) -> bool:
        """Whether the entry holds ``query`` (case-insensitive, in its line or its details): the
        page's filter (``log.vue``) does the same."""
        query = query.strip().lower()
        return not query or query in self.text.lower() or any(
            query in line.lower() for line in self.details)


def crisis_line(crisis: Crisis) -> str:
    """A crisis in words: :meth:`Crisis.describe`, except that obliged states that stayed out while
    another defender than the target fought are named as passing the buck
    (:attr:`Crisis.buck_passers`)."""
    line = crisis.describe()
    if crisis.buck_passers:
        line = line.replace(STAYED_OUT, PASSED_THE_BUCK, 1)
    return line


def log_lines(model: DeterrenceModel, last: int | None = None, size: int | None = None) -> list[str]:
    """The crises of the run as lines of words, newest first (the ``last`` ones, or all).

    ``size`` is the length the log had at the step on view (default: now), so that a past step
    shows the log as it stood then. Deterred challenges are kept: a challenge that was weighed and
    dropped is deterrence at work.
    """
    log = model.crisis_log if size is None else model.crisis_log[:size]
    if last is not None:
        if last <= 0:
            return []
        log = log[-last:]
    return [crisis_line(crisis) for crisis in reversed(log)]


def entries(crises: Sequence[Crisis], events: Sequence[Event], texts: Sequence[ReviewText]
            ) -> list[LogEntry]:
    """The log entries of these crises, events and reviews, oldest first (within a step: crises,
    then the alliance's events, then the review). Reviews that changed nothing are left out, and so
    are the events a review made (see the module docstring)."""
    made = {text.step for text in texts if text.changed or text.first}
    reviewed = {text.step for text in texts}
    found: list[tuple[int, int, LogEntry]] = [
        (c.step, 0, LogEntry(c.step, "crisis", crisis_line(c))) for c in crises]
    found += [(e.step, 1, LogEntry(e.step, "alliance", e.describe())) for e in events
              if not (e.step in reviewed and e.kind in REVIEW_KINDS)]
    found += [(t.step, 2, LogEntry(t.step, "review", t.headline, tuple(t.details())))
              for t in texts if t.step in made]
    found.sort(key=lambda entry: (entry[0], entry[1]))  # stable: each kind keeps its order
    return [entry for _, _, entry in found]


def history(model: DeterrenceModel, size: int | None = None, events: int | None = None,
            reviews: int | None = None) -> list[LogEntry]:
    """The run's log, oldest first, as it stood when the crisis log, the event list and the
    reviews had ``size``, ``events`` and ``reviews`` items (default: now)."""
    texts = review_texts(model)
    return entries(model.crisis_log[:size], model.events[:events], texts[:reviews])


def log_entries(model: DeterrenceModel, last: int | None = None, size: int | None = None,
                events: int | None = None, reviews: int | None = None) -> list[tuple[str, str]]:
    """The log newest first as ``(words, kind)`` (:func:`history`; the ``last`` entries, or all)."""
    found = history(model, size, events, reviews)
    if last is not None:
        if last <= 0:
            return []
        found = found[-last:]
    return [(entry.text, entry.kind) for entry in reversed(found)]


def step_summary(model: DeterrenceModel) -> str:
    """One line on the current step: how many crises, or that it was quiet; and the alliance's
    events of the step, if any."""
    if model.steps == 0:
        return "step 0: as formed, before the first step"
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
