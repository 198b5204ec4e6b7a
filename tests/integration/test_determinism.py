"""Same seed, same run; different seeds, different runs; paired crisis streams across structures."""

from __future__ import annotations

import pandas as pd

from model import DeterrenceModel


def opened(model):
    """(step, flashpoint) of every opportunity, deterred or not (not the end of a war)."""
    return [(c.step, c.flashpoint) for c in model.crisis_log if c.hop == 0 and not c.war_steps]


def at_war(model) -> set[tuple[int, str]]:
    """(step, flashpoint) of every step after the first of a war that lasted, to its end."""
    starts = {}
    steps = set()
    for c in model.crisis_log:
        if c.outcome == "war under way":
            starts[c.flashpoint] = c.step
        elif c.war_steps:
            steps |= {(s, c.flashpoint) for s in range(starts.pop(c.flashpoint) + 1, c.step + 1)}
    for flashpoint, start in starts.items():  # wars still under way at the end
        steps |= {(s, flashpoint) for s in range(start + 1, model.steps + 1)}
    return steps


def test_same_seed_gives_identical_series(asia):
    a = DeterrenceModel(asia, "collective", rng=11)
    b = DeterrenceModel(asia, "collective", rng=11)
    a.run(200)
    b.run(200)
    pd.testing.assert_frame_equal(a.series(), b.series())
    assert [c.describe() for c in a.crisis_log] == [c.describe() for c in b.crisis_log]


def test_different_seeds_differ(asia):
    a = DeterrenceModel(asia, "collective", rng=11)
    b = DeterrenceModel(asia, "collective", rng=12)
    a.run(200)
    b.run(200)
    assert opened(a) != opened(b)


def test_structures_with_the_same_seed_face_the_same_crisis_opportunities(asia):
    runs = {}
    for structure in ("none", "hub_and_spoke", "lattice", "collective"):
        model = DeterrenceModel(asia, structure, rng=5, opportunity_scale=2, formation="imposed",
                                conquest="momentary", war_duration="decisive")
        model.run(200)
        runs[structure] = model
    streams = {s: opened(m) for s, m in runs.items()}
    assert len(streams["none"]) > 10
    assert all(stream == streams["none"] for stream in streams.values())
    # ... while what happened in those crises differs between structures
    outcomes = {s: [c.describe() for c in m.crisis_log] for s, m in runs.items()}
    assert outcomes["none"] != outcomes["collective"]


def test_the_seed_is_recorded_and_reproduces_an_unseeded_run(asia):
    a = DeterrenceModel(asia, "hub_and_spoke")
    a.run(100)
    b = DeterrenceModel(asia, "hub_and_spoke", rng=a.seed)
    b.run(100)
    assert a.metrics() == b.metrics() or _nan_equal(a.metrics(), b.metrics())


def _nan_equal(x, y):
    return all((x[k] == y[k]) or (x[k] != x[k] and y[k] != y[k]) for k in x)


def test_collecting_series_does_not_change_the_run(asia):
    fast = DeterrenceModel(asia, "lattice", rng=3, collect=False).run(200)
    slow = DeterrenceModel(asia, "lattice", rng=3, collect=True).run(200)
    assert _nan_equal(fast, slow)


def test_pairing_holds_whether_or_not_the_structures_form(asia):
    # voluntary formation: some structures form and some do not, yet every one faces the same
    # opportunities, and a decision drawn for one state keeps its number under every structure
    runs = {s: DeterrenceModel(asia, s, rng=9, opportunity_scale=2, conquest="momentary",
                               war_duration="decisive")
            for s in ("none", "hub_and_spoke", "lattice", "deepening_lattice", "collective")}
    for model in runs.values():
        model.run(150)
    streams = {s: opened(m) for s, m in runs.items()}
    assert len(streams["none"]) > 10
    assert all(stream == streams["none"] for stream in streams.values())
    numbers = {s: m.draws.uniform("join", state=1, partner=1) for s, m in runs.items()}
    assert len(set(numbers.values())) == 1


def test_a_flashpoint_taken_in_one_run_leaves_the_others_paired(asia):
    """With conquest held, a flashpoint taken in one run opens no more there: until the first
    flashpoint is taken in any of them the runs face the same opportunities, every later opening of
    a flashpoint that no run has taken (nor a front before it) is common to all, and the stream
    itself stays the same."""
    runs = {s: DeterrenceModel(asia, s, rng=7, opportunity_scale=3, collect=False,
                               war_duration="decisive")
            for s in ("none", "hub_and_spoke", "collective")}
    for model in runs.values():
        model.run(300)
    taken: dict[str, int] = {}  # each flashpoint taken, at the first step any run took it
    for model in runs.values():
        for c in model.crisis_log:
            if c.taken:
                taken[c.flashpoint] = min(c.step, taken.get(c.flashpoint, c.step))
    assert taken  # at least one flashpoint fell in some run
    first = min(taken.values())
    streams = {s: opened(m) for s, m in runs.items()}
    before = {s: [o for o in stream if o[0] <= first] for s, stream in streams.items()}
    assert all(b == before["none"] for b in before.values())
    model = runs["none"]
    moved = set(taken) | {fp.name for fp in model.flashpoints
                          if any(front.name in taken for front in fp.fronts)}
    never = {s: [o for o in stream if o[1] not in moved] for s, stream in streams.items()}
    assert all(n == never["none"] for n in never.values()) and len(never["none"]) > 10
    states = {repr(m.rng_opportunities.bit_generator.state) for m in runs.values()}
    assert len(states) == 1


def test_a_war_under_way_in_one_run_leaves_the_others_paired(asia):
    """With wars that last, a flashpoint at war in one run opens no crisis there until the war ends;
    every opening at a step when no run is at war there (and nothing is taken: conquest momentary)
    is common to all, and the stream itself stays the same."""
    runs = {s: DeterrenceModel(asia, s, rng=7, opportunity_scale=3, collect=False,
                               conquest="momentary")
            for s in ("none", "hub_and_spoke", "collective")}
    for model in runs.values():
        model.run(300)
    blocked = set().union(*(at_war(m) for m in runs.values()))
    assert blocked  # some war lasted beyond its first step in some run
    streams = {s: [o for o in opened(m) if o not in blocked] for s, m in runs.items()}
    assert all(stream == streams["none"] for stream in streams.values())
    assert len(streams["none"]) > 10
    states = {repr(m.rng_opportunities.bit_generator.state) for m in runs.values()}
    assert len(states) == 1
