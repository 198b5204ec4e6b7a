"""The scenario fields of power trends and scheduled events (``growth``, ``growth_source``,
``start_year``, ``[[events]]``, a flashpoint's ``closed``): a valid file loads as written, and a
broken one is refused with a ScenarioError naming the file, the field and the problem.

The files extend a small scenario declared here (so that what they test does not hang on what the
shipped files declare), or the shipped ``seato`` for a scenario with a ``[history]``.
"""

from __future__ import annotations

import pytest
import tomli_w

from model.scenario import ScheduledEvent, Trend
from scenarios import ScenarioError, load

BASE = {
    "name": "mini",
    "hub": "Hub",
    "members": ["Hub", "A", "B"],
    "states": [
        {"name": "Hub", "power": 100.0, "hedging": 0.3, "location": [0.0, 0.0],
         "stakes": {"fa": 0.5, "fr": 0.5}},
        {"name": "A", "power": 20.0, "hedging": 0.2, "location": [0.0, 1.0],
         "stakes": {"fa": 1.0}, "red_lines": {"fa": 0.5}},
        {"name": "B", "power": 20.0, "hedging": 0.6, "location": [1.0, 0.0],
         "stakes": {"fr": 1.0}},
    ],
    "challengers": [
        {"name": "C", "power": 50.0, "location": [1.0, 1.0], "great_power": True},
        {"name": "D", "power": 10.0, "location": [2.0, 2.0]},
    ],
    "flashpoints": [
        {"id": "fa", "name": "FA", "target": "A", "challenger": "C", "value": 1.0,
         "theatre": "land", "location": [0.0, 1.0], "rate": 0.1, "neighbours": ["fr"]},
        # the challenger may only probe or strike here (no major attack)
        {"id": "fr", "name": "FR", "target": "B", "challenger": "D", "value": 0.5,
         "theatre": "maritime", "location": [1.0, 0.0], "rate": 0.1,
         "options": ["probe", "limited"]},
    ],
}
SOURCE = "assumption: test"


def event(year=2030, kind="hedging", **fields) -> dict:
    table = {"year": year, "kind": kind, "source": SOURCE}
    table.update({"hedging": {"state": "A", "value": 0.5},
                  "red_line": {"state": "A", "flashpoint": "fa", "value": 0.5},
                  "stake": {"state": "A", "flashpoint": "fr", "value": 0.5},
                  "exposure": {"state": "A", "challenger": "C", "value": 0.5},
                  "affinity": {"state": "A", "other": "B", "value": 0.5},
                  "open": {"flashpoint": "fa"},
                  "close": {"flashpoint": "fa"},
                  "restore": {"flashpoint": "fa"},
                  "crisis": {"flashpoint": "fa", "severity": "major"}}.get(kind, {}))
    table.update(fields)
    return {key: value for key, value in table.items() if value is not None}


@pytest.fixture
def write(tmp_path):
    """``write(**document)``: the path of a file extending the small scenario (or ``extends``)."""
    (tmp_path / "base.toml").write_text(tomli_w.dumps(BASE))

    def write(**document):
        path = tmp_path / "case.toml"
        path.write_text(tomli_w.dumps({"extends": "base.toml", "name": "case", **document}))
        return path

    return write


def refused(path, field: str, *problem: str) -> str:
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    message = str(error.value)
    assert message.startswith(f"{path}: "), message
    assert f": {field}: " in message, message
    for fragment in problem:
        assert fragment in message, message
    return message


# --- what loads ------------------------------------------------------------------------------------


EVERY_KIND = [
    event(2040, "crisis", flashpoint="fr", severity="limited"),
    event(2031, "hedging", state="B", value=1.0),
    event(2025, "red_line", state="A", flashpoint="fr", value=1.0),
    event(2035, "stake", state="Hub", flashpoint="fa", value=0.0),
    event(2031, "exposure", state="B", challenger="D", value=0.25),
    event(2030, "affinity", state="B", other="Hub", value=-1.0),
    event(2024, "close", flashpoint="fa"),
    event(2031, "open", flashpoint="fr"),
    event(2026, "crisis", flashpoint="fa", severity="probe"),
    event(2036, "restore", flashpoint="fa"),
]


