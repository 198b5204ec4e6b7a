"""Two structures, one seed, one crisis stream, and the record of every step the page can show.

:class:`Comparison` holds two :class:`~model.DeterrenceModel` runs that differ only in their
structure. They share the seed, so they face the same crisis opportunities (the model draws
opportunities from their own random stream, independent of every decision; a flashpoint taken or at
war in one of them opens no crisis there), and they step together:
a viewer sees the same challenge met differently.

Every step is kept (:class:`Record`: the network as data, the one-line summary, the latest review
and how long the log was), so the page shows any past step from its record: looking back never
reruns a model. Each pane keeps its log (:class:`viz.crisis_log.LogEntry`) as it grows, and its
reviews are described as they happen (:mod:`viz.reviews`).
:meth:`Comparison.advance` moves the step on view forward -- through the record first, then by
running both models -- and :meth:`Comparison.next_crisis` to the first later step at which either
pane has a crisis (an aggression or a challenge that was deterred).

Problems with the inputs (an unknown scenario, a structure the scenario cannot have, a seed that is
not a whole number, a parameter out of range) are kept as a message for the page to show, never
raised.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass, field
from typing import Any

from model import DeterrenceModel
from model.structure import COMPARED, STRUCTURES

from .alliance import Formation, formation_of
from .charts import COLOURS, chart_frame, chart_rows
from .crisis_log import LogEntry, entries, log_lines, step_summary
from .network import Network, network
from .reviews import latest_line, review_texts

_SERIALS = itertools.count(1)
"""Numbers every comparison of this process apart (``id()`` can be reused once one is gone)."""

CRISIS_SEARCH_LIMIT = 1000
"""Most steps :meth:`Comparison.next_crisis` runs looking for a crisis."""


@dataclass(frozen=True)
class Record:
    """What the page shows of one pane at one step."""

    network: Network
    summary: str
    log_size: int
    """Length of the run's crisis log at this step."""
    events_size: int = 0
    """Length of the run's alliance events at this step."""
    reviews_size: int = 0
    """How many reviews the run had held by this step."""
    entries: int = 0
    """Length of the pane's log (:attr:`Pane.log`) at this step."""
    review: tuple[str, ...] = ()
    """The latest review by this step: one line, then its judgements (:func:`viz.reviews.latest_line`)."""


@dataclass
class Pane:
    """One side of the comparison: its structure, its model (or the reason there is none), the
    record of its steps (``records[k]`` is step k) and its log, oldest first."""

    structure: str
    model: DeterrenceModel | None
    error: str | None = None
    records: list[Record] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)

    def record(self) -> None:
        """Keep the model's current step (its reviews described now, at their own beliefs)."""
        model = self.model
        texts = review_texts(model)
        data = network(model)
        last = self.records[-1] if self.records else Record(data, "", 0)
        if self.records:  # share what did not change
            before = last.network
            if data.edges == before.edges:
                data.edges = before.edges
            if data.ended == before.ended:
                data.ended = before.ended
            if data.pacts == before.pacts:
                data.pacts = before.pacts
        self.log.extend(entries(model.crisis_log[last.log_size:], model.events[last.events_size:],
                                texts[last.reviews_size:]))
        self.records.append(Record(data, step_summary(model), len(model.crisis_log),
                                   len(model.events), len(texts), len(self.log),
                                   latest_line(model)))

    @property
    def formation(self) -> Formation:
        """How the structure formed (:mod:`viz.alliance`)."""
        return formation_of(self.model)

    def history(self, step: int) -> list[LogEntry]:
        """The log as it stood at ``step``, oldest first."""
        return self.log[:self.records[step].entries]

    def log_lines(self, step: int, last: int | None = None) -> list[str]:
        """The log as it stood at ``step`` in words, newest first (its ``last`` entries, or all)."""
        return [words for words, _ in self.log_entries(step, last)]

    def log_entries(self, step: int, last: int | None = None) -> list[tuple[str, str]]:
        """The log at ``step`` as ``(words, kind)``, newest first (its ``last`` entries, or all)."""
        found = self.history(step)
        if last is not None:
            found = found[-last:] if last > 0 else []
        return [(entry.text, entry.kind) for entry in reversed(found)]

    def crisis_lines(self, step: int, last: int | None = None) -> list[str]:
        """Only the crises of the log at ``step``, newest first."""
        return log_lines(self.model, last, size=self.records[step].log_size)


