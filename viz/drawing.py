"""The network on the map, as drawing instructions for the browser (SVG in ``network.vue``).

Two parts, so that what does not change is drawn once:

* :func:`make_scene` -- the static part of a scenario's map: where every state, challenger and
  flashpoint sits, how large it is, and where its label goes. Labels are placed once, with the
  browser's font measured here (DejaVu Sans, through matplotlib's FreeType), so that no label
  overlaps another: :func:`overlaps` checks it and the tests check every shipped scenario;
* :func:`frame` -- one step of one run (a :class:`~viz.network.Network`): each node's colour and
  ring, the obligation arrows, and the crisis lines. The browser patches only what changed.

The encoding: a state's area grows with its power, its colour is its hedging (viridis: dark aligned,
light hedging); members have a dark ring, the hub a thick one; members that left are grey with a
dashed ring; prospective members that did not join a dashed ring a little outside their marker. A
purple band around a member shows this step's peacetime pressure (autonomy cost + the challenger's
wedge): its width grows with the pressure against the pressure that alone would hold grievance at
the exit threshold; a dotted purple line runs from a challenger to the member its wedge aims at. An
obligation is an arrow whose width is its strength and whose dash is its kind (solid bilateral,
dotted minilateral); a collective pact is one shape, not every pairwise arrow: a lightly filled,
dashed outline around its members (the convex hull of their markers, :func:`pact_outline`), and a
dashed ring of the same blue around each protocol state it protects; a tie that ended (and did not
form again) is a thin grey dashed line crossed near its middle, red in the step it ended (a pact's
are not drawn: the member that left is). This step's crises: an aggression's
flashpoint is a red star with the challenger's arrow to it; the target gets a dark-red halo; states
that fought a red ring and a line to the flashpoint; obliged states that passed the buck (stayed out
while others fought) a brown dashed ring and line; obliged states that stayed out while only the
target fought an orange dashed ring and line; a deterred challenge turns its flashpoint green.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import matplotlib
from matplotlib import font_manager, ft2font

from .network import Network, Node

WIDTH, HEIGHT = 520.0, 380.0
"""The map's drawing units (the SVG view box); the browser scales it to its tile (at 1500 × 1000,
about one pixel per unit, so that the labels' sizes are their sizes on screen)."""
MARGIN = 6.0
R_MIN, R_MAX = 3.5, 13.0
"""Marker radius of the weakest and strongest actor (area grows with power)."""
FLASHPOINT_R = 5.0
LEADER_FROM = 8.0
"""A label further than this from its marker's edge gets a leader line."""
RING_ROOM = 2.5
"""Room kept between a state's marker and its label for the rings drawn around it (a prospective
member that did not join, a pressure band)."""
FONTS = {"state": (12.0, "normal", "normal"), "hub": (12.0, "bold", "normal"),
         "challenger": (12.0, "bold", "normal"), "flashpoint": (10.5, "normal", "italic")}
"""Label style of each kind of node: size (drawing units), weight, style."""

HEDGING_COLOURS = matplotlib.colormaps["viridis"]
EXITED_COLOUR = "#c8c8c8"
CHALLENGER_COLOUR = "#222222"
OBLIGATION_COLOUR = "#3b6ea8"
FOUGHT_COLOUR = "#d62728"
STAYED_OUT_COLOUR = "#ff7f0e"
BUCK_PASSER_COLOUR = "#8c564b"
PRESSURE_COLOUR = "#8e44ad"
PRESSURE_OPACITY = 0.45
PRESSURE_WIDTH = (1.2, 6.0)
"""Width of the pressure band: at the least pressure, and at the pressure that alone would hold
grievance at the exit threshold (or more)."""
ENDED_COLOUR = "#8a8a8a"
TARGET_COLOUR = "#8b0000"
DETERRED_COLOUR = "#2ca02c"
KIND_DASHES = {"bilateral": "", "collective": "6 3", "minilateral": "1.5 2"}
STATUS_RINGS = {"hub": ("#111111", 2.6, ""), "member": ("#111111", 1.4, ""),
                "exited": ("#888888", 1.2, "2 1.5"), "not joined": ("#ffffff", 0.8, ""),
                "other": ("#ffffff", 0.8, "")}
