"""Power trends and scheduled events (model/calendar.py): powers compounded year by year as the
trends give them, each kind of event taking effect at the first step of its year and not before,
the same numbers from both engines, and nothing at all when both mechanisms are switched off.

The scenarios extend a copy of ``asia`` without any ``growth`` or ``start_year`` of its own (so that
every trend in a test is the test's own, whatever the shipped file declares), written with tomli_w
and read back by the real loader. ``asia`` has four steps a year: year ``k`` of the run starts at
step ``4k + 1``, and its changes take effect at the end of step ``4k``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel, rules
from model.scenario import MOST_POWER, ScheduledEvent, Trend
from scenarios import load

START = 2024
STRUCTURES = ("hub_and_spoke", "collective", "lattice", "none", "deepening_lattice")
ASIA = Path(load("asia").source).read_text()
STATIC = re.sub(r"(?m)^(growth|growth_source|start_year)\s*=.*\n", "", ASIA)
"""The asia file without trends or a start year of its own."""


def first_step(year: int) -> int:
    """The first step of calendar year ``year`` (four steps a year from START), by hand."""
    return 4 * (year - START) + 1


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calendar")
    (folder / "base.toml").write_text(STATIC)
    return folder


@pytest.fixture(scope="module")
def scenario(folder):
    """``scenario(name, **document)``: the scenario a file extending the static asia declares."""
    def write(name: str, **document):
        path = folder / f"{name}.toml"
        path.write_text(tomli_w.dumps({"extends": "base.toml", "name": name, **document}))
        return load(str(path))

    return write


def event(year: int, kind: str, **fields) -> dict:
    return {"year": year, "kind": kind, "source": f"assumption: {kind} test", **fields}


def index(model, flashpoint: str) -> int:
    return next(f.index for f in model.flashpoints if f.id == flashpoint)


def state(model, name: str):
    return next(s for s in model.states if s.name == name)


def test_the_static_base_has_no_trends_and_no_start_year(folder):
    base = load(str(folder / "base.toml"))
    assert base.start_year is None and base.events == ()
    assert all(a.growth is None for a in (*base.states, *base.challengers))
    assert base.years_per_step == 0.25


# --- power trends -----------------------------------------------------------------------------------


TRENDS = {
    "start_year": START,
    "states": [{"name": "United States", "growth": [[2024, 0.02], [2026, 0.04]],
                "growth_source": "assumption: test"}],
    "challengers": [{"name": "China", "growth": 0.05, "growth_source": "assumption: test"}],
}
US_FACTORS = [1.0, 1.02, 1.02 * 1.03, 1.02 * 1.03 * 1.04, 1.02 * 1.03 * 1.04 * 1.04]
"""The US's factor in years 0-4: the rates of 2024 (0.02), 2025 (0.03, halfway), 2026 (0.04) and,
held beyond the last year, 2027 (0.04)."""


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_powers_compound_the_trend_of_each_year(scenario, engine):
    spec = scenario("trends", **TRENDS)
    model = DeterrenceModel(spec, "collective", rng=1, collect=False)
    china, us = model.challengers[0], state(model, "United States")
    assert china.name == "China"
    china0, china_local0 = china.power, np.array(china.local_power)
    us0, us_local0 = us.power, np.array(us.local_power)
    assert us0 == pytest.approx(997.0 * 0.6, rel=1e-12)  # power x available share
    others0 = {s.name: s.power for s in model.states if s is not us}
    done = 0
    for k in range(5):
        # year k holds from step 4k + 1: its powers are in place once step 4k is over, not before
        if k:
            model.run(4 * k - 1 - done, engine=engine)
            assert china.power == pytest.approx(china0 * 1.05 ** (k - 1), rel=1e-12)
            assert us.power == pytest.approx(us0 * US_FACTORS[k - 1], rel=1e-12)
            model.run(1, engine=engine)
            done = 4 * k
        assert model.steps == done
        assert china.power == pytest.approx(china0 * 1.05 ** k, rel=1e-12)
        np.testing.assert_allclose(china.local_power, china_local0 * 1.05 ** k, rtol=1e-12)
        assert us.power == pytest.approx(us0 * US_FACTORS[k], rel=1e-12)
        np.testing.assert_allclose(us.local_power, us_local0 * US_FACTORS[k], rtol=1e-12)
        assert {s.name: s.power for s in model.states if s is not us} == others0
        everyone = sum(s.power for s in model.states) + sum(c.power for c in model.challengers)
        assert model.total_power == pytest.approx(everyone, rel=1e-12)


@pytest.mark.parametrize("scale", [0.5, 2.0, 0.0])
def test_trend_scale_raises_each_factor_to_its_power(scenario, scale):
    spec = scenario("trends", **TRENDS)
    model = DeterrenceModel(spec, "collective", rng=1, collect=False, trend_scale=scale)
    china, us = model.challengers[0], state(model, "United States")
    china0, us0, total0 = china.power, us.power, model.total_power
    model.run(12)  # into year 3
    assert china.power == pytest.approx(china0 * (1.05 ** 3) ** scale, rel=1e-12)
    assert us.power == pytest.approx(us0 * (1.02 * 1.03 * 1.04) ** scale, rel=1e-12)
    if scale == 0.0:
        assert (china.power, us.power, model.total_power) == (china0, us0, total0)


def grown_and_flat(spec):
    """The same run (no structure, seed 3) with the scenario's trend and without, 20 steps in:
    five turns of the year."""
    grown = DeterrenceModel(spec, "none", rng=3, collect=False)
    flat = DeterrenceModel(spec, "none", rng=3, collect=False, trend_scale=0.0)
    grown.run(20)
    flat.run(20)
    return grown, flat


def test_the_rules_read_the_grown_power(scenario):
    """China's chance of winning at Senkaku is the contest of its grown local power (1.3 ** 5 times
    its start) against the same opposition, and its choice leans further to aggression."""
    grown, flat = grown_and_flat(scenario("china_grows", challengers=[
        {"name": "China", "growth": 0.3, "growth_source": "assumption: test"}]))
    f = index(grown, "senkaku")
    severity = grown.severities[1]
    a = grown.challengers[0].assess(f, severity, False)
    b = flat.challengers[0].assess(f, severity, False)
    assert a.opposing == pytest.approx(b.opposing, rel=1e-12)  # without a structure: red lines only
    local = flat.challengers[0].local_power[f] * 1.3 ** 5
    assert a.p_win == pytest.approx(
        rules.contest_success(local, b.opposing, grown.params["decisiveness"]), rel=1e-12)
    assert a.p_win > b.p_win and a.utility > b.utility
    assert (grown.challengers[0].probabilities(f, False)[0]
            < flat.challengers[0].probabilities(f, False)[0])


def test_a_state_that_grows_adds_to_the_opposition(scenario):
    grown, flat = grown_and_flat(scenario("japan_grows", states=[
        {"name": "Japan", "growth": 0.2, "growth_source": "assumption: test"}]))
    f = index(grown, "senkaku")
    japan = state(grown, "Japan")
    assert japan.local_power[f] == pytest.approx(state(flat, "Japan").local_power[f] * 1.2 ** 5)
    a = grown.challengers[0].assess(f, grown.severities[1], False)
    b = flat.challengers[0].assess(f, flat.severities[1], False)
    # the target's part of the expected opposition grows by its own growth
    q = a.p_opposed * a.opposing - b.p_opposed * b.opposing
    target_share = rules.logistic(grown.severities[1] - japan.red_lines[f],
                                  grown.params["red_line_noise"])
    assert q == pytest.approx(target_share * (japan.local_power[f]
                                              - state(flat, "Japan").local_power[f]), rel=1e-9)
    assert a.p_win < b.p_win


# --- the limit of power ---------------------------------------------------------------------------


BOOM = {"challengers": [{"name": "China", "growth": 0.5, "growth_source": "assumption: test"}]}
LIMIT_YEAR = math.ceil(math.log(MOST_POWER / 314.0) / math.log(1.5))
"""The first year of the run in which China (314) growing by half a year is above the limit: 20."""


def test_the_limit_year_by_hand():
    assert LIMIT_YEAR == 20
    assert 314.0 * 1.5 ** 19 < MOST_POWER < 314.0 * 1.5 ** 20


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_growth_past_the_limit_is_refused_before_the_run(scenario, engine):
    model = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False)
    power = model.challengers[0].power
    with pytest.raises(ValueError, match=r"China's growth would take its power to .* by year 20 "
                                         r"of the run, above the limit of 1,000,000"):
        model.run(800, engine=engine)  # 200 years
    assert model.steps == 0
    assert model.challengers[0].power == power
    assert model.crisis_log == []


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_run_short_of_the_limit_runs(scenario, engine):
    model = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False)
    model.run(4 * LIMIT_YEAR - 1, engine=engine)  # its last step turns into year 19
    assert model.challengers[0].power == pytest.approx(314.0 * 1.5 ** 19, rel=1e-12)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_run_whose_last_step_turns_into_the_year_past_the_limit_is_refused_before_it_starts(
        scenario, engine):
    """The calendar phase of a run's last step (step 80) starts year 20: that run takes China's
    power past the limit too, so it must be refused before its first step, not fail after its
    last."""
    model = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False)
    with pytest.raises(ValueError, match="above the limit of 1,000,000"):
        model.run(4 * LIMIT_YEAR, engine=engine)
    assert model.steps == 0


def test_a_later_run_is_checked_from_where_the_model_stands(scenario):
    model = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False)
    model.run(60)
    power = model.challengers[0].power
    with pytest.raises(ValueError, match="China's growth would take its power"):
        model.run(40)
    assert model.steps == 60 and model.challengers[0].power == power


def test_no_limit_without_the_trend(scenario):
    model = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False,
                            trend_scale=0.0)
    model.run(800)
    assert model.steps == 800 and model.challengers[0].power == 314.0
    halved = DeterrenceModel(scenario("boom", **BOOM), "collective", rng=1, collect=False,
                             trend_scale=0.5)
    # 1.5 ** (0.5 k) passes 1e6 / 314 only in year 40
    with pytest.raises(ValueError, match="by year 40 of the run"):
        halved.run(800)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_a_decline_within_the_bounds_leaves_every_power_positive_or_is_refused(scenario, folder,
                                                                             engine):
    """Every declared bound at once -- a decline of 0.5 a year (MOST_GROWTH) for every actor,
    trend_scale 2, ten years a step -- takes each power by 0.25 a year: below the smallest float
    (about 5e-324) within about 540 years, 55 steps. A power must stay positive (the loader refuses
    0), so such a run is either refused before it starts, as a growth past MOST_POWER is, or runs
    with every power above 0."""
    base = load(str(folder / "base.toml"))
    spec = scenario(
        "decline", years_per_step=10.0,
        states=[{"name": s.name, "growth": -0.5, "growth_source": "assumption: test"}
                for s in base.states],
        challengers=[{"name": c.name, "growth": -0.5, "growth_source": "assumption: test"}
                     for c in base.challengers])
    model = DeterrenceModel(spec, "collective", rng=1, collect=False, trend_scale=2.0,
                            opportunity_scale=5.0)
    try:
        model.run(60, engine=engine)
    except ValueError:
        assert model.steps == 0
        return
    assert model.steps == 60
    assert all(a.power > 0.0 for a in (*model.states, *model.challengers))
    assert model.total_power > 0.0


# --- each kind of event --------------------------------------------------------------------------


def hedging_of(name):
    return lambda model: state(model, name).hedging


def stake_of(name, flashpoint):
    return lambda model: state(model, name).stakes[index(model, flashpoint)]


def red_line_of(name, flashpoint):
    return lambda model: state(model, name).red_lines[index(model, flashpoint)]


def exposure_of(name, challenger):
    def read(model):
        k = next(c.index for c in model.challengers if c.name == challenger)
        return model.exposure[state(model, name).index, k]
    return read


def affinity_of(a, b):
    def read(model):
        i, j = state(model, a).index, state(model, b).index
        return (model.affinity[i, j], model.affinity[j, i])
    return read


def crises_at(flashpoint):
    def read(model):
        fp = model.flashpoints[index(model, flashpoint)]
        return (fp.closed, fp.open_to_crises, float(model.opportunities.rates[fp.index]))
    return read


NEVER = rules.NEVER
# (id, the event (in 2027), overrides, a flashpoint closed in the file, what to read, before, after)
KINDS = [
    # Thailand's file hedging 0.7; the non-hub file mean is 0.475, so mean_hedging 0.5 shifts by 0.025
    ("hedging", event(2027, "hedging", state="Thailand", value=0.9), {"mean_hedging": 0.5}, None,
     hedging_of("Thailand"), 0.725, 0.925),
    ("hedging clipped", event(2027, "hedging", state="Thailand", value=1.0),
     {"mean_hedging": 0.6}, None, hedging_of("Thailand"), 0.825, 1.0),
    ("hedging of the hub", event(2027, "hedging", state="United States", value=0.8),
     {"hub_hedging": 0.1}, None, hedging_of("United States"), 0.1, 0.8),
    # Senkaku is Japan's own: the divergence transform leaves its stake as the file gives it
    ("stake own", event(2027, "stake", state="Japan", flashpoint="senkaku", value=0.7),
     {"red_line_divergence": 0.3}, None, stake_of("Japan", "senkaku"), 1.0, 0.7),
    # Taiwan Strait is Taiwan's (stake 1): at divergence 0.3, half of the baseline 0.6, Japan's stake
    # is 1 + (file - 1) / 2: 0.8 from the file's 0.6, 0.6 from the event's 0.2
    ("stake transformed", event(2027, "stake", state="Japan", flashpoint="taiwan_strait", value=0.2),
     {"red_line_divergence": 0.3}, None, stake_of("Japan", "taiwan_strait"), 0.8, 0.6),
    # the target's own stake moves what the others share: 0.5 + (0.6 - 0.5) / 2
    ("stake of the target", event(2027, "stake", state="Taiwan", flashpoint="taiwan_strait",
                                  value=0.5),
     {"red_line_divergence": 0.3}, None, stake_of("Japan", "taiwan_strait"), 0.8, 0.55),
    ("stake at the baseline", event(2027, "stake", state="Japan", flashpoint="taiwan_strait",
                                    value=0.2),
     {}, None, stake_of("Japan", "taiwan_strait"), 0.6, 0.2),
    # the hub's stakes are hub_stake (1 in asia) whatever the file or an event says
    ("stake of the hub", event(2027, "stake", state="United States", flashpoint="senkaku",
                               value=0.2),
     {}, None, stake_of("United States", "senkaku"), 1.0, 1.0),
    ("red line own", event(2027, "red_line", state="Japan", flashpoint="senkaku", value=0.2),
     {"red_line_divergence": 0.3}, None, red_line_of("Japan", "senkaku"), 0.5, 0.2),
    ("red line of the hub", event(2027, "red_line", state="United States", flashpoint="senkaku",
                                  value=0.5),
     {"red_line_divergence": 0.3}, None, red_line_of("United States", "senkaku"), NEVER, 0.5),
    # Australia's file exposure to China 0.4, times exposure_weight
    ("exposure", event(2027, "exposure", state="Australia", challenger="China", value=0.9),
     {"exposure_weight": 0.5}, None, exposure_of("Australia", "China"), 0.2, 0.45),
    ("exposure capped", event(2027, "exposure", state="Australia", challenger="China", value=0.9),
     {"exposure_weight": 2.0}, None, exposure_of("Australia", "China"), 0.8, 1.0),
    ("affinity", event(2027, "affinity", state="South Korea", other="Japan", value=-0.5), {}, None,
     affinity_of("Japan", "South Korea"), (0.3, 0.3), (-0.5, -0.5)),
    ("close", event(2027, "close", flashpoint="senkaku"), {}, None, crises_at("senkaku"),
     (False, True, 0.03), (True, False, 0.0)),
    ("open", event(2027, "open", flashpoint="luconia"), {}, "luconia", crises_at("luconia"),
     (True, False, 0.0), (False, True, 0.03)),
]


def close_enough(got, expected):
    if isinstance(expected, tuple):
        return len(got) == len(expected) and all(
            close_enough(g, e) for g, e in zip(got, expected, strict=True))
    if isinstance(expected, bool):
        return got is expected or got == expected
    return math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12)


def kind_scenario(scenario, name, the_event, closed):
    document = {"start_year": START, "events": [the_event]}
    if closed:
        document["flashpoints"] = [{"id": closed, "closed": True}]
    return scenario(name.replace(" ", "_"), **document)


@pytest.mark.parametrize("engine", ["fast", "reference"])
@pytest.mark.parametrize(("name", "the_event", "overrides", "closed", "read", "before", "after"),
                         KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_takes_effect_at_the_first_step_of_its_year(
        scenario, engine, name, the_event, overrides, closed, read, before, after):
    spec = kind_scenario(scenario, name, the_event, closed)
    model = DeterrenceModel(spec, "collective", rng=5, collect=False, **overrides)
    assert close_enough(read(model), before), read(model)
    model.run(first_step(2027) - 2, engine=engine)  # through step 11: still 2026 next
    assert close_enough(read(model), before), read(model)
    assert not [e for e in model.events if e.kind == "scheduled"]
    model.run(1, engine=engine)  # step 12: its calendar phase turns to 2027
    assert close_enough(read(model), after), read(model)
    scheduled = [e for e in model.events if e.kind == "scheduled"]
    assert [e.step for e in scheduled] == [first_step(2027)]
    model.run(8, engine=engine)
    assert close_enough(read(model), after), read(model)


def test_an_event_of_the_first_year_holds_from_the_build(scenario):
    spec = scenario("first_year", start_year=START,
                    events=[event(2024, "hedging", state="Thailand", value=0.9)])
    model = DeterrenceModel(spec, "collective", rng=5, collect=False, mean_hedging=0.5)
    assert state(model, "Thailand").hedging == pytest.approx(0.925, abs=1e-12)
    assert [(e.step, e.kind) for e in model.events if e.kind == "scheduled"] == [(0, "scheduled")]


def test_other_states_keep_their_hedging(scenario):
    spec = kind_scenario(scenario, "hedging", KINDS[0][1], None)
    model = DeterrenceModel(spec, "collective", rng=5, collect=False, mean_hedging=0.5)
    before = {s.name: s.hedging for s in model.states if s.name != "Thailand"}
    model.run(first_step(2027) + 3)
    assert {s.name: s.hedging for s in model.states if s.name != "Thailand"} == before


def test_a_red_line_event_makes_a_state_concerned(scenario):
    """Without a structure only states with a red line at a flashpoint may fight there: the US
    joins them at Senkaku once its red line there is scheduled."""
    spec = kind_scenario(scenario, "red line of the hub", KINDS[9][1], None)
    model = DeterrenceModel(spec, "none", rng=5, collect=False)
    f, japan = index(model, "senkaku"), state(model, "Japan").index
    names = lambda: {s.name for s in model.concerned(f, japan)}  # noqa: E731
    assert "United States" not in names()
    model.run(first_step(2027) - 1)
    assert "United States" in names()


def test_an_event_keeps_the_converged_values_it_does_not_change(scenario):
    """In a deepening lattice partners' stakes and red lines converge; an event changes what it
    changes (model/calendar.py: "a value it reached otherwise, by converging red lines in a
    deepening lattice, stays unless the event changes it"). Japan's stake at Senkaku (its own) set
    at the end of step 40: compared with the same run without the event, every other stake and
    red line of every state is as it was; at Senkaku Japan has 0.9 and the non-hub states what
    the divergence transform derives from it (Australia: 0.9 + (0 - 0.9) / 2 at divergence 0.3)."""
    spec = scenario("converged", start_year=START, events=[
        event(2034, "stake", state="Japan", flashpoint="senkaku", value=0.9)])
    settings_ = dict(collect=False, convergence_rate=0.05, formation="imposed",
                     red_line_divergence=0.3)
    on = DeterrenceModel(spec, "deepening_lattice", rng=1, **settings_)
    off = DeterrenceModel(spec, "deepening_lattice", rng=1, scheduled_events="off", **settings_)
    on.run(first_step(2034) - 1)
    off.run(first_step(2034) - 1)
    f = index(on, "senkaku")
    japan, australia = state(on, "Japan"), state(on, "Australia")
    assert japan.stakes[f] == 0.9
    assert australia.stakes[f] == pytest.approx(0.45, abs=1e-12)
    # the run converged Japan's values away from the file's: the comparison is not empty
    built = DeterrenceModel(spec, "deepening_lattice", rng=1, **settings_)
    assert not np.allclose(state(off, "Japan").stakes, state(built, "Japan").stakes)
    others = [k for k in range(len(on.flashpoints)) if k != f]
    for a, b in zip(on.states, off.states, strict=True):
        np.testing.assert_array_equal(a.stakes[others], b.stakes[others], err_msg=a.name)
        np.testing.assert_array_equal(a.red_lines[others], b.red_lines[others], err_msg=a.name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_scheduled_crisis_happens_whatever_the_challenger_would_choose(scenario, seed):
    spec = scenario("crisis", start_year=START,
                    events=[event(2027, "crisis", flashpoint="taiwan_strait", severity="major")])
    on = DeterrenceModel(spec, "collective", rng=seed, collect=False)
    off = DeterrenceModel(spec, "collective", rng=seed, collect=False, scheduled_events="off")
    on.run(20)
    off.run(20)
    step = first_step(2027)

    def aggressions(model):
        return [(c.step, c.severity, c.hop) for c in model.crisis_log
                if c.flashpoint == "Taiwan Strait" and c.severity is not None]

    assert (step, 2, 0) in aggressions(on)
    assert all(s != step for s, _, _ in aggressions(off))  # the challenger would not have attacked
    # nothing of it before its step
    assert ([repr(c) for c in on.crisis_log if c.step < step]
            == [repr(c) for c in off.crisis_log if c.step < step])


def test_a_scheduled_probe_has_the_severity_the_event_gives(scenario):
    spec = scenario("probe", start_year=START,
                    events=[event(2026, "crisis", flashpoint="natuna", severity="probe")])
    model = DeterrenceModel(spec, "collective", rng=4, collect=False)
    model.run(12)
    records = [(c.step, c.severity, c.hop) for c in model.crisis_log
               if c.flashpoint == model.flashpoints[index(model, "natuna")].name]
    assert (first_step(2026), 0, 0) in records


def test_no_scheduled_crisis_at_a_closed_flashpoint(scenario):
    spec = scenario("closed_crisis", start_year=START, events=[
        event(2026, "close", flashpoint="taiwan_strait"),
        event(2027, "crisis", flashpoint="taiwan_strait", severity="major")])
    for engine in ("fast", "reference"):
        model = DeterrenceModel(spec, "collective", rng=2, collect=False)
        model.run(20, engine=engine)
        assert not [c for c in model.crisis_log if c.flashpoint == "Taiwan Strait"
                    and c.hop == 0 and c.step >= first_step(2026)]


# --- the record of events ---------------------------------------------------------------------------


EVERY = {
    "start_year": START,
    "states": [
        {"name": "United States", "growth": [[2024, 0.02], [2030, 0.0]],
         "growth_source": "assumption: test"},
        {"name": "Japan", "growth": -0.03, "growth_source": "assumption: test"},
    ],
    "challengers": [
        {"name": "China", "growth": 0.06, "growth_source": "assumption: test"},
        {"name": "North Korea", "growth": [[2025, 0.1], [2035, -0.1]],
         "growth_source": "assumption: test"},
    ],
    "flashpoints": [{"id": "luconia", "closed": True}],
    "events": [
        event(2033, "open", flashpoint="senkaku"),
        event(2024, "exposure", state="Philippines", challenger="China", value=0.8),
        event(2024, "crisis", flashpoint="scs_philippines", severity="limited"),
        event(2025, "crisis", flashpoint="korean_peninsula", severity="probe"),
        event(2026, "hedging", state="Thailand", value=0.95),
        event(2026, "hedging", state="Philippines", value=0.1),
        event(2027, "stake", state="Japan", flashpoint="taiwan_strait", value=1.0),
        event(2027, "red_line", state="Australia", flashpoint="taiwan_strait", value=0.5),
        event(2028, "affinity", state="Japan", other="South Korea", value=-0.6),
        event(2028, "exposure", state="Australia", challenger="China", value=0.9),
        event(2029, "close", flashpoint="senkaku"),
        event(2030, "crisis", flashpoint="senkaku", severity="major"),  # closed: no crisis
        event(2030, "open", flashpoint="luconia"),
        event(2031, "crisis", flashpoint="luconia", severity="limited"),
        event(2031, "crisis", flashpoint="taiwan_strait", severity="major"),
        event(2032, "red_line", state="Japan", flashpoint="senkaku", value=1.0),
        event(2034, "crisis", flashpoint="natuna", severity="probe"),
        event(2035, "hedging", state="United States", value=0.9),
    ],
}
EXPECTED_RECORD = [
    (0, ["Philippines"], "2024: the exposure of Philippines to China becomes 0.8 "
                         "(assumption: exposure test)"),
    (0, [], "2024: a limited strike at scs_philippines (assumption: crisis test)"),
    (5, [], "2025: a probe at korean_peninsula (assumption: crisis test)"),
    (9, ["Thailand"], "2026: the hedging of Thailand becomes 0.95 (assumption: hedging test)"),
    (9, ["Philippines"], "2026: the hedging of Philippines becomes 0.1 (assumption: hedging test)"),
    (13, ["Japan"], "2027: the stake of Japan at taiwan_strait becomes 1 (assumption: stake test)"),
    (13, ["Australia"], "2027: the red line of Australia at taiwan_strait becomes 0.5 "
                        "(assumption: red_line test)"),
    (17, ["Japan", "South Korea"], "2028: the affinity of Japan and South Korea becomes -0.6 "
                                   "(assumption: affinity test)"),
    (17, ["Australia"], "2028: the exposure of Australia to China becomes 0.9 "
                        "(assumption: exposure test)"),
    (21, [], "2029: senkaku closes to crises (assumption: close test)"),
    (25, [], "2030: luconia opens to crises (assumption: open test)"),
    (25, [], "2030: a major attack at senkaku, not started: senkaku is closed to crises "
             "(assumption: crisis test)"),
    (29, [], "2031: a limited strike at luconia (assumption: crisis test)"),
    (29, [], "2031: a major attack at taiwan_strait (assumption: crisis test)"),
    (33, ["Japan"], "2032: the red line of Japan at senkaku becomes 1 (assumption: red_line test)"),
    (37, [], "2033: senkaku opens to crises (assumption: open test)"),
    (41, [], "2034: a probe at natuna (assumption: crisis test)"),
    (45, ["United States"], "2035: the hedging of United States becomes 0.9 "
                            "(assumption: hedging test)"),
]


@pytest.fixture(scope="module")
def every(scenario):
    return scenario("every", **EVERY)


def test_the_events_are_sorted_by_year_keeping_the_file_order(every):
    assert [e.year for e in every.events] == sorted(e.year for e in every.events)
    assert [(e.year, e.kind) for e in every.events][:3] == [
        (2024, "exposure"), (2024, "crisis"), (2025, "crisis")]
    assert [(e.year, e.kind) for e in every.events if e.year == 2030] == [
        (2030, "crisis"), (2030, "open")]


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_every_event_is_recorded_at_the_first_step_of_its_year(every, engine):
    """Events of the first year are recorded at the build (step 0), the others at their year's
    first step, each with its year, its description and its source."""
    model = DeterrenceModel(every, "collective", rng=1, collect=False)
    model.run(60, engine=engine)
    scheduled = [(e.step, e.states, e.detail) for e in model.events if e.kind == "scheduled"]
    assert scheduled == EXPECTED_RECORD
    for step, _, detail in scheduled:
        if step:
            assert step == first_step(int(detail[:4]))
    assert all(e.describe().startswith(f"step {e.step} · scheduled: {e.detail[:4]}: ")
               for e in model.events if e.kind == "scheduled")


def test_a_crisis_and_the_closing_of_its_flashpoint_in_one_year_log_no_attack(scenario):
    """Whichever comes first in the file, the closing takes effect with the crisis, so the log says
    the crisis does not start -- and none does."""
    for order in ((0, 1), (1, 0)):
        listed = [event(2026, "crisis", flashpoint="taiwan_strait", severity="major"),
                  event(2026, "close", flashpoint="taiwan_strait")]
        spec = scenario(f"crisis_closed_{order[0]}", start_year=START,
                        events=[listed[k] for k in order])
        model = DeterrenceModel(spec, "collective", rng=3, collect=False)
        model.run(first_step(2026) + 2)
        assert [e.detail for e in model.events if e.kind == "scheduled"] == [
            "2026: taiwan_strait closes to crises (assumption: close test)",
            "2026: a major attack at taiwan_strait, not started: taiwan_strait is closed to crises "
            "(assumption: crisis test)"]
        assert not [c for c in model.crisis_log if c.flashpoint == "Taiwan Strait"
                    and c.step >= first_step(2026)]


def test_the_first_rows_scheduled_column_holds_the_start_years_events(every):
    model = DeterrenceModel(every, "collective", rng=1)
    model.run(6)
    column = model.series()["scheduled"]
    assert column.iloc[0] == ("2024: the exposure of Philippines to China becomes 0.8 "
                              "(assumption: exposure test) · 2024: a limited strike at "
                              "scs_philippines (assumption: crisis test)")
    assert list(column.iloc[1:]) == ["", "", "", "2025: a probe at korean_peninsula "
                                                 "(assumption: crisis test)", ""]


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_the_scheduled_crises_of_the_record_happen(every, engine):
    model = DeterrenceModel(every, "collective", rng=1, collect=False)
    model.run(60, engine=engine)
    names = {f.id: f.name for f in model.flashpoints}
    hop0 = {(c.step, c.flashpoint, c.severity) for c in model.crisis_log if c.hop == 0}
    for step, fid, severity in [(1, "scs_philippines", 1), (5, "korean_peninsula", 0),
                                (29, "luconia", 1), (29, "taiwan_strait", 2), (41, "natuna", 0)]:
        assert (step, names[fid], severity) in hop0
    assert not [c for c in model.crisis_log if c.flashpoint == names["senkaku"] and c.hop == 0
                and first_step(2029) <= c.step < first_step(2033)]


# --- the two engines -------------------------------------------------------------------------------


def outcome(model, metrics):
    return (repr(metrics), [e.describe() for e in model.events],
            [repr(c) for c in model.crisis_log],
            [s.power for s in model.states], [c.power for c in model.challengers],
            model.total_power, [s.hedging for s in model.states])


@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_engines_agree_with_trends_and_every_kind_of_event(every, structure, seed):
    fast = DeterrenceModel(every, structure, rng=seed, collect=False)
    reference = DeterrenceModel(every, structure, rng=seed, collect=False)
    in_parts = DeterrenceModel(every, structure, rng=seed, collect=False)
    expected = outcome(reference, reference.run(120, engine="reference"))
    assert outcome(fast, fast.run(120)) == expected
    in_parts.run(27)
    in_parts.run(1)
    assert outcome(in_parts, in_parts.run(92)) == expected
    assert len([e for e in reference.events if e.kind == "scheduled"]) == len(EVERY["events"])


@pytest.mark.parametrize("overrides", [{}, {"accommodation": 0.3}, {"exit_rule": "grievance"}],
                         ids=["default", "accommodation", "grievance"])
@pytest.mark.parametrize("structure", ["collective", "deepening_lattice"])
def test_models_of_one_design_point_one_after_another_agree_with_the_reference(
        scenario, structure, overrides):
    """The fast engine shares values between the models of a design point year by year: models run
    one after another (some in parts, so that they stand in different years) leave what the
    reference leaves."""
    spec = scenario("shared", **EVERY)
    for seed in range(1, 6):
        fast = DeterrenceModel(spec, structure, rng=seed, collect=False, **overrides)
        for steps in ([120] if seed % 2 else [13, 30, 77]):
            metrics = fast.run(steps)
        reference = DeterrenceModel(spec, structure, rng=seed, collect=False, **overrides)
        assert outcome(fast, metrics) == outcome(reference, reference.run(120, engine="reference"))


@pytest.fixture(scope="module")
def grown_asia(folder):
    """The static asia with trends for a few actors and a start year (events drawn per example)."""
    spec = load(str(folder / "base.toml"))
    states = tuple(replace(s, growth=Trend((0.03, -0.02), (2024, 2040), "assumption: test"))
                   if s.name in ("Japan", "Philippines") else s for s in spec.states)
    return replace(spec, states=states, start_year=START)


@st.composite
def scheduled(draw, spec):
    states = spec.state_names()
    challengers = [c.name for c in spec.challengers]
    flashpoints = spec.flashpoints
    year = draw(st.integers(START, START + 30))
    kind = draw(st.sampled_from(["hedging", "red_line", "stake", "exposure", "affinity", "open",
                                 "close", "restore", "crisis"]))
    fp = draw(st.sampled_from(flashpoints))
    who = draw(st.sampled_from(states))
    value = draw(st.floats(0.0, 1.0))
    fields = {
        "hedging": dict(state=who, value=value),
        "red_line": dict(state=who, flashpoint=fp.id, value=max(value, 0.05)),
        "stake": dict(state=who, flashpoint=fp.id, value=value),
        "exposure": dict(state=who, challenger=draw(st.sampled_from(challengers)), value=value),
        "affinity": dict(state=who, other=draw(st.sampled_from([s for s in states if s != who])),
                         value=2.0 * value - 1.0),
        "open": dict(flashpoint=fp.id),
        "close": dict(flashpoint=fp.id),
        "restore": dict(flashpoint=fp.id),
        "crisis": dict(flashpoint=fp.id, severity=draw(st.sampled_from(fp.options))),
    }[kind]
    return ScheduledEvent(year=year, kind=kind, source="assumption: drawn", **fields)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), structure=st.sampled_from(STRUCTURES), seed=st.integers(0, 10**6),
       steps=st.integers(60, 120), china=st.floats(-0.2, 0.2), scale=st.floats(0.0, 2.0),
       years_per_step=st.sampled_from([0.25, 0.3]))
def test_the_engines_agree_on_drawn_events(grown_asia, data, structure, seed, steps, china, scale,
                                           years_per_step):
    events = data.draw(st.lists(scheduled(grown_asia), min_size=1, max_size=8))
    challengers = tuple(replace(c, growth=Trend((china,), (), "assumption: drawn"))
                        if c.name == "China" else c for c in grown_asia.challengers)
    spec = replace(grown_asia, challengers=challengers, years_per_step=years_per_step,
                   events=tuple(sorted(events, key=lambda e: e.year)))
    results = []
    for engine in ("fast", "reference"):
        model = DeterrenceModel(spec, structure, rng=seed, collect=False, trend_scale=scale)
        try:
            results.append(outcome(model, model.run(steps, engine=engine)))
        except ValueError as error:  # a trend past the limit: refused by both, before the run
            results.append(("refused", str(error), model.steps))
    assert results[0] == results[1]


# --- switched off ------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["fast", "reference"])
@pytest.mark.parametrize("structure", ["hub_and_spoke", "collective"])
@pytest.mark.parametrize("seed", [1, 7])
def test_switched_off_the_trends_and_events_change_nothing(scenario, folder, engine, structure, seed):
    """trend_scale 0 and scheduled_events off: exactly the run of the same file without them."""
    document = {key: value for key, value in EVERY.items() if key != "flashpoints"}
    spec = scenario("switchable", **document)
    static = load(str(folder / "base.toml"))
    off = DeterrenceModel(spec, structure, rng=seed, collect=False, trend_scale=0.0,
                          scheduled_events="off")
    plain = DeterrenceModel(static, structure, rng=seed, collect=False)
    assert outcome(off, off.run(100, engine=engine)) == outcome(plain, plain.run(100, engine=engine))
    on = DeterrenceModel(spec, structure, rng=seed, collect=False)
    assert repr(on.run(100, engine=engine)) != repr(plain.metrics())  # the mechanisms do something


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_switched_off_a_scenario_equals_itself_without_growth_or_events(every, engine):
    """With a flashpoint closed in the file: the same scenario object stripped of its trends and
    events."""
    stripped = replace(every, events=(),
                       states=tuple(replace(s, growth=None) for s in every.states),
                       challengers=tuple(replace(c, growth=None) for c in every.challengers))
    off = DeterrenceModel(every, "lattice", rng=3, collect=False, trend_scale=0.0,
                          scheduled_events="off")
    plain = DeterrenceModel(stripped, "lattice", rng=3, collect=False)
    assert outcome(off, off.run(100, engine=engine)) == outcome(plain, plain.run(100, engine=engine))
