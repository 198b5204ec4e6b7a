"""What the model observes, per step and per run (docs/ODD.md, Observation).

The model adds events to two :class:`Tally` objects, one for the current step and one for the whole
run; per-step series come from the step tally (through Mesa's ``DataCollector``), run-level metrics
from the run tally by :func:`run_metrics`. The two are kept consistent by construction and checked
against each other in the tests.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import DeterrenceModel

SEVERITIES = ("probe", "limited", "major")
KINDS = ("bilateral", "minilateral", "collective")

COUNTERS: tuple[str, ...] = (
    "opportunities",
    "deterred",
    "aggressions_probe",
    "aggressions_limited",
    "aggressions_major",
    "wars",
    "war_states",
    "war_power_share",
    "great_power_wars",
    "sq_losses",
    "sq_loss_value",
    "flashpoints_lost_major",
    "invoked_bilateral",
    "honoured_bilateral",
    "invoked_minilateral",
    "honoured_minilateral",
    "invoked_collective",
    "honoured_collective",
    "abandonments",
    "entrapments",
    "hub_entrapments",
    "provocations",
    "exits",
)
"""Additive event counts. ``war_states`` and ``war_power_share`` are sums over wars."""


class Tally:
    """Counts of events, one attribute per name in :data:`COUNTERS`, plus the largest war."""

    __slots__ = (*COUNTERS, "largest_war_power_share", "largest_war_states")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, 0)

    def add_war(self, states: int, power_share: float) -> None:
        self.wars += 1
        self.war_states += states
        self.war_power_share += power_share
        if power_share > self.largest_war_power_share:
            self.largest_war_power_share = power_share
        if states > self.largest_war_states:
            self.largest_war_states = states

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


STEP_SERIES: tuple[str, ...] = (
    *COUNTERS,
    "largest_war_power_share",
    "active_members",
    "dissolved",
    "mean_grievance",
)
"""Columns of the per-step series (the ``DataCollector``'s model reporters)."""


def step_reporters() -> dict[str, object]:
    """Mesa ``DataCollector`` model reporters for every per-step series."""
    reporters: dict[str, object] = {
        name: (lambda m, name=name: getattr(m.step_tally, name))
        for name in (*COUNTERS, "largest_war_power_share")
    }
    reporters["active_members"] = lambda m: m.graph.active_members()
    reporters["dissolved"] = lambda m: int(m.graph.dissolved)
    reporters["mean_grievance"] = lambda m: (
        sum(s.grievance for s in m.states) / len(m.states)
    )
    return reporters


def run_metrics(model: DeterrenceModel) -> dict[str, float]:
    """Run-level metrics of docs/ODD.md (Observation), including the ``stable`` flag and its parts.

    The ``stable`` flag (after Deutsch & Singer 1964: the system keeps its essential
    characteristics) requires: no great-power war (the hub and a great-power challenger fighting
    each other at major severity), no state lost a flashpoint to a major attack, cumulative
    status-quo loss below ``sq_loss_threshold``, and, where there is a structure, no dissolution.
    A war's scale is measured by power and severity, never by the number of participants, so that
    a structure is not penalised for making more allies keep their word.
    """
    t = model.tally
    opportunities = t.opportunities
    aggressions = t.aggressions_probe + t.aggressions_limited + t.aggressions_major
    invoked = t.invoked_bilateral + t.invoked_minilateral + t.invoked_collective
    honoured = t.honoured_bilateral + t.honoured_minilateral + t.honoured_collective
    has_structure = bool(model.graph.founders)
    no_gp_war = t.great_power_wars == 0
    no_major_loss = t.flashpoints_lost_major == 0
    sq_below = t.sq_loss_value < model.params["sq_loss_threshold"]
    intact = not (has_structure and model.graph.dissolved)
    metrics: dict[str, float] = {
        "steps": model.steps,
        "opportunities": opportunities,
        "deterred": t.deterred,
        "aggressions": aggressions,
        "aggressions_probe": t.aggressions_probe,
        "aggressions_limited": t.aggressions_limited,
        "aggressions_major": t.aggressions_major,
        "deterrence_rate": _ratio(t.deterred, opportunities),
        "deterrence_rate_limited": _ratio(
            opportunities - t.aggressions_limited - t.aggressions_major, opportunities
        ),
        "deterrence_rate_major": _ratio(opportunities - t.aggressions_major, opportunities),
        "wars": t.wars,
        "mean_war_states": _ratio(t.war_states, t.wars),
        "mean_war_power_share": _ratio(t.war_power_share, t.wars),
        "largest_war_states": t.largest_war_states,
        "largest_war_power_share": t.largest_war_power_share,
        "great_power_wars": t.great_power_wars,
        "sq_losses": t.sq_losses,
        "sq_loss_value": t.sq_loss_value,
        "flashpoints_lost_major": t.flashpoints_lost_major,
        "invoked": invoked,
        "honoured": honoured,
        "defected": invoked - honoured,
        "reliability": _ratio(honoured, invoked),
    }
    for kind in KINDS:
        k_invoked = getattr(t, f"invoked_{kind}")
        k_honoured = getattr(t, f"honoured_{kind}")
        metrics[f"invoked_{kind}"] = k_invoked
        metrics[f"honoured_{kind}"] = k_honoured
        metrics[f"reliability_{kind}"] = _ratio(k_honoured, k_invoked)
    metrics.update(
        {
            "abandonments": t.abandonments,
            "entrapments": t.entrapments,
            "hub_entrapments": t.hub_entrapments,
            "provocations": t.provocations,
            "exits": t.exits,
            "founders": len(model.graph.founders),
            "members_final": model.graph.active_members(),
            "dissolved": int(model.graph.dissolved),
            "time_to_dissolution": (
                model.dissolved_at if model.dissolved_at is not None else math.nan
            ),
            "no_great_power_war": int(no_gp_war),
            "no_major_loss": int(no_major_loss),
            "sq_loss_below_threshold": int(sq_below),
            "intact": int(intact),
            "stable": int(no_gp_war and no_major_loss and sq_below and intact),
        }
    )
    return metrics


RUN_METRICS: tuple[str, ...] = (
    "steps", "opportunities", "deterred", "aggressions", "aggressions_probe",
    "aggressions_limited", "aggressions_major", "deterrence_rate", "deterrence_rate_limited",
    "deterrence_rate_major", "wars", "mean_war_states", "mean_war_power_share",
    "largest_war_states", "largest_war_power_share", "great_power_wars", "sq_losses",
    "sq_loss_value", "flashpoints_lost_major", "invoked", "honoured", "defected", "reliability",
    "invoked_bilateral", "honoured_bilateral", "reliability_bilateral",
    "invoked_minilateral", "honoured_minilateral", "reliability_minilateral",
    "invoked_collective", "honoured_collective", "reliability_collective",
    "abandonments", "entrapments", "hub_entrapments", "provocations", "exits", "founders",
    "members_final", "dissolved", "time_to_dissolution", "no_great_power_war", "no_major_loss",
    "sq_loss_below_threshold", "intact", "stable",
)
"""Names of the run-level metrics, in the order :func:`run_metrics` returns them."""