"""Ring (colour, width, dash) of a state by its status."""
OUTSIDE_RING = ("#333333", 1.2, "2.2 1.6", 2.8)
"""A prospective member that did not join: a dashed ring (colour, width, dash) this far outside
its marker."""
PACT_COLOUR = OBLIGATION_COLOUR
PACT_PAD = 9.0
"""Room between a pact member's marker and the pact's outline (for its rings and pressure band)."""
PACT_FILL_OPACITY = 0.07
PACT_DASH = KIND_DASHES["collective"]
GUARD_RING = 4.5
"""A protocol state a pact protects: a dashed ring of the pact's colour this far outside its marker."""


@dataclass(frozen=True)
class Mark:
    """One node on the map, in drawing units: its place, its marker radius and its label.

    ``label_box`` is (x0, y0, x1, y1) with y downwards; ``label_x``, ``label_y`` are where the text
    starts and its baseline. ``room``: the space kept around the marker for its rings.
    """

    id: str
    kind: str
    label: str
    x: float
    y: float
    r: float
    style: str
    label_box: tuple[float, float, float, float]
    room: float = 0.0

    @property
    def label_x(self) -> float:
        return self.label_box[0]

    @property
    def label_y(self) -> float:
        size = FONTS[self.style][0]
        return self.label_box[3] - _descent() * size

    @property
    def leader(self) -> str:
        """A thin line from the marker to its label when the label had to move away, else ``""``."""
        x0, y0, x1, y1 = self.label_box
        nx, ny = min(max(self.x, x0), x1), min(max(self.y, y0), y1)  # the box's nearest point
        distance = math.hypot(nx - self.x, ny - self.y)
        if distance <= self.r + self.room + LEADER_FROM:
            return ""
        ux, uy = (nx - self.x) / distance, (ny - self.y) / distance
        return (f"M{self.x + ux * (self.r + 1):.2f},{self.y + uy * (self.r + 1):.2f} "
                f"L{nx - ux:.2f},{ny - uy:.2f}")


@dataclass(frozen=True)
class Scene:
    """The static part of a map: its size and one :class:`Mark` per node."""

    width: float
    height: float
    marks: tuple[Mark, ...]

    def as_props(self) -> dict:
        """The scene for the browser: size and labels (the markers come with each frame)."""
        return {
            "width": self.width, "height": self.height,
            "labels": [{"id": f"label:{m.id}", "text": m.label, "x": round(m.label_x, 2),
                        "y": round(m.label_y, 2), "cls": f"label-{m.style}"} for m in self.marks],
            "leaders": [{"id": f"leader:{m.id}", "d": m.leader} for m in self.marks if m.leader],
        }


# --- fonts ----------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(weight: str, style: str) -> ft2font.FT2Font:
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=weight,
                                                             style=style), fallback_to_default=True)
    return ft2font.FT2Font(path)


def _descent() -> float:
    font = _font("normal", "normal")
    return -font.descender / font.units_per_EM


@lru_cache(maxsize=1024)
def text_size(text: str, style: str) -> tuple[float, float]:
    """(width, height) of ``text`` in a label of ``style``, as the browser lays it out.

    Width: the sum of the glyphs' advances (what an SVG text's bounding box spans); height: the
    font's ascent plus descent.
    """
    size, weight, slant = FONTS[style]
    font = _font(weight, slant)
    font.set_size(size, 72)
    width = sum(font.load_char(ord(ch), flags=ft2font.LoadFlags.NO_HINTING).linearHoriAdvance
                for ch in text) / 65536.0
    height = (font.ascender - font.descender) / font.units_per_EM * size
    return width, height


# --- the scene ------------------------------------------------------------------------------------


def _style(node: Node) -> str:
    if node.kind == "state":
        return "hub" if node.status == "hub" else "state"
    return node.kind


def radius(node: Node, largest: float) -> float:
    """Marker radius in drawing units: area grows with power."""
    if node.kind == "flashpoint" or node.power is None:
        return FLASHPOINT_R
    return R_MIN + (R_MAX - R_MIN) * math.sqrt(max(node.power, 0.0) / max(largest, 1e-9))


STRETCH = 1.6
"""How much more a map may be scaled along one axis than the other, where the places leave room
unused on it (a region that spans far more longitude than latitude uses more of the height)."""


