"""Building a model's entities from a scenario and resolved parameters (docs/ODD.md, Initialization).

Three steps, each a function: the red-line divergence transform of stakes and red lines
(:func:`stakes_and_red_lines`), the hedging shift (:func:`hedging`), and the creation of the
agents and flashpoints (:func:`states`, :func:`challengers`, :func:`flashpoints`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import design_cache, rules
from .agents import Challenger, State
from .crisis import Flashpoint
from .parameters import Parameters
from .scenario import Scenario

if TYPE_CHECKING:
    from .model import DeterrenceModel


def stakes_and_red_lines(scenario: Scenario, divergence: float) -> tuple[np.ndarray, np.ndarray]:
    """(stakes, red lines), each ``[state, flashpoint]``, after the red-line divergence transform.

    Every non-hub state's stake and red line at a flashpoint it does not own moves, piecewise
    linearly in ``divergence`` (:func:`rules.interpolate_towards`), from the target's own values
    (0: everyone shares them) through the file's values (the scenario's ``baseline_divergence``)
    to stake 0 and no red line (1: each cares only for its own). The hub keeps the file's values.
    """
    fps = scenario.flashpoints
    fp_index = {f.id: k for k, f in enumerate(fps)}
    names = scenario.state_names()
    target_of = [names.index(f.target) for f in fps]
    file_stakes = np.zeros((len(names), len(fps)))
    file_lines = np.full((len(names), len(fps)), rules.NEVER)
    for i, spec in enumerate(scenario.states):
        for fid, value in spec.stakes.items():
            file_stakes[i, fp_index[fid]] = value
        for fid, value in spec.red_lines.items():
            file_lines[i, fp_index[fid]] = value
    stakes = file_stakes.copy()
    lines = file_lines.copy()
    baseline = scenario.baseline_divergence
    for i, spec in enumerate(scenario.states):
        if spec.name == scenario.hub:
            continue
        for f in range(len(fps)):
            j = target_of[f]
            if i == j:
                continue
            stakes[i, f] = rules.interpolate_towards(
                file_stakes[i, f], file_stakes[j, f], 0.0, divergence, baseline)
            lines[i, f] = rules.interpolate_towards(
                file_lines[i, f], file_lines[j, f], rules.NEVER, divergence, baseline)
    return stakes, lines


def hedging(scenario: Scenario, params: Parameters, shift: float | None = None) -> list[float]:
    """Each state's hedging: the file's value shifted by ``mean_hedging`` − the file's mean (clipped
    to [0, 1]) for non-hub states; ``hub_hedging`` for the hub (Morrow 1991). ``shift``: the shift
    to use instead (the scenario's as built, once events have changed a state's value:
    :mod:`model.calendar`), which also gives the hub its file's value."""
    if shift is None:
        hub = params["hub_hedging"]
        shift = params["mean_hedging"] - scenario.file_mean_hedging()
    else:
        hub = next((s.hedging for s in scenario.states if s.name == scenario.hub), None)
    return [
        hub if spec.name == scenario.hub
        else min(1.0, max(0.0, spec.hedging + shift))
        for spec in scenario.states
    ]


def stakes_and_red_lines_of(scenario: Scenario, params: Parameters
                            ) -> tuple[np.ndarray, np.ndarray]:
    """(stakes, red lines), each ``[state, flashpoint]``, at this design point: the divergence
    transform (:func:`stakes_and_red_lines`), then ``hub_stake`` for every stake of the hub."""
    stakes, lines = stakes_and_red_lines(scenario, params["red_line_divergence"])
    if params["hub_stake"] is not None and scenario.hub is not None:
        stakes[scenario.state_names().index(scenario.hub), :] = params["hub_stake"]
    return stakes, lines


def _local_powers(scenario: Scenario, power: float, location: tuple[float, float],
                  decay_km: float) -> np.ndarray:
    return np.array([
        rules.local_power(power, rules.great_circle_km(location, f.location), decay_km)
        for f in scenario.flashpoints
    ])


@dataclass(frozen=True)
class Traits:
    """What the scenario and the parameters give each state and challenger (read-only, shared by
    every model of a design point: :mod:`model.design_cache`).

    Attributes:
        stakes, red_lines: ``[state, flashpoint]``, after the divergence transform and the hub's
            stake.
        hedging: each state's hedging.
        powers, local_powers: each state's power and, ``[state, flashpoint]``, its local power.
        challenger_powers, challenger_local_powers: the same for the challengers.
    """

    stakes: np.ndarray
    red_lines: np.ndarray
    hedging: tuple[float, ...]
    powers: tuple[float, ...]
    local_powers: np.ndarray
    challenger_powers: tuple[float, ...]
    challenger_local_powers: np.ndarray


