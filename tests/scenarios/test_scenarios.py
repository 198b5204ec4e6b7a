"""Scenario files: the shipped ones load and run; broken ones are refused with a clear message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from model import STRUCTURES, DeterrenceModel
from scenarios import SHIPPED as SHIPPED_FOLDER
from scenarios import ScenarioError, available, load

SHIPPED = ["asia", "asia1951", "europe", "europe1949", "seato", "symmetric", "taiwan_invasion"]
ASIA = Path(load("asia").source).read_text()


def test_every_scenario_the_design_names_is_shipped():
    assert set(SHIPPED) <= set(available())


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("structure", STRUCTURES)
def test_shipped_scenario_loads_and_runs(name, structure):
    scenario = load(name)
    imposed = DeterrenceModel(scenario, structure, rng=1, formation="imposed").run(50)
    assert imposed["steps"] == 50
    assert imposed["founders"] == (0 if structure == "none" else len(scenario.members))
    voluntary = DeterrenceModel(scenario, structure, rng=1).run(50)
    assert 0 <= voluntary["founders"] <= imposed["founders"]
    assert voluntary["joined"] + voluntary["declined"] >= voluntary["founders"]


def test_a_scenario_can_be_loaded_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(ASIA.replace('name = "asia"', 'name = "mine"'))
    assert load(str(path)).name == "mine"


def test_extends_merges_states_by_name():
    invasion = load("taiwan_invasion")
    asia = load("asia")
    japan = next(s for s in invasion.states if s.name == "Japan")
    assert japan.red_lines["taiwan_strait"] == 1.0
    assert japan.red_lines["senkaku"] == 0.5  # inherited
    assert len(invasion.states) == len(asia.states)
    strait = next(f for f in invasion.flashpoints if f.id == "taiwan_strait")
    assert strait.options == (2,)  # the challenger weighs only a major attack there
    others = [f for f in invasion.flashpoints if f.id != "taiwan_strait"]
    assert others == [f for f in asia.flashpoints if f.id != "taiwan_strait"]


def broken(tmp_path, old, new, count=1):
    assert old in ASIA, old
    path = tmp_path / "broken.toml"
    path.write_text(ASIA.replace(old, new, count))
    return path


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('power = 55.3                 # SIPRI 2024\n', "", "states[1] (Japan).power", "missing"),
        ('target = "Japan"', 'target = "Japn"', ".target", "unknown state 'Japn'"),
        ("power = 47.6", "power = -47.6", "states[2] (South Korea).power", "outside"),
        ("stakes = { senkaku = 1.0,", "stakes = { senkaku = 1.5,", "stakes.senkaku", "outside [0.0, 1.0]"),
        ("red_lines = { senkaku = 0.5,", "red_lines = { senkakku = 0.5,", "red_lines.senkakku",
         "unknown flashpoint"),
        ('theatre = "maritime"', 'theatre = "air"', ".theatre", "must be one of"),
        ("target_may_provoke = true", 'options = ["invasion"]', ".options", "must be a non-empty list"),
        ('members = ["United States"', 'members = ["Atlantis"', "members[0]", "unknown state 'Atlantis'"),
        ("theatre_coupling = 0.15", "theatre_coupling = 1.5", "parameters.theatre_coupling",
         "outside the allowed range"),
        ("theatre_coupling = 0.15", "coupling = 0.15", "parameters.coupling", "unknown parameter"),
        ('hedging = 0.2                # assumption: close', 'hedging = "low" # close',
         "states[1] (Japan).hedging", "must be a number"),
    ],
)
def test_broken_scenario_is_refused_naming_file_field_and_problem(tmp_path, old, new, field, problem):
    path = broken(tmp_path, old, new)
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    message = str(error.value)
    assert str(path) in message
    assert field in message
    assert problem in message


SEATO = Path(load("seato").source).read_text()


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('structure = "collective"', 'structure = "alliance"', "history.structure", "must be one of"),
        ('obligation_mode = "conditional"', 'obligation_mode = "loose"', "history.obligation_mode",
         "is not one of"),
        ("end = 1977", "end = 1950", "history.end", "must be at least 1955"),
        ('exited = ["Pakistan"]', 'exited = ["India"]', "history.exited[0]", "unknown member 'India'"),
        ('lost = ["south_vietnam"', 'lost = ["saigon"', "history.lost[0]", "unknown flashpoint"),
        ("dissolved_year = 1977", "dissolved_year = 1990", "history.dissolved_year", "1990 needs"),
        ("years_per_step = 0.25", "years_per_step = 0", "years_per_step", "outside (0.0, 10.0]"),
        ("[history]\n", "[history]\nwhen = 1954\n", "history", "unknown field"),
    ],
)
def test_a_broken_history_or_calendar_is_refused(tmp_path, old, new, field, problem):
    assert old in SEATO, old
    path = tmp_path / "seato.toml"
    path.write_text(SEATO.replace(old, new, 1))
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    message = str(error.value)
    assert str(path) in message and field in message and problem in message, message


def test_invalid_toml_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("name = \n")
    with pytest.raises(ScenarioError, match="bad.toml: not valid TOML"):
        load(str(path))


def test_unknown_top_level_field_is_refused(tmp_path):
    path = broken(tmp_path, 'hub = "United States"', 'hubb = "United States"')
    with pytest.raises(ScenarioError, match=r"broken.toml: hubb: unknown field"):
        load(str(path))


def test_unknown_name_lists_the_shipped_scenarios():
    with pytest.raises(ScenarioError, match="unknown scenario 'atlantis'.*asia"):
        load("atlantis")


@pytest.mark.parametrize("value", ["as\nia", "mine\n/x.toml"])
def test_a_name_or_path_with_a_line_break_is_refused_in_one_line(value):
    with pytest.raises(ScenarioError) as error:
        load(value)
    assert "\n" not in str(error.value) and "\\n" in str(error.value), str(error.value)


def test_a_file_or_folder_named_like_a_shipped_scenario_does_not_hide_it(tmp_path, monkeypatch):
    """A value without ``.toml`` and without a path separator is a shipped scenario's name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asia").mkdir()
    (tmp_path / "europe").write_text("not a scenario")
    (tmp_path / "symmetric").mkdir()  # what symmetric_rising extends
    assert load("asia").source == str(SHIPPED_FOLDER / "asia.toml")
    assert load("europe").name == "europe"
    rising = load(str(SHIPPED_FOLDER / "symmetric_rising.toml"))
    assert rising.states == load("symmetric").states


