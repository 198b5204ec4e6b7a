"""Invariants that hold for any parameter values (hypothesis draws them from the declaration)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel
from model.observations import COUNTERS, METRICS
from model.parameters import STRUCTURES, uncertainties


@st.composite
def parameter_values(draw):
    values = {}
    for p in uncertainties():
        if p.kind == "integer":
            values[p.name] = draw(st.integers(int(p.low), int(p.high)))
        else:
            values[p.name] = draw(st.floats(p.low, p.high, allow_nan=False))
    return values


SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(values=parameter_values(), structure=st.sampled_from(STRUCTURES), seed=st.integers(0, 2**32 - 1))
def test_run_invariants(asia, values, structure, seed):
    model = DeterrenceModel(asia, structure, rng=seed, **values)
    metrics = model.run(60)
    series = model.series()

    # accounting identities
    assert metrics["opportunities"] == metrics["deterred"] + metrics["aggressions"]
    assert metrics["honoured"] + metrics["defected"] == metrics["invoked"]
    for kind in ("bilateral", "minilateral", "collective"):
        assert 0 <= metrics[f"honoured_{kind}"] <= metrics[f"invoked_{kind}"]
    assert metrics["entrapments"] <= metrics["honoured"]
    assert metrics["hub_entrapments"] <= metrics["entrapments"]

    # rates are probabilities (or undefined when nothing was there to count)
    for name in ("deterrence_rate", "deterrence_rate_limited", "deterrence_rate_major", "reliability",
                 "reliability_bilateral", "reliability_minilateral", "reliability_collective"):
        assert math.isnan(metrics[name]) or 0.0 <= metrics[name] <= 1.0
    assert 0.0 <= metrics["largest_war_power_share"] <= 1.0

    # membership only shrinks, dissolution is final
    members = series["active_members"].tolist()
    assert all(a >= b for a, b in zip(members, members[1:], strict=False))
    dissolved = series["dissolved"].tolist()
    assert all(a <= b for a, b in zip(dissolved, dissolved[1:], strict=False))
    assert metrics["members_final"] == members[-1]
    assert metrics["founders"] - metrics["exits"] == metrics["members_final"]

    # the run's counts are the sums of the per-step series, and the metrics of the same name agree
    assert len(series) == metrics["steps"] == 60
    for name in COUNTERS:
        total = series[name].sum()
        assert math.isclose(total, getattr(model.tally, name), rel_tol=1e-9, abs_tol=1e-9), name
        if name in metrics:
            assert metrics[name] == getattr(model.tally, name), name
    assert math.isclose(series["largest_war_power_share"].max(), metrics["largest_war_power_share"])
    aggressions = series[["aggressions_probe", "aggressions_limited", "aggressions_major"]].to_numpy().sum()
    assert aggressions == metrics["aggressions"]

    # the stable flag is exactly the conjunction of its parts
    parts = ("no_great_power_war", "no_major_loss", "sq_loss_below_threshold", "intact")
    assert metrics["stable"] == int(all(metrics[p] for p in parts))

    # grievance never negative, hedging stays a share
    assert all(s.grievance >= 0.0 and 0.0 <= s.hedging <= 1.0 for s in model.states)


def test_metrics_are_plain_python_numbers(asia):
    # results are written to CSV and JSON: no numpy scalars may leak out
    metrics = DeterrenceModel(asia, "collective", rng=3, opportunity_scale=3,
                              formation="imposed").run(200)
    names = {m.name for m in METRICS if m.kind == "names"}
    wrong = {k: type(v) for k, v in metrics.items()
             if type(v) is not (str if k in names else int) and type(v) is not float}
    assert not wrong, wrong
