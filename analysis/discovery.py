"""Scenario discovery: the boxes of parameter space where a verdict holds, found with PRIM.

The patient rule induction method (PRIM; Friedman & Fisher 1999), used for scenario discovery as in
Bryant & Lempert (2010) and Kwakkel & Jaxa-Rozen (2016), peels a box off a sample of input points
step by step so that the share of "cases of interest" inside it (its **density**) rises, at the cost
of the share of all cases of interest it still holds (its **coverage**); **mass** is the share of
all points inside. The implementation is EMA Workbench's (``ema_workbench.analysis.prim``, Kwakkel
2017); this module only prepares the points, chooses a box on each peeling trajectory by a declared
rule, and tables the result.

Input: a stored Latin-hypercube experiment that runs hub-and-spoke and collective on paired seeds
(``experiments/regime.toml``). Each design point is one PRIM case; its inputs are the sampled
parameters, its outcomes the means over its replicates. The cases of interest (:data:`TARGETS`):

* ``collective_less_stable`` (``collective_more_stable``): the mean paired difference collective −
  hub-and-spoke in the headline stability definition (stable and cohesive) is below (above) zero
  at that point -- a point where the two tie is neither;
* ``collective_not_formed``: the collective pact formed in fewer than half of the point's runs.

A point's verdict is the mean of its paired replicates, so some points are misclassified by chance
(chiefly those where the two structures nearly tie); PRIM's density includes that noise (a box
cannot be purer than the replicates allow). How much of the variation between points is replicate
noise is measured and reported with every target (:func:`noise_share`), with the points whose 95 %
interval settles the sign (:func:`clear_points`); the replicates of ``regime.toml`` were chosen to
keep that share small (the experiment file says how).

Choices, declared here and stated in every caption: the box on a trajectory is the one with the
largest coverage among those of density at least :data:`THRESHOLD`; a restriction whose quasi-p
value (EMA Workbench's ``qp``) is above :data:`SIGNIFICANCE` is dropped, least significant first,
unless that takes the box's density below the threshold; up to :data:`MOST_BOXES`
boxes are found one after another, each on the points the earlier ones left; peeling and pasting
take :data:`PEEL_ALPHA` of the points at a time. None of them was chosen by looking at a result.
Nothing here runs the model.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from model.structure import COMPARED

from .labels import delta_limit

THRESHOLD = 0.8
"""Least density of a reported box: at least four in five of its points are cases of interest."""
PEEL_ALPHA = 0.05
"""Share of the points in the box peeled (or pasted) at each step (EMA Workbench's default)."""
MASS_MIN = 0.05
"""Smallest share of all points a box may hold (EMA Workbench's default)."""
SIGNIFICANCE = 0.05
"""A restriction is kept only if its quasi-p value is below this (Bryant & Lempert 2010)."""
MOST_BOXES = 3
"""Boxes found one after another at most, per target."""
LEVEL = 0.95
"""Level of each point's interval of the paired difference."""


@dataclass(frozen=True)
class Target:
    """A case of interest: ``name``, what it means in words, and how a point's outcomes decide it."""

    name: str
    words: str
    outcome: str
    test: Callable[[pd.Series], pd.Series]


TARGETS = (
    Target("collective_less_stable",
           "collective obligation is less stable than hub-and-spoke (mean paired Δ stable "
           "and cohesive < 0)", "delta_stable_cohesive", lambda v: v < 0),
    Target("collective_more_stable",
           "collective obligation is more stable than hub-and-spoke (mean paired Δ stable "
           "and cohesive > 0)", "delta_stable_cohesive", lambda v: v > 0),
    Target("collective_not_formed",
           "the collective pact forms in fewer than half of the runs", "collective_formed",
           lambda v: v < 0.5),
)


@dataclass
class Box:
    """One box: its statistics and the restricted parameters with their ranges.

    Attributes:
        coverage, density, mass: as in the module docstring.
        limits: per restricted parameter, ``(low, high, qp)``; the other parameters keep their
            sampled range.
    """

    coverage: float
    density: float
    mass: float
    limits: dict[str, tuple[float, float, float]]


@dataclass
class Discovery:
    """What PRIM found for one target.

    Attributes:
        target: the case of interest.
        points: the number of design points (PRIM cases).
        cases: how many of them are cases of interest.
        boxes: the boxes that met :data:`THRESHOLD`, in the order found.
        trajectory: the first box's peeling trajectory (coverage, density, mass, res_dim).
        chosen: the row of the trajectory chosen as the first box (``None``: none met the threshold).
        ranges: the sampled range of every parameter.
        noise_share: the share of the variance of the target's per-point outcome across the points
            that is replicate noise (:func:`noise_share`); replicates: paired replicates per point.
        clear_below, clear_above: for a target on the paired difference, the points whose 95 %
            interval lies entirely below (above) zero (``None`` for other targets).
    """

    target: Target
    points: int
    cases: int
    boxes: list[Box] = field(default_factory=list)
    trajectory: pd.DataFrame | None = None
    chosen: int | None = None
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    noise_share: float = float("nan")
    replicates: int = 0
    clear_below: int | None = None
    clear_above: int | None = None

    @property
    def base_rate(self) -> float:
        return self.cases / self.points if self.points else float("nan")


def point_table(runs: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """One row per design point: the sampled ``factors``; the mean paired difference collective −
    hub-and-spoke in stable-and-cohesive with its 95 % t interval over the point's replicates
    (``delta_low``, ``delta_high``); the collective pact's formation share; each outcome's variance
    over the replicates (``<outcome>_variance``, for :func:`noise_share`); and the replicates."""
    keys = ["scenario", "point"]
    wide = runs.pivot_table(index=[*keys, "replicate"], columns="structure",
                            values=["stable_cohesive", "formed"], aggfunc="first")
    paired = pd.DataFrame({
        "delta_stable_cohesive": wide[("stable_cohesive", COMPARED[1])]
        - wide[("stable_cohesive", COMPARED[0])],
        "collective_formed": wide[("formed", COMPARED[1])],
    }).dropna(subset=["delta_stable_cohesive"])
    outcomes = paired.groupby(level=keys).agg(
        delta_stable_cohesive=("delta_stable_cohesive", "mean"),
        delta_stable_cohesive_variance=("delta_stable_cohesive", "var"),
        collective_formed=("collective_formed", "mean"),
        collective_formed_variance=("collective_formed", "var"),
        replicates=("delta_stable_cohesive", "size"))
    n = outcomes["replicates"]
    half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(n - 1, 1)) * np.sqrt(
        outcomes["delta_stable_cohesive_variance"] / n)
    half = half.where(n > 1)
    outcomes.insert(1, "delta_low", outcomes["delta_stable_cohesive"] - half)
    outcomes.insert(2, "delta_high", outcomes["delta_stable_cohesive"] + half)
    inputs = runs[runs["structure"] == COMPARED[1]].groupby(keys)[factors].first()
    return inputs.join(outcomes, how="inner").reset_index()


def noise_share(points: pd.DataFrame, outcome: str) -> float:
    """The share of the variance of ``outcome``'s per-point means across the design points that is
    replicate noise: the mean over points of (variance over the point's replicates ÷ replicates),
    over the variance of the point means (as ``noise_share_mean`` of the sensitivity analysis). Near
    0: the points differ by their parameters; near 1: by their luck. NaN when the point means do not
    vary."""
    means = points[outcome]
    spread = float(means.var(ddof=1)) if len(means) > 1 else float("nan")
    noise = float((points[f"{outcome}_variance"] / points["replicates"]).mean())
    return noise / spread if spread > 0 and np.isfinite(noise) else float("nan")


def clear_points(points: pd.DataFrame) -> tuple[int, int]:
    """How many design points have a 95 % interval of the paired difference entirely below zero and
    how many entirely above (the points whose verdict their replicates settle)."""
    return int((points["delta_high"] < 0).sum()), int((points["delta_low"] > 0).sum())


def discover_points(points: pd.DataFrame, factors: list[str], target: Target) -> Discovery:
    """PRIM for ``target`` on the per-point table of :func:`point_table`, with the target outcome's
    replicate-noise share."""
    found = discover(points[factors], target.test(points[target.outcome]), target)
    found.noise_share = noise_share(points, target.outcome)
    found.replicates = int(points["replicates"].min()) if len(points) else 0
    if target.outcome == "delta_stable_cohesive":
        found.clear_below, found.clear_above = clear_points(points)
    return found


def _limits(box) -> dict[str, tuple[float, float, float]]:
    """The current box's restricted parameters: ``(low, high, smallest qp value)``."""
    _, table = box.inspect(style="data")[0]
    table = table.droplevel(0, axis=1)
    out = {}
    for name, row in table.iterrows():
        values = row.to_numpy()
        qp = np.nanmin(values[2:].astype(float)) if np.isfinite(values[2:].astype(float)).any() else 1.0
        out[str(name)] = (float(values[0]), float(values[1]), float(qp))
    return out


def _choose(trajectory: pd.DataFrame, threshold: float) -> int | None:
    """The row with the largest coverage among those with density >= ``threshold`` (ties: the
    fewest restricted parameters)."""
    good = trajectory[trajectory["density"] >= threshold]
    if good.empty:
        return None
    best = good.sort_values(["coverage", "res_dim"], ascending=[False, True])
    return int(best.index[0])


def discover(x: pd.DataFrame, y: np.ndarray, target: Target, threshold: float = THRESHOLD,
             most: int = MOST_BOXES) -> Discovery:
    """Find up to ``most`` boxes of ``x`` where ``y`` (booleans) is mostly true."""
    with warnings.catch_warnings():  # EMA Workbench warns of optional parts it does not find
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    y = np.asarray(y, dtype=bool)
    x = x.astype(float).reset_index(drop=True)
    found = Discovery(target, len(x), int(y.sum()),
                      ranges={c: (float(x[c].min()), float(x[c].max())) for c in x.columns})
    if found.cases == 0:
        return found
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y, peel_alpha=PEEL_ALPHA, paste_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
        for k in range(most):
            box = finder.find_box()
            if box is None:
                break
            trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].copy()
            chosen = _choose(trajectory, threshold)
            if k == 0:
                found.trajectory, found.chosen = trajectory, chosen
            if chosen is None:
                break
            box.select(chosen)
            _drop_insignificant(box, chosen, threshold)
            found.boxes.append(Box(float(box.coverage), float(box.density), float(box.mass),
                                   _limits(box)))
    return found


