"""Sensitivity indices of a stored sensitivity study, from its files alone (never runs the model).

A study folder (written by ``python run.py sensitivity``, see :mod:`sensitivity.study`) holds
``runs.csv`` and ``manifest.json`` like any results folder, plus ``samples.csv`` (the sample matrix)
and ``plan.csv`` (the run of each point, structure and replicate). :func:`analyse_folder` rebuilds
the design, gathers each outcome per point and replicate -- every structure's metric and the paired
gap collective − hub-and-spoke -- and applies :func:`sensitivity.indices.analyse` (Sobol' S1, ST,
S2 or Morris mu*, sigma, with bootstrap confidence intervals seeded by the study's seed, and the
replicate-noise shares). :func:`write_tables` stores the result as ``figures/indices.csv``,
``figures/sensitivity_summary.csv`` and a Markdown ``figures/summary.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.formats import PLAN, SAMPLES, read_manifest
from experiments.formats import SENSITIVITY as KIND
from sensitivity.indices import Analysis, analyse
from sensitivity.outcomes import DEFAULT_METRICS, outcome_label, outputs_from_table
from sensitivity.sampling import Design, stored_design

from .results import FIGURES, Results, ResultsError, load

INDICES = "indices.csv"
SUMMARY = "sensitivity_summary.csv"
TOP = 5


class IncompleteStudy(ResultsError):
    """A study whose runs are not all finished: the estimators need every point."""


@dataclass
class StoredStudy:
    """A study read back from its folder: its results (runs, manifest), design and plan.

    (:class:`sensitivity.study.Study` is the study to run; this is what it left on disk.)
    """

    results: Results
    design: Design
    plan: pd.DataFrame

    @property
    def definition(self) -> dict[str, Any]:
        return self.results.design

    @property
    def folder(self) -> Path:
        return self.results.folder


def is_study(folder: str | Path) -> bool:
    """Whether ``folder``'s manifest says it holds a sensitivity study."""
    try:
        manifest = read_manifest(Path(folder))
    except ResultsError:
        return False
    return manifest is not None and manifest.get("kind") == KIND


def load_study(folder: str | Path) -> StoredStudy:
    """Read a study folder; :class:`analysis.results.ResultsError` says what is missing or wrong."""
    results = load(folder)
    folder = results.folder
    definition = results.design
    if results.manifest.get("kind") != KIND:
        raise ResultsError(f"{folder}: not a sensitivity study (manifest kind is not '{KIND}')")
    for name in (SAMPLES, PLAN):
        if not (folder / name).is_file():
            raise ResultsError(f"{folder}: no {name}; rerun 'python run.py sensitivity' to restore it")
    samples = pd.read_csv(folder / SAMPLES, index_col="point")
    if list(samples.columns) != definition["factors"]:
        raise ResultsError(f"{folder / SAMPLES}: columns differ from the manifest's factors")
    design = stored_design(definition, samples.to_numpy(float))
    if len(design) != definition["points"]:
        raise ResultsError(f"{folder / SAMPLES}: {len(design)} points, the manifest says "
                           f"{definition['points']}")
    plan = pd.read_csv(folder / PLAN)
    return StoredStudy(results, design, plan)


def runs_by_point(study: StoredStudy) -> pd.DataFrame:
    """One row per (point, structure, replicate) with its stored run's columns (NaN if not run)."""
    stored = study.results.runs.drop(columns=["point", "structure", "replicate"], errors="ignore")
    return study.plan.merge(stored, how="left", on="run_id", indicator=True)


def analyse_folder(folder: str | Path, metrics: list[str] | None = None, *,
                   conf_level: float = 0.95) -> Analysis:
    """The indices of a stored study; ``metrics`` default to the ones it was run for.

    An unfinished study is refused (the estimators need every point): resume it first.
    """
    study = load_study(folder)
    definition = study.definition
    metrics = list(dict.fromkeys(metrics or study.results.manifest.get("outcomes") or DEFAULT_METRICS))
    unknown = [m for m in metrics if m not in study.results.runs.columns]
    if unknown:
        raise ResultsError(f"{study.folder}: no metric '{unknown[0]}' in runs.csv")
    runs = runs_by_point(study)
    missing = runs.loc[runs["_merge"] == "left_only", "run_id"].nunique()
    if missing:
        planned = study.plan.run_id.nunique()
        raise IncompleteStudy(
            f"{study.folder}: {planned - missing} of {planned} runs finished; give the same "
            "'python run.py sensitivity' command again to resume before analysing"
        )
    outputs = outputs_from_table(runs, len(study.design), definition["replicates"], metrics,
                                 definition["structures"])
    return analyse(study.design, outputs, conf_level=conf_level, seed=definition["seed"])


def top_drivers(analysis: Analysis, outcome: str, count: int = TOP) -> pd.DataFrame:
    """The ``count`` factors with the largest ST (Sobol') or mu* (Morris) for ``outcome``."""
    index = "ST" if "ST" in set(analysis.indices["index"]) else "mu_star"
    table = analysis.table(outcome, index)
    return table.loc[table.value.dropna().sort_values(ascending=False).index[:count]]


def _cell(value: float, conf: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:.2f} ± {conf:.2f}" if math.isfinite(conf) else f"{value:.3f}"


def provenance(results: Results) -> str:
    """The line every caption ends with: what was run, how often, from which commit."""
    design = results.design
    size = (f"N = {design['n']} ({design['points']} points)" if design["method"] == "sobol"
            else f"{design['n']} trajectories ({design['points']} points)")
    second = ", second order" if design.get("second_order") else ""
    return (f"Study '{results.name}': {design['method']}{second} on scenario {design['scenario']}, "
            f"{len(design['factors'])} declared uncertainties, {size}, {design['replicates']} paired "
            f"replicates per point and structure ({', '.join(design['structures'])}), "
            f"{design['steps']} steps, seed {design['seed']}, {len(results.runs)} distinct runs, "
            f"model version {results.version}, commit {results.commit}.")


def summary_markdown(analysis: Analysis, results: Results) -> str:
    """A Markdown table: per outcome, the noise share and the top drivers."""
    method = results.design["method"]
    index = "ST (total Sobol' index ± 95 % CI)" if method == "sobol" else "μ* (± 95 % CI)"
    lines = [f"# {results.name}", "", provenance(results), "",
             f"| outcome | replicate noise | top drivers by {index} |", "|---|---|---|"]
    for row in analysis.summary.itertuples():
        noise = f"{row.noise_share_mean:.0%}" if math.isfinite(row.noise_share_mean) else "–"
        top = top_drivers(analysis, row.outcome)
        drivers = ", ".join(f"{name} {_cell(r.value, r.conf)}" for name, r in top.iterrows()) or \
            "did not vary"
        undefined = f" (undefined at {row.undefined_points} points)" if row.undefined_points else ""
        lines.append(f"| {outcome_label(row.outcome)}{undefined} | {noise} | {drivers} |")
    return "\n".join(lines) + "\n"


def write_tables(analysis: Analysis, results: Results) -> list[Path]:
    """``figures/indices.csv``, ``figures/sensitivity_summary.csv`` and ``figures/summary.md``."""
    out = results.folder / FIGURES
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / INDICES, out / SUMMARY, out / "summary.md"]
    analysis.indices.to_csv(paths[0], index=False, float_format="%.6g")
    analysis.summary.to_csv(paths[1], index=False, float_format="%.6g")
    paths[2].write_text(summary_markdown(analysis, results), encoding="utf-8")
    return paths
