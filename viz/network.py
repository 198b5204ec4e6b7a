"""The alliance network: states, challengers and flashpoints on the map, obligations as arrows.

:func:`network` turns a model into plain data (one :class:`Node` per state, challenger and
flashpoint; one :class:`Edge` per obligation; the roles of the current crisis); :func:`draw_network`
draws that data with matplotlib and returns the figure. Neither needs a browser.

What the picture encodes (the mechanism, not just a counter):

* a state's area grows with its power (square-root scale), its colour is its hedging (Morrow 1991:
  the value of autonomy; dark = aligned, light = hedging); members of the structure have a dark
  ring, the hub a thick one; members that left are grey (Leeds & Savun 2007);
* an obligation ``i -> j`` (i is bound to defend j) is an arrow whose width is its strength and
  whose line is its kind: solid bilateral, dashed collective, dotted minilateral;
* the crises of the current step: the challenger's arrow to the flashpoint, the target (dark red
  halo), who fought (red ring and line to the flashpoint) and who was obliged but stayed out
  (orange dashed ring and line); a challenge that was deterred marks its flashpoint green.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from model.structure import EdgeKind

from .layout import spread

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from model import DeterrenceModel

KIND_NAMES = {EdgeKind.BILATERAL: "bilateral", EdgeKind.MINILATERAL: "minilateral",
              EdgeKind.COLLECTIVE: "collective"}
KIND_STYLES = {"bilateral": "solid", "collective": (0, (5, 2.5)), "minilateral": (0, (1, 1.5))}
HEDGING_COLOURS = matplotlib.colormaps["viridis"]
EXITED_COLOUR = "#c8c8c8"
CHALLENGER_COLOUR = "#222222"
OBLIGATION_COLOUR = "#3b6ea8"
FOUGHT_COLOUR = "#d62728"
STAYED_OUT_COLOUR = "#ff7f0e"
TARGET_COLOUR = "#8b0000"
DETERRED_COLOUR = "#2ca02c"
MIN_SIZE, MAX_SIZE = 40.0, 520.0  # marker areas, points squared
TARGET_HALO = 2.6  # area of a target's halo, times its marker's


@dataclass(frozen=True)
class Node:
    """One thing on the map.

    Attributes:
        id: ``state:NAME``, ``challenger:NAME`` or ``flashpoint:ID``.
        kind: ``state``, ``challenger`` or ``flashpoint``.
        label: the text drawn next to it.
        x, y: position (degrees of longitude and latitude, eased apart where crowded).
        size: marker area in points squared (by power for states and challengers).
        status: states: ``hub``, ``member``, ``exited`` or ``other``; challengers ``challenger``;
            flashpoints ``quiet``, ``aggression`` or ``deterred`` this step.
        hedging: the state's hedging (``None`` for challengers and flashpoints).
        roles: this step's crisis roles: ``target``, ``fought``, ``stayed out``, ``challenger``.
    """

    id: str
    kind: str
    label: str
    x: float
    y: float
    size: float
    status: str
    hedging: float | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    """One obligation: ``source`` is bound to defend ``target`` (node ids).

    Attributes:
        weight: strength in (0, 1] (1 = automatic, Article-5-like).
        kind: ``bilateral``, ``minilateral`` or ``collective``.
        conditional: void when the protege provoked.
        width: line width in points (grows with ``weight``).
        style: matplotlib line style for ``kind``.
    """

    source: str
    target: str
    weight: float
    kind: str
    conditional: bool
    width: float
    style: object


@dataclass
class Network:
    """Everything :func:`draw_network` draws: nodes, obligations, and this step's crises."""

    title: str
    nodes: list[Node]
    edges: list[Edge]
    crises: list = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """Crisis lines (from node id, to node id, role): challenger, fought or stayed out."""

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


def positions(model: DeterrenceModel) -> dict[str, tuple[float, float]]:
    """Stable map positions of every state, challenger and flashpoint, keyed by node id."""
    ids = ([f"state:{s.name}" for s in model.states]
           + [f"challenger:{c.name}" for c in model.challengers]
           + [f"flashpoint:{f.id}" for f in model.flashpoints])
    points = ([s.location for s in model.states] + [c.location for c in model.challengers]
              + [f.location for f in model.flashpoints])
    xy = spread(points)
    return {node_id: (float(x), float(y)) for node_id, (x, y) in zip(ids, xy, strict=True)}


def structure_title(model: DeterrenceModel) -> str:
    """``hub_and_spoke · step 12 · members 5/6`` (or ``dissolved at step k``)."""
    graph = model.graph
    parts = [str(model.params["structure"]), f"step {model.steps}"]
    if graph.founders:
        parts.append(f"members {graph.active_members()}/{len(graph.founders)}")
    if graph.dissolved:
        parts.append(f"dissolved at step {model.dissolved_at}")
    return " · ".join(parts)


