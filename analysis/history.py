"""The history table: a history experiment's outcomes beside what happened (from stored results).

A history experiment (``history = true``) runs each scenario drawn from history under its historical
structure for its historical span, and stores what happened (the scenario's ``[history]`` table,
with its sources) in the manifest. :func:`history_table` sets the runs' outcomes beside it, outcome by
outcome, per scenario and design point: the share of runs in which the alliance formed, a war was
fought, each member fought, how long the longest war lasted, each member left (and after how many
years), the alliance dissolved (and after how many years), and each flashpoint was lost to a major
attack. A row whose historical value is "yes" and whose share is
low -- or the reverse -- is a misfit, and docs/findings.md discusses them. Nothing is tuned to match.
"""

from __future__ import annotations

import math

import pandas as pd

from .labels import point_labels
from .results import Results


def _has(column: pd.Series, name: str) -> pd.Series:
    return column.fillna("").astype(str).map(lambda text: name in text.split(";"))


def history_table(results: Results) -> pd.DataFrame:
    """One row per (scenario, design point, outcome): the model's share of runs (or years) and what
    happened."""
    observed = results.design.get("observed") or {}
    names = point_labels(results)
    rows = []
    for (scenario, point), runs in results.runs.groupby(["scenario", "point"], sort=False):
        fact = observed.get(scenario)
        if not fact:
            continue
        base = {"scenario": scenario, "span": f"{fact['start']}-{fact['end']}", "point": point,
                "variant": names[point], "runs": len(runs)}
        rows += [{**base, "outcome": outcome, "model": model, "unit": unit, "history": happened}
                 for outcome, model, happened, unit in _outcomes(runs, fact)]
    return pd.DataFrame.from_records(rows)


def _outcomes(runs: pd.DataFrame, fact: dict) -> list[tuple[str, float, str, str]]:
    """(outcome, the model's value, what happened, unit) for one scenario and design point."""
    share = "share of runs"
    out = [("the alliance formed", runs["formed"].mean(), _yes(fact["formed"]), share),
           ("a war was fought", (runs["wars"] > 0).mean(), _yes(fact["war"]), share)]
    for member in fact["members"]:
        happened = ("fought" if member in fact["fought"] else
                    "stayed out" if member in fact["stayed_out"] else
                    "no war" if not fact["war"] else "–")
        out.append((f"{member} fought", _has(runs["fought_states"], member).mean(), happened, share))
    span = fact.get("war_span")
    lasted = runs["longest_war"] if "longest_war" in runs else pd.Series(math.nan, runs.index)
    with_war = lasted[runs["wars"] > 0].dropna() * fact["years_per_step"]
    out.append(("years the longest war lasted (median, runs with a war)",
                float(with_war.median()) if len(with_war) else math.nan,
                str(span[1] - span[0] + 1) if span else "–", "years"))
    for member in fact["members"]:
        out.append((f"{member} left", _has(runs["exited_states"], member).mean(),
                    _yes(member in fact["exited"]), share))
    exit_years = fact.get("exit_years") or {}
    for member in fact["exited"]:
        steps = runs["exit_steps"] if "exit_steps" in runs else pd.Series("", runs.index)
        years = _exit_steps(steps, member) * fact["years_per_step"]
        out.append((f"years to {member}'s exit (median, runs in which it left)",
                    float(years.median()) if len(years) else math.nan,
                    str(exit_years[member] - fact["start"]) if member in exit_years else "–",
                    "years"))
    dissolved = runs["dissolved"] == 1
    out.append(("the alliance dissolved", dissolved.mean(), _yes(fact["dissolved"]), share))
    years = runs.loc[dissolved, "time_to_dissolution"] * fact["years_per_step"]
    out.append(("years to dissolution (median, runs that dissolved)",
                float(years.median()) if len(years) else math.nan,
                str(fact["dissolved_year"] - fact["start"]) if fact.get("dissolved_year") else "–",
                "years"))
    for flashpoint in fact["flashpoints"]:
        out.append((f"{flashpoint} lost to a major attack",
                    _has(runs["lost_flashpoints"], flashpoint).mean(),
                    _yes(flashpoint in fact["lost"]), share))
    return out


def _exit_steps(column: pd.Series, name: str) -> pd.Series:
    """The step each run's ``exit_steps`` (``step:name;...``) gives ``name``'s exit, where it left."""
    def step(text: str) -> float:
        for entry in text.split(";"):
            at, _, who = entry.partition(":")
            if who == name:
                return float(at)
        return math.nan

    return column.fillna("").astype(str).map(step).dropna()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def sources(results: Results) -> dict[str, list[str]]:
    """Each scenario's sources for what happened."""
    return {name: fact.get("sources", []) for name, fact in
            (results.design.get("observed") or {}).items()}
