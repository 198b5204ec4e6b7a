"""The sidebar card of a replay: which stored runs are on view, their design point, and their
stored metrics next to the replayed ones."""

from __future__ import annotations

import math

import solara

from analysis.labels import HEADLINE_METRICS, metric_label, structure_label

from . import session as state


def number(value) -> str:
    """A metric's value as the card shows it: up to six significant digits, "–" if undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.6g}"


LINE = {"font-size": "12.5px", "display": "block"}


@solara.component
def ReplayCard():
    router = solara.use_router()
    current = state.session.value
    replay = current.config.replay if current is not None else None
    if replay is None:
        return
    checks = current.checks()
    with solara.Card("Replay of stored runs", margin=0, classes=["deterrence-replay"]):
        solara.Text(f"{replay.experiment} ({replay.folder}) · {replay.scenario} · design point "
                    f"{replay.point} · replicate {replay.replicate}",
                    classes=["deterrence-replay-identity"], style=LINE)
        solara.Text(f"seed {replay.seed} · {replay.steps} steps", style=LINE)
        for name, value in replay.factors.items():
            solara.Text(f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}",
                        classes=["deterrence-replay-factor"], style={**LINE, "font-weight": "600"})
        for label, structure, rows in zip(("left", "right"), replay.structures, checks, strict=True):
            equal = sum(ok for *_, ok in rows)
            verdict = ("all equal" if equal == len(rows) else f"{len(rows) - equal} differ: "
                       + ", ".join(name for name, *_, ok in rows if not ok))
            solara.Text(f"{structure_label(structure)} ({label}): {equal} of {len(rows)} metrics "
                        f"equal the stored run — {verdict}", classes=[f"deterrence-replay-verdict-{label}"],
                        style={"font-size": "12px", "display": "block", "margin-top": "6px"})
            shown = [row for row in rows if row[0] in HEADLINE_METRICS]
            body = "".join(
                f'<tr class="replay-metric" data-metric="{name}"><td>{metric_label(name, False)}</td>'
                f'<td class="stored">{number(stored)}</td><td class="replayed">{number(again)}</td>'
                f'<td>{"✓" if ok else "✗"}</td></tr>'
                for name, stored, again, ok in shown)
            solara.HTML(tag="table", classes=[f"deterrence-replay-table-{label}"], unsafe_innerHTML=(
                "<tr><th></th><th>stored</th><th>replayed</th><th></th></tr>" + body),
                style="font-size: 12px; border-collapse: collapse; width: 100%")
        solara.Button("back to the explorer", text=True, on_click=lambda: router.push("/explorer"),
                      classes=["deterrence-back-to-explorer"])
