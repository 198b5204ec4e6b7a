"""Time that changes things: each actor's power following its trend, and the changes the scenario
schedules for a calendar year (docs/ODD.md, submodel 13).

Step ``t`` (from 1) lies in year ``k = floor((t - 1) × years_per_step)`` of the run, calendar year
``start_year + k``. What belongs to a year takes effect at the end of the step before the year's
first step -- the **calendar** phase, last in the step -- so that the whole year sees it; what
belongs to the first year takes effect as the model is built, before the first review.

* **Power trends.** An actor with a declared ``growth`` has, in year ``k``, its starting power times
  ``prod_{j<k} (1 + g(start_year + j)) ** trend_scale`` (growth compounded once a year, the year's
  rate from its trend). Every rule reads the power as it is now: the states' and challengers' power
  and local power (the loss-of-strength gradient is linear in power), and the sum of all powers.
  Shifts in relative power are where the theory of power transition looks for war and for the end
  of alliances (Organski & Kugler 1980; Gilpin 1981; Leeds & Savun 2007).
* **Scheduled events.** A change of a state's hedging, red line or stake at a flashpoint, exposure
  to a challenger or affinity with another state replaces the value the scenario gives, and the
  model derives the state's traits from it as it did when it was built (the hedging shift, the
  red-line divergence transform, ``hub_stake``, ``exposure_weight``: :mod:`model.build`); a
  flashpoint opens to crises or closes; or a crisis starts at a flashpoint with the event's
  severity, in the year's first step, whatever the challenger would have chosen (an exogenous war:
  the states observe it as an aggression). Each appears in the alliance's events with its source
  (a crisis that cannot start there, its flashpoint taken, closed, at war or out of reach, says
  so).

With ``trend_scale`` 0 and ``scheduled_events = "off"`` nothing changes with time (as before both
existed).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from . import build, design_cache, threat
from .crisis import Event
from .scenario import LEAST_POWER, MOST_POWER, Scenario, ScheduledEvent

if TYPE_CHECKING:
    from .agents import Actor
    from .model import DeterrenceModel

TRAIT_EVENTS = ("hedging", "red_line", "stake", "exposure", "affinity")
"""The kinds of event that change a state's traits."""


def year_of(step: int, years_per_step: float) -> int:
    """The year of the run that step ``step`` lies in (0: the first; step 0 is the build)."""
    return max(0, math.floor((step - 1) * years_per_step + 1e-9))


def first_step(year: int, years_per_step: float) -> int:
    """The first step at or after the start of year ``year`` of the run: where that year's events
    take effect (with steps longer than a year, some years start within a step, and their events
    wait for the next one)."""
    step = 1 + math.ceil(year / years_per_step - 1e-9)
    while year_of(step - 1, years_per_step) >= year and step > 1:  # guard against rounding
        step -= 1
    return step