def _project(nodes: list[Node], width: float, height: float):
    """A map of (lon, lat) into the view box, centred, with room for markers: equal scale, except
    that an axis the places would leave mostly empty is stretched up to :data:`STRETCH` times."""
    xs = [n.x for n in nodes]
    ys = [n.y for n in nodes]
    span_x = max(max(xs) - min(xs), 1.0)
    span_y = max(max(ys) - min(ys), 1.0)
    inner_w = width - 2 * (MARGIN + R_MAX) - 60.0  # room for labels on the sides
    inner_h = height - 2 * (MARGIN + R_MAX) - 16.0
    k = min(inner_w / span_x, inner_h / span_y)
    kx = min(inner_w / span_x, STRETCH * k)
    ky = min(inner_h / span_y, STRETCH * k)
    ox = (width - kx * span_x) / 2.0
    oy = (height - ky * span_y) / 2.0
    x0, y1 = min(xs), max(ys)
    return lambda x, y: (ox + (x - x0) * kx, oy + (y1 - y) * ky)


def map_label(node: Node, labels: list[str]) -> str:
    """A node's label on the map: a flashpoint's name without its closing parenthesis
    (``Natuna Sea (Indonesian EEZ)`` -> ``Natuna Sea``) where no other label reads the same; its notes
    keep the full name."""
    name = node.label
    if node.kind != "flashpoint" or not name.endswith(")") or " (" not in name:
        return name
    short = name[:name.index(" (")]
    if sum(1 for label in labels if label == short or label.startswith(short + " (")) > 1:
        return name
    return short


def make_scene(network: Network, width: float = WIDTH, height: float = HEIGHT) -> Scene:
    """Place every node and its label for a scenario (see the module docstring)."""
    to_box = _project(network.nodes, width, height)
    largest = max([n.power for n in network.nodes if n.power is not None] + [1e-9])
    names = [n.label for n in network.nodes]
    placed = []
    for node in network.nodes:
        x, y = to_box(node.x, node.y)
        placed.append((node, map_label(node, names), x, y, radius(node, largest),
                       RING_ROOM if node.kind == "state" else 0.0))
    boxes = place_labels([(x, y, r + room, label, _style(node))
                          for node, label, x, y, r, room in placed], width, height)
    marks = tuple(Mark(node.id, node.kind, label, x, y, r, _style(node), box, room)
                  for (node, label, x, y, r, room), box in zip(placed, boxes, strict=True))
    return Scene(width, height, marks)


_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (0.72, -0.72), (-0.72, -0.72), (0.72, 0.72),
               (-0.72, 0.72), (0.4, -0.92), (-0.4, -0.92), (0.4, 0.92), (-0.4, 0.92))
_GAPS = (2.5, 7.0, 13.0, 20.0, 28.0, 38.0, 50.0, 64.0)
AMBIGUITY, AMBIGUOUS_WITHIN = 12.0, 3.0
"""A label whose box comes within AMBIGUOUS_WITHIN of being as near another marker as its own
costs AMBIGUITY per unit of that shortfall (it would read as the other marker's)."""
_PAD = 1.5  # clearance kept around each label
HIDES = 5000.0
"""The cost of a label over another marker's centre (it would hide the marker)."""


