"""Bad values in scenario and experiment files, and in parameters: refused with one line naming the
file, the field and the problem, before anything runs (issue: nothing wrong in silence, items 1, 2,
4, 5, 7, 10 and 12). Each test fails on the code before the fix."""

from __future__ import annotations

import dataclasses
import math
import tracemalloc
from pathlib import Path

import pytest

from experiments import design, runner
from experiments.design import ExperimentError, RunSpec
from experiments.evaluate import SerialEvaluator, evaluate, evaluate_batch
from experiments.store import read_runs
from model.parameters import MOST_STEPS, get
from scenarios import ScenarioError, load

SHIPPED = Path(load.__code__.co_filename).resolve().parent
ASIA = (SHIPPED / "asia.toml").read_text(encoding="utf-8")
EXPERIMENT = """\
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 2
steps = 5
master_seed = 3
"""


def scenario_file(folder: Path, text: str, name: str = "custom.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def extends_asia(folder: Path, body: str, name: str = "custom.toml") -> Path:
    return scenario_file(folder, f'extends = "asia"\nname = "custom"\n{body}', name)


# --- 1. non-finite and overflowing numbers --------------------------------------------------------

@pytest.mark.parametrize("power", ["inf", "1e308", "1e7", "nan"])
def test_a_state_power_beyond_its_declared_range_is_refused(tmp_path, power):
    path = extends_asia(tmp_path, f'[[states]]\nname = "Japan"\npower = {power}\n')
    with pytest.raises(ScenarioError) as refused:
        load(str(path))
    message = str(refused.value)
    assert message.startswith(f"{path}: states[") and "(Japan).power" in message, message
    assert "\n" not in message


def test_a_challenger_power_of_inf_is_refused(tmp_path):
    path = extends_asia(tmp_path, '[[challengers]]\nname = "China"\npower = inf\n')
    with pytest.raises(ScenarioError, match=r"challengers\[0\] \(China\)\.power: must be a finite number"):
        load(str(path))


@pytest.mark.parametrize(("refused", "message", "accepted"), [
    ("1e6", "1e+06 is above 200,000: challenger_power_scale may multiply it by up to 5, and no "
            "power may exceed 1,000,000", 2e5),
    ("5e-6", "5e-06 is below 1e-05: challenger_power_scale may multiply it by as little as 0.1, "
             "and no power may be below 1e-06", 1e-5),
])
def test_a_challenger_power_that_its_scale_could_take_out_of_bounds_is_refused(
        tmp_path, refused, message, accepted):
    """challenger_power_scale (0.1 to 5) multiplies a challenger's power, which may not start
    outside [LEAST_POWER, MOST_POWER], as a trend may not take it there."""
    path = extends_asia(tmp_path, f'[[challengers]]\nname = "China"\npower = {refused}\n')
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    assert str(error.value) == f"{path}: challengers[0] (China).power: {message}"
    path = extends_asia(tmp_path, f'[[challengers]]\nname = "China"\npower = {accepted!r}\n')
    assert load(str(path)).challengers[0].power == accepted


@pytest.mark.parametrize(("power", "shown"), [("1e-9", "1e-09"), ("0", "0"), ("-1", "-1")])
def test_a_state_power_below_the_least_power_is_refused(tmp_path, power, shown):
    """No power may start below LEAST_POWER (1e-6), as no trend may take one there: every rule
    divides by sums of powers raised to the decisiveness."""
    path = extends_asia(tmp_path, f'[[states]]\nname = "Japan"\npower = {power}\n')
    with pytest.raises(ScenarioError) as refused:
        load(str(path))
    assert str(refused.value).endswith(f"(Japan).power: {shown} is outside [1e-06, "
                                       "1000000.0]"), refused.value
    path = extends_asia(tmp_path, '[[states]]\nname = "Japan"\npower = 1e-6\n')
    assert [s.power for s in load(str(path)).states if s.name == "Japan"] == [1e-6]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 10**400])
def test_a_non_finite_parameter_value_is_refused_with_its_name(value):
    for name in ("quorum", "max_spread_hops"):  # a real and an integer parameter
        with pytest.raises(ValueError, match=f"parameter '{name}'"):
            get(name).validate(value)


