"""Scenarios as TOML data files: the one loader that reads and validates them.

``load("asia")`` reads a shipped scenario (``scenarios/asia.toml``); ``load("path/to/my.toml")``
reads any file. A file may start from another with ``extends = "asia"`` and change only what differs:
its states and flashpoints are merged into the parent's by name and id, every other key replaces the
parent's. Anything wrong is refused with a :class:`ScenarioError` naming the file, the field and the
problem.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from model.parameters import get as get_parameter
from model.scenario import ChallengerSpec, FlashpointSpec, Scenario, StateSpec

SHIPPED = Path(__file__).resolve().parent
THEATRES = ("maritime", "land")
_TOP_LEVEL = {
    "name", "description", "extends", "hub", "members", "protocol_states", "minilateral",
    "baseline_divergence", "parameters", "states", "challengers", "flashpoints", "sources",
}
_STATE_KEYS = {"name", "power", "available_share", "hedging", "location", "stakes", "red_lines",
               "note"}
_CHALLENGER_KEYS = {"name", "power", "location", "great_power", "note"}
_FLASHPOINT_KEYS = {"id", "name", "target", "challenger", "value", "theatre", "location", "rate",
                    "neighbours", "target_may_provoke", "options", "note"}
SEVERITY_OPTIONS = ("probe", "limited", "major")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file, the field and the problem."""


def available() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def find(name_or_path: str | Path) -> Path:
    """The file a scenario name or path refers to."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise ScenarioError(f"{candidate}: no such scenario file")
        return candidate
    shipped = SHIPPED / f"{name_or_path}.toml"
    if not shipped.is_file():
        raise ScenarioError(
            f"unknown scenario '{name_or_path}': give a shipped name ({', '.join(available())}) "
            "or the path of a .toml file"
        )
    return shipped


def load(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario; raise :class:`ScenarioError` on any problem."""
    path = find(name_or_path)
    raw = _read_merged(path, seen=())
    return _validate(raw, str(path))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read: {error.strerror}") from None


