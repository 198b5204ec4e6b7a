"""The verdict of one run, in words: stable or not, cohesive or not, and which part decided it.

It reads one run's metrics and the parameters it ran with: ``{**model.params, **model.run(steps)}``
from Python, or one row of a stored run table (which holds both). The definitions and their parts
are :data:`model.observations.STABILITY`; each part is shown with the values that decided it.
``python run.py run`` opens with this verdict; a stored run explains itself the same way::

    from analysis.results import load
    from analysis.verdict import verdict

    print(verdict(load("headline").runs.iloc[0]))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from model.observations import BY_NAME, HEADLINE_STABILITY, STABILITY

Row = Mapping[str, Any]


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _count(row: Row, name: str, noun: str) -> str:
    value = _number(row.get(name))
    plural = f"{noun}es" if noun.endswith("s") else f"{noun}s"
    if math.isnan(value):
        return f"{plural}: not recorded"
    return f"{value:g} {noun if value == 1 else plural}"


def _names(row: Row, name: str) -> str:
    value = row.get(name)
    if isinstance(value, list | tuple):
        value = ";".join(value)
    return f" ({value.replace(';', ', ')})" if isinstance(value, str) and value else ""


def _status_quo(row: Row) -> str:
    loss, threshold = _number(row.get("sq_loss_value")), _number(row.get("sq_loss_threshold"))
    return f"cumulative status-quo loss {loss:.3g} against the threshold {threshold:g}"


def _intact(row: Row) -> str:
    when = _number(row.get("time_to_dissolution"))
    return "did not dissolve" if math.isnan(when) else f"dissolved at step {when:g}"


def _formed(row: Row) -> str:
    coverage, quorum = _number(row.get("coverage_initial")), _number(row.get("quorum"))
    if math.isnan(coverage):
        return "no structure (self-help baseline)"
    bound = _names(row, "bound_at_formation")
    return f"coverage at formation {coverage:.2f} (quorum {quorum:g}){bound}"


def _commitments(row: Row) -> str:
    invoked, reliability = _number(row.get("invoked")), _number(row.get("reliability"))
    needed = _number(row.get("cohesion_reliability"))
    if not invoked:
        return "no commitment invoked"
    return (f"{_count(row, 'invoked', 'commitment')} invoked, {reliability:.2f} honoured, "
            f"{needed:g} needed")


EVIDENCE: dict[str, Callable[[Row], str]] = {
    "no_great_power_war": lambda row: _count(row, "great_power_wars", "great-power war"),
    "no_major_loss": lambda row: (_count(row, "flashpoints_lost_major", "loss")
                                  + " of a flashpoint to a major attack"
                                  + _names(row, "lost_flashpoints")),
    "sq_loss_below_threshold": _status_quo,
    "intact": _intact,
    "formed": _formed,
    "no_exit": lambda row: (_count(row, "exits", "exit") + ", " + _count(row, "ties_ended", "tie")
                            + " ended" + _names(row, "exited_states")),
    "commitments_kept": _commitments,
}
"""For each part of a stability definition, the values that decide it, in words."""


def met(row: Row, name: str) -> bool | None:
    """Whether the run met the flag ``name`` (``None``: undefined, e.g. cohesion without a
    structure)."""
    value = row.get(name)
    if value is None or isinstance(value, float) and math.isnan(value):
        return None
    return bool(value)


def _word(value: bool | None) -> str:
    return {True: "yes", False: "NO", None: "undefined"}[value]


def _why(row: Row, part: str) -> str:
    words = BY_NAME[part].label
    evidence = EVIDENCE.get(part)
    return f"{words}: {evidence(row)}" if evidence else words


def verdict(row: Row) -> str:
    """A few lines: the headline verdict, then each definition it is made of with the parts that
    decided it (those not met; when all are met, what each part saw)."""
    headline = next(d for d in STABILITY if d.name == HEADLINE_STABILITY)
    outcome = met(row, headline.name)
    name = f"{BY_NAME[headline.name].label} (the headline definition: {headline.label})"
    if outcome is None:
        head = f"{name} is undefined: there is no alliance to hold together; the order alone is judged"
    else:
        failed = [BY_NAME[part].label for part in headline.parts if met(row, part) is False]
        head = f"{'' if outcome else 'NOT '}{name}" + (
            f", because not {' and not '.join(failed)}" if failed else "")
    lines = [f"Verdict: {head}."]
    for part in headline.parts:
        definition = next((d for d in STABILITY if d.name == part), None)
        if definition is None:
            continue
        value = met(row, part)
        if value is None:
            lines.append(f"  {BY_NAME[part].label} ({definition.label}): undefined without a structure")
            continue
        missed = [p for p in definition.parts if met(row, p) is False]
        shown = missed or definition.parts
        reasons = "; ".join(_why(row, p) for p in shown)
        lines.append(f"  {BY_NAME[part].label} ({definition.label}): {_word(value)}"
                     f"{' -- decided by ' if missed else ' -- '}{reasons}")
    return "\n".join(lines)
