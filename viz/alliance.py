"""The alliance itself in words: how it formed -- who joined, who declined and why -- and what
happened to it later (reviews, ties that ended, members that left, dissolution).

Formation (docs/ODD.md, submodel 0) is read from the model's own judgement. A negotiated run
(``formation_rule = "negotiated"``, the default) formed at its first review
(:mod:`model.negotiation`): the alliance box shows each party's verdict on its unit -- joined,
declined or willing -- with its value in parts (:mod:`viz.reviews`). Formation by independent
decisions (``formation_rule = "independent"``, version 0.2.1) is read from ``model.decisions``
(:class:`model.formation.Decision`): each prospective member weighs the **protection** its ties would
add against their **cost** -- obligations to fight where its own red line is not crossed, and the
autonomy it gives up -- and accepts with probability P(join). Which decisions accepted comes from
:func:`model.formation.decide`, which reads the same named ``join`` draws the model used (it draws
nothing new). That judgement's utilities are per step and small, so the page shows them per
:data:`PER` steps. The model's own event texts (``Event.detail``) are left as they are.

Later alliance events (``tie ended``, ``left``, ``dissolved``, and the reviews' ``acceded`` and ``tie
formed``) are the model's ``events`` after step 0, described by :meth:`model.crisis.Event.describe`.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model import formation
from model.structure import get as get_structure

from . import reviews

if TYPE_CHECKING:
    from model import DeterrenceModel
    from model.crisis import Event
    from model.formation import Decision
    from viz.reviews import Judgement

PER = 1000
"""The formation judgement's utilities are shown per this many steps."""
UNIT = f"per {PER} steps"
TERMS = f"protection vs. cost (obligations below own red lines + autonomy), {UNIT}"
"""What the numbers of a decision mean (the alliance box says it once)."""


@dataclass(frozen=True)
class Verdict:
    """One formation decision and whether it accepted.

    Attributes:
        decision: the model's :class:`~model.formation.Decision`.
        accepted: whether the state accepted.
        state, what: the deciding state's name and what it decided on (``membership`` or ``its
            tie with NAME``).
        reason: the judgement in words, e.g. ``protection 0.20 < cost 0.40 (obligations 0.30 +
            autonomy 0.10) · P(join) 0.10``.
    """

    decision: Decision
    accepted: bool
    state: str
    what: str
    reason: str

    @property
    def line(self) -> str:
        """``South Korea declined its tie with United States: protection ... · P(join) 0.72``."""
        return f"{self.state} {'accepted' if self.accepted else 'declined'} {self.what}: {self.reason}"


@dataclass(frozen=True)
class Formation:
    """How a run's structure formed, in words.

    Attributes:
        headline: one line: formed or not (or imposed, or no structure), and who joined.
        verdicts: every decision of formation by independent decisions, in the model's order.
        by_state: each state's decisions in words (for its notes on the map).
        joined, declined: names of the states that joined, and of those that declined a decision.
        judgements: a negotiated formation's verdicts -- each party on each unit at the first
            review (:class:`viz.reviews.Judgement`); empty otherwise.
        pact: whether the negotiated units were memberships of a pact (else ties).
    """

    headline: str
    verdicts: tuple[Verdict, ...]
    by_state: dict[str, tuple[str, ...]]
    joined: tuple[str, ...]
    declined: tuple[str, ...]
    judgements: tuple[Judgement, ...] = ()
    pact: bool = False

    @property
    def negotiated(self) -> bool:
        return bool(self.judgements)

    @property
    def declines(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if not v.accepted)

    def entries(self, fit: int | None = None) -> list[tuple[str, str]]:
        """The alliance box as ``(words, kind)``: the headline (kind ``headline``), then what the
        numbers mean (``terms``) and the decisions: a negotiated formation's every judgement (kind
        ``in``, ``willing`` or ``out``), or formation by independent decisions' every decline
        (``out``). ``fit``: the lines the box shows without scrolling; if there are more, the count
        line says so."""
        head = [(self.headline, "headline")]
        if self.negotiated:
            counts = {key: sum(j.verdict == key for j in self.judgements)
                      for key in ("joined", "declined", "willing")}
            more = " (scroll for all)" if fit is not None and len(self.judgements) + 2 > fit else ""
            terms = (f"{len(self.judgements)} decisions{more}: {counts['joined']} joined, "
                     f"{counts['declined']} declined, {counts['willing']} willing — "
                     f"{reviews.SHORT_TERMS}:")
            return [*head, (terms, "terms"), *((j.line, j.kind) for j in self.judgements)]
        declines = self.declines
        if not declines:
            return head
        more = " (scroll for all)" if fit is not None and len(declines) + 2 > fit else ""
        return [*head, (f"{len(declines)} declined{more} — {TERMS}:", "terms"),
                *((v.line, "out") for v in declines)]

    def lines(self, fit: int | None = None) -> list[str]:
        """The alliance box's lines (:meth:`entries` without their kinds)."""
        return [words for words, _ in self.entries(fit)]


def amount(value: float) -> str:
    """A judgement's utility per step, shown per :data:`PER` steps."""
    return f"{PER * value:.2f}"


