"""The step as a declared list of phases (model.step), and each quiet form -- k quiet steps at once --
against k one-steps of the same phase, to the last bit."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from model import DeterrenceModel, beliefs, grievance, membership, observations, peacetime
from model import step as phases
from model.opportunities import Opportunities
from scenarios import load

STRESS = {"exit_threshold": 0.6, "autonomy_grievance": 0.05, "wedge_pressure": 0.05,
          "belief_memory": 0.9, "opportunity_scale": 3.0, "formation": "imposed",
          "exit_rule": "grievance", "yardstick": "own_rule"}


@pytest.fixture(scope="module")
def asia():
    return load("asia")


def busy_model(asia, structure: str, seed: int, steps: int = 30) -> DeterrenceModel:
    """A model with grievance, beliefs and tallies that have moved."""
    model = DeterrenceModel(asia, structure, rng=seed, collect=False, **STRESS)
    for _ in range(steps):
        model.step()
    return model


def test_the_step_is_the_declared_phases_in_the_odd_order():
    assert [p.name for p in phases.STEP] == [
        "opportunities", "crises", "wars", "peacetime", "cooperation", "membership", "fading",
        "observation", "calendar"]
    assert [p.name for p in phases.CRISIS] == [
        "response", "outcome", "learning", "record", "joint action", "escalation"]
    assert all(meaning for _, meaning in phases.describe())


def test_a_new_phase_is_one_function_and_one_line_and_every_engine_runs_it(asia, monkeypatch):
    """A phase added to the list runs in every step, under the reference engine and the fast one
    (which, without a quiet form for it, steps through the phases one by one)."""
    calls: dict[int, list[int]] = {}

    def census(model):
        """Census: count the steps."""
        calls.setdefault(id(model), []).append(model.steps)

    monkeypatch.setattr(phases, "STEP", (*phases.STEP, phases.Phase("census", census)))
    fast = DeterrenceModel(asia, "collective", rng=3, collect=False)
    reference = DeterrenceModel(asia, "collective", rng=3, collect=False)
    assert fast.run(40) == reference.run(40, engine="reference")
    assert calls[id(fast)] == calls[id(reference)] == list(range(1, 41))


@pytest.mark.parametrize("structure", ["hub_and_spoke", "collective", "lattice"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grievance_over_k_quiet_steps_is_k_steps_of_accrual_and_fading(asia, structure, seed):
    model = busy_model(asia, structure, seed)
    peace = peacetime.current(model)
    other = copy.deepcopy(model)
    for _ in range(17):
        if peace is not None:
            grievance.accrue(other, peace)
        grievance.fade(other)
    grievance.advance(model, peace, 17)
    assert [s.grievance for s in model.states] == [s.grievance for s in other.states]
    assert model.tie_grievance.tolist() == other.tie_grievance.tolist()


@pytest.mark.parametrize(("structure", "threshold", "before", "expected"), [
    ("hub_and_spoke", 0.5, 5, 31), ("collective", 1.0, 1, 1), ("collective", 0.6, 1, 0),
    ("hub_and_spoke", 2.0, 5, 400)])
def test_the_exit_limit_is_the_first_step_at_which_the_exit_rule_acts(structure, threshold, before,
                                                                       expected):
    """quiet_limit's n: the one-step phases run n quiet steps without an exit, and the next one
    (if n < k) ends a tie or a membership (version 0.2.1's asia, whose grievance exits these are)."""
    from tests.support.golden_runs import FROZEN

    asia = load(FROZEN["version_0_2_1"] / "asia.toml")
    model = DeterrenceModel(asia, structure, rng=1, collect=False,
                            **{**STRESS, "exit_threshold": threshold, "autonomy_grievance": 0.1})
    for _ in range(before):
        model.step()
    n, _ = membership.quiet_limit(model, 400)
    assert n == expected
    other = copy.deepcopy(model)
    for k in range(min(n + 1, 400)):
        version = other.graph.version
        other.opened = ()
        for phase in phases.end():
            phase.run(other)
        assert (other.graph.version != version) == (k == n)


@pytest.mark.parametrize("seed", [1, 2])
def test_beliefs_over_k_quiet_steps_are_k_steps_of_fading(asia, seed):
    model = busy_model(asia, "collective", seed)
    for k, state in enumerate(model.states):  # evidence beyond the prior, different for each
        state.alpha, state.beta = model.prior[0] + k * seed, model.prior[1] + 2 * k
    model.learned = set(range(len(model.states)))
    other = copy.deepcopy(model)
    for _ in range(23):
        beliefs.fade(other)
    beliefs.fade_steps(model, 23)
    assert [(s.alpha, s.beta) for s in model.states] == [(s.alpha, s.beta) for s in other.states]
    assert model.states[3].alpha != model.prior[0] + 3 * seed  # it faded


@pytest.mark.parametrize("started", [False, True])
def test_tallies_over_k_quiet_steps_are_k_steps_of_observation(asia, started):
    model = busy_model(asia, "hub_and_spoke", 2)
    peace = peacetime.current(model)
    other = copy.deepcopy(model)
    for k in range(9):
        if k or not started:
            other.step_tally = observations.Tally()
        other.step_tally.peacetime_grievance += peace.total
        other.step_tally.wedge_targets += peace.wedge_targets
        observations.merge(other.tally, other.step_tally)
    observations.observe_quiet(model, peace, 9, started)
    fields = observations.Tally.FIELDS
    assert [getattr(model.tally, f) for f in fields] == [getattr(other.tally, f) for f in fields]
    assert ([getattr(model.step_tally, f) for f in fields]
            == [getattr(other.step_tally, f) for f in fields])


def test_opportunities_of_k_steps_are_k_single_steps():
    from types import SimpleNamespace

    points = [SimpleNamespace(rate=r, open_to_crises=True) for r in (0.1, 0.3, 0.05, 0.5)]
    one = Opportunities(np.random.default_rng(5), points)
    many = Opportunities(np.random.default_rng(5), points)
    singles = {k: one.draw_one().tolist() for k in range(300)}
    drawn = many.draw(300)
    assert {k: v for k, v in singles.items() if v} == drawn


def test_a_flashpoint_taken_opens_no_more_and_the_one_behind_it_comes_within_reach():
    from types import SimpleNamespace

    front = SimpleNamespace(rate=0.5, taken=False)
    front.open_to_crises = True
    rear = SimpleNamespace(rate=0.5)
    points = [front, rear]
    rear.open_to_crises = False
    opportunities = Opportunities(np.random.default_rng(5), points)
    assert opportunities.rates.tolist() == [0.5, 0.0]
    front.open_to_crises, rear.open_to_crises = False, True
    opportunities.refresh()
    assert opportunities.rates.tolist() == [0.0, 0.5] and opportunities.version == 1


def test_reviews_run_one_by_one_and_quiet_steps_stop_before_each(asia):
    """Under the review rule the membership phase lets quiet steps run up to the next review."""
    model = DeterrenceModel(asia, "collective", rng=1, collect=False, review_interval=2.0)
    assert model.review_period == 8
    assert membership.review_limit(model, 100, 1) == 7      # steps 1-7, then the review at 8
    assert membership.review_limit(model, 3, 1) == 3
    assert membership.review_limit(model, 100, 8) == 0      # step 8 is a review
    assert membership.review_limit(model, 100, 9) == 7
