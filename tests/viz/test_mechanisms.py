"""Every mechanism on the page, without a browser: formation (who joined, who declined and why), the
reviews of membership (who negotiated, who joined or left, and each party's value), ties that ended,
buck-passing, the peacetime pressure on each member and the challenger's wedge, the alliance's events
in the log and its filter. Every expected value comes from the model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model import DeterrenceModel
from model.crisis import Crisis, Event
from model.formation import Decision
from model.structure import STRUCTURES
from scenarios import available, load
from tests.support.cases import calm
from tests.support.viz_fixtures import EVENTFUL, write
from viz import drawing
from viz import reviews as words
from viz.alliance import PER, TERMS, formation_of, needed, reason
from viz.comparison import Comparison
from viz.crisis_log import LogEntry, entries, history, log_entries, step_summary
from viz.drawing import frame, make_scene, pressure_width
from viz.network import network, pressure_scale

HUBBED = ("hub_and_spoke", "lattice", "collective")
INDEPENDENT = {"formation_rule": "independent"}
"""Formation by independent decisions (version 0.2.1): ``model.decisions``, P(join)."""


def structures(scenario) -> list[str]:
    return [s for s in HUBBED if scenario.hub or not STRUCTURES[s].needs_hub]


def declined_events(model) -> set[tuple[str, str]]:
    """(state, what it declined) of the model's own ``declined`` events (``Event.detail`` is
    ``WHAT: P(join) = p``)."""
    return {(e.states[0], e.detail.rsplit(": P(join)", 1)[0]) for e in model.events
            if e.kind == "declined"}


# --- formation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", available())
def test_formation_by_independent_decisions_shows_the_models_decisions(name):
    scenario = load(name)
    for structure in structures(scenario):
        for seed in (1, 2):
            model = DeterrenceModel(scenario, structure, rng=seed, **INDEPENDENT)
            found = formation_of(model)
            names = [s.name for s in model.states]
            assert not found.negotiated and model.reviews == []
            assert [v.decision for v in found.verdicts] == model.decisions
            assert {(v.state, v.what) for v in found.declines} == declined_events(model)
            assert set(found.declined) == set(model.declined)
            assert found.joined == tuple(names[i] for i in model.joined)
            lines = found.lines()
            if model.formed:
                assert lines[0].startswith(f"Alliance formed: {len(model.joined)} of "
                                           f"{len(model.prospective)} prospective members joined")
            else:
                assert lines[0].startswith("Alliance did not form")
                if model.quorum_applies:  # the number of members the pact needed, in words
                    need = needed(model.params["quorum"], len(model.prospective))
                    assert len(model.joined) < need
                    assert lines[0].endswith(f", short of the quorum of {need}")
            if found.declines:
                assert lines[1] == f"{len(found.declines)} declined — {TERMS}:"
                assert lines[2:] == [v.line for v in found.declines]
                for v, line in zip(found.declines, lines[2:], strict=True):
                    assert line.startswith(f"{v.state} declined {v.what}: ")
                    assert f"P(join) {v.decision.probability:.2f}" in line
            else:
                assert lines == [lines[0]]


@pytest.mark.parametrize("name", available())
def test_negotiated_formation_shows_each_partys_verdict_and_value_in_parts(name):
    """The first review, party by party: joined (its unit stands and binds), declined (its own value
    was not positive) or willing (it wanted the unit, which does not bind), with the value in parts
    that the model judged by -- the same words as the model's own ``declined`` events."""
    scenario = load(name)
    for structure in structures(scenario):
        for seed in (1, 2):
            model = DeterrenceModel(scenario, structure, rng=seed)
            found = formation_of(model)
            first = model.reviews[0]
            negotiation = model.negotiation
            names = [s.name for s in model.states]
            values = first.values(negotiation)
            assert found.negotiated and model.decisions == [] and first.step == 0
            judged = [(j.party, j.unit) for j in found.judgements]
            assert judged == [(names[p], " – ".join(names[i] for i in u))
                              for u in negotiation.units for p in u if (p, u) in values]
            binds = negotiation.formed(model.config)
            for judgement in found.judgements:
                party = names.index(judgement.party)
                unit = next(u for u in negotiation.units
                            if " – ".join(names[i] for i in u) == judgement.unit and party in u)
                value = values[(party, unit)]
                assert judgement.value == value
                assert judgement.line.endswith(f": {value.describe()}")
                score = first.score_of(party, unit)
                if unit in model.config:
                    assert judgement.verdict == ("joined" if binds else "willing")
                elif score > 0:
                    assert judgement.verdict == "willing"
                else:
                    assert judgement.verdict == "declined"
            # every part of the model's own words for each unit that did not stand
            for event in (e for e in model.events if e.kind == "declined"):
                mine = [j.line.split(": ", 1)[1] for j in found.judgements
                        if j.unit == " – ".join(event.states)]
                assert event.detail == "; ".join(
                    f"{name}: {line}" for name, line in zip(event.states, mine, strict=True))
            (formed,) = [e for e in model.events if e.kind in ("formed", "not formed")]
            lines = found.lines()
            assert lines[0].startswith("Alliance formed at the first review: " if formed.kind ==
                                       "formed" else "Alliance did not form at the first review: ")
            assert formed.detail in lines[0]
            counts = {k: sum(j.verdict == k for j in found.judgements)
                      for k in ("joined", "declined", "willing")}
            assert lines[1] == (f"{len(found.judgements)} decisions: {counts['joined']} joined, "
                                f"{counts['declined']} declined, {counts['willing']} willing — "
                                f"{words.SHORT_TERMS}:")
            assert lines[2:] == [j.line for j in found.judgements]
            assert set(found.declined) == {j.party for j in found.judgements
                                           if j.verdict == "declined"}


