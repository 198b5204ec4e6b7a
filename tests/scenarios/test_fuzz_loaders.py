"""Fuzzed scenario and experiment files: every document is either refused with the project's
validation error or loads and runs; no other exception escapes the loaders.

Valid documents are generated from the format's rules; broken ones by one mutation of a valid
document (a field dropped, a value of another type or out of range, an unknown field, a wrong
parameter). Documents are written with tomli_w and read back by the real loaders.
"""

from __future__ import annotations

import math

import pytest
import tomli_w
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from experiments.design import ExperimentError
from experiments.design import load as load_experiment
from experiments.evaluate import evaluate
from model import DeterrenceModel
from model.parameters import PARAMETERS, STRUCTURES
from scenarios import ScenarioError
from scenarios import load as load_scenario

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TUNABLE = [p for p in PARAMETERS if p.name != "structure"]

unit = st.floats(0.0, 1.0)
text = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=12)
"""Free text of one line (a description, a source, a note)."""
location = st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
anything = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.text(max_size=3),
                                                                                   st.integers(), max_size=2),
    st.dates(), st.just([[1, 2], "x"]),
)


def parameter_value(parameter):
    if parameter.kind == "categorical":
        return st.sampled_from(parameter.choices)
    if parameter.kind == "integer":
        return st.integers(int(parameter.low), int(parameter.high))
    return st.floats(parameter.low, parameter.high)


parameters = st.lists(st.sampled_from(TUNABLE), max_size=3, unique_by=lambda p: p.name).flatmap(
    lambda chosen: st.fixed_dictionaries({p.name: parameter_value(p) for p in chosen}))


@st.composite
def scenarios(draw) -> dict:
    """A scenario document the format allows."""
    n_states = draw(st.integers(1, 4))
    n_challengers = draw(st.integers(1, 2))
    n_flashpoints = draw(st.integers(1, 4))
    names = [f"S{k}" for k in range(n_states)]
    fp_ids = [f"f{k}" for k in range(n_flashpoints)]
    per_fp = st.dictionaries(st.sampled_from(fp_ids), unit, max_size=n_flashpoints)
    red_lines = st.dictionaries(st.sampled_from(fp_ids), st.floats(0.01, 1.0), max_size=n_flashpoints)
    states = [{"name": name, "power": draw(st.floats(0.1, 1000)), "hedging": draw(unit),
               "location": draw(location), "available_share": draw(st.floats(0.01, 1.0)),
               "stakes": draw(per_fp), "red_lines": draw(red_lines), "note": draw(text)}
              for name in names]
    challengers = [{"name": f"C{k}", "power": draw(st.floats(0.1, 1000)), "location": draw(location),
                    "great_power": draw(st.booleans())} for k in range(n_challengers)]
    flashpoints = []
    for fid in fp_ids:
        flashpoints.append({
            "id": fid, "target": draw(st.sampled_from(names)),
            "challenger": f"C{draw(st.integers(0, n_challengers - 1))}", "value": draw(unit),
            "theatre": draw(st.sampled_from(["maritime", "land"])), "location": draw(location),
            "rate": draw(unit), "neighbours": draw(st.lists(st.sampled_from(fp_ids), unique=True)
                                                   .map(lambda ns, fid=fid: [n for n in ns if n != fid])),
            "target_may_provoke": draw(st.booleans()),
            "options": draw(st.lists(st.sampled_from(["probe", "limited", "major"]), min_size=1,
                                     unique=True)),
        })
    members = draw(st.lists(st.sampled_from(names), unique=True))
    document = {"name": "fuzz", "description": draw(text), "states": states, "challengers": challengers,
                "flashpoints": flashpoints, "members": members,
                "baseline_divergence": draw(unit), "parameters": draw(parameters)}
    if draw(st.booleans()):  # time: power trends, a flashpoint closed at the start, events
        start = draw(st.integers(1900, 2100))
        document["start_year"] = start
        rate = st.floats(-0.5, 0.5)
        for actor in [*states, *challengers]:
            if draw(st.booleans()):
                years = draw(st.lists(st.integers(start - 5, start + 20), min_size=1, max_size=3,
                                      unique=True).map(sorted))
                actor["growth"] = (draw(rate) if draw(st.booleans())
                                   else [[year, draw(rate)] for year in years])
                actor["growth_source"] = "assumption: fuzz"
        for flashpoint in flashpoints:
            if draw(st.booleans()):
                flashpoint["closed"] = draw(st.booleans())
        events = [draw(event(start, names, [c["name"] for c in challengers], flashpoints))
                  for _ in range(draw(st.integers(0, 3)))]
        crises: set[tuple[str, int]] = set()  # one crisis a flashpoint and a year (a step)
        document["events"] = []
        for e in events:
            if e["kind"] == "crisis":
                if (e["flashpoint"], e["year"]) in crises:
                    continue
                crises.add((e["flashpoint"], e["year"]))
            document["events"].append(e)
    if members and draw(st.booleans()):
        document["hub"] = draw(st.sampled_from(members))
    if len(members) >= 2 and draw(st.booleans()):
        document["minilateral"] = [members[:2]]
    return document