def test_a_file_with_every_kind_of_event_loads_sorted_by_year(write):
    path = write(start_year=2024, events=EVERY_KIND,
                 flashpoints=[{"id": "fr", "closed": True}],
                 states=[{"name": "B", "growth": [[2024, 0.05], [2034, -0.01]],
                          "growth_source": "assumption: B's trend"}],
                 challengers=[{"name": "C", "growth": 0.5, "growth_source": "assumption: C"},
                              {"name": "D", "growth": -0.5, "growth_source": "assumption: D"}])
    scenario = load(str(path))
    assert scenario.start_year == 2024
    assert scenario.events == (
        ScheduledEvent(2024, "close", flashpoint="fa", source=SOURCE),
        ScheduledEvent(2025, "red_line", state="A", flashpoint="fr", value=1.0, source=SOURCE),
        ScheduledEvent(2026, "crisis", flashpoint="fa", severity=0, source=SOURCE),
        ScheduledEvent(2030, "affinity", state="B", other="Hub", value=-1.0, source=SOURCE),
        # two of 2031 in the file's order
        ScheduledEvent(2031, "hedging", state="B", value=1.0, source=SOURCE),
        ScheduledEvent(2031, "exposure", state="B", challenger="D", value=0.25, source=SOURCE),
        ScheduledEvent(2031, "open", flashpoint="fr", source=SOURCE),
        ScheduledEvent(2035, "stake", state="Hub", flashpoint="fa", value=0.0, source=SOURCE),
        ScheduledEvent(2036, "restore", flashpoint="fa", source=SOURCE),
        ScheduledEvent(2040, "crisis", flashpoint="fr", severity=1, source=SOURCE),
    )
    assert [f.closed for f in scenario.flashpoints] == [False, True]
    b = scenario.states[2]
    assert b.growth == Trend((0.05, -0.01), (2024, 2034), "assumption: B's trend")
    assert b.growth.rate(2029) == pytest.approx(0.02)
    assert b.growth.rate(2020) == 0.05 and b.growth.rate(2050) == -0.01
    assert [c.growth for c in scenario.challengers] == [Trend((0.5,), (), "assumption: C"),
                                                       Trend((-0.5,), (), "assumption: D")]
    assert scenario.states[0].growth is None and scenario.states[1].growth is None


def test_a_history_gives_the_start_year(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps({"extends": "seato", "name": "case", "events": [
        event(1977, "hedging", state="Thailand", value=0.9),
        event(1954, "crisis", flashpoint="laos", severity="probe")]}))
    scenario = load(str(path))
    assert scenario.start_year == 1954
    assert [(e.year, e.kind) for e in scenario.events] == [(1954, "crisis"), (1977, "hedging")]


def test_a_constant_growth_needs_no_start_year(write):
    scenario = load(str(write(states=[{"name": "A", "growth": -0.2, "growth_source": SOURCE}])))
    assert scenario.start_year is None and scenario.events == ()
    assert scenario.states[1].growth == Trend((-0.2,), (), SOURCE)


def test_the_last_year_of_a_run_without_history_is_accepted(write):
    # a run is at most 10,000 steps of a quarter year: 2,500 years from 2024
    scenario = load(str(write(start_year=2024, events=[event(4524)])))
    assert scenario.events[0].year == 4524
    refused(write(start_year=2024, events=[event(4525)]), "events[0].year",
            "4525 is outside the run (2024-4524)")


# --- what is refused ------------------------------------------------------------------------------


