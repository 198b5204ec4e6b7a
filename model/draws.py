"""Named random draws: every random number a run uses is asked for by its purpose.

A run's randomness comes from one ``numpy.random.SeedSequence(seed)`` and is split by purpose, in
the manner of Starsim's named distributions, so that two runs that differ only in their alliance
structure are *paired* (common random numbers):

* the **opportunities** stream decides which flashpoints open each step; it depends on nothing else,
  so two structures with the same seed face the same crises (but where a flashpoint is taken or at
  war in one of them);
* every **decision** (a provocation, the challenger's choice, a state's response, a war's outcome,
  ...) is a uniform number keyed by the event it decides -- the flashpoint whose opening started the
  crisis, the spreading hop, the deciding state -- and drawn whether or not the event happens, so
  the same decision under two structures uses the same number.

A rule asks for its number by name, ``draws.uniform("response", flashpoint=f, hop=h, state=i)``;
the names are declared once, in :data:`DRAWS`. Adding a decision adds a declaration and leaves
every existing decision's number unchanged: each new purpose has a stream of its own, keyed by its
name. (The six decisions of :data:`SHARED_BLOCK` -- a provocation, the challenger's choice, a war's
outcome, whether and where it spreads, a state's response -- share one block per busy step, in their
declared order; that layout is fixed so that results made with it stay reproducible.)

Nothing else in the model is random. Mesa's own generators (``model.rng``, ``model.random``) are
disabled on :class:`~model.model.DeterrenceModel`, so a rule cannot use them by accident.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

When = Literal["crisis", "start", "review", "war"]


@dataclass(frozen=True)
class Draw:
    """One purpose a random number serves.

    Attributes:
        name: what a rule asks for.
        keys: what one number is keyed by, among ``flashpoint`` (the flashpoint whose opening
            started the crisis), ``hop`` (0 for the challenger's own choice, k for the k-th spread),
            ``state`` (the deciding state's index) and ``partner`` (the other state the decision
            is about).
        when: ``crisis`` -- drawn in every step in which some flashpoint opens, for every key;
            ``start`` -- drawn once, when the model is built; ``review`` -- drawn at every review of
            membership, for every key; ``war`` -- drawn in every step in which a war is under way,
            for every key (``flashpoint``: the war's).
        meaning: the decision it settles.
    """

    name: str
    keys: tuple[str, ...]
    when: When
    meaning: str


SHARED_BLOCK: tuple[Draw, ...] = (
    Draw("provocation", ("flashpoint",), "crisis", "whether a contesting target provokes"),
    Draw("challenge", ("flashpoint",), "crisis", "the challenger's logit choice of an option"),
    Draw("war", ("flashpoint", "hop"), "crisis", "who wins a war"),
    Draw("spread_where", ("flashpoint", "hop"), "crisis", "which neighbour a war spreads to"),
    Draw("spread_whether", ("flashpoint", "hop"), "crisis", "whether a war spreads"),
    Draw("response", ("flashpoint", "hop", "state"), "crisis", "whether a state joins the defence"),
)
"""The decisions that share one block of numbers per busy step, slots in this order (never reorder,
never add to it: a new purpose gets a stream of its own in :data:`DRAWS`)."""

DRAWS: tuple[Draw, ...] = (
    *SHARED_BLOCK,
    Draw("join", ("state", "partner"), "start",
         "whether a state accepts a tie with a partner (membership of a collective pact: partner = "
         "itself)"),
    Draw("second_front", ("flashpoint", "hop"), "crisis",
         "the challenger's logit choice at a neighbouring flashpoint a war has opened"),
    Draw("review_shock", ("state", "partner"), "review",
         "a state's private shock to its value of its tie with a partner at a review (membership of "
         "a pact: partner = itself)"),
    Draw("war_fighting", ("flashpoint",), "war",
         "whether a step of a war under way decides it by arms, and who prevails"),
    Draw("war_challenger_resolve", ("flashpoint",), "war",
         "whether the challenger gives up a war under way this step"),
    Draw("war_resolve", ("flashpoint", "state"), "war",
         "whether a state fighting a war under way gives up (or drops to a token) this step"),
    Draw("war_join", ("flashpoint", "state"), "war",
         "whether a state joins a war under way, at the turn of a year of the war"),
)
"""Every named draw. Append a new purpose here; it gets a stream of its own."""

_SHARED = "shared"
_KEYS = ("flashpoint", "hop", "state", "partner")
_AHEAD = 64
"""Busy steps whose numbers are drawn in one batch."""


class Draws:
    """The decision numbers of one run.

    Args:
        root: the run's ``SeedSequence`` (purposes outside :data:`SHARED_BLOCK` use a child of it
            keyed by their name).
        shared: the generator of the shared block (:data:`SHARED_BLOCK`).
        flashpoints, hops, states: the sizes of the keys (``hops`` = ``max_spread_hops`` + 1).
        declared: the purposes (:data:`DRAWS`).
    """

    def __init__(self, root: np.random.SeedSequence, shared: np.random.Generator, flashpoints: int,
                 hops: int, states: int, declared: tuple[Draw, ...]) -> None:
        self._sizes = {"flashpoint": flashpoints, "hop": hops, "state": states, "partner": states}
        self._shared = shared
        self._layout, own, self._crisis_own, self._positions = _plan(declared)
        self._review_own = [draw for draw, _ in own if draw.when == "review"]
        self._war_own = [draw for draw, _ in own if draw.when == "war"]
        self._own: dict[str, np.random.Generator] = {}
        self._blocks: dict[str, np.ndarray] = {}
        for draw, key in own:
            self._own[draw.name] = np.random.default_rng(
                np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, 2, key)))
            if draw.when == "start":
                self._blocks[draw.name] = self._own[draw.name].random(self._shape(draw))
        self._reserved = 0
        self._ahead: list[tuple[str, np.ndarray]] = []
        self._used = self._batch = 0

    def _shape(self, draw: Draw) -> tuple[int, ...]:
        return tuple(self._sizes[key] for key in draw.keys)

    def _crisis_shapes(self) -> dict[str, tuple[int, ...]]:
        f, h, n = self._sizes["flashpoint"], self._sizes["hop"], self._sizes["state"]
        return {_SHARED: (f, h, len(SHARED_BLOCK) - 1 + n),
                **{draw.name: self._shape(draw) for draw in self._crisis_own}}

    def _generator(self, block: str) -> np.random.Generator:
        return self._shared if block == _SHARED else self._own[block]

    def new_crisis_step(self) -> None:
        """Draw this step's numbers for every crisis purpose (called once per step in which some
        flashpoint opens, whatever then happens)."""
        if self._used == self._batch:
            if not self._reserved:
                for block, shape in self._crisis_shapes().items():
                    self._blocks[block] = self._generator(block).random(shape)
                return
            count = min(self._reserved, _AHEAD)
            self._reserved -= count
            self._ahead = [(block, self._generator(block).random((count, *shape)))
                           for block, shape in self._crisis_shapes().items()]
            self._used, self._batch = 0, count
        used = self._used
        blocks = self._blocks
        for block, numbers in self._ahead:
            blocks[block] = numbers[used]
        self._used = used + 1

    def new_review(self) -> None:
        """Draw this review's numbers for every review purpose (called once per review)."""
        for draw in self._review_own:
            self._blocks[draw.name] = self._own[draw.name].random(self._shape(draw))

    def new_war_step(self) -> None:
        """Draw this step's numbers for every war purpose (called once per step in which a war is
        under way)."""
        for draw in self._war_own:
            self._blocks[draw.name] = self._own[draw.name].random(self._shape(draw))

    def reserve(self, steps: int) -> None:
        """The next ``steps`` busy steps may draw their numbers in batches: the same numbers, from
        the same generators in the same order, as ``steps`` single draws (a generator fills an
        array number by number), for fewer calls."""
        self._reserved = max(0, steps - (self._batch - self._used))

    def uniform(self, name: str, *, flashpoint: int = 0, hop: int = 0, state: int = 0,
                partner: int = 0) -> float:
        """The uniform number in [0, 1) of decision ``name`` at these keys (keys it is not keyed
        by are ignored)."""
        try:
            block, offset = self._layout[name]
        except KeyError:
            raise KeyError(f"no random draw named '{name}' is declared in model/draws.py "
                           f"(declared: {', '.join(self._layout)})") from None
        if block == _SHARED:
            return self._blocks[_SHARED].item(flashpoint, hop, offset + state)
        keys = (flashpoint, hop, state, partner)
        return self._blocks[block].item(*(keys[k] for k in self._positions[name]))


