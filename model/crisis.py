"""Flashpoints and the record of one crisis at one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .agents import Challenger, State

SEVERITY_NAMES = ("grey-zone probe", "limited strike", "major attack")


@dataclass(eq=False)
class Flashpoint:
    """A contested place (docs/ODD.md, Entities).

    Attributes:
        index: position in the model's flashpoint list.
        id, name: identifier and display name.
        target: the state whose sovereignty is at stake.
        challenger: the challenger that contests it.
        value: its value to the challenger, in [0, 1].
        theatre: ``maritime`` or ``land``.
        location: (longitude, latitude).
        rate: probability per step that an incident opens it (after ``opportunity_scale``).
        neighbours: indices of flashpoints a war here can spread to.
        target_may_provoke: whether its target contests it actively and may provoke.
        options: the severities (0 probe, 1 limited strike, 2 major attack) the challenger considers.
        behind: indices of the fronts it lies behind (reachable once one has fallen).
        taken: whether the challenger holds it (``conquest = "held"``): it opens no more.
        closed: whether it is closed to crises (a scheduled event: :mod:`model.calendar`).
        at_war: whether a war is under way there (:mod:`model.war`): it opens to no other crisis.
        fronts: the flashpoints themselves, for :attr:`reachable` (set by the model).
    """

    index: int
    id: str
    name: str
    target: State
    challenger: Challenger
    value: float
    theatre: str
    location: tuple[float, float]
    rate: float
    neighbours: tuple[int, ...]
    target_may_provoke: bool
    options: tuple[int, ...] = (0, 1, 2)
    behind: tuple[int, ...] = ()
    taken: bool = False
    closed: bool = False
    at_war: bool = False
    fronts: tuple[Flashpoint, ...] = ()

    @property
    def reachable(self) -> bool:
        """Whether the challenger can reach it: it lies behind no front, or one of its fronts has
        fallen."""
        return not self.fronts or any(front.taken for front in self.fronts)

    @property
    def open_to_crises(self) -> bool:
        """Whether an incident can open it: reachable, not taken, not closed and not at war."""
        return not self.taken and not self.closed and not self.at_war and self.reachable


@dataclass(slots=True)
class Crisis:
    """What happened at one flashpoint in one step (one hop of a spreading war).

    Attributes:
        step: the model step.
        flashpoint: the flashpoint's display name.
        challenger, target: names.
        severity: 0 probe, 1 limited strike, 2 major attack; ``None`` if deterred.
        hop: 0 for the challenger's own choice, k for the k-th spread of a war.
        second_front: whether a challenger chose it at an opportunity a neighbouring war opened
            (``escalation = "decision"``), rather than the war spreading by itself.
        provoked: whether the target provoked the crisis.
        fought: names of the states that fought (the target first, if it resisted).
        stayed_out: names of the states obliged to fight that did not.
        outcome: ``deterred``, ``unopposed``, ``challenger won`` or ``defence held``.
        token: names of the states among ``fought`` that sent only a token contribution.
        taken: whether the challenger took the flashpoint (a major attack won, ``conquest =
            "held"``).
        scheduled: whether a scheduled event started it, whatever the challenger would have chosen.
        war_steps: for the end of a war that lasted (:mod:`model.war`), the steps it was fought
            (``fought``: who was still in the field; ``outcome``: how it ended).
        left, joined: the defenders that left the war while it lasted, and those that joined it.
    """

    step: int
    flashpoint: str
    challenger: str
    target: str
    severity: int | None
    hop: int = 0
    provoked: bool = False
    fought: list[str] = field(default_factory=list)
    stayed_out: list[str] = field(default_factory=list)
    outcome: str = "deterred"
    second_front: bool = False
    token: list[str] = field(default_factory=list)
    taken: bool = False
    scheduled: bool = False
    war_steps: int = 0
    left: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)

    @property
    def challenger_won(self) -> bool:
        """Whether the challenger gained: unopposed, or it won the war (at once, or at the end of a
        war that lasted, by arms or because the target gave up)."""
        return self.outcome in CHALLENGER_WON

    @property
    def buck_passers(self) -> list[str]:
        """Obliged states that stayed out while another defender than the target fought
        (buck-passing, Christensen & Snyder 1990); staying out while only the target fought is
        abandonment."""
        others_fought = len(self.fought) > (1 if self.target in self.fought else 0)
        return list(self.stayed_out) if others_fought else []

    def describe(self) -> str:
        """One line in words, e.g. ``step 41 · China: limited strike at Senkaku · fought: ...``."""
        if self.severity is None:
            if self.second_front:
                return (f"step {self.step} · {self.challenger} did not open a second front at "
                        f"{self.flashpoint}")
            return f"step {self.step} · {self.challenger} deterred at {self.flashpoint}"
        action = SEVERITY_NAMES[self.severity]
        if self.war_steps:
            parts = [f"step {self.step} · {self.challenger}: war at {self.flashpoint} "
                     f"({action}) ended after {self.war_steps} steps: "
                     f"{self.outcome.removeprefix('war ended: ')}"]
            if self.joined:
                parts.append("joined: " + ", ".join(self.joined))
            if self.left:
                parts.append("left: " + ", ".join(self.left))
            parts.append("in the field at the end: " + (", ".join(self.fought) or "nobody"))
            if self.taken:
                parts.append(f"{self.flashpoint} taken")
            return " · ".join(parts)
        if self.second_front:
            action = f"second front ({action})"
        elif self.hop:
            action = f"war spreads ({action})"
        elif self.scheduled:
            action = f"{action}, scheduled"
        parts = [f"step {self.step} · {self.challenger}: {action} at {self.flashpoint}"]
        if self.provoked:
            parts.append(f"provoked by {self.target}")
        fought = [f"{name} (token)" if name in self.token else name for name in self.fought]
        parts.append("fought: " + (", ".join(fought) if fought else "nobody"))
        if self.stayed_out:
            parts.append("obliged but stayed out: " + ", ".join(self.stayed_out))
        parts.append(self.outcome)
        if self.taken:
            parts.append(f"{self.flashpoint} taken")
        return " · ".join(parts)


CHALLENGER_WON = frozenset({"unopposed", "challenger won", "war ended: challenger won",
                            "war ended: target gave up"})
"""The outcomes of a crisis in which the challenger gained."""

EVENT_KINDS = ("formed", "not formed", "declined", "tie ended", "left", "dissolved", "acceded",
               "tie formed", "scheduled")


@dataclass
class Event:
    """Something that happened to the alliance itself (not at a flashpoint).

    Attributes:
        step: the model step (0 = formation, before the first step).
        kind: one of :data:`EVENT_KINDS`.
        states: the names of the states concerned (who declined, the two parties of a tie, who left,
            the members that formed the structure).
        detail: the reason, in words (e.g. ``grievance 1.62 > exit threshold 1.5``).
    """

    step: int
    kind: str
    states: list[str] = field(default_factory=list)
    detail: str = ""

    def describe(self) -> str:
        """One line in words, e.g. ``step 57 · tie ended: Thailand – United States · grievance ...``."""
        who = {
            "formed": "structure formed: ",
            "not formed": "structure did not form: ",
            "declined": "declined: ",
            "tie ended": "tie ended: ",
            "left": "left the structure: ",
            "dissolved": "structure dissolved",
            "acceded": "acceded: ",
            "tie formed": "tie formed: ",
            "scheduled": "scheduled: ",
        }[self.kind]
        joiner = " – " if self.kind in ("tie ended", "tie formed") else ", "
        if self.kind == "scheduled":
            return f"step {self.step} · scheduled: {self.detail}"
        parts = [f"step {self.step} · {who}{joiner.join(self.states) if self.kind != 'dissolved' else ''}"]
        if self.detail:
            parts.append(self.detail)
        return " · ".join(parts)