TRAIT_PARAMETERS = ("red_line_divergence", "hub_stake", "mean_hedging", "hub_hedging",
                    "loss_of_strength", "challenger_power_scale")
"""The parameters :func:`traits` reads."""


def traits(scenario: Scenario, params: Parameters) -> Traits:
    """The states' and challengers' traits at this design point (computed once per design point)."""
    return design_cache.remember(scenario, "traits", tuple(params[name] for name in TRAIT_PARAMETERS),
                             lambda: _traits(scenario, params))


def _traits(scenario: Scenario, params: Parameters) -> Traits:
    stakes, lines = stakes_and_red_lines_of(scenario, params)
    decay_km = params["loss_of_strength"] * 1000.0
    powers, local = [], []
    for spec in scenario.states:
        power = spec.power * spec.available_share
        powers.append(power)
        local.append(_local_powers(scenario, power, spec.location, decay_km))
    challenger_powers = [spec.power * params["challenger_power_scale"]
                         for spec in scenario.challengers]
    challenger_local = [_local_powers(scenario, power, spec.location, decay_km)
                        for spec, power in zip(scenario.challengers, challenger_powers, strict=True)]
    shape = (0, len(scenario.flashpoints))
    return Traits(
        design_cache.frozen(stakes), design_cache.frozen(lines), tuple(hedging(scenario, params)),
        tuple(powers), design_cache.frozen(np.array(local).reshape(-1, shape[1])),
        tuple(challenger_powers),
        design_cache.frozen(np.array(challenger_local).reshape(-1, shape[1])),
    )


def states(model: DeterrenceModel, scenario: Scenario, params: Parameters) -> list[State]:
    """The scenario's states as Mesa agents, with transformed stakes, red lines and hedging."""
    given = traits(scenario, params)
    prior = (params["prior_reliability"] * params["prior_strength"],
             (1.0 - params["prior_reliability"]) * params["prior_strength"])
    return [
        State(model, name=spec.name, index=i, power=given.powers[i], location=spec.location,
              hedging=given.hedging[i], stakes=given.stakes[i],
              red_lines=given.red_lines[i], local_power=given.local_powers[i],
              prior=prior, is_hub=spec.name == scenario.hub)
        for i, spec in enumerate(scenario.states)
    ]


def challengers(model: DeterrenceModel, scenario: Scenario, params: Parameters) -> list[Challenger]:
    """The scenario's challengers as Mesa agents, power scaled by ``challenger_power_scale``."""
    given = traits(scenario, params)
    return [
        Challenger(model, name=spec.name, index=k, power=given.challenger_powers[k],
                   location=spec.location, great_power=spec.great_power,
                   local_power=given.challenger_local_powers[k])
        for k, spec in enumerate(scenario.challengers)
    ]


def flashpoints(scenario: Scenario, params: Parameters, states_: list[State],
                challengers_: list[Challenger]) -> list[Flashpoint]:
    """The scenario's flashpoints, rates scaled by ``opportunity_scale`` (capped at 1)."""
    fp_index = {f.id: k for k, f in enumerate(scenario.flashpoints)}
    state_of = {s.name: s for s in states_}
    challenger_of = {c.name: c for c in challengers_}
    built = [
        Flashpoint(
            index=k, id=f.id, name=f.name, target=state_of[f.target],
            challenger=challenger_of[f.challenger], value=f.value, theatre=f.theatre,
            location=f.location, rate=min(1.0, f.rate * params["opportunity_scale"]),
            neighbours=tuple(fp_index[n] for n in f.neighbours),
            target_may_provoke=f.target_may_provoke, options=f.options,
            behind=tuple(fp_index[b] for b in f.behind), closed=f.closed,
        )
        for k, f in enumerate(scenario.flashpoints)
    ]
    for fp in built:
        fp.fronts = tuple(built[b] for b in fp.behind)
    return built


def exposure(scenario: Scenario, params: Parameters) -> np.ndarray:
    """``[state, challenger]``: each state's declared exposure to each challenger's gains, times
    ``exposure_weight`` (capped at 1)."""
    names = [c.name for c in scenario.challengers]
    values = np.array([[min(1.0, spec.exposure.get(name, 0.0) * params["exposure_weight"])
                        for name in names] for spec in scenario.states]).reshape(
        len(scenario.states), len(names))
    return design_cache.frozen(values)


def affinity(scenario: Scenario) -> np.ndarray:
    """``[state, state]``: the affinity of every pair of states (1 on the diagonal)."""
    names = scenario.state_names()
    return design_cache.frozen(np.array([[scenario.affinity_between(a, b) for b in names]
                                         for a in names]))
