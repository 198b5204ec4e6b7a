"""Figures of a stored sensitivity study, drawn from its stored runs only (never runs the model).

* Sobol': for each outcome, horizontal bars of S1 (first order) and ST (total) for the factors with
  the largest ST, with their bootstrap confidence intervals; and one heat map of ST for every factor
  and outcome (the overview: which assumptions matter for which outcome).
* Morris: for each outcome, the mu*-sigma plane (Morris 1991; Campolongo et al. 2007), with the
  rays sigma/mu* = 0.1 and 1 that separate almost linear, monotonic and strongly non-linear or
  interacting factors (Garcia Sanchez et al. 2014, Energy and Buildings 68).

Each figure is written as PNG and PDF to ``<folder>/figures/`` with a caption sidecar
``<name>.txt`` naming the study, its size, replicates, the replicate-noise share and the git commit.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.store import FIGURES, read_manifest  # noqa: E402

from .indices import Analysis  # noqa: E402
from .outcomes import outcome_label  # noqa: E402
from .study import analyse_folder  # noqa: E402

TOP = 15
"""Factors shown per Sobol' bar chart (largest ST first); the heat map shows all of them."""
FORMATS = ("png", "pdf")


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")


def _caption(manifest: dict, summary: pd.Series, what: str) -> str:
    design = manifest["design"]
    commit = (manifest.get("git_commit") or "unknown")[:10]
    dirty = " (uncommitted changes)" if manifest.get("git_dirty") else ""
    noise = summary.noise_share_mean
    noise_text = "n/a" if not math.isfinite(noise) else f"{noise:.0%}"
    undefined = (f" Undefined at {summary.undefined_points} of {summary.points} points (no "
                 "opportunity in any replicate), filled with the outcome's mean."
                 if summary.undefined_points else "")
    size = (f"N = {design['n']} ({design['points']} points)" if design["method"] == "sobol"
            else f"{design['n']} trajectories ({design['points']} points)")
    return (f"{what} Study {manifest['experiment']}: {design['method']} on scenario "
            f"{design['scenario']}, {len(design['factors'])} declared uncertainties, {size}, "
            f"{design['replicates']} paired replicates per point and structure, {design['steps']} "
            f"steps, seed {design['seed']}. Share of the analysed variance that is replicate noise: "
            f"{noise_text}.{undefined} Commit {commit}{dirty}.")


