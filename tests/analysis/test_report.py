"""``run.py report`` (the HTML report) and the documents' generated numbers, on small quick results.

The report must hold a section for every stored experiment and study (a user's own among them), list
the experiments not run only when asked, and show no number
that is not in the stored results: each table number is a ``<data>`` element naming the stored cell
it shows (checked against that cell), each caption and provenance line is a stored text (checked
verbatim), and any other number in a section must occur in the files that section reads.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.numbers import BLOCKS, VERDICT_WORDS, Source
from analysis.readme import DOCUMENTS, blocks, generate, stale
from tests.support.experiment_cases import write
from tests.support.project import ROOT

HEADLINE = """\
name = "headline"
scenario = "asia"
structures = ["none", "hub_and_spoke", "collective"]
replicates = 6
steps = 40
master_seed = 3
[quick]
replicates = 4
steps = 30
"""
VIABILITY = """\
name = "viability"
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 3
steps = 30
master_seed = 4
[design]
kind = "full_factorial"
[design.factors]
red_line_divergence = [0.2, 0.8]
mean_hedging = [0.2, 0.6]
[quick]
replicates = 2
steps = 20
"""
HISTORY = """\
name = "history"
scenarios = ["seato"]
history = true
replicates = 4
master_seed = 5
[design]
kind = "points"
points = [{ label = "as it happened (imposed)", formation = "imposed" }]
[quick]
replicates = 3
steps = 20
"""
REGIME = """\
name = "regime"
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 2
steps = 30
master_seed = 6
[design]
kind = "latin_hypercube"
samples = 40
factors = "uncertainties"
[quick]
samples = 30
replicates = 2
steps = 20
"""
MY_RING = """\
name = "my_ring"
description = "a ring of my own"
scenario = "asia"
structures = ["hub_and_spoke", "collective"]
replicates = 2
steps = 12
master_seed = 7
[quick]
replicates = 2
steps = 12
"""
RUN = {"headline": HEADLINE, "viability": VIABILITY, "history": HISTORY, "regime": REGIME,
       "my_ring": MY_RING}
"""Small stand-ins for the shipped experiments (same names, so the report finds them) and a user's
own experiment; pathways and the phase diagrams are left unrun."""


@pytest.fixture(scope="module")
def quick_root(tmp_path_factory) -> Path:
    """Quick results of a few experiments and a tiny sensitivity study, with their figure sets."""
    from analysis.figure_set import make_figures
    from experiments import design, runner
    from sensitivity.problem import declared_problem
    from sensitivity.study import make_study, run_study

    base = tmp_path_factory.mktemp("report")
    root = base / "results"
    for name, text in RUN.items():
        experiment = design.load(write(base, name, text), quick=True)
        report = runner.run_experiment(experiment, out=root, workers=1, progress=False)
        make_figures(report.folder)
    study = make_study("morris", n=2, seed=5, replicates=2, steps=12, quick=True,
                       problem=declared_problem(["theatre_coupling", "red_line_divergence"]))
    report = run_study(study, root, workers=1, progress=False, metrics=("stable",))
    make_figures(report.folder)
    return root


# --- the number check: independent of the report's code -------------------------------------------

NUMBER = re.compile(r"(?<![\w.])[-+−]?\d+(?:\.\d+)?(?![\w])")


def tokens(text: str) -> set[str]:
    return {t.replace("−", "-").lstrip("+") for t in NUMBER.findall(text)}


def shown(value: str, style: str) -> str:
    number = float(value) if value not in ("", "nan") else float("nan")
    if number != number:
        return "–"
    if style == "int":
        return str(int(round(number)))
    return format(number, style).replace("-", "−")


class Report(HTMLParser):
    """Per section: the <data> numbers, the stored texts and the remaining free text."""

    def __init__(self):
        super().__init__()
        self.section = ""
        self.stack: list[tuple[str, dict]] = []
        self.data: list[dict] = []
        self.stored: list[dict] = []
        self.free: dict[str, list[str]] = {}
        self.images: dict[str, int] = {}
        self.made_from: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id", "")
        if tag == "img" and attrs.get("src", "").startswith("data:image/png;base64,"):
            self.images[self.section] = self.images.get(self.section, 0) + 1
        if tag in ("img", "meta", "br"):
            return
        if "data-source" in attrs and tag != "data" and "stored" not in attrs.get("class", ""):
            self.made_from.append((self.section, attrs["data-source"]))  # words made from a file
        self.stack.append((tag, {**attrs, "text": "", "section": self.section}))

    def handle_endtag(self, tag):
        while self.stack:
            name, attrs = self.stack.pop()
            if name == "data":
                self.data.append(attrs)
            elif "stored" in attrs.get("class", ""):
                self.stored.append(attrs)
            if name == tag:
                break

    def handle_data(self, text):
        for name, attrs in reversed(self.stack):
            if name == "style":
                return
            if name == "data" or "stored" in attrs.get("class", ""):
                attrs["text"] += text
                return
        self.free.setdefault(self.section, []).append(text)


def unsupported(html: str, root: Path) -> list[str]:
    """Every number in ``html`` that is not where the stored results say it is."""
    report = Report()
    report.feed(html)
    problems: list[str] = []
    sources: dict[str, set[str]] = {}

    def read(section: str, relative: str) -> str:
        text = (root / relative).read_text(encoding="utf-8")
        sources.setdefault(section, set()).update(tokens(text))
        return text

    for section, relative in report.made_from:
        read(section, relative)
    for item in report.data:
        frame = pd.read_csv(root / item["data-source"], dtype=str, keep_default_na=False)
        read(item["section"], item["data-source"])
        cell = frame.at[int(item["data-row"]), item["data-column"]]
        if cell != item["value"]:
            problems.append(f"{item['data-source']} row {item['data-row']} {item['data-column']}: "
                            f"stored {cell!r}, the report says {item['value']!r}")
        if item["text"] != shown(item["value"], item["data-style"]):
            problems.append(f"{item['value']!r} shown as {item['text']!r}")
    for item in report.stored:
        text = read(item["section"], item["data-source"])
        if item["data-source"].endswith(".json"):
            text = json.loads(text)["line"]
        if item["text"].strip() != text.strip():
            problems.append(f"{item['data-source']}: the report's text is not the stored one")
    for section, texts in report.free.items():
        for token in tokens(" ".join(texts)) - sources.get(section, set()):
            problems.append(f"section {section or '(top)'}: {token} is in no file the section reads")
    return problems


# --- the report ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_html(quick_root, tmp_path_factory) -> str:
    from cli import main

    out = tmp_path_factory.mktemp("html") / "report.html"
    assert main(["report", "--results", str(quick_root), "--quick", "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_report_has_a_section_for_every_stored_folder_the_users_own_among_them(report_html,
                                                                             quick_root):
    report = Report()
    report.feed(report_html)
    folders = sorted(p.name for p in quick_root.iterdir() if (p / "manifest.json").is_file())
    assert "my_ring-quick" in folders and any(f.startswith("sensitivity") for f in folders)
    for folder in folders:  # every experiment and study stored, the user's own included
        assert f'<section id="{folder}">' in report_html, folder
        assert report.images.get(folder, 0) >= 1, folder
    # the user's experiment is described from its manifest: its design, structures and replicates
    own = report_html.split('<section id="my_ring-quick">')[1].split("</section>")[0]
    assert "a ring of my own" in own and "<b>my_ring</b>" in own
    assert "hub-and-spoke" in own and "collective" in own and "2 paired replicates" in own
    assert "not-run" not in report_html and "not run yet" not in report_html  # only when asked
    assert "src=\"http" not in report_html and "<link" not in report_html  # one self-contained file
    assert 'id="zoom"' in report_html and "cursor: zoom-in" in report_html  # a click enlarges
    for name in ("headline", "viability", "history", "regime", "my_ring"):
        manifest = json.loads((quick_root / f"{name}-quick" / "manifest.json").read_text())
        assert manifest["experiment_sha256"][:12] in report_html, name
    captions = [s for s in report.stored if "caption" in s.get("class", "")]
    assert captions and all("commit" in c["text"] for c in captions)
    assert all("paired replicates" in c["text"] or "replicates per point" in c["text"]
               for c in captions)
    blocks = [b(Source(quick_root, quick=True)) for b in BLOCKS.values()]
    assert [b.name for b in blocks if not b.available] == ["pathways", "durations", "threat",
                                                              "scenarios",
                                                              "mechanisms", "time",
                                                              "swing_settings",
                                                              "regime_imposed", "performance"]
    assert all(b.title in report_html for b in blocks if b.available)


def test_report_lists_what_has_not_been_run_only_when_asked(quick_root, tmp_path):
    from cli import main

    out = tmp_path / "report.html"
    assert main(["report", "--results", str(quick_root), "--quick", "--out", str(out),
                 "--missing"]) == 0
    text = out.read_text(encoding="utf-8")
    assert '<section id="not-run">' in text
    assert "python run.py sweep pathways --quick" in text
    assert "python run.py sweep divergence_hedging --quick" in text
    assert "sweep headline --quick" not in text  # stored, so not listed


def test_every_number_in_the_report_is_in_the_stored_results(report_html, quick_root):
    assert len(re.findall(r"<data ", report_html)) > 100
    assert unsupported(report_html, quick_root) == []
    # the check can fail: a number shown wrongly, one read from another row, one made up
    first = re.search(r'(<data value="[^"]*"[^>]*>)([^<]*)(</data>)', report_html)
    wrong = report_html.replace(first.group(0), first.group(1) + "0.123" + first.group(3), 1)
    assert any("shown as '0.123'" in p for p in unsupported(wrong, quick_root))
    moved = report_html.replace('data-row="0" data-column="mean"', 'data-row="1" data-column="mean"', 1)
    assert any("stored" in p for p in unsupported(moved, quick_root))
    made_up = report_html.replace("</h2>", "</h2><p>a gap of 0.4321</p>", 1)
    assert any("0.4321" in p for p in unsupported(made_up, quick_root))


# --- the README's generated numbers ------------------------------------------------------------


def test_readme_blocks_are_generated_from_the_published_tables(quick_root, tmp_path):
    from analysis.publish import publish

    docs = tmp_path / "docs"
    publish(quick_root, docs, quick=True, redraw=False)
    assert (docs / "data" / "regime" / "discovery.csv").is_file()
    assert (docs / "regime_map.png").is_file()
    published = Source(docs, published=True)
    text = "# R\n\n" + "\n\n".join(f"<!-- results: {name} -->\n<!-- /results -->" for name in BLOCKS)
    assert set(stale(text, published)) == set(BLOCKS)
    readme = generate(text, published)
    assert stale(readme, published) == []
    assert generate(readme, published) == readme
    # the numbers are those of the stored tables: the headline's collective share, for one
    summary = pd.read_csv(docs / "data" / "headline" / "summary.csv")
    collective = summary[(summary.structure == "collective") & (summary.metric == "stable")].iloc[0]
    assert f"{collective['mean']:.3f} [{collective['low']:.3f}, {collective['high']:.3f}]" in readme
    assert "not published yet: run `python run.py sweep pathways`" in readme
    # the verdict reads the headline's stored stability table, its words the stored verdict
    stability = pd.read_csv(docs / "data" / "headline" / "stability.csv")
    row = stability[(stability.runs == "all runs")
                    & stability.definition.str.endswith("(stable_cohesive)")].iloc[0]
    verdict = readme[readme.index("<!-- results: verdict -->"):readme.index("<!-- results: headline -->")]
    assert f"in {row['hub_and_spoke']:.2f} of runs under hub-and-spoke" in verdict
    assert VERDICT_WORDS[row["verdict"]] in verdict
    # a number edited by hand is caught, naming its block
    block = readme[readme.index("<!-- results: headline -->"):]
    edited = readme.replace(block, re.sub(r"\d\.\d{3}", "9.999", block, count=1), 1)
    assert stale(edited, published) == ["headline"]
    with pytest.raises(ValueError, match="unknown results block 'headlines'"):
        stale("<!-- results: headlines -->\n<!-- /results -->", published)
    with pytest.raises(ValueError, match="do not pair up"):
        stale("<!-- results: headline -->\n", published)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_documents_numbers_equal_what_the_published_tables_make(document):
    """On a clean clone: every block of README.md and of the documentation is what
    docs/figures/data makes now."""
    text = (ROOT / document).read_text(encoding="utf-8")
    assert blocks(text), f"{document}: no generated block"
    assert stale(text, Source(ROOT / "docs" / "figures", published=True)) == [], \
        "regenerate with: python run.py report --readme"


def test_every_block_is_in_a_document_and_the_readme_shows_the_verdict():
    shown = {name: document for document in DOCUMENTS
             for name in blocks((ROOT / document).read_text(encoding="utf-8"))}
    assert set(shown) == set(BLOCKS)
    assert blocks((ROOT / "README.md").read_text(encoding="utf-8")) == ["verdict"]
    assert shown["headline"] == "docs/findings.md" and shown["performance"] == "docs/performance.md"


def _benchmarks():
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_are_recorded_and_the_latest_shown_with_their_targets(tmp_path):
    from analysis.numbers import PERFORMANCE_RUNS, block, markdown

    bench = _benchmarks()
    info = {"commit": "abc1234", "machine": "a machine, 2 cores", "python": "3.12.1", "mesa": "3.5.1"}
    published = Source(tmp_path, published=True)
    assert "not published yet: run `python benchmarks/run.py --publish docs/figures`" in markdown(
        block("performance", published))
    for k in range(PERFORMANCE_RUNS + 1):
        bench.record(tmp_path, {"single_run_ms": 1.0 + k / 8, "batch_run_ratio": 7.0 + k,
                                "sweep_peak_rss_mb": 480.4}, {**info, "commit": f"c{k}"}, 0.5 * k,
                     f"2026-12-0{k + 1}")
    table = pd.read_csv(tmp_path / "data" / "performance" / "benchmarks.csv")
    assert list(table.columns) == list(bench.COLUMNS) and len(table) == 3 * (PERFORMANCE_RUNS + 1)
    shown = block("performance", published)
    assert shown.header == ["benchmark", *(f"c{k} (2026-12-0{k + 1}, load {0.5 * k:.1f})"
                                           for k in range(1, PERFORMANCE_RUNS + 1)), "target"]
    text = markdown(shown)
    # the latest runs, each number as its benchmark's digits show it, and the targets
    assert "| 1.125 | 1.250 | 1.375 | 1.500 | ≤ 1.5 |" in text and "1.000" not in text
    assert "| 8.00 | 9.00 | 10.00 | 11.00 | ≥ 3 |" in text
    assert "| 480 | 480 | 480 | 480 | ≤ 1024 |" in text
    assert "a machine, 2 cores, Python 3.12.1, Mesa 3.5.1" in text
    assert "5 runs recorded" in text


def test_benchmarks_refuse_to_publish_a_quick_run(tmp_path):
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--quick", "--publish", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "--publish records full runs only" in done.stderr
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--publish", str(tmp_path / "no")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "no such folder" in done.stderr


def test_report_and_readme_commands_refuse_bad_input_in_one_line(tmp_path, capsys):
    from cli import main

    for args, message in ((["--results", str(tmp_path / "none")], "no such results folder"),
                          (["--check-readme", "--readme-file", str(tmp_path / "R.md")], "no such file")):
        assert main(["report", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error:") and message in err and err.count("\n") == 1, err
    readme = tmp_path / "README.md"
    readme.write_text("<!-- results: headline -->\nold\n<!-- /results -->\n")
    assert main(["report", "--check-readme", "--readme-file", str(readme), "--published",
                 str(tmp_path)]) == 1
    assert "headline" in capsys.readouterr().err


def test_the_report_reads_stored_results_only():
    code = ("import sys, analysis.html_report, analysis.numbers, analysis.readme, analysis.publish; "
            "bad = [m for m in sys.modules if m in ('model.model', 'model.agents', 'mesa') "
            "or m.split('.')[0] == 'scenarios' "
            "or m.startswith('experiments.') and m != 'experiments.formats']; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
