"""Copy the figures the project's documentation shows into ``docs/figures/``, with their provenance,
and the tables its numbers come from into ``docs/figures/data/``.

``python run.py figures --publish docs/figures`` redraws the published figures from the stored
results (never rerunning the model) and copies them with a ``README.md`` that gives each one's
caption: experiment, replicate count, master seed, and the model version and commit the runs came
from. It also copies, per experiment, the stored tables that the documents' generated blocks read
(:data:`TABLES`, with ``provenance.json``) into ``docs/figures/data/<experiment>/``; ``python run.py
report --readme`` then regenerates the numbers of README.md and docs/ from them
(:mod:`analysis.readme`), and a test keeps the two equal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .figure_set import make_figures
from .numbers import DATA, Source
from .results import FIGURES, PROVENANCE, ResultsError, load, sweep_command

PUBLISHED: tuple[tuple[str, str, str], ...] = (
    ("headline", "comparison", "headline"),
    ("divergence_hedging", "phase_red_line_divergence_mean_hedging", "phase_divergence_hedging"),
    ("coupling_power", "phase_theatre_coupling_challenger_power_scale", "phase_coupling_power"),
    ("scenarios", "scenarios", "scenarios"),
    ("reliability_kinds", "reliability_by_kind", "reliability_by_kind"),
    ("viability", "formation_red_line_divergence_mean_hedging", "viability"),
    ("mechanisms", "variants", "mechanisms"),
    ("pathways", "comparison", "pathways"),
    ("threat", "coverage_over_time", "threat_coverage"),
    ("threat", "after_major_attack", "after_major_attack"),
    ("durations", "tie_hazard", "tie_hazard"),
    ("regime", "regime_map", "regime_map"),
    ("regime", "discovery_collective_less_stable_trajectory", "regime_trajectory"),
    ("regime_imposed", "regime_map", "regime_map_imposed"),
)
"""(experiment, figure in its folder, name under docs/figures)."""
TABLES: dict[str, tuple[str, ...]] = {
    "headline": ("summary.csv", "paired_differences.csv", "stability.csv"),
    "pathways": ("summary.csv", "paired_differences.csv", "stability.csv"),
    "history": ("history.csv",),
    "durations": ("tie_hazard.csv",),
    "threat": ("accessions.csv",),
    "scenarios": ("stability.csv",),
    "mechanisms": ("variants.csv",),
    "swing_settings": ("variants.csv",),
    "viability": ("formation_summary.csv",),
    "regime": ("discovery.csv",),
    "regime_imposed": ("discovery.csv",),
    "sensitivity": ("sensitivity_summary.csv", "indices.csv"),
}
"""The stored tables each experiment publishes for the documents' numbers (``sensitivity``: the default
study, see :meth:`analysis.numbers.Source.sensitivity_folder`)."""


def _write_index(target: Path, entries: list[str]) -> Path:
    """The published folder's README: how to regenerate it, then each figure with its caption."""
    readme = target / "README.md"
    readme.write_text(
        "# Published figures\n\nGenerated files: do not edit. Regenerate from the stored results "
        "with\n\n    python run.py sweep && python run.py discover\n"
        "    python run.py sensitivity --replicates 30\n"
        "    python run.py figures --publish docs/figures && python run.py report --readme\n\n"
        "`data/<experiment>/` holds the stored tables the numbers of README.md and docs/ are generated "
        "from (`python run.py report --readme`), with each experiment's `provenance.json`; "
        "`data/performance/` holds the recorded benchmark runs (`python benchmarks/run.py "
        "--publish docs/figures`).\n\n"
        + "\n".join(entries), encoding="utf-8")
    return readme


def publish(results_root: str | Path, target: str | Path, quick: bool = False,
            redraw: bool = True) -> list[Path]:
    """Redraw and copy every published figure and table whose results exist; return the files
    written. ``quick`` publishes the ``<name>-quick`` folders (to try the pipeline; their numbers
    mean nothing, and their provenance says ``quick``); ``redraw=False`` redraws only the figure sets
    whose ``provenance.json`` is missing."""
    results_root, target = Path(results_root), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    source = Source(results_root, quick=quick)
    written: list[Path] = []
    entries: list[str] = []
    drawn: set[str] = set()

    def folder_of(experiment: str) -> Path:
        return (results_root / source.folder(experiment)).parent

    def ready(experiment: str) -> bool:
        """Whether ``experiment`` has results; its figure set (re)drawn as asked."""
        folder = folder_of(experiment)
        try:
            load(folder)
        except ResultsError:
            return False
        if experiment not in drawn and (redraw or not (folder / FIGURES / PROVENANCE).is_file()):
            make_figures(folder)
            drawn.add(experiment)
        return True

    for experiment, figure, name in PUBLISHED:
        if not ready(experiment):
            continue
        figures = folder_of(experiment) / FIGURES
        if not (figures / f"{figure}.png").exists():
            continue
        shutil.copyfile(figures / f"{figure}.png", target / f"{name}.png")
        written.append(target / f"{name}.png")
        caption = (figures / f"{figure}.txt").read_text(encoding="utf-8").strip()
        entries.append(f"## {name}.png\n\n![{name}]({name}.png)\n\n{caption}\n")
    for experiment, tables in TABLES.items():
        if not ready(experiment):
            continue
        figures = folder_of(experiment) / FIGURES
        data = target / DATA / experiment
        data.mkdir(parents=True, exist_ok=True)
        for name in (*tables, PROVENANCE):
            if (figures / name).is_file():
                shutil.copyfile(figures / name, data / name)
                written.append(data / name)
    if not written:
        raise ResultsError(f"no results to publish under {results_root}: run "
                           f"'{sweep_command(root=results_root, quick=quick)}' first")
    readme = _write_index(target, entries)
    written.append(readme)
    return written
