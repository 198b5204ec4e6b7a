"""Charts, crisis log, controls and the side-by-side comparison with its record (no browser)."""

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
from model.structure import STRUCTURES
from scenarios import available, load
from tests.support.viz_fixtures import EVENTFUL, HUBLESS_TOML, SMALL_TOML, write
from viz.charts import (
    COLOURS,
    COLUMNS,
    DASHES,
    HEADROOM,
    NAMES,
    PANELS,
    chart_frame,
    chart_rows,
    chart_spec,
    cursor_rows,
    extent_rows,
)
from viz.comparison import Comparison
from viz.controls import (
    fixed_values,
    overrides,
    rebase,
    scenario_values,
    slider_step,
    slider_values,
    sliders,
)
from viz.crisis_log import crisis_line, log_lines, step_summary

# --- crisis log -----------------------------------------------------------------------------------

SENKAKU = Crisis(41, "Senkaku Islands", "China", "Japan", 1, fought=["Japan", "United States"],
                 stayed_out=["Australia"], outcome="defence held")


def test_crisis_log_text_of_a_scripted_crisis_is_exact():
    log = SimpleNamespace(crisis_log=[SENKAKU])
    # the United States fought besides the target: Australia, obliged, passed the buck
    assert SENKAKU.buck_passers == ["Australia"]
    assert log_lines(log) == [
        "step 41 · China: limited strike at Senkaku Islands · fought: Japan, United States · "
        "obliged but passed the buck: Australia · defence held"
    ]
    assert SENKAKU.describe() == log_lines(log)[0].replace("passed the buck", "stayed out")


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
    assert step_summary(SimpleNamespace(steps=0, crises=[])) == (
        "step 0: as formed, before the first step")
    assert step_summary(quiet) == "step 4: no crisis"
    assert step_summary(busy) == "step 5: 2 aggressions, 1 challenge deterred"


def test_crisis_log_of_a_run_matches_the_models_records():
    model = DeterrenceModel(load("asia"), "hub_and_spoke", rng=3, opportunity_scale=5.0)
    for _ in range(10):
        model.step()
    assert model.crisis_log, "opportunity_scale 5 over 10 steps opens some crisis"
    assert log_lines(model, last=3) == [crisis_line(c) for c in model.crisis_log[::-1][:3]]
    for crisis in model.crisis_log:
        assert crisis_line(crisis) == crisis.describe() or crisis.buck_passers


# --- charts ---------------------------------------------------------------------------------------


def series(**columns):
    base = {name: [0, 0, 0, 0] for name in (
        "opportunities", "deterred", "aggressions_probe", "aggressions_limited",
        "aggressions_major", "wars", "invoked_bilateral", "honoured_bilateral",
        "invoked_minilateral", "honoured_minilateral", "invoked_collective",
        "honoured_collective", "entrapments", "abandonments", "buck_passes", "ties_ended",
        "coverage", "mean_grievance", "peacetime_grievance", "challenger_power_share",
        "wars_under_way")}
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
        entrapments=[0, 0, 1, 0], abandonments=[0, 0, 1, 0], coverage=[0.5, 0.5, 1.0, 0.75],
        buck_passes=[0, 2, 0, 1], ties_ended=[0, 0, 0, 1],
        mean_grievance=[0.0, 0.5, 0.25, 0.125], peacetime_grievance=[0.0, 0.01, 0.01, 0.02],
        challenger_power_share=[0.2, 0.2, 0.25, 0.3], wars_under_way=[0, 1, 1, 0],
    ), window=2, needed=0.5)
    assert frame["aggressions"].tolist() == [1, 1, 2, 2]
    assert frame["wars"].tolist() == [0, 0, 1, 1]
    # deterred / opportunities over the last two steps: 1/2, 1/2, 0/1, 1/2
    assert frame["deterrence_rate"].tolist() == [0.5, 0.5, 0.0, 0.5]
    # honoured / invoked so far: nothing invoked before step 3; then 1/2; then 2/3
    assert math.isnan(frame["reliability"][1]) and math.isnan(frame["reliability"][2])
    assert frame["reliability"][3] == 0.5
    assert frame["reliability"][4] == pytest.approx(2 / 3)
    assert frame["entrapments"].tolist() == [0, 0, 1, 1]
    assert frame["abandonments"].tolist() == [0, 0, 1, 1]
    assert frame["coverage"].tolist() == [0.5, 0.5, 1.0, 0.75]
    assert frame["needed"].tolist() == [0.5] * 4
    assert frame["mean_grievance"].tolist() == [0.0, 0.5, 0.25, 0.125]
    assert frame["buck_passes"].tolist() == [0, 2, 2, 3]
    assert frame["ties_ended"].tolist() == [0, 0, 0, 1]
    # ties ended counted from the structure's record of its ties, when given
    assert chart_frame(series(ties_ended=[0, 0, 0, 1]), ended=[1, 0, 2, 0])["ties_ended"].tolist() == [
        1, 1, 3, 3]
    assert frame["pressure"].tolist() == [0.0, 0.01, 0.01, 0.02]  # per step, not cumulative
    assert frame["power_share"].tolist() == [0.2, 0.2, 0.25, 0.3]  # as it is at each step
    assert frame["wars_under_way"].tolist() == [0, 1, 1, 0]  # at each step, not cumulative
    assert list(frame.index) == [1, 2, 3, 4]
    # a dot where a line starts: its first value, and the first after a gap
    starts = frame["reliability_starts"].tolist()
    assert math.isnan(starts[0]) and math.isnan(starts[1]) and starts[2] == 0.5
    assert math.isnan(starts[3])
    assert frame["deterrence_rate_starts"][1] == 0.5
    assert frame["deterrence_rate_starts"][2:].isna().all()


