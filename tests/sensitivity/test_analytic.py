"""The generic pipeline on functions whose indices are known in closed form.

Ishigami function (Ishigami & Homma 1990), x_i ~ U(-pi, pi), a = 7, b = 0.1:
    f = sin x1 + a sin^2 x2 + b x3^4 sin x1
Partial variances (Sobol' & Levitan 1999; Saltelli et al. 2008, Primer, section 4.9):
    V1 = (1 + b pi^4 / 5)^2 / 2,  V2 = a^2 / 8,  V3 = 0,
    V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225,
    V = V1 + V2 + V13.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sensitivity import analyse, average, evaluate, run, sample
from sensitivity.problem import Problem

A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = B**2 * math.pi**8 * 8 / 225
V = V1 + V2 + V13
S1_TRUE = [V1 / V, V2 / V, 0.0]
ST_TRUE = [(V1 + V13) / V, V2 / V, V13 / V]
ISHIGAMI = Problem.from_bounds({"x1": (-math.pi, math.pi), "x2": (-math.pi, math.pi),
                                "x3": (-math.pi, math.pi)})


def ishigami(values):
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return math.sin(x1) + A * math.sin(x2) ** 2 + B * x3**4 * math.sin(x1)


def test_closed_form_values_are_the_published_ones():
    assert [round(s, 3) for s in S1_TRUE] == [0.314, 0.442, 0.0]
    assert [round(s, 3) for s in ST_TRUE] == [0.558, 0.442, 0.244]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ishigami_first_and_total_indices_lie_within_their_confidence_intervals(seed):
    analysis = run(ISHIGAMI, ishigami, "sobol", n=2048, seed=seed)
    for index, truth in (("S1", S1_TRUE), ("ST", ST_TRUE)):
        table = analysis.table("y", index)
        assert list(table.index) == ["x1", "x2", "x3"]
        error = np.abs(table.value.to_numpy() - truth)
        assert (error <= table.conf.to_numpy()).all(), (index, table, truth)
        assert (table.conf.to_numpy() < 0.1).all()  # intervals narrow enough to mean something


def test_ishigami_second_order_on_request():
    analysis = run(ISHIGAMI, ishigami, "sobol", n=2048, seed=4, second_order=True)
    s2 = analysis.indices[analysis.indices["index"] == "S2"].set_index(["parameter", "other"])
    assert set(s2.index) == {("x1", "x2"), ("x1", "x3"), ("x2", "x3")}
    for pair, truth in ((("x1", "x3"), V13 / V), (("x1", "x2"), 0.0), (("x2", "x3"), 0.0)):
        assert abs(s2.loc[pair, "value"] - truth) <= s2.loc[pair, "conf"], pair


def test_without_second_order_there_are_no_s2_rows():
    analysis = run(ISHIGAMI, ishigami, "sobol", n=64, seed=1)
    assert set(analysis.indices["index"]) == {"S1", "ST"}


def test_morris_ranks_a_linear_function_by_its_coefficients():
    coefficients = {"a": 1.0, "b": -5.0, "c": 0.0, "d": 3.0, "e": 0.5}
    problem = Problem.from_bounds({name: (0.0, 1.0) for name in coefficients})

    def linear(values):
        return sum(c * values[name] for name, c in coefficients.items())

    analysis = run(problem, linear, "morris", n=10, seed=7)
    mu_star = analysis.table("y", "mu_star").value
    sigma = analysis.table("y", "sigma").value
    mu = analysis.table("y", "mu").value
    # on the unit box every elementary effect of a linear function is its coefficient
    for name, c in coefficients.items():
        assert mu_star[name] == pytest.approx(abs(c))
        assert mu[name] == pytest.approx(c)
        assert sigma[name] == pytest.approx(0.0, abs=1e-9)
    assert list(mu_star.sort_values(ascending=False).index) == ["b", "d", "a", "e", "c"]


def test_same_seed_same_indices():
    first = run(ISHIGAMI, ishigami, "sobol", n=256, seed=9)
    again = run(ISHIGAMI, ishigami, "sobol", n=256, seed=9)
    other = run(ISHIGAMI, ishigami, "sobol", n=256, seed=10)
    assert first.indices.equals(again.indices)
    assert not first.indices.equals(other.indices)


def test_several_outcomes_from_one_function():
    def two(values):
        return {"y": ishigami(values), "x2_only": values["x2"]}

    analysis = run(ISHIGAMI, two, "sobol", n=512, seed=2)
    st = analysis.table("x2_only", "ST").value
    assert st["x2"] == pytest.approx(1.0, abs=0.05)
    assert st["x1"] == pytest.approx(0.0, abs=1e-9) and st["x3"] == pytest.approx(0.0, abs=1e-9)


def test_replicate_noise_share_of_a_noisy_ishigami():
    # noise of variance V at every point, independent across points and replicates:
    # single runs are half noise; a mean of 4 replicates has noise V/4 in variance V + V/4 -> 0.2
    def noisy(values, seed):
        key = [seed, *(int(abs(values[n]) * 1e9) for n in ("x1", "x2", "x3"))]
        return ishigami(values) + np.random.default_rng(key).normal(0.0, math.sqrt(V))

    design = sample(ISHIGAMI, "sobol", 1024, seed=5)
    outputs = evaluate(design, noisy, replicate_seeds=[11, 12, 13, 14])
    summary = analyse(design, outputs).summary.iloc[0]
    assert summary.replicates == 4
    assert summary.noise_share_run == pytest.approx(0.5, abs=0.03)
    assert summary.noise_share_mean == pytest.approx(0.2, abs=0.03)


def test_deterministic_function_has_no_replicate_noise():
    design = sample(ISHIGAMI, "sobol", 64, seed=5)
    outputs = evaluate(design, lambda values, seed: ishigami(values), replicate_seeds=[1, 2])
    summary = analyse(design, outputs).summary.iloc[0]
    assert summary.noise_share_run == 0.0 and summary.noise_share_mean == 0.0


def test_average_by_hand():
    result = average(np.array([[0.0, 2.0], [10.0, 12.0]]))
    np.testing.assert_array_equal(result.means, [1.0, 11.0])
    assert result.variance_within == pytest.approx(2.0)          # var(0, 2) = var(10, 12) = 2
    assert result.variance_run == pytest.approx(104 / 3)         # deviations 6, 4, 4, 6 from 6
    assert result.variance_mean == pytest.approx(50.0)           # var(1, 11)
    assert result.noise_share_run == pytest.approx(2.0 / (104 / 3))
    assert result.noise_share_mean == pytest.approx((2.0 / 2) / 50.0)


def test_points_undefined_in_every_replicate_are_filled_and_counted():
    result = average(np.array([[np.nan, np.nan], [1.0, 3.0], [5.0, np.nan]]))
    assert result.undefined_points == 1
    np.testing.assert_array_equal(result.means, [3.5, 2.0, 5.0])  # filled with mean(2, 5)
    with pytest.raises(ValueError, match="undefined at every sample point"):
        average(np.full((3, 2), np.nan))


def test_a_function_that_changes_its_outcomes_is_refused():
    calls = iter(range(1000))

    def fickle(values):
        return {"a": 1.0} if next(calls) == 0 else {"b": 1.0}

    with pytest.raises(ValueError, match="returned outcomes"):
        evaluate(sample(ISHIGAMI, "sobol", 2, seed=1), fickle)


@given(
    arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(2, 4)), elements=st.integers(-100, 100)),
    st.floats(-50, 50), st.floats(0.1, 10),
)
def test_noise_shares_ignore_units_and_means_stay_within_the_replicates(values, shift, scale):
    values = values.astype(float)
    base = average(values)
    moved = average(values * scale + shift)
    for name in ("noise_share_run", "noise_share_mean"):
        a, b = getattr(base, name), getattr(moved, name)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-6, abs=1e-9)
    assert (base.means >= values.min(axis=1) - 1e-9).all()
    assert (base.means <= values.max(axis=1) + 1e-9).all()
    if np.ptp(values) > 0:  # any variation at all: the run share is defined and not negative
        assert base.noise_share_run >= 0
    if np.ptp(base.means) > 0:
        assert base.noise_share_mean >= 0
