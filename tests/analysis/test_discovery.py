"""Scenario discovery (PRIM, :mod:`analysis.discovery`) on a problem whose box is known, and
``python run.py discover --quick`` as a user types it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.discovery import (
    TARGETS,
    THRESHOLD,
    box_table,
    clear_points,
    discover,
    noise_share,
    point_table,
    strongest,
)
from tests.support.project import ROOT


def known_box(noise: float, seed: int = 1, n: int = 1000) -> tuple[pd.DataFrame, np.ndarray]:
    """y = 1 inside x1 > 0.7 and x2 < 0.3 (with ``noise`` of the labels flipped), x3 irrelevant."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"x1": rng.random(n), "x2": rng.random(n), "x3": rng.random(n)})
    inside = ((x["x1"] > 0.7) & (x["x2"] < 0.3)).to_numpy()
    flipped = rng.random(n) < noise
    return x, inside ^ flipped


def test_prim_recovers_a_known_box():
    x, y = known_box(noise=0.03)
    found = discover(x, y, TARGETS[0])
    assert found.boxes, "no box found"
    box = found.boxes[0]
    assert set(box.limits) == {"x1", "x2"}  # x3 is not restricted
    low1, high1, _ = box.limits["x1"]
    low2, high2, _ = box.limits["x2"]
    assert 0.6 <= low1 <= 0.75 and high1 > 0.95
    assert low2 < 0.05 and 0.25 <= high2 <= 0.4
    assert box.density >= THRESHOLD and box.coverage > 0.6
    table = box_table([found])
    assert set(table["parameter"].dropna()) == {"x1", "x2"}


def test_no_box_is_forced_where_the_cases_are_scattered():
    rng = np.random.default_rng(2)
    x = pd.DataFrame({"x1": rng.random(600), "x2": rng.random(600)})
    found = discover(x, rng.random(600) < 0.2, TARGETS[0])
    assert found.boxes == []
    assert box_table([found])["box"].tolist() == [0]


def test_point_table_pairs_structures_on_replicates():
    runs = pd.DataFrame({
        "scenario": ["s"] * 8, "point": [0, 0, 0, 0, 1, 1, 1, 1],
        "replicate": [0, 0, 1, 1, 0, 0, 1, 1],
        "structure": ["collective", "hub_and_spoke"] * 4,
        "stable_cohesive": [1, 0, 0, 0, 0, 1, 0, 1], "formed": [1, 1, 0, 1, 1, 1, 1, 1],
        "a": [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9],
    })
    table = point_table(runs, ["a"]).set_index("point")
    assert table.loc[0, "delta_stable_cohesive"] == 0.5  # (1 - 0 + 0 - 0) / 2
    assert table.loc[1, "delta_stable_cohesive"] == -1.0
    assert table.loc[0, "collective_formed"] == 0.5
    assert table.loc[1, "replicates"] == 2


def test_replicate_noise_and_settled_points_are_measured_per_point():
    # point 0: collective stable and cohesive in every replicate, hub-and-spoke in none (Δ = +1, no
    # noise); point 1: Δ = -1, 0, -1, 0 (mean -0.5, variance 1/3 over its 4 replicates)
    delta = {0: [1, 1, 1, 1], 1: [-1, 0, -1, 0]}
    rows = []
    for point, values in delta.items():
        for replicate, d in enumerate(values):
            rows.append({"scenario": "s", "point": point, "replicate": replicate,
                         "structure": "collective", "stable_cohesive": max(d, 0), "formed": 1,
                         "a": point})
            rows.append({"scenario": "s", "point": point, "replicate": replicate,
                         "structure": "hub_and_spoke", "stable_cohesive": max(-d, 0), "formed": 1,
                         "a": point})
    table = point_table(pd.DataFrame(rows), ["a"]).set_index("point")
    assert table.loc[0, "delta_low"] == table.loc[0, "delta_high"] == 1.0
    assert table.loc[1, "delta_stable_cohesive_variance"] == pytest.approx(1 / 3)
    half = 3.182446305284263 * (1 / 12) ** 0.5  # t(0.975, 3) * sqrt(variance / 4)
    assert table.loc[1, "delta_high"] == pytest.approx(-0.5 + half)
    assert clear_points(table) == (0, 1)  # point 1's interval reaches above zero: not settled
    # mean over points of variance / replicates, over the variance of the point means
    assert noise_share(table, "delta_stable_cohesive") == pytest.approx(((1 / 3) / 4 / 2) / 1.125)
    assert np.isnan(noise_share(table, "collective_formed"))  # formed everywhere: nothing to share


def test_the_regime_map_places_points_by_the_parameters_that_move_the_outcome():
    """An outcome that falls with x2 and rises with x3 (x1 and x4 irrelevant) is mapped on x2 and x3,
    strongest first, with the signs of their rank correlations; a constant parameter comes last."""
    rng = np.random.default_rng(4)
    points = pd.DataFrame({name: rng.random(500) for name in ("x1", "x2", "x3", "x4")})
    points["fixed"] = 0.5
    points["outcome"] = -2.0 * points["x2"] + points["x3"] + 0.05 * rng.standard_normal(500)
    (first, r1), (second, r2) = strongest(points, ["x1", "x2", "x3", "x4", "fixed"], "outcome")
    assert (first, second) == ("x2", "x3")
    assert r1 < -0.8 and 0.3 < r2 < 0.6
    ranked = strongest(points, ["fixed", "x1", "x2"], "outcome", k=3)
    assert ranked[0][0] == "x2" and ranked[-1] == ("fixed", 0.0)


def test_discover_quick_as_a_user_types_it(tmp_path):
    result = subprocess.run([sys.executable, "run.py", "discover", "--quick", "--out", str(tmp_path),
                             "--no-progress", "--workers", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Scenario discovery (PRIM)" in result.stdout
    assert "Replicate noise (2 paired replicates per point)" in result.stdout
    for target in TARGETS:
        assert target.words in result.stdout
    for name in ("regime", "regime_imposed"):
        figures = tmp_path / f"{name}-quick" / "figures"
        for target in TARGETS:
            for part in ("trajectory", "boxes"):
                assert (figures / f"discovery_{target.name}_{part}.png").is_file()
                caption = (figures / f"discovery_{target.name}_{part}.txt").read_text()
                assert f"Experiment '{name}'" in caption and f"density >= {THRESHOLD:g}" in caption
        assert (figures / "regime_map.png").is_file()
        assert "rank-correlated" in (figures / "regime_map.txt").read_text()
        table = pd.read_csv(figures / "discovery.csv")
        assert set(table["target"]) == {t.name for t in TARGETS}
        assert (table["replicates"] == 2).all() and "noise_share" in table
    imposed = pd.read_csv(tmp_path / "regime_imposed-quick" / "figures" / "discovery_points.csv")
    assert (imposed["collective_formed"] == 1).all()  # imposed: every pact formed


def test_discover_refuses_an_experiment_it_cannot_map(tmp_path):
    result = subprocess.run([sys.executable, "run.py", "discover", "headline", "--quick", "--out",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "discover needs a latin_hypercube design" in result.stderr
    assert "Traceback" not in result.stderr
