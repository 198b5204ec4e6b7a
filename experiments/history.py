"""History experiments (``history = true`` in an experiment file): each scenario runs under the
structure and obligation strength of its ``[history]`` table, for its historical span, and what
happened is stored in the manifest so that the analysis can set the runs beside it without reading
scenario files (:mod:`analysis.history`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

SETS = ("obligation_mode",)
"""The model parameters a history sets itself (besides its structure, given in place of an
experiment's ``structures``): an experiment that gives one of them, in ``[fixed]`` or its design, is
refused, as one that gives ``structures`` or ``steps`` is."""


def left_out(reader, raw: dict[str, Any]) -> None:
    """Refuse what a history experiment must leave out: ``structures`` and ``steps``, which each
    scenario's history gives (``reader`` raises the experiment's error)."""
    if "structures" in raw:
        reader.fail("structures", "a history experiment takes each scenario's structure from its "
                                  "[history] table; leave 'structures' out")
    if "steps" in raw:
        reader.fail("steps", "a history experiment runs each scenario for its historical span (its "
                             "[history] start to end); leave 'steps' out ([quick] steps caps the "
                             "quick version)")


def structures(reader, scenarios: tuple[str, ...]) -> tuple[str, ...]:
    """Each scenario's historical structure, checked (``reader`` raises the experiment's error)."""
    from scenarios import ScenarioError
    from scenarios import load as load_scenario

    found = []
    for name in scenarios:
        try:
            history = load_scenario(name).history
        except ScenarioError as error:
            reader.fail("scenarios", str(error))
        if history is None:
            reader.fail("scenarios", f"scenario '{name}' has no [history] table")
        found.append(history.structure)
    return tuple(dict.fromkeys(found))


def runs_of(scenario: str, quick_steps: int, quick: bool) -> tuple[tuple[str, ...], int, dict]:
    """(structures, steps, parameter overrides) of ``scenario``'s historical runs: its structure,
    its span in steps (at most ``quick_steps`` for ``--quick``) and its obligation strength."""
    from scenarios import load as load_scenario

    loaded = load_scenario(scenario)
    history = loaded.history
    steps = loaded.steps_for(history.years)
    return ((history.structure,), min(steps, quick_steps) if quick else steps,
            {name: getattr(history, name) for name in SETS})


def observed(scenario: str) -> dict[str, Any]:
    """What happened, from the scenario's ``[history]``, with the names the analysis needs."""
    from scenarios import load as load_scenario

    loaded = load_scenario(scenario)
    names = {f.id: f.name for f in loaded.flashpoints}
    facts = asdict(loaded.history)
    facts["lost"] = [names[f] for f in loaded.history.lost]
    return {**facts, "years_per_step": loaded.years_per_step, "members": list(loaded.members),
            "flashpoints": [f.name for f in loaded.flashpoints]}