def test_a_decline_in_words_weighs_protection_against_the_costs():
    def decision(benefit, obligations, autonomy, probability):
        return Decision(0, 1, ((0, 1),), benefit / PER, obligations / PER, autonomy / PER,
                        probability)

    assert reason(decision(0.2, 0.3, 0.1, 0.1), False) == (
        "protection 0.20 < cost 0.40 (0.30 + 0.10) · P(join) 0.10")
    assert reason(decision(1.31, 0.83, 0.15, 0.57), False) == (
        "protection 1.31 ≥ cost 0.98 (0.83 + 0.15) · P(join) 0.57, against the odds")
    assert reason(decision(0.0, 0.0, 0.06, 0.0), False) == (
        "no protection to gain, cost 0.06 (autonomy) · P(join) 0.00")
    assert reason(decision(0.5, 1.2, 0.0, 0.2), True) == (
        "protection 0.50 < cost 1.20 (obligations) · P(join) 0.20, against the odds")
    assert reason(decision(0.0, 0.0, 0.0, 0.5), False) == (
        "nothing to gain or lose · P(join) 0.50, a coin toss")
    assert reason(decision(-0.3, 0.1, 0.1, 0.0), False).startswith("no protection to gain")


def test_the_alliance_boxes_are_as_tall_as_the_longer_needs_and_say_when_to_scroll():
    from viz.side_by_side_page import ALLIANCE_ROWS, alliance_entries, alliance_rows

    low, high = ALLIANCE_ROWS
    for name in ("asia", "europe", "symmetric"):
        pair = Comparison(name, "hub_and_spoke", "collective", seed=1)
        longest = max(len(alliance_entries(p)) for p in pair.panes)
        rows = alliance_rows(pair)
        assert rows == min(max(longest, low), high)
        for pane in pair.panes:
            plain, fitted = alliance_entries(pane), alliance_entries(pane, rows)
            # the headline, the latest review, then the formation's decisions
            assert plain[1] == (pane.records[-1].review[0], "review")
            assert len(fitted) == len(plain) and fitted[3:] == plain[3:]
            if len(plain) > rows:  # europe's hub-and-spoke: many decisions
                assert fitted[2][0] == plain[2][0].replace(" decisions: ", " decisions (scroll for all): ")
            else:
                assert fitted == plain
    europe = Comparison("europe", "hub_and_spoke", "collective", seed=1)
    assert max(len(alliance_entries(p)) for p in europe.panes) > high


def test_imposed_and_absent_structures_say_so():
    asia = load("asia")
    imposed = formation_of(DeterrenceModel(asia, "collective", rng=1, formation="imposed"))
    assert imposed.lines() == ["Alliance imposed: all 6 prospective members bound"]
    none = formation_of(DeterrenceModel(asia, "none", rng=1))
    assert none.lines() == [f"No alliance: {STRUCTURES['none'].description}"]


