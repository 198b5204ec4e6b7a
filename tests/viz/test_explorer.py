"""The results explorer's data and the replay of stored runs (no browser)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis.phase import PHASE_METRICS, phase_table
from analysis.results import load
from analysis.statistics import summary
from model import DeterrenceModel
from scenarios import load as load_scenario
from viz import explorer
from viz.replay import ReplayError, compare, replay, same


def test_listing_shows_every_experiment_of_a_folder(tiny_results, tmp_path):
    entries = explorer.listing(tiny_results)
    assert [e.name for e in entries] == ["tiny-quick"]
    assert entries[0].results is not None and entries[0].problem is None
    assert explorer.listing(tmp_path / "nothing-here") == []
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    (broken / "runs.csv").write_text("run_id\n")
    (entry,) = explorer.listing(tmp_path)
    assert entry.results is None and "manifest.json: cannot be read" in entry.problem


def test_phase_cells_are_the_analysis_phase_table_with_their_design_points(tiny_results):
    results = load(tiny_results / "tiny-quick")
    axes = explorer.phase_axes(results)
    assert axes == ("red_line_divergence", "mean_hedging")
    cells = explorer.phase_cells(results, *axes)
    reference = phase_table(results.runs, *axes, PHASE_METRICS)
    assert len(cells) == len(reference) == 4 * len(PHASE_METRICS)
    merged = cells.merge(reference, on=[*axes, "metric"], suffixes=("", "_reference"))
    for column in ("delta", "low", "high", "n", "mean_collective", "mean_hub_and_spoke"):
        pd.testing.assert_series_equal(merged[column], merged[f"{column}_reference"],
                                       check_names=False)
    for record in cells.to_dict("records"):
        runs = results.runs
        at = runs[(runs[axes[0]] == record[axes[0]]) & (runs[axes[1]] == record[axes[1]])]
        assert set(at["point"]) == {record["point"]}


def test_a_phase_cell_shows_its_numbers_and_interval_on_hover(tiny_results):
    results = load(tiny_results / "tiny-quick")
    axes = explorer.phase_axes(results)
    spec = explorer.phase_spec(results, *axes, explorer.phase_cells(results, *axes))
    json.dumps(spec, allow_nan=False)  # the browser gets strict JSON
    assert len(spec["concat"]) == len(PHASE_METRICS)
    heat = spec["concat"][0]["layer"][0]
    titles = [t["title"] for t in heat["encoding"]["tooltip"]]
    assert titles == ["metric", "red_line_divergence", "mean_hedging", "collective",
                      "hub-and-spoke", "Δ (paired)", "95 % interval", "pairs", "design point"]
    rows = spec["concat"][0]["data"]["values"]
    assert {r["metric"] for r in rows} == {PHASE_METRICS[0]}
    assert all(r["interval"].startswith("[") or r["interval"] == "undetermined" for r in rows)


def test_headline_is_the_analysis_summary(tiny_results):
    results = load(tiny_results / "tiny-quick")
    table = explorer.headline(results)
    reference = summary(results.runs, list(dict.fromkeys(table["metric"])), by=["scenario", "structure"])
    pd.testing.assert_frame_equal(table.reset_index(drop=True), reference.reset_index(drop=True))
    spec = explorer.headline_spec(results, table)
    json.dumps(spec, allow_nan=False)
    assert len(spec["concat"]) == table["metric"].nunique()


def test_point_table_has_one_row_per_design_point(tiny_results):
    results = load(tiny_results / "tiny-quick")
    table = explorer.point_table(results)
    assert list(table["point"]) == [0, 1, 2, 3]
    assert list(table.columns[:4]) == ["scenario", "point", "red_line_divergence", "mean_hedging"]
    runs = results.runs
    at = runs[(runs["point"] == 2) & (runs["structure"] == "collective")]
    assert table.loc[2, "stable · collective"] == at["stable"].mean()


def test_replay_reproduces_every_stored_run_exactly(tiny_results):
    results = load(tiny_results / "tiny-quick")
    runs = results.runs
    for (scenario, point, replicate), _ in runs.groupby(["scenario", "point", "replicate"]):
        found = replay(results, scenario, point, replicate, ("hub_and_spoke", "collective"))
        assert found.factors == {
            f: runs[(runs["point"] == point)][f].iloc[0] for f in ("red_line_divergence",
                                                                    "mean_hedging")}
        for structure, stored in zip(found.structures, found.stored, strict=True):
            model = DeterrenceModel(load_scenario(found.scenario), structure, rng=found.seed,
                                    **found.parameters)
            model.run(found.steps)
            checks = compare(stored, model.metrics())
            assert len(checks) >= 40
            assert all(ok for *_, ok in checks), [c for c in checks if not c[3]]


def test_replay_names_what_is_missing(tiny_results):
    results = load(tiny_results / "tiny-quick")
    with pytest.raises(ReplayError, match="no stored run of lattice at scenario asia, point 0"):
        replay(results, "asia", 0, 0, ("hub_and_spoke", "lattice"))
    with pytest.raises(ReplayError, match="replicate 9"):
        replay(results, "asia", 0, 9, ("hub_and_spoke", "collective"))


def test_same_is_exact_and_treats_undefined_values_as_equal():
    assert same(0.1 + 0.2, 0.30000000000000004)
    assert not same(0.1 + 0.2, 0.3)
    assert same(math.nan, None) and same(None, math.nan)
    assert not same(math.nan, 0.0)
    assert same(2, 2.0)
    assert compare({"a": 1.0, "b": math.nan, "c": 3.0}, {"a": 1.0, "b": math.nan}) == [
        ("a", 1.0, 1.0, True), ("b", pytest.approx(math.nan, nan_ok=True), pytest.approx(
            math.nan, nan_ok=True), True)]
