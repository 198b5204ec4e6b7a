"""Coverage over time, and after a major attack: does an alliance form as the threat grows? From
stored results (never from the model), for any experiment whose runs record ``coverage_changes``
(the share of prospective members bound, at every change; the one yardstick of docs/ODD.md).

* :func:`coverage_paths`: each run's coverage at every step, from its changes;
* :func:`over_time_table`, :func:`over_time_figure`: mean coverage per step, per scenario,
  structure and level of a varied factor (Walt 1987: alliances answer threat; do more members bind
  as the challenger grows stronger or more aggressive?);
* :func:`after_attack_table`, :func:`after_attack_figure`: coverage aligned on each run's first major
  attack, from ``BEFORE`` steps before it to ``AFTER`` steps after (an event study: does a pact form
  after a major attack, and how soon?);
* :func:`accession_table`: per scenario and structure, who joined after the first major attack and
  who had joined before it, as shares of the runs with such an attack.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import labels  # noqa: E402
from .results import Results  # noqa: E402
from .statistics import mean_ci  # noqa: E402

BEFORE = 20
"""Steps before the first major attack shown by the event study."""
AFTER = 60
"""Steps after it."""
LEVELS_MOST = 6
"""Most levels of a factor drawn as separate lines."""


def coverage_path(changes: str | float, steps: int) -> np.ndarray:
    """The coverage at steps 0..``steps`` of one run, from its ``coverage_changes``
    (``"step:value;..."``, the value holding from that step on; empty: no structure, 0)."""
    path = np.zeros(steps + 1)
    if not isinstance(changes, str) or not changes:
        return path
    for part in changes.split(";"):
        step, value = part.split(":")
        path[int(step):] = float(value)
    return path


def coverage_paths(runs: pd.DataFrame) -> np.ndarray:
    """``[run, step]``: each run's coverage at steps 0..the longest run's steps (a shorter run holds
    its last value)."""
    steps = int(runs["steps"].max()) if len(runs) else 0
    return np.array([coverage_path(changes, steps) for changes in runs["coverage_changes"]]
                    ).reshape(len(runs), steps + 1)


def over_time_table(runs: pd.DataFrame, factor: str | None) -> pd.DataFrame:
    """Mean coverage per step (with its 95 % t interval), per scenario, structure and level of
    ``factor`` (``None``: pooled)."""
    keys = ["scenario", "structure"] + ([factor] if factor else [])
    rows = []
    for key, part in runs.groupby(keys, sort=True):
        paths = coverage_paths(part)
        n = len(paths)
        mean = paths.mean(axis=0)
        half = 1.96 * paths.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full_like(mean, np.nan)
        named = dict(zip(keys, key, strict=True))
        for step in range(paths.shape[1]):
            rows.append({**named, "step": step, "coverage": mean[step],
                         "low": mean[step] - half[step], "high": mean[step] + half[step], "n": n})
    return pd.DataFrame(rows)


def over_time_figure(results: Results, table: pd.DataFrame, factor: str | None,
                     panels: str | None = None) -> plt.Figure:
    """Mean coverage over time: a column per structure, a row per scenario (or per level of
    ``panels``), a line per level of ``factor``."""
    scenarios = sorted(table["scenario"].unique())
    structures = [s for s in results.structures if s in set(table["structure"])]
    rows = [(scenario, None) for scenario in scenarios]
    if panels:
        rows = [(scenario, level) for scenario in scenarios
                for level in sorted(results.runs[panels].dropna().unique())]
    figure, axes = plt.subplots(len(rows), len(structures), sharex=True, sharey=True,
                                figsize=(4.2 * len(structures), 2.4 * len(rows)), squeeze=False)
    levels = sorted(table[factor].unique()) if factor else [None]
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(levels)))
    info = results.design.get("factor_info", {})
    for r, (scenario, level) in enumerate(rows):
        for c, structure in enumerate(structures):
            ax = axes[r, c]
            part = table[(table["scenario"] == scenario) & (table["structure"] == structure)]
            if panels:
                part = part[part[panels] == level]
            for colour, value in zip(colours, levels, strict=True):
                line = part if value is None else part[part[factor] == value]
                if line.empty:
                    continue
                label = "all runs" if value is None else f"{value:g}"
                ax.plot(line["step"], line["coverage"], color=colour, lw=1.4, label=label)
                ax.fill_between(line["step"], line["low"], line["high"], color=colour, alpha=0.15,
                                lw=0)
            heading = f"{labels.scenario_label(results, scenario)} · {labels.structure_label(structure)}"
            if panels:
                heading += f"\n{labels.factor_label(panels, info.get(panels))} = {level:g}"
            ax.set_title(heading, fontsize=9)
            ax.set_ylim(-0.02, 1.02)
            ax.grid(alpha=0.3)
            if c == 0:
                ax.set_ylabel("coverage\n(share of prospective\nmembers bound)", fontsize=8)
            if r == len(rows) - 1:
                ax.set_xlabel("step")
    handles, names = axes[0, 0].get_legend_handles_labels()
    if factor and handles:
        figure.legend(handles, names, title=labels.factor_label(factor, info.get(factor)),
                      loc="upper center", ncol=len(handles), bbox_to_anchor=(0.5, 1.0),
                      fontsize=8, title_fontsize=8)
    figure.suptitle(f"{results.name}: coverage over time (mean, 95 % CI)", y=1.04 if factor else 1.0)
    figure.tight_layout()
    return figure


def after_attack_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Coverage from ``BEFORE`` steps before each run's first major attack to ``AFTER`` after it
    (mean and 95 % t interval over the runs that still run then), per scenario and structure."""
    rows = []
    attacked = runs[runs["first_major_attack"].notna()]
    for (scenario, structure), part in attacked.groupby(["scenario", "structure"], sort=True):
        paths = coverage_paths(part)
        last = part["steps"].to_numpy().astype(int)
        for offset in range(-BEFORE, AFTER + 1):
            at = part["first_major_attack"].to_numpy().astype(int) + offset
            valid = (at >= 0) & (at <= last)
            values = pd.Series(paths[np.flatnonzero(valid), at[valid]])
            estimate = mean_ci(values, share=False)
            rows.append({"scenario": scenario, "structure": structure, "offset": offset,
                         "coverage": estimate["mean"], "low": estimate["low"],
                         "high": estimate["high"], "n": estimate["n"]})
    return pd.DataFrame(rows)


