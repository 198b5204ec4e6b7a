"""What one browser tab is looking at: the comparison, the step on view, playback, a replay.

Solara keeps each module-level ``solara.reactive`` per browser tab, so two tabs never share a run.
The results explorer opens a stored design point through :func:`open_replay`; the side-by-side
view shows whatever :data:`comparison` holds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import solara

from .comparison import Comparison
from .controls import Settings, fixed_values, overrides, scenario_values, slider_values
from .replay import Replay, compare


@dataclass(frozen=True)
class RunConfig:
    """The sidebar's settings of a comparison.

    Attributes:
        scenario, left, right, seed: as in :class:`~viz.comparison.Comparison`.
        values: each slider's value; ``marks``: the scenario's own values of the sliders whose
            default is "the scenario's" (a slider left there keeps the scenario's value).
        fixed: the values with no slider (levers and settings), for both panes.
        replay: the stored runs this configuration replays, if any.
    """

    scenario: str
    left: str
    right: str
    seed: str
    values: dict[str, Any]
    marks: dict[str, float]
    fixed: dict[str, Any] = field(default_factory=dict)
    replay: Replay | None = None

    def parameters(self) -> dict[str, Any]:
        """The model parameters both panes get."""
        if self.replay is not None:
            return dict(self.replay.parameters)
        return {**self.fixed, **overrides(self.values, self.marks)}


def default_config(settings: Settings) -> RunConfig:
    """The configuration ``python run.py viz`` starts with."""
    from scenarios import ScenarioError, load

    try:
        marks = scenario_values(load(settings.scenario))
    except ScenarioError:
        marks = {}
    values = slider_values(settings.overrides, marks) if marks else {}
    return RunConfig(settings.scenario, *settings.structures, str(settings.seed), values, marks,
                     fixed_values(settings.overrides))


def replay_config(replay: Replay) -> RunConfig:
    """The configuration of a replay: its scenario, structures and seed; the sliders show its
    stored values (the scenario's own where it kept them)."""
    from model.parameters import uncertainties
    from scenarios import load

    marks = scenario_values(load(replay.scenario))
    stored = replay.parameters
    names = [p.name for p in uncertainties()]
    values = {n: stored[n] if stored.get(n) is not None else marks.get(n) for n in names}
    fixed = {k: v for k, v in stored.items() if k not in names}
    return RunConfig(replay.scenario, *replay.structures, str(replay.seed), values, marks, fixed,
                     replay=replay)


@dataclass
class Session:
    """A comparison with its configuration and, for a replay, the replayed runs' metrics at the
    stored length (taken before any further step)."""

    config: RunConfig
    comparison: Comparison
    replayed: list[dict[str, float]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def checks(self) -> list[list[tuple[str, Any, Any, bool]]]:
        """Per pane: (metric, stored, replayed, equal) for every stored metric."""
        replay = self.config.replay
        if replay is None or not self.replayed:
            return []
        return [compare(stored, replayed) for stored, replayed in zip(replay.stored, self.replayed,
                                                                     strict=True)]


@dataclass(frozen=True)
class Position:
    """The step on view, and how often the runs have moved (so that a step run after looking
    back renders anew even when the step number is the same)."""

    step: int = 0
    revision: int = 0


session: solara.Reactive[Session | None] = solara.reactive(None)
position = solara.reactive(Position())
playing = solara.reactive(False)


def _show(step: int) -> None:
    position.set(Position(step, position.value.revision + 1))


def start(config: RunConfig) -> Session:
    """A new comparison from ``config``; a replay runs its stored length at once and shows step 0."""
    comparison = Comparison(config.scenario, config.left, config.right, config.seed,
                            **config.parameters())
    new = Session(config, comparison)
    if config.replay is not None and comparison.running:
        comparison.run(config.replay.steps)
        new.replayed = [p.model.metrics() if p.model is not None else {} for p in comparison.panes]
    playing.set(False)
    session.set(new)
    _show(0)
    return new


def open_replay(replay: Replay) -> Session:
    """Open stored runs in the side-by-side view."""
    return start(replay_config(replay))


def look(step: int) -> None:
    """Show ``step`` (within what has been run)."""
    current = session.value
    if current is not None:
        _show(max(0, min(int(step), current.comparison.steps)))


def advance(steps: int = 1) -> None:
    """Move ``steps`` on from the step on view: through the record, then by running the models."""
    current = session.value
    if current is None:
        return
    with current.lock:
        step = current.comparison.advance(position.value.step, steps)
    _show(step)


def next_crisis() -> int | None:
    """Show the next step with a crisis in either pane; ``None`` if none came within the limit."""
    current = session.value
    if current is None:
        return None
    with current.lock:
        found = current.comparison.next_crisis(position.value.step)
        step = found if found is not None else current.comparison.steps
    _show(step)
    return found