def test_states_that_did_not_join_are_marked_and_say_why():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    found = formation_of(model)
    declined = [j for j in found.judgements if j.verdict == "declined"]
    assert declined, "asia, seed 1: some prospective member declines the pact"
    data = network(model)
    step = frame(data, make_scene(data))
    markers = {n["id"]: n for n in step["nodes"]}
    bound = model.graph.bound()
    for i in model.prospective:
        name = model.states[i].name
        node = data.node(f"state:{name}")
        if bound[i]:
            assert node.status in ("hub", "member")
            assert markers[node.id]["out"] == 0
        else:
            assert node.status == "not joined"  # never bound: not "left"
            assert markers[node.id]["out"] > markers[node.id]["r"]  # the dashed ring outside
        assert f"at formation (the first review), {words.TERMS}:" in node.notes
        for line in found.by_state[name]:
            assert line in node.notes
    for judgement in declined:
        assert judgement.line in data.node(f"state:{judgement.party}").notes
    others = [s for s in model.states if s.index not in model.prospective]
    assert all(data.node(f"state:{s.name}").status == "other" for s in others)


def test_formation_text_of_a_negotiation_by_hand():
    """The words of each verdict, for a pact's membership and for a tie."""
    from model.valuation import Value

    value = Value(protection=0.02, exposure=0.0, control=0.0, obligations=-0.001, autonomy=-0.002,
                  distrust=0.0, shock=-0.03)
    assert value.describe() == ("value -0.0130/yr (protection +0.0200, obligations -0.0010, "
                                "autonomy -0.0020, shock -0.0300)")
    tie = words.Judgement("Japan", "United States – Japan", "United States", "declined", value)
    assert tie.line == f"Japan declined its tie with United States: {value.describe()}"
    assert tie.kind == "out"
    willing = words.Judgement("Taiwan", "Taiwan", "", "willing", value,
                              "the pact fell short of its quorum of 4")
    assert willing.line == (f"Taiwan was willing to join (the pact fell short of its quorum of 4): "
                            f"{value.describe()}")
    assert willing.kind == "willing"
    assert words.Judgement("Japan", "Japan", "", "left", value).line.startswith("Japan left: ")
    assert words.Judgement("A", "A – B", "B", "acceded", value).words == "signed its tie with B"
    assert words.Judgement("A", "A", "", "stays", value).kind == "in"


# --- ties that ended, exits, the log --------------------------------------------------------------


def first_event(kind: str, scenario="asia", **overrides):
    """(model, step) of the first run over seeds 1..40 with an alliance event of ``kind``."""
    for seed in range(1, 41):
        for structure in ("hub_and_spoke", "collective"):
            model = DeterrenceModel(load(scenario), structure, rng=seed, **overrides)
            for _ in range(150):
                model.step()
                if any(e.kind == kind and e.step == model.steps for e in model.events):
                    return model, model.steps
    pytest.fail(f"no {kind!r} event in 40 seeds")




def test_a_tie_that_ended_is_drawn_crossed_with_when_and_why():
    model, step = first_event("tie ended", **EVENTFUL)
    (event,) = [e for e in model.events if e.kind == "tie ended" and e.step == step][:1]
    data = network(model)
    a, b = sorted(event.states)
    (tie,) = [t for t in data.ended if sorted((t.a, t.b)) == [f"state:{a}", f"state:{b}"]]
    assert tie.end == step
    assert tie.notes[0].startswith(f"tie {event.states[0]} – {event.states[1]} ended at step {step}") \
        or tie.notes[0].startswith(f"tie {event.states[1]} – {event.states[0]} ended at step {step}")
    assert event.detail in tie.notes
    drawn = {e["id"]: e for e in frame(data, make_scene(data))["ended"]}
    assert drawn[tie.id]["now"] is True  # red: it ended this step
    assert not any(tie.a in (e.source, e.target) and tie.b in (e.source, e.target)
                   for e in data.edges)  # and its obligations are gone
    # the log names it at its step, as the review that ended it, with both parties' values
    (review,) = [e for e in history(model) if e.kind == "review" and e.step == step]
    assert " – ".join(event.states) in review.text.split("tie ended: ", 1)[1].split(" · ")[0].split(", ")
    for part in event.detail.split("; "):  # the model's words: "NAME: value ... (parts)"
        name, value = part.split(": ", 1)
        assert any(line.startswith(f"{name} ") and line.endswith(f": {value}")
                   for line in review.details)
    assert "alliance event" in step_summary(model)


