"""Small hand-built scenarios whose numbers can be followed by hand, and helpers to look into a run."""

from __future__ import annotations

from dataclasses import replace

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


def triad(*, minilateral: bool = False) -> Scenario:
    """A hub and two spokes A and B, each spoke owning one flashpoint that one challenger contests,
    all at one place (no distance). A resists from a limited strike at fa and cares for fb not at
    all; B resists from a limited strike at fb and has a small stake at fa."""
    return Scenario(
        name="triad",
        description="hand-checkable formation, ties and peacetime costs",
        states=(
            StateSpec(name="Hub", power=60.0, hedging=0.3, location=(0.0, 0.0),
                      stakes={"fa": 0.5, "fb": 0.5}),
            StateSpec(name="A", power=20.0, hedging=0.2, location=(0.0, 0.0),
                      stakes={"fa": 1.0}, red_lines={"fa": 0.5}),
            StateSpec(name="B", power=20.0, hedging=0.6, location=(0.0, 0.0),
                      stakes={"fb": 1.0, "fa": 0.2}, red_lines={"fb": 0.5}),
        ),
        challengers=(ChallengerSpec(name="C", power=40.0, location=(0.0, 0.0), great_power=True),),
        flashpoints=(
            FlashpointSpec(id="fa", name="FA", target="A", challenger="C", value=1.0,
                           theatre="land", location=(0.0, 0.0), rate=0.1, neighbours=("fb",)),
            FlashpointSpec(id="fb", name="FB", target="B", challenger="C", value=1.0,
                           theatre="land", location=(0.0, 0.0), rate=0.1, neighbours=("fa",)),
        ),
        hub="Hub",
        members=("Hub", "A", "B"),
        minilateral=(("A", "B"),) if minilateral else (),
        baseline_divergence=0.5,
    )


def calm(scenario: Scenario) -> Scenario:
    """``scenario`` with no flashpoint ever opening: nothing happens unless a test makes it happen."""
    return replace(scenario, flashpoints=tuple(replace(f, rate=0.0) for f in scenario.flashpoints))


def state_named(holder, name: str):
    """The state called ``name`` among ``holder.states`` (a model's agents or a scenario's specs)."""
    return next(s for s in holder.states if s.name == name)