class Calendar:
    """The calendar of one model (see the module docstring).

    Attributes:
        scenario: the scenario as the events so far have changed it.
        year: the year of the run whose changes have taken effect (0: the first).
        forced: ``{step: {flashpoint index: severity}}``, the crises the events start.
    """

    def __init__(self, model: DeterrenceModel) -> None:
        self.model = model
        spec = model.spec
        p = model.params
        self.scenario: Scenario = spec
        self.start = spec.start_year
        self.years_per_step = spec.years_per_step
        self.scale = p["trend_scale"]
        actors: list[Actor] = [*model.states, *model.challengers]
        specs = [*spec.states, *spec.challengers]
        self._trends = [(actor, s.growth, actor.power, actor.local_power)
                        for actor, s in zip(actors, specs, strict=True)
                        if s.growth is not None and self.scale > 0.0 and any(s.growth.rates)]
        self._logs = [0.0] * len(self._trends)
        events = spec.events if p["scheduled_events"] == "on" else ()
        self._events: dict[int, list[ScheduledEvent]] = {}
        for event in events:
            self._events.setdefault(event.year - self.start, []).append(event)
        index = {fp.id: fp.index for fp in model.flashpoints}
        self.forced: dict[int, dict[int, int]] = {}
        for k, listed in self._events.items():
            for event in listed:
                if event.kind == "crisis":
                    self.forced.setdefault(self.first_step(k), {})[index[event.flashpoint]] = (
                        event.severity)
        self._hedging_shift = p["mean_hedging"] - spec.file_mean_hedging()
        self._stakes = build.stakes_and_red_lines_of(spec, p)
        """The hedging, stakes and red lines the scenario as it stands implies."""
        self.year = 0

    # --- when ------------------------------------------------------------------------------------

    def year_of(self, step: int) -> int:
        """The year of the run that step ``step`` lies in (0: the first; step 0 is the build)."""
        return year_of(step, self.years_per_step)

    def first_step(self, year: int) -> int:
        """The first step of year ``year`` of the run."""
        return first_step(year, self.years_per_step)

    def calendar_year(self, step: int) -> int | None:
        """The calendar year of step ``step`` (``None``: the scenario names no start year)."""
        return None if self.start is None else self.start + self.year_of(step)

    def next_change(self, step: int) -> int | None:
        """The first step from ``step`` on at whose end a change takes effect (``None``: none)."""
        year = max(self.year + 1, self.year_of(step + 1))
        if not self._trends:
            later = [k for k in self._events if k >= year]
            if not later:
                return None
            year = min(later)
        return max(step, self.first_step(year) - 1)

    # --- what --------------------------------------------------------------------------------------

    def begin(self) -> None:
        """The first year's events, as the model is built (before the first review)."""
        with self.model.cache.calendar_changes():
            for event in self._events.get(0, ()):
                self._apply(event, 0)
            self._refresh(self._events.get(0, ()))
            self._log_crises(self._events.get(0, ()), 0)

    def turn(self, model: DeterrenceModel) -> None:
        """**Calendar**: if the next step starts a new year, that year's powers and events."""
        upto = self.year_of(model.steps + 1)
        while self.year < upto:
            with model.cache.calendar_changes():
                self.year += 1
                self._grow(self.year)
                listed = self._events.get(self.year, ())
                for event in listed:
                    self._apply(event, model.steps + 1)
                self._refresh(listed)
                self._log_crises(listed, model.steps + 1)

    def _grow(self, year: int) -> None:
        """Every trend's growth from the year before to ``year``."""
        if not self._trends:
            return
        model = self.model
        calendar_year = (self.start or 0) + year - 1
        for k, (actor, trend, power, local) in enumerate(self._trends):
            self._logs[k] += self.scale * math.log1p(trend.rate(calendar_year))
            factor = math.exp(self._logs[k])
            if not LEAST_POWER <= power * factor <= MOST_POWER:
                raise ValueError(self._beyond(actor, power * factor, year))
            actor.power = power * factor
            actor.local_power = design_cache.frozen(local * factor)
        model.total_power = (sum(s.power for s in model.states)
                             + sum(c.power for c in model.challengers))
        model.cache.traits_changed()

    def check(self, steps: int) -> None:
        """``ValueError`` if a trend would take a power outside its limits within ``steps`` steps from
        now (checked before a run starts; the last step's calendar phase turns into the year after
        it)."""
        last = self.year_of(self.model.steps + steps + 1)
        for k, (actor, trend, power, _) in enumerate(self._trends):
            log = self._logs[k]
            for year in range(self.year + 1, last + 1):
                log += self.scale * math.log1p(trend.rate((self.start or 0) + year - 1))
                if not LEAST_POWER <= power * math.exp(log) <= MOST_POWER:
                    raise ValueError(self._beyond(actor, power * math.exp(log), year))

    def _beyond(self, actor: Actor, power: float, year: int) -> str:
        """The message of a trend that takes a power outside its limits."""
        spec = self.model.spec
        bound = (f"above the limit of {MOST_POWER:,.0f}" if power > MOST_POWER
                 else f"below the least power of {LEAST_POWER:g}")
        return (f"{spec.source or spec.name}: {actor.name}'s growth would take its power to "
                f"{power:.4g} by year {year} of the run, {bound}: shorten the run or change its "
                "growth or trend_scale")

    def _apply(self, event: ScheduledEvent, step: int) -> None:
        """One event: the scenario's value replaced (traits follow in :meth:`_refresh`), a
        flashpoint opened or closed, or restored to its defender if the challenger holds it; each
        entered in the alliance's events at ``step``, the first step it holds for (a crisis: by
        :meth:`_log_crises`, once the year's other events have taken effect)."""
        model = self.model
        kind = event.kind
        if kind == "crisis":
            return
        spec = self.scenario
        if kind in ("hedging", "red_line", "stake", "exposure"):
            states = list(spec.states)
            i = spec.state_names().index(event.state)
            s = states[i]
            if kind == "hedging":
                states[i] = replace(s, hedging=event.value)
            else:
                name = {"red_line": "red_lines", "stake": "stakes", "exposure": "exposure"}[kind]
                key = event.challenger if kind == "exposure" else event.flashpoint
                states[i] = replace(s, **{name: {**getattr(s, name), key: event.value}})
            self.scenario = replace(spec, states=tuple(states))
        elif kind == "affinity":
            names = spec.state_names()
            pair = tuple(sorted((event.state, event.other), key=names.index))
            self.scenario = replace(spec, affinity={**spec.affinity, pair: event.value})
        elif kind in ("open", "close"):
            fp = next(f for f in model.flashpoints if f.id == event.flashpoint)
            fp.closed = kind == "close"
            model.opportunities.refresh()
        held = ""
        if kind == "restore":
            fp = next(f for f in model.flashpoints if f.id == event.flashpoint)
            if fp.taken:
                fp.taken = False
                model.opportunities.refresh()
            else:
                held = ", not held by its challenger: nothing changes"
        who = [name for name in (event.state, event.other) if name]
        detail = (f"{event.year}: {event.describe()}{held}"
                  + (f" ({event.source})" if event.source else ""))
        model.events.append(Event(step, "scheduled", who, detail))

    def _log_crises(self, events, step: int) -> None:
        """The year's crises in the alliance's events at ``step``, each saying so if it cannot start
        there: the flashpoint taken, closed, at war already or behind fronts still held (the
        year's other events included, so the log tells what the step will do)."""
        model = self.model
        for event in events:
            if event.kind != "crisis":
                continue
            fp = next(f for f in model.flashpoints if f.id == event.flashpoint)
            why = ("held by its challenger" if fp.taken else "closed to crises" if fp.closed
                   else "at war already" if fp.at_war else "behind fronts still held"
                   if not fp.reachable else "")
            detail = (f"{event.year}: {event.describe()}"
                      + (f", not started: {fp.id} is {why}" if why else "")
                      + (f" ({event.source})" if event.source else ""))
            model.events.append(Event(step, "scheduled", [], detail))

    def _refresh(self, events) -> None:
        """The traits the year's events change, derived from the scenario as changed: each derived
        stake or red line that moved replaces the state's value there (a value it reached
        otherwise, by converging red lines in a deepening lattice, stays unless the event moves
        it); a hedging event gives
        the state the file's value shifted as at build (the hub: the event's value)."""
        kinds = {event.kind for event in events}
        if not kinds & set(TRAIT_EVENTS):
            return
        model = self.model
        scenario, p = self.scenario, model.params
        if "hedging" in kinds:
            values = build.hedging(scenario, p, shift=self._hedging_shift)
            names = scenario.state_names()
            for name in {event.state for event in events if event.kind == "hedging"}:
                model.states[names.index(name)].hedging = values[names.index(name)]
        if kinds & {"red_line", "stake"}:
            stakes, lines = build.stakes_and_red_lines_of(scenario, p)
            old_stakes, old_lines = self._stakes
            for state in model.states:
                i = state.index
                moved_stakes = stakes[i] != old_stakes[i]
                moved_lines = lines[i] != old_lines[i]
                if moved_stakes.any() or moved_lines.any():
                    state.set_traits(stakes=np.where(moved_stakes, stakes[i], state.stakes),
                                     red_lines=np.where(moved_lines, lines[i], state.red_lines))
            self._stakes = (stakes, lines)
            model.refresh_concerned()
        if "exposure" in kinds:
            model.exposure = build.exposure(scenario, p)
        if "affinity" in kinds:
            model.affinity = build.affinity(scenario)
        model.threat.attention = threat.attention(model)
        model.cache.traits_changed()


def turn(model: DeterrenceModel) -> None:
    """**Calendar**: when the next step starts a new year, that year's powers and scheduled events
    take effect."""
    model.calendar.turn(model)


def quiet_limit(model: DeterrenceModel, steps: int, first: int) -> int:
    """How many of ``steps`` quiet steps, the first numbered ``first``, run before a step at whose
    end the calendar changes something (that step runs through the phases)."""
    change = model.calendar.next_change(first)
    return steps if change is None else min(steps, change - first)


def opened(model: DeterrenceModel, step: int, drawn) -> list[int]:
    """The flashpoints that open at ``step``: those ``drawn`` by the opportunities, and those where
    an event starts a crisis (if they are open to crises), in scenario order."""
    forced = model.calendar.forced.get(step)
    if not forced:
        return drawn
    flashpoints = model.flashpoints
    return sorted({*drawn, *(f for f in forced if flashpoints[f].open_to_crises)})