def test_a_run_whose_arithmetic_is_not_finite_is_a_failure_not_a_row(tmp_path):
    asia = load("asia")
    k = next(i for i, s in enumerate(asia.states) if s.growth is None)  # a power that stays inf
    states = list(asia.states)
    states[k] = dataclasses.replace(states[k], power=math.inf)
    broken = dataclasses.replace(asia, states=tuple(states))
    spec = RunSpec.make("x", "asia", "hub_and_spoke", {}, 0, 1, 10)
    record = evaluate_batch([spec], scenarios={"asia": broken})[0]
    assert record.get("_failed") and "NonFiniteError" in record["error"], record
    assert "not finite" in record["error"] or "nan" in record["error"]
    evaluate(spec, scenario=asia)  # the same run on the real scenario is a row


def test_a_sweep_stores_a_non_finite_run_in_failures_not_runs(tmp_path, monkeypatch):
    asia = load("asia")
    broken = dataclasses.replace(asia, states=tuple(dataclasses.replace(s, power=math.inf)
                                                    for s in asia.states))
    experiment = design.load(scenario_file(tmp_path, EXPERIMENT, "exp.toml"))
    monkeypatch.setattr("experiments.evaluate._LOADED", {"asia": broken})
    report = runner.run_experiment(experiment, out=tmp_path / "results", evaluator=SerialEvaluator(),
                                   progress=False)
    assert report.failed == len(experiment.runs()) and report.finished == 0
    assert not (report.folder / "runs.csv").exists()


# --- 2. design points that are the same ------------------------------------------------------------

def test_two_equal_points_are_refused_naming_them(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT + """
[design]
kind = "points"
points = [{quorum = 0.5, label = "a"}, {quorum = 0.25, label = "b"}, {quorum = 0.5, label = "c"}]
""", "exp.toml")
    with pytest.raises(ExperimentError, match=r"exp.toml: design.points\[2\]: gives the same "
                                              r"parameters as design.points\[0\] \('a' and 'c'\)"):
        design.load(path)


@pytest.mark.parametrize("points, first", [
    ('[{}, {trend_scale = 1.0}]', 0),  # 1.0 is the default
    ('[{quorum = 0.5}, {quorum = 0.5, war_duration = "lasting"}]', 0),  # only adds a default
    ('[{quorum = 0.25}, {quorum = 0.5, trend_scale = 1.0, war_duration = "lasting"}, {quorum = 0.5}]',
     1),
])
def test_points_written_differently_that_resolve_alike_are_refused_naming_both(tmp_path, points,
                                                                               first):
    """Points are compared by the parameters they resolve to (the declared defaults filled in),
    not by how they are written: otherwise both run and every run is counted twice."""
    from model.parameters import BY_NAME

    assert BY_NAME["trend_scale"].default == 1.0 and BY_NAME["war_duration"].default == "lasting"
    path = scenario_file(tmp_path, EXPERIMENT + f"""
[design]
kind = "points"
points = {points}
""", "exp.toml")
    last = points.count("{") - 1
    with pytest.raises(ExperimentError, match=rf"^{path}: design.points\[{last}\]: gives the same "
                                              rf"parameters as design.points\[{first}\] "):
        design.load(path)


def test_points_that_resolve_alike_in_one_scenario_only_are_refused_naming_it(tmp_path):
    """europe's [parameters] set theatre_coupling = 0.6: there, {} and {theatre_coupling = 0.6} are
    the same point (in asia they differ)."""
    assert load("europe").parameters["theatre_coupling"] == 0.6
    path = scenario_file(tmp_path, EXPERIMENT.replace('scenario = "asia"',
                                                      'scenarios = ["asia", "europe"]') + """
[design]
kind = "points"
points = [{}, {theatre_coupling = 0.6}]
""", "exp.toml")
    with pytest.raises(ExperimentError, match=r"design.points\[1\]: gives the same parameters as "
                                              r"design.points\[0\] in scenario europe"):
        design.load(path)


