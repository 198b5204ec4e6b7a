"""Each concept is declared once, and what reads the declarations cannot fall out of step with them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model import DeterrenceModel, draws
from model.observations import METRICS, RUN_METRICS, run_metrics
from model.parameters import OBLIGATION_MODES, PARAMETERS, resolve
from model.structure import COMPARED, KINDS, NAMES, STRUCTURES, EdgeKind, build
from scenarios import load
from tests.support.golden_runs import FILE, run

GOLDEN = json.loads(FILE.read_text(encoding="utf-8"))["runs"]


def test_run_metrics_returns_exactly_the_declared_metrics_in_order(asia):
    model = DeterrenceModel(asia, "lattice", rng=2, collect=False)
    model.run(30)
    assert list(run_metrics(model)) == [m.name for m in METRICS] == list(RUN_METRICS)


def test_every_declared_metric_has_a_kind_section_label_and_unit():
    assert len({m.name for m in METRICS}) == len(METRICS)
    for metric in METRICS:
        assert metric.kind in ("count", "share", "rate", "flag", "size", "step", "names", "timeline")
        assert metric.label and metric.unit and metric.section
        assert metric.better in (None, "higher", "lower")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("mode", OBLIGATION_MODES)
def test_every_structure_builds_only_its_declared_edge_kinds(asia, name, mode):
    graph = build(asia, name, mode, 0.5, 0.25)
    kinds = {EdgeKind(k) for _, _, _, k, _ in graph.edges()}
    assert kinds <= set(STRUCTURES[name].edge_kinds)
    assert bool(kinds) == bool(STRUCTURES[name].edge_kinds)
    assert set(STRUCTURES[name].edge_kinds) <= set(KINDS)


def test_the_structure_parameter_offers_exactly_the_declared_structures():
    parameter = next(p for p in PARAMETERS if p.name == "structure")
    assert parameter.choices == NAMES == tuple(STRUCTURES)


def test_the_compared_pair_is_declared_once_and_what_defaults_to_it_reads_it():
    import inspect

    from analysis import phase, statistics
    from sensitivity import study
    from viz.comparison import Comparison
    from viz.controls import Settings
    from viz.explorer import PHASE_PAIR

    assert COMPARED == ("hub_and_spoke", "collective") and set(COMPARED) <= set(NAMES)
    assert statistics.BASELINE == COMPARED[0] and PHASE_PAIR == (COMPARED[1], COMPARED[0])
    assert Settings().structures == COMPARED
    defaults = inspect.signature(Comparison).parameters
    assert (defaults["left"].default, defaults["right"].default) == COMPARED
    assert inspect.signature(phase.phase_table).parameters["a"].default == COMPARED[1]
    assert inspect.signature(study.make_study).parameters["structures"].default == COMPARED


def test_a_structure_that_needs_a_hub_is_refused_without_one(duel_scenario):
    from dataclasses import replace

    hubless = replace(duel_scenario, hub=None)
    for name, structure in STRUCTURES.items():
        if structure.needs_hub:
            with pytest.raises(ValueError, match="needs a hub"):
                DeterrenceModel(hubless, name, rng=1)
        else:
            DeterrenceModel(hubless, name, rng=1).run(3)


def test_resolved_parameters_are_read_only_and_fill_the_scenario_defaults(asia):
    params = resolve(asia, {"theatre_coupling": 0.4})
    assert params.theatre_coupling == params["theatre_coupling"] == 0.4
    assert params["red_line_divergence"] == asia.baseline_divergence
    assert params["mean_hedging"] == asia.file_mean_hedging()
    hub = next(s for s in asia.states if s.name == asia.hub)
    assert params["hub_hedging"] == hub.hedging
    assert params["hub_stake"] == asia.parameters["hub_stake"]  # asia sets it (calibrated)
    from dataclasses import replace

    unset = resolve(replace(asia, parameters={}), {})
    assert unset["hub_stake"] is None  # unset: the hub keeps the file's per-flashpoint stakes
    with pytest.raises(TypeError, match="read-only"):
        params["quorum"] = 0.9
    with pytest.raises(TypeError, match="read-only"):
        params.update(quorum=0.9)
    with pytest.raises(TypeError, match="read-only"):
        params.quorum = 0.9


def test_the_model_never_writes_its_parameters(asia):
    model = DeterrenceModel(asia, "collective", rng=4, opportunity_scale=3, accommodation=0.5,
                            exit_threshold=0.3)
    before = dict(model.params)
    model.run(100)
    assert dict(model.params) == before


def test_mesa_generators_cannot_be_used_by_accident(asia):
    model = DeterrenceModel(asia, "collective", rng=1)
    with pytest.raises(RuntimeError, match="draw random numbers by name"):
        model.rng.random()
    with pytest.raises(RuntimeError, match="draw random numbers by name"):
        model.random.random()
    with pytest.raises(RuntimeError, match="draw random numbers by name"):
        model.states[0].rng.random()


def test_an_undeclared_draw_is_refused(asia):
    model = DeterrenceModel(asia, "collective", rng=1)
    with pytest.raises(KeyError, match="no random draw named 'nonsense'"):
        model.draws.uniform("nonsense")


@pytest.mark.parametrize("when", ["crisis", "start"])
def test_adding_a_named_draw_leaves_existing_runs_unchanged(monkeypatch, when):
    extra = draws.Draw("a_new_decision", ("flashpoint", "hop", "state"), when, "a test purpose")
    cases = [c for c in GOLDEN if c["seed"] in (1, 4) and c["structure"] != "none"][:12]
    monkeypatch.setattr(draws, "DRAWS", (*draws.DRAWS, extra))
    probe = DeterrenceModel(load(cases[0]["scenario"]), "collective", rng=1)
    probe.draws.new_crisis_step()
    assert 0.0 <= probe.draws.uniform("a_new_decision", flashpoint=0, state=1) < 1.0
    for case in cases:
        result = run(case)
        assert {k: result["metrics"][k] for k in case["metrics"]} == case["metrics"]
        assert result["crises"] == case["crises"]


def test_a_new_draw_has_numbers_of_its_own_the_same_under_every_structure(asia):
    extra = draws.Draw("a_new_decision", ("state",), "start", "a test purpose")
    numbers = {}
    for structure in NAMES:
        seed, _, made = draws.streams(7, len(asia.flashpoints), 3, len(asia.states),
                                      (*draws.DRAWS, extra))
        numbers[structure] = [made.uniform("a_new_decision", state=i) for i in range(len(asia.states))]
    assert len({tuple(v) for v in numbers.values()}) == 1
    assert len(set(numbers["none"])) == len(asia.states)
    assert all(0.0 <= x < 1.0 for x in numbers["none"])
    assert not np.allclose(numbers["none"][0], numbers["none"][1])