def _drop_insignificant(box, current: int, threshold: float) -> None:
    """Drop the restrictions whose quasi-p value exceeds :data:`SIGNIFICANCE`, least significant
    first, one at a time; a drop that takes the box's density below ``threshold`` is undone."""
    for name, (_, _, qp) in sorted(_limits(box).items(), key=lambda item: -item[1][2]):
        if qp <= SIGNIFICANCE:
            break
        box.drop_restriction(name)
        if box.density < threshold:  # without it the box is too diluted: keep it
            box.select(current)
        else:
            current = len(box.peeling_trajectory) - 1


def box_table(found: list[Discovery]) -> pd.DataFrame:
    """One row per restricted parameter of every box (a box with no restriction left has one row
    with an empty parameter); targets with no box have one row saying so."""
    rows = []
    for d in found:
        base = {"target": d.target.name, "points": d.points, "cases": d.cases,
                "base_rate": d.base_rate, "replicates": d.replicates, "noise_share": d.noise_share,
                "threshold": THRESHOLD}
        if not d.boxes:
            rows.append({**base, "box": 0})
            continue
        for k, box in enumerate(d.boxes, start=1):
            stats = {**base, "box": k, "coverage": box.coverage, "density": box.density,
                     "mass": box.mass}
            if not box.limits:
                rows.append(stats)
            for name, (low, high, qp) in box.limits.items():
                full_low, full_high = d.ranges.get(name, (np.nan, np.nan))
                rows.append({**stats, "parameter": name, "low": low, "high": high,
                             "sampled_low": full_low, "sampled_high": full_high, "qp": qp})
    columns = ["target", "points", "cases", "base_rate", "replicates", "noise_share", "threshold", "box",
               "coverage", "density", "mass", "parameter", "low", "high", "sampled_low", "sampled_high", "qp"]
    return pd.DataFrame(rows).reindex(columns=columns)