def test_points_equal_once_the_fixed_values_are_merged_are_refused(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT + """
[fixed]
theatre_coupling = 0.3
[design]
kind = "points"
points = [{quorum = 0.5}, {quorum = 0.5, theatre_coupling = 0.3}]
""", "exp.toml")
    with pytest.raises(ExperimentError):
        design.load(path)  # {fixed, point 1} overrides theatre_coupling with the same value


def test_levels_that_collide_once_rounded_are_refused(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT + """
[design]
kind = "full_factorial"
[design.factors]
quorum = {low = 0.5, high = 0.50000000000001, levels = 3}
""", "exp.toml")
    with pytest.raises(ExperimentError, match=r"design point 1: gives the same parameters as design "
                                              r"point 0"):
        design.load(path)


def test_a_latin_hypercube_of_an_integer_factor_with_more_samples_than_values_is_refused(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT + """
[design]
kind = "latin_hypercube"
samples = 8
[design.factors]
max_spread_hops = {}
""", "exp.toml")
    with pytest.raises(ExperimentError, match=r"design point \d+: gives the same parameters as "
                                              r"design point \d+"):
        design.load(path)


# --- 3. labels that name two points -----------------------------------------------------------------

@pytest.mark.parametrize("points, message", [
    ('[{label = "a", trend_scale = 0.0}, {label = "a", trend_scale = 1.0}]',
     r"design.points\[1\].label: 'a' already names design.points\[0\]"),
    ('[{}, {label = "defaults", trend_scale = 0.0}]',  # {} is called "defaults"
     r"design.points\[1\].label: 'defaults' already names design.points\[0\], which has no label"),
    ('[{label = "quorum=0.6, trend_scale=0.5", quorum = 0.6}, {trend_scale = 0.5, quorum = 0.6}]',
     r"design.points\[0\].label: 'quorum=0.6, trend_scale=0.5' already names design.points\[1\]"),
])
def test_a_label_that_names_another_point_is_refused(tmp_path, points, message):
    """Figures and tables index the points by their names (the label, else what the point sets):
    two points of one name broke them after the runs (duplicate labels in pandas)."""
    path = scenario_file(tmp_path, EXPERIMENT + f"""
[design]
kind = "points"
points = {points}
""", "exp.toml")
    with pytest.raises(ExperimentError, match=rf"^{path}: {message}"):
        design.load(path)


def test_the_loader_names_unlabelled_points_as_the_figures_do(tmp_path):
    """The loader's names of unlabelled points (against which labels are checked) are the names
    the figures give them (analysis.labels.point_labels): one function, experiments.formats."""
    from analysis.labels import point_labels
    from analysis.results import load as load_results

    path = scenario_file(tmp_path, EXPERIMENT.replace("replicates = 2", "replicates = 1") + """
[design]
kind = "points"
points = [{}, {trend_scale = 0.5, quorum = 0.6}, {label = "mine", quorum = 0.6}, {quorum = 0.25}]
""", "exp.toml")
    experiment = design.load(path)
    report = runner.run_experiment(experiment, out=tmp_path / "results",
                                   evaluator=SerialEvaluator(), progress=False)
    assert point_labels(load_results(report.folder)) == {
        0: "defaults", 1: "trend_scale=0.5, quorum=0.6", 2: "mine", 3: "quorum=0.25"}


# --- 3b. power trends past their limit --------------------------------------------------------------

RISING = """scenario = "symmetric_rising"
structures = ["none", "collective"]
replicates = 2
steps = 800
master_seed = 1
"""


def test_a_point_whose_trend_runs_past_its_limit_is_refused_before_any_run(tmp_path):
    """At trend_scale 2, symmetric_rising's challenger passes the limit of power within 800 steps
    (200 years); at 1 it does not. The point is refused before a sweep's first run, with the
    model's own message, as `run.py run` refuses that run, not run after run in failures.csv (the
    check is not made when the file is read, which must stay quick for a 2,000-point design)."""
    path = scenario_file(tmp_path, RISING + """
[design]
kind = "points"
points = [{trend_scale = 1.0}, {trend_scale = 2.0}]
""", "exp.toml")
    with pytest.raises(ExperimentError, match=rf"^{path}: design.points\[1\]: .*growth would take "
                                              r"its power to .* above the limit of 1,000,000.* "
                                              r"\(scenario symmetric_rising, 800 steps\)$"):
        design.load(path).check_trends()
    shorter = scenario_file(tmp_path, path.read_text().replace("steps = 800", "steps = 400"),
                            "shorter.toml")
    design.load(shorter).check_trends()