def test_an_ended_tie_is_drawn_once_per_pair_and_only_while_it_stands_no_more():
    """Under reviews a tie can end, form again and end again: the map draws the pair's latest ending
    while no tie stands between them, never two lines for one pair; a pact's ended ties are not drawn
    (the member that left is grey)."""
    seen = set()
    for structure in ("hub_and_spoke", "collective"):
        model = DeterrenceModel(load("asia"), structure, rng=1, **EVENTFUL)
        for _ in range(150):
            model.step()
            data = network(model)
            pairs = [tuple(sorted((t.a, t.b))) for t in data.ended]
            assert len(pairs) == len(set(pairs))
            standing = {tuple(sorted((f"state:{model.states[t.a].name}",
                                      f"state:{model.states[t.b].name}")))
                        for t in model.graph.open_ties()}
            assert not set(pairs) & standing
            drawn = frame(data, make_scene(data))["ended"]
            assert [e["id"] for e in drawn] == [t.id for t in data.ended if t.kind != "collective"]
            seen |= {t.kind for t in data.ended}
            reformed = [t for t in model.graph.ties if t.end is None and any(
                (u.a, u.b) == (t.a, t.b) and u.end is not None for u in model.graph.ties)]
            if reformed:
                seen.add("formed again")
    assert {"bilateral", "collective", "formed again"} <= seen


def test_the_record_shows_a_tie_only_from_its_end_on_and_the_log_as_it_stood():
    model, ended_at = first_event("tie ended", **EVENTFUL)  # the seed and step, from the model
    pair = Comparison("asia", model.params["structure"], "none", seed=model.seed, **EVENTFUL)
    pair.run(ended_at)
    pane = pair.panes[0]
    assert pane.records[ended_at - 1].network.ended == []
    assert [t.end for t in pane.records[ended_at].network.ended] == [
        t.end for t in pane.model.graph.ties if t.end is not None]
    reviewed = [line for line in pane.log_lines(ended_at)
                if line.startswith(f"step {ended_at} · review: ") and "tie ended: " in line]
    assert len(reviewed) == 1
    assert reviewed[0] not in pane.log_lines(ended_at - 1)
    assert pane.log_lines(ended_at - 1) == pane.log_lines(ended_at)[-len(pane.log_lines(ended_at - 1)):]


def test_the_log_interleaves_crises_and_alliance_events_newest_first():
    crises = [Crisis(3, "A", "C", "T", None),
              Crisis(5, "B", "C", "T", 0, fought=[], outcome="unopposed")]

    events = [Event(0, "declined", ["X"], "membership: P(join) = 0.10"),
              Event(5, "tie ended", ["X", "Y"], "grievance 1.62 > exit threshold 1.5"),
              Event(4, "left", ["Z"], "grievance 1.70 > exit threshold 1.5")]
    model = type("M", (), {"crisis_log": crises, "events": events})()
    found = log_entries(model)
    assert [kind for _, kind in found] == ["alliance", "crisis", "alliance", "crisis", "alliance"]
    assert found[0][0] == "step 5 · tie ended: X – Y · grievance 1.62 > exit threshold 1.5"
    assert found[1][0].startswith("step 5 · C: grey-zone probe at B")
    assert found[2][0] == "step 4 · left the structure: Z · grievance 1.70 > exit threshold 1.5"
    assert found[3] == ("step 3 · C deterred at A", "crisis")
    # formation by independent decisions: its declines, at step 0, are in the log too
    assert found[4] == ("step 0 · declined: X · membership: P(join) = 0.10", "alliance")
    assert log_entries(model, last=2) == found[:2]
    # as the log stood with one crisis and two events
    assert log_entries(model, size=1, events=2) == [found[0], found[3], found[4]]


