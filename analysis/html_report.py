"""``python run.py report``: one self-contained HTML file of every stored result (figures embedded).

Sections: the headline, the phase diagrams, the scenarios, viability, the mechanisms, history,
pathways, the regime map and the sensitivity indices (:data:`SECTIONS`). Each draws on whatever
stored results exist under the results root: every figure (PNG, embedded as base64) with its stored
caption, which names the experiment, its file hash, the replicate count, the model version and the
commit; each experiment's provenance line; and the tables of :mod:`analysis.numbers`, whose every
number is an HTML ``<data>`` element carrying the stored text it shows and where it is stored (file,
row, column). A section whose experiment has not been run says so and names the command that makes
it.

Nothing here runs the model: a results folder whose figures are missing or older than its runs has
them redrawn from its stored runs (:func:`analysis.figure_set.make_figures`).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from experiments.formats import RUNS, is_results_folder

from . import numbers
from .results import PROVENANCE


@dataclass(frozen=True)
class Section:
    """A part of the report: its anchor and title, a sentence on what it shows, the figures it
    embeds as ``(experiment, names)`` (the first name that exists in the experiment's figures, a
    glob pattern allowed) and the tables (:data:`analysis.numbers.BLOCKS`) it shows."""

    key: str
    title: str
    what: str
    figures: tuple[tuple[str, tuple[str, ...]], ...]
    blocks: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section("headline", "Headline",
            "Every alliance structure on the calibrated asia scenario, with paired replicates: each "
            "stability definition, formation and deterrence, and the paired difference against "
            "hub-and-spoke.",
            (("headline", ("comparison",)),), ("verdict", "headline")),
    Section("phase", "Phase diagrams",
            "Where collective obligation beats hub-and-spoke over two uncertainties at a time: the "
            "paired difference per cell.",
            (("divergence_hedging", ("phase_red_line_divergence_mean_hedging",)),
             ("coupling_power", ("phase_theatre_coupling_challenger_power_scale",)),
             ("exit_quorum", ("phase_exit_threshold_quorum",)))),
    Section("scenarios", "Scenarios",
            "Collective obligation against hub-and-spoke in each shipped scenario (Cold-War Europe, "
            "SEATO, an invasion of Taiwan, asia), under each stability definition.",
            (("scenarios", ("scenarios",)),), ("scenarios",)),
    Section("viability", "Viability",
            "Does each structure form when states choose to join, and how stable is it when it does?",
            (("viability", ("formation_red_line_divergence_mean_hedging",)),), ("viability",)),
    Section("mechanisms", "Mechanisms",
            "Each membership and cost mechanism switched off in turn while the others stay on, "
            "and all of them off.",
            (("mechanisms", ("variants",)),), ("mechanisms",)),
    Section("history", "History",
            "The historical pacts under their historical structures and spans, beside what happened.",
            (("history", ("variants",)),), ("history",)),
    Section("pathways", "Pathways",
            "Hub-and-spoke, a static and a deepening lattice, and a collective pact founded at once, "
            "over a long horizon.",
            (("pathways", ("comparison",)),), ("pathways",)),
    Section("regime", "The regime map",
            "Scenario discovery (PRIM) over every declared uncertainty: the boxes of parameter space "
            "where collective obligation is less stable than hub-and-spoke, and where the collective "
            "pact does not form.",
            (("regime", ("regime_map",)),
             ("regime", ("discovery_collective_less_stable_boxes",)),
             ("regime", ("discovery_collective_less_stable_trajectory",)),
             ("regime", ("discovery_collective_not_formed_boxes",)),
             ("regime_imposed", ("regime_map",)),
             ("regime_imposed", ("discovery_collective_less_stable_boxes",))),
            ("regime", "regime_imposed")),
    Section("sensitivity", "Sensitivity indices",
            "Which declared uncertainties the structure comparison depends on (global sensitivity "
            "analysis).",
            (("sensitivity", ("sobol_overview", "morris_delta_*")),), ("sensitivity",)),
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
figure { margin: 1.2rem 0; } img { max-width: 100%; border: 1px solid #eee; }
figcaption, .provenance { font-size: 0.8rem; color: #555; white-space: pre-wrap; }
.missing { color: #8a4b00; }
"""


