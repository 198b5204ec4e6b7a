"""Words and units for the metrics and structures shown in figures and tables.

Metric names are the run table's columns (``model.observations.RUN_METRICS``); the units follow
docs/ODD.md, Observation. Counts are per run, i.e. per ``steps`` periods.
"""

from __future__ import annotations

METRICS: dict[str, tuple[str, str]] = {
    "stable": ("stable", "share of runs"),
    "deterrence_rate": ("deterrence rate", "share of opportunities left alone"),
    "wars": ("wars", "count per run"),
    "great_power_wars": ("great-power wars", "count per run"),
    "sq_loss_value": ("status-quo loss", "flashpoint value lost per run"),
    "sq_losses": ("status-quo losses", "count per run"),
    "flashpoints_lost_major": ("flashpoints lost to a major attack", "count per run"),
    "entrapments": ("entrapments", "count per run"),
    "hub_entrapments": ("hub entrapments", "count per run"),
    "abandonments": ("abandonments", "count per run"),
    "exits": ("exits", "members leaving per run"),
    "dissolved": ("structure dissolved", "share of runs"),
    "reliability": ("reliability", "honoured / invoked commitments"),
    "provocations": ("protégé provocations", "count per run"),
    "mean_war_power_share": ("mean war size", "share of total power"),
    "no_great_power_war": ("no great-power war", "share of runs"),
    "no_major_loss": ("no flashpoint lost to a major attack", "share of runs"),
    "sq_loss_below_threshold": ("status-quo loss below threshold", "share of runs"),
    "intact": ("structure intact", "share of runs"),
}

HEADLINE_METRICS = ["stable", "deterrence_rate", "wars", "sq_loss_value", "entrapments", "exits"]
MORE_METRICS = ["great_power_wars", "flashpoints_lost_major", "mean_war_power_share", "reliability",
                "abandonments", "hub_entrapments", "provocations", "dissolved"]
TABLE_METRICS = [
    "stable", "deterrence_rate", "wars", "great_power_wars", "sq_loss_value", "flashpoints_lost_major",
    "entrapments", "hub_entrapments", "abandonments", "exits", "dissolved", "reliability",
    "provocations", "no_great_power_war", "no_major_loss", "sq_loss_below_threshold", "intact",
]

STRUCTURES = {
    "none": "none (self-help)",
    "hub_and_spoke": "hub-and-spoke",
    "lattice": "lattice",
    "collective": "collective",
}
COLOURS = {"none": "#7f7f7f", "hub_and_spoke": "#1f77b4", "lattice": "#2ca02c", "collective": "#d62728"}


def metric_label(metric: str, with_unit: bool = True) -> str:
    """"deterrence rate (share of opportunities left alone)"."""
    name, unit = METRICS.get(metric, (metric.replace("_", " "), "-"))
    return f"{name} ({unit})" if with_unit else name


def metric_unit(metric: str) -> str:
    return METRICS.get(metric, (metric, "-"))[1]


def structure_label(structure: str) -> str:
    return STRUCTURES.get(structure, structure)


def factor_label(name: str, info: dict | None) -> str:
    """A design factor's axis label, with its unit from the manifest."""
    unit = (info or {}).get("unit", "-")
    words = name.replace("_", " ")
    return f"{words} ({unit})" if unit and unit != "-" else f"{words} (dimensionless)"
