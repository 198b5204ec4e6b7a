"""Small hand-built scenarios whose numbers can be followed by hand."""

from __future__ import annotations

from model.scenario import ChallengerSpec, FlashpointSpec, Scenario, StateSpec


def duel(
    *,
    target_red_line: float | None = 0.5,
    ally_stake: float = 0.4,
    rate: float = 0.5,
    parameters: dict | None = None,
) -> Scenario:
    """One target, one ally (the hub) and one challenger, all at the same place (no distance)."""
    red_lines = {} if target_red_line is None else {"f": target_red_line}
    return Scenario(
        name="duel",
        description="hand-checkable case",
        states=(
            StateSpec(name="Target", power=10.0, hedging=0.2, location=(0.0, 0.0),
                      stakes={"f": 1.0}, red_lines=red_lines),
            StateSpec(name="Ally", power=30.0, hedging=0.3, location=(0.0, 0.0),
                      stakes={"f": ally_stake}),
        ),
        challengers=(ChallengerSpec(name="C", power=40.0, location=(0.0, 0.0), great_power=True),),
        flashpoints=(
            FlashpointSpec(id="f", name="F", target="Target", challenger="C", value=1.0,
                           theatre="land", location=(0.0, 0.0), rate=rate),
        ),
        hub="Ally",
        members=("Ally", "Target"),
        baseline_divergence=0.5,
        parameters=dict(parameters or {}),
    )