def build(results_root: str | Path, out: str | Path, quick: bool = False) -> Path:
    """Write the report of every stored result under ``results_root`` to ``out``; return ``out``."""
    root = Path(results_root)
    if not root.is_dir():
        raise ValueError(f"{root}: no such results folder (run 'python run.py sweep' first, or give "
                         "--results)")
    source = numbers.Source(root, quick=quick)
    _refresh(source)
    body = [f"<h1>Alliance deterrence: results{' (quick versions)' if quick else ''}</h1>",
            "<p>Built by <code>python run.py report</code> from the stored results alone "
            "(the model is not run). Every figure's "
            "caption names its experiment, the experiment file's hash, the replicates, the model "
            "version and the commit; every number in a table is read from a stored table.</p>",
            "<nav>" + "".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in SECTIONS)
            + "</nav>"]
    for section in SECTIONS:
        body.append(_section(section, source))
    document = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>Alliance deterrence: results</title>\n"
                f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    return path


def _experiments(source: numbers.Source) -> list[str]:
    return list(dict.fromkeys(name for section in SECTIONS for name, _ in section.figures))


def _refresh(source: numbers.Source) -> None:
    """Redraw the figure set of every folder the report uses whose figures are missing or older
    than its runs (from its stored runs only)."""
    for experiment in _experiments(source):
        folder = source.root / source.folder(experiment)
        results = folder.parent
        if not is_results_folder(results):
            continue
        provenance = folder / PROVENANCE
        if not provenance.is_file() or provenance.stat().st_mtime < (results / RUNS).stat().st_mtime:
            from .figure_set import make_figures

            make_figures(results)


def _section(section: Section, source: numbers.Source) -> str:
    parts = [f'<section id="{section.key}">', f"<h2>{html.escape(section.title)}</h2>",
             f"<p>{html.escape(section.what)}</p>"]
    shown: set[str] = set()
    for name in dict.fromkeys(e for e, _ in section.figures):
        folder = source.root / source.folder(name)
        if not is_results_folder(folder.parent):
            parts.append(f'<p class="missing">{html.escape(name)}: '
                         f"{_inline(source.missing(name))}</p>")
            continue
        parts.append(f"<h3>{html.escape(folder.parent.name)}</h3>")
        provenance = source.provenance(name)
        if provenance:
            parts.append(_stored(str(provenance.get("line", "")), source.relative(name, PROVENANCE),
                                 "p", "provenance"))
        for block_name in section.blocks:  # a block is named after its experiment, or says which
            if numbers.EXPERIMENT.get(block_name, block_name) == name and block_name not in shown:
                parts.append(_table(numbers.block(block_name, source)))
                shown.add(block_name)
        for experiment, names in section.figures:
            if experiment == name:
                parts += [_figure(path, source.relative(name, path.with_suffix(".txt").name))
                          for path in _find(folder, names)]
    parts.append("</section>")
    return "\n".join(parts)


def _find(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """The PNGs of the first name (or glob pattern) that exists in ``folder``."""
    for name in names:
        found = sorted(folder.glob(f"{name}.png"))
        if found:
            return found
    return []


def _inline(text: str) -> str:
    """Escape ``text``, with `backticks` as code."""
    pieces = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(pieces))


def _stored(text: str, source: str, tag: str, css: str) -> str:
    """A stored text shown verbatim, with where it is stored."""
    return f'<{tag} class="stored {css}" data-source="{html.escape(source)}">{html.escape(text)}</{tag}>'


def _figure(png: Path, caption_source: str) -> str:
    caption_path = png.with_suffix(".txt")
    caption = caption_path.read_text(encoding="utf-8").strip() if caption_path.is_file() else ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<figure><img alt="{html.escape(png.stem)}" src="data:image/png;base64,{data}">'
            + _stored(caption, caption_source, "figcaption", "caption") + "</figure>")


def _part(part: numbers.Part) -> str:
    if isinstance(part, numbers.Number):
        return (f'<data value="{html.escape(part.text)}" data-source="{html.escape(part.source)}" '
                f'data-row="{part.row}" data-column="{html.escape(part.column)}" '
                f'data-style="{html.escape(part.style)}">{html.escape(part.display())}</data>')
    return html.escape(part)


def _table(block: numbers.Block) -> str:
    if not block.available:
        return f'<p class="missing">{html.escape(block.title)}: {_inline(block.missing)}</p>'
    rows = ["<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in block.header) + "</tr>"]
    for row in block.rows:
        rows.append("<tr>" + "".join("<td>" + "".join(_part(p) for p in cell) + "</td>"
                                     for cell in row) + "</tr>")
    notes = "".join("<p>" + "".join(_part(p) for p in note) + "</p>" for note in block.notes)
    table = "<table>" + "".join(rows) + "</table>" if block.header else ""
    return (f"<h4>{html.escape(block.title)}</h4><p>" + "".join(_part(p) for p in block.intro)
            + "</p>" + table + notes)