def test_rolling_rate_is_missing_when_the_window_holds_no_opportunity():
    frame = chart_frame(series(opportunities=[1, 0, 0, 1], deterred=[1, 0, 0, 0]), window=2)
    assert frame["deterrence_rate"][1] == 1.0
    assert frame["deterrence_rate"][2] == 1.0
    assert math.isnan(frame["deterrence_rate"][3])
    assert frame["deterrence_rate"][4] == 0.0  # a line of one point after the gap: a dot
    assert frame["deterrence_rate_starts"][4] == 0.0
    assert frame["deterrence_rate_starts"][1] == 1.0 and math.isnan(frame["deterrence_rate_starts"][2])


def test_chart_frame_of_an_unstepped_model_is_empty():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    assert chart_frame(model.series()).empty


def test_chart_rows_carry_every_quantity_and_leave_gaps_for_undefined_values():
    frame = chart_frame(series(opportunities=[1, 0, 0, 0], deterred=[1, 0, 0, 0]), window=2)
    rows = chart_rows([("left", frame), ("right", frame)])
    assert [(r["run"], r["step"]) for r in rows] == [("left", k) for k in range(1, 5)] + [
        ("right", k) for k in range(1, 5)]
    assert set(rows[0]) == {"run", "step", *COLUMNS}
    assert [r["deterrence_rate"] for r in rows[:4]] == [1.0, 1.0, None, None]
    assert [r["step"] for r in chart_rows([("left", frame)], start=2)] == [3, 4]
    assert cursor_rows(3) == [{"step": 3}]
    assert extent_rows(3) == [{"step": 0}, {"step": 10}]
    assert [extent_rows(n)[1]["step"] for n in (12, 40, 99, 100, 123, 1010, 5000)] == [
        15, 40, 100, 100, 125, 1250, 5000]