_Plan = tuple[dict[str, tuple[str, int]], tuple[tuple[Draw, int], ...], list[Draw],
              dict[str, tuple[int, ...]]]
_PLANS: dict[int, tuple[tuple[Draw, ...], _Plan]] = {}
"""The plans made so far, by the identity of their declaration (a plain dictionary, so that the
cluster can ship this module by value: :mod:`experiments.cluster`)."""


def _plan(declared: tuple[Draw, ...]) -> _Plan:
    """Where each declared purpose's numbers lie: ``(block and offset by name, the purposes with a
    stream of their own and the key of that stream, those of them drawn at each crisis step, the
    positions of each purpose's keys)``; the same for every run of a declaration."""
    hit = _PLANS.get(id(declared))
    if hit is not None and hit[0] is declared:
        return hit[1]
    plan = _make_plan(declared)
    _PLANS[id(declared)] = (declared, plan)
    return plan


def _make_plan(declared: tuple[Draw, ...]) -> _Plan:
    shared = [d.name for d in SHARED_BLOCK]
    layout: dict[str, tuple[str, int]] = {}
    own = []
    for draw in declared:
        if draw.name in layout:
            raise ValueError(f"random draw '{draw.name}' is declared twice")
        if draw.name in shared:
            layout[draw.name] = (_SHARED, shared.index(draw.name))
            continue
        own.append((draw, zlib.crc32(draw.name.encode())))
        layout[draw.name] = (draw.name, 0)
    crisis_own = [d for d, _ in own if d.when == "crisis"]
    positions = {d.name: tuple(_KEYS.index(key) for key in d.keys) for d in declared}
    return layout, tuple(own), crisis_own, positions


def streams(seed: int | None, flashpoints: int, hops: int, states: int,
            declared: tuple[Draw, ...] | None = None) -> tuple[int, np.random.Generator, Draws]:
    """A run's randomness from its seed: ``(seed used, opportunities generator, decision draws)``.

    ``SeedSequence(seed).spawn(2)`` gives the opportunities stream and the shared decision block
    (:data:`SHARED_BLOCK`); ``seed=None`` draws fresh entropy (the seed used is returned so the run can be
    repeated).
    """
    root = np.random.SeedSequence(seed)
    opportunities, shared = root.spawn(2)
    draws = Draws(root, np.random.default_rng(shared), flashpoints, hops, states,
                  DRAWS if declared is None else declared)
    return int(root.entropy), np.random.default_rng(opportunities), draws
