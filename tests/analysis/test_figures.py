"""Figures a reviewer would accept: Δ colour scales centred on zero that draw noise pale, uncertain
cells marked, scenarios named as their files name them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.figures import phase
from analysis.labels import MEANINGFUL_DIFFERENCE, scenario_label
from analysis.results import Results
from tests.support.experiment_cases import write
from tests.support.project import ROOT


def grid_table(deltas: dict[str, list[float]], clear: list[bool]) -> pd.DataFrame:
    """A 2 x 2 phase table, by hand: per metric, the four cells' Δ (x, y) = (0,0) (1,0) (0,1) (1,1)."""
    rows = []
    for metric, values in deltas.items():
        for k, (x, y) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
            rows.append({"x": x, "y": y, "metric": metric, "delta": values[k], "clear": clear[k]})
    return pd.DataFrame(rows)


def test_a_negligible_difference_is_drawn_pale_and_a_large_one_sets_the_scale():
    results = Results(Path("t"), pd.DataFrame(), {"experiment": "t", "design": {}})
    table = grid_table({"stable": [-0.006, 0.004, 0.0, 0.002], "formed": [0.3, -0.1, 0.0, 0.05],
                        "deterrence_rate": [0.01, 0.0, -0.01, 0.0]},
                       clear=[True, False, False, False])
    figure = phase(results, table, "x", "y", ["stable", "formed", "deterrence_rate"])
    axes = [ax for ax in figure.axes if ax.images]
    norms = [ax.images[0].norm for ax in axes]
    # centred on zero; at least the declared meaningful difference, more when the data are larger
    assert [(n.vcenter, n.vmin, n.vmax) for n in norms] == [
        (0.0, -MEANINGFUL_DIFFERENCE["flag"], MEANINGFUL_DIFFERENCE["flag"]), (0.0, -0.3, 0.3),
        (0.0, -MEANINGFUL_DIFFERENCE["rate"], MEANINGFUL_DIFFERENCE["rate"])]
    # -0.006 on a ±0.10 scale is pale: within 5 % of the colour map's middle, not saturated red
    image = axes[0].images[0]
    assert abs(image.norm(-0.006) - 0.5) < 0.05
    # the three cells whose interval includes zero are hatched, the clear one is starred
    for ax in axes:
        assert sum(1 for patch in ax.patches if patch.get_hatch()) == 3
    assert "-0.01*" in [t.get_text() for t in axes[0].texts]


def test_a_scenario_given_by_path_is_named_as_its_file_names_it(tmp_path):
    from analysis.figure_set import make_figures
    from experiments import design, runner

    folder = tmp_path / "mine"
    folder.mkdir()
    text = (ROOT / "scenarios" / "symmetric.toml").read_text(encoding="utf-8")
    (folder / "ring.toml").write_text(text.replace('name = "symmetric"', 'name = "my ring"'),
                                      encoding="utf-8")
    experiment = write(folder, "labelled", 'name = "labelled"\nscenarios = ["asia", "ring.toml"]\n'
                       'structures = ["hub_and_spoke", "collective"]\nreplicates = 3\nsteps = 20\n'
                       'master_seed = 2\n')
    report = runner.run_experiment(design.load(experiment), out=tmp_path / "results", workers=1,
                                   progress=False)
    make_figures(report.folder)
    stored = Results(report.folder, pd.DataFrame(), report_manifest(report.folder))
    assert scenario_label(stored, "ring.toml") == "my ring" and scenario_label(stored, "asia") == "asia"
    figures = report.folder / "figures"
    captions = (figures / "CAPTIONS.md").read_text(encoding="utf-8")
    assert "Scenario my ring:" in captions and "ring.toml" not in captions
    assert (figures / "comparison_my_ring.png").is_file()


def report_manifest(folder: Path) -> dict:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_histories_of_different_structures_are_drawn_side_by_side_without_a_paired_row(tmp_path):
    """SEATO's history runs a collective pact, asia1951's hub-and-spoke: no run has a twin under
    the other structure, so the figures show each and pair none (the paired row used to fail)."""
    from analysis.figure_set import make_figures
    from analysis.statistics import paired_differences
    from experiments import design, runner

    experiment = write(tmp_path, "two_histories", 'name = "two_histories"\n'
                       'scenarios = ["seato", "asia1951"]\nhistory = true\nreplicates = 2\n'
                       'master_seed = 1\n')
    report = runner.run_experiment(design.load(experiment), out=tmp_path / "results", workers=1,
                                   progress=False)
    files = make_figures(report.folder)
    assert report.folder / "figures" / "scenarios.png" in files
    runs = pd.read_csv(report.folder / "runs.csv")
    assert set(runs["structure"]) == {"collective", "hub_and_spoke"}
    unpaired = paired_differences(runs, ["wars"], by=["scenario"])
    assert unpaired.empty and "scenario" in unpaired.columns
