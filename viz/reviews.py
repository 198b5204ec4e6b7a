"""Reviews of membership in words: who negotiated, who joined, acceded or left, whose tie formed or
ended, and why -- each party's value of its unit, in parts (docs/ODD.md, submodels 9-10).

A negotiated run holds a :class:`model.negotiation.Review` per review in ``model.reviews`` (the first
before step 1). :func:`review_texts` turns each into a :class:`ReviewText`: one
:class:`Judgement` per party and unit -- its verdict and its value
(:meth:`Review.values <model.negotiation.Review.values>`, :meth:`Value.describe
<model.valuation.Value.describe>`: utility per year, by part, its private shock included).

The verdicts. At the first review each prospective party **joined** (its unit stands and binds),
**declined** (its own value of its unit was not positive) or was **willing** (it valued its unit
above zero, yet the unit does not bind: the tie's other party declined, or the pact fell short of its
quorum, or it was not admitted). At a later review a unit **acceded** / **formed** or **left** /
**ended**; the other units **stay** or **stay out** (a member whose value has been negative at some
reviews in a row is counted towards its ``patience``).

``Review.values`` values the units with the model's beliefs as they are when it is called, so a
review is described right after the step it happened in (the page records every step as it runs;
:func:`review_texts` keeps each description once made). With ``belief_memory`` below 1 the beliefs
fade after the membership phase of the same step, so the parts can then differ from the review's in
the last digits (the shock absorbs the difference: the total is the review's score).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.negotiation import Negotiation, Review, Unit
    from model.valuation import Value

TERMS = "value in utility per year, by part (its private shock included)"
"""What the numbers of a judgement mean (a state's notes say it once)."""
SHORT_TERMS = "value per year, by part"
"""The same, in the alliance box (where space is short)."""


VERDICTS: dict[str, tuple[str, str]] = {
    "joined": ("joined", "joined its tie with {partner}"),
    "declined": ("declined", "declined its tie with {partner}"),
    "willing": ("was willing to join", "was willing to sign its tie with {partner}"),
    "acceded": ("acceded", "signed its tie with {partner}"),
    "left": ("left", "ended its tie with {partner}"),
    "kept": ("would have stayed", "would have kept its tie with {partner}"),
    "stays": ("stays", "keeps its tie with {partner}"),
    "out": ("stays out", "stays out of a tie with {partner}"),
    "wants": ("is willing to join", "is willing to sign a tie with {partner}"),
}
"""Each verdict in words, for a pact's membership and for a tie. At the first review: ``joined``,
``declined``, ``willing``; at later ones: ``acceded`` (a tie: signed), ``left`` (a tie: ended),
``kept`` (the other party of a tie that ended wanted to keep it), ``stays``, ``out`` (stays out),
``wants`` (willing, yet outside)."""
IN = frozenset({"joined", "acceded", "stays", "kept"})


@dataclass(frozen=True)
class Judgement:
    """One party's verdict on one unit at one review.

    Attributes:
        party: the party's name.
        unit: the unit in words: a pact member's name, or a tie ``A – B``.
        partner: the tie's other party (``""`` for membership of a pact).
        verdict: a key of :data:`VERDICTS`.
        value: its value of the unit (:class:`model.valuation.Value`).
        note: why, where the verdict alone does not say (``South Korea declined``, ``the pact fell
            short of its quorum of 4``, ``value negative at 2 reviews in a row, it may leave at 3``).
        changed: whether the unit joined or left at this (later) review.
    """

    party: str
    unit: str
    partner: str
    verdict: str
    value: Value
    note: str = ""
    changed: bool = False

    @property
    def words(self) -> str:
        """The verdict in words: ``declined`` or ``declined its tie with United States``."""
        pact, tie = VERDICTS[self.verdict]
        return tie.format(partner=self.partner) if self.partner else pact

    @property
    def line(self) -> str:
        """``Japan declined its tie with United States: value -0.0040/yr (protection ...)``."""
        note = f" ({self.note})" if self.note else ""
        return f"{self.party} {self.words}{note}: {self.value.describe()}"

    @property
    def kind(self) -> str:
        """For the page's colours: ``in`` (it is in, or wanted to stay), ``willing`` (it wanted in,
        yet is out) or ``out``."""
        if self.verdict in IN:
            return "in"
        return "willing" if self.verdict in ("willing", "wants") else "out"


@dataclass(frozen=True)
class ReviewText:
    """One review in words.

    Attributes:
        step: the step it happened at (0: the first review, before step 1).
        index: its position in ``model.reviews``.
        pact: whether the units are memberships of a pact (else ties).
        parties: who negotiated: the parties of every unit, in the model's order.
        units: how many units were negotiated.
        joined, left: the units (in words) that joined and that left or ended.
        judgements: each party's verdict on each unit, in the negotiation's order of units.
        bound: how many prospective members are bound after it, of ``prospective``.
        binds: whether the configuration it settled on binds (a pact short of its quorum of
            ``needed`` members binds nobody).
    """

    step: int
    index: int
    pact: bool
    parties: tuple[str, ...]
    units: int
    joined: tuple[str, ...]
    left: tuple[str, ...]
    judgements: tuple[Judgement, ...]
    bound: int
    prospective: int
    binds: bool = True
    needed: int = 2

    @property
    def first(self) -> bool:
        return self.index == 0 and self.step == 0

    @property
    def changed(self) -> bool:
        return bool(self.joined or self.left)

    def changes(self) -> str:
        """``acceded: South Korea · left: Japan``, ``tie formed: A – B``, or ``nothing changed``; at
        the first review, what stood at its end (``joined: ... · stayed out: ...``)."""
        if self.first:
            joined, left = ("joined", "stayed out") if self.pact else ("tie formed", "not formed")
        else:
            joined, left = ("acceded", "left") if self.pact else ("tie formed", "tie ended")
        parts = ([f"{joined}: {', '.join(self.joined)}"] if self.joined else []) + (
            [f"{left}: {', '.join(self.left)}"] if self.left else [])
        if not self.binds and self.pact:
            parts.append(f"short of the quorum of {self.needed}: the pact binds nobody")
        return " · ".join(parts) or "nothing changed"

    @property
    def headline(self) -> str:
        """``step 36 · review: 6 states negotiated 6 memberships · left: Japan · 4 of 6 bound``."""
        what = "membership" if self.pact else "tie"
        plural = "s" if self.units != 1 else ""
        name = "first review" if self.first else "review"
        return (f"step {self.step} · {name}: {len(self.parties)} states negotiated {self.units} "
                f"{what}{plural} · {self.changes()} · {self.bound} of {self.prospective} "
                "prospective members bound")

    def details(self) -> list[str]:
        """The judgements the log shows under the headline: every one at the first review, those
        on the units that changed at a later one."""
        return [j.line for j in self.judgements if self.first or j.changed]

    def by_state(self) -> dict[str, list[Judgement]]:
        found: dict[str, list[Judgement]] = {}
        for judgement in self.judgements:
            found.setdefault(judgement.party, []).append(judgement)
        return found


class _Book:
    """The reviews of one model described so far."""

    def __init__(self) -> None:
        self.texts: list[ReviewText] = []


_BOOKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def review_texts(model: DeterrenceModel) -> list[ReviewText]:
    """Every review of ``model`` so far in words (each described once, when first asked for: call it
    after every step for the values at the review's own beliefs; see the module docstring)."""
    reviews = getattr(model, "reviews", None) or []
    book = _BOOKS.get(model)
    if book is None:
        book = _BOOKS[model] = _Book()
    texts = book.texts
    if len(texts) < len(reviews):
        configs = _configs_after(model, len(texts))
        for k in range(len(texts), len(reviews)):
            texts.append(describe(model, reviews[k], k, configs[k - len(texts)]))
    return list(texts)


def latest(model: DeterrenceModel) -> ReviewText | None:
    """The latest review of ``model`` in words, or ``None``."""
    texts = review_texts(model)
    return texts[-1] if texts else None


def first_review(model: DeterrenceModel) -> ReviewText | None:
    """The first review (formation by negotiation), or ``None`` if membership was not negotiated."""
    texts = review_texts(model)
    return texts[0] if texts and texts[0].first else None


def _configs_after(model: DeterrenceModel, start: int) -> list[frozenset]:
    """The configuration after each review from ``start`` on: the model's for the latest; for earlier
    ones (described late), the latest's with the later reviews' changes undone."""
    reviews = model.reviews
    after = frozenset(model.config)
    found = [after]
    for review in reversed(reviews[start + 1:]):
        after = (after - set(review.joined)) | set(review.left)
        found.append(after)
    return found[::-1]


def _unit_words(unit: Unit, names: list[str]) -> str:
    return " – ".join(names[i] for i in unit)


def describe(model: DeterrenceModel, review: Review, index: int, after: frozenset) -> ReviewText:
    """``review`` (the ``index``-th of the model) in words, ``after`` being the configuration it
    settled on."""
    negotiation: Negotiation = model.negotiation
    names = [s.name for s in model.states]
    values = review.values(negotiation)
    joined, left = set(review.joined), set(review.left)
    first = index == 0 and review.step == 0
    binds = negotiation.formed(after)
    judgements = []
    for unit in negotiation.units:
        for party in unit:
            value = values.get((party, unit))
            if value is None:
                continue
            others = [names[p] for p in unit if p != party]
            verdict, note = _verdict(review, negotiation, unit, party, after, first, binds, names)
            changed = (unit in joined) != (unit in left)
            judgements.append(Judgement(names[party], _unit_words(unit, names), ", ".join(others),
                                        verdict, value, note, changed and not first))
    parties = tuple(dict.fromkeys(names[p] for unit in negotiation.units for p in unit))
    prospective = list(negotiation.prospective)
    count = len({i for unit in after for i in unit if i in prospective}) if binds else 0
    if first:  # formation: what stands, what does not
        came = [u for u in negotiation.units if u in after]
        went = [u for u in negotiation.units if u not in after]
    else:
        changed_units = [u for u in negotiation.units if (u in joined) != (u in left)]
        came = [u for u in changed_units if u in after]
        went = [u for u in changed_units if u not in after]
    return ReviewText(review.step, index, negotiation.pact, parties, len(negotiation.units),
                      tuple(_unit_words(u, names) for u in came),
                      tuple(_unit_words(u, names) for u in went), tuple(judgements), count,
                      len(prospective), binds, negotiation.needed)


def _verdict(review: Review, negotiation: Negotiation, unit: Unit, party: int, after: frozenset,
             first: bool, binds: bool, names: list[str]) -> tuple[str, str]:
    """(a key of :data:`VERDICTS`, a note) for ``party`` on ``unit``."""
    score = review.score_of(party, unit)
    keen = score is not None and score > 0.0
    inside = unit in after
    declined = [names[p] for p in unit if p != party and not (review.score_of(p, unit) or 0.0) > 0.0]
    short = f"the pact fell short of its quorum of {negotiation.needed}"
    outside = f"{', '.join(declined)} declined" if declined else (
        "not admitted" if negotiation.pact else "")
    if first:
        if inside:
            return ("joined", "") if binds else ("willing", short)
        return ("willing", outside) if keen else ("declined", "")
    if unit in review.joined and inside:
        return "acceded", ""
    if unit in review.left and not inside:
        return ("kept", "") if keen else ("left", "")
    if inside:
        latest = review is negotiation.model.reviews[-1]
        count = negotiation.negative.get((party, unit), 0) if latest else 0
        notes = [f"value negative at {count} review{'s' if count > 1 else ''} in a row; it may "
                 f"leave at {negotiation.patience}"] if count else []
        if not binds:
            notes.append(short.replace("fell", "is"))
        return "stays", "; ".join(notes)
    return ("wants", outside) if keen else ("out", "")


def latest_line(model: DeterrenceModel) -> tuple[str, ...]:
    """The latest review, for the alliance box: one line -- its step, what changed, who is bound,
    when the next comes -- then each party's judgement at it (empty if the run holds no review)."""
    text = latest(model)
    if text is None:
        return ()
    reviewing = model.params["exit_rule"] == "review" and bool(model.negotiation.units)
    period = model.review_period
    if not reviewing:
        rule = model.params["exit_rule"]
        line = (f"No review after the first (exit_rule = {rule}): members leave and ties end on "
                "their grievance" if rule == "grievance" else f"No review after the first "
                f"(exit_rule = {rule})")
        return (line, *(j.line for j in text.judgements))
    upcoming = (model.steps // period + 1) * period
    every = f"every {period} steps" if period > 1 else "every step"
    # the first review is the formation the box shows below: its changes are not repeated
    what = "the first, at formation (below)" if text.first else text.changes()
    line = (f"Latest review: step {text.step} · {what} · {text.bound} of {text.prospective} bound"
            f" · next: step {upcoming} ({every})")
    return (line, *(j.line for j in text.judgements))