@st.composite
def event(draw, start: int, states: list[str], challengers: list[str], flashpoints: list[dict]
          ) -> dict:
    """A scheduled event the format allows."""
    kinds = ["hedging", "red_line", "stake", "exposure", "open", "close", "restore", "crisis"]
    if len(states) > 1:
        kinds.append("affinity")
    kind = draw(st.sampled_from(kinds))
    fp = draw(st.sampled_from(flashpoints))
    table = {"year": draw(st.integers(start, start + 5)), "kind": kind, "source": draw(text),
             "note": draw(text)}
    if kind in ("hedging", "red_line", "stake", "exposure", "affinity"):
        table["state"] = draw(st.sampled_from(states))
    if kind in ("red_line", "stake", "open", "close", "restore", "crisis"):
        table["flashpoint"] = fp["id"]
    if kind == "exposure":
        table["challenger"] = draw(st.sampled_from(challengers))
    if kind == "affinity":
        table["other"] = draw(st.sampled_from([n for n in states if n != table["state"]]))
        table["value"] = draw(st.floats(-1.0, 1.0))
    elif kind == "red_line":
        table["value"] = draw(st.floats(0.01, 1.0))
    elif kind in ("hedging", "stake", "exposure"):
        table["value"] = draw(unit)
    if kind == "crisis":
        table["severity"] = draw(st.sampled_from(fp["options"]))
    return table


def paths(document, prefix=()):
    """Every (path, value) inside a document, tables and arrays included."""
    yield prefix, document
    if isinstance(document, dict):
        for key, value in document.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(document, list):
        for k, value in enumerate(document):
            yield from paths(value, (*prefix, k))


@st.composite
def mutated(draw, documents) -> dict:
    """A valid document with one thing broken."""
    import copy

    document = copy.deepcopy(draw(documents))
    targets = [path for path, _ in paths(document) if path]
    path = draw(st.sampled_from(targets))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    action = draw(st.sampled_from(["drop", "replace", "unknown"]))
    if action == "drop" and isinstance(parent, dict):
        del parent[key]
    elif action == "unknown" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=6))] = draw(anything.filter(lambda v: v is not None))
    else:
        value = draw(anything)
        if value is None:  # TOML has no null: drop instead
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        else:
            parent[key] = value
    return document


def write(folder, document, name="doc.toml"):
    path = folder / name
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def runs_a_few_steps(scenario) -> None:
    for structure in STRUCTURES:
        try:
            model = DeterrenceModel(scenario, structure, rng=1, collect=False)
        except ValueError as error:  # the one refusal the model makes of a valid scenario
            assert scenario.hub is None and "needs a hub" in str(error), error
            continue
        metrics = model.run(9)  # into the third year: two turns of the calendar
        assert metrics["steps"] == 9
        assert all(not isinstance(v, float) or not math.isinf(v) for v in metrics.values())


def in_order(*tables) -> bool:
    """The one cross-parameter rule the model declares: the severities must increase."""
    values = {"severity_probe": 0.2, "severity_limited": 0.5, "severity_major": 1.0}
    for table in tables:
        values.update({k: v for k, v in table.items() if k in values})
    return values["severity_probe"] < values["severity_limited"] < values["severity_major"]


@SETTINGS
@given(document=scenarios())
def test_every_valid_scenario_loads_and_runs(tmp_path_factory, document):
    path = write(tmp_path_factory.mktemp("scenario"), document)
    if not in_order(document["parameters"]):
        with pytest.raises(ScenarioError, match="parameters: .*must increase"):
            load_scenario(str(path))
        return
    runs_a_few_steps(load_scenario(str(path)))


@SETTINGS
@given(document=mutated(scenarios()))
def test_a_broken_scenario_is_refused_with_the_validation_error_or_runs(tmp_path_factory, document):
    path = write(tmp_path_factory.mktemp("scenario"), document)
    try:
        scenario = load_scenario(str(path))
    except ScenarioError as error:
        assert str(error).startswith(f"{path}: "), error
        assert "\n" not in str(error)
        return
    runs_a_few_steps(scenario)


@SETTINGS
@given(data=st.data(), broken_parent=st.booleans(),
       keys=st.sets(st.sampled_from(["states", "challengers", "flashpoints", "members", "parameters",
                                     "events", "start_year"])))
