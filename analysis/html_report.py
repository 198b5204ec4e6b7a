"""``python run.py report``: one self-contained HTML file of every stored result (figures embedded).

The report has a section for every results folder under the results root -- every experiment and
sensitivity study stored there, the user's own among them (``--quick``: the quick versions, the
``<name>-quick`` folders). Each section is drawn from what its experiment is, read from its manifest:
its description, its design (a single point, a factorial grid over named factors, a Latin hypercube,
labelled points), its scenarios and structures, replicates and steps; then its provenance line, the
tables of :mod:`analysis.numbers` made from its stored tables (every number an HTML ``<data>``
element carrying the stored text it shows and where it is stored: file, row, column), and every
figure of its figure set with its stored caption, which names the experiment, its file hash, the
replicate count, the model version and the commit. A figure opens at full size on a click (Escape or
a click closes it).

Experiments that have not been run are not listed unless asked (``build(..., expected=[...])``:
``python run.py report --missing`` lists the default set's, with the command that makes each).

Nothing here runs the model: a results folder whose figures are missing or older than its runs has
them redrawn from its stored runs (:func:`analysis.figure_set.make_figures`).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from experiments.formats import FIGURES, MANIFEST, RUNS, SENSITIVITY, is_results_folder, read_manifest

from . import labels, numbers
from .results import PROVENANCE

QUICK = "-quick"
"""The suffix of a quick version's folder."""

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
nav { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; } nav a { white-space: nowrap; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
figure { margin: 1.2rem 0; } figure img { max-width: 100%; border: 1px solid #eee; cursor: zoom-in; }
figcaption, .provenance { font-size: 0.8rem; color: #555; white-space: pre-wrap; }
.design { font-size: 0.9rem; }
.missing { color: #8a4b00; }
#zoom { position: fixed; inset: 0; z-index: 10; overflow: auto; background: rgba(0, 0, 0, 0.85);
        cursor: zoom-out; }
#zoom[hidden] { display: none; }
#zoom img { display: block; margin: 1rem auto; max-width: none; background: #fff; }
"""

ZOOM = """
<div id="zoom" hidden title="click or Escape to close"><img alt="the figure at full size"></div>
<script>
(function () {
  var zoom = document.getElementById("zoom");
  document.querySelectorAll("figure img").forEach(function (img) {
    img.title = "click to open at full size";
    img.addEventListener("click", function () {
      zoom.firstElementChild.src = img.src;
      zoom.hidden = false;
      zoom.scrollTo(0, 0);
    });
  });
  zoom.addEventListener("click", function () { zoom.hidden = true; });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { zoom.hidden = true; }
  });
})();
</script>
"""
"""A figure opens at its full size over the page on a click; a click or Escape closes it."""

KIND_WORDS = {"single": "a single design point", "full_factorial": "a full-factorial grid",
              "latin_hypercube": "a Latin hypercube", "points": "a list of design points"}


def check_root(results_root: str | Path) -> Path:
    """``results_root`` as a path; ``ValueError`` if it is no folder."""
    root = Path(results_root)
    if not root.is_dir():
        raise ValueError(f"{root}: no such results folder (run 'python run.py sweep' first, or give "
                         "--results)")
    return root


def render(results_root: str | Path, quick: bool = False, expected: Sequence[str] = ()) -> str:
    """The report of every stored result under ``results_root``, as one HTML document.

    ``expected``: experiments to list, with the command that makes each, when they have not been
    run (by default none is listed)."""
    root = check_root(results_root)
    source = numbers.Source(root, quick=quick)
    stored = _folders(root, quick)
    for folder in stored:
        _refresh(folder)
    body = [f"<h1>Alliance deterrence: results{' (quick versions)' if quick else ''}</h1>",
            "<p>Built by <code>python run.py report</code> from the stored results alone (the model "
            "is not run): a section for every experiment and study under "
            f"<code>{html.escape(root.name)}</code>. Every figure's caption names its experiment, "
            "the experiment file's hash, the replicates, the model version and the commit; every "
            "number in a table is read from a stored table. Click a figure to see it at full "
            "size.</p>"]
    if not stored:
        other = "quick versions" if not quick else "full versions"
        body.append(f'<p class="missing">No {"quick " if quick else ""}results are stored here'
                    + (f" (only {other}: give{' no' if quick else ''} <code>--quick</code>)"
                       if _folders(root, not quick) else "") + ".</p>")
    body.append("<nav>" + "".join(f'<a href="#{_anchor(f.name)}">{html.escape(f.name)}</a>'
                                  for f in stored) + "</nav>")
    shown: set[str] = set()
    for folder in stored:
        body.append(_section(folder, source, shown))
    names = {"sensitivity" if _is_study(folder) else _experiment(folder.name, quick) for folder in stored}
    unrun = [name for name in expected if name not in names]
    if unrun:
        body.append('<section id="not-run"><h2>Not run yet</h2>' + "".join(
            f'<p class="missing">{html.escape(name)}: {_inline(source.missing(name))}</p>'
            for name in unrun) + "</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Alliance deterrence: results</title>\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + ZOOM
            + "\n</body>\n</html>\n")


def _folders(root: Path, quick: bool) -> list[Path]:
    """Every results folder under ``root`` of the variant asked for: the experiments whose blocks
    the documents show first (in :data:`analysis.numbers.BLOCKS` order, the headline first), then
    every other one by name."""
    found = [p for p in sorted(root.iterdir()) if p.is_dir() and is_results_folder(p)
             and p.name.endswith(QUICK) == quick]
    order = list(dict.fromkeys(numbers.EXPERIMENT.get(name, name) for name in numbers.BLOCKS))
    rank = {name: k for k, name in enumerate(order)}
    return sorted(found, key=lambda p: (_is_study(p), rank.get(_experiment(p.name, quick), len(rank)),
                                        p.name))


def _experiment(folder_name: str, quick: bool) -> str:
    return folder_name.removesuffix(QUICK) if quick else folder_name


def _is_study(folder: Path) -> bool:
    manifest = read_manifest(folder) or {}
    return manifest.get("kind") == SENSITIVITY


def _anchor(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _refresh(folder: Path) -> None:
    """Redraw ``folder``'s figure set if it is missing or older than its runs (from its stored
    runs only)."""
    provenance = folder / FIGURES / PROVENANCE
    if not provenance.is_file() or provenance.stat().st_mtime < (folder / RUNS).stat().st_mtime:
        from .figure_set import make_figures

        make_figures(folder)


def _section(folder: Path, source: numbers.Source, shown: set[str]) -> str:
    manifest = read_manifest(folder) or {}
    design: dict[str, Any] = manifest.get("design") or {}
    name = str(manifest.get("experiment") or folder.name)
    relative = f"{folder.name}/{MANIFEST}"
    parts = [f'<section id="{_anchor(folder.name)}">', f"<h2>{html.escape(folder.name)}</h2>"]
    if design.get("description"):
        parts.append(_from(relative, "p", "description", html.escape(str(design["description"]))))
    if manifest.get("kind") != SENSITIVITY:
        parts.append(_from(relative, "p", "design", _design_words(design, name)))
    provenance = folder / FIGURES / PROVENANCE
    if provenance.is_file():
        import json

        line = str(json.loads(provenance.read_text(encoding="utf-8")).get("line", ""))
        parts.append(_stored(line, f"{folder.name}/{FIGURES}/{PROVENANCE}", "p", "provenance"))
    for block in _blocks(folder, design, source, shown):
        parts.append(_table(block))
    for png in _figures(folder / FIGURES):
        parts.append(_figure(png, f"{folder.name}/{FIGURES}/{png.with_suffix('.txt').name}"))
    parts.append("</section>")
    return "\n".join(parts)


def _design_words(design: dict[str, Any], name: str) -> str:
    """What the experiment is, from its manifest's design: kind, factors, scenarios, structures,
    replicates and steps (HTML)."""
    kind = str(design.get("kind", "single"))
    factors = [str(f) for f in design.get("factors", [])]
    words = [KIND_WORDS.get(kind, kind)]
    if factors:
        words[0] += " over " + " × ".join(f"<code>{html.escape(f)}</code>" for f in factors)
    if kind != "single" and design.get("points"):
        words[0] += f", {design['points']} point{'s' if design['points'] > 1 else ''}"
    if design.get("labels"):
        words.append("points: " + "; ".join(html.escape(str(label)) for label in design["labels"]))
    scenario_names = design.get("scenario_names") or {}
    scenarios = [html.escape(str(scenario_names.get(s, s))) for s in design.get("scenarios", [])]
    if scenarios:
        words.append(f"scenario{'s' if len(scenarios) > 1 else ''} {', '.join(scenarios)}")
    structures = [html.escape(labels.structure_label(str(s))) for s in design.get("structures", [])]
    if structures:
        words.append("structures " + ", ".join(structures))
    if design.get("history"):
        words.append("each scenario under its historical structure")
    if design.get("replicates"):
        steps = f" of {_steps(design)} steps" if design.get("steps") else ""
        words.append(f"{design['replicates']} paired replicates{steps}")
    if design.get("quick"):
        words.append("the quick version")
    return f"<b>{html.escape(name)}</b>: " + " · ".join(words) + "."


def _steps(design: dict[str, Any]) -> str:
    """How many steps the runs take: one number, or, for a history experiment whose scenarios'
    spans differ, each scenario's (``160 (europe), 92 (seato)``)."""
    steps = design["steps"]
    if not isinstance(steps, dict):
        return html.escape(str(steps))
    if len(set(steps.values())) == 1:
        return html.escape(str(next(iter(steps.values()))))
    names = design.get("scenario_names") or {}
    return ", ".join(f"{value} ({html.escape(str(names.get(name, name)))})"
                     for name, value in steps.items())