def network(model: DeterrenceModel) -> Network:
    """The model's current network as data (see the module docstring for the encoding)."""
    where = positions(model)
    graph = model.graph
    founders = set(graph.founders)
    largest = max([s.power for s in model.states] + [c.power for c in model.challengers] + [1e-9])

    def size(power: float) -> float:
        return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(power, 0.0) / largest)

    roles: dict[str, list[str]] = {}
    flashpoint_status: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    by_name = {f.name: f for f in model.flashpoints}
    for crisis in model.crises:
        fp = by_name.get(crisis.flashpoint)
        if fp is None:
            continue
        fp_id = f"flashpoint:{fp.id}"
        if crisis.severity is None:
            flashpoint_status.setdefault(fp_id, "deterred")
            continue
        flashpoint_status[fp_id] = "aggression"
        links.append((f"challenger:{crisis.challenger}", fp_id, "challenger"))
        roles.setdefault(f"challenger:{crisis.challenger}", []).append("challenger")
        roles.setdefault(f"state:{crisis.target}", []).append("target")
        for name in crisis.fought:
            roles.setdefault(f"state:{name}", []).append("fought")
            if name != crisis.target:
                links.append((f"state:{name}", fp_id, "fought"))
        for name in crisis.stayed_out:
            roles.setdefault(f"state:{name}", []).append("stayed out")
            links.append((f"state:{name}", fp_id, "stayed out"))

    def ordered(node_id: str) -> tuple[str, ...]:
        found = roles.get(node_id, [])
        return tuple(r for r in ("challenger", "target", "fought", "stayed out") if r in found)

    nodes: list[Node] = []
    for s in model.states:
        node_id = f"state:{s.name}"
        if s.index in founders and not graph.active[s.index]:
            status = "exited"
        elif s.is_hub and s.index in founders:
            status = "hub"
        elif s.index in founders:
            status = "member"
        else:
            status = "other"
        nodes.append(Node(node_id, "state", s.name, *where[node_id], size(s.power), status,
                          hedging=float(s.hedging), roles=ordered(node_id)))
    for c in model.challengers:
        node_id = f"challenger:{c.name}"
        nodes.append(Node(node_id, "challenger", c.name, *where[node_id], size(c.power),
                          "challenger", roles=ordered(node_id)))
    for f in model.flashpoints:
        node_id = f"flashpoint:{f.id}"
        nodes.append(Node(node_id, "flashpoint", f.name, *where[node_id], 55.0,
                          flashpoint_status.get(node_id, "quiet")))

    names = [s.name for s in model.states]
    edges = [
        Edge(f"state:{names[i]}", f"state:{names[j]}", weight, KIND_NAMES[kind], conditional,
             width=0.5 + 2.0 * weight, style=KIND_STYLES[KIND_NAMES[kind]])
        for i, j, weight, kind, conditional in graph.edges()
    ]
    return Network(structure_title(model), nodes, edges, list(model.crises), links)


def draw_network(
    model: DeterrenceModel, ax: Axes | None = None, legend: bool = True
) -> Figure:
    """Draw :func:`network` of ``model``; a new figure unless ``ax`` is given.

    Every artist carries its node or edge id as ``gid`` (``state:Japan``,
    ``obligation:state:United States->state:Japan``, ``crisis:fought:...``), so the drawing can be
    inspected without looking at pixels.
    """
    data = network(model)
    own_figure = ax is None
    if own_figure:
        # title on top, the map, the legend in a band below; the height follows the map's shape
        x0, x1, y0, y1 = _limits(data)
        width, title, band = 5.0, 0.3, 0.9
        map_height = min(max(0.97 * width * (y1 - y0) / (x1 - x0), 2.4), 4.6)
        height = title + map_height + band
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.015, band / height, 0.97, map_height / height))
    fig = ax.figure
    _frame(ax, data)
    if own_figure:
        fig.text(0.015, 1.0 - 0.05 / fig.get_figheight(), data.title, fontsize=10, ha="left",
                 va="top")
    else:
        ax.set_title(data.title, fontsize=10, loc="left")
    where = {n.id: (n.x, n.y) for n in data.nodes}
    radius = {n.id: math.sqrt(n.size / math.pi) for n in data.nodes}

    for edge in data.edges:
        arrow = FancyArrowPatch(
            where[edge.source], where[edge.target], arrowstyle="-|>", mutation_scale=7,
            connectionstyle="arc3,rad=0.12", linewidth=edge.width, linestyle=edge.style,
            color=OBLIGATION_COLOUR, alpha=0.35 if edge.kind == "collective" else 0.7,
            shrinkA=radius[edge.source] + 1,
            shrinkB=radius[edge.target] + 2, zorder=1,
        )
        arrow.set_gid(f"obligation:{edge.source}->{edge.target}")
        ax.add_patch(arrow)

    link_styles = {"challenger": (FOUGHT_COLOUR, "solid", 2.2), "fought": (FOUGHT_COLOUR, "solid", 1.4),
                   "stayed out": (STAYED_OUT_COLOUR, (0, (3, 2)), 1.4)}
    for source, target, role in data.links:
        colour, style, width = link_styles[role]
        arrow = FancyArrowPatch(
            where[source], where[target], arrowstyle="-|>", mutation_scale=9, linewidth=width,
            linestyle=style, color=colour, alpha=0.9, shrinkA=radius[source] + 1,
            shrinkB=radius[target] + 1, zorder=4,
        )
        arrow.set_gid(f"crisis:{role}:{source}->{target}")
        ax.add_patch(arrow)

    for node in data.nodes:
        _draw_node(ax, node)
    _place_labels(ax, data)
    if legend:
        _legend(ax, in_band=own_figure)
    return fig


