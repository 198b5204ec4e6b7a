"""One checker for the project's TOML documents (scenario files and experiment files).

A :class:`Checker` knows the file it reads and the error type to raise; every check names the field
(``states[1] (Japan).power``, ``design.factors.mean_hedging.high``) and the problem, so a bad file
is refused with one line: ``FILE: FIELD: PROBLEM``. :func:`read_toml` reads a file the same way for
both. Model parameters are checked against their one declaration (:mod:`model.parameters`).
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from model.parameters import BY_NAME as PARAMETER_NAMES
from model.parameters import get as get_parameter


def read_toml(path: Path, error: type[ValueError]) -> tuple[dict[str, Any], str]:
    """The parsed document and its exact text; ``error`` (file, problem) if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        raise error(f"{path}: cannot be read: {problem.strerror or problem}") from None
    if data.startswith(BOM):  # some editors start a UTF-8 file with a byte-order mark: not content
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data[:problem.start].count(b"\n") + 1
        raise error(f"{path}: cannot be read: not UTF-8 text (byte {data[problem.start]:#04x} on "
                    f"line {line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{path}: not valid TOML: {problem}") from None


BOM = b"\xef\xbb\xbf"
SEPARATOR = ";"
"""What joins names in a stored list (``declined_states = "Japan;Korea"``): no name may hold it."""


def name_problem(name: str) -> str | None:
    """Why a string (:meth:`Checker.string`: no control character) cannot name a state,
    challenger, flashpoint or scenario, or None if it can: it must not hold the stored lists'
    separator, nor start or end with a space."""
    if SEPARATOR in name:
        return f"must not contain '{SEPARATOR}' (it separates names in stored lists), got {name!r}"
    if name != name.strip():
        return f"must not start or end with a space, got {name!r}"
    return None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'theatre_coupling'?"`` when ``name`` is close to one of ``known`` (a typo,
    an American spelling), else ``""``: the tail of an "unknown name" message."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def printable(text: str) -> str:
    """``text`` with each control character or line break escaped (``\\n``): one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def at(parent: str, key: Any) -> str:
    """The field ``key`` inside ``parent`` (``""`` for the top level)."""
    return f"{parent}.{key}" if parent else str(key)


class Checker:
    """Checks that raise ``error(f"{source}: {field}: {problem}")``; each returns the checked value."""

    def __init__(self, source: str, error: type[ValueError]):
        self.source = source
        self.error = error

    def where(self, field: str) -> str:
        """The file a message about ``field`` names."""
        return self.source

    def fail(self, field: str, problem: str) -> NoReturn:
        """Raise the error; a line break or other control character in a name or value the file
        gave is shown escaped, so the message stays one line."""
        raise self.error(f"{printable(self.where(field))}: {printable(field)}: "
                         f"{printable(problem)}")

    def require(self, table: dict[str, Any], key: str, parent: str = "") -> Any:
        if key not in table:
            self.fail(at(parent, key), "missing (required)")
        return table[key]

    def unknown(self, table: dict[str, Any], allowed: set[str], parent: str = "") -> None:
        extra = sorted(set(table) - allowed, key=str)
        if extra:
            hint = did_you_mean(str(extra[0]), allowed)
            self.fail(at(parent, extra[0]),
                      f"unknown field{hint} (allowed: {', '.join(sorted(allowed))})")

    def table(self, value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field, f"must be a table, got {value!r}")
        return value

    def table_list(self, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = self.require(raw, key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(key, "must be a non-empty array of tables ([[" + key + "]])")
        return value

    def string(self, value: Any, field: str) -> str:
        """A non-empty string of one line: no control character (a line break would split a
        stored row or a printed line, a NUL byte would be written raw)."""
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"must be a non-empty string, got {value!r}")
        if any(not c.isprintable() for c in value):
            self.fail(field, f"must not contain control characters or line breaks, got {value!r}")
        return value

    def name(self, value: Any, field: str) -> str:
        """A string that can name something in a stored list (:func:`name_problem`)."""
        value = self.string(value, field)
        problem = name_problem(value)
        if problem:
            self.fail(field, problem)
        return value

    def boolean(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, f"must be true or false, got {value!r}")
        return value

    def number(self, value: Any, field: str, low: float, high: float, low_open: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.fail(field, f"must be a number, got {value!r}")
        if not math.isfinite(value):
            self.fail(field, f"must be a finite number, got {value!r}")
        ok_low = value > low if low_open else value >= low
        if not ok_low or value > high:
            interval = f"{'(' if low_open else '['}{low}, {high}]"
            self.fail(field, f"{value!r} is outside {interval}")
        return float(value)

    def integer(self, value: Any, field: str, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, f"expected a whole number, got {value!r}")
        if value < low:
            self.fail(field, f"must be at least {low}, got {value}")
        if high is not None and value > high:
            self.fail(field, f"must be at most {high:,}, got {value:,}")
        return value

    def names(self, value: Any, field: str, known: list[str], what: str) -> list[str]:
        """A list of distinct names, each one of ``known``."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, f"must be a list of {what} names, got {value!r}")
        for k, name in enumerate(value):
            if name not in known:
                self.fail(f"{field}[{k}]", f"unknown {what} '{name}' (known: {', '.join(known)})")
        if len(set(value)) != len(value):
            self.fail(field, "lists a name twice")
        return value

    def parameter(self, name: Any, value: Any, field: str) -> Any:
        """``value`` converted for the declared model parameter ``name`` (its range, its choices)."""
        try:
            return get_parameter(name).validate(value)
        except KeyError:
            self.fail(field, f"unknown parameter '{name}'{did_you_mean(name, PARAMETER_NAMES)} "
                             "('python run.py parameters' lists them)")
        except (TypeError, ValueError) as problem:
            self.fail(field, str(problem))
