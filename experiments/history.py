"""History experiments (``history = true`` in an experiment file): each scenario runs under the
structure and obligation strength of its ``[history]`` table, for its historical span, and what
happened is stored in the manifest so that the analysis can set the runs beside it without reading
scenario files (:mod:`analysis.history`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any


def structures(reader, raw: dict[str, Any], scenarios: tuple[str, ...]) -> tuple[str, ...]:
    """Each scenario's historical structure, checked (``reader`` raises the experiment's error)."""
    from scenarios import ScenarioError
    from scenarios import load as load_scenario

    if "structures" in raw:
        reader.fail("structures", "a history experiment takes each scenario's structure from its "
                                  "[history] table; leave 'structures' out")
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
            {"obligation_mode": history.obligation_mode})


def observed(scenario: str) -> dict[str, Any]:
    """What happened, from the scenario's ``[history]``, with the names the analysis needs."""
    from scenarios import load as load_scenario

    loaded = load_scenario(scenario)
    names = {f.id: f.name for f in loaded.flashpoints}
    facts = asdict(loaded.history)
    facts["lost"] = [names[f] for f in loaded.history.lost]
    return {**facts, "years_per_step": loaded.years_per_step, "members": list(loaded.members),
            "flashpoints": [f.name for f in loaded.flashpoints]}
