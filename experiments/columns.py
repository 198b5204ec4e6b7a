"""The columns of a run table and what each means: the data dictionary.

A row of ``runs.csv`` is a run's identity (:data:`experiments.formats.IDENTITY`), every resolved
model parameter (:data:`model.parameters.PARAMETERS`) and every run-level metric
(:data:`model.observations.METRICS`), in that order (:data:`COLUMNS`). Every entry here is read from
those declarations -- name, meaning, unit and type -- so the dictionary cannot miss a column the
code writes; ``python run.py metrics [NAME]`` prints it, and ``docs/reference/data-dictionary.md``
is generated from it (``python run.py metrics --markdown``; a test keeps the page equal to it).

Also described: the per-step series (``series.csv``, ``model.series()``; :data:`STEP_MEANINGS`
for the series that are not run-level metrics) and the run-level columns ``run_<metric>`` that
``mesa.batch_run`` returns. Imports only declarations (no Mesa).
"""

from __future__ import annotations

from dataclasses import dataclass

from model.observations import COUNTERS, FLAGS, METRICS, RUN_REPORTER_PREFIX, STABILITY, STEP_SERIES, Metric
from model.parameters import PARAMETERS, Parameter
from scenarios.checking import did_you_mean

from .formats import ID_COLUMNS, IDENTITY

PARAMETER_COLUMNS: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.name != "structure")
"""Every model parameter's resolved value (the scenario's own value where the default is ``None``)."""
METRIC_COLUMNS: tuple[str, ...] = tuple(m.name for m in METRICS if m.name != "steps")
"""Run-level metrics (``steps`` is already an identity column)."""
COLUMNS: tuple[str, ...] = ID_COLUMNS + PARAMETER_COLUMNS + METRIC_COLUMNS
"""Columns of a row of ``runs.csv``, in order."""

TYPES: dict[str, str] = {
    "count": "integer",
    "rate": "real; empty when its denominator is 0",
    "size": "real; empty when undefined",
    "step": "integer; empty if it never happened",
    "flag": "0 or 1; empty where undefined (a boolean when loaded typed)",
    "names": "names joined by ';' (a list when loaded typed)",
    "timeline": "step:value at each change, joined by ';' (a list of (step, value) when loaded typed)",
}
"""How each kind of metric is stored in ``runs.csv``, in words."""

STEP_MEANINGS: dict[str, tuple[str, str, str]] = {
    "war_states": ("the step's wars: the sum of the number of states in each (with wars, the mean "
                   "war size)", "states", "integer"),
    "war_power_share": ("the step's wars: the sum of each war's share of total power", "share of "
                        "total power", "real"),
    "largest_war_power_share": ("the step's largest war, as a share of total power", "share of "
                                "total power", "real"),
    "active_members": ("founding members still active at the end of the step", "states", "integer"),
    "coverage": ("the share of prospective members some obligation of the structure binds, at the "
                 "end of the step", "share of prospective members", "real; empty without a structure"),
    "dissolved": ("1 once the structure has dissolved, else 0", "-", "0 or 1"),
    "mean_grievance": ("grievance averaged over every state, at the end of the step", "grievance",
                       "real"),
    "members": ("founding members still active, by name", "names", "names joined by ';'"),
    "year": ("the step's calendar year (its year of the run, from 0, if the scenario names no start "
             "year)", "year", "integer"),
    "challenger_power_share": ("the challengers' share of all power, as the power trends move it",
                               "share of total power", "real"),
    "scheduled": ("the scheduled events that take effect from the step, in words (the first "
                  "step's row also holds the start year's, in force from the build)",
                  "-", "text joined by ' · '"),
    "wars_under_way": ("wars still being fought at the end of the step", "wars", "integer"),
}
"""The per-step series that are not a run-level metric counted step by step (those are the step's
count of the metric of the same name); ``dissolved`` and ``largest_war_power_share`` are also
run-level metrics, with the run's value."""


@dataclass(frozen=True)
class Entry:
    """One column of the data dictionary.

    Attributes:
        name: the column's name.
        meaning: what it holds, in words.
        unit: its unit ("-" for none).
        type: how it is stored.
        group: ``identity``, ``parameter``, ``metric`` or ``series`` (a per-step series only).
        section: the heading it is listed under (a metric's section, a parameter's role).
    """

    name: str
    meaning: str
    unit: str
    type: str
    group: str
    section: str


def _parts_of(name: str) -> list[str]:
    return [d.name for d in STABILITY if name in d.parts]