def markdown(found: list[Discovery]) -> list[str]:
    """The boxes in words and as a table, per target."""
    lines = []
    for d in found:
        lines.append(f"### Where {d.target.words}")
        lines.append("")
        lines.append(f"{d.cases} of {d.points} design points ({d.base_rate:.3f}) are cases of interest.")
        lines.append(noise_words(d))
        if not d.boxes:
            lines.append(f"No box reaches density {THRESHOLD:g}: PRIM finds no region of the sampled "
                         "space where these cases gather.")
            lines.append("")
            continue
        for k, box in enumerate(d.boxes, start=1):
            restricted = "; ".join(
                f"`{name}` in [{low:.3g}, {high:.3g}] (sampled [{d.ranges[name][0]:.3g}, "
                f"{d.ranges[name][1]:.3g}], qp {qp:.2g})" for name, (low, high, qp) in box.limits.items())
            lines.append(f"- **Box {k}**: coverage {box.coverage:.3f}, density {box.density:.3f}, "
                         f"mass {box.mass:.3f}; "
                         + (restricted or "no restriction left (the whole sampled space)"))
        lines.append("")
    return lines


def noise_words(d: Discovery) -> str:
    """How far the replicates settle the per-point outcome of ``d``'s target, in one sentence."""
    what = ("the mean paired difference" if d.target.outcome == "delta_stable_cohesive"
            else "the formation share")
    share = (f"{d.noise_share:.2f} of the variance of {what} across the points is replicate noise"
             if np.isfinite(d.noise_share) else f"{what} does not vary across the points")
    clear = ""
    if d.clear_below is not None:
        clear = (f"; {d.clear_below} points have a 95 % interval entirely below zero, "
                 f"{d.clear_above} entirely above")
    return f"Replicate noise ({d.replicates} paired replicates per point): {share}{clear}."


