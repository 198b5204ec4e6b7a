"""The key to the map, drawn once below the panes (HTML with small SVG swatches).

It reads the colours and line styles of :mod:`viz.drawing`, so key and map cannot disagree.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from . import drawing as d


def _circle(fill: str, stroke: str, width: float, dash: str = "", r: float = 5.5,
            opacity: float = 1.0) -> str:
    return (f'<circle cx="8" cy="8" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
            f'stroke-dasharray="{dash}" stroke-opacity="{opacity}"/>')


def _line(colour: str, dash: str, width: float = 2.0, opacity: float = 1.0) -> str:
    return (f'<line x1="0" y1="8" x2="22" y2="8" stroke="{colour}" stroke-width="{width}" '
            f'stroke-dasharray="{dash}" stroke-opacity="{opacity}"/>')


def _items() -> list[tuple[str, str, int]]:
    """(swatch SVG, words, swatch width) of every key entry."""
    hub, member, other, exited, outside = (
        d.STATUS_RINGS[k] for k in ("hub", "member", "other", "exited", "not joined"))
    ended = (_line(d.ENDED_COLOUR, "4 3", 1.1)
             + '<path d="M8,5 L14,11 M8,11 L14,5" stroke="#555555" stroke-width="1.6"/>')
    return [
        (_circle(d.hedging_colour(0.15), hub[0], hub[1]), "hub", 16),
        (_circle(d.hedging_colour(0.5), member[0], member[1]), "member", 16),
        (_circle(d.EXITED_COLOUR, exited[0], exited[1], exited[2]), "left the structure", 16),
        (_circle(d.hedging_colour(0.6), outside[0], outside[1], r=4.0)
         + _circle("none", d.OUTSIDE_RING[0], d.OUTSIDE_RING[1], d.OUTSIDE_RING[2], r=6.8),
         "did not join", 16),
        (_circle(d.hedging_colour(0.9), "#bbbbbb", 0.8), "other state", 16),
        ('<rect x="2.5" y="2.5" width="11" height="11" fill="#222222"/>', "challenger", 16),
        ('<polygon points="8,2.5 13.5,8 8,13.5 2.5,8" fill="#ffffff" stroke="#555555"/>',
         "flashpoint", 16),
        (_line(d.OBLIGATION_COLOUR, d.KIND_DASHES["bilateral"]), "bilateral obligation", 22),
        (_line(d.OBLIGATION_COLOUR, d.KIND_DASHES["minilateral"]), "minilateral", 22),
        (f'<rect x="1.5" y="2.5" width="25" height="11" rx="5.5" fill="{d.PACT_COLOUR}" '
         f'fill-opacity="{d.PACT_FILL_OPACITY * 2:g}" stroke="{d.PACT_COLOUR}" stroke-width="1.6" '
         f'stroke-dasharray="{d.PACT_DASH}"/>', "collective pact (around its members)", 28),
        (_circle(d.hedging_colour(0.7), "#ffffff", 0.8, r=3.6)
         + _circle("none", d.PACT_COLOUR, 1.4, "3 2", r=6.8), "protected by the pact", 16),
        (ended, "tie ended (red: this step)", 22),
        (_circle("none", d.PRESSURE_COLOUR, 3.4, r=5.9, opacity=d.PRESSURE_OPACITY)
         + _circle(d.hedging_colour(0.5), "#111111", 1.0, r=3.4),
         "pressure (autonomy + wedge)", 16),
        (_line(d.PRESSURE_COLOUR, "1.5 2.5", 1.5), "challenger's wedge", 22),
        (f'<polygon points="{d.star_points(8, 8, 7)}" fill="{d.FOUGHT_COLOUR}" stroke="#555555"/>',
         "aggression", 16),
        (f'<polygon points="8,2.5 13.5,8 8,13.5 2.5,8" fill="{d.DETERRED_COLOUR}" stroke="#555555"/>',
         "deterred", 16),
        (_circle("none", d.TARGET_COLOUR, 1.6, r=6.5), "target", 16),
        (_circle("#ffffff", d.FOUGHT_COLOUR, 2.6), "fought", 16),
        (_circle("#ffffff", d.BUCK_PASSER_COLOUR, 2.6, "2 1"),
         "passed the buck (obliged, others fought)", 16),
        (_circle("#ffffff", d.STAYED_OUT_COLOUR, 2.6, "2 1"),
         "obliged, stayed out (target alone)", 16),
    ]


@lru_cache(maxsize=1)
def legend_html() -> str:
    """The key: one swatch and a few words per entry, then what size and colour mean."""
    entries = "".join(
        f'<span class="key-entry"><svg width="{width}" height="16" viewBox="0 0 {width} 16">'
        f"{swatch}</svg>{escape(words)}</span>"
        for swatch, words, width in _items()
    )
    ramp = "".join(f'<stop offset="{k / 4:.2f}" stop-color="{d.hedging_colour(k / 4)}"/>'
                   for k in range(5))
    scale = (f'<span class="key-entry">size: power · colour: aligned '
             f'<svg width="60" height="10"><defs><linearGradient id="key-hedging">{ramp}'
             f'</linearGradient></defs><rect width="60" height="10" fill="url(#key-hedging)"/></svg>'
             f" hedging</span>")
    hover = ('<span class="key-entry key-hint">rest the pointer on a state, a tie or a flashpoint '
             "for its numbers</span>")
    style = ("<style>.deterrence-key { display: flex; flex-wrap: wrap; gap: 0 12px; "
             "font-size: 12px; color: #333; line-height: 16px; } .deterrence-key .key-entry "
             "{ display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; } "
             ".deterrence-key .key-hint { color: #777; }</style>")
    return f'{style}<div class="deterrence-key">{entries}{scale}{hover}</div>'