EVENTS_REFUSED = [
    ("unknown kind", [event(kind="invade", flashpoint="fa")], "events[0].kind",
     ["must be one of hedging, red_line, stake, exposure, affinity, open, close, restore, crisis",
      "got 'invade'"]),
    ("kind missing", [event(kind=None)], "events[0].kind", ["missing (required)"]),
    ("unknown state", [event(state="Atlantis")], "events[0].state",
     ["unknown state 'Atlantis'", "known: Hub, A, B"]),
    ("unknown other", [event(kind="affinity", other="Atlantis")], "events[0].other",
     ["unknown state 'Atlantis'"]),
    ("unknown flashpoint", [event(kind="stake", flashpoint="nowhere")], "events[0].flashpoint",
     ["unknown flashpoint 'nowhere'", "known: fa, fr"]),
    ("unknown flashpoint to open", [event(kind="open", flashpoint="nowhere")],
     "events[0].flashpoint", ["unknown flashpoint 'nowhere'"]),
    # a name that is not a string (a list or a table) is refused as one
    ("flashpoint a list", [event(kind="crisis", flashpoint=["fa"])], "events[0].flashpoint",
     ["must be a non-empty string, got ['fa']"]),
    ("flashpoint a table", [event(kind="close", flashpoint={"id": "fa"})], "events[0].flashpoint",
     ["must be a non-empty string, got {'id': 'fa'}"]),
    ("state a list", [event(kind="hedging", state=["A"])], "events[0].state",
     ["must be a non-empty string, got ['A']"]),
    ("unknown challenger", [event(kind="exposure", challenger="Nobody")], "events[0].challenger",
     ["unknown challenger 'Nobody'", "known: C, D"]),
    ("year before the start", [event(2023)], "events[0].year",
     ["2023 is outside the run (2024-"]),
    ("year not whole", [event(2030.5)], "events[0].year", ["expected a whole number"]),
    ("year missing", [event(year=None)], "events[0].year", ["missing (required)"]),
    ("hedging above 1", [event(kind="hedging", value=1.5)], "events[0].value",
     ["1.5 is outside [0.0, 1.0]"]),
    ("stake below 0", [event(kind="stake", value=-0.1)], "events[0].value",
     ["-0.1 is outside [0.0, 1.0]"]),
    ("red line 0", [event(kind="red_line", value=0)], "events[0].value",
     ["0 is outside (0.0, 1.0]"]),
    ("exposure above 1", [event(kind="exposure", value=2)], "events[0].value",
     ["2 is outside [0.0, 1.0]"]),
    ("affinity below -1", [event(kind="affinity", value=-1.5)], "events[0].value",
     ["-1.5 is outside [-1.0, 1.0]"]),
    ("value not a number", [event(kind="hedging", value="high")], "events[0].value",
     ["must be a number, got 'high'"]),
    ("value missing", [event(kind="exposure", value=None)], "events[0].value",
     ["missing (required)"]),
    ("flashpoint of a hedging event", [event(kind="hedging", flashpoint="fa")],
     "events[0] (hedging).flashpoint", ["unknown field"]),
    ("value of a crisis", [event(kind="crisis", value=0.5)], "events[0] (crisis).value",
     ["unknown field"]),
    ("state of a close", [event(kind="close", state="A")], "events[0] (close).state",
     ["unknown field"]),
    ("severity not an option there", [event(kind="crisis", flashpoint="fr", severity="major")],
     "events[0].severity", ["'major' is not an option the challenger has at fr"]),
    ("severity not a severity", [event(kind="crisis", severity="invasion")], "events[0].severity",
     ["must be one of probe, limited, major", "got 'invasion'"]),
    ("severity missing", [event(kind="crisis", severity=None)], "events[0].severity",
     ["missing (required)"]),
    ("source missing", [event(source=None)], "events[0].source", ["missing (required)"]),
    ("source empty", [event(source="")], "events[0].source", ["must be a non-empty string"]),
    ("affinity with itself", [event(kind="affinity", state="B", other="B")], "events[0].other",
     ["must be another state than state"]),
    ("second event broken", [event(), event(kind="hedging", value=-0.5)], "events[1].value",
     ["-0.5 is outside [0.0, 1.0]"]),
    ("not tables", [1, 2], "events", ["must be an array of tables ([[events]])"]),
    ("two crises at one flashpoint in one year",
     [event(2030, "crisis", severity="probe"), event(2031), event(2030, "crisis")],
     "events[2].year", ["a crisis at fa in 2030 starts in the same step as events[0]'s in 2030",
                        "a flashpoint opens once a step", "keep one"]),
]


@pytest.mark.parametrize(("events", "field", "problem"), [case[1:] for case in EVENTS_REFUSED],
                         ids=[case[0] for case in EVENTS_REFUSED])
def test_a_broken_event_is_refused(write, events, field, problem):
    refused(write(start_year=2024, events=events), field, *problem)


def test_an_event_after_the_history_is_refused(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps({"extends": "seato", "name": "case", "events": [
        event(1978, "hedging", state="Thailand", value=0.9)]}))
    refused(path, "events[0].year", "1978 is outside the run (1954-1977)")


def test_an_event_before_the_history_is_refused(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps({"extends": "seato", "name": "case", "events": [
        event(1953, "open", flashpoint="laos")]}))
    refused(path, "events[0].year", "1953 is outside the run (1954-1977)")


def test_events_without_a_start_year_are_refused(write):
    refused(write(events=[event()]), "start_year",
            "missing: scheduled events need the calendar year")


def test_a_start_year_other_than_the_history_start_is_refused(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps({"extends": "seato", "name": "case", "start_year": 1960}))
    refused(path, "start_year", "1960 differs from history.start (1954)")