def _fields(spec) -> set[str]:
    """Every field a spec's encodings and transforms name."""
    found = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "field" and isinstance(value, str):
                found.add(value)
            else:
                found |= _fields(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _fields(value)
    return found


def test_chart_spec_has_a_panel_per_quantity_fed_by_named_data():
    spec = chart_spec(["hub_and_spoke", "collective"])
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    rows = spec["concat"]
    assert spec["columns"] == 5  # a grid: the panels of both rows line up
    assert [panel["title"]["text"] for panel in rows] == [title for title, _, _ in PANELS]
    names = {layer["data"]["name"] for panel in rows for layer in panel["layer"]}
    assert names == {"series", "cursor", "extent"}
    assert _fields(spec) >= {"step", *COLUMNS}
    lines = [[layer for layer in panel["layer"] if layer["data"]["name"] == "series"]
             for panel in rows]
    # one line per run and quantity: the first run's underneath and wider, the second quantity
    # dashed; the shares, which can be undefined, a dot per run where a line starts
    assert [len(panel) for panel in lines] == [4, 4, 4, 4, 4, 4, 2, 2, 2, 2]
    dots = [layer for layer in lines[3 - 1] if layer["mark"]["type"] == "point"]
    assert [d["encoding"]["y"]["field"] for d in dots] == ["reliability_starts"] * 2
    first, second = lines[0][0], lines[0][1]
    assert first["encoding"]["y"]["field"] == "aggressions"
    assert second["encoding"]["y"]["field"] == "wars" and second["mark"]["strokeDash"] == [5, 3]
    assert first["transform"] == [{"filter": "(datum.run === 'hub_and_spoke')"}]
    assert first["mark"]["strokeWidth"] > lines[0][2]["mark"]["strokeWidth"]
    coverage = [layer["encoding"]["y"]["field"] for layer in lines[5]]
    assert coverage == ["coverage", "needed"] * 2  # coverage over time, and the share needed
    # a share's axis up to 1, with room above for the legend of line styles
    assert lines[5][0]["encoding"]["y"]["scale"]["domain"] == [0, HEADROOM]
    assert lines[5][0]["encoding"]["y"]["axis"]["values"] == [0, 0.25, 0.5, 0.75, 1]
    assert lines[1][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert lines[8][0]["encoding"]["y"]["field"] == "power_share"  # the power trends
    assert lines[8][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert lines[9][0]["encoding"]["y"]["field"] == "wars_under_way"  # wars that last
    coloured = chart_spec(["hub-and-spoke", "collective"], colours=["#1f77b4", "#d62728"])
    scale = coloured["concat"][0]["layer"][0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["hub-and-spoke", "collective"], "range": ["#1f77b4", "#d62728"]}


def test_the_charts_have_legends_of_their_own():
    """One legend of the runs' colours (above the panels), and in each panel with two quantities a
    legend of which is solid and which dashed; the line styles drawn are the legend's."""
    spec = chart_spec(["hub-and-spoke", "collective"])
    colours = [layer["encoding"]["color"] for panel in spec["concat"] for layer in panel["layer"]
               if "color" in layer.get("encoding", {})]
    shown = [c for c in colours if c.get("legend") is not None]
    assert len(shown) == 1 and shown[0]["legend"]["orient"] == "top"
    assert shown[0]["scale"]["domain"] == ["hub-and-spoke", "collective"]
    assert spec["resolve"] == {"scale": {"strokeDash": "independent"},
                               "legend": {"strokeDash": "independent"}}
    for panel, (_, columns, _) in zip(spec["concat"], PANELS, strict=True):
        lines = [layer for layer in panel["layer"]
                 if layer["data"]["name"] == "series" and layer["mark"]["type"] == "line"]
        dashes = [layer["encoding"].get("strokeDash") for layer in lines]
        if len(columns) == 1:
            assert dashes == [None] * len(lines)
            continue
        words = [NAMES[c] for c in columns]
        legends = [d["legend"] for d in dashes if d.get("legend") is not None]
        assert len(legends) == 1 and legends[0]["orient"] == "top-left"
        for layer, dash in zip(lines, dashes, strict=True):
            k = words.index(dash["datum"])
            assert columns[k] == layer["encoding"]["y"]["field"]  # the legend names the column drawn
            assert dash["scale"] == {"domain": words, "range": [list(d) for d in DASHES]}
            assert layer["mark"]["strokeDash"] == list(DASHES[k])


def test_axes_that_count_things_show_whole_numbers_once():
    """Vega places ticks at halves when a count's axis spans 1 or 2 (labelled "0, 1, 1" with the
    whole-number format): those ticks, their grid lines and labels are hidden."""
    spec = chart_spec(["a", "b"])
    for panel, (_, _, unit) in zip(spec["concat"], PANELS, strict=True):
        axis = panel["layer"][0]["encoding"]["y"]["axis"]
        if unit == "count":
            assert axis["tickMinStep"] == 1 and axis["format"] == "d"
            assert axis["labelExpr"] == "datum.value % 1 !== 0 ? '' : datum.label"
            for hidden in ("tickOpacity", "gridOpacity"):
                assert axis[hidden] == {"condition": {"test": "datum.value % 1 !== 0", "value": 0},
                                        "value": 1}
        else:
            assert "labelExpr" not in axis


def test_charts_of_a_run_match_its_series():
    pair = Comparison("asia", seed=2, **EVENTFUL)
    pair.run(40)
    rows = pair.chart_rows()
    for label, pane in zip(pair.labels, pair.panes, strict=True):
        model = pane.model
        series = model.series()
        mine = [r for r in rows if r["run"] == label]
        assert [r["step"] for r in mine] == list(range(1, 41))
        assert [r["aggressions"] for r in mine] == chart_frame(series)["aggressions"].tolist()
        assert [r["coverage"] for r in mine] == [round(v, 6) for v in series["coverage"]]
        membership = model.membership
        assert {r["needed"] for r in mine} == {round(membership.needed / membership.prospective, 6)}
        # the ties that ended, counted from the structure's own record of its ties
        ended = [t.end for t in model.graph.ties if t.end is not None]
        assert [r["ties_ended"] for r in mine] == [sum(e <= k for e in ended) for k in range(1, 41)]
    assert any(r["ties_ended"] for r in rows), "asia, seed 2, EVENTFUL: a review ends a tie within 40 steps"


# --- controls -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, step", [
    ("theatre_coupling", 0.01),        # [0, 1]
    ("challenger_power_scale", 0.05),  # [0.1, 5]: 4.9 / 100 -> 0.05
    ("loss_of_strength", 0.5),         # [0.5, 50]
    ("response_temperature", 0.01),    # [0.01, 2]: 0.02, but then 0.3 falls between positions
    ("prior_strength", 0.5),           # [0.5, 100]: 1, but then 4 falls between 3.5 and 4.5
    ("shock_scale", 0.0001),           # [0, 0.05]: 0.0005, but the default 0.0001 falls between
    ("greed", 0.1),                    # [1, 10]
    ("distrust_cost", 0.001),          # [0, 0.1]
    ("max_spread_hops", 1),            # integer
])
def test_slider_steps_are_round(name, step):
    assert slider_step(get(name)) == step


def test_every_slider_can_be_put_back_at_its_declared_default():
    for p in uncertainties():
        if p.default is None:
            continue
        step = slider_step(p)
        positions = (p.default - p.low) / step
        assert abs(positions - round(positions)) < 1e-6, p.name
        assert (p.high - p.low) / step <= 2000, p.name  # still a slider, not a text box


def test_one_slider_per_declared_uncertainty_with_its_bounds():
    found = sliders()
    assert [s.name for s in found] == [p.name for p in uncertainties()]
    for slider, p in zip(found, uncertainties(), strict=True):
        assert (slider.low, slider.high) == (p.low, p.high)
        assert slider.integer == (p.kind == "integer")
        assert slider.scenario_default == (p.default is None)
    start = scenario_values(load("asia"))
    values = slider_values({}, start)
    for p in uncertainties():
        assert p.low <= values[p.name] <= p.high
        assert values[p.name] == start.get(p.name, p.default)
        if p.default is None:
            assert p.name in start


def test_command_line_values_start_the_sliders_and_the_rest_is_fixed():
    start = scenario_values(load("asia"))
    given_values = {"theatre_coupling": 0.4, "obligation_mode": "automatic"}
    assert slider_values(given_values, start)["theatre_coupling"] == 0.4
    assert fixed_values(given_values) == {"obligation_mode": "automatic"}


def test_scenario_sliders_at_their_start_leave_the_scenario_its_own_value():
    marks = {"hub_stake": 0.5, "mean_hedging": 0.45}
    values = {"hub_stake": 0.5, "mean_hedging": 0.6, "theatre_coupling": 0.30000000000000004}
    assert overrides(values, marks) == {"mean_hedging": 0.6, "theatre_coupling": 0.3}


@pytest.mark.parametrize("name", available())
def test_untouched_sliders_reproduce_the_scenarios_run(name):
    """Left where they start, the sliders leave every scenario its own parameters -- those its
    ``[parameters]`` table sets too (europe's and seato's theatre coupling)."""
    scenario = load(name)
    start = scenario_values(scenario)
    assert set(scenario.parameters) & {p.name for p in uncertainties()} <= set(start)
    values = slider_values({}, start)
    pair = Comparison(name, "hub_and_spoke", "collective", seed=9, **overrides(values, start))
    plain = DeterrenceModel(scenario, "collective", rng=9)
    assert pair.panes[1].model.params == plain.params
    pair.run(40)
    plain.run(40)
    assert pair.panes[1].model.metrics() == pytest.approx(plain.metrics(), nan_ok=True)


def test_changing_the_scenario_moves_only_the_sliders_left_at_their_start():
    asia, europe = scenario_values(load("asia")), scenario_values(load("europe"))
    assert (asia["theatre_coupling"], europe["theatre_coupling"]) == (0.15, 0.6)
    values = slider_values({}, asia)
    values["decisiveness"] = 2.5  # moved by the user
    there = rebase(values, asia, europe)
    assert there["theatre_coupling"] == 0.6 and there["decisiveness"] == 2.5
    assert {k: there[k] for k in europe} == europe
    back = rebase(there, europe, asia)
    assert back["theatre_coupling"] == 0.15 and back["decisiveness"] == 2.5
    assert overrides(back, asia) == overrides(values, asia)


# --- the comparison and its record ----------------------------------------------------------------


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_both_panes_face_the_same_crisis_stream(seed):
    """The same incidents open the flashpoints open in both panes (a flashpoint one challenger has
    taken, or that lies behind a front still held in one pane only, opens there alone)."""
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=str(seed))
    left, right = (p.model for p in pair.panes)
    paired = 0
    for _ in range(25):
        both = {f.index for f in left.flashpoints if f.open_to_crises} & {
            f.index for f in right.flashpoints if f.open_to_crises}
        pair.step()
        assert set(left.opened.tolist()) & both == set(right.opened.tolist()) & both
        paired += len(set(left.opened.tolist()) & both)
        names = {left.flashpoints[f].name for f in both}
        assert ([c.flashpoint for c in left.crises if c.hop == 0 and c.flashpoint in names]
                == [c.flashpoint for c in right.crises if c.hop == 0 and c.flashpoint in names])
    assert left.steps == right.steps == pair.steps == 25
    assert left.seed == right.seed == seed