@pytest.mark.parametrize("where", ["fixed", "design"])
def test_a_trend_past_its_limit_is_refused_in_every_scenario_and_design(tmp_path, where):
    body = ("[fixed]\ntrend_scale = 2.0\n" if where == "fixed" else
            "[design]\nkind = \"full_factorial\"\n[design.factors]\ntrend_scale = [0.5, 2.0]\n")
    path = scenario_file(tmp_path, RISING.replace('scenario = "symmetric_rising"',
                                                  'scenarios = ["symmetric", "symmetric_rising"]')
                         + body, "exp.toml")
    field = "design point 0" if where == "fixed" else "design point 1"
    with pytest.raises(ExperimentError, match=rf"{field}: .* \(scenario symmetric_rising, 800 steps\)"):
        design.load(path).check_trends()


def test_the_sweep_command_refuses_a_trend_past_its_limit_before_writing_anything(tmp_path):
    from tests.support.project import run_py

    path = scenario_file(tmp_path, RISING + """
[quick]
steps = 800
[design]
kind = "points"
points = [{trend_scale = 1.0}, {trend_scale = 2.0}]
""", "exp.toml")
    out = tmp_path / "results"
    done = run_py("sweep", str(path), "--quick", "--workers", "1", "--out", str(out), timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {path}: design.points[1]: "), done.stderr
    assert "above the limit of 1,000,000" in done.stderr
    assert not out.exists()


# --- 4. names that would break a stored list -------------------------------------------------------

@pytest.mark.parametrize("name", ["Ja;pan", "Ja\npan", "Japan\r", "Ja\x00pan", " Japan"])
@pytest.mark.parametrize("where", ["states", "challengers"])
def test_a_name_with_the_separator_or_a_control_character_is_refused(tmp_path, name, where):
    text = ASIA.replace('name = "Japan"' if where == "states" else 'name = "China"',
                        f"name = {name!r}".replace("'", '"').replace("\\x00", "\\u0000"))
    path = scenario_file(tmp_path, text)
    with pytest.raises(ScenarioError) as refused:
        load(str(path))
    assert f"{where}[" in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("field", ["id", "name"])
def test_a_flashpoint_id_or_name_with_the_separator_is_refused(tmp_path, field):
    text = ASIA.replace("[[flashpoints]]\n", f'[[flashpoints]]\n{field} = "a;b"\n', 1)
    if field == "id":  # the file's own id line now comes second: drop it
        head, tail = text.split('id = "a;b"\n', 1)
        tail = tail.split("\n", 1)[1] if tail.startswith("id =") else tail
        text = head + 'id = "a;b"\n' + tail
    else:
        head, tail = text.split('name = "a;b"\n', 1)
        tail = "\n".join(line for line in tail.split("\n") if not line.startswith("name =") or
                         tail.index(line) > tail.index("[[")) if "[[" in tail else tail
        text = head + 'name = "a;b"\n' + tail
    with pytest.raises(ScenarioError, match=f"flashpoints\\[0\\].*{field}: must not contain ';'"):
        load(str(scenario_file(tmp_path, text)))


# --- 5. strict numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["0_1", " 1", "1e", "inf", "nan", "0x1", "½", "1,5", ""])
def test_a_parameter_given_as_text_is_parsed_strictly(text):
    with pytest.raises(ValueError, match="parameter 'quorum'"):
        get("quorum").parse(text)


@pytest.mark.parametrize("text", ["0.5", ".5", "5e-1", "+0.5", "1", "0"])
def test_ordinary_numbers_still_parse(text):
    assert get("quorum").parse(text) == float(text)


def test_a_number_given_as_a_string_in_a_file_is_refused(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT + '[fixed]\nquorum = "0_1"\n', "exp.toml")
    with pytest.raises(ExperimentError, match=r"fixed\.quorum: parameter 'quorum': expected a number"):
        design.load(path)


# --- 7. limits -----------------------------------------------------------------------------------------

def test_steps_beyond_the_declared_limit_are_refused_in_an_experiment(tmp_path):
    path = scenario_file(tmp_path, EXPERIMENT.replace("steps = 5", f"steps = {MOST_STEPS + 1}"),
                         "exp.toml")
    with pytest.raises(ExperimentError, match=f"steps: must be at most {MOST_STEPS:,}"):
        design.load(path)


def test_a_history_longer_than_a_run_may_be_is_refused(tmp_path):
    path = scenario_file(tmp_path, 'extends = "europe"\nname = "long"\nyears_per_step = 0.001\n')
    with pytest.raises(ScenarioError, match="history: .* steps of 0.001 years, more than the 10,000"):
        load(str(path))


def test_an_experiment_of_many_runs_is_expanded_lazily():
    experiment = design.load("tiny")
    big = dataclasses.replace(experiment, replicates=50_000)  # 400,000 runs
    tracemalloc.start()
    try:
        runs = big.runs()
        count = len(runs)
        last = runs[-1]
        first_ids = [spec.run_id for spec, _ in zip(runs, range(3), strict=False)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 400_000 and last.replicate == 49_999
    assert first_ids == [spec.run_id for spec in experiment.runs()[:3]][:1] + first_ids[1:]
    assert peak < 40_000_000, f"{peak / 1e6:.0f} MB to expand the design"  # all at once: ~350 MB


def test_the_lazy_runs_are_the_runs(tmp_path):
    experiment = design.load("tiny")
    runs = experiment.runs()
    assert list(runs) == [runs[k] for k in range(len(runs))] == runs[:]
    assert len({spec.run_id for spec in runs}) == len(runs)


# --- 10. a file that starts with a byte-order mark --------------------------------------------------

def test_a_file_with_a_byte_order_mark_reads_as_without(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ASIA.encode("utf-8"))
    assert load(str(path)) == dataclasses.replace(load("asia"), source=str(path))
    experiment = tmp_path / "exp.toml"
    experiment.write_bytes(b"\xef\xbb\xbf" + EXPERIMENT.encode("utf-8"))
    assert len(design.load(experiment).runs()) == 4


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(ASIA.replace("Japan", "Japón").encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin1.toml: cannot be read: not UTF-8 text \(byte 0xf3 "
                                            r"on line \d+\)"):
        load(str(path))


# --- 12. a scenario path inside an experiment file ---------------------------------------------------

def test_a_scenario_path_is_read_beside_the_experiment_file(tmp_path, monkeypatch):
    folder = tmp_path / "study"
    folder.mkdir()
    extends_asia(folder, "[parameters]\ntheatre_coupling = 0.3\n", "mine.toml")
    path = scenario_file(folder, EXPERIMENT.replace('"asia"', '"mine.toml"'), "exp.toml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    experiment = design.load(path)
    assert experiment.scenarios == ("mine.toml",)  # the run ids keep the name the file gives
    report = runner.run_experiment(experiment, out=tmp_path / "results", workers=1, progress=False)
    assert report.status == "complete" and report.finished == 4
    assert set(read_runs(report.folder)["theatre_coupling"]) == {0.3}
    monkeypatch.chdir(folder)  # the same experiment from its own folder: the same runs, resumed
    again = runner.run_experiment(design.load(path), out=tmp_path / "results", workers=1,
                                  progress=False)
    assert again.status == "complete" and again.added == 0


def test_a_scenario_path_that_only_exists_from_the_current_folder_is_explained(tmp_path, monkeypatch):
    extends_asia(tmp_path, "", "mine.toml")
    folder = tmp_path / "experiments"
    folder.mkdir()
    path = scenario_file(folder, EXPERIMENT.replace('"asia"', '"mine.toml"'), "exp.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExperimentError, match="relative to the experiment file's folder"):
        design.load(path)
