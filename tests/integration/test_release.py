"""Ready to cite: one version, declared in pyproject.toml, reaches the command line, every results
manifest and every figure caption; the citation file, the changelog and the tutorial agree with it.

(The citation file's schema check, ``cffconvert --validate``, runs in ``.ci/run``: cffconvert needs
an old jsonschema, so it runs in its own environment.)
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib

import pytest
import yaml

from analysis.figure_set import make_figures
from experiments import design, runner
from experiments.store import ResultsStore, read_manifest
from experiments.version import DISTRIBUTION, project_version
from tests.support.project import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


def test_the_version_is_the_one_pyproject_declares():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert project_version() == VERSION


def test_a_checkout_that_is_not_installed_reads_pyproject(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert project_version() == VERSION


def test_run_py_version_prints_it(capsys):
    from cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"{DISTRIBUTION} {VERSION}"


def test_every_manifest_and_session_records_it(tmp_path):
    folder = tmp_path / "study"
    store = ResultsStore.open(folder, identity={"what": 1}, info={"experiment": "x"})
    store.close("complete")
    store = ResultsStore.open(folder, identity={"what": 1}, info={"experiment": "x"})
    store.close("complete")
    manifest = read_manifest(folder)
    assert manifest["model_version"] == VERSION
    assert [s["model_version"] for s in manifest["sessions"]] == [VERSION, VERSION]


def test_every_figure_caption_of_a_sweep_names_it(tmp_path):
    report = runner.run_experiment(design.load("tiny", quick=True), out=tmp_path, workers=1,
                                   progress=False)
    make_figures(report.folder)
    captions = sorted((report.folder / "figures").glob("*.txt"))
    assert captions
    for caption in captions:
        assert f"model version {VERSION}," in caption.read_text(encoding="utf-8"), caption.name
    assert f"model version {VERSION}," in (report.folder / "figures" / "summary.md").read_text()


def test_every_figure_caption_of_a_sensitivity_study_names_it(tmp_path):
    from analysis.sensitivity_figures import make_figures as sensitivity_report
    from sensitivity.problem import declared_problem
    from sensitivity.study import make_study, run_study

    study = make_study("morris", n=2, seed=5, replicates=2, steps=12,
                       problem=declared_problem(["theatre_coupling", "red_line_divergence"]))
    report = run_study(study, tmp_path, workers=1, progress=False)
    sensitivity_report(report.folder)
    captions = sorted((report.folder / "figures").glob("*.txt"))
    assert captions
    for caption in captions:
        assert f"model version {VERSION}," in caption.read_text(encoding="utf-8"), caption.name


def test_results_made_before_versions_were_recorded_say_so(tmp_path):
    report = runner.run_experiment(design.load("tiny", quick=True), out=tmp_path, workers=1,
                                   progress=False)
    manifest_path = report.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["model_version"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    from analysis.results import load

    assert "model version unknown (not recorded)," in load(report.folder).caption()


def test_citation_file_names_this_version_the_licence_and_the_references():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == VERSION
    assert citation["license"] == PYPROJECT["project"]["license"] == "MIT"
    assert citation["authors"] == [{"name": "The alliance-deterrence authors"}]
    cited = {(r["authors"][0]["family-names"], r["year"], r["journal"]) for r in citation["references"]}
    assert cited == {
        ("Snyder", 1984, "World Politics"),
        ("Christensen", 1990, "International Organization"),
        ("Morrow", 1991, "American Journal of Political Science"),
        ("Smith", 1995, "International Studies Quarterly"),
        ("Leeds", 2000, "Journal of Conflict Resolution"),
        ("Cha", 2010, "International Security"),
        ("Grimm", 2020, "Journal of Artificial Societies and Social Simulation"),
    }


def test_licence_file_is_the_mit_text_for_the_authors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "The alliance-deterrence authors" in text
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]


def test_changelog_has_a_section_for_this_version_and_the_first():
    headings = re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
                          flags=re.MULTILINE)
    assert headings[0] == VERSION, "the newest CHANGELOG section must be pyproject's version"
    assert "0.1.0" in headings


def test_tutorial_is_stored_without_outputs_and_run_by_the_suite():
    notebook = json.loads((ROOT / "docs" / "tutorial.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
    pytest_options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "docs/tutorial.ipynb" in pytest_options["testpaths"]
    assert "--nbmake" in pytest_options["addopts"].split()


def _tutorial_cells() -> tuple[list[str], list[str]]:
    notebook = json.loads((ROOT / "docs" / "tutorial.ipynb").read_text(encoding="utf-8"))
    text = {"markdown": [], "code": []}
    for cell in notebook["cells"]:
        text[cell["cell_type"]].append("".join(cell["source"]))
    return text["markdown"], text["code"]


def test_tutorial_says_how_to_open_it_and_the_default_environment_can():
    prose, _ = _tutorial_cells()
    assert "uv run jupyter lab" in prose[0]
    assert "uv run jupyter lab" in (ROOT / "docs" / "how-to" / "install.md").read_text(encoding="utf-8")
    groups = PYPROJECT["dependency-groups"]
    installed = PYPROJECT.get("tool", {}).get("uv", {}).get("default-groups", ["dev"])
    assert any(isinstance(requirement, str) and requirement.startswith("jupyterlab")
               for group in installed for requirement in groups[group])


def test_tutorial_asserts_its_claims_with_the_library_and_the_headline_definition():
    prose, code = _tutorial_cells()
    words, source = "\n".join(prose), "\n".join(code)
    # the headline definition, named and read from the model's declarations
    assert "stable_cohesive" in words and "HEADLINE_STABILITY" in source
    # a run where the collective pact forms and one where it does not, each claim asserted
    assert "formation_summary(" in source and "review_texts(" in source
    assert 'metrics()["formed"] == 1' in source and 'metrics()["formed"] == 0' in source
    assert sum(line.lstrip().startswith("assert ") for line in source.splitlines()) >= 10
    # the paired comparison with the project's own function, on the headline definition
    assert "paired_differences(" in source and "COMPARED = [\"stable_cohesive\"" in source
    # a stored experiment loaded typed, and a figure of one's own, labelled
    assert "run_experiment(" in source and "typed=True" in source
    assert all(label in source for label in ("set_ylabel(", "xlabel=", "title="))
    # every number in the prose is printed by a cell: no decimal fractions in the text
    assert not re.search(r"\b\d+\.\d+\b", words), re.search(r"\b\d+\.\d+\b", words)