class Comparison:
    """Two structures stepping together on the same seed, with the record of every step.

    Args:
        scenario_name: a shipped scenario's name or a scenario file's path.
        left, right: the two structures.
        seed: the shared seed (an integer, or its text from the page's seed box).
        **parameters: model parameter values for both panes (``None`` = the scenario's own).

    Attributes:
        panes: the left and right :class:`Pane`.
        serial: a number no other comparison of this process has (the browser starts its log and
            its charts afresh when it changes).
        error: a problem that affects both panes (bad seed, unreadable scenario), or ``None``.
        scenario_title: the loaded scenario's name.
        seed: the shared seed.
        parameters: the parameter values given.
    """

    def __init__(self, scenario_name: str = "asia", left: str = COMPARED[0],
                 right: str = COMPARED[1], seed: int | str = 1, **parameters: Any) -> None:
        from scenarios import ScenarioError, load

        self.error: str | None = None
        self.serial = next(_SERIALS)
        self.scenario_title = str(scenario_name)
        self.parameters = dict(parameters)
        self._lock = threading.RLock()
        self._charts: dict[int, list[dict]] = {}
        number = _parse_seed(seed)
        if number is None:
            self.error = f"seed: {str(seed).strip()!r} is not a whole number"
        self.seed = number if number is not None else 0
        loaded = None
        if self.error is None:
            try:
                loaded = load(scenario_name)
                self.scenario_title = loaded.name
            except ScenarioError as problem:
                self.error = str(problem)
        self.panes: list[Pane] = []
        for structure in (left, right):
            if loaded is None:
                self.panes.append(Pane(structure, None, self.error))
                continue
            try:
                model = DeterrenceModel(loaded, structure, rng=self.seed, **parameters)
            except ValueError as problem:
                self.panes.append(Pane(structure, None, str(problem)))
                continue
            pane = Pane(structure, model)
            pane.record()
            self.panes.append(pane)

    @property
    def running(self) -> list[Pane]:
        """The panes that have a model."""
        return [p for p in self.panes if p.model is not None]

    @property
    def steps(self) -> int:
        """Steps run so far (the latest step that can be shown)."""
        running = self.running
        return running[0].model.steps if running else 0

    @property
    def labels(self) -> list[str]:
        """The panes' names: their structures' labels (``hub-and-spoke``), with (left)/(right)
        if they are the same."""
        names = [STRUCTURES[p.structure].label if p.structure in STRUCTURES else p.structure
                 for p in self.panes]
        if len(set(names)) < len(names):
            return [f"{name} ({side})" for name, side in zip(names, ("left", "right"), strict=False)]
        return names

    @property
    def colours(self) -> list[str]:
        """The panes' colours in the charts: their structures' colours (as in every figure and the
        explorer), or two distinct ones if those are the same."""
        found = [STRUCTURES[p.structure].colour if p.structure in STRUCTURES else "" for p in self.panes]
        if "" in found or len(set(found)) < len(found):
            return list(COLOURS[:len(self.panes)])
        return found

    def step(self) -> None:
        """Run both models one step and keep the record."""
        with self._lock:
            for pane in self.running:
                pane.model.step()
                pane.record()

    def run(self, steps: int) -> None:
        """Run both models ``steps`` steps."""
        for _ in range(steps):
            self.step()

    def advance(self, at: int, steps: int = 1) -> int:
        """The step ``steps`` after ``at``: through the record first, then by running the models."""
        with self._lock:
            target = max(0, at + steps)
            if self.running and target > self.steps:
                self.run(target - self.steps)
            return min(target, self.steps)

    def has_crisis(self, step: int) -> bool:
        """Whether either pane had a crisis (an aggression or a deterred challenge) at ``step``."""
        return any(p.records[step].network.crises for p in self.running)

    def next_crisis(self, at: int, limit: int = CRISIS_SEARCH_LIMIT) -> int | None:
        """The first step after ``at`` with a crisis in either pane, running up to ``limit`` new
        steps to find it; ``None`` if there is none (the runs then stand ``limit`` steps further)."""
        with self._lock:
            if not self.running:
                return None
            for step in range(at + 1, self.steps + 1):
                if self.has_crisis(step):
                    return step
            for _ in range(limit):
                self.step()
                if self.has_crisis(self.steps):
                    return self.steps
            return None

    def chart_rows(self) -> list[dict]:
        """The charts' data for every step run so far, in step order (each step's rows are
        computed once; a step's values depend only on the steps before it)."""
        with self._lock:
            done = max(self._charts, default=0)
            if done < self.steps:
                frames = [(label, chart_frame(p.model.series(), needed=needed_share(p.model),
                                              ended=ended_per_step(p.model)))
                          for label, p in zip(self.labels, self.panes, strict=True)
                          if p.model is not None]
                for row in chart_rows(frames, start=done):
                    self._charts.setdefault(row["step"], []).append(row)
            return [row for step in sorted(self._charts) for row in self._charts[step]]


def ended_per_step(model: DeterrenceModel) -> list[int]:
    """The ties a party ended at each step 1..now, from the structure's record of its ties (a review's
    endings included; the ties closed by dissolution are not counted, as in the ``ties_ended``
    metric)."""
    counts = [0] * (model.steps + 1)
    for tie in model.graph.ties:
        if tie.end is not None and 0 < tie.end <= model.steps and tie.end != model.dissolved_at:
            counts[tie.end] += 1
    return counts[1:]


def needed_share(model: DeterrenceModel) -> float:
    """The share of the prospective members that must be bound for the structure to count as formed
    (NaN without prospective members)."""
    membership = model.membership
    return membership.needed / membership.prospective if membership.prospective else math.nan


def _parse_seed(seed: int | str) -> int | None:
    if isinstance(seed, bool):
        return None
    if isinstance(seed, int):
        return seed if seed >= 0 else None
    text = str(seed).strip()
    return int(text) if text.isdigit() else None