def _limits(data: Network) -> tuple[float, float, float, float]:
    """x and y limits of the map: every node, with a margin for markers and labels."""
    xs = [n.x for n in data.nodes]
    ys = [n.y for n in data.nodes]
    pad_x = 0.08 * max(max(xs) - min(xs), 1.0)
    pad_y = 0.08 * max(max(ys) - min(ys), 1.0)
    return min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y


def _frame(ax: Axes, data: Network) -> None:
    x0, x1, y0, y1 = _limits(data)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor("#f3f6fa")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#c9d3df")


def _draw_node(ax: Axes, node: Node) -> None:
    if node.kind == "flashpoint":
        colour = {"quiet": "white", "aggression": FOUGHT_COLOUR, "deterred": DETERRED_COLOUR}
        marker = "*" if node.status == "aggression" else "D"
        size = node.size * (4.0 if node.status == "aggression" else 0.6)
        artist = ax.scatter([node.x], [node.y], s=size, marker=marker,
                            c=colour[node.status], edgecolors="#555555", linewidths=0.8, zorder=5)
        artist.set_gid(node.id)
        return
    if node.kind == "challenger":
        face, edge, width, style = CHALLENGER_COLOUR, CHALLENGER_COLOUR, 0.8, "solid"
        marker = "s"
    else:
        marker = "o"
        face = EXITED_COLOUR if node.status == "exited" else HEDGING_COLOURS(node.hedging)
        edge, width, style = {
            "hub": ("#111111", 2.6, "solid"), "member": ("#111111", 1.4, "solid"),
            "exited": ("#888888", 1.2, (0, (2, 1.5))), "other": ("#ffffff", 0.6, "solid"),
        }[node.status]
    if "fought" in node.roles:
        edge, width, style = FOUGHT_COLOUR, 2.8, "solid"
    elif "stayed out" in node.roles:
        edge, width, style = STAYED_OUT_COLOUR, 2.8, (0, (2, 1))
    if "target" in node.roles:
        halo = ax.scatter([node.x], [node.y], s=node.size * TARGET_HALO, marker="o", facecolors="none",
                          edgecolors=TARGET_COLOUR, linewidths=1.6, zorder=2)
        halo.set_gid(f"crisis:target:{node.id}")
    artist = ax.scatter([node.x], [node.y], s=node.size, marker=marker, c=[face],
                        edgecolors=[edge], linewidths=width, linestyle=style, zorder=3)
    artist.set_gid(node.id)