def after_attack_figure(results: Results, table: pd.DataFrame) -> plt.Figure:
    """Coverage aligned on the first major attack (step 0): a panel per scenario, a line per
    structure."""
    scenarios = sorted(table["scenario"].unique())
    figure, axes = plt.subplots(1, len(scenarios), sharey=True, figsize=(4.6 * len(scenarios), 3.0),
                                squeeze=False)
    colours = plt.get_cmap("tab10")
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        for k, structure in enumerate(s for s in results.structures
                                      if s in set(table["structure"])):
            line = table[(table["scenario"] == scenario) & (table["structure"] == structure)]
            if line.empty:
                continue
            runs = int(line.loc[line["offset"] == 0, "n"].iloc[0])
            ax.plot(line["offset"], line["coverage"], color=colours(k), lw=1.5,
                    label=f"{labels.structure_label(structure)} ({runs} runs)")
            ax.fill_between(line["offset"], line["low"], line["high"], color=colours(k),
                            alpha=0.15, lw=0)
        ax.axvline(0, color="black", lw=0.8, ls="--")
        ax.set_title(scenario, fontsize=10)
        ax.set_xlabel("steps from the first major attack")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    axes[0, 0].set_ylabel("coverage (share of\nprospective members bound)")
    figure.suptitle(f"{results.name}: coverage around the first major attack (mean, 95 % CI; runs "
                    "with such an attack)")
    figure.tight_layout()
    return figure


def accession_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and structure, over the runs with a major attack: the mean coverage just before
    the attack, ``AFTER`` steps after it and at the end, the share of runs in which coverage rose
    after it, and, for each unit (a state acceding to a pact, a tie formed), the share of runs in
    which it joined at or after the attack (from ``joined_later``)."""
    rows = []
    attacked = runs[runs["first_major_attack"].notna()]
    for (scenario, structure), part in attacked.groupby(["scenario", "structure"], sort=True):
        paths = coverage_paths(part)
        attack = part["first_major_attack"].to_numpy().astype(int)
        index = np.arange(len(part))
        before = paths[index, np.maximum(attack - 1, 0)]
        after = paths[index, np.minimum(attack + AFTER, paths.shape[1] - 1)]
        rose = np.array([paths[i, attack[i]:].max() > before[i] for i in index])
        common = {"scenario": scenario, "structure": structure, "runs with a major attack": len(part)}
        rows.append({**common, "joined at or after the attack": "(coverage)",
                     "coverage just before": float(before.mean()),
                     f"coverage {AFTER} steps after": float(after.mean()),
                     "coverage at the end": float(paths[:, -1].mean()),
                     "share of runs": float(rose.mean())})
        joined: dict[str, set[int]] = {}
        for i, (changes, step) in enumerate(zip(part["joined_later"], attack, strict=True)):
            for at, unit in _timeline(changes):
                if at >= step:
                    joined.setdefault(unit, set()).add(i)
        for unit, which in sorted(joined.items(), key=lambda item: (-len(item[1]), item[0])):
            rows.append({**common, "joined at or after the attack": unit,
                         "share of runs": len(which) / len(part)})
    return pd.DataFrame(rows)


def _timeline(value) -> list[tuple[int, str]]:
    """``[(step, name)]`` of a stored ``"step:name;..."`` (empty: none)."""
    if not isinstance(value, str) or not value:
        return []
    return [(int(step), name) for step, name in (part.split(":", 1) for part in value.split(";"))]