def test_the_log_holds_every_line_and_its_filter_keeps_those_that_hold_the_words():
    """From a newcomer's review: "the crisis log keeps the last eight lines, so an exit at step 64 is
    gone by step 200". The log holds every crisis, every alliance event and every review that changed
    membership, at every step; the filter keeps exactly the entries holding its words."""
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=3, **EVENTFUL)
    pair.run(200)
    for pane in pair.panes:
        model = pane.model
        log = pane.history(200)
        assert log == history(model)  # kept step by step, as a whole run would have it
        crises = [e.text for e in log if e.kind == "crisis"]
        assert len(crises) == len(model.crisis_log) > 8
        changed = [t for t in words.review_texts(model) if t.changed and not t.first]
        assert [e.text for e in log if e.kind == "review"][1:] == [t.headline for t in changed]
        early = [t for t in changed if t.step <= 64]
        assert early, "asia, seed 3, EVENTFUL: a review changes membership by step 64"
        shown = pane.log_lines(200)
        assert all(t.headline in shown for t in early)  # still there at step 200
        assert shown == [e.text for e in reversed(log)]  # newest first
        # the log at an earlier step is the run's log up to that step
        assert pane.history(64) == [e for e in log if e.step <= 64]
        # the filter: case-insensitive, in the line or its details
        name = model.states[pane.model.negotiation.units[-1][-1]].name
        kept = [e for e in log if e.matches(name.upper())]
        assert kept == [e for e in log if name in e.text or any(name in d for d in e.details)]
        assert 0 < len(kept) < len(log)
        assert [e for e in log if e.matches("  review ")] == [e for e in log if e.kind == "review"]
        assert all(e.matches("") for e in log)


def test_a_review_that_changes_membership_appears_with_its_reasons():
    """At the step a later review changes membership, the log shows it -- who negotiated, what
    changed -- with each party's value of the units that changed, in the model's own words; the
    alliance box's latest review and the parties' notes follow it. A review that changed nothing is
    not in the log, but is the latest review until the next."""
    for seed in range(1, 20):
        pair = Comparison("asia", "hub_and_spoke", "collective", seed=seed)
        pair.run(60)
        found = [(side, t) for side, p in enumerate(pair.panes)
                 for t in words.review_texts(p.model) if t.changed and not t.first]
        quiet = [(side, t) for side, p in enumerate(pair.panes)
                 for t in words.review_texts(p.model) if not t.changed and not t.first]
        if found and quiet:
            break
    side, text = found[0]
    pane = pair.panes[side]
    model = pane.model
    names = [s.name for s in model.states]
    events = [e for e in model.events if e.step == text.step and e.step > 0]
    assert events and {e.kind for e in events} <= {"acceded", "left", "tie formed", "tie ended"}
    entry = next(e for e in pane.history(text.step) if e.kind == "review" and e.step == text.step)
    assert entry.text == text.headline
    assert entry.text.startswith(f"step {text.step} · review: {len(text.parties)} states negotiated ")
    assert set(text.parties) == {names[p] for u in model.negotiation.units for p in u}
    for event in events:
        assert f"{event.kind}: " in entry.text
        assert (" – " if event.kind.startswith("tie") else ", ").join(event.states) in entry.text
        for part in event.detail.split("; "):  # each party's value, the model's words
            name, value = part.split(": ", 1)
            (line,) = [d for d in entry.details if d.startswith(f"{name} ") and d.endswith(value)]
            verdict = next(j for j in text.judgements if j.line == line).verdict
            assert verdict in ({"acceded"} if event.kind in ("acceded", "tie formed")
                               else {"left", "kept"})
    assert len(entry.details) == sum(len(e.detail.split("; ")) for e in events)
    record = pane.records[text.step]
    assert record.review[0].startswith(f"Latest review: step {text.step} · {text.changes()}")
    assert list(record.review[1:]) == [j.line for j in text.judgements]
    for judgement in (j for j in text.judgements if j.changed):
        notes = record.network.node(f"state:{judgement.party}").notes
        assert f"at the latest review (step {text.step}):" in notes and judgement.line in notes
    # a review that changed nothing: not in the log, yet the latest review until the next
    side, still = quiet[0]
    pane = pair.panes[side]
    assert not any(e.kind == "review" and e.step == still.step for e in pane.history(60))
    assert pane.records[still.step].review[0].startswith(
        f"Latest review: step {still.step} · nothing changed")
    after = min(still.step + pane.model.review_period - 1, 60)
    assert pane.records[after].review == pane.records[still.step].review


