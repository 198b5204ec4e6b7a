"""The documentation says what the code does."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from model.parameters import PARAMETERS, markdown_table
from tests.support.project import ROOT


def test_odd_parameter_table_is_generated_from_the_declaration():
    odd = (ROOT / "docs" / "ODD.md").read_text()
    assert markdown_table() in odd, "regenerate with: python run.py parameters --markdown"


def test_every_parameter_has_a_source_and_judgements_are_marked():
    for p in PARAMETERS:
        assert p.source.strip(), p.name
        assert p.meaning.strip(), p.name


def test_every_shipped_scenario_value_without_a_published_source_is_marked():
    # every line that sets a judgement value in asia.toml says "assumption" or names SIPRI
    text = (ROOT / "scenarios" / "asia.toml").read_text()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("power =", "available_share =", "hedging =")):
            assert "SIPRI" in line or "assumption" in line, line


# --- the README is the front door; every folder README maps its folder ---------------------------

README_LIMIT = 10 * 1024
"""The README's size limit in bytes: the front door, not the whole house."""

FOLDERS = ("model", "scenarios", "experiments", "analysis", "sensitivity", "viz", "cli", "benchmarks",
           "calibration", "tests", "results", "docs")
"""The folders whose README lists every file (and subfolder) the folder holds."""


def test_readme_is_a_short_front_door_with_the_start_and_the_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= README_LIMIT, "move detail into docs/ and link to it"
    for command in ("python3 -m pip install -q uv && python3 -m uv run python run.py sweep",
                    "python3 -m uv run pytest", "python run.py run ", "python run.py sweep ",
                    "python run.py viz"):
        assert command in readme, command
    assert "](docs/figures/headline.png)" in readme
    for page in ("docs/tutorial.ipynb", "docs/findings.md", "docs/guarantees.md", "docs/performance.md",
                 "docs/ODD.md", "docs/calibration.md", "docs/reference/api.md"):
        assert f"]({page})" in readme, page


def _tracked(folder: str) -> set[str]:
    """The files directly in ``folder`` and its subfolders (as ``name/``), as git tracks them; the
    folder's own listing when this is not a git checkout."""
    done = subprocess.run(["git", "ls-files", "--", folder], cwd=ROOT, capture_output=True, text=True)
    if done.returncode == 0 and done.stdout.strip():
        paths = [Path(line).relative_to(folder).parts for line in done.stdout.splitlines()]
    else:
        paths = [p.relative_to(ROOT / folder).parts for p in (ROOT / folder).rglob("*") if p.is_file()
                 and "__pycache__" not in p.parts and not p.name.startswith(".")]
    return {parts[0] + "/" if len(parts) > 1 else parts[0] for parts in paths}


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_readme_lists_every_file_it_holds(folder):
    readme = (ROOT / folder / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([^`\s]+)`", readme))
    missing = sorted(name for name in _tracked(folder) - {"README.md"} if name not in listed)
    assert not missing, f"{folder}/README.md does not list: {', '.join(missing)}"


def _markdown_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / f / "README.md" for f in FOLDERS)]
    return files + sorted(p for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts
                          and "figures" not in p.relative_to(ROOT / "docs").parts)


def test_every_relative_link_names_a_file_that_exists():
    broken = []
    for file in _markdown_files():
        text = re.sub(r"```.*?```", "", file.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            path = target.split("#")[0]
            if not path or re.match(r"[a-z]+:", path):
                continue
            if not (file.parent / path).exists():
                broken.append(f"{file.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_the_api_reference_documents_every_installed_package():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["packages"]["find"]["include"]
    api = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    listed = re.search(r"\.\. autosummary::\n(?:   :.*\n)*\n((?:   \w+\n)+)", api).group(1).split()
    assert sorted(listed) == sorted(p.rstrip("*") for p in packages)
