"""A scenario's free text (a description, each source and note): a string of one line, as a name is.

A control character or a line break would be printed raw by ``run.py run`` and stored raw in
``series.csv``; a number or a table where a note belongs is a mistake. Each is refused with a
ScenarioError naming the file, the field and the problem.
"""

from __future__ import annotations

import copy

import pytest
import tomli_w

from scenarios import ScenarioError, load

SOURCE = "assumption: test"
DOCUMENT = {
    "name": "texts",
    "description": "every free-text field a scenario may hold",
    "sources": [SOURCE],
    "hub": "Hub",
    "members": ["Hub", "A"],
    "states": [
        {"name": "Hub", "power": 100.0, "hedging": 0.3, "location": [0.0, 0.0], "stakes": {"f": 0.5},
         "growth": 0.01, "growth_source": SOURCE, "note": SOURCE},
        {"name": "A", "power": 20.0, "hedging": 0.2, "location": [0.0, 1.0], "stakes": {"f": 1.0},
         "red_lines": {"f": 0.5}},
    ],
    "challengers": [{"name": "C", "power": 50.0, "location": [1.0, 1.0], "growth": 0.01,
                     "growth_source": SOURCE, "note": SOURCE}],
    "flashpoints": [{"id": "f", "target": "A", "challenger": "C", "value": 1.0, "theatre": "land",
                     "location": [0.0, 1.0], "rate": 0.1, "note": SOURCE}],
    "history": {"start": 2000, "end": 2010, "structure": "collective",
                "obligation_mode": "conditional", "formed": True, "war": False,
                "sources": [SOURCE], "note": SOURCE},
    "affinity": [{"states": ["Hub", "A"], "value": 0.5, "source": SOURCE, "note": SOURCE}],
    "observed": [{"year": 1999, "flashpoint": "f", "severity": "probe", "source": SOURCE,
                  "note": SOURCE}],
    "events": [{"year": 2005, "kind": "close", "flashpoint": "f", "source": SOURCE,
                "note": SOURCE}],
}
TEXTS = {
    ("description",): "description",
    ("sources", 0): "sources[0]",
    ("states", 0, "growth_source"): "states[0] (Hub).growth_source",
    ("states", 0, "note"): "states[0] (Hub).note",
    ("challengers", 0, "growth_source"): "challengers[0] (C).growth_source",
    ("challengers", 0, "note"): "challengers[0] (C).note",
    ("flashpoints", 0, "note"): "flashpoints[0] (f).note",
    ("history", "sources", 0): "history.sources[0]",
    ("history", "note"): "history.note",
    ("affinity", 0, "source"): "affinity[0].source",
    ("affinity", 0, "note"): "affinity[0].note",
    ("observed", 0, "source"): "observed[0].source",
    ("observed", 0, "note"): "observed[0].note",
    ("events", 0, "source"): "events[0].source",
    ("events", 0, "note"): "events[0].note",
}
"""Where each free-text field is in DOCUMENT, and the field a message names."""
REFUSED = [
    ("a\nb\x00c", "must not contain control characters or line breaks, got 'a\\nb\\x00c'"),
    ("tab\there", "must not contain control characters or line breaks"),
    (42, "must be a non-empty string, got 42"),
    ({"x": [1, 2]}, "must be a non-empty string, got {'x': [1, 2]}"),
    ("  ", "must be a non-empty string"),
]


def write(folder, document):
    path = folder / "texts.toml"
    path.write_text(tomli_w.dumps(document))
    return path


def test_the_document_with_every_free_text_field_loads(tmp_path):
    scenario = load(str(write(tmp_path, DOCUMENT)))
    assert scenario.events[0].source == SOURCE and scenario.history.sources == (SOURCE,)


@pytest.mark.parametrize(("value", "problem"), REFUSED, ids=["control", "tab", "number", "table",
                                                              "blank"])
@pytest.mark.parametrize("where", TEXTS, ids=[TEXTS[where] for where in TEXTS])
def test_a_free_text_field_that_is_no_line_of_text_is_refused(tmp_path, where, value, problem):
    document = copy.deepcopy(DOCUMENT)
    parent = document
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = value
    path = write(tmp_path, document)
    with pytest.raises(ScenarioError) as error:
        load(str(path))
    message = str(error.value)
    assert message.startswith(f"{path}: {TEXTS[where]}: {problem}"), message
    assert "\n" not in message and "\x00" not in message


@pytest.mark.parametrize("value", [42, "one source"])
def test_sources_must_be_a_list(tmp_path, value):
    for document in ({**DOCUMENT, "sources": value},
                     {**DOCUMENT, "history": {**DOCUMENT["history"], "sources": value}}):
        with pytest.raises(ScenarioError, match="sources: must be a list of strings"):
            load(str(write(tmp_path, document)))
