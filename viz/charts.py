"""Charts of the per-step series, one line per structure: how each one holds or breaks over time.

:func:`chart_frame` derives the plotted quantities from :meth:`DeterrenceModel.series` (docs/ODD.md,
Observation); :func:`draw_charts` draws them for one or more models on shared axes and returns the
figure. Both work without a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from model import DeterrenceModel

ROLLING_WINDOW = 20
"""Steps in the rolling deterrence rate."""

COLUMNS = ("aggressions", "wars", "deterrence_rate", "reliability", "entrapments", "abandonments",
           "members", "mean_grievance")

PANELS: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...] = (
    ("aggressions and wars (cumulative)", (("aggressions", "solid"), ("wars", "dashed")), "count"),
    (f"deterrence rate ({ROLLING_WINDOW}-step rolling)", (("deterrence_rate", "solid"),), "share"),
    ("reliability (honoured ÷ invoked)", (("reliability", "solid"),), "share"),
    ("entrapment and abandonment (cumulative)",
     (("entrapments", "solid"), ("abandonments", "dashed")), "count"),
    ("membership (active members)", (("members", "solid"),), "states"),
    ("mean grievance (exits above threshold)", (("mean_grievance", "solid"),), "grievance"),
)
"""(title, ((column, line style), ...), y label) of each panel."""

COLOURS = ("#1f77b4", "#e36c0a", "#2ca02c", "#9467bd")


def chart_frame(series: pd.DataFrame, window: int = ROLLING_WINDOW) -> pd.DataFrame:
    """The charted quantities per step, from a model's per-step series.

    * ``aggressions``, ``wars``, ``entrapments``, ``abandonments``: cumulative counts;
    * ``deterrence_rate``: deterred challenges ÷ crisis opportunities over the last ``window``
      steps (NaN while the window holds no opportunity);
    * ``reliability``: obligations honoured ÷ obligations invoked so far (NaN before the first);
    * ``members``: active members of the structure; ``mean_grievance``: mean over states.
    """
    if series.empty:
        return pd.DataFrame(columns=list(COLUMNS), dtype=float)
    aggressions = series[["aggressions_probe", "aggressions_limited", "aggressions_major"]].sum(axis=1)
    invoked = series[["invoked_bilateral", "invoked_minilateral", "invoked_collective"]].sum(axis=1)
    honoured = series[["honoured_bilateral", "honoured_minilateral", "honoured_collective"]].sum(axis=1)
    deterred = series["deterred"].rolling(window, min_periods=1).sum()
    opportunities = series["opportunities"].rolling(window, min_periods=1).sum()
    total_invoked = invoked.cumsum()
    frame = pd.DataFrame(
        {
            "aggressions": aggressions.cumsum(),
            "wars": series["wars"].cumsum(),
            "deterrence_rate": (deterred / opportunities.where(opportunities > 0)),
            "reliability": honoured.cumsum() / total_invoked.where(total_invoked > 0),
            "entrapments": series["entrapments"].cumsum(),
            "abandonments": series["abandonments"].cumsum(),
            "members": series["active_members"],
            "mean_grievance": series["mean_grievance"],
        },
        index=series.index,
    )
    return frame.astype(float)


def draw_charts(
    runs: Sequence[tuple[str, DeterrenceModel]], window: int = ROLLING_WINDOW,
    figsize: tuple[float, float] = (9.6, 4.8),
) -> Figure:
    """Six panels (:data:`PANELS`), one colour per ``(label, model)`` run; a new figure.

    Each line carries ``gid`` ``chart:<column>:<label>`` for inspection.
    """
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3, sharex=True)
    frames = [(label, chart_frame(model.series(), window)) for label, model in runs]
    last = max([model.steps for _, model in runs] + [1])
    for ax, (title, lines, unit) in zip(axes.flat, PANELS, strict=True):
        ax.set_title(title, fontsize=8.5, loc="left")
        ax.set_ylabel(unit, fontsize=7.5)
        ax.tick_params(labelsize=7)
        ax.grid(True, color="#e6e6e6", linewidth=0.6)
        ax.set_xlim(0, max(last, 10))
        for k, (label, frame) in enumerate(frames):
            for column, style in lines:
                # earlier runs wider underneath, so that equal series stay visible
                width = 1.3 + 1.4 * (len(frames) - 1 - k)
                (line,) = ax.plot(frame.index, frame[column], color=COLOURS[k % len(COLOURS)],
                                  linestyle=style, linewidth=width, alpha=0.9 if k else 0.75,
                                  label=f"{label}: {column}" if len(lines) > 1 else label)
                line.set_gid(f"chart:{column}:{label}")
                values = frame[column]
                alone = values.notna() & values.shift(1).isna() & values.shift(-1).isna()
                if alone.any():  # a lone value between gaps draws no line: mark it
                    ax.plot(frame.index[alone], values[alone], linestyle="none", marker="o",
                            markersize=3.5, color=COLOURS[k % len(COLOURS)])
        if unit == "share":
            ax.set_ylim(-0.03, 1.03)
        elif unit == "states":
            founders = max([len(model.graph.founders) for _, model in runs] + [1])
            ax.set_ylim(-0.2, founders + 0.5)
            ax.yaxis.get_major_locator().set_params(integer=True)
        elif not any(frame[c].notna().any() and frame[c].max() > 0 for _, frame in frames
                     for c, _ in lines):
            ax.set_ylim(-0.05, 1.0)
        if len(lines) > 1:
            ax.legend(handles=[
                _key(style, f"{column}") for column, style in lines
            ], fontsize=6.5, frameon=False, loc="best")
    for ax in axes[-1]:
        ax.set_xlabel("step", fontsize=7.5)
    fig.legend(
        handles=[_key("solid", label, COLOURS[k % len(COLOURS)]) for k, (label, _) in enumerate(runs)],
        loc="outside upper right", ncol=len(runs), fontsize=8, frameon=False,
    )
    if all(model.steps == 0 for _, model in runs):
        fig.text(0.5, 0.5, "press Step or ▶ to run", ha="center", va="center", fontsize=11,
                 color="#888888")
    return fig


def _key(style: str, label: str, colour: str = "#555555"):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, linestyle=style, linewidth=1.4, label=label)