def _candidate(x: float, y: float, r: float, w: float, h: float, direction, gap: float):
    """The label box on one side of a marker (y downwards)."""
    dx, dy = direction
    reach = r + gap
    cx = x + dx * reach + (w / 2 if dx > 0 else -w / 2 if dx < 0 else 0.0)
    cy = y + dy * reach + (h / 2 if dy > 0 else -h / 2 if dy < 0 else 0.0)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _area(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _grow(box, pad: float = _PAD):
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def place_labels(items: list[tuple[float, float, float, str, str]], width: float,
                 height: float) -> list[tuple[float, float, float, float]]:
    """Label boxes for markers ``(x, y, r, text, style)``: no two overlap where any choice allows.

    Each label may sit in twelve directions from its marker at eight distances (the farthest for
    crowded clusters, such as the Low Countries in ``europe1949``); a greedy pass takes the cheapest
    place for each label in turn -- leaving the frame weighs most, then hiding another
    marker's centre, overlap with labels placed so far, overlap with other markers, sitting as near
    another marker as its own, and distance -- and repair passes move any label that still overlaps
    another. The greedy pass goes largest markers first, flashpoints last; if that leaves a label
    overlapping another, hiding a marker or outside the frame, other orders (longest labels first)
    are tried and the best layout kept. Deterministic: the same markers give the same boxes
    (computed once per set of markers).
    """
    found = _placed(tuple((float(x), float(y), float(r), text, style)
                          for x, y, r, text, style in items), float(width), float(height))
    return list(found)


@lru_cache(maxsize=64)
def _placed(items: tuple[tuple[float, float, float, str, str], ...], width: float,
            height: float) -> tuple[tuple[float, float, float, float], ...]:
    # One function: the penalties (gap, outside, overlap) are closures over the same markers and
    # frame, and the greedy placement below reads them all.
    sizes = [text_size(text, style) for _, _, _, text, style in items]
    discs = [(x - r, y - r, x + r, y + r) for x, y, r, _, _ in items]
    frame = (MARGIN, MARGIN, width - MARGIN, height - MARGIN)

    def gap(box, j: int) -> float:
        """From a label box to marker j's edge."""
        x, y, r = items[j][:3]
        nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
        return math.hypot(nx - x, ny - y) - r

    def outside(box) -> float:
        return (max(0.0, frame[0] - box[0]) + max(0.0, box[2] - frame[2])
                + max(0.0, frame[1] - box[1]) + max(0.0, box[3] - frame[3]))

    def hidden(k: int, box) -> int:
        return sum(1 for j, (x, y, *_) in enumerate(items)
                   if j != k and box[0] <= x <= box[2] and box[1] <= y <= box[3])

    def fixed(k: int, box, distance: float) -> float:
        """The part of a place's cost that does not depend on the other labels."""
        total = 20.0 * sum(_area(box, disc) for j, disc in enumerate(discs) if j != k)
        total += HIDES * hidden(k, box)  # a label over another marker's centre hides it
        # a label nearer another marker than its own reads as that marker's
        own = gap(box, k)
        total += AMBIGUITY * sum(max(0.0, own + AMBIGUOUS_WITHIN - gap(box, j))
                                 for j in range(len(items)) if j != k)
        return total + 10_000.0 * outside(box) + distance

    options = []
    for k, ((x, y, r, _, _), (w, h)) in enumerate(zip(items, sizes, strict=True)):
        boxes = [(_candidate(x, y, r, w, h, d, g), 8.0 * g + 0.3 * n)
                 for g in _GAPS for n, d in enumerate(_DIRECTIONS)]
        options.append([(box, fixed(k, box, distance)) for box, distance in boxes])

    def best(k: int, chosen: dict[int, tuple]):
        def cost(option) -> float:
            grown = _grow(option[0])
            return option[1] + 50.0 * sum(_area(grown, other) for j, other in chosen.items()
                                          if j != k)
        return min(options[k], key=cost)[0]

    def clashing(chosen: dict[int, tuple], order) -> list[int]:
        return [k for k in order if any(_area(_grow(chosen[k]), _grow(chosen[j])) > 0
                                        for j in chosen if j != k)]

    def place(order) -> dict[int, tuple]:
        chosen: dict[int, tuple] = {}
        for k in order:
            chosen[k] = best(k, chosen)
        for _ in range(6):
            moving = [k for k in order if k in set(clashing(chosen, order)) or hidden(k, chosen[k])]
            if not moving:
                break
            for k in moving:
                chosen[k] = best(k, chosen)
        return chosen

    def flaws(chosen: dict[int, tuple]) -> tuple[int, int, float]:
        return (len(clashing(chosen, range(len(items)))),
                sum(hidden(k, box) for k, box in chosen.items()),
                round(sum(outside(box) for box in chosen.values()), 6))

    width_of = [w for w, _ in sizes]
    orders = (
        lambda k: (items[k][4] == "flashpoint", -items[k][2], k),
        lambda k: (items[k][4] == "flashpoint", -width_of[k], k),
        lambda k: (-width_of[k], k),
        lambda k: (items[k][4] != "flashpoint", -width_of[k], k),
    )
    found = None
    for key in orders:
        chosen = place(sorted(range(len(items)), key=key))
        score = flaws(chosen)
        if found is None or score < found[0]:
            found = (score, chosen)
        if score == (0, 0, 0.0):
            break
    chosen = found[1]
    return tuple(chosen[k] for k in range(len(items)))


def overlaps(scene: Scene) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap (empty for a good scene)."""
    marks = scene.marks
    return [(a.id, b.id) for i, a in enumerate(marks) for b in marks[i + 1:]
            if _area(a.label_box, b.label_box) > 0]


# --- one step -------------------------------------------------------------------------------------


def hedging_colour(hedging: float) -> str:
    """The colour of a state's hedging (to a thousandth)."""
    return _colour(round(float(hedging), 3))


@lru_cache(maxsize=1024)
def _colour(hedging: float) -> str:
    return matplotlib.colors.to_hex(HEDGING_COLOURS(hedging))


def _polygon(points) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def star_points(x: float, y: float, r: float) -> str:
    return _polygon((x + (r if k % 2 == 0 else r * 0.45) * math.sin(k * math.pi / 5),
                     y - (r if k % 2 == 0 else r * 0.45) * math.cos(k * math.pi / 5))
                    for k in range(10))


def diamond_points(x: float, y: float, r: float) -> str:
    return _polygon(((x, y - r), (x + r, y), (x, y + r), (x - r, y)))


def pressure_width(pressure: float, scale: float) -> float:
    """Width of a member's pressure band (0 without pressure): it grows with the square root of the
    pressure against ``scale`` (the pressure that alone would hold grievance at the exit
    threshold), from :data:`PRESSURE_WIDTH` [0] to [1] at ``scale`` or more."""
    if pressure <= 0.0:
        return 0.0
    low, high = PRESSURE_WIDTH
    return round(low + (high - low) * math.sqrt(min(pressure / scale, 1.0)), 2)


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of ``points``, counter-clockwise (Andrew's monotone chain)."""
    points = sorted(set(points))
    if len(points) <= 2:
        return points

    def turn(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in points:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def pact_outline(marks: list[Mark], pad: float = PACT_PAD, samples: int = 32
                 ) -> list[tuple[float, float]]:
    """The outline of a pact around its members' markers: the convex hull of a circle of radius
    marker + ``pad`` around each (rounded at every member), as a polygon."""
    points = []
    for mark in marks:
        reach = mark.r + pad
        points += [(round(mark.x + reach * math.cos(2 * math.pi * k / samples), 2),
                    round(mark.y + reach * math.sin(2 * math.pi * k / samples), 2))
                   for k in range(samples)]
    return _hull(points)


def inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    """Whether ``point`` lies inside ``polygon`` (even-odd rule)."""
    x, y = point
    found = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            found = not found
    return found


def _pact(pact, marks: dict[str, Mark]) -> dict:
    """A collective pact: one outline around its members, its width the obligations' strength."""
    outline = pact_outline([marks[m] for m in pact.members])
    path = "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in outline) + " Z"
    return {"id": pact.id, "d": path, "w": round(0.8 + 1.2 * pact.weight, 2),
            "members": list(pact.members), "protected": list(pact.protected),
            "title": "\n".join(pact.notes)}


def _marker(node: Node, mark: Mark, scale: float = 1.0, protected: bool = False) -> dict:
    """How one node looks at this step (``scale``: :attr:`Network.pressure_scale`; ``protected``:
    a protocol state a collective pact protects)."""
    x, y, r = mark.x, mark.y, mark.r
    shape = {"id": node.id, "x": round(x, 2), "y": round(y, 2), "r": round(r, 2), "halo": 0.0,
             "title": "\n".join(node.notes), "dash": "", "pw": 0.0, "pr": 0.0, "out": 0.0,
             "guard": round(r + GUARD_RING, 2) if protected else 0.0}
    if node.kind == "flashpoint":
        colour = {"quiet": "#ffffff", "aggression": FOUGHT_COLOUR, "deterred": DETERRED_COLOUR}
        if node.status == "aggression":
            shape.update(shape="polygon", points=star_points(x, y, r * 1.9))
        else:
            shape.update(shape="polygon", points=diamond_points(x, y, r))
        shape.update(fill=colour[node.status], stroke="#555555", sw=0.9, cls=f"fp-{node.status}")
        return shape
    if node.kind == "challenger":
        shape.update(shape="rect", fill=CHALLENGER_COLOUR, stroke=CHALLENGER_COLOUR, sw=0.8,
                     cls="challenger")
    else:
        stroke, width, dash = STATUS_RINGS[node.status]
        fill = EXITED_COLOUR if node.status == "exited" else hedging_colour(node.hedging)
        shape.update(shape="circle", fill=fill, stroke=stroke, sw=width, dash=dash,
                     cls=f"state-{node.status.replace(' ', '-')}",
                     autonomy=round(node.autonomy, 6), wedge=round(node.wedge, 6))
        if node.status == "not joined":
            shape["out"] = round(r + OUTSIDE_RING[3], 2)
        band = pressure_width(node.pressure, scale)
        if band:
            shape.update(pw=band, pr=round(r + 1.6 + band / 2, 2))
    if "fought" in node.roles:
        shape.update(stroke=FOUGHT_COLOUR, sw=2.8, dash="")
    elif "passed the buck" in node.roles:
        shape.update(stroke=BUCK_PASSER_COLOUR, sw=2.8, dash="2 1")
    elif "stayed out" in node.roles:
        shape.update(stroke=STAYED_OUT_COLOUR, sw=2.8, dash="2 1")
    if "target" in node.roles:
        shape["halo"] = round(max(r * 1.6 + 1.5, shape["pr"] + shape["pw"] / 2 + 1.5,
                                  shape["out"] + 2.0, shape["guard"] + 2.0), 2)
    return shape


def _curve(a: Mark, b: Mark, bend: float, start_gap: float, end_gap: float) -> str:
    """A quadratic curve from ``a`` to ``b``, bent by ``bend`` x its length, stopped short of both."""
    dx, dy = b.x - a.x, b.y - a.y
    cx, cy = (a.x + b.x) / 2 + bend * dy, (a.y + b.y) / 2 - bend * dx

    def short(px: float, py: float, gap: float) -> tuple[float, float]:
        ux, uy = cx - px, cy - py
        length = math.hypot(ux, uy) or 1.0
        return px + ux / length * gap, py + uy / length * gap

    (x0, y0), (x1, y1) = short(a.x, a.y, start_gap), short(b.x, b.y, end_gap)
    return f"M{x0:.2f},{y0:.2f} Q{cx:.2f},{cy:.2f} {x1:.2f},{y1:.2f}"


def _cross(x: float, y: float, size: float) -> str:
    return (f"M{x - size:.2f},{y - size:.2f} L{x + size:.2f},{y + size:.2f} "
            f"M{x - size:.2f},{y + size:.2f} L{x + size:.2f},{y - size:.2f}")


_CROSS_AT = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
"""Where along a tie that ended its cross may go: the middle, unless a label is there."""


def _ended(tie, marks: dict[str, Mark], step: int) -> dict:
    """A tie that ended: a straight dashed line between the two states, crossed near its middle
    (where no label is)."""
    a, b = marks[tie.a], marks[tie.b]
    length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
    x0, y0 = a.x + ux * (a.r + 2.0), a.y + uy * (a.r + 2.0)
    x1, y1 = b.x - ux * (b.r + 2.0), b.y - uy * (b.r + 2.0)
    now = tie.end == step
    size = 4.0 if now else 3.0
    labels = [m.label_box for m in marks.values()]

    def clear(t: float) -> bool:
        cx, cy = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        box = (cx - size, cy - size, cx + size, cy + size)
        return not any(_area(box, label) > 0 for label in labels)

    t = next((t for t in _CROSS_AT if clear(t)), 0.5)
    return {"id": tie.id, "d": f"M{x0:.2f},{y0:.2f} L{x1:.2f},{y1:.2f}",
            "cross": _cross(x0 + t * (x1 - x0), y0 + t * (y1 - y0), size),
            "now": now, "title": "\n".join(tie.notes)}


def frame(network: Network, scene: Scene) -> dict:
    """One step of one run for the browser: markers, obligation arrows (but those of a collective
    pact), the pacts' outlines, ties that ended, crisis lines and the challengers' wedges."""
    marks = {m.id: m for m in scene.marks}
    protected = {node for pact in network.pacts for node in pact.protected}
    markers = [_marker(node, marks[node.id], network.pressure_scale, node.id in protected)
               for node in network.nodes]
    pacts = [_pact(pact, marks) for pact in network.pacts]
    edges = []
    for edge in network.edges:
        if edge.pact:  # drawn as its pact
            continue
        a, b = marks[edge.source], marks[edge.target]
        edges.append({"id": edge.id, "d": _curve(a, b, 0.12, a.r + 1.5, b.r + 2.5),
                      "w": round(0.6 + 2.0 * edge.weight, 2), "dash": KIND_DASHES[edge.kind],
                      "op": 0.4 if edge.kind == "collective" else 0.75, "title": "\n".join(edge.notes)})
    links = []
    for link in network.links:
        a, b = marks[link.source], marks[link.target]
        links.append({"id": link.id, "d": _curve(a, b, 0.0, a.r + 1.5, b.r + 3.0),
                      "role": link.role.replace(" ", "-")})
    wedges = []
    for link in network.wedges:
        a, b = marks[link.source], marks[link.target]
        wedges.append({"id": f"wedge:{link.source}->{link.target}",
                       "d": _curve(a, b, -0.18, a.r + 2.0, b.r + 4.0)})
    # a pact's ended ties are not drawn: the member that left is (grey, dashed ring)
    ended = [_ended(tie, marks, network.step) for tie in network.ended if tie.kind != "collective"]
    return {"step": network.step, "title": network.title, "nodes": markers, "edges": edges,
            "pacts": pacts, "links": links, "ended": ended, "wedges": wedges}