def _read_merged(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    raw = _read(path)
    parent_name = raw.pop("extends", None)
    if parent_name is None:
        return raw
    if not isinstance(parent_name, str):
        raise ScenarioError(f"{path}: extends: must be a scenario name or path, got {parent_name!r}")
    parent_path = find(path.parent / parent_name if parent_name.endswith(".toml") else parent_name)
    if parent_path.resolve() in seen or parent_path.resolve() == path.resolve():
        raise ScenarioError(f"{path}: extends: '{parent_name}' extends itself in a loop")
    parent = _read_merged(parent_path, seen + (path.resolve(),))
    return _merge(parent, raw, path)


def _merge(parent: dict[str, Any], child: dict[str, Any], path: Path) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if key in ("states", "challengers", "flashpoints") and isinstance(value, list):
            ident = "id" if key == "flashpoints" else "name"
            items = {item.get(ident): dict(item) for item in parent.get(key, [])}
            for k, item in enumerate(value):
                if not isinstance(item, dict) or ident not in item:
                    raise ScenarioError(f"{path}: {key}[{k}].{ident}: missing")
                base = items.get(item[ident], {})
                updated = dict(base)
                for field, field_value in item.items():
                    if field in ("stakes", "red_lines") and isinstance(field_value, dict):
                        updated[field] = {**base.get(field, {}), **field_value}
                    else:
                        updated[field] = field_value
                items[item[ident]] = updated
            merged[key] = list(items.values())
        elif key == "parameters" and isinstance(value, dict):
            merged[key] = {**parent.get("parameters", {}), **value}
        else:
            merged[key] = value
    return merged


class _Checker:
    """Helpers that raise ScenarioError with the file and field in the message."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, field: str, problem: str) -> None:
        raise ScenarioError(f"{self.source}: {field}: {problem}")

    def require(self, table: dict[str, Any], key: str, field: str) -> Any:
        if key not in table:
            self.fail(f"{field}{key}" if field.endswith(".") else f"{field}.{key}", "missing")
        return table[key]

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], field: str) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            self.fail(f"{field}{extra[0]}" if not field else f"{field}.{extra[0]}",
                      f"unknown field (allowed: {', '.join(sorted(allowed))})")

    def string(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"must be a non-empty string, got {value!r}")
        return value

    def number(self, value: Any, field: str, low: float, high: float,
               low_open: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.fail(field, f"must be a number, got {value!r}")
        ok_low = value > low if low_open else value >= low
        if not ok_low or value > high:
            interval = f"{'(' if low_open else '['}{low}, {high}]"
            self.fail(field, f"{value!r} is outside {interval}")
        return float(value)

    def boolean(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, f"must be true or false, got {value!r}")
        return value

    def location(self, value: Any, field: str) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            self.fail(field, f"must be [longitude, latitude], got {value!r}")
        lon = self.number(value[0], f"{field}[0] (longitude)", -180.0, 180.0)
        lat = self.number(value[1], f"{field}[1] (latitude)", -90.0, 90.0)
        return (lon, lat)

    def table_list(self, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = self.require(raw, key, "")
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(key, "must be a non-empty array of tables ([[" + key + "]])")
        return value

    def names(self, value: Any, field: str, known: list[str], what: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, f"must be a list of {what} names, got {value!r}")
        for k, name in enumerate(value):
            if name not in known:
                self.fail(f"{field}[{k}]", f"unknown {what} '{name}' (known: {', '.join(known)})")
        if len(set(value)) != len(value):
            self.fail(field, "lists a name twice")
        return value


def _validate(raw: dict[str, Any], source: str) -> Scenario:
    check = _Checker(source)
    check.unknown_keys(raw, _TOP_LEVEL, "")
    name = check.string(check.require(raw, "name", ""), "name")
    description = check.string(raw.get("description", name), "description")

    flashpoint_tables = check.table_list(raw, "flashpoints")
    fp_ids = []
    for k, table in enumerate(flashpoint_tables):
        fp_ids.append(check.string(check.require(table, "id", f"flashpoints[{k}]"),
                                   f"flashpoints[{k}].id"))
    if len(set(fp_ids)) != len(fp_ids):
        check.fail("flashpoints", "two flashpoints share an id")

    states = []
    for k, table in enumerate(check.table_list(raw, "states")):
        field = f"states[{k}]"
        check.unknown_keys(table, _STATE_KEYS, field)
        state_name = check.string(check.require(table, "name", field), f"{field}.name")
        field = f"states[{k}] ({state_name})"
        stakes = _per_flashpoint(check, table.get("stakes", {}), f"{field}.stakes", fp_ids,
                                 low_open=False)
        red_lines = _per_flashpoint(check, table.get("red_lines", {}), f"{field}.red_lines",
                                    fp_ids, low_open=True)
        states.append(StateSpec(
            name=state_name,
            power=check.number(check.require(table, "power", field), f"{field}.power",
                               0.0, math.inf, low_open=True),
            hedging=check.number(check.require(table, "hedging", field), f"{field}.hedging",
                                 0.0, 1.0),
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            available_share=check.number(table.get("available_share", 1.0),
                                         f"{field}.available_share", 0.0, 1.0, low_open=True),
            stakes=stakes,
            red_lines=red_lines,
        ))
    state_names = [s.name for s in states]
    if len(set(state_names)) != len(state_names):
        check.fail("states", "two states share a name")

    challengers = []
    for k, table in enumerate(check.table_list(raw, "challengers")):
        field = f"challengers[{k}]"
        check.unknown_keys(table, _CHALLENGER_KEYS, field)
        challenger_name = check.string(check.require(table, "name", field), f"{field}.name")
        challengers.append(ChallengerSpec(
            name=challenger_name,
            power=check.number(check.require(table, "power", field), f"{field}.power",
                               0.0, math.inf, low_open=True),
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            great_power=check.boolean(table.get("great_power", False), f"{field}.great_power"),
        ))
    challenger_names = [c.name for c in challengers]
    if set(challenger_names) & set(state_names):
        check.fail("challengers", "a challenger has the name of a state")

    flashpoints = []
    for k, table in enumerate(flashpoint_tables):
        field = f"flashpoints[{k}] ({fp_ids[k]})"
        check.unknown_keys(table, _FLASHPOINT_KEYS, field)
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
        flashpoints.append(FlashpointSpec(
            id=fp_ids[k],
            name=check.string(table.get("name", fp_ids[k]), f"{field}.name"),
            target=target,
            challenger=challenger,
            value=check.number(check.require(table, "value", field), f"{field}.value", 0.0, 1.0),
            theatre=theatre,
            location=check.location(check.require(table, "location", field), f"{field}.location"),
            rate=check.number(check.require(table, "rate", field), f"{field}.rate", 0.0, 1.0),
            neighbours=tuple(neighbours),
            target_may_provoke=check.boolean(table.get("target_may_provoke", False),
                                             f"{field}.target_may_provoke"),
            options=_options(check, table.get("options", list(SEVERITY_OPTIONS)), f"{field}.options"),
        ))

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
    minilateral = []
    for k, pair in enumerate(raw.get("minilateral", [])):
        pair = check.names(pair, f"minilateral[{k}]", members, "member")
        if len(pair) != 2:
            check.fail(f"minilateral[{k}]", f"must name two members, got {pair!r}")
        minilateral.append((pair[0], pair[1]))

    parameters = raw.get("parameters", {})
    if not isinstance(parameters, dict):
        check.fail("parameters", "must be a table of parameter = value")
    for key, value in parameters.items():
        try:
            parameters[key] = get_parameter(key).validate(value)
        except (KeyError, ValueError) as error:
            check.fail(f"parameters.{key}", str(error).strip("'\""))

    return Scenario(
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
        parameters=dict(parameters),
        source=source,
    )


def _options(check: _Checker, value: Any, field: str) -> tuple[int, ...]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v in SEVERITY_OPTIONS for v in value)):
        check.fail(field, f"must be a non-empty list drawn from {', '.join(SEVERITY_OPTIONS)}, got {value!r}")
    if len(set(value)) != len(value):
        check.fail(field, "lists an option twice")
    return tuple(sorted(SEVERITY_OPTIONS.index(v) for v in value))


def _per_flashpoint(check: _Checker, table: Any, field: str, fp_ids: list[str],
                    low_open: bool) -> dict[str, float]:
    if not isinstance(table, dict):
        check.fail(field, "must be a table of flashpoint id = value")
    values = {}
    for fid, value in table.items():
        if fid not in fp_ids:
            check.fail(f"{field}.{fid}", f"unknown flashpoint '{fid}' (known: {', '.join(fp_ids)})")
        values[fid] = check.number(value, f"{field}.{fid}", 0.0, 1.0, low_open=low_open)
    return values
