"""Scenarios as TOML data files: the one loader that reads and validates them.

``load("asia")`` reads a shipped scenario (``scenarios/asia.toml``); ``load("path/to/my.toml")``
reads any file: a value that ends in ``.toml`` or holds a path separator is a path (in ``extends``,
relative to the folder of the file that says it), anything else a shipped scenario's name. A file
may start from another with ``extends = "asia"`` and change only what differs: its states and
flashpoints are merged into the parent's by name and id, every other key replaces the parent's.
Anything wrong is refused with a :class:`ScenarioError` naming the file, the field and the problem.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from model.calendar import first_step
from model.parameters import MOST_STEPS, resolve
from model.parameters import get as get_parameter
from model.scenario import (
    EVENT_KINDS,
    LEAST_POWER,
    MOST_GROWTH,
    MOST_POWER,
    ChallengerSpec,
    FlashpointSpec,
    History,
    Observed,
    Scenario,
    ScheduledEvent,
    StateSpec,
    Trend,
)
from model.structure import NAMES as STRUCTURES

from .checking import Checker, printable, read_toml

SHIPPED = Path(__file__).resolve().parent
THEATRES = ("maritime", "land")
_TOP_LEVEL = {
    "name", "description", "extends", "hub", "members", "protocol_states", "minilateral",
    "baseline_divergence", "parameters", "states", "challengers", "flashpoints", "sources",
    "years_per_step", "history", "affinity", "default_affinity", "observed", "start_year", "events",
}
_HISTORY_KEYS = {"start", "end", "structure", "obligation_mode", "formed", "war", "fought", "joined",
                 "ties", "war_span", "exit_years",
                 "stayed_out", "exited", "dissolved", "dissolved_year", "lost", "sources", "note"}
_STATE_KEYS = {"name", "power", "available_share", "hedging", "location", "stakes", "red_lines",
               "exposure", "growth", "growth_source", "note"}
_CHALLENGER_KEYS = {"name", "power", "location", "great_power", "growth", "growth_source", "note"}
_FLASHPOINT_KEYS = {"id", "name", "target", "challenger", "value", "theatre", "location", "rate",
                    "neighbours", "target_may_provoke", "options", "behind", "closed", "note"}
_EVENT_FIELDS = {
    "hedging": ("state", "value"),
    "red_line": ("state", "flashpoint", "value"),
    "stake": ("state", "flashpoint", "value"),
    "exposure": ("state", "challenger", "value"),
    "affinity": ("state", "other", "value"),
    "open": ("flashpoint",),
    "close": ("flashpoint",),
    "restore": ("flashpoint",),
    "crisis": ("flashpoint", "severity"),
}
"""The fields each kind of scheduled event needs (besides ``year``, ``kind`` and ``source``)."""
_EVENT_RANGES = {"hedging": (0.0, 1.0, False), "red_line": (0.0, 1.0, True),
                 "stake": (0.0, 1.0, False), "exposure": (0.0, 1.0, False),
                 "affinity": (-1.0, 1.0, False)}
"""The range of each kind's ``value`` (the range of the field it changes), and whether it is open
below."""
_AFFINITY_KEYS = {"states", "value", "source", "note"}
_OBSERVED_KEYS = {"year", "flashpoint", "severity", "source", "note"}
SEVERITY_OPTIONS = ("probe", "limited", "major")
MOST_YEARS_PER_STEP = 10.0
"""The longest step, in years (a history's span is at most ``MOST_STEPS`` steps)."""
YEARS = (1, 9999)
"""The first and last year a ``[history]`` table may name."""
MOST_CHALLENGER_SCALE = get_parameter("challenger_power_scale").high
"""The most ``challenger_power_scale`` multiplies a challenger's power by: a challenger's power
times it may not exceed ``MOST_POWER``, as no power may at the start of a run."""
LEAST_CHALLENGER_SCALE = get_parameter("challenger_power_scale").low
"""The least it multiplies it by: a challenger's power times it may not fall below
``LEAST_POWER``."""


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file, the field and the problem."""


def require_hub(scenario: Scenario, structure: str, choosable: bool = True) -> None:
    """:class:`ScenarioError` naming the scenario's file, its ``hub`` field and the fix when
    ``structure`` needs a hub and the scenario names none (``choosable``: the user chose the
    structure, so another one is a fix too)."""
    from model.structure import STRUCTURES as DECLARED

    if not DECLARED[structure].needs_hub or scenario.hub is not None:
        return
    without = [name for name, s in DECLARED.items() if not s.needs_hub]
    other = f", or choose a structure without a hub ({', '.join(without)})" if choosable else ""
    raise ScenarioError(
        f"{scenario.source or scenario.name}: hub: missing; structure '{structure}' needs a hub: "
        f"add hub = \"NAME\" naming one of its members ({', '.join(scenario.members)}){other}")


def available() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def is_path(value: str) -> bool:
    """Whether a scenario value names a file: it ends in ``.toml`` or holds a path separator (else
    it is a shipped scenario's name)."""
    return value.endswith(".toml") or "/" in value or "\\" in value


def find(name_or_path: str | Path, folder: Path | None = None) -> Path:
    """The file a scenario name or path refers to: a path (:func:`is_path`) relative to ``folder``
    (default: the current folder), else a shipped scenario's name."""
    value = str(name_or_path)
    if not is_path(value):
        if value not in available():
            raise ScenarioError(
                f"unknown scenario '{printable(value)}': give a shipped name "
                f"({', '.join(available())}) or the path of a .toml file")
        return SHIPPED / f"{value}.toml"
    path = Path(value) if folder is None else folder / value
    if not path.is_file():
        raise ScenarioError(f"{printable(str(path))}: no such scenario file")
    return path


def load(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario; raise :class:`ScenarioError` on any problem."""
    path = find(name_or_path)
    raw, origins = _read_merged(path, seen=())
    return _validate(raw, _Checker(path, origins))


Origins = dict[str, tuple[Path, ...]]
"""The files that gave each part of a merged document, by the field a message names it with: every
top-level field (``"events"``), each state, challenger and flashpoint (``"states[2]"``: the file
that lists it last) and, where files were merged, their fields and entries (``"states[2]
(Japan).stakes.senkaku"``, ``"parameters.theatre_coupling"``); the file furthest up the ``extends``
chain first. A part not named (a field missing, a value inside a field) has the origin of the
nearest part around it."""
_MERGED_LISTS = {"states": "name", "challengers": "name", "flashpoints": "id"}
"""The arrays of tables merged item by item, and the field that names an item."""
_MERGED_TABLES = ("stakes", "red_lines", "exposure")
"""The fields of an item merged entry by entry."""


def _item(key: str, k: int, ident: str) -> str:
    """How a message names the ``k``-th state, challenger or flashpoint: ``states[1] (Japan)``."""
    return f"{key}[{k}] ({ident})"


def _inside(field: str, part: str) -> bool:
    """Whether ``field`` is ``part`` or a field within it."""
    return field == part or field.startswith((f"{part}.", f"{part}[", f"{part} "))


def _read_merged(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], Origins]:
    """The document of ``path`` over those it extends, and the files that gave each part."""
    raw, _ = read_toml(path, ScenarioError)
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        return raw, {key: (path,) for key in raw}
    check = Checker(str(path), ScenarioError)
    if not isinstance(parent_name, str) or not parent_name:
        check.fail("extends", f"must be a scenario name or path, got {parent_name!r}")
    try:
        parent_path = find(parent_name, path.parent)
    except ScenarioError as error:
        check.fail("extends", str(error))
    if parent_path.resolve() in seen or parent_path.resolve() == path.resolve():
        check.fail("extends", f"'{parent_name}' extends itself in a loop")
    parent, origins = _read_merged(parent_path, seen + (path.resolve(),))
    return _merge(parent, origins, raw, path)


def _merge(parent: dict[str, Any], before: Origins, child: dict[str, Any], path: Path
           ) -> tuple[dict[str, Any], Origins]:
    """``child`` (the document of ``path``) over ``parent`` (whose parts ``before`` gave): states,
    challengers and flashpoints item by item (:func:`_merge_items`), ``parameters`` entry by
    entry, anything else replaced; with the files that gave each part."""
    merged, after = dict(parent), dict(before)
    for key, value in child.items():
        if key in _MERGED_LISTS and isinstance(value, list):
            merged[key] = _merge_items(key, parent, before, value, path, after)
            after[key] = (*before.get(key, ()), path)
        elif key == "parameters" and isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = {**parent[key], **value}
            for name in parent[key]:
                after.setdefault(f"{key}.{name}", before[key])
            after.update({f"{key}.{name}": (path,) for name in value})
            after[key] = (*before[key], path)
        else:
            merged[key] = value
            for part in [part for part in after if _inside(part, key)]:
                del after[part]
            after[key] = (path,)
    return merged, after


def _merge_items(key: str, parent: dict[str, Any], before: Origins, value: list[Any], path: Path,
                 after: Origins) -> list[dict[str, Any]]:
    """The states, challengers or flashpoints (``key``) ``path`` gives (``value``) merged into the
    parent's by name or id, their stakes, red lines and exposures entry by entry; ``after`` told
    the files that gave each item, field and entry."""
    ident = _MERGED_LISTS[key]
    inherited, own = _Checker(path, before), Checker(str(path), ScenarioError)
    items = list(inherited.table_list(parent, key)) if key in parent else []
    position: dict[str, int] = {}
    for k, item in enumerate(items):
        where = f"{key}[{k}]"
        position.setdefault(inherited.name(inherited.require(item, ident, where),
                                           f"{where}.{ident}"), k)
        after.setdefault(where, before[key])
    for k, table in enumerate(value):
        where = f"{key}[{k}]"
        name = own.name(own.require(own.table(table, where), ident, where), f"{where}.{ident}")
        at = position.setdefault(name, len(items))
        if at == len(items):
            items.append({})
        base, prefix = items[at], _item(key, at, name)
        for field in base:  # each field the parent gave keeps its files beside this file's
            after.setdefault(f"{prefix}.{field}", after[f"{key}[{at}]"])
        updated = dict(base)
        for field, field_value in table.items():
            inside, entries = f"{prefix}.{field}", base.get(field)
            if field in _MERGED_TABLES and isinstance(field_value, dict) and isinstance(entries, dict):
                updated[field] = {**entries, **field_value}
                for entry in entries:
                    after.setdefault(f"{inside}.{entry}", after[inside])
                after.update({f"{inside}.{entry}": (path,) for entry in field_value})
                after[inside] = tuple(dict.fromkeys((*after[inside], path)))
            else:
                updated[field] = field_value
                for entry in entries if isinstance(entries, dict) else ():
                    after.pop(f"{inside}.{entry}", None)
                after[inside] = (path,)
        items[at] = updated
        after[f"{key}[{at}]"] = (path,)
    return items


class _Checker(Checker):
    """The shared checks, plus a scenario's own: locations, options, per-flashpoint tables; its
    messages name the file loaded and, for a value other files gave (:data:`Origins`), those files:
    ``x.toml (events from seato): events[0].year: ...``."""

    def __init__(self, path: Path, origins: Origins):
        super().__init__(str(path), ScenarioError)
        self.path = path
        self.origins = origins

    def where(self, field: str) -> str:
        part = max((part for part in self.origins if _inside(field, part)), key=len, default="")
        files = self.origins.get(part, (self.path,))
        if files == (self.path,):
            return self.source
        what = re.match(r"\w*(\[\d+\])?", part).group()
        return f"{self.source} ({what} from {' and '.join(_label(file) for file in files)})"

    def location(self, value: Any, field: str) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            self.fail(field, f"must be [longitude, latitude], got {value!r}")
        lon = self.number(value[0], f"{field}[0] (longitude)", -180.0, 180.0)
        lat = self.number(value[1], f"{field}[1] (latitude)", -90.0, 90.0)
        return (lon, lat)

    def options(self, value: Any, field: str) -> tuple[int, ...]:
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v in SEVERITY_OPTIONS for v in value)):
            self.fail(field, f"must be a non-empty list drawn from {', '.join(SEVERITY_OPTIONS)}, "
                             f"got {value!r}")
        if len(set(value)) != len(value):
            self.fail(field, "lists an option twice")
        return tuple(sorted(SEVERITY_OPTIONS.index(v) for v in value))

    def per_flashpoint(self, table: Any, field: str, fp_ids: list[str],
                       low_open: bool) -> dict[str, float]:
        if not isinstance(table, dict):
            self.fail(field, "must be a table of flashpoint id = value")
        values = {}
        for fid, value in table.items():
            if fid not in fp_ids:
                self.fail(f"{field}.{fid}", f"unknown flashpoint '{fid}' (known: {', '.join(fp_ids)})")
            values[fid] = self.number(value, f"{field}.{fid}", 0.0, 1.0, low_open=low_open)
        return values

    def text(self, table: dict[str, Any], parent: str, key: str) -> None:
        """A table's optional free text (a ``note``; an affinity's ``source``), for people only: a
        string of one line."""
        if key in table:
            self.string(table[key], f"{parent}.{key}")

    def strings(self, value: Any, field: str) -> tuple[str, ...]:
        """A list of strings of one line (``sources``)."""
        if not isinstance(value, list):
            self.fail(field, f"must be a list of strings, got {value!r}")
        return tuple(self.string(text, f"{field}[{k}]") for k, text in enumerate(value))

    def positive(self, table: dict[str, Any], key: str, field: str) -> float:
        return self.number(self.require(table, key, field), f"{field}.{key}", LEAST_POWER,
                           MOST_POWER)


def _label(path: Path) -> str:
    """How a message names a file: a shipped scenario by its name, any other by its path."""
    return path.stem if path.parent == SHIPPED else str(path)


def _validate(raw: dict[str, Any], check: _Checker) -> Scenario:
    """A :class:`Scenario` from a parsed (and merged) file, section by section."""
    check.unknown(raw, _TOP_LEVEL)
    name = check.name(check.require(raw, "name"), "name")
    description = check.string(raw.get("description", name), "description")
    check.strings(raw.get("sources", []), "sources")
    flashpoint_tables = check.table_list(raw, "flashpoints")
    fp_ids = _flashpoint_ids(check, flashpoint_tables)
    states = _states(check, raw, fp_ids)
    state_names = [s.name for s in states]
    challengers = _challengers(check, raw, state_names)
    states = _exposures(check, raw, states, [c.name for c in challengers])
    flashpoints = _flashpoints(check, flashpoint_tables, fp_ids, state_names,
                               [c.name for c in challengers])
    members, hub, protocol, minilateral = _alliance(check, raw, state_names)
    scenario = Scenario(
        name=name,
        description=description,
        states=tuple(states),
        challengers=tuple(challengers),
        flashpoints=tuple(flashpoints),
        hub=hub,
        members=tuple(members),
        protocol_states=tuple(protocol),
        minilateral=tuple(minilateral),
        baseline_divergence=check.number(raw.get("baseline_divergence", 0.5),
                                         "baseline_divergence", 0.0, 1.0),
        parameters=_parameters(check, raw),
        source=check.source,
        years_per_step=check.number(raw.get("years_per_step", 0.25), "years_per_step", 0.0,
                                    MOST_YEARS_PER_STEP, low_open=True),
        history=_history(check, raw, members, fp_ids),
        affinity=_affinity(check, raw, state_names),
        default_affinity=check.number(raw.get("default_affinity", 1.0), "default_affinity", -1.0,
                                      1.0),
        observed=_observed(check, raw, fp_ids),
    )
    scenario = replace(scenario, start_year=_start_year(check, raw, scenario))
    scenario = replace(scenario, events=_events(check, raw, scenario))
    if scenario.history is not None and scenario.steps_for(scenario.history.years) > MOST_STEPS:
        check.fail("history", f"{scenario.history.start}-{scenario.history.end} is "
                              f"{scenario.steps_for(scenario.history.years):,} steps of "
                              f"{scenario.years_per_step:g} years, more than the {MOST_STEPS:,} a "
                              "run may take")
    try:  # the values together: a scenario must run with its own (e.g. the severities must increase)
        resolve(scenario)
    except ValueError as error:
        check.fail("parameters", str(error))
    return scenario


def _flashpoint_ids(check: _Checker, tables: list[dict[str, Any]]) -> list[str]:
    ids = [check.name(check.require(table, "id", f"flashpoints[{k}]"), f"flashpoints[{k}].id")
           for k, table in enumerate(tables)]
    if len(set(ids)) != len(ids):
        check.fail("flashpoints", "two flashpoints share an id")
    return ids


def _states(check: _Checker, raw: dict[str, Any], fp_ids: list[str]) -> list[StateSpec]:
    states = []
    for k, table in enumerate(check.table_list(raw, "states")):
        field = f"states[{k}]"
        check.unknown(table, _STATE_KEYS, field)
        state_name = check.name(check.require(table, "name", field), f"{field}.name")
        field = _item("states", k, state_name)
        check.text(table, field, "note")
        states.append(StateSpec(
            name=state_name,
            power=check.positive(table, "power", field),
            hedging=check.number(check.require(table, "hedging", field), f"{field}.hedging", 0.0, 1.0),
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            available_share=check.number(table.get("available_share", 1.0),
                                         f"{field}.available_share", 0.0, 1.0, low_open=True),
            stakes=check.per_flashpoint(table.get("stakes", {}), f"{field}.stakes", fp_ids,
                                        low_open=False),
            red_lines=check.per_flashpoint(table.get("red_lines", {}), f"{field}.red_lines", fp_ids,
                                           low_open=True),
            growth=_growth(check, table, field),
        ))
    names = [s.name for s in states]
    if len(set(names)) != len(names):
        check.fail("states", "two states share a name")
    return states


def _challengers(check: _Checker, raw: dict[str, Any], state_names: list[str]) -> list[ChallengerSpec]:
    challengers = []
    for k, table in enumerate(check.table_list(raw, "challengers")):
        field = f"challengers[{k}]"
        check.unknown(table, _CHALLENGER_KEYS, field)
        challenger_name = check.name(check.require(table, "name", field), f"{field}.name")
        field = _item("challengers", k, challenger_name)
        check.text(table, field, "note")
        power = check.positive(table, "power", field)
        if power * LEAST_CHALLENGER_SCALE < LEAST_POWER:
            check.fail(f"{field}.power",
                       f"{power:g} is below {LEAST_POWER / LEAST_CHALLENGER_SCALE:g}: "
                       f"challenger_power_scale may multiply it by as little as "
                       f"{LEAST_CHALLENGER_SCALE:g}, and no power may be below {LEAST_POWER:g}")
        if power * MOST_CHALLENGER_SCALE > MOST_POWER:
            check.fail(f"{field}.power",
                       f"{power:g} is above {MOST_POWER / MOST_CHALLENGER_SCALE:,.0f}: "
                       f"challenger_power_scale may multiply it by up to "
                       f"{MOST_CHALLENGER_SCALE:g}, and no power may exceed {MOST_POWER:,.0f}")
        challengers.append(ChallengerSpec(
            name=challenger_name,
            power=power,
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            great_power=check.boolean(table.get("great_power", False), f"{field}.great_power"),
            growth=_growth(check, table, field),
        ))
    names = [c.name for c in challengers]
    if len(set(names)) != len(names):
        check.fail("challengers", "two challengers share a name")
    if set(names) & set(state_names):
        check.fail("challengers", "a challenger has the name of a state")
    return challengers


def _flashpoints(check: _Checker, tables: list[dict[str, Any]], fp_ids: list[str],
                 state_names: list[str], challenger_names: list[str]) -> list[FlashpointSpec]:
    flashpoints = []
    for k, table in enumerate(tables):
        field = _item("flashpoints", k, fp_ids[k])
        check.unknown(table, _FLASHPOINT_KEYS, field)
        check.text(table, field, "note")
        target = check.string(check.require(table, "target", field), f"{field}.target")
        if target not in state_names:
            check.fail(f"{field}.target", f"unknown state '{target}' (known: {', '.join(state_names)})")
        challenger = check.string(check.require(table, "challenger", field), f"{field}.challenger")
        if challenger not in challenger_names:
            check.fail(f"{field}.challenger",
                       f"unknown challenger '{challenger}' (known: {', '.join(challenger_names)})")
        theatre = check.require(table, "theatre", field)
        if theatre not in THEATRES:
            check.fail(f"{field}.theatre", f"must be one of {', '.join(THEATRES)}, got {theatre!r}")
        neighbours = check.names(table.get("neighbours", []), f"{field}.neighbours", fp_ids,
                                 "flashpoint")
        if fp_ids[k] in neighbours:
            check.fail(f"{field}.neighbours", "a flashpoint cannot neighbour itself")
        behind = check.names(table.get("behind", []), f"{field}.behind", fp_ids, "flashpoint")
        if fp_ids[k] in behind:
            check.fail(f"{field}.behind", "a flashpoint cannot lie behind itself")
        flashpoints.append(FlashpointSpec(
            id=fp_ids[k],
            name=check.name(table.get("name", fp_ids[k]), f"{field}.name"),
            target=target,
            challenger=challenger,
            value=check.number(check.require(table, "value", field), f"{field}.value", 0.0, 1.0),
            theatre=theatre,
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            rate=check.number(check.require(table, "rate", field), f"{field}.rate", 0.0, 1.0),
            neighbours=tuple(neighbours),
            target_may_provoke=check.boolean(table.get("target_may_provoke", False),
                                             f"{field}.target_may_provoke"),
            options=check.options(table.get("options", list(SEVERITY_OPTIONS)), f"{field}.options"),
            behind=tuple(behind),
            closed=check.boolean(table.get("closed", False), f"{field}.closed"),
        ))
    _fronts_reachable(check, flashpoints)
    return flashpoints


def _growth(check: _Checker, table: dict[str, Any], field: str) -> Trend | None:
    """An actor's ``growth``: a rate per year, or ``[[year, rate], ...]`` (years increasing), each
    rate within ±:data:`MOST_GROWTH`; with its ``growth_source``."""
    value = table.get("growth")
    if value is None:
        if "growth_source" in table:
            check.fail(f"{field}.growth_source", "given without a growth")
        return None
    source = check.string(check.require(table, "growth_source", field), f"{field}.growth_source")
    if not isinstance(value, list):
        rate = check.number(value, f"{field}.growth", -MOST_GROWTH, MOST_GROWTH)
        return Trend((rate,), (), source)
    if not value:
        check.fail(f"{field}.growth", "must be a rate per year or a non-empty list of [year, rate]")
    years, rates = [], []
    for k, point in enumerate(value):
        where = f"{field}.growth[{k}]"
        if not isinstance(point, list) or len(point) != 2:
            check.fail(where, f"must be [year, rate], got {point!r}")
        years.append(check.integer(point[0], f"{where} (year)", YEARS[0], YEARS[1]))
        rates.append(check.number(point[1], f"{where} (rate)", -MOST_GROWTH, MOST_GROWTH))
        if k and years[k] <= years[k - 1]:
            check.fail(where, f"year {years[k]} must come after {years[k - 1]} (years increase)")
    return Trend(tuple(rates), tuple(years), source)


def _start_year(check: _Checker, raw: dict[str, Any], scenario: Scenario) -> int | None:
    """``start_year``: given, or the history's start; needed by trends given by year and by
    events."""
    history = scenario.history
    if "start_year" in raw:
        year = check.integer(raw["start_year"], "start_year", YEARS[0], YEARS[1])
        if history is not None and year != history.start:
            check.fail("start_year", f"{year} differs from history.start ({history.start}): a "
                                     "historical scenario starts when its history does")
        return year
    if history is not None:
        return history.start
    actors = [*scenario.states, *scenario.challengers]
    for actor in actors:
        if actor.growth is not None and actor.growth.years:
            check.fail("start_year", f"missing: {actor.name}'s growth is given by year, so the "
                                     "scenario must say which calendar year it starts in")
    if raw.get("events"):
        check.fail("start_year", "missing: scheduled events need the calendar year the scenario "
                                 "starts in")
    return None


def _events(check: _Checker, raw: dict[str, Any], scenario: Scenario
            ) -> tuple[ScheduledEvent, ...]:
    """The ``[[events]]`` tables: each a year within the run, a kind and what it changes, named and
    in range, with its source; sorted by year (events of one year keep the file's order)."""
    tables = raw.get("events", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        check.fail("events", "must be an array of tables ([[events]]) with year, kind and source")
    states = scenario.state_names()
    challengers = [c.name for c in scenario.challengers]
    flashpoints = {f.id: f for f in scenario.flashpoints}
    start = scenario.start_year
    last = (scenario.history.end if scenario.history is not None
            else start + int(MOST_STEPS * scenario.years_per_step) if start is not None else None)
    out = []
    crises: dict[tuple[str, int], tuple[int, int]] = {}
    for k, table in enumerate(tables):
        field = f"events[{k}]"
        kind = check.require(table, "kind", field)
        if kind not in EVENT_KINDS:
            check.fail(f"{field}.kind", f"must be one of {', '.join(EVENT_KINDS)}, got {kind!r}")
        needs = _EVENT_FIELDS[kind]
        check.unknown(table, {"year", "kind", "source", "note", *needs}, f"{field} ({kind})")
        check.text(table, field, "note")
        year = check.integer(check.require(table, "year", field), f"{field}.year", YEARS[0],
                             YEARS[1])
        if start is not None and not start <= year <= last:
            check.fail(f"{field}.year", f"{year} is outside the run ({start}-{last})")
        values: dict[str, Any] = {"year": year, "kind": kind,
                                  "source": check.string(check.require(table, "source", field),
                                                         f"{field}.source")}
        for key in needs:
            given = check.require(table, key, field)
            where = f"{field}.{key}"
            if key in ("state", "other", "challenger", "flashpoint", "severity"):
                given = check.string(given, where)
            if key in ("state", "other"):
                if given not in states:
                    check.fail(where, f"unknown state {given!r} (known: {', '.join(states)})")
                values[key] = given
            elif key == "challenger":
                if given not in challengers:
                    check.fail(where, f"unknown challenger {given!r} (known: "
                                      f"{', '.join(challengers)})")
                values[key] = given
            elif key == "flashpoint":
                if given not in flashpoints:
                    check.fail(where, f"unknown flashpoint {given!r} (known: "
                                      f"{', '.join(flashpoints)})")
                values[key] = given
            elif key == "severity":
                if given not in SEVERITY_OPTIONS:
                    check.fail(where, f"must be one of {', '.join(SEVERITY_OPTIONS)}, got {given!r}")
                severity = SEVERITY_OPTIONS.index(given)
                if severity not in flashpoints[values["flashpoint"]].options:
                    check.fail(where, f"{given!r} is not an option the challenger has at "
                                      f"{values['flashpoint']}")
                values[key] = severity
            else:
                low, high, low_open = _EVENT_RANGES[kind]
                values[key] = check.number(given, where, low, high, low_open=low_open)
        if kind == "affinity" and values["state"] == values["other"]:
            check.fail(f"{field}.other", "must be another state than state")
        if kind == "crisis":
            step = first_step(year - start, scenario.years_per_step)
            earlier = crises.setdefault((values["flashpoint"], step), (k, year))
            if earlier[0] != k:
                check.fail(f"{field}.year", (
                    f"a crisis at {values['flashpoint']} in {year} starts in the same step as "
                    f"events[{earlier[0]}]'s in {earlier[1]}: a flashpoint opens once a step, so "
                    "only one of them could happen; keep one"))
        out.append(ScheduledEvent(**values))
    return tuple(sorted(out, key=lambda event: event.year))


def _fronts_reachable(check: _Checker, flashpoints: list[FlashpointSpec]) -> None:
    """Refuse fronts that lie behind one another in a circle: none of them could ever be reached."""
    behind = {f.id: f.behind for f in flashpoints}
    for start in behind:
        seen, todo = set(), list(behind[start])
        while todo:
            fid = todo.pop()
            if fid == start:
                check.fail(f"flashpoints ({start}).behind",
                           f"'{start}' lies behind itself through {', '.join(sorted(seen | {fid}))}: "
                           "it could never be reached")
            if fid not in seen:
                seen.add(fid)
                todo.extend(behind[fid])


def _exposures(check: _Checker, raw: dict[str, Any], states: list[StateSpec],
               challenger_names: list[str]) -> list[StateSpec]:
    """Each state's exposure to each challenger's gains: a table of challenger = share in [0, 1]."""
    out = []
    for k, (spec, table) in enumerate(zip(states, check.table_list(raw, "states"), strict=True)):
        field = f"{_item('states', k, spec.name)}.exposure"
        values = table.get("exposure", {})
        if not isinstance(values, dict):
            check.fail(field, "must be a table of challenger name = share")
        exposure = {}
        for challenger, value in values.items():
            if challenger not in challenger_names:
                check.fail(f"{field}.{challenger}", f"unknown challenger '{challenger}' (known: "
                                                    f"{', '.join(challenger_names)})")
            exposure[challenger] = check.number(value, f"{field}.{challenger}", 0.0, 1.0)
        out.append(replace(spec, exposure=exposure))
    return out


def _observed(check: _Checker, raw: dict[str, Any], fp_ids: list[str]) -> tuple[Observed, ...]:
    """The ``[[observed]]`` tables: aggressions seen before the run, each with a year, a
    flashpoint, a severity and its source."""
    tables = raw.get("observed", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        check.fail("observed", "must be an array of tables ([[observed]]) with year, flashpoint, "
                               "severity and source")
    out = []
    for k, table in enumerate(tables):
        field = f"observed[{k}]"
        check.unknown(table, _OBSERVED_KEYS, field)
        check.text(table, field, "note")
        year = check.integer(check.require(table, "year", field), f"{field}.year", YEARS[0], YEARS[1])
        flashpoint = check.string(check.require(table, "flashpoint", field), f"{field}.flashpoint")
        if flashpoint not in fp_ids:
            check.fail(f"{field}.flashpoint", f"unknown flashpoint '{flashpoint}' (known: "
                                              f"{', '.join(fp_ids)})")
        severity = check.require(table, "severity", field)
        if severity not in SEVERITY_OPTIONS:
            check.fail(f"{field}.severity", f"must be one of {', '.join(SEVERITY_OPTIONS)}, got "
                                            f"{severity!r}")
        source = check.string(check.require(table, "source", field), f"{field}.source")
        out.append(Observed(year, flashpoint, SEVERITY_OPTIONS.index(severity), source))
    return tuple(out)


def _affinity(check: _Checker, raw: dict[str, Any], state_names: list[str]
              ) -> dict[tuple[str, str], float]:
    """The ``[[affinity]]`` tables: two states and their affinity in [-1, 1], each pair once."""
    tables = raw.get("affinity", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        check.fail("affinity", "must be an array of tables ([[affinity]]) with states and value")
    pairs: dict[tuple[str, str], float] = {}
    for k, table in enumerate(tables):
        field = f"affinity[{k}]"
        check.unknown(table, _AFFINITY_KEYS, field)
        check.text(table, field, "note")
        check.text(table, field, "source")
        names = check.names(check.require(table, "states", field), f"{field}.states", state_names,
                            "state")
        if len(names) != 2:
            check.fail(f"{field}.states", f"must name two different states, got {names!r}")
        key = (names[0], names[1]) if state_names.index(names[0]) < state_names.index(names[1]) \
            else (names[1], names[0])
        if key in pairs:
            check.fail(f"{field}.states", f"the pair {key[0]} – {key[1]} is listed twice")
        pairs[key] = check.number(check.require(table, "value", field), f"{field}.value", -1.0, 1.0)
    return pairs


def _alliance(check: _Checker, raw: dict[str, Any], state_names: list[str]
              ) -> tuple[list[str], str | None, list[str], list[tuple[str, str]]]:
    """Members, hub, protocol states and minilateral pairs."""
    members = check.names(raw.get("members", []), "members", state_names, "state")
    hub = raw.get("hub")
    if hub is not None:
        check.string(hub, "hub")
        if hub not in members:
            check.fail("hub", f"'{hub}' must be one of the members ({', '.join(members) or 'none'})")
    protocol = check.names(raw.get("protocol_states", []), "protocol_states", state_names, "state")
    for k, name in enumerate(protocol):
        if name in members:
            check.fail(f"protocol_states[{k}]", f"'{name}' is a member; protocol states are not")
    pairs = raw.get("minilateral", [])
    if not isinstance(pairs, list):
        check.fail("minilateral", f"must be a list of member pairs, got {pairs!r}")
    minilateral = []
    for k, pair in enumerate(pairs):
        pair = check.names(pair, f"minilateral[{k}]", members, "member")
        if len(pair) != 2:
            check.fail(f"minilateral[{k}]", f"must name two members, got {pair!r}")
        minilateral.append((pair[0], pair[1]))
    return members, hub, protocol, minilateral


def _parameters(check: _Checker, raw: dict[str, Any]) -> dict[str, Any]:
    """Each value checked against its declaration."""
    parameters = raw.get("parameters", {})
    if not isinstance(parameters, dict):
        check.fail("parameters", "must be a table of parameter = value")
    return {key: check.parameter(key, value, f"parameters.{key}") for key, value in parameters.items()}


def _history(check: _Checker, raw: dict[str, Any], members: list[str], fp_ids: list[str]
             ) -> History | None:
    """The ``[history]`` table: what happened to the alliance (for ``python run.py sweep history``)."""
    table = raw.get("history")
    if table is None:
        return None
    if not isinstance(table, dict):
        check.fail("history", "must be a table")
    check.unknown(table, _HISTORY_KEYS, "history")
    check.text(table, "history", "note")
    start = check.integer(check.require(table, "start", "history"), "history.start", YEARS[0],
                          YEARS[1] - 1)
    end = check.integer(check.require(table, "end", "history"), "history.end", start + 1, YEARS[1])
    structure = check.require(table, "structure", "history")
    if structure not in STRUCTURES:
        check.fail("history.structure", f"must be one of {', '.join(STRUCTURES)}, got {structure!r}")
    mode = check.require(table, "obligation_mode", "history")
    try:
        get_parameter("obligation_mode").validate(mode)
    except ValueError as error:
        check.fail("history.obligation_mode", str(error))
    dissolved = check.boolean(table.get("dissolved", False), "history.dissolved")
    year = table.get("dissolved_year")
    if year is not None:
        year = check.integer(year, "history.dissolved_year", start)
        if not dissolved or year > end:
            check.fail("history.dissolved_year", f"{year} needs dissolved = true and a year within "
                                                 f"{start}-{end}")
    sources = check.strings(table.get("sources", []), "history.sources")
    lists = {key: tuple(check.names(table.get(key, []), f"history.{key}", members, "member"))
             for key in ("fought", "stayed_out", "exited", "joined")}
    pairs = table.get("ties", [])
    if not isinstance(pairs, list):
        check.fail("history.ties", f"must be a list of member pairs, got {pairs!r}")
    ties = []
    for k, pair in enumerate(pairs):
        pair = check.names(pair, f"history.ties[{k}]", members, "member")
        if len(pair) != 2:
            check.fail(f"history.ties[{k}]", f"must name two members, got {pair!r}")
        ties.append((pair[0], pair[1]))
    war = check.boolean(check.require(table, "war", "history"), "history.war")
    span = table.get("war_span")
    if span is not None:
        if not war:
            check.fail("history.war_span", "given, but war = false")
        if not isinstance(span, list) or len(span) != 2:
            check.fail("history.war_span", f"must be [first year, last year], got {span!r}")
        first = check.integer(span[0], "history.war_span[0]", start, end)
        last = check.integer(span[1], "history.war_span[1]", first, end)
        span = (first, last)
    exit_years = table.get("exit_years", {})
    if not isinstance(exit_years, dict):
        check.fail("history.exit_years", "must be a table of member = year")
    for member, left in exit_years.items():
        if member not in lists["exited"]:
            check.fail(f"history.exit_years.{member}", "names a member not in history.exited")
        check.integer(left, f"history.exit_years.{member}", start, end)
    return History(
        start=start, end=end, structure=structure, obligation_mode=mode,
        formed=check.boolean(check.require(table, "formed", "history"), "history.formed"),
        war=war, war_span=span, exit_years=dict(exit_years),
        dissolved=dissolved, dissolved_year=year,
        lost=tuple(check.names(table.get("lost", []), "history.lost", fp_ids, "flashpoint")),
        sources=sources, ties=tuple(ties), **lists,
    )
