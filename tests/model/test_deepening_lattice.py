"""The deepening lattice: a joint action deepens a minilateral tie and draws the partners' red lines
together; the static lattice never deepens (docs/ODD.md, submodel 8)."""

from __future__ import annotations

import numpy as np
import pytest

from model import DeterrenceModel, deepening
from model.structure import EdgeKind
from tests.support.cases import triad


def test_a_joint_action_deepens_a_minilateral_tie_and_draws_red_lines_together():
    model = DeterrenceModel(triad(minilateral=True), "deepening_lattice", rng=1, formation="imposed",
                            deepening_rate=0.5, convergence_rate=0.1)
    hub, a, b = model.states
    assert model.graph.kind[a.index, b.index] == EdgeKind.MINILATERAL
    w = model.graph.weight[a.index, b.index]
    stakes_a, stakes_b = a.stakes.copy(), b.stakes.copy()
    deepening.fought_together(model, [a, b])
    assert model.graph.weight[a.index, b.index] == pytest.approx(w + 0.5 * (1 - w))
    assert model.graph.weight[b.index, a.index] == pytest.approx(w + 0.5 * (1 - w))
    # fa and fb are owned by A and B: nothing is shared, so nothing converges
    assert np.array_equal(a.stakes, stakes_a) and np.array_equal(b.stakes, stakes_b)
    assert model.metrics()["joint_actions"] == 0  # counted in the step tally, merged at step end


def test_the_static_lattice_never_deepens(asia):
    model = DeterrenceModel(asia, "lattice", rng=4, formation="imposed", opportunity_scale=4)
    before = model.graph.weight.copy()
    model.run(100)
    assert np.all(model.graph.weight <= before)  # ties may end, never deepen
