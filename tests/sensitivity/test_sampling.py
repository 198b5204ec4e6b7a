"""Seeded Sobol' and Morris designs: sizes, bounds, determinism and refusals."""

import numpy as np
import pytest

from sensitivity.problem import Problem, declared_problem
from sensitivity.sampling import points_needed, sample

PROBLEM = Problem.from_bounds({"a": (0.0, 1.0), "b": (-2.0, 3.0), "c": (10.0, 20.0)})


@pytest.mark.parametrize(("method", "n", "second", "expected"), [
    ("sobol", 8, False, 8 * (3 + 2)),
    ("sobol", 8, True, 8 * (2 * 3 + 2)),
    ("morris", 5, False, 5 * (3 + 1)),
])
def test_design_sizes(method, n, second, expected):
    design = sample(PROBLEM, method, n, seed=3, second_order=second)
    assert design.samples.shape == (expected, 3)
    assert points_needed(method, n, 3, second) == expected


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_samples_lie_within_the_bounds(method):
    design = sample(PROBLEM, method, 16, seed=1)
    low = np.array([b[0] for b in PROBLEM.bounds])
    high = np.array([b[1] for b in PROBLEM.bounds])
    assert (design.samples >= low).all() and (design.samples <= high).all()


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_same_seed_same_design_other_seed_other_design(method):
    first = sample(PROBLEM, method, 8, seed=11)
    again = sample(PROBLEM, method, 8, seed=11)
    other = sample(PROBLEM, method, 8, seed=12)
    np.testing.assert_array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, other.samples)


def test_declared_design_points_are_model_inputs():
    design = sample(declared_problem(), "morris", 2, seed=5)
    points = design.points()
    assert len(points) == 2 * (len(declared_problem()) + 1)
    assert all(isinstance(p["max_spread_hops"], int) for p in points)


def test_refusals_say_why():
    with pytest.raises(ValueError, match="power of two.*got 100; try 64 or 128"):
        sample(PROBLEM, "sobol", 100, seed=1)
    with pytest.raises(ValueError, match="unknown method 'fast'"):
        sample(PROBLEM, "fast", 8, seed=1)
    with pytest.raises(ValueError, match="must be positive"):
        sample(PROBLEM, "sobol", 0, seed=1)
    with pytest.raises(ValueError, match="at least 2 trajectories"):
        sample(PROBLEM, "morris", 1, seed=1)
