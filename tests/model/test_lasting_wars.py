"""Wars that last (model/war.py, docs/ODD.md submodel 14): each step's costs, the resolve rule, how
a war ends, who joins and leaves, war weariness in the value of a tie, and the one-step war kept as
``war_duration = "decisive"``.

The wars are started by a scheduled crisis in a small scenario declared here (one target, one ally
bound to it, one challenger), so that every number can be computed by hand.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from model import DeterrenceModel, rules
from model import war as wars
from model.scenario import ScheduledEvent
from scenarios import load

START = 2000
WAR_STEP = 5
"""The first step of 2001 (four steps a year), when the scheduled major attack comes."""
SCENARIO = {
    "name": "war-test",
    "hub": "Ally",
    "members": ["Ally", "Target"],
    "start_year": START,
    "states": [
        {"name": "Ally", "power": 40.0, "hedging": 0.0, "location": [10.0, 0.0]},
        {"name": "Target", "power": 20.0, "hedging": 0.0, "location": [0.0, 0.0],
         "stakes": {"front": 1.0}, "red_lines": {"front": 0.2}},
    ],
    "challengers": [{"name": "Rival", "power": 60.0, "location": [0.0, 5.0]}],
    "flashpoints": [
        {"id": "front", "name": "Front", "target": "Target", "challenger": "Rival", "value": 1.0,
         "theatre": "land", "location": [0.0, 0.0], "rate": 0.0},
    ],
    "events": [{"year": START + 1, "kind": "crisis", "flashpoint": "front", "severity": "major",
                "source": "assumption: test"}],
}
FIXED = {"formation": "imposed", "hub_stake": 0.0, "buck_passing": 0.0, "autonomy_cost": 0.0}
"""No negotiation and no other motive than the obligation for the ally (its stake is 0)."""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("war") / "war.toml"
    path.write_text(tomli_w.dumps(SCENARIO), encoding="utf-8")
    return load(str(path))


def at_war(scenario, steps: int = WAR_STEP, **overrides) -> DeterrenceModel:
    model = DeterrenceModel(scenario, "hub_and_spoke", rng=1, collect=False,
                            **{**FIXED, **overrides})
    for _ in range(steps):
        model.step()
    return model


def test_the_chance_of_giving_up_is_the_threshold_passed_this_step_given_not_before():
    def f(x):
        return 1.0 / (1.0 + math.exp(-(x - 1.0) / 0.3))

    # cost 0 -> 0.5 against resolve 1, temperature 0.3: (F(0.5) - F(0)) / (1 - F(0))
    expected = (f(0.5) - f(0.0)) / (1.0 - f(0.0))
    assert wars._gives_up(0.0, 0.5, 1.0, 0.3) == pytest.approx(expected, rel=1e-12)
    assert wars._gives_up(0.5, 1.5, 1.0, 0.3) == pytest.approx(
        (f(1.5) - f(0.5)) / (1.0 - f(0.5)), rel=1e-12)
    assert wars._gives_up(0.7, 0.7, 1.0, 0.3) == 0.0  # a step that costs nothing: no one gives up
    # over a war, the steps' chances make up the threshold's distribution: surviving every step
    # is surviving the whole cost
    survive = 1.0
    for before, after in ((0.0, 0.4), (0.4, 0.9), (0.9, 1.6)):
        survive *= 1.0 - wars._gives_up(before, after, 1.0, 0.3)
    assert survive == pytest.approx((1.0 - f(1.6)) / (1.0 - f(0.0)), rel=1e-12)


def test_each_step_of_a_war_costs_each_side_its_prorated_share(scenario):
    # no decision by arms and no will to give up: the war goes on; check three steps' costs
    model = at_war(scenario, WAR_STEP + 2, decisive_battle_rate=0.0, war_resolve=10.0,
                   reputational_weight=10.0)
    (war,) = model.wars
    assert war.steps == 3 and war.started == WAR_STEP
    p = model.params
    f = 0
    rival = model.challengers[0].local_power[f]
    field = {model.states[i].name: c for i, c in war.fighting.items()}
    assert field == {"Target": wars.FULL, "Ally": wars.FULL}
    defence = sum(s.local_power[f] for s in model.states)
    share = rival / (rival + defence)
    prorate = 0.25 / p["war_years"]
    step_cost = p["defender_war_cost"] * 1.0 * share * prorate
    for i in war.fighting:
        assert war.costs[i] == pytest.approx(3 * step_cost, rel=1e-12)
    assert war.challenger_cost == pytest.approx(
        3 * p["challenger_war_cost"] * (1.0 - share) * prorate, rel=1e-12)
    # the ally fights only because it is bound (no red line of its own there): its costs are its
    # weariness with the target; the target's own are not
    ally, target = 0, 1
    assert model.weariness[ally, target] == pytest.approx(3 * step_cost, rel=1e-12)
    assert model.weariness[target].sum() == 0.0
    # the flashpoint opens to no other crisis while the war lasts
    assert model.flashpoints[f].at_war and not model.flashpoints[f].open_to_crises
    assert model.opportunities.rates[f] == 0.0


def test_a_war_decided_by_arms_ends_at_once_with_the_contest_odds(scenario):
    # a decision by arms in most steps (1 - exp(-10 * 0.25) = 0.92), and no will to give up: every
    # war ends by arms, the challenger prevailing with its contest odds
    ends = {"war ended: challenger won": 0, "war ended: defence held": 0}
    for seed in range(60):
        model = DeterrenceModel(scenario, "hub_and_spoke", rng=seed, collect=False,
                                **{**FIXED, "decisive_battle_rate": 10.0, "war_resolve": 10.0,
                                   "reputational_weight": 10.0})
        model.run(WAR_STEP + 12)
        (end,) = [c for c in model.crisis_log if c.war_steps]
        assert not model.wars
        ends[end.outcome] += 1
    # the challenger's odds against the full defence (Target and Ally in the field)
    rival = model.challengers[0].local_power[0]
    defence = sum(s.local_power[0] for s in model.states)
    odds = rules.contest_success(rival, defence, model.params["decisiveness"])
    won = ends["war ended: challenger won"]
    assert abs(won / 60 - odds) < 3 * math.sqrt(odds * (1 - odds) / 60)


def test_a_target_that_gives_up_concedes_and_loses_the_flashpoint(scenario):
    # no decision by arms; the target has no resolve (0): it gives up as soon as the war costs it
    # anything, with chance 1 - F(0) ... its threshold is logistic around 0; the ally would fight on
    seen = 0
    for seed in range(20):
        model = DeterrenceModel(scenario, "hub_and_spoke", rng=seed, collect=False,
                                **{**FIXED, "decisive_battle_rate": 0.0, "war_resolve": 0.0,
                                   "reputational_weight": 10.0})
        model.run(WAR_STEP + 40)
        ends = [c for c in model.crisis_log if c.war_steps]
        assert len(ends) == 1
        if ends[0].outcome == "war ended: target gave up":
            seen += 1
            assert ends[0].taken and model.flashpoints[0].taken
            assert model.metrics()["flashpoints_lost_major"] == 1
    assert seen > 0


def test_a_lost_flashpoint_stays_lost_until_a_restore_event_returns_it(tmp_path):
    # the target gives up at once (no resolve, no decision by arms) and loses the front in 2001;
    # a restore event in 2005 returns it (at the end of step 20, the last step of 2004), and a
    # scheduled crisis in 2006 finds it open again
    restore = START + 5
    events = [*SCENARIO["events"],
              {"year": restore, "kind": "restore", "flashpoint": "front",
               "source": "assumption: test"},
              {"year": restore + 1, "kind": "crisis", "flashpoint": "front", "severity": "probe",
               "source": "assumption: test"}]
    path = tmp_path / "restore.toml"
    path.write_text(tomli_w.dumps({**SCENARIO, "events": events}), encoding="utf-8")
    restored = load(str(path))
    seen = 0
    for seed in range(20):
        model = DeterrenceModel(restored, "hub_and_spoke", rng=seed, collect=False,
                                **{**FIXED, "decisive_battle_rate": 0.0, "war_resolve": 0.0,
                                   "reputational_weight": 10.0})
        front = model.flashpoints[0]
        for _ in range(4 * (restore - START) - 1):  # to the step before the turn into 2005
            model.step()
        if not front.taken:
            continue
        seen += 1
        assert not front.open_to_crises
        model.step()  # step 20: its calendar phase turns into 2005
        assert not front.taken and front.open_to_crises
        assert [e.detail for e in model.events if e.kind == "scheduled"][-1] == (
            f"{restore}: front is restored to its defender (assumption: test)")
        for _ in range(5):  # through 2005 and the first step of 2006
            model.step()
        assert [c.severity for c in model.crisis_log if c.scheduled] == [2, 0]
        # still counted lost: it was lost during the run
        assert model.metrics()["flashpoints_lost_major"] == 1
    assert seen > 0


def test_a_restore_event_leaves_a_flashpoint_its_challenger_does_not_hold(tmp_path):
    events = [{"year": START + 1, "kind": "restore", "flashpoint": "front",
               "source": "assumption: test"}]
    path = tmp_path / "restore.toml"
    path.write_text(tomli_w.dumps({**SCENARIO, "events": events}), encoding="utf-8")
    model = DeterrenceModel(load(str(path)), "hub_and_spoke", rng=1, collect=False, **FIXED)
    model.run(8)
    assert not model.flashpoints[0].taken
    assert [e.detail for e in model.events if e.kind == "scheduled"] == [
        f"{START + 1}: front is restored to its defender, not held by its challenger: nothing "
        "changes (assumption: test)"]


def test_the_war_lengths_are_counted(scenario):
    model = at_war(scenario, WAR_STEP + 60, decisive_battle_rate=0.5, war_resolve=1.0,
                   reputational_weight=10.0)
    ends = [c for c in model.crisis_log if c.war_steps]
    metrics = model.metrics()
    assert metrics["wars"] == 1
    if ends:
        assert metrics["mean_war_length"] == ends[0].war_steps == metrics["longest_war"]
        assert metrics["wars_under_way"] == 0
    else:
        assert metrics["longest_war"] == model.wars[0].steps and metrics["wars_under_way"] == 1


def test_weariness_costs_the_tie_that_drew_the_state_in(scenario):
    model = at_war(scenario, WAR_STEP + 2, decisive_battle_rate=0.0, war_resolve=10.0,
                   reputational_weight=10.0, weariness_cost=0.05)
    ally, target = 0, 1
    weariness = model.weariness[ally, target]
    assert weariness > 0.0
    negotiation = model.negotiation
    valuation = negotiation.valuation
    tie = (0, 1)
    with_tie = negotiation.costs(frozenset({tie}))
    without = negotiation.costs(frozenset())
    # per step: weariness_cost per year x a quarter of a year x what it paid for its partner
    assert with_tie.weariness[ally] == pytest.approx(0.05 * 0.25 * weariness, rel=1e-12)
    assert without.weariness[ally] == 0.0 and with_tie.weariness[target] == 0.0
    value = valuation.value(ally, with_tie, without, model.threat.greedy())
    assert value.weariness == pytest.approx(-0.05 * weariness, rel=1e-12)  # per year


def test_decisive_wars_are_decided_in_their_first_step(scenario):
    model = DeterrenceModel(scenario, "hub_and_spoke", rng=1, collect=False,
                            **{**FIXED, "war_duration": "decisive", "reputational_weight": 10.0})
    metrics = model.run(WAR_STEP + 8)
    (crisis,) = [c for c in model.crisis_log if c.severity is not None]
    assert crisis.outcome in ("challenger won", "defence held") and not crisis.war_steps
    assert not model.wars and metrics["longest_war"] == 1 and metrics["mean_war_length"] == 1


@pytest.mark.parametrize("structure", ["hub_and_spoke", "collective"])
def test_the_fast_engine_gives_the_reference_engines_wars(structure):
    asia = load("asia")
    for seed in range(6):
        settings = {"opportunity_scale": 4.0, "theatre_coupling": 0.6, "decisive_battle_rate": 0.2}
        fast = DeterrenceModel(asia, structure, rng=seed, collect=False, **settings)
        reference = DeterrenceModel(asia, structure, rng=seed, collect=False, **settings)
        assert repr(fast.run(160)) == repr(reference.run(160, engine="reference"))
        assert [repr(c) for c in fast.crisis_log] == [repr(c) for c in reference.crisis_log]
        assert fast.weariness.tobytes() == reference.weariness.tobytes()


def test_the_targets_resolve_breaks_at_the_computed_step(scenario):
    # The target alone (no alliance), no decision by arms, a challenger that pays nothing (so it
    # never gives up). Its cost per step, with war_years a quarter (one step = the one-step war):
    # defender_war_cost x 1 x share. With defender_war_cost set so that this is 0.3, and the
    # threshold at war_resolve x its stake (1) = 1 with a scale of 0.01, its costs are 0.3, 0.6,
    # 0.9, 1.2: it gives up in the fourth step of the war (the chance before: below 1e-4).
    probe = DeterrenceModel(scenario, "none", rng=1, collect=False, **FIXED)
    rival, target = probe.challengers[0].local_power[0], probe.states[1].local_power[0]
    share = rival / (rival + target)
    settings = {**FIXED, "decisive_battle_rate": 0.0, "challenger_war_cost": 0.0,
                "war_years": 0.25, "war_resolve": 1.0, "response_temperature": 0.01,
                "defender_war_cost": 0.3 / share}
    for seed in range(10):
        model = DeterrenceModel(scenario, "none", rng=seed, collect=False, **settings)
        model.run(WAR_STEP + 10)
        (end,) = [c for c in model.crisis_log if c.war_steps]
        assert end.outcome == "war ended: target gave up" and end.war_steps == 4
        assert end.step == WAR_STEP + 3


def test_an_ally_that_leaves_stops_paying_and_is_seen_to_defect(tmp_path):
    # The ally is bound to the target and its own red line is crossed at a major attack (so it
    # joins the war); its motive is only the little reputation at stake (reputational_weight 0.1,
    # no stake): with fighting "alone" it leaves as soon as its costs pass that, while the target
    # (stake 1) fights on.
    document = {**SCENARIO, "states": [{**SCENARIO["states"][0], "red_lines": {"front": 0.5}},
                                       SCENARIO["states"][1]]}
    path = tmp_path / "ally.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    scenario = load(str(path))
    settings = {**FIXED, "decisive_battle_rate": 0.0, "challenger_war_cost": 0.0,
                "reputational_weight": 0.1, "fighting": "alone", "response_temperature": 0.01,
                "war_resolve": 1.0, "war_years": 10.0}  # a slow war: the ally lasts a few steps
    seen = 0
    for seed in range(20):
        model = DeterrenceModel(scenario, "hub_and_spoke", rng=seed, collect=False, **settings)
        ally = model.states[0]
        for _ in range(WAR_STEP):
            model.step()
        if not model.wars or 0 not in model.wars[0].fighting:
            continue
        war = model.wars[0]
        beliefs = (ally.alpha, ally.beta)
        paid = []
        while model.wars and 0 in war.fighting:
            paid.append(war.costs[0])
            model.step()
        if not model.wars or 0 not in war.left:
            continue
        seen += 1
        assert model.metrics()["war_exits"] == 1
        assert (ally.alpha, ally.beta) == (beliefs[0], beliefs[1] + 1)  # a defection, seen
        left_at = war.costs[0]
        for _ in range(4):  # the war goes on without it: its cost stands still
            if not model.wars:
                break
            model.step()
            assert war.costs[0] == left_at
        assert paid == sorted(paid)
    assert seen > 0


@settings(max_examples=12, deadline=None)
@given(structure=st.sampled_from(["hub_and_spoke", "collective", "lattice"]),
       seed=st.integers(0, 10_000), resolve=st.floats(0.1, 5.0), rate=st.floats(0.0, 2.0),
       years=st.floats(0.25, 5.0),
       restores=st.lists(st.tuples(st.integers(2025, 2044), st.integers(0, 5)), max_size=6))
def test_participants_pay_only_while_in_a_war_and_what_is_taken_stays_taken_until_restored(
        structure, seed, resolve, rate, years, restores):
    asia = load("asia")
    events = tuple(ScheduledEvent(year, "restore", flashpoint=asia.flashpoints[f].id,
                                  source="assumption: drawn") for year, f in sorted(restores))
    model = DeterrenceModel(replace(asia, events=events), structure, rng=seed, collect=False,
                            opportunity_scale=4.0, war_resolve=resolve, decisive_battle_rate=rate,
                            war_years=years)
    taken: set[int] = set()
    for _ in range(80):
        before = {id(war): (dict(war.costs), set(war.fighting)) for war in model.wars}
        wars = list(model.wars)
        model.step()
        for war in wars:  # a war under way before the step: only those in the field paid
            costs, fighting = before[id(war)]
            for state, paid in war.costs.items():
                if paid != costs.get(state, 0.0):
                    assert state in fighting
        now = {fp.index for fp in model.flashpoints if fp.taken}
        restored = {fp.index for fp in model.flashpoints for event in model.events
                    if event.kind == "scheduled" and event.step == model.steps + 1
                    and f": {fp.id} is restored" in event.detail}
        assert taken - restored <= now  # a flashpoint taken stays taken until an event returns it
        taken = now
    assert all(tie.end is None or tie.end >= tie.start for tie in model.graph.ties)