def metric_meaning(metric: Metric) -> str:
    """A metric's meaning, from its declaration: its label, its definition if it is one of the
    stability definitions, the definitions it is a part of, how it is counted, which way is better."""
    definition = next((d for d in STABILITY if d.name == metric.name), None)
    words = [metric.label + (" (1 when met, else 0)" if metric.kind == "flag" else "")
             + (f": {definition.meaning}" if definition else "")]
    parts = _parts_of(metric.name)
    if parts:
        words.append(f"a part of {', '.join(parts)}")
    if metric.counted:
        words.append("counted step by step: the sum of the per-step series of the same name")
    if metric.better:
        words.append(f"{metric.better} is better")
    return "; ".join(words)


def metric_entry(metric: Metric) -> Entry:
    return Entry(metric.name, metric_meaning(metric), metric.unit, TYPES[metric.kind], "metric",
                 metric.section)


def parameter_entry(parameter: Parameter) -> Entry:
    if parameter.kind == "categorical":
        kind = f"text, one of {' | '.join(parameter.choices)}"
    else:
        kind = f"{parameter.kind} in [{parameter.low:g}, {parameter.high:g}]"
    default = "the scenario's" if parameter.default is None else f"{parameter.default}"
    return Entry(parameter.name, f"{parameter.meaning} (default {default}; the value the run used)",
                 parameter.unit, kind, "parameter", parameter.role)


def entries() -> list[Entry]:
    """Every column of ``runs.csv`` in its order, then the per-step series that are no metric."""
    identity = [Entry(c.name, c.meaning, c.unit, c.type, "identity", "identity") for c in IDENTITY]
    parameters = {p.name: p for p in PARAMETERS}
    metrics = {m.name: m for m in METRICS}
    table = [*identity,
             *(parameter_entry(parameters[name]) for name in PARAMETER_COLUMNS),
             *(metric_entry(metrics[name]) for name in METRIC_COLUMNS)]
    counted = {m.name for m in METRICS if m.counted}
    series = [Entry(name, *STEP_MEANINGS[name], "series", "per-step series")
              for name in STEP_SERIES if name not in counted]
    return table + series


def entry(name: str) -> Entry:
    """The entry of column ``name`` (``run_<metric>``, as ``mesa.batch_run`` names a metric, gives
    the metric's); ``KeyError`` with the closest name otherwise."""
    known: dict[str, Entry] = {}
    for item in entries():  # a column of runs.csv first, before a per-step series of its name
        known.setdefault(item.name, item)
    if name not in known and name.startswith(RUN_REPORTER_PREFIX):
        name = name[len(RUN_REPORTER_PREFIX):]
    if name in known:
        return known[name]
    raise KeyError(f"unknown metric or column '{name}'{did_you_mean(name, known)} ('python run.py "
                   "metrics' lists them)")


def step_series_meaning(name: str) -> str:
    """What the per-step series ``name`` holds."""
    if name in STEP_MEANINGS:
        return STEP_MEANINGS[name][0]
    return f"the step's count of {next(m.label for m in METRICS if m.name == name)}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def markdown() -> str:
    """The data dictionary as Markdown (``docs/reference/data-dictionary.md`` embeds it)."""
    all_entries = entries()
    lines = ["## The identity of a run", "", "| column | meaning | unit | type |", "|---|---|---|---|"]
    lines += [_row([f"`{e.name}`", e.meaning, e.unit, e.type]) for e in all_entries
              if e.group == "identity"]
    sections = list(dict.fromkeys(e.section for e in all_entries if e.group == "metric"))
    lines += ["", "## Run-level metrics", "",
              "Grouped as `python run.py run` lists them. Flags (0/1): "
              + ", ".join(f"`{name}`" for name in sorted(FLAGS)) + "."]
    for section in sections:
        lines += ["", f"### {section}", "", "| metric | meaning | unit | type |", "|---|---|---|---|"]
        lines += [_row([f"`{e.name}`", e.meaning, e.unit, e.type]) for e in all_entries
                  if e.group == "metric" and e.section == section]
    lines += ["", "## Parameters (the values each run used)", "",
              "| column | meaning | unit | type |", "|---|---|---|---|"]
    lines += [_row([f"`{e.name}`", e.meaning, e.unit, e.type]) for e in all_entries
              if e.group == "parameter"]
    lines += ["", "## Per-step series", "",
              "Each counted metric is also a per-step series, the step's count: "
              + ", ".join(f"`{name}`" for name in COUNTERS if name not in STEP_MEANINGS) + ". The others:",
              "", "| series | meaning | unit | type |", "|---|---|---|---|"]
    lines += [_row([f"`{e.name}`", e.meaning, e.unit, e.type]) for e in all_entries
              if e.group == "series"]
    return "\n".join(lines) + "\n"
