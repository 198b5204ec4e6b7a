"""Figures of a stored sensitivity study (``python run.py figures``), from its files alone.

* Sobol': ``sobol_<outcome>`` -- for each outcome, horizontal bars of S1 (first order) and ST (total)
  of the factors with the largest ST, with bootstrap 95 % confidence intervals; ``sobol_overview``
  -- a heat map of ST for every factor and outcome; with second-order indices, ``sobol_s2_<outcome>``
  -- S2 among the ten factors with the largest ST.
* Morris: ``morris_<outcome>`` -- the mu*-sigma plane (Morris 1991; Campolongo et al. 2007) with the
  rays sigma/mu* = 0.1 and 1 that separate almost linear, monotonic and non-linear or interacting
  factors (Garcia Sanchez et al. 2014, Energy and Buildings 68).

Each figure is a PNG and a PDF with a caption sidecar (``<name>.txt``, collected in ``CAPTIONS.md``)
that names the study, its size, replicates, the replicate-noise share and the commit.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sensitivity.indices import Analysis  # noqa: E402
from sensitivity.outcomes import outcome_label  # noqa: E402

from .figures import save  # noqa: E402
from .results import FIGURES, write_provenance  # noqa: E402
from .sensitivity import (  # noqa: E402
    IncompleteStudy,
    analyse_folder,
    load_study,
    provenance,
    write_tables,
)

TOP = 15
"""Factors shown per Sobol' bar chart (largest ST first); the heat map shows all of them."""


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")


def _noise(row: pd.Series) -> str:
    share = row.noise_share_mean
    text = "n/a" if not math.isfinite(share) else f"{share:.0%}"
    undefined = (f" The outcome is undefined (no crisis opportunity in any replicate) at "
                 f"{row.undefined_points} of {row.points} points, filled with its mean."
                 if row.undefined_points else "")
    return f"Share of the analysed variance that is replicate noise: {text}.{undefined}"


def sobol_bars(analysis: Analysis, outcome: str, top: int = TOP) -> plt.Figure:
    """S1 and ST of the ``top`` factors with the largest ST, with confidence intervals."""
    s1 = analysis.table(outcome, "S1")
    st = analysis.table(outcome, "ST")
    order = list(st.value.fillna(-1).sort_values(ascending=False).index[:top])[::-1]
    y = np.arange(len(order))
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(order) + 1.6))
    height = 0.38
    ax.barh(y + height / 2, st.value[order], height, xerr=st.conf[order], color="#c44e52",
            label="ST, total (alone and in interactions)", capsize=2, error_kw={"lw": 0.8})
    ax.barh(y - height / 2, s1.value[order], height, xerr=s1.conf[order], color="#4c72b0",
            label="S1, first order (alone)", capsize=2, error_kw={"lw": 0.8})
    ax.set_yticks(y, order)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("share of the outcome's variance across the sample (Sobol' index, 95 % CI)")
    ax.set_ylabel("declared uncertainty")
    ax.set_title(f"What drives {outcome_label(outcome)}: Sobol' indices", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def sobol_overview(analysis: Analysis, outcomes: list[str]) -> plt.Figure:
    """Heat map of ST: factors (rows, by their largest ST) x outcomes (columns)."""
    table = pd.DataFrame({o: analysis.table(o, "ST").value for o in outcomes})
    table = table.loc[table.max(axis=1).fillna(-1).sort_values(ascending=False).index]
    values = table.clip(lower=0).to_numpy(float)
    fig, ax = plt.subplots(figsize=(1.3 * len(outcomes) + 3.4, 0.26 * len(table) + 1.8))
    image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0,
                      vmax=max(1e-9, min(1.0, float(np.nanmax(values)))))
    ax.set_yticks(range(len(table)), table.index, fontsize=8)
    ax.set_xticks(range(len(outcomes)), [outcome_label(o).replace(" (", "\n(") for o in outcomes],
                  fontsize=7, rotation=30, ha="right")
    ax.set_xlabel("outcome")
    ax.set_ylabel("declared uncertainty")
    ax.set_title("Total-effect Sobol' index ST of every uncertainty, per outcome", fontsize=11)
    fig.colorbar(image, ax=ax, label="ST, share of variance (negative estimates as 0, capped at 1)")
    return fig


def sobol_pairs(analysis: Analysis, outcome: str, top: int = 10) -> plt.Figure:
    """Second-order indices S2 among the ``top`` factors with the largest ST (upper triangle)."""
    st = analysis.table(outcome, "ST").value
    names = list(st.fillna(-1).sort_values(ascending=False).index[:top])
    rows = analysis.indices[(analysis.indices.outcome == outcome) & (analysis.indices["index"] == "S2")]
    matrix = np.full((len(names), len(names)), np.nan)
    for row in rows.itertuples():
        if row.parameter in names and row.other in names:
            i, j = sorted((names.index(row.parameter), names.index(row.other)))
            matrix[i, j] = row.value
    fig, ax = plt.subplots(figsize=(0.55 * len(names) + 3.2, 0.5 * len(names) + 1.8))
    limit = max(1e-9, float(np.nanmax(np.abs(matrix))) if np.isfinite(matrix).any() else 1e-9)
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(matrix):
        if math.isfinite(value):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6,
                    color="white" if abs(value) > 0.6 * limit else "black")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.set_xlabel("second factor of the pair")
    ax.set_ylabel("first factor of the pair")
    ax.set_title(f"Pair interactions (S2) in\n{outcome_label(outcome)}", fontsize=10)
    fig.colorbar(image, ax=ax, label="S2 (share of variance: the pair's interaction)")
    return fig