def test_the_latest_review_says_when_the_next_comes_or_that_none_will():
    asia = load("asia")
    model = DeterrenceModel(asia, "collective", rng=1)
    period = model.review_period
    bound = sum(bool(model.graph.bound()[i]) for i in model.prospective)
    assert period == 4  # yearly reviews, quarter-year steps
    assert words.latest_line(model)[0] == (
        f"Latest review: step 0 · the first, at formation (below) · {bound} of 6 bound · next: step 4 "
        "(every 4 steps)")
    for _ in range(5):
        model.step()
        words.review_texts(model)
    text = words.latest(model)
    assert text.step == 4 and not text.first
    assert words.latest_line(model)[0].startswith(f"Latest review: step 4 · {text.changes()} · ")
    assert words.latest_line(model)[0].endswith(" · next: step 8 (every 4 steps)")
    assert list(words.latest_line(model)[1:]) == [j.line for j in text.judgements]
    grievance = DeterrenceModel(asia, "collective", rng=1, exit_rule="grievance")
    for _ in range(5):
        grievance.step()
    assert len(grievance.reviews) == 1
    assert words.latest_line(grievance)[0] == (
        "No review after the first (exit_rule = grievance): members leave and ties end on their "
        "grievance")
    old = DeterrenceModel(asia, "collective", rng=1, formation_rule="independent",
                          exit_rule="grievance")
    assert words.latest_line(old) == () and words.first_review(old) is None


def test_log_entries_come_in_the_order_they_happened_and_review_events_as_their_review():
    from model.valuation import Value

    value = Value(0.01, 0.0, 0.0, -0.001, -0.002, 0.0)
    text = words.ReviewText(8, 2, True, ("A", "B"), 2, ("B",), (), (
        words.Judgement("A", "A", "", "stays", value),
        words.Judgement("B", "B", "", "acceded", value, changed=True)), 2, 2)
    quiet = words.ReviewText(12, 3, True, ("A", "B"), 2, (), (), (), 2, 2)
    found = entries([Crisis(8, "F", "C", "A", None)],
                    [Event(8, "acceded", ["B"], "B: value ..."), Event(9, "dissolved", [], "why")],
                    [text, quiet])
    assert [(e.step, e.kind) for e in found] == [(8, "crisis"), (8, "review"), (9, "alliance")]
    assert found[1] == LogEntry(8, "review", text.headline, (text.judgements[1].line,))
    assert text.headline == ("step 8 · review: 2 states negotiated 2 memberships · acceded: B · "
                             "2 of 2 prospective members bound")
    assert found[1].row() == [text.headline, "review", [text.judgements[1].line]]


# --- buck-passing ---------------------------------------------------------------------------------


def test_buck_passers_are_marked_apart_from_states_that_stayed_out_alone(tmp_path):
    small = load(write(tmp_path))
    model = DeterrenceModel(calm(small), "collective", rng=1, formation="imposed")
    passing = Crisis(2, "Beta Isle", "Omega", "Beta", 1, fought=["Beta", "Alpha"],
                     stayed_out=["Gamma"], outcome="defence held")
    alone = Crisis(2, "Gamma Reef", "Omega", "Gamma", 1, fought=["Gamma"],
                   stayed_out=["Alpha"], outcome="challenger won")
    for crisis, who, role in ((passing, "Gamma", "passed the buck"), (alone, "Alpha", "stayed out")):
        model.crises = [crisis]
        data = network(model)
        assert data.node(f"state:{who}").roles == (role,)
        step = frame(data, make_scene(data))
        marker = {n["id"]: n for n in step["nodes"]}[f"state:{who}"]
        colour = drawing.BUCK_PASSER_COLOUR if crisis.buck_passers else drawing.STAYED_OUT_COLOUR
        assert marker["stroke"] == colour
        assert [link["role"] for link in step["links"] if link["id"].endswith(
            f"state:{who}->flashpoint:{'beta_isle' if crisis is passing else 'gamma_reef'}")] == [
            role.replace(" ", "-")]


