"""Charts, crisis log, controls and the side-by-side comparison of the browser view (no browser)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import DeterrenceModel
from model.crisis import Crisis
from model.parameters import get, uncertainties
from scenarios import load
from tests.viz_fixtures import HUBLESS_TOML, write
from viz.charts import PANELS, chart_frame, draw_charts
from viz.comparison import Comparison
from viz.controls import Settings, model_params, overrides, scenario_values, slider_step
from viz.crisis_log import log_lines, step_summary

# --- crisis log -----------------------------------------------------------------------------------

SENKAKU = Crisis(41, "Senkaku Islands", "China", "Japan", 1, fought=["Japan", "United States"],
                 stayed_out=["Australia"], outcome="defence held")


def test_crisis_log_text_of_a_scripted_crisis_is_exact():
    log = SimpleNamespace(crisis_log=[SENKAKU])
    assert log_lines(log) == [
        "step 41 · China: limited strike at Senkaku Islands · fought: Japan, United States · "
        "obliged but stayed out: Australia · defence held"
    ]


def test_crisis_log_is_newest_first_and_keeps_the_last_ones():
    crises = [
        Crisis(3, "Taiwan Strait", "China", "Taiwan", None),
        Crisis(5, "Korean Peninsula", "North Korea", "South Korea", 0, fought=[],
               outcome="unopposed"),
        Crisis(5, "Taiwan Strait", "China", "Taiwan", 2, hop=1, provoked=False,
               fought=["Taiwan"], stayed_out=["Japan", "United States"], outcome="challenger won"),
    ]
    log = SimpleNamespace(crisis_log=crises)
    assert log_lines(log, last=2) == [
        "step 5 · China: war spreads (major attack) at Taiwan Strait · fought: Taiwan · "
        "obliged but stayed out: Japan, United States · challenger won",
        "step 5 · North Korea: grey-zone probe at Korean Peninsula · fought: nobody · unopposed",
    ]
    assert log_lines(log, last=5)[-1] == "step 3 · China deterred at Taiwan Strait"
    assert log_lines(log, last=0) == []


def test_step_summary_counts_this_steps_crises():
    quiet = SimpleNamespace(steps=4, crises=[])
    busy = SimpleNamespace(steps=5, crises=[SENKAKU, SENKAKU, Crisis(5, "x", "y", "z", None)])
    assert step_summary(SimpleNamespace(steps=0, crises=[])) == "no step yet"
    assert step_summary(quiet) == "step 4: no crisis"
    assert step_summary(busy) == "step 5: 2 aggressions, 1 challenge deterred"


def test_crisis_log_of_a_run_matches_the_models_records():
    model = DeterrenceModel(load("asia"), "hub_and_spoke", rng=3, opportunity_scale=5.0)
    for _ in range(10):
        model.step()
    assert model.crisis_log, "opportunity_scale 5 over 10 steps opens some crisis"
    assert log_lines(model, last=3) == [c.describe() for c in model.crisis_log[::-1][:3]]


# --- charts ---------------------------------------------------------------------------------------


def series(**columns):
    base = {name: [0, 0, 0, 0] for name in (
        "opportunities", "deterred", "aggressions_probe", "aggressions_limited",
        "aggressions_major", "wars", "invoked_bilateral", "honoured_bilateral",
        "invoked_minilateral", "honoured_minilateral", "invoked_collective",
        "honoured_collective", "entrapments", "abandonments", "active_members", "mean_grievance")}
    base.update(columns)
    frame = pd.DataFrame(base, index=range(1, 5))
    frame.index.name = "step"
    return frame


def test_chart_frame_by_hand():
    frame = chart_frame(series(
        opportunities=[2, 0, 1, 1], deterred=[1, 0, 0, 1],
        aggressions_probe=[1, 0, 0, 0], aggressions_limited=[0, 0, 1, 0], wars=[0, 0, 1, 0],
        invoked_bilateral=[0, 0, 2, 0], honoured_bilateral=[0, 0, 1, 0],
        invoked_collective=[0, 0, 0, 1], honoured_collective=[0, 0, 0, 1],
        entrapments=[0, 0, 1, 0], abandonments=[0, 0, 1, 0], active_members=[6, 6, 6, 5],
    ), window=2)
    assert frame["aggressions"].tolist() == [1, 1, 2, 2]
    assert frame["wars"].tolist() == [0, 0, 1, 1]
    # deterred / opportunities over the last two steps: 1/2, 1/2, 0/1, 1/2
    assert frame["deterrence_rate"].tolist() == [0.5, 0.5, 0.0, 0.5]
    # honoured / invoked so far: nothing invoked before step 3; then 1/2; then 2/3
    assert math.isnan(frame["reliability"][1]) and math.isnan(frame["reliability"][2])
    assert frame["reliability"][3] == 0.5
    assert frame["reliability"][4] == pytest.approx(2 / 3)
    assert frame["entrapments"].tolist() == [0, 0, 1, 1]
    assert frame["members"].tolist() == [6, 6, 6, 5]


def test_rolling_rate_is_missing_when_the_window_holds_no_opportunity():
    frame = chart_frame(series(opportunities=[1, 0, 0, 0], deterred=[1, 0, 0, 0]), window=2)
    assert frame["deterrence_rate"][1] == 1.0
    assert frame["deterrence_rate"][2] == 1.0
    assert math.isnan(frame["deterrence_rate"][3])


def test_chart_frame_of_an_unstepped_model_is_empty():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    assert chart_frame(model.series()).empty


def test_charts_draw_every_quantity_for_every_run():
    scenario = load("asia")
    runs = [(s, DeterrenceModel(scenario, s, rng=2)) for s in ("hub_and_spoke", "collective")]
    for _, model in runs:
        for _ in range(5):
            model.step()
    fig = draw_charts(runs)
    gids = {line.get_gid() for line in fig.findobj(lambda a: (a.get_gid() or "").startswith("chart:"))}
    columns = [column for _, lines, _ in PANELS for column, _ in lines]
    assert gids == {f"chart:{c}:{label}" for c in columns for label, _ in runs}
    (line,) = fig.findobj(lambda a: a.get_gid() == "chart:members:collective")
    assert list(line.get_xdata()) == [1, 2, 3, 4, 5]


# --- controls -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, step", [
    ("theatre_coupling", 0.01),        # [0, 1]
    ("challenger_power_scale", 0.05),  # [0.1, 5]: 4.9 / 100 -> 0.05
    ("loss_of_strength", 0.5),         # [0.5, 50]
    ("response_temperature", 0.02),    # [0.01, 2]
    ("prior_strength", 1.0),           # [0.5, 100]
    ("max_spread_hops", 1),            # integer
])
def test_slider_steps_are_round(name, step):
    assert slider_step(get(name)) == step


def test_one_slider_per_declared_uncertainty_with_its_bounds():
    start = scenario_values(load("asia"))
    params = model_params(Settings(), ["asia"], start)
    sliders = {k: v for k, v in params.items() if isinstance(v, dict) and "type" in v
               and v["type"].startswith("Slider")}
    assert list(sliders) == [p.name for p in uncertainties()]
    for p in uncertainties():
        spec = sliders[p.name]
        assert (spec["min"], spec["max"]) == (p.low, p.high)
        assert p.low <= spec["value"] <= p.high
        if p.default is not None:
            assert spec["value"] == p.default
    assert params["left"]["value"] == "hub_and_spoke"
    assert params["right"]["value"] == "collective"
    assert params["seed"]["value"] == "1"


def test_command_line_values_start_the_sliders():
    start = scenario_values(load("asia"))
    params = model_params(Settings(overrides={"theatre_coupling": 0.4, "obligation_mode": "automatic"}),
                          ["asia"], start)
    assert params["theatre_coupling"]["value"] == 0.4
    assert params["fixed"] == {"obligation_mode": "automatic"}


def test_scenario_sliders_at_their_start_leave_the_scenario_its_own_value():
    marks = {"hub_stake": 0.5, "mean_hedging": 0.45}
    values = {"hub_stake": 0.5, "mean_hedging": 0.6, "theatre_coupling": 0.30000000000000004}
    assert overrides(values, marks) == {"mean_hedging": 0.6, "theatre_coupling": 0.3}


def test_untouched_sliders_reproduce_the_scenarios_run():
    scenario = load("asia")
    start = scenario_values(scenario)
    params = model_params(Settings(), ["asia"], start)
    values = {p.name: params[p.name]["value"] for p in uncertainties()}
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=9, scenario_marks=start, **values)
    plain = DeterrenceModel(scenario, "collective", rng=9)
    for _ in range(40):
        pair.step()
        plain.step()
    assert pair.panes[1].model.metrics() == pytest.approx(plain.metrics(), nan_ok=True)


# --- the comparison -------------------------------------------------------------------------------


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_both_panes_face_the_same_crisis_stream(seed):
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=str(seed))
    left, right = (p.model for p in pair.panes)
    for _ in range(25):
        pair.step()
        assert left.step_tally.opportunities == right.step_tally.opportunities
        assert ([c.flashpoint for c in left.crises if c.hop == 0]
                == [c.flashpoint for c in right.crises if c.hop == 0])
    assert left.steps == right.steps == 25
    assert left.seed == right.seed == seed


def test_bad_inputs_become_messages_not_exceptions(tmp_path):
    bad_seed = Comparison("asia", seed="twelve")
    assert bad_seed.error == "seed: 'twelve' is not a whole number"
    assert all(p.model is None for p in bad_seed.panes)
    unknown = Comparison("atlantis")
    assert "unknown scenario 'atlantis'" in unknown.error
    hubless = Comparison(str(write(tmp_path, HUBLESS_TOML)), "hub_and_spoke", "collective")
    assert hubless.error is None
    assert hubless.panes[0].model is None
    assert "needs a hub" in hubless.panes[0].error
    assert hubless.panes[1].model is not None
    hubless.step()
    assert hubless.panes[1].model.steps == 1


def test_comparison_accepts_mesas_reset_arguments():
    # Mesa's Reset passes its own experiment scenario object; it must not replace ours
    from mesa.experimental.scenarios import Scenario as MesaScenario

    pair = Comparison(scenario_name="asia", seed="5", scenario=MesaScenario())
    assert pair.scenario_title == "asia"
    assert [p.model.seed for p in pair.panes] == [5, 5]
