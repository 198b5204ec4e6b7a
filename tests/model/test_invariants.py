"""Invariants that hold for any parameter values (hypothesis draws them from the declaration)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import DeterrenceModel
from model.observations import COUNTERS, METRICS, STABILITY, TEXT_KINDS
from model.parameters import BY_NAME, STRUCTURES, VERSION_0_2_1, uncertainties


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


SETTINGS = {name: st.sampled_from(BY_NAME[name].choices)
            for name in ("formation", "exit_scope", "escalation", *VERSION_0_2_1)
            if BY_NAME[name].kind == "categorical"}


@SLOW
@given(values=parameter_values(), structure=st.sampled_from(STRUCTURES), seed=st.integers(0, 2**32 - 1),
       settings_=st.fixed_dictionaries(SETTINGS))
def test_run_invariants(asia, values, structure, seed, settings_):
    # One test: every invariant is checked on the same generated run, so a failing example names
    # the one run (hypothesis shrinks it) whichever invariant broke.
    model = DeterrenceModel(asia, structure, rng=seed, **values, **settings_)
    grievance_rule = settings_["exit_rule"] == "grievance"
    independent = settings_["formation_rule"] == "independent"

    # formation: the ties of a declined decision hold no obligation (a hub may decline one treaty
    # and sign another); a state that declined every decision it faced holds none and is named
    # among those who declined; a structure that did not form has none
    names = [s.name for s in model.states]
    refused, accepted = set(), set()
    for d in model.decisions:
        yes = model.draws.uniform("join", state=d.state, partner=d.partner) < d.probability
        (accepted if yes else refused).add(d.state)
        if not yes:
            assert names[d.state] in model.declined
            assert not any(model.graph.weight[a, b] or model.graph.weight[b, a] for a, b in d.ties)
    for i in refused - accepted:
        assert not model.graph.weight[i].any() and not model.graph.weight[:, i].any()
    if not model.formed and independent:
        assert not model.graph.weight.any() and model.graph.ties == []

    metrics = model.run(60)
    series = model.series()
    if not model.formed and independent and grievance_rule:
        assert not model.graph.weight.any() and metrics["cohesive"] == 0
    if not metrics["formed"] and structure != "none":
        assert metrics["cohesive"] == 0

    # ties: each ends after it starts, within the run, and two ties of one pair never overlap;
    # grievance held over a tie is never negative
    assert all(t.end is None or t.start <= t.end <= 60 for t in model.graph.ties)
    by_pair: dict = {}
    for tie in model.graph.ties:
        by_pair.setdefault((tie.a, tie.b), []).append(tie)
    for ties in by_pair.values():
        assert all(earlier.end is not None and earlier.end <= later.start
                   for earlier, later in zip(ties, ties[1:], strict=False))
    if grievance_rule:
        assert all(t.start == 0 for t in model.graph.ties)
    assert (model.tie_grievance >= 0.0).all()

    # coverage is a share, and formation is counted by it (the one yardstick)
    coverage = series["coverage"].tolist()
    if structure == "none":
        assert all(math.isnan(c) for c in coverage)
    else:
        assert all(0.0 <= c <= 1.0 for c in coverage)
        assert metrics["coverage_final"] == coverage[-1]
        if settings_["yardstick"] == "coverage":
            enough = metrics["coverage_initial"] * model.membership.prospective
            assert metrics["formed"] == int(enough >= model.membership.needed - 1e-9)

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

    # under the grievance rule membership only shrinks and dissolution is final (reviews may admit)
    members = series["active_members"].tolist()
    assert metrics["members_final"] == members[-1]
    if grievance_rule:
        assert all(a >= b for a, b in zip(members, members[1:], strict=False))
        dissolved = series["dissolved"].tolist()
        assert all(a <= b for a, b in zip(dissolved, dissolved[1:], strict=False))
        if independent or settings_["formation"] == "imposed":
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

    # every stability definition is exactly the conjunction of its parts (undefined without a
    # structure, except order)
    for definition in STABILITY:
        value = metrics[definition.name]
        if structure == "none" and definition.name != "stable":
            assert math.isnan(value)
        else:
            assert value == int(all(metrics[p] for p in definition.parts)), definition.name

    # grievance never negative, hedging stays a share
    assert all(s.grievance >= 0.0 and 0.0 <= s.hedging <= 1.0 for s in model.states)


def test_metrics_are_plain_python_numbers(asia):
    # results are written to CSV and JSON: no numpy scalars may leak out
    metrics = DeterrenceModel(asia, "collective", rng=3, opportunity_scale=3,
                              formation="imposed").run(200)
    names = {m.name for m in METRICS if m.kind in TEXT_KINDS}
    wrong = {k: type(v) for k, v in metrics.items()
             if type(v) is not (str if k in names else int) and type(v) is not float}
    assert not wrong, wrong
