"""Experiment files: validation, designs, run specs and paired seeds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments import design
from experiments.design import ExperimentError, load, replicate_seeds
from tests.support.experiment_cases import LATIN, POINTS, TINY, write


@pytest.mark.parametrize("name", design.available())
def test_every_shipped_experiment_loads_and_has_distinct_run_ids(name):
    experiment = load(name)
    runs = experiment.runs()
    assert len(runs) == (len(experiment.scenarios) * len(experiment.points) * len(experiment.structures)
                         * experiment.replicates)
    assert len({r.run_id for r in runs}) == len(runs)
    quick = load(name, quick=True)
    assert len(quick.runs()) < len(runs)
    assert quick.folder_name == f"{name}-quick"


def test_headline_compares_every_structure_with_at_least_200_paired_replicates():
    headline = load("headline")
    from model.structure import NAMES

    assert set(headline.structures) == set(NAMES)  # every declared structure
    assert headline.replicates >= 200
    assert headline.scenarios == ("asia",)


def test_topology_strength_is_2_by_2_with_the_same_members():
    experiment = load("topology_strength")
    assert set(experiment.structures) == {"hub_and_spoke", "collective"}
    assert sorted(p["obligation_mode"] for p in experiment.points) == ["automatic", "conditional"]


def test_full_factorial_levels_are_computed_by_hand(tmp_path):
    text = TINY.replace("red_line_divergence = [0.2, 0.8]",
                        "red_line_divergence = { low = 0.0, high = 1.0, levels = 5 }")
    experiment = load(write(tmp_path, "grid", text))
    divergences = sorted({p["red_line_divergence"] for p in experiment.points})
    assert divergences == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert len(experiment.points) == 5 * 2
    # --quick with levels = 3 keeps the first, middle and last level
    quick = load(write(tmp_path, "grid", text + "\n[quick]\nlevels = 3\n"), quick=True)
    assert sorted({p["red_line_divergence"] for p in quick.points}) == [0.0, 0.5, 1.0]


def test_points_design_and_fixed_values_are_merged(tmp_path):
    text = POINTS.replace("[design]", "[fixed]\ntheatre_coupling = 0.4\n\n[design]")
    experiment = load(write(tmp_path, "points", text))
    assert list(experiment.points) == [
        {"theatre_coupling": 0.4, "obligation_mode": "conditional"},
        {"theatre_coupling": 0.4, "obligation_mode": "automatic"},
    ]
    assert experiment.factors == ("obligation_mode",)


@settings(max_examples=25, deadline=None)
@given(samples=st.integers(1, 40), seed=st.integers(0, 2**32))
def test_latin_hypercube_puts_one_sample_in_each_stratum_of_every_factor(tmp_path_factory, samples, seed):
    text = LATIN.replace("samples = 4", f"samples = {samples}").replace("master_seed = 14",
                                                                       f"master_seed = {seed}")
    path = write(tmp_path_factory.mktemp("lhs"), "lhs", text)
    experiment = load(path)
    coupling = np.array([p["theatre_coupling"] for p in experiment.points])
    power = np.array([p["challenger_power_scale"] for p in experiment.points])
    assert len(coupling) == samples
    assert sorted(np.minimum((coupling * samples).astype(int), samples - 1)) == list(range(samples))
    scaled = (power - 0.5) / 1.5
    assert sorted(np.minimum((scaled * samples).astype(int), samples - 1)) == list(range(samples))
    assert load(path).points == experiment.points  # seeded: the same sample every time


@settings(max_examples=30, deadline=None)
@given(master=st.integers(0, 2**63), n=st.integers(1, 50), m=st.integers(1, 50))
def test_replicate_seeds_depend_on_master_seed_and_k_only(master, n, m):
    seeds_n = replicate_seeds(master, n)
    seeds_m = replicate_seeds(master, m)
    k = min(n, m)
    assert seeds_n[:k] == seeds_m[:k]  # replicate k's seed does not depend on how many there are
    assert len(set(seeds_n)) == n
    assert all(0 <= s < 2**63 for s in seeds_n)


def test_replicate_k_has_the_same_seed_under_every_structure_and_point():
    experiment = load("divergence_hedging", quick=True)
    seeds: dict[int, set[int]] = {}
    for spec in experiment.runs():
        seeds.setdefault(spec.replicate, set()).add(spec.seed)
    assert all(len(s) == 1 for s in seeds.values())
    assert len({next(iter(s)) for s in seeds.values()}) == experiment.replicates


def test_run_ids_are_stable_and_content_based():
    a = design.RunSpec.make("x", "asia", "collective", {"theatre_coupling": 0.3}, 2, 99, 200, point=4)
    b = design.RunSpec.make("y", "asia", "collective", {"theatre_coupling": 0.3}, 2, 99, 200, point=7)
    c = design.RunSpec.make("x", "asia", "hub_and_spoke", {"theatre_coupling": 0.3}, 2, 99, 200)
    assert a.run_id == b.run_id  # same run content, same id
    assert a.run_id != c.run_id
    assert [s.run_id for s in load("tiny").runs()] == [s.run_id for s in load("tiny").runs()]


BAD = [
    ("replicates = 3\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "colour = 'red'\n", "colour: unknown field (allowed: "),
    ("steps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n",
     "replicates: missing"),
    ("replicates = 0\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n",
     "replicates: must be at least 1"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['nato']\n",
     "structures: 'nato' is not one of"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'atlantis'\nstructures = ['collective']\n",
     "scenario: unknown scenario 'atlantis'"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[fixed]\ncoupling = 0.3\n", "fixed.coupling: unknown parameter 'coupling'"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[design]\nkind = 'full_factorial'\n[design.factors]\n"
     "mean_hedging = {low = 0.0, high = 1.5, levels = 3}\n",
     "design.factors.mean_hedging.high: parameter 'mean_hedging': 1.5 is outside the allowed range"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[design]\nkind = 'full_factorial'\n[design.factors]\nstructure = ['none', 'collective']\n",
     "design.factors.structure: 'structure' is the lever"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[design]\nkind = 'sobol'\n", "design.kind: expected one of"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[fixed]\nmean_hedging = 0.5\n[design]\nkind = 'full_factorial'\n[design.factors]\n"
     "mean_hedging = [0.1, 0.2]\n", "fixed.mean_hedging: is also a factor"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[fixed]\nseverity_probe = 0.9\n", "design point 0: parameters 'severity_probe' < 'severity_limited'"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[design]\nkind = 'points'\npoints = [{ obligation_mode = 'sometimes' }]\n",
     "design.points[0].obligation_mode: parameter 'obligation_mode': 'sometimes' is not one of"),
    ("replicates = 2\nsteps = 5\n master_seed = = 1\n", "not valid TOML"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[quick]\nsteps = 0\n", "quick.steps: must be at least 1"),
    ("replicates = 1000000000000000000\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\n"
     "structures = ['collective']\n", "replicates: must be at most 1,000,000, got"),
    ("replicates = 2\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\nstructures = ['collective']\n"
     "[design]\nkind = 'full_factorial'\n[design.factors]\n"
     "mean_hedging = {low = 0.0, high = 1.0, levels = 2000}\n"
     "theatre_coupling = {low = 0.0, high = 1.0, levels = 2000}\n",
     "design.factors: 4,000,000 combinations of levels, more than 1,000,000"),
    ("replicates = 1000000\nsteps = 5\nmaster_seed = 1\nscenario = 'asia'\n"
     "structures = ['none', 'hub_and_spoke', 'lattice', 'collective']\n[design]\nkind = 'points'\n"
     "points = [{ theatre_coupling = 0.1 }, { theatre_coupling = 0.2 }, { theatre_coupling = 0.3 }]\n",
     "replicates: 12,000,000 runs in all"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_experiment_files_are_refused_naming_file_field_and_problem(tmp_path, text, expected):
    path = write(tmp_path, "bad", text)
    with pytest.raises(ExperimentError) as error:
        load(path)
    message = str(error.value)
    assert message.startswith(str(path)), message
    assert expected in message, message


def test_unknown_experiment_name_lists_the_shipped_ones():
    with pytest.raises(ExperimentError, match="unknown experiment 'nope'.*headline"):
        load("nope")


def test_a_file_in_the_current_folder_named_like_a_shipped_experiment_never_hides_it(
        tmp_path, monkeypatch):
    (tmp_path / "headline").write_text("not an experiment = [")
    (tmp_path / "tiny").mkdir()
    monkeypatch.chdir(tmp_path)
    assert load("headline").name == "headline"
    assert load("tiny").name == "tiny"
    with pytest.raises(ExperimentError, match=r"^nope\.toml: no such experiment file$"):
        load("nope.toml")
    with pytest.raises(ExperimentError, match=r"^sub/headline: no such experiment file$"):
        load("sub/headline")


def test_a_history_experiment_runs_each_scenario_under_its_history_for_its_span():
    from scenarios import load as load_scenario

    experiment = load("history")
    assert experiment.history and experiment.labels
    spans = {}
    for spec in experiment.runs():
        history = load_scenario(spec.scenario).history
        assert spec.structure == history.structure
        assert spec.parameters["obligation_mode"] == history.obligation_mode
        spans[spec.scenario] = spec.steps
    assert spans == {"europe": 160, "seato": 92}  # 1949-89 and 1954-77 at a quarter-year per step
    observed = experiment.summary()["observed"]["seato"]
    assert observed["lost"] == ["South Vietnam", "Laos", "Cambodia"]
    assert observed["dissolved_year"] == 1977


def test_a_history_experiment_refuses_structures_and_scenarios_without_history(tmp_path):
    path = tmp_path / "h.toml"
    path.write_text('scenarios = ["asia"]\nhistory = true\nreplicates = 2\nmaster_seed = 1\n')
    with pytest.raises(ExperimentError, match="scenario 'asia' has no \\[history\\] table"):
        load(path)
    path.write_text('scenarios = ["seato"]\nhistory = true\nstructures = ["collective"]\n'
                    'replicates = 2\nmaster_seed = 1\n')
    with pytest.raises(ExperimentError, match="leave 'structures' out"):
        load(path)


@pytest.mark.parametrize("body, field", [
    ("steps = 40\n", "steps"),  # was accepted, recorded in the manifest, and not what ran
    ("[fixed]\nobligation_mode = \"conditional\"\n", "fixed.obligation_mode"),
    ('[design]\nkind = "points"\npoints = [{ obligation_mode = "conditional" }]\n',
     r"design.points\[0\].obligation_mode"),
    ('[design]\nkind = "full_factorial"\n[design.factors]\nobligation_mode = ["conditional"]\n',
     "design.factors.obligation_mode"),
    ("[fixed]\nstructure = \"collective\"\n", "fixed.structure"),
])
def test_a_history_experiment_refuses_what_each_history_sets_itself(tmp_path, body, field):
    """A history sets each scenario's structure, obligation strength and span (experiments.history):
    given in the experiment too, it was silently overridden (steps) or overrode the history
    (obligation_mode); it is refused as 'structures' is."""
    from experiments.history import SETS

    assert SETS == ("obligation_mode",)
    path = tmp_path / "h.toml"
    path.write_text('scenarios = ["europe"]\nhistory = true\nreplicates = 2\nmaster_seed = 1\n'
                    + body)
    with pytest.raises(ExperimentError, match=rf"^{path}: {field}: a history experiment .*leave '"):
        load(path)


def test_a_history_experiment_records_the_steps_each_scenario_runs():
    """The manifest's design.steps is what the runs take: each scenario's historical span (at most
    [quick] steps for --quick), never the unused experiment-level number."""
    for quick, expected in ((False, {"europe": 160, "seato": 92}), (True, {"europe": 40, "seato": 40})):
        experiment = load("history", quick=quick)
        assert experiment.summary()["steps"] == expected
        assert {spec.scenario: spec.steps for spec in experiment.runs()} == expected
    assert load("headline").summary()["steps"] == load("headline").steps


def test_the_report_gives_a_history_experiments_steps_by_scenario():
    from analysis.html_report import _steps

    assert _steps({"steps": 200}) == "200"
    assert _steps({"steps": {"europe": 40, "seato": 40}}) == "40"
    assert _steps({"steps": {"europe": 160, "seato": 92},
                   "scenario_names": {"europe": "europe", "seato": "seato"}}) == (
        "160 (europe), 92 (seato)")


def test_design_points_can_be_labelled():
    experiment = load("mechanisms")
    assert experiment.labels[0] == "every mechanism on (the defaults)"
    assert len(experiment.labels) == len(experiment.points)
    assert all("label" not in point for point in experiment.points)



def test_the_mechanisms_experiment_switches_every_mechanism_off_together_and_each_on_its_own():
    """Its "all mechanisms off" point is exactly ``MECHANISMS_OFF``, and every setting there that
    differs from the defaults is switched on its own in some other point (so each row shows one
    mechanism's own effect), except the reputational weight recalibrated for the baseline and the
    scheduled events, which asia does not declare (the history experiment switches those off)."""
    from model.parameters import BY_NAME, MECHANISMS_OFF

    experiment = load("mechanisms")
    by_label = dict(zip(experiment.labels, experiment.points, strict=True))
    assert by_label["all mechanisms off"] == MECHANISMS_OFF
    changed = {name for name, value in MECHANISMS_OFF.items() if BY_NAME[name].default != value}
    alone = {name for point in experiment.points if len(point) == 1 for name in point}
    alone |= {"autonomy_cost", "autonomy_grievance"} & set(by_label["autonomy cost off"])
    assert changed - alone == {"reputational_weight", "scheduled_events"}
    # the README's table of what time changes reads these variants by their labels
    from analysis.numbers import TIME_VARIANTS

    assert set(TIME_VARIANTS) <= set(by_label)
    assert by_label["every war decided in one step (0.3.0)"] == {"war_duration": "decisive"}
    assert by_label["power trends off (powers stand still)"] == {"trend_scale": 0.0}
    history = load("history")
    assert {"formation": "imposed", "scheduled_events": "off"} in history.points