def _blocks(folder: Path, design: dict[str, Any], source: numbers.Source, shown: set[str]
            ) -> list[numbers.Block]:
    """The tables of :mod:`analysis.numbers` this folder's stored tables make: the blocks named after
    its experiment (or the sensitivity study the documents show), else, for any experiment of one
    scenario and one design point, its structures with their intervals."""
    experiment = _experiment(folder.name, source.quick)
    if _is_study(folder):
        names = ["sensitivity"] if source.sensitivity_folder().split("/")[0] == folder.name else []
    else:
        names = [b for b in numbers.BLOCKS if numbers.EXPERIMENT.get(b, b) == experiment
                 and b != "performance"]
    found = [numbers.block(name, source) for name in names if name not in shown]
    shown.update(names)
    if not names and design.get("points", 1) == 1 and len(design.get("scenarios", [])) == 1:
        found.append(numbers.structures_block(source, experiment, experiment,
                                              f"{experiment}: every structure"))
    return [block for block in found if block.available]


def _figures(folder: Path) -> list[Path]:
    """The figure set's PNGs, in the order its ``CAPTIONS.md`` lists them (then any other)."""
    if not folder.is_dir():
        return []
    pngs = {p.stem: p for p in folder.glob("*.png")}
    captions = folder / "CAPTIONS.md"
    listed = re.findall(r"^\*\*(.+?)\*\* \(", captions.read_text(encoding="utf-8"), flags=re.M) \
        if captions.is_file() else []
    ordered = [pngs[name] for name in dict.fromkeys(listed) if name in pngs]
    return ordered + sorted(p for p in pngs.values() if p not in ordered)


def _inline(text: str) -> str:
    """Escape ``text``, with `backticks` as code."""
    pieces = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(pieces))


def _stored(text: str, source: str, tag: str, css: str) -> str:
    """A stored text shown verbatim, with where it is stored."""
    return f'<{tag} class="stored {css}" data-source="{html.escape(source)}">{html.escape(text)}</{tag}>'


def _from(source: str, tag: str, css: str, content: str) -> str:
    """Words made from a stored file (its values shown, not verbatim), with where it is stored."""
    return f'<{tag} class="{css}" data-source="{html.escape(source)}">{content}</{tag}>'


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
    rows = ["<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in block.header) + "</tr>"]
    for row in block.rows:
        rows.append("<tr>" + "".join("<td>" + "".join(_part(p) for p in cell) + "</td>"
                                     for cell in row) + "</tr>")
    notes = "".join("<p>" + "".join(_part(p) for p in note) + "</p>" for note in block.notes)
    table = "<table>" + "".join(rows) + "</table>" if block.header else ""
    return (f"<h4>{html.escape(block.title)}</h4><p>" + "".join(_part(p) for p in block.intro)
            + "</p>" + table + notes)
