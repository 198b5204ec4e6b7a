"""The SALib problem is the declared uncertainties: same names, bounds and order, nothing else."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.parameters import PARAMETERS, get, uncertainties
from sensitivity.problem import Factor, Problem, declared_problem


def test_problem_matches_declared_uncertainties_in_order():
    problem = declared_problem()
    declared = [p for p in PARAMETERS if p.role == "uncertainty"]
    assert problem.names == [p.name for p in declared]
    assert problem.bounds == [[float(p.low), float(p.high)] for p in declared]
    salib = problem.salib()
    assert salib["num_vars"] == len(declared)
    assert salib["names"] == [p.name for p in declared]
    assert salib["bounds"] == [[p.low, p.high] for p in declared]


def test_parameters_whose_default_is_the_scenarios_still_have_bounds():
    problem = declared_problem()
    for name in ("red_line_divergence", "mean_hedging", "hub_stake", "hub_hedging"):
        assert get(name).default is None
        assert name in problem.names
        factor = problem.factors[problem.names.index(name)]
        assert (factor.low, factor.high) == (0.0, 1.0)


def test_no_lever_or_setting_is_a_factor():
    names = set(declared_problem().names)
    assert not names & {p.name for p in PARAMETERS if p.role != "uncertainty"}


def test_integer_parameters_are_marked_integer():
    problem = declared_problem()
    for factor, parameter in zip(problem.factors, uncertainties(), strict=True):
        assert factor.integer == (parameter.kind == "integer")


def test_a_named_subset_keeps_the_given_order():
    problem = declared_problem(["theatre_coupling", "red_line_divergence"])
    assert problem.names == ["theatre_coupling", "red_line_divergence"]


def test_categorical_and_unknown_parameters_are_refused():
    with pytest.raises(ValueError, match="structure.*categorical"):
        declared_problem(["structure"])
    with pytest.raises(KeyError, match="unknown parameter 'nonsense'"):
        declared_problem(["nonsense"])


def test_bad_problems_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="repeated: a"):
        Problem((Factor("a", 0, 1), Factor("a", 0, 2)))
    with pytest.raises(ValueError, match="factor 'b'.*low < high"):
        Problem((Factor("b", 1, 1),))
    with pytest.raises(ValueError, match="at least one factor"):
        Problem(())


def test_integer_factor_gives_each_whole_number_an_equal_share():
    factor = Factor("hops", 0, 5, integer=True)
    # six whole numbers over [0, 5]: each owns a sixth of the range
    edges = np.linspace(0, 5, 7)
    assert [factor.value(x) for x in edges[:-1]] == [0, 1, 2, 3, 4, 5]
    assert factor.value(edges[1] - 1e-9) == 0
    assert factor.value(5.0) == 5


@given(st.lists(st.floats(0, 1), min_size=len(uncertainties()), max_size=len(uncertainties())))
def test_every_point_in_the_unit_box_maps_to_valid_model_inputs(units):
    problem = declared_problem()
    row = [f.low + u * (f.high - f.low) for f, u in zip(problem.factors, units, strict=True)]
    values = problem.values(row)
    assert list(values) == problem.names
    for name, value in values.items():
        assert get(name).validate(value) == value
        assert isinstance(value, int) == (get(name).kind == "integer")
        assert not (isinstance(value, float) and math.isnan(value))