def test_a_broken_scenario_split_over_extends_is_refused_naming_the_file_loaded_or_runs(
        tmp_path_factory, data, broken_parent, keys):
    """A valid and a broken document, one the parent and the other (some of its keys) a child that
    extends it: refused with the validation error, starting with the child's file, or it runs."""
    valid = data.draw(scenarios())
    broken = data.draw(mutated(st.just(valid)))
    parent, given = (broken, valid) if broken_parent else (valid, broken)
    folder = tmp_path_factory.mktemp("scenario")
    write(folder, parent, "parent.toml")
    child = write(folder, {"extends": "parent.toml", "name": "child",
                           **{key: given[key] for key in keys if key in given}}, "child.toml")
    try:
        scenario = load_scenario(str(child))
    except ScenarioError as error:
        assert str(error).startswith((f"{child}: ", f"{child} (")), error
        assert "\n" not in str(error)
        return
    runs_a_few_steps(scenario)


@st.composite
def experiments(draw) -> dict:
    """An experiment document the format allows (on the shipped asia scenario)."""
    numeric = [p for p in TUNABLE if p.kind != "categorical" and p.role == "uncertainty"]
    document = {
        "scenario": "asia", "replicates": draw(st.integers(1, 3)), "steps": draw(st.integers(1, 4)),
        "master_seed": draw(st.integers(0, 2**63 - 1)),
        "structures": draw(st.lists(st.sampled_from(STRUCTURES), min_size=1, unique=True)),
    }
    fixed = draw(parameters)
    kind = draw(st.sampled_from(["none", "single", "full_factorial", "latin_hypercube", "points"]))
    factors = draw(st.lists(st.sampled_from(numeric), min_size=1, max_size=2, unique_by=lambda p: p.name)
                   .filter(lambda fs: not {f.name for f in fs} & set(fixed)))
    if kind == "full_factorial":
        document["design"] = {"kind": kind, "factors": {
            f.name: {"low": f.low, "high": f.high, "levels": draw(st.integers(1, 3))} for f in factors}}
    elif kind == "latin_hypercube":
        document["design"] = {"kind": kind, "samples": draw(st.integers(1, 4)),
                              "factors": {f.name: {} for f in factors}}
    elif kind == "points":
        document["design"] = {"kind": kind, "points": [{f.name: draw(parameter_value(f)) for f in factors}]}
    elif kind == "single":
        document["design"] = {"kind": kind}
    if fixed:
        document["fixed"] = fixed
    if draw(st.booleans()):
        document["quick"] = {"replicates": 1, "steps": 2}
    return document


def runs_first_specs(experiment) -> None:
    import dataclasses

    for spec in experiment.runs()[:2]:
        spec = dataclasses.replace(spec, steps=min(spec.steps, 3))  # a few steps, whatever the file asks
        row = evaluate(spec)
        assert row["run_id"] == spec.run_id and row["steps"] == spec.steps


def severities_in_order(document) -> bool:
    return all(in_order(document.get("fixed", {}), point)
               for point in document.get("design", {}).get("points", [{}]))


@SETTINGS
@given(document=experiments())
def test_every_valid_experiment_loads_and_runs(tmp_path_factory, document):
    path = write(tmp_path_factory.mktemp("experiment"), document)
    try:
        experiment = load_experiment(path, quick="quick" in document)
    except ExperimentError as error:  # only the declared cross-parameter rule may refuse it
        assert not severities_in_order(document), error
        assert "must increase" in str(error)
        return
    runs_first_specs(experiment)


@SETTINGS
@given(document=mutated(experiments()), quick=st.booleans())
def test_a_broken_experiment_is_refused_with_the_validation_error_or_runs(tmp_path_factory, document,
                                                                          quick):
    path = write(tmp_path_factory.mktemp("experiment"), document)
    try:
        experiment = load_experiment(path, quick=quick)
    except ExperimentError as error:
        assert str(error).startswith(f"{path}: "), error
        assert "\n" not in str(error)
        return
    runs_first_specs(experiment)


@pytest.mark.parametrize("kind", ["none", "single", "full_factorial", "latin_hypercube", "points"])
def test_the_generators_make_valid_documents_of_every_kind(tmp_path, kind):
    """The valid generators are not vacuous: each kind of design can be generated, and it loads."""
    search = settings(max_examples=2000, database=None, derandomize=True)
    def wanted(d):
        return d.get("design", {}).get("kind", "none") == kind and severities_in_order(d)

    document = find(experiments(), wanted, settings=search)
    load_experiment(write(tmp_path, document), quick="quick" in document)


def test_the_scenario_generator_makes_scenarios_with_a_hub(tmp_path):
    search = settings(max_examples=2000, database=None, derandomize=True)
    document = find(scenarios(), lambda d: "hub" in d and in_order(d["parameters"]), settings=search)
    load_scenario(str(write(tmp_path, document)))
