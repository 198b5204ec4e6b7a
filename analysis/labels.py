"""Words, units and colours for the metrics, structures and design points shown in figures and tables.

Everything here is read from the model's declarations: the metrics from
``model.observations.METRICS`` (label, unit), the structures from ``model.structure.STRUCTURES``
(label, colour), the name of a design point without a label from what it sets
(:func:`experiments.formats.point_name`, which the experiment loader also reads). Counts are per
run, i.e. per ``steps`` periods.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from experiments.formats import point_name
from model.observations import BY_NAME as _METRICS
from model.structure import STRUCTURES as _STRUCTURES

if TYPE_CHECKING:
    from .results import Results

HEADLINE_METRICS = ["stable_cohesive", "stable", "cohesive", "formed", "deterrence_rate", "wars",
                    "entrapments", "exits"]
MORE_METRICS = ["great_power_wars", "sq_loss_value", "flashpoints_lost_major", "reliability",
                "abandonments", "buck_passes", "ties_ended", "escalations", "provocations", "dissolved"]
TABLE_METRICS = [
    "stable_cohesive", "stable", "cohesive", "formed", "joined", "declined", "deterrence_rate", "wars",
    "great_power_wars", "escalations", "sq_loss_value", "flashpoints_lost_major", "entrapments",
    "hub_entrapments", "abandonments", "buck_passes", "exits", "ties_ended", "dissolved",
    "reliability", "provocations", "peacetime_grievance", "no_great_power_war", "no_major_loss",
    "sq_loss_below_threshold", "intact", "no_exit", "commitments_kept",
]

COLOURS: dict[str, str] = {name: s.colour for name, s in _STRUCTURES.items()}
"""Each structure's colour in every figure."""

MEANINGFUL_DIFFERENCE: dict[str, float] = {"flag": 0.10, "rate": 0.05}
"""The smallest paired difference between two structures that the figures treat as meaningful, by
kind of metric: ten percentage points of runs for a share of runs (a flag's mean), five percentage
points for a rate (a share of opportunities or of commitments). The colour scale of a Δ panel is
centred on zero and spans at least ± this, so that a difference much smaller than it -- noise, for
a study of this size -- is drawn pale, never saturated; it spans more when the data do."""


def delta_limit(metric: str, largest: float) -> float:
    """The half-width of a Δ colour scale for ``metric`` whose largest absolute value is
    ``largest``: at least the metric's meaningful difference (:data:`MEANINGFUL_DIFFERENCE`), at
    least ``largest``; 1 when neither is known."""
    declared = _METRICS.get(metric)
    floor = MEANINGFUL_DIFFERENCE.get(declared.kind, 0.0) if declared else 0.0
    limit = max(floor, largest if largest == largest else 0.0)
    return limit if limit > 0 else 1.0


def metric_label(metric: str, with_unit: bool = True) -> str:
    """"deterrence rate (share of opportunities left alone)"."""
    declared = _METRICS.get(metric)
    name, unit = (declared.label, declared.unit) if declared else (metric.replace("_", " "), "-")
    return f"{name} ({unit})" if with_unit else name


def metric_unit(metric: str) -> str:
    declared = _METRICS.get(metric)
    return declared.unit if declared else "-"


def structure_label(structure: str) -> str:
    declared = _STRUCTURES.get(structure)
    return declared.label if declared else structure


def scenario_label(results: Results, scenario: str) -> str:
    """A scenario's name for figures, captions and file names: the name its file declares (the
    manifest records it), not the path an experiment gave for it (a shipped scenario's name is
    itself; without the record, a file's stem)."""
    named = (results.design.get("scenario_names") or {}).get(scenario)
    if named:
        return str(named)
    return PurePath(scenario).stem if scenario.endswith(".toml") else scenario


def factor_label(name: str, info: dict | None) -> str:
    """A design factor's axis label, with its unit from the manifest."""
    unit = (info or {}).get("unit", "-")
    words = name.replace("_", " ")
    return f"{words} ({unit})" if unit and unit != "-" else f"{words} (dimensionless)"


def point_labels(results: Results) -> dict[int, str]:
    """Words for each design point: its label if the experiment gave one, else what it sets."""
    given = results.design.get("labels") or []
    factors = results.design.get("factors", [])
    out = {}
    for point, group in results.runs.groupby("point"):
        if point < len(given) and given[point]:
            out[point] = given[point]
            continue
        out[point] = point_name(group.iloc[0], factors)
    return out