def _place_labels(ax: Axes, data: Network) -> None:
    """Label every node, choosing for each the free side that overlaps least (greedy, fixed order).

    Order: nodes in this step's crises first, then states and challengers by size, then
    flashpoints, so the important labels get the best places. Deterministic.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    ax.apply_aspect()
    to_pixels = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    discs = []
    for n in data.nodes:
        cx, cy = to_pixels((n.x, n.y))
        r = _reach(n) * fig.dpi / 72.0
        discs.append((cx - r, cy - r, cx + r, cy + r))
    placed: list[tuple[float, float, float, float]] = []

    def busy(node: Node) -> int:
        return 0 if node.roles or node.status in ("aggression", "deterred") else 1

    order = sorted(data.nodes, key=lambda n: (busy(n), n.kind == "flashpoint", -n.size, n.id))
    for node in order:
        flashpoint = node.kind == "flashpoint"
        important = not busy(node)
        text = ax.annotate(
            node.label, (node.x, node.y), textcoords="offset points", xytext=(0, 0),
            fontsize=6.2 if flashpoint else 7.2,
            fontstyle="italic" if flashpoint else "normal",
            fontweight="bold" if important or node.status == "hub" else "normal",
            color=(("#333333" if important else "#8a8a8a") if flashpoint
                   else "#777777" if node.status == "exited" else "#111111"),
            zorder=6,
        )
        text.set_gid(f"label:{node.id}")
        r = _reach(node) + 2.0
        candidates = [((r, 0), "left", "center"), ((-r, 0), "right", "center"),
                      ((0, r), "center", "bottom"), ((0, -r), "center", "top"),
                      ((r * 0.75, r * 0.75), "left", "bottom"), ((-r * 0.75, r * 0.75), "right", "bottom"),
                      ((r * 0.75, -r * 0.75), "left", "top"), ((-r * 0.75, -r * 0.75), "right", "top")]
        best, best_cost = candidates[0], math.inf
        for offset, ha, va in candidates:
            text.set_position(offset)
            text.set_ha(ha)
            text.set_va(va)
            box = text.get_window_extent(renderer)
            box_t = (box.x0, box.y0, box.x1, box.y1)
            cost = sum(_overlap(box_t, other) for other in placed) * 3.0
            cost += sum(_overlap(box_t, d) for d in discs)
            outside = (max(0.0, frame.x0 - box.x0) + max(0.0, box.x1 - frame.x1)
                       + max(0.0, frame.y0 - box.y0) + max(0.0, box.y1 - frame.y1))
            cost += outside * box.height * 4.0
            if cost < best_cost - 1e-6:
                best, best_cost = (offset, ha, va), cost
        text.set_position(best[0])
        text.set_ha(best[1])
        text.set_va(best[2])
        box = text.get_window_extent(renderer)
        placed.append((box.x0, box.y0, box.x1, box.y1))


def _reach(node: Node) -> float:
    """Radius in points of a node's marker, and of its halo if it is a crisis's target."""
    radius = math.sqrt(node.size / math.pi)
    return radius * math.sqrt(TARGET_HALO) if "target" in node.roles else radius


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _legend(ax: Axes, in_band: bool) -> None:
    def dot(**kw):
        return Line2D([], [], linestyle="none", **kw)

    handles = [
        dot(marker="o", markersize=8, markerfacecolor=HEDGING_COLOURS(0.15),
            markeredgecolor="#111111", markeredgewidth=2.4, label="hub"),
        dot(marker="o", markersize=7, markerfacecolor=HEDGING_COLOURS(0.5),
            markeredgecolor="#111111", markeredgewidth=1.3, label="member"),
        dot(marker="o", markersize=7, markerfacecolor=HEDGING_COLOURS(0.9),
            markeredgecolor="white", label="other state"),
        dot(marker="o", markersize=7, markerfacecolor=EXITED_COLOUR, markeredgecolor="#888888",
            label="left the structure"),
        dot(marker="s", markersize=7, markerfacecolor=CHALLENGER_COLOUR, markeredgecolor="none",
            label="challenger"),
        dot(marker="D", markersize=5, markerfacecolor="white", markeredgecolor="#555555",
            label="flashpoint"),
        Line2D([], [], color=OBLIGATION_COLOUR, linewidth=2, label="bilateral obligation"),
        Line2D([], [], color=OBLIGATION_COLOUR, linewidth=2, linestyle=KIND_STYLES["collective"],
               label="collective obligation"),
        Line2D([], [], color=OBLIGATION_COLOUR, linewidth=2, linestyle=KIND_STYLES["minilateral"],
               label="minilateral link"),
        dot(marker="*", markersize=10, markerfacecolor=FOUGHT_COLOUR, markeredgecolor="#555555",
            label="aggression"),
        dot(marker="D", markersize=5, markerfacecolor=DETERRED_COLOUR, markeredgecolor="#555555",
            label="deterred"),
        dot(marker="o", markersize=9, markerfacecolor="none", markeredgecolor=TARGET_COLOUR,
            label="target"),
        dot(marker="o", markersize=7, markerfacecolor="white", markeredgecolor=FOUGHT_COLOUR,
            markeredgewidth=2.4, label="fought"),
        dot(marker="o", markersize=7, markerfacecolor="white", markeredgecolor=STAYED_OUT_COLOUR,
            markeredgewidth=2.4, label="obliged, stayed out"),
    ]
    style = dict(handles=handles, ncol=4, fontsize=6.8, frameon=False, handlelength=2.0,
                 columnspacing=0.8, handletextpad=0.4, title_fontsize=7,
                 title="size: power · colour: hedging (dark aligned, light hedging)")
    if in_band:
        ax.figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), **style)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.01), **style)

