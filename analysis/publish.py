"""Copy the figures the project's README shows into ``docs/figures/``, with their provenance.

``python run.py figures --publish docs/figures`` redraws the published figures from the stored
results (never rerunning the model) and copies them with a ``README.md`` that gives each one's
caption: experiment, replicate count, master seed, and the model version and commit the runs came
from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .figure_set import make_figures
from .results import FIGURES, ResultsError, load

PUBLISHED: tuple[tuple[str, str, str], ...] = (
    ("headline", "comparison", "headline"),
    ("divergence_hedging", "phase_red_line_divergence_mean_hedging", "phase_divergence_hedging"),
    ("coupling_power", "phase_theatre_coupling_challenger_power_scale", "phase_coupling_power"),
    ("scenarios", "scenarios", "scenarios"),
)
"""(experiment, figure in its folder, name under docs/figures)."""


def publish(results_root: str | Path, target: str | Path) -> list[Path]:
    """Redraw and copy every published figure whose results exist; return the files written."""
    results_root, target = Path(results_root), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[str] = []
    drawn: set[str] = set()
    for experiment, figure, name in PUBLISHED:
        folder = results_root / experiment
        try:
            results = load(folder)
        except ResultsError:
            continue
        if experiment not in drawn:
            make_figures(folder)
            drawn.add(experiment)
        source = folder / FIGURES / f"{figure}.png"
        if not source.exists():
            continue
        shutil.copyfile(source, target / f"{name}.png")
        written.append(target / f"{name}.png")
        caption = (folder / FIGURES / f"{figure}.txt").read_text(encoding="utf-8").strip()
        entries.append(f"## {name}.png\n\n![{name}]({name}.png)\n\n{caption}\n")
        del results
    if not written:
        raise ResultsError(f"no results to publish under {results_root}: run 'python run.py sweep' first")
    readme = target / "README.md"
    readme.write_text(
        "# Published figures\n\nGenerated files: do not edit. Regenerate from the stored results "
        "with\n\n    python run.py sweep && python run.py figures --publish docs/figures\n\n"
        + "\n".join(entries), encoding="utf-8")
    written.append(readme)
    return written