def reason(decision: Decision, accepted: bool) -> str:
    """The judgement in words: protection against cost (obligations + autonomy), and P(join)."""
    benefit = max(decision.benefit, 0.0)
    cost = decision.obligations + decision.autonomy
    obligations, autonomy = amount(decision.obligations), amount(decision.autonomy)
    if float(obligations) == 0.0:
        costs = f"cost {autonomy} (autonomy)"
    elif float(autonomy) == 0.0:
        costs = f"cost {obligations} (obligations)"
    else:
        costs = f"cost {amount(cost)} ({obligations} + {autonomy})"
    if float(amount(benefit)) == 0.0 and float(amount(cost)) == 0.0:
        core = "nothing to gain or lose"
    elif float(amount(benefit)) == 0.0:
        core = f"no protection to gain, {costs}"
    else:
        core = f"protection {amount(benefit)} {'<' if benefit < cost else '≥'} {costs}"
    odds = f"P(join) {decision.probability:.2f}"
    if decision.probability == 0.5:
        odds += ", a coin toss"
    elif (decision.probability > 0.5) != accepted:  # the logit's draw went against the odds
        odds += ", against the odds"
    return f"{core} · {odds}"


def _what(decision: Decision, names: list[str]) -> str:
    if decision.partner == decision.state:
        return "membership"
    return f"its tie with {names[decision.partner]}"


_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def formation_of(model: DeterrenceModel) -> Formation:
    """How ``model``'s structure formed (computed once per model: it is fixed at step 0)."""
    found = _KEPT.get(model)
    if found is None:
        found = _KEPT[model] = _formation(model)
    return found


def _formation(model: DeterrenceModel) -> Formation:
    first = reviews.first_review(model) if not model.decisions else None
    if first is not None:
        return _negotiated(model, first)
    names = [s.name for s in model.states]
    decisions = list(model.decisions)
    accepted = formation.decide(model, decisions)[0] if decisions else []
    verdicts = tuple(Verdict(d, bool(yes), names[d.state], _what(d, names), reason(d, bool(yes)))
                     for d, yes in zip(decisions, accepted, strict=True))
    by_state: dict[str, list[str]] = {}
    for v in verdicts:
        by_state.setdefault(v.state, []).append(
            f"{'accepted' if v.accepted else 'declined'} {v.what}: {v.reason}")
    joined = tuple(names[i] for i in model.joined)
    declined = tuple(dict.fromkeys(v.state for v in verdicts if not v.accepted))
    prospective = len(model.prospective)
    structure = get_structure(model.params["structure"])
    p = model.params
    if not prospective:
        headline = f"No alliance: {structure.description}"
    elif not decisions:
        headline = f"Alliance imposed: all {prospective} prospective members bound"
    elif model.formed:
        headline = (f"Alliance formed: {len(joined)} of {prospective} prospective members joined "
                    f"({', '.join(joined)})")
    elif model.quorum_applies:
        headline = (f"Alliance did not form: {len(joined)} of {prospective} joined"
                    + (f" ({', '.join(joined)})" if joined else "")
                    + f", short of the quorum of {needed(p['quorum'], prospective)}")
    else:
        headline = "Alliance did not form: no tie was accepted by both parties"
    return Formation(headline, verdicts, {k: tuple(v) for k, v in by_state.items()}, joined,
                     declined)


def _negotiated(model: DeterrenceModel, first: reviews.ReviewText) -> Formation:
    """A negotiated formation: the first review's verdicts, headed by the model's own formation
    event (``formed`` or ``not formed``, at step 0)."""
    names = [s.name for s in model.states]
    event = next((e for e in model.events if e.step == 0 and e.kind in ("formed", "not formed")),
                 None)
    if event is None:
        headline = f"Alliance negotiated at the first review: {first.changes()}"
    else:
        verb = "formed" if event.kind == "formed" else "did not form"
        bound = f" ({', '.join(event.states)})" if event.states else ""
        headline = f"Alliance {verb} at the first review: {event.detail}{bound}"
    by_state: dict[str, list[str]] = {}
    for judgement in first.judgements:
        by_state.setdefault(judgement.party, []).append(judgement.line)
    return Formation(headline, (), {k: tuple(v) for k, v in by_state.items()},
                     tuple(names[i] for i in model.joined),
                     tuple(dict.fromkeys(j.party for j in first.judgements
                                         if j.verdict == "declined")),
                     first.judgements, first.pact)


def needed(quorum: float, prospective: int) -> int:
    """How many of ``prospective`` members a pact with the quorum share ``quorum`` needs: the model
    forms it when ``joined >= quorum × prospective`` and a tie binds two of them."""
    return max(2, math.ceil(quorum * prospective - 1e-9))


def later_events(model: DeterrenceModel, size: int | None = None) -> list[Event]:
    """The alliance's events after formation (ties ended, members left, dissolution), in order;
    ``size``: the length the event list had at the step on view (default: now)."""
    events = model.events if size is None else model.events[:size]
    return [e for e in events if e.step > 0]
