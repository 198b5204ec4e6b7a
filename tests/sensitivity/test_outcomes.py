"""Model outcomes for sensitivity: per structure, and the paired gap collective - hub_and_spoke."""

import math

import numpy as np
import pandas as pd
import pytest

from model import DeterrenceModel
from scenarios import load
from sensitivity.outcomes import (
    model_function,
    outcome_label,
    outcome_names,
    outputs_from_table,
)


def test_outcome_names_per_structure_then_gap():
    assert outcome_names(["stable"]) == ("stable[hub_and_spoke]", "stable[collective]", "delta_stable")
    assert outcome_names(["wars"], ["collective"]) == ("wars[collective]",)  # no gap without both
    assert outcome_label("delta_stable") == "Δ stable (collective − hub_and_spoke)"
    assert outcome_label("stable[collective]") == "stable (collective)"


def test_model_function_pairs_the_structures_on_one_seed():
    scenario = load("asia")
    values = {"theatre_coupling": 0.4, "max_spread_hops": 3}
    result = model_function(scenario, 30, ["deterrence_rate", "wars"])(values, 17)
    hub = DeterrenceModel(scenario, "hub_and_spoke", rng=17, collect=False, **values).run(30)
    collective = DeterrenceModel(scenario, "collective", rng=17, collect=False, **values).run(30)
    assert result["wars[hub_and_spoke]"] == hub["wars"]
    assert result["wars[collective]"] == collective["wars"]
    assert result["delta_wars"] == collective["wars"] - hub["wars"]
    gap = collective["deterrence_rate"] - hub["deterrence_rate"]
    assert result["delta_deterrence_rate"] == pytest.approx(gap, nan_ok=True)


def test_unknown_outcomes_and_structures_are_refused():
    with pytest.raises(ValueError, match="unknown outcome 'peace'"):
        model_function(load("asia"), 10, ["peace"])
    with pytest.raises(ValueError, match="unknown structure 'empire'"):
        model_function(load("asia"), 10, ["stable"], ["empire"])


def _table(rows):
    return pd.DataFrame(rows, columns=["point", "replicate", "structure", "stable"])


def test_outputs_from_table_by_hand():
    table = _table([
        (0, 0, "hub_and_spoke", 1), (0, 0, "collective", 0),
        (0, 1, "hub_and_spoke", 1), (0, 1, "collective", 1),
        (1, 0, "hub_and_spoke", 0), (1, 0, "collective", 1),
        # point 1, replicate 1 missing under collective
        (1, 1, "hub_and_spoke", 0),
    ])
    outputs = outputs_from_table(table, points=2, replicates=2, metrics=["stable"])
    np.testing.assert_array_equal(outputs.outcome("stable[hub_and_spoke]"), [[1, 1], [0, 0]])
    collective = outputs.outcome("stable[collective]")
    assert collective[0].tolist() == [0, 1] and collective[1, 0] == 1 and math.isnan(collective[1, 1])
    delta = outputs.outcome("delta_stable")
    assert delta[0].tolist() == [-1, 0] and delta[1, 0] == 1 and math.isnan(delta[1, 1])


def test_a_run_stored_twice_is_refused():
    table = _table([(0, 0, "collective", 1), (0, 0, "collective", 1)])
    with pytest.raises(ValueError, match="twice"):
        outputs_from_table(table, points=1, replicates=1, metrics=["stable"], structures=["collective"])