def test_every_step_is_kept_and_looking_back_reruns_nothing():
    pair = Comparison("asia", seed=4, opportunity_scale=3.0)
    kept = []
    for _ in range(15):
        pair.step()
        kept.append([(p.records[-1].network, p.log_lines(pair.steps)) for p in pair.panes])
    for pane in pair.panes:
        assert [r.network.step for r in pane.records] == list(range(16))
    assert pair.advance(3, 4) == 7  # within the record
    assert pair.steps == 15 and all(p.model.steps == 15 for p in pair.panes)
    for step in range(1, 16):
        for side, pane in enumerate(pair.panes):
            network, lines = kept[step - 1][side]
            assert pane.records[step].network == network
            assert pane.log_lines(step) == lines
    assert pair.advance(13, 4) == 17  # past the record: both models run on
    assert pair.steps == 17 and all(len(p.records) == 18 for p in pair.panes)


def test_next_crisis_stops_at_the_first_step_with_a_crisis_in_either_pane():
    pair = Comparison("asia", seed=1)
    reference = Comparison("asia", seed=1)
    expected = None
    for _ in range(200):
        reference.step()
        if any(p.model.crises for p in reference.panes):
            expected = reference.steps
            break
    assert expected is not None and expected > 1  # at the default rates, some steps are quiet
    found = pair.next_crisis(0)
    assert found == expected == pair.steps
    assert pair.has_crisis(found)
    assert not any(pair.has_crisis(k) for k in range(1, found))
    assert pair.next_crisis(0) == found  # found again in the record, without running on
    assert pair.steps == found


