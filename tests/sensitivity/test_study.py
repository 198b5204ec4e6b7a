"""A stored sensitivity study: runs, samples, plan and manifest in the results store; the indices
made from the stored files; resume; determinism; refusal of a changed definition."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.results import ResultsError
from analysis.sensitivity import analyse_folder, is_study, load_study, runs_by_point
from experiments.evaluate import SerialEvaluator
from experiments.store import StoreError, read_runs
from scenarios import load
from sensitivity import analyse, evaluate
from sensitivity.outcomes import model_function
from sensitivity.problem import Factor, Problem, declared_problem
from sensitivity.sampling import Design
from sensitivity.study import PLAN, SAMPLES, Study, make_study, open_store, run_study

FACTORS = ["theatre_coupling", "red_line_divergence", "max_spread_hops"]


def tiny(**changes):
    settings = dict(n=2, seed=5, replicates=2, steps=12, problem=declared_problem(FACTORS))
    settings.update(changes)
    return make_study("morris", **settings)


def test_runs_pair_structures_and_points_on_replicate_seeds():
    study = tiny()
    runs = study.runs()
    assert len(runs) == len(study.design) * 2 * 2
    seeds = study.seeds()
    assert len(set(seeds)) == 2
    points = study.design.points()
    for spec in runs:
        assert spec.seed == seeds[spec.replicate]
        assert spec.parameters == points[spec.point]
    assert {spec.structure for spec in runs} == {"hub_and_spoke", "collective"}


def test_a_study_stores_runs_samples_plan_and_manifest(tmp_path):
    study = tiny()
    report = run_study(study, tmp_path, workers=1, progress=False)
    assert report.status == "complete" and report.finished == len({s.run_id for s in study.runs()})
    folder = tmp_path / study.name
    assert is_study(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["kind"] == "sensitivity" and manifest["status"] == "complete"
    assert manifest["design"]["method"] == "morris" and manifest["design"]["factors"] == FACTORS
    samples = pd.read_csv(folder / SAMPLES, index_col="point")
    np.testing.assert_array_equal(samples.to_numpy(), study.design.samples)
    pd.testing.assert_frame_equal(pd.read_csv(folder / PLAN), study.plan())
    stored = load_study(folder)
    np.testing.assert_array_equal(stored.design.samples, study.design.samples)
    assert stored.design.problem == study.design.problem
    analysis = analyse_folder(folder)
    assert set(analysis.indices.parameter) == set(FACTORS)
    assert set(analysis.summary.outcome) == {  # the default outcomes, per structure and as the gap
        name for metric in ("stable_cohesive", "stable", "formed", "deterrence_rate")
        for name in (f"{metric}[hub_and_spoke]", f"{metric}[collective]", f"delta_{metric}")}


def test_stored_indices_equal_the_in_memory_pipeline(tmp_path):
    study = tiny()
    run_study(study, tmp_path, workers=1, progress=False)
    stored = analyse_folder(tmp_path / study.name)
    outputs = evaluate(study.design, model_function(load("asia"), study.steps),
                       replicate_seeds=study.seeds())
    direct = analyse(study.design, outputs, seed=study.design.seed)
    pd.testing.assert_frame_equal(stored.indices, direct.indices)
    pd.testing.assert_frame_equal(stored.summary, direct.summary)


def test_same_seed_same_indices(tmp_path):
    first = run_study(tiny(), tmp_path / "a", workers=1, progress=False)
    again = run_study(tiny(), tmp_path / "b", workers=1, progress=False)
    assert analyse_folder(first.folder).indices.equals(analyse_folder(again.folder).indices)
    assert not np.array_equal(tiny().design.samples, tiny(seed=6).design.samples)


def test_an_interrupted_study_resumes_to_exactly_the_uninterrupted_rows(tmp_path):
    study = tiny()
    whole = run_study(study, tmp_path / "whole", workers=1, progress=False)
    specs = list({spec.run_id: spec for spec in study.runs()}.values())
    store = open_store(study, tmp_path / "cut")
    with SerialEvaluator() as evaluator:
        for k, row in enumerate(evaluator.map(specs)):
            store.append(row)
            if k == 9:
                break
    store.close("interrupted")
    folder = tmp_path / "cut" / study.name
    with pytest.raises(ResultsError, match=f"10 of {len(specs)} runs finished; give the same"):
        analyse_folder(folder)
    resumed = run_study(study, tmp_path / "cut", workers=1, progress=False)
    assert resumed.added == len(specs) - 10
    a = read_runs(whole.folder).sort_values("run_id").reset_index(drop=True)
    b = read_runs(folder).sort_values("run_id").reset_index(drop=True)
    assert not b.run_id.duplicated().any()
    pd.testing.assert_frame_equal(a, b)
    assert run_study(study, tmp_path / "cut", workers=1, progress=False).added == 0


def test_a_changed_definition_is_refused_or_written_apart(tmp_path):
    run_study(tiny(), tmp_path, workers=1, progress=False)
    changed = tiny(replicates=3)
    assert changed.name == tiny().name
    with pytest.raises(StoreError, match="never mixed"):
        run_study(changed, tmp_path, workers=1, progress=False)
    report = run_study(changed, tmp_path, workers=1, progress=False, new=True)
    assert report.folder.name == f"{changed.name}-2"


def test_points_that_make_the_same_run_share_it(tmp_path):
    # 0.1 and 0.5 both fall in max_spread_hops' first sixth: the same model input, the same run
    problem = Problem((Factor("max_spread_hops", 0, 5, integer=True),))
    design = Design("sobol", problem, 1, 3, samples=np.array([[0.1], [0.5], [4.9]]))
    study = Study(design, "asia", ("hub_and_spoke", "collective"), 2, 10)
    run_study(study, tmp_path, workers=1, progress=False)
    folder = tmp_path / study.name
    assert len(read_runs(folder)) == 2 * 2 * 2  # two distinct inputs (0 and 5), not three
    runs = runs_by_point(load_study(folder))
    assert len(runs) == 3 * 2 * 2 and (runs["_merge"] == "both").all()
    first, second = (runs[runs.point == p].sort_values(["structure", "replicate"]) for p in (0, 1))
    assert first.wars.tolist() == second.wars.tolist()


def test_a_folder_that_is_not_a_study_is_refused(tmp_path):
    with pytest.raises(ResultsError, match="no manifest.json"):
        analyse_folder(tmp_path)
    assert not is_study(tmp_path)


def test_serial_and_parallel_studies_give_the_same_indices(tmp_path):
    serial = run_study(tiny(), tmp_path / "serial", workers=1, progress=False)
    parallel = run_study(tiny(), tmp_path / "parallel", workers=2, progress=False)
    assert parallel.workers == 2
    a = read_runs(serial.folder).drop(columns="run_id").sort_values(["point", "structure", "replicate"])
    b = read_runs(parallel.folder).drop(columns="run_id").sort_values(["point", "structure", "replicate"])
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    pd.testing.assert_frame_equal(analyse_folder(serial.folder).indices,
                                  analyse_folder(parallel.folder).indices)


def test_second_order_study_gives_pair_indices_and_their_figure(tmp_path):
    from analysis.sensitivity_figures import make_figures

    study = make_study("sobol", 4, seed=2, replicates=2, steps=10, second_order=True,
                       problem=declared_problem(FACTORS))
    assert len(study.design) == 4 * (2 * 3 + 2)
    report = run_study(study, tmp_path, workers=1, progress=False)
    analysis = analyse_folder(report.folder)
    pairs = analysis.indices[analysis.indices["index"] == "S2"]
    assert len(pairs) == 12 * 3  # twelve outcomes (four metrics, two structures and the gap) x three pairs
    files = {path.name for path in make_figures(report.folder, analysis)}
    assert {"sobol_overview.pdf", "indices.csv"} <= files
    # a pair figure for every outcome that varied in the study (the others have no indices)
    varied = [o for o in analysis.summary.outcome if not analysis.table(o, "ST").value.isna().all()]
    assert varied
    assert len({f for f in files if f.startswith("sobol_s2_") and f.endswith(".png")}) == len(varied)