def morris_plane(analysis: Analysis, outcome: str, labels: int = 8) -> plt.Figure:
    """mu* against sigma with the rays sigma/mu* = 0.1 and 1; the largest mu* labelled."""
    mu_star = analysis.table(outcome, "mu_star")
    sigma = analysis.table(outcome, "sigma").value
    fig, ax = plt.subplots(figsize=(7, 5.2))
    ax.errorbar(mu_star.value, sigma, xerr=mu_star.conf, fmt="o", ms=4, color="#4c72b0",
                ecolor="#9db3d6", elinewidth=0.8, capsize=0)
    right = max(float(np.nanmax(mu_star.value + mu_star.conf.fillna(0))), 1e-12) * 1.1
    line = np.array([0.0, right])
    for ratio, style in ((1.0, "--"), (0.1, ":")):
        ax.plot(line, ratio * line, style, color="grey", lw=0.8, label=f"σ / μ* = {ratio:g}")
    top = max(float(np.nanmax(sigma)) * 1.15, 1e-12)
    ax.set_xlim(0, right)
    ax.set_ylim(0, top)
    placed: list[tuple[float, float]] = []
    for name in mu_star.value.sort_values(ascending=False).index[:labels]:
        x, y = mu_star.value[name] / right, sigma[name] / top  # axes fractions
        label_y = y + 0.01
        while any(abs(label_y - py) < 0.035 and abs(x - px) < 0.3 for px, py in placed):
            label_y -= 0.035  # step down until clear of the labels already placed
        placed.append((x, label_y))
        ax.annotate(name, (mu_star.value[name], sigma[name]), xytext=(x + 0.01, label_y),
                    textcoords="axes fraction", fontsize=7,
                    arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "grey"}
                    if abs(label_y - y) > 0.02 else None)
    ax.set_xlabel("μ*, mean |elementary effect| (outcome change per whole range of the factor)")
    ax.set_ylabel("σ, spread of the elementary effects (same units)")
    ax.set_title(f"Morris screening of {outcome_label(outcome)}", fontsize=11)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def make_figures(folder: str | Path, analysis: Analysis | None = None) -> list[Path]:
    """Every table and figure of a stored study (indices recomputed from its runs unless given).

    An unfinished study gets none (a warning on stderr says how to resume), so that redrawing every
    results folder is not stopped by one interrupted study.
    """
    study = load_study(folder)
    results = study.results
    if analysis is None:
        try:
            analysis = analyse_folder(folder)
        except IncompleteStudy as error:
            print(f"skipping {error}", file=sys.stderr)
            return []
    out = results.folder / FIGURES
    files = write_tables(analysis, results)
    sha = str(results.manifest.get("experiment_sha256") or "?")[:12]
    files.append(write_provenance(results, f"{provenance(results)} Definition sha256 {sha}."))
    captions: list[tuple[str, str]] = []
    command = f"Regenerate: python run.py figures {results.folder.name}"

    def figure(fig: plt.Figure, name: str, what: str) -> None:
        caption = f"{what}\n{provenance(results)}\n{command}"
        files.extend(save(fig, out, name, caption))
        captions.append((name, caption))

    summary = analysis.summary.set_index("outcome")
    method = results.design["method"]
    varied = [o for o in summary.index
              if method == "morris" or not analysis.table(o, "ST").value.isna().all()]
    for outcome in varied:
        row = summary.loc[outcome]
        if method == "sobol":
            figure(sobol_bars(analysis, outcome), f"sobol_{_slug(outcome)}",
                   f"Sobol' first-order (S1) and total (ST) indices of {outcome_label(outcome)} for "
                   f"the {TOP} uncertainties with the largest ST; error bars are bootstrap 95 % "
                   f"confidence intervals. {_noise(row)}")
            if results.design.get("second_order"):
                figure(sobol_pairs(analysis, outcome), f"sobol_s2_{_slug(outcome)}",
                       f"Second-order Sobol' indices S2 of {outcome_label(outcome)} among the ten "
                       "uncertainties with the largest ST (confidence intervals in indices.csv). "
                       f"{_noise(row)}")
        else:
            figure(morris_plane(analysis, outcome), f"morris_{_slug(outcome)}",
                   f"Morris μ* against σ for {outcome_label(outcome)}; horizontal bars are bootstrap "
                   f"95 % confidence intervals of μ*. {_noise(row)}")
    if method == "sobol" and varied:
        shares = "; ".join(f"{outcome_label(o)}: {summary.loc[o].noise_share_mean:.0%}" for o in varied
                           if math.isfinite(summary.loc[o].noise_share_mean))
        figure(sobol_overview(analysis, varied), "sobol_overview",
               "Total-effect Sobol' index ST of every declared uncertainty for each outcome. "
               f"Replicate-noise share per outcome: {shares}.")
    (out / "CAPTIONS.md").write_text("# Figures\n\n" + "\n\n".join(
        f"**{name}** (`{name}.png`, `{name}.pdf`): {text}" for name, text in captions) + "\n",
        encoding="utf-8")
    files.append(out / "CAPTIONS.md")
    return files