def test_the_history_start_as_start_year_is_accepted(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(tomli_w.dumps({"extends": "seato", "name": "case", "start_year": 1954}))
    assert load(str(path)).start_year == 1954


@pytest.mark.parametrize("value", ["2024", 2024.0, True, 0, 10000])
def test_a_start_year_that_is_no_year_is_refused(write, value):
    refused(write(start_year=value), "start_year")


GROWTH_REFUSED = [
    ("above", {"growth": 0.6, "growth_source": SOURCE}, "states[1] (A).growth",
     ["0.6 is outside [-0.5, 0.5]"]),
    ("below", {"growth": -0.51, "growth_source": SOURCE}, "states[1] (A).growth",
     ["-0.51 is outside [-0.5, 0.5]"]),
    ("a rate by year above", {"growth": [[2024, 0.1], [2030, 0.55]], "growth_source": SOURCE},
     "states[1] (A).growth[1] (rate)", ["0.55 is outside [-0.5, 0.5]"]),
    ("years not increasing", {"growth": [[2030, 0.1], [2030, 0.2]], "growth_source": SOURCE},
     "states[1] (A).growth[1]", ["year 2030 must come after 2030"]),
    ("years decreasing", {"growth": [[2030, 0.1], [2040, 0.2], [2035, 0.0]],
                          "growth_source": SOURCE},
     "states[1] (A).growth[2]", ["year 2035 must come after 2040"]),
    ("not a pair", {"growth": [[2030, 0.1, 0.2]], "growth_source": SOURCE},
     "states[1] (A).growth[0]", ["must be [year, rate]"]),
    ("empty list", {"growth": [], "growth_source": SOURCE}, "states[1] (A).growth",
     ["must be a rate per year or a non-empty list"]),
    ("not a number", {"growth": "fast", "growth_source": SOURCE}, "states[1] (A).growth",
     ["must be a number"]),
    ("without its source", {"growth": 0.02}, "states[1] (A).growth_source",
     ["missing (required)"]),
    ("a source without a growth", {"growth_source": SOURCE}, "states[1] (A).growth_source",
     ["given without a growth"]),
]


@pytest.mark.parametrize(("fields", "field", "problem"), [case[1:] for case in GROWTH_REFUSED],
                         ids=[case[0] for case in GROWTH_REFUSED])
def test_a_broken_growth_is_refused(write, fields, field, problem):
    refused(write(start_year=2024, states=[{"name": "A", **fields}]), field, *problem)


def test_a_broken_growth_of_a_challenger_is_refused(write):
    message = refused(write(challengers=[{"name": "D", "growth": 0.75, "growth_source": SOURCE}]),
                      "challengers[1] (D).growth", "0.75 is outside [-0.5, 0.5]")
    assert "states" not in message
    refused(write(challengers=[{"name": "C", "growth_source": SOURCE}]),
            "challengers[0] (C).growth_source", "given without a growth")


def test_a_growth_by_year_without_a_start_year_is_refused(write):
    refused(write(states=[{"name": "B", "growth": [[2024, 0.02], [2030, 0.01]],
                           "growth_source": SOURCE}]),
            "start_year", "missing: B's growth is given by year")


@pytest.mark.parametrize("value", ["yes", 1, 0.0])
def test_closed_must_be_a_boolean(write, value):
    refused(write(flashpoints=[{"id": "fr", "closed": value}]), "flashpoints[1] (fr).closed",
            f"must be true or false, got {value!r}")


def test_crises_at_one_flashpoint_in_years_that_share_a_step_are_refused(write):
    # two years a step: 2031 starts within the step that begins in 2030, so its events wait for the
    # step that begins in 2032
    events = [event(2031, "crisis"), event(2032, "crisis", severity="probe")]
    refused(write(start_year=2030, years_per_step=2.0, events=events), "events[1].year",
            "a crisis at fa in 2032 starts in the same step as events[0]'s in 2031")


def test_crises_at_one_flashpoint_in_successive_years_load(write):
    events = [event(2030, "crisis"), event(2031, "crisis", severity="probe"),
              event(2030, "crisis", flashpoint="fr", severity="limited")]
    scenario = load(str(write(start_year=2030, events=events)))
    assert [(e.year, e.flashpoint) for e in scenario.events] == [(2030, "fa"), (2030, "fr"),
                                                                 (2031, "fa")]
