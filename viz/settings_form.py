"""The sidebar's settings: scenario, structures, seed and one slider per declared uncertainty (its
name and value above its track).

Nothing changes until **Reset** starts new runs from the form; a replay fills the form with the
stored values, so the sliders show what the replayed runs use.
"""

from __future__ import annotations

from typing import Any

import solara

from model.structure import STRUCTURES

from . import session as state
from .controls import rebase, scenario_values, sliders
from .session import RunConfig

LABELS = {name: s.label for name, s in STRUCTURES.items()}
"""Each structure's label (``hub-and-spoke``), as the explorer and the figures name it."""
NAMES = {label: name for name, label in LABELS.items()}


def _scenario_names(current: str) -> list[str]:
    from scenarios import available

    names = list(available())
    return names if current in names else [*names, current]


@solara.component
def SettingsForm(config: RunConfig):
    """The form; ``config`` is what the runs on view were started with."""
    scenario = solara.use_reactive(config.scenario)
    left = solara.use_reactive(config.left)
    right = solara.use_reactive(config.right)
    seed = solara.use_reactive(config.seed)
    values = solara.use_reactive(dict(config.values))
    marks = solara.use_reactive(dict(config.marks))
    problem = solara.use_reactive("")

    def choose_scenario(name: str) -> None:
        from scenarios import ScenarioError, load

        scenario.set(name)
        try:
            new_marks = scenario_values(load(name))
        except ScenarioError as error:
            problem.set(str(error))
            return
        problem.set("")
        # sliders still at the old scenario's start move to the new one's (its own values)
        values.set(rebase(values.value, marks.value, new_marks))
        marks.set(new_marks)

    def set_value(name: str, value: Any) -> None:
        values.set({**values.value, name: value})

    def reset() -> None:
        fixed = {} if config.replay is not None else config.fixed
        state.start(RunConfig(scenario.value, left.value, right.value, seed.value, values.value,
                              marks.value, fixed))

    with solara.Card("Settings", margin=0, classes=["deterrence-settings"]):
        solara.Select("scenario", value=scenario.value, values=_scenario_names(scenario.value),
                      on_value=choose_scenario)
        for words, chosen in (("structure, left pane", left), ("structure, right pane", right)):
            solara.Select(words, value=LABELS.get(chosen.value, chosen.value), values=list(NAMES),
                          on_value=lambda label, chosen=chosen: chosen.set(NAMES[label]))
        solara.InputText("seed (both panes)", value=seed, continuous_update=True)
        if problem.value:
            solara.Error(problem.value)
        if config.fixed and config.replay is None:
            solara.Text("also set: " + ", ".join(f"{k} = {v}" for k, v in config.fixed.items()),
                        style={"font-size": "12px"})
        solara.Button("Reset", on_click=reset, color="primary", classes=["deterrence-reset"],
                      style={"margin": "4px 0 8px 0"})
        shown = solara.use_reactive(False)
        all_sliders = sliders()
        solara.Button(("hide" if shown.value else "show") + f" the {len(all_sliders)} parameters",
                      text=True, on_click=lambda: shown.set(not shown.value),
                      classes=["deterrence-parameters"])
        for slider in all_sliders if shown.value else []:
            Slider = solara.SliderInt if slider.integer else solara.SliderFloat
            label = (f"{slider.name} (start: scenario's)" if slider.name in marks.value
                     else slider.label)
            value = values.value.get(slider.name, slider.low)
            with solara.Div(classes=["deterrence-slider-row"]):
                Slider(f"{label}: {shown_value(value)}", value=value,
                       min=slider.low, max=slider.high, step=slider.step,
                       on_value=lambda v, name=slider.name: set_value(name, v))


def shown_value(value: Any) -> str:
    """A slider's value in its label: ``0.002``, ``4``, ``0.475`` (no float noise)."""
    if value is None:
        return "—"
    return f"{round(float(value), 10):g}"