def test_a_path_in_extends_is_read_relative_to_the_file_that_says_it(tmp_path, monkeypatch):
    (tmp_path / "parents").mkdir()
    (tmp_path / "parents" / "base").write_text((SHIPPED_FOLDER / "symmetric.toml").read_text())
    (tmp_path / "mine").mkdir()
    child = tmp_path / "mine" / "child.toml"
    child.write_text('extends = "../parents/base"\nname = "child"\n')
    (tmp_path / "elsewhere" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "elsewhere" / "deeper")  # where ../parents/base is no file
    assert load(str(child)).states == load("symmetric").states


def test_a_path_without_toml_on_the_command_line_is_read_from_the_current_folder(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "region").write_text(ASIA.replace('name = "asia"', 'name = "region"'))
    assert load("mine/region").name == "region"
    with pytest.raises(ScenarioError, match=r"^mine/other: no such scenario file"):
        load("mine/other")


# --- extends: a message names the file the faulty value comes from ---------------------------------


def write_toml(path: Path, document: dict) -> Path:
    path.write_text(tomli_w.dumps(document))
    return path


def refused_with(path: Path, start: str) -> None:
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    assert str(error.value).startswith(start), str(error.value)


def test_an_inherited_value_that_is_refused_names_the_file_it_comes_from(tmp_path):
    child = write_toml(tmp_path / "child.toml", {"extends": "seato", "name": "child", "history": {
        "start": 1954, "end": 1960, "structure": "collective", "obligation_mode": "conditional",
        "formed": True, "war": False}})  # seato's events lie after this shorter history
    refused_with(child, f"{child} (events from seato): events[0].year: 1963 is outside the run "
                        "(1954-1960)")