def trajectory_figure(d: Discovery, title: str):
    """Coverage against density along the first box's peeling trajectory, coloured by the number of
    restricted parameters; the chosen box is starred, the density threshold dashed."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6.4, 4.6))
    t = d.trajectory
    if t is None or t.empty:
        ax.text(0.5, 0.5, "no cases of interest: nothing to peel", ha="center", va="center")
        ax.set_axis_off()
    else:
        points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=22)
        figure.colorbar(points, ax=ax, label="restricted parameters")
        ax.axhline(THRESHOLD, color="grey", ls="--", lw=1)
        ax.text(0.01, THRESHOLD, f" density threshold {THRESHOLD:g}", va="bottom", fontsize=8,
                color="grey", transform=ax.get_yaxis_transform())
        if d.chosen is not None:
            row = t.loc[d.chosen]
            ax.scatter([row["coverage"]], [row["density"]], marker="*", s=220, color="crimson",
                       zorder=3, label="box 1 (before dropping insignificant restrictions)")
            ax.legend(loc="lower left", fontsize=8)
        ax.axhline(d.base_rate, color="black", lw=0.8, ls=":")
        ax.text(0.01, d.base_rate, f" base rate {d.base_rate:.2f}", ha="left", va="bottom",
                fontsize=8, transform=ax.get_yaxis_transform())
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("coverage (share of the cases of interest inside the box)")
        ax.set_ylabel("density (share of the box's points that are cases)")
    ax.set_title(textwrap.fill(title, 70), fontsize=10)
    figure.tight_layout()
    return figure


def limits_figure(d: Discovery, title: str):
    """Each reported box's restricted parameters: the box's range as a bar over the sampled range
    (scaled to 0-1), with the limits written beside it."""
    import matplotlib.pyplot as plt

    rows = [(k, name, low, high) for k, box in enumerate(d.boxes, start=1)
            for name, (low, high, _) in box.limits.items()]
    figure, ax = plt.subplots(figsize=(7.2, 0.45 * max(len(rows), 2) + 1.4))
    if not rows:
        ax.text(0.5, 0.5, f"no box reaches density {THRESHOLD:g}" if not d.boxes
                else "no restriction left: the whole sampled space", ha="center", va="center")
        ax.set_axis_off()
    else:
        colours = plt.get_cmap("tab10")
        for y, (k, name, low, high) in enumerate(rows):
            lo, hi = d.ranges[name]
            span = (hi - lo) or 1.0
            ax.barh(y, (high - low) / span, left=(low - lo) / span, color=colours(k - 1), alpha=0.8)
            ax.text(1.02, y, f"[{low:.3g}, {high:.3g}] of [{lo:.3g}, {hi:.3g}]", va="center", fontsize=8)
        ax.set_yticks(range(len(rows)), [f"box {k}: {name}" for k, name, _, _ in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("position within the sampled range (0 = low end, 1 = high end)")
    ax.set_title(textwrap.fill(title, 70), fontsize=10)
    figure.tight_layout()
    return figure


MAPPED = (("delta_stable_cohesive", "mean paired Δ stable and cohesive (collective − hub-and-spoke)",
           "RdBu", None),
          ("collective_formed", "share of runs in which the collective pact formed", "viridis",
           (0.0, 1.0)))
"""The per-point outcomes :func:`map_figure` maps: column, label, colour map and colour range
(``None``: a paired difference, symmetric about 0, spanning at least the metric's meaningful
difference, :func:`analysis.labels.delta_limit`)."""


def strongest(points: pd.DataFrame, factors: list[str], outcome: str, k: int = 2
              ) -> list[tuple[str, float]]:
    """The ``k`` sampled parameters whose values are most strongly rank-correlated (Spearman's ρ)
    with ``outcome`` across the design points, with their ρ (parameters that do not vary, or an
    outcome that does not, give no correlation and come last)."""
    rho = pd.Series(0.0, index=factors)
    varying = [f for f in factors if points[f].nunique() > 1]
    if varying and points[outcome].nunique() > 1:
        rho[varying] = points[varying].corrwith(points[outcome], method="spearman").fillna(0.0)
    order = rho.abs().sort_values(ascending=False, kind="stable").index[:k]
    return [(name, float(rho[name])) for name in order]


def map_figure(points: pd.DataFrame, factors: list[str], title: str):
    """The regime map: for each outcome of :data:`MAPPED`, every design point placed by the two
    parameters most strongly rank-correlated with that outcome (:func:`strongest`) and coloured by
    the outcome; a ring marks the points whose 95 % interval of the paired difference excludes
    zero."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(MAPPED), figsize=(6.0 * len(MAPPED), 5.0), squeeze=False)
    for ax, (outcome, label, cmap, limits) in zip(axes[0], MAPPED, strict=True):
        (x, rx), (y, ry) = strongest(points, factors, outcome)
        if limits is None:  # a paired Δ: centred on 0, at least its meaningful difference
            largest = float(points[outcome].abs().max()) if len(points) else 0.0
            limit = delta_limit(outcome.removeprefix("delta_"), largest)
            limits = (-limit, limit)
        low, high = limits
        shown = ax.scatter(points[x], points[y], c=points[outcome], cmap=cmap, vmin=low, vmax=high,
                           s=10, linewidths=0)
        if outcome == "delta_stable_cohesive":
            clear = points[(points["delta_high"] < 0) | (points["delta_low"] > 0)]
            ax.scatter(clear[x], clear[y], facecolors="none", edgecolors="black", s=28,
                       linewidths=0.6, label="95 % interval excludes 0")
            if len(clear):
                ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
        figure.colorbar(shown, ax=ax, label=textwrap.fill(label, 40))
        ax.set_xlabel(f"{x} (Spearman ρ = {rx:+.2f})")
        ax.set_ylabel(f"{y} (Spearman ρ = {ry:+.2f})")
        ax.set_title(textwrap.fill(label, 50), fontsize=9)
    figure.suptitle(textwrap.fill(title, 110), fontsize=10)
    figure.tight_layout()
    return figure