def test_a_run_with_buck_passing_marks_the_model_s_buck_passers():
    for seed in range(1, 41):
        model = DeterrenceModel(load("asia"), "collective", rng=seed, **EVENTFUL)
        for _ in range(150):
            model.step()
            passers = {n for c in model.crises for n in c.buck_passers}
            if passers:
                data = network(model)
                marked = {n.label for n in data.nodes if "passed the buck" in n.roles}
                assert marked == passers
                lines = log_entries(model)
                assert any("obliged but passed the buck: " in words for words, _ in lines)
                return
    pytest.fail("no buck-passing in 40 seeds")


# --- peacetime pressure and the wedge -------------------------------------------------------------


def test_pressure_on_each_member_is_the_model_s_and_drawn_as_a_band():
    model = DeterrenceModel(load("asia"), "collective", rng=1)
    assert all(n.autonomy == n.wedge == 0.0 for n in network(model).nodes)  # before any step
    for _ in range(3):
        model.step()
    data = network(model)
    scene = make_scene(data)
    markers = {n["id"]: n for n in frame(data, scene)["nodes"]}
    scale = pressure_scale(model)
    assert scale == pytest.approx(model.params["exit_threshold"] * (1 - model.params["grievance_decay"]))
    pressed = 0
    for state in model.states:
        node = data.node(f"state:{state.name}")
        assert (node.autonomy, node.wedge) == (state.autonomy_pressure, state.wedge_pressure)
        marker = markers[node.id]
        assert marker["autonomy"] == round(state.autonomy_pressure, 6)
        assert marker["wedge"] == round(state.wedge_pressure, 6)
        total = state.autonomy_pressure + state.wedge_pressure
        assert marker["pw"] == pressure_width(total, scale)
        if total:
            pressed += 1
            assert marker["pw"] > 0 and marker["pr"] > marker["r"]
            assert (f"peacetime pressure this step: autonomy {state.autonomy_pressure:.4f} + wedge "
                    f"{state.wedge_pressure:.4f} (grievance added)") in node.notes
    assert pressed >= 2
    low, high = drawing.PRESSURE_WIDTH
    assert pressure_width(0.0, scale) == 0.0
    assert low < pressure_width(scale / 100, scale) < pressure_width(scale / 4, scale) < high
    assert pressure_width(scale, scale) == pressure_width(10 * scale, scale) == high


def test_the_wedge_line_runs_to_each_member_the_model_pressed():
    for name in ("asia", "europe", "seato", "symmetric"):
        for structure in ("hub_and_spoke", "collective"):
            model = DeterrenceModel(load(name), structure, rng=1)
            for _ in range(20):
                model.step()
                if any(e.step == model.steps for e in model.events):
                    continue  # the graph changed after this step's peacetime
                data = network(model)
                aimed = {link.target for link in data.wedges}
                pressed = {f"state:{s.name}" for s in model.states if s.wedge_pressure > 0}
                assert aimed == pressed, (name, structure, model.steps)
                for link in data.wedges:
                    assert link.source.startswith("challenger:")
                    challenger = link.source.split(":", 1)[1]
                    assert any(f"the wedge: {challenger}" in line
                               for line in data.node(link.target).notes)


def test_no_pressure_once_the_structure_is_gone():
    model, step = first_event("dissolved", exit_rule="grievance", **EVENTFUL)
    model.step()
    assert all(n.pressure == 0.0 for n in network(model).nodes)
    assert network(model).wedges == []


# --- the page's colours ---------------------------------------------------------------------------


def test_the_map_s_style_uses_the_drawing_colours():
    style = (Path(drawing.__file__).parent / "network.vue").read_text().lower()
    for colour in (drawing.FOUGHT_COLOUR, drawing.STAYED_OUT_COLOUR, drawing.BUCK_PASSER_COLOUR,
                   drawing.PRESSURE_COLOUR, drawing.ENDED_COLOUR, drawing.OUTSIDE_RING[0],
                   drawing.OBLIGATION_COLOUR, drawing.TARGET_COLOUR):
        assert colour.lower() in style, colour
    assert re.search(r"pressure-band \{[^}]*stroke-opacity: " + str(drawing.PRESSURE_OPACITY), style)