def test_next_crisis_gives_up_after_its_limit(tmp_path):
    calm = write(tmp_path, SMALL_TOML.replace("rate = 0.5", "rate = 0.0"))
    pair = Comparison(str(calm), seed=1)
    assert pair.next_crisis(0, limit=30) is None
    assert pair.steps == 30


def test_bad_inputs_become_messages_not_exceptions(tmp_path):
    bad_seed = Comparison("asia", seed="twelve")
    assert bad_seed.error == "seed: 'twelve' is not a whole number"
    assert all(p.model is None for p in bad_seed.panes)
    assert bad_seed.steps == 0 and bad_seed.next_crisis(0) is None
    unknown = Comparison("atlantis")
    assert "unknown scenario 'atlantis'" in unknown.error
    out_of_range = Comparison("asia", theatre_coupling=7)
    assert all("theatre_coupling" in p.error for p in out_of_range.panes)
    hubless = Comparison(str(write(tmp_path, HUBLESS_TOML)), "hub_and_spoke", "collective")
    assert hubless.error is None
    assert hubless.panes[0].model is None
    assert "needs a hub" in hubless.panes[0].error
    assert hubless.panes[1].model is not None
    hubless.step()
    assert hubless.panes[1].model.steps == 1 and hubless.steps == 1


def test_panes_are_named_by_the_structures_labels_and_the_same_structure_twice_by_side():
    assert Comparison("asia", "collective", "collective").labels == ["collective (left)",
                                                                      "collective (right)"]
    assert Comparison("asia").labels == ["hub-and-spoke", "collective"]  # the registry's labels
    assert Comparison("asia").colours == [STRUCTURES["hub_and_spoke"].colour,
                                          STRUCTURES["collective"].colour]
    assert Comparison("asia", "collective", "collective").colours == list(COLOURS[:2])