def test_a_field_of_a_merged_state_names_the_file_that_gave_it(tmp_path):
    symmetric = tomllib.loads((SHIPPED_FOLDER / "symmetric.toml").read_text())
    symmetric["states"][2]["hedging"] = 1.5  # Spoke B
    parent = write_toml(tmp_path / "parent.toml", symmetric)
    child = tmp_path / "child.toml"
    for states in ([{"name": "Spoke A", "hedging": 0.1}],  # Spoke B only in the parent
                   [{"name": "Spoke B", "stakes": {"a": 0.5}}]):  # merged, its hedging inherited
        write_toml(child, {"extends": "parent.toml", "name": "child", "states": states})
        refused_with(child, f"{child} (states[2] from {parent}): states[2] (Spoke B).hedging: 1.5 "
                            "is outside")
    write_toml(child, {"extends": "parent.toml", "name": "child",
                       "states": [{"name": "Spoke B", "hedging": 0.5, "stakes": {"b": 2.0}}]})
    refused_with(child, f"{child}: states[2] (Spoke B).stakes.b: 2.0 is outside")
    symmetric["states"][2]["stakes"]["c"] = 3.0
    write_toml(parent, symmetric)
    write_toml(child, {"extends": "parent.toml", "name": "child",
                       "states": [{"name": "Spoke B", "hedging": 0.5, "stakes": {"b": 0.5}}]})
    refused_with(child, f"{child} (states[2] from {parent}): states[2] (Spoke B).stakes.c: 3.0 is "
                        "outside")
    write_toml(child, {"extends": "parent.toml", "name": "child",
                       "states": [{"name": "Spoke B", "hedging": 0.5, "stakes": {"c": 0.5}}]})
    assert load(str(child)).states[2].stakes["c"] == 0.5


def test_a_parent_whose_states_are_not_tables_is_refused_naming_it(tmp_path):
    parent = write_toml(tmp_path / "parent.toml", {"name": "parent", "states": 5})
    child = write_toml(tmp_path / "child.toml", {"extends": "parent.toml", "name": "child",
                                                 "states": [{"name": "A"}]})
    refused_with(child, f"{child} (states from {parent}): states: must be a non-empty array of "
                        "tables")


@pytest.mark.parametrize(("key", "items", "problem"), [
    ("states", [{"name": 5}], "states[0].name: must be a non-empty string, got 5"),
    ("flashpoints", [{"id": ["a"]}], "flashpoints[0].id: must be a non-empty string, got ['a']"),
    ("challengers", [{"power": 5.0}], "challengers[0].name: missing (required)"),
    ("states", [1], "states[0]: must be a table, got 1"),
])
def test_an_item_of_a_child_without_a_name_is_refused_saying_what_is_wrong(tmp_path, key, items,
                                                                          problem):
    child = write_toml(tmp_path / "child.toml", {"extends": "symmetric", "name": "child", key: items})
    refused_with(child, f"{child}: {problem}")


@pytest.mark.parametrize(("extends", "problem"), [
    ("nonexist.toml", "{folder}/nonexist.toml: no such scenario file"),
    ("atlantis", "unknown scenario 'atlantis': give a shipped name (asia, "),
])
def test_a_missing_parent_is_refused_naming_the_extends_field(tmp_path, extends, problem):
    child = write_toml(tmp_path / "child.toml", {"extends": extends, "name": "child"})
    refused_with(child, f"{child}: extends: {problem.format(folder=tmp_path)}")


def test_divergence_zero_shares_the_targets_stakes_and_red_lines(asia):
    model = DeterrenceModel(asia, "none", rng=0, red_line_divergence=0.0)
    f = next(fp for fp in model.flashpoints if fp.id == "senkaku")
    target = f.target
    for state in model.states:
        if state.is_hub:
            continue  # the hub keeps its own values (docs/ODD.md, Entities)
        assert state.stakes[f.index] == pytest.approx(target.stakes[f.index])
        assert state.red_lines[f.index] == pytest.approx(target.red_lines[f.index])


def test_divergence_one_leaves_only_own_flashpoints(asia):
    from model.rules import NEVER

    model = DeterrenceModel(asia, "none", rng=0, red_line_divergence=1.0)
    for f in model.flashpoints:
        for state in model.states:
            if state.is_hub or state is f.target:
                continue
            assert state.stakes[f.index] == 0.0
            assert state.red_lines[f.index] == NEVER


def test_mean_hedging_shifts_the_non_hub_states(asia):
    base = DeterrenceModel(asia, "none", rng=0)
    shifted = DeterrenceModel(asia, "none", rng=0, mean_hedging=base.params["mean_hedging"] + 0.1)
    for a, b in zip(base.states, shifted.states, strict=True):
        if a.is_hub:
            assert b.hedging == a.hedging
        else:
            assert b.hedging == pytest.approx(min(1.0, a.hedging + 0.1))