def _save(fig, folder: Path, name: str, caption: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in FORMATS:
        path = folder / f"{name}.{fmt}"
        fig.savefig(path, dpi=150, bbox_inches="tight")
        paths.append(path)
    (folder / f"{name}.txt").write_text(caption + "\n", encoding="utf-8")
    plt.close(fig)
    return paths


def sobol_bars(analysis: Analysis, outcome: str, top: int = TOP):
    """S1 and ST of the ``top`` factors with the largest ST, with confidence intervals."""
    s1 = analysis.table(outcome, "S1")
    st = analysis.table(outcome, "ST")
    order = st.value.fillna(-1).sort_values(ascending=False).index[:top][::-1]
    y = np.arange(len(order))
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(order) + 1.6))
    height = 0.38
    ax.barh(y + height / 2, st.value[order], height, xerr=st.conf[order], color="#c44e52",
            label="ST (total: alone and in interactions)", capsize=2, error_kw={"lw": 0.8})
    ax.barh(y - height / 2, s1.value[order], height, xerr=s1.conf[order], color="#4c72b0",
            label="S1 (first order: alone)", capsize=2, error_kw={"lw": 0.8})
    ax.set_yticks(y, order)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("share of the outcome's variance (Sobol' index, 95 % CI)")
    ax.set_ylabel("declared uncertainty")
    ax.set_title(f"Sobol' indices: {outcome_label(outcome)}", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def sobol_overview(analysis: Analysis, outcomes: list[str]):
    """Heat map of ST: factors (rows, by their largest ST) x outcomes (columns)."""
    table = pd.DataFrame({o: analysis.table(o, "ST").value for o in outcomes})
    table = table.loc[table.max(axis=1).fillna(-1).sort_values(ascending=False).index]
    fig, ax = plt.subplots(figsize=(1.3 * len(outcomes) + 3.2, 0.26 * len(table) + 1.8))
    image = ax.imshow(table.clip(lower=0).to_numpy(float), aspect="auto", cmap="viridis", vmin=0,
                      vmax=max(1e-9, float(np.nanmax(table.to_numpy(float)))))
    ax.set_yticks(range(len(table)), table.index, fontsize=8)
    ax.set_xticks(range(len(outcomes)), [outcome_label(o).replace(" (", "\n(") for o in outcomes],
                  fontsize=7, rotation=30, ha="right")
    ax.set_xlabel("outcome")
    ax.set_ylabel("declared uncertainty")
    ax.set_title("Total-effect Sobol' index ST of every uncertainty, per outcome", fontsize=11)
    fig.colorbar(image, ax=ax, label="ST (share of variance, negative estimates shown as 0)")
    return fig


def morris_plane(analysis: Analysis, outcome: str, labels: int = 8):
    """mu* against sigma with the rays sigma/mu* = 0.1 and 1; the largest mu* labelled."""
    mu_star = analysis.table(outcome, "mu_star")
    sigma = analysis.table(outcome, "sigma").value
    fig, ax = plt.subplots(figsize=(7, 5.2))
    ax.errorbar(mu_star.value, sigma, xerr=mu_star.conf, fmt="o", ms=4, color="#4c72b0",
                ecolor="#9db3d6", elinewidth=0.8, capsize=0)
    top = max(float(np.nanmax(mu_star.value + mu_star.conf.fillna(0))), 1e-12) * 1.1
    line = np.array([0.0, top])
    for ratio, style in ((1.0, "--"), (0.1, ":")):
        ax.plot(line, ratio * line, style, color="grey", lw=0.8, label=f"σ / μ* = {ratio:g}")
    for name in mu_star.value.sort_values(ascending=False).index[:labels]:
        ax.annotate(name, (mu_star.value[name], sigma[name]), fontsize=7, xytext=(4, 3),
                    textcoords="offset points")
    ax.set_xlim(0, top)
    ax.set_ylim(0, max(float(np.nanmax(sigma)) * 1.15, 1e-12))
    ax.set_xlabel("μ*: mean |elementary effect| (outcome change per whole factor range)")
    ax.set_ylabel("σ: spread of elementary effects (same units)")
    ax.set_title(f"Morris screening: {outcome_label(outcome)}", fontsize=11)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def write_figures(folder: str | Path, analysis: Analysis | None = None) -> list[Path]:
    """Write the figures of a stored study; their paths.

    ``analysis`` defaults to the indices recomputed from the stored runs (:func:`analyse_folder`).
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if analysis is None:
        analysis = analyse_folder(folder)
    out = folder / FIGURES
    summary = analysis.summary.set_index("outcome")
    outcomes = list(summary.index)
    written: list[Path] = []
    method = manifest["design"]["method"]
    for outcome in outcomes:
        row = summary.loc[outcome]
        if method == "sobol":
            if analysis.table(outcome, "ST").value.isna().all():
                continue  # the outcome did not vary: nothing to apportion
            fig = sobol_bars(analysis, outcome)
            what = (f"Sobol' first-order (S1) and total (ST) indices of {outcome_label(outcome)} "
                    f"for the {TOP} uncertainties with the largest ST; bars are bootstrap 95 % "
                    "confidence intervals.")
            written += _save(fig, out, f"sobol_{_slug(outcome)}", _caption(manifest, row, what))
        else:
            fig = morris_plane(analysis, outcome)
            what = (f"Morris μ* against σ for {outcome_label(outcome)}; horizontal bars are "
                    "bootstrap 95 % confidence intervals of μ*.")
            written += _save(fig, out, f"morris_{_slug(outcome)}", _caption(manifest, row, what))
    if method == "sobol":
        usable = [o for o in outcomes if not analysis.table(o, "ST").value.isna().all()]
        if usable:
            fig = sobol_overview(analysis, usable)
            noise = ", ".join(
                f"{o}: {summary.loc[o].noise_share_mean:.0%}" for o in usable
                if math.isfinite(summary.loc[o].noise_share_mean)
            )
            what = ("Total-effect Sobol' index ST of every declared uncertainty for each outcome. "
                    f"Replicate-noise share per outcome: {noise}.")
            written += _save(fig, out, "sobol_overview", _caption(manifest, summary.iloc[0], what))
    return written
