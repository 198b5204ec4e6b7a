"""The data a model is built from: states, challengers, flashpoints and the alliance's members.

A :class:`Scenario` is plain, validated data. Reading it from a TOML file is the job of the
``scenarios`` package; the model only consumes the object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import design_cache

MOST_POWER = 1_000_000.0
"""The largest power a state or challenger may have, at the start or grown by its trend. Power is
relative (the shipped scenarios give military expenditure in billions of US dollars, at most about
1,000); the bound keeps every rule's arithmetic finite (powers are raised to the decisiveness, at
most 4)."""
LEAST_POWER = 1e-6
"""The least power a state or challenger may have, at the start (a challenger's times the least
``challenger_power_scale``) or taken there by its trend: a power must stay positive, and every rule
divides by sums of powers raised to the decisiveness."""
MOST_GROWTH = 0.5
"""The largest growth (or, negated, decline) of power per year a trend may give (real growth of
military spending has rarely stayed above a few tens of per cent a year outside wars)."""


@dataclass(frozen=True)
class Trend:
    """How an actor's power grows, per year: a constant rate, or rates at given years interpolated
    linearly between them (and held beyond the first and last).

    Attributes:
        rates: real growth per year (0.05 = 5 %); one rate if constant.
        years: the calendar year of each rate (empty if constant).
        source: where the rates come from (or ``assumption: ...``).
    """

    rates: tuple[float, ...]
    years: tuple[int, ...] = ()
    source: str = ""

    def rate(self, year: int) -> float:
        """The growth from ``year`` to the next."""
        if not self.years:
            return self.rates[0]
        return float(np.interp(year, self.years, self.rates))


@dataclass(frozen=True)
class StateSpec:
    """A state as the scenario describes it.

    Attributes:
        name: unique name.
        power: military capability (SIPRI expenditure, US$ bn, or relative units).
        available_share: share of ``power`` that can be brought to this theatre (0-1].
        hedging: value placed on autonomy and ties with the challenger, in [0, 1].
        location: (longitude, latitude) in degrees, where its power is projected from.
        stakes: flashpoint id -> stake in [0, 1]; missing = 0.
        red_lines: flashpoint id -> least severity that makes it fight for its own sake, in (0, 1];
            missing = never.
        exposure: challenger name -> the share, in [0, 1], of that challenger's gains anywhere in
            the region that would cost this state (proximity, and what the gains would do to it:
            Walt 1987); missing = 0.
        growth: how its power grows through the run (``None``: it does not).
    """

    name: str
    power: float
    hedging: float
    location: tuple[float, float]
    available_share: float = 1.0
    stakes: dict[str, float] = field(default_factory=dict)
    red_lines: dict[str, float] = field(default_factory=dict)
    exposure: dict[str, float] = field(default_factory=dict)
    growth: Trend | None = None


@dataclass(frozen=True)
class ChallengerSpec:
    """A revisionist challenger.

    Attributes:
        name: unique name.
        power: military capability, same units as the states'.
        location: (longitude, latitude) in degrees.
        great_power: whether a major war between it and the hub counts as a great-power war.
        growth: how its power grows through the run (``None``: it does not).
    """

    name: str
    power: float
    location: tuple[float, float]
    great_power: bool = False
    growth: Trend | None = None


@dataclass(frozen=True)
class FlashpointSpec:
    """A place where the challenger can challenge a state's sovereignty.

    Attributes:
        id: short identifier used in stakes and neighbour lists.
        name: display name.
        target: the state whose sovereignty is at stake.
        challenger: the challenger that contests it.
        value: its value to the challenger, in [0, 1].
        theatre: ``maritime`` or ``land``.
        location: (longitude, latitude) in degrees.
        rate: probability per step that an incident opens it.
        neighbours: flashpoint ids a war here can spread to.
        target_may_provoke: whether the target contests it actively and may provoke.
        options: the aggressions the challenger considers here, as severity indices (0 probe,
            1 limited strike, 2 major attack); all three unless the scenario restricts them.
        behind: flashpoint ids of the fronts it lies behind: it can be reached (it opens) only
            once one of them has fallen to the challenger; empty = reachable from the start.
        closed: whether it starts closed to crises (a scheduled ``open`` event opens it).
    """

    id: str
    name: str
    target: str
    challenger: str
    value: float
    theatre: str
    location: tuple[float, float]
    rate: float
    neighbours: tuple[str, ...] = ()
    target_may_provoke: bool = False
    options: tuple[int, ...] = (0, 1, 2)
    behind: tuple[str, ...] = ()
    closed: bool = False


@dataclass(frozen=True)
class Observed:
    """An aggression the states saw before the run begins (it shapes their threat beliefs).

    Attributes:
        year: when it happened.
        flashpoint: the flashpoint id where it happened (its challenger is the aggressor).
        severity: 0 probe, 1 limited strike, 2 major attack.
        source: where the fact comes from.
    """

    year: int
    flashpoint: str
    severity: int
    source: str = ""


EVENT_KINDS = ("hedging", "red_line", "stake", "exposure", "affinity", "open", "close", "restore",
               "crisis")
"""What a scheduled event may do: change a state's hedging, red line or stake at a flashpoint,
exposure to a challenger or affinity with another state; open or close a flashpoint to crises; or
start a crisis at a flashpoint with a given severity."""


@dataclass(frozen=True)
class ScheduledEvent:
    """A change the scenario schedules for a calendar year (it takes effect at the first step of
    that year).

    Attributes:
        year: the calendar year.
        kind: one of :data:`EVENT_KINDS`.
        state: the state it changes (``hedging``, ``red_line``, ``stake``, ``exposure``,
            ``affinity``).
        flashpoint: the flashpoint id (``red_line``, ``stake``, ``open``, ``close``, ``restore``,
            ``crisis``).
        challenger: the challenger (``exposure``).
        other: the other state (``affinity``).
        value: the new value (hedging, red line, stake, exposure, affinity) as the file gives it.
        severity: the crisis's severity index (0 probe, 1 limited strike, 2 major attack).
        source: where the fact comes from (or ``assumption: ...``).
    """

    year: int
    kind: str
    state: str = ""
    flashpoint: str = ""
    challenger: str = ""
    other: str = ""
    value: float = 0.0
    severity: int = 0
    source: str = ""

    def describe(self) -> str:
        """The event in words, e.g. ``the hedging of Thailand becomes 0.7``."""
        severity = ("probe", "limited strike", "major attack")[self.severity]
        return {
            "hedging": f"the hedging of {self.state} becomes {self.value:g}",
            "red_line": f"the red line of {self.state} at {self.flashpoint} becomes {self.value:g}",
            "stake": f"the stake of {self.state} at {self.flashpoint} becomes {self.value:g}",
            "exposure": f"the exposure of {self.state} to {self.challenger} becomes {self.value:g}",
            "affinity": f"the affinity of {self.state} and {self.other} becomes {self.value:g}",
            "open": f"{self.flashpoint} opens to crises",
            "close": f"{self.flashpoint} closes to crises",
            "restore": f"{self.flashpoint} is restored to its defender",
            "crisis": f"a {severity} at {self.flashpoint}",
        }[self.kind]


@dataclass(frozen=True)
class History:
    """What happened to the scenario's alliance, for comparing runs with history.

    Attributes:
        start, end: the historical span, in calendar years.
        structure: the structure it had (a name of :data:`model.structure.STRUCTURES`).
        obligation_mode: how tightly its treaty bound (``conditional`` or ``automatic``).
        formed: whether the alliance formed.
        war: whether a war in which members fought happened in the span.
        fought: the members that fought in it.
        stayed_out: the members that did not.
        exited: the members that left before the end (or before dissolution).
        dissolved: whether the alliance dissolved; ``dissolved_year`` when.
        lost: the flashpoint ids lost to the challenger's major attack.
        joined: the members that joined the alliance (every member if not given).
        ties: the pairs of members whose treaty was signed (for a structure of bilateral ties).
        war_span: the first and last year of the war members fought (``None``: no war).
        exit_years: the year each member in ``exited`` left.
        sources: where each fact comes from.
    """

    start: int
    end: int
    structure: str
    obligation_mode: str
    formed: bool
    war: bool
    fought: tuple[str, ...] = ()
    stayed_out: tuple[str, ...] = ()
    exited: tuple[str, ...] = ()
    dissolved: bool = False
    dissolved_year: int | None = None
    lost: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()
    ties: tuple[tuple[str, str], ...] = ()
    war_span: tuple[int, int] | None = None
    exit_years: dict[str, int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    @property
    def years(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Scenario:
    """A complete, validated scenario.

    Attributes:
        name: scenario name.
        description: one paragraph.
        states, challengers, flashpoints: the entities.
        hub: the hub's name (``None`` for a scenario without one).
        members: the alliance's founding members (the same under every structure).
        protocol_states: non-members every obligation also covers (SEATO's protocol states).
        minilateral: pairs of members linked in the ``lattice`` structure.
        baseline_divergence: the red-line divergence the file's stakes represent.
        parameters: model-parameter values this scenario sets (validated by the model).
        source: where the scenario was read from (a path or a name), for messages.
        years_per_step: the calendar length of one step, in years (assumption unless the scenario
            says otherwise: a quarter of a year).
        history: what happened to its alliance, for a scenario drawn from history (else ``None``).
        affinity: ``(a, b)`` (names in scenario order) -> the two states' foreign-policy affinity in
            [-1, 1] (Signorino & Ritter 1999); a pair not listed has ``default_affinity``.
        default_affinity: the affinity of pairs the scenario does not list.
        observed: aggressions the states saw before the run begins (:class:`Observed`).
        start_year: the calendar year the run starts in (needed by power trends given by year and
            by scheduled events; a history's start if the scenario has one).
        events: the changes it schedules (:class:`ScheduledEvent`), in the order of their years.
    """

    name: str
    description: str
    states: tuple[StateSpec, ...]
    challengers: tuple[ChallengerSpec, ...]
    flashpoints: tuple[FlashpointSpec, ...]
    hub: str | None
    members: tuple[str, ...]
    protocol_states: tuple[str, ...] = ()
    minilateral: tuple[tuple[str, str], ...] = ()
    baseline_divergence: float = 0.5
    parameters: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    years_per_step: float = 0.25
    history: History | None = None
    affinity: dict[tuple[str, str], float] = field(default_factory=dict)
    default_affinity: float = 1.0
    observed: tuple[Observed, ...] = ()
    start_year: int | None = None
    events: tuple[ScheduledEvent, ...] = ()

    def steps_for(self, years: float) -> int:
        """The number of steps that spans ``years`` (at least 1)."""
        return max(1, round(years / self.years_per_step))

    def state_names(self) -> list[str]:
        return [s.name for s in self.states]

    def affinity_between(self, a: str, b: str) -> float:
        """The affinity of two states (symmetric; a state with itself: 1)."""
        if a == b:
            return 1.0
        return self.affinity.get((a, b), self.affinity.get((b, a), self.default_affinity))

    def file_mean_hedging(self) -> float:
        """Mean hedging of the non-hub states as the file gives it (0 if there are none)."""
        def mean() -> float:
            others = [s.hedging for s in self.states if s.name != self.hub]
            return float(np.mean(others)) if others else 0.0

        return design_cache.remember(self, "mean hedging", None, mean)
