"""The crises of a step: what happens at each flashpoint that opened (docs/ODD.md §3, steps 1-3,
and submodels 1-5).

At each opened flashpoint, in scenario order, :func:`open_crisis` runs the **provocation** (a target
that contests the flashpoint may provoke) and the **challenge** (the challenger's logit choice). An
aggression then goes through the phases of :data:`model.step.CRISIS` -- **response**, **outcome**,
**learning**, **record**, **joint action**, **escalation** -- each a function here taking the model
and the :class:`Aggression`. Escalation may open a second front at a neighbouring flashpoint, whose
aggression goes through the same phases (up to ``max_spread_hops``).

Every random number is a named draw keyed by the flashpoint whose opening started the crisis
(``origin``), the hop and the deciding state (:mod:`model.draws`), so that two structures are paired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import deepening, grievance, rules, threat
from .crisis import Crisis, Flashpoint
from .observations import SEVERITIES
from .structure import EdgeKind, ObligationGraph

if TYPE_CHECKING:
    from .agents import State
    from .model import DeterrenceModel

_AGGRESSIONS = tuple(f"aggressions_{name}" for name in SEVERITIES)

Response = tuple[int, float, int, float, float, bool, float]
"""``(state, obligation, kind of the obligation, P(full contribution), P(token contribution), own
red line crossed, cost of the war to it)``."""

NONE, TOKEN, FULL = 0, 1, 2
"""What a defender contributes."""


@dataclass
class Aggression:
    """One aggression being resolved, and what its phases found.

    Attributes:
        flashpoint: where it happens.
        severity: 0 probe, 1 limited strike, 2 major attack.
        hop: 0 for the challenger's own choice, k for the k-th spread of a war.
        origin: the index of the flashpoint whose opening started the crisis (keys the draws).
        provoked: whether the target provoked it.
        second_front: whether it is a second front opened by a neighbouring war.
        scheduled: whether a scheduled event started it (:mod:`model.calendar`).
        fought: the states that fought (the target first, if it resisted), with any contribution.
        contributions: what each of them brought (:data:`TOKEN` or :data:`FULL`), in the same order.
        invoked: ``(state, kind, contribution, own red line crossed, war cost)`` of each obliged
            state.
        record: the crisis record for the log.
        next: the aggression this one's war leads to (escalation), if any.
    """

    flashpoint: Flashpoint
    severity: int
    hop: int
    origin: int
    provoked: bool
    second_front: bool = False
    scheduled: bool = False
    fought: list[State] = field(default_factory=list)
    contributions: list[int] = field(default_factory=list)
    invoked: list[tuple[State, int, int, bool, float]] = field(default_factory=list)
    record: Crisis | None = None
    next: Aggression | None = None


# --- provocation and challenge ---------------------------------------------------------------------


def provocation_probability(model: DeterrenceModel, fp: Flashpoint) -> float:
    """The chance that the target of ``fp`` provokes under the model's graph (:func:`provocation`),
    cached while the graph stands."""
    return model.cache.get(("provocation", fp.index), lambda: provocation(model, fp, model.graph),
                           shared=True)


def provocation(model: DeterrenceModel, fp: Flashpoint, graph: ObligationGraph) -> float:
    """Moral hazard and restraint (Snyder 1984; Cha 2009/10): the chance that the target of ``fp``
    provokes when it opens, under ``graph`` (:func:`model.rules.provocation_probability`): automatic
    backing emboldens it, a conditional patron restrains it."""
    p = model.params
    j = fp.target.index
    weights = graph.weight[:, j]
    conditional = graph.conditional[:, j]
    automatic = sum(
        weights[i] * model.states[i].local_power[fp.index]
        for i in np.flatnonzero(weights) if not conditional[i]
    )
    backing = min(1.0, automatic / fp.challenger.local_power[fp.index])
    restrained = bool((conditional & (weights > 0)).any())
    return rules.provocation_probability(
        base_rate=p["provocation_rate"], moral_hazard=p["moral_hazard"], backing=backing,
        restrained=restrained, restraint=p["restraint"],
    )


def open_crisis(model: DeterrenceModel, fp: Flashpoint) -> Aggression | None:
    """An incident opens ``fp``: the provocation, then the challenger's choice (or the aggression a
    scheduled event starts); the aggression it chose, or ``None`` if it was deterred."""
    tally = model.step_tally
    tally.opportunities += 1
    provoked = False
    if fp.target_may_provoke:
        provoked = bool(model.draws.uniform("provocation", flashpoint=fp.index)
                        < provocation_probability(model, fp))
        tally.provocations += provoked
    uniform = model.draws.uniform("challenge", flashpoint=fp.index)
    forced = model.calendar.forced.get(model.steps, {}).get(fp.index)
    choice = (challenge(model, fp, provoked, uniform) if forced is None
              else imposed(model, fp, provoked, forced))
    if choice == 0:
        tally.deterred += 1
        model.log(Crisis(model.steps, fp.name, fp.challenger.name, fp.target.name, None,
                         provoked=provoked))
        return None
    severity = choice - 1
    counter = _AGGRESSIONS[severity]
    setattr(tally, counter, getattr(tally, counter) + 1)
    return Aggression(fp, severity, 0, fp.index, provoked, scheduled=forced is not None)


def imposed(model: DeterrenceModel, fp: Flashpoint, provoked: bool, severity: int) -> int:
    """An aggression of ``severity`` that a scheduled event starts at ``fp`` (:mod:`model.calendar`),
    whatever the challenger would have chosen; every state observes it as the challenger's."""
    choice = severity + 1
    if model.threat.learning:
        k = fp.options.index(severity) + 1
        model.threat.observe(fp.index, *threat.likelihoods(model, fp, k, provoked, False))
    return choice


def challenge(model: DeterrenceModel, fp: Flashpoint, provoked: bool, uniform: float,
              at_war: bool = False) -> int:
    """The challenger's logit choice at ``fp`` (0: the status quo; k: option k), which every state
    observes (:mod:`model.threat`)."""
    choice = fp.challenger.choose(fp.index, provoked, uniform, at_war=at_war)
    if model.threat.learning:
        k = 0 if choice == 0 else fp.options.index(choice - 1) + 1
        model.threat.observe(fp.index, *threat.likelihoods(model, fp, k, provoked, at_war))
    return choice


# --- the phases of an aggression --------------------------------------------------------------------


def respond(model: DeterrenceModel, a: Aggression) -> None:
    """**Response**: the target fights if the severity reaches its red line; every state obliged to
    it or whose own red line is crossed decides, on the same snapshot, with its named draw, whether
    to contribute its full force, a token or nothing (``fighting = "alone"``: all or nothing)."""
    fp = a.flashpoint
    resists, responses = responses_to(model, fp, a.severity, a.provoked)
    states = model.states
    if resists:
        a.fought.append(fp.target)
        a.contributions.append(FULL)
    for i, w, kind, p_full, p_token, crossed, cost in responses:
        uniform = model.draws.uniform("response", flashpoint=a.origin, hop=a.hop, state=i)
        contribution = FULL if uniform < p_full else TOKEN if uniform < p_full + p_token else NONE
        if contribution:
            a.fought.append(states[i])
            a.contributions.append(contribution)
        if w > 0.0:
            a.invoked.append((states[i], kind, contribution, crossed, cost))


def outcome(model: DeterrenceModel, a: Aggression) -> None:
    """**Outcome**: unopposed, the challenger gains; opposed, a war -- with ``war_duration =
    "lasting"``, one that goes on from step to step (:mod:`model.war`); otherwise decided at once
    by a contest success function of the local power each side brings (a token contribution brings
    ``token_share`` of a state's), with its named draw. A war's size is counted by power, never by
    states. A major attack the challenger wins takes the flashpoint (``conquest = "held"``): it
    opens no more, and the flashpoints behind it come within reach."""
    fp = a.flashpoint
    f = fp.index
    p = model.params
    tally = model.step_tally
    share = p["token_share"]
    scale = [0.0, share, 1.0]
    record = Crisis(model.steps, fp.name, fp.challenger.name, fp.target.name, a.severity,
                    hop=a.hop, provoked=a.provoked, fought=[s.name for s in a.fought],
                    stayed_out=[s.name for s, _, given, _, _ in a.invoked if not given],
                    second_front=a.second_front, scheduled=a.scheduled,
                    token=[s.name for s, c in zip(a.fought, a.contributions, strict=True)
                           if c == TOKEN])
    a.record = record
    tally.buck_passes += len(record.buck_passers)
    tally.token_contributions += len(record.token)
    value_lost = fp.value * model.severities[a.severity]
    if not a.fought:
        record.outcome = "unopposed"
        status_quo_loss(model, a, value_lost)
        return
    if record.token:
        defence = sum(s.local_power[f] * scale[c] for s, c in zip(a.fought, a.contributions,
                                                                    strict=True))
        power = sum(s.power * scale[c] for s, c in zip(a.fought, a.contributions, strict=True))
    else:
        defence = sum(s.local_power[f] for s in a.fought)
        power = sum(s.power for s in a.fought)
    war_share = (fp.challenger.power + power) / model.total_power
    tally.add_war(len(a.fought) + 1, war_share)
    if a.severity == 2 and fp.challenger.great_power and model.hub in a.fought:
        tally.great_power_wars += 1
    if p["war_duration"] == "lasting":  # a war that lasts (model.war): it is fought from this step
        record.outcome = "war under way"
        fp.at_war = True
        model.opportunities.refresh()
        model.new_wars.append(a)
        return
    if (model.draws.uniform("war", flashpoint=a.origin, hop=a.hop)
            < rules.contest_success(fp.challenger.local_power[f], defence, p["decisiveness"])):
        record.outcome = "challenger won"
        status_quo_loss(model, a, value_lost)
    else:
        record.outcome = "defence held"


def learn(model: DeterrenceModel, a: Aggression) -> None:
    """**Learning**: beliefs, entrapment and abandonment (Snyder 1984; Smith 1995).

    Everyone updates its belief in each obliged state: any contribution honours the obligation. An
    obligated state that fought below its own red line is entrapped: its grievance grows by
    ``entrapment_grievance`` x hedging x the war's cost to it (``token_share`` of it for a token).
    A target whose obligated defenders stayed out is abandoned: ``abandonment_grievance`` x hedging
    x severity x the share of its obligees that defected; with ``accommodation`` it hedges more.
    """
    invoked = a.invoked
    if not invoked:
        return
    p = model.params
    tally = model.step_tally
    target = a.flashpoint.target
    defected = 0
    for state, kind, given, crossed, cost in invoked:
        name = EdgeKind(kind).label
        setattr(tally, f"invoked_{name}", getattr(tally, f"invoked_{name}") + 1)
        state.observe(bool(given))
        if given:
            setattr(tally, f"honoured_{name}", getattr(tally, f"honoured_{name}") + 1)
            if given == FULL:
                setattr(tally, f"honoured_full_{name}", getattr(tally, f"honoured_full_{name}") + 1)
            if not crossed:
                tally.entrapments += 1
                tally.hub_entrapments += state is model.hub
                paid = cost if given == FULL else p["token_share"] * cost
                grievance.add(model, state, target.index, p["entrapment_grievance"] * paid)
        else:
            defected += 1
    if defected:
        tally.abandonments += 1
        amount = p["abandonment_grievance"] * model.severities[a.severity] * defected / len(invoked)
        target.aggrieve(amount)
        for state, _, given, _, _ in invoked:
            if not given:
                model.tie_grievance[target.index, state.index] += target.hedging * amount / defected
        if p["accommodation"]:
            target.hedging += p["accommodation"] * (1.0 - target.hedging)


def record(model: DeterrenceModel, a: Aggression) -> None:
    """**Record**: the crisis enters the step's crises and the run's crisis log."""
    model.log(a.record)


def joint_action(model: DeterrenceModel, a: Aggression) -> None:
    """**Joint action** (deepening lattice only): minilateral partners that fought together."""
    if model.structure.deepens and len(a.fought) > 1:
        deepening.fought_together(model, a.fought)


def escalate(model: DeterrenceModel, a: Aggression) -> None:
    """**Escalation**: with probability ``theatre_coupling`` a war opens an opportunity at a
    neighbouring flashpoint (its named draws), where its challenger chooses whether and how hard to
    strike -- a second front (horizontal escalation as a choice: Christensen & Snyder 1990;
    ``escalation = "automatic"``: the war re-runs there at the same severity)."""
    fp = a.flashpoint
    p = model.params
    if not (a.fought and a.hop < p["max_spread_hops"] and fp.neighbours):
        return
    origin, hop = a.origin, a.hop
    if model.draws.uniform("spread_whether", flashpoint=origin, hop=hop) >= p["theatre_coupling"]:
        return
    where = model.draws.uniform("spread_where", flashpoint=origin, hop=hop)
    k = min(int(where * len(fp.neighbours)), len(fp.neighbours) - 1)
    neighbour = model.flashpoints[fp.neighbours[k]]
    if neighbour.closed or neighbour.at_war:  # closed by a scheduled event; a war of its own
        return
    if p["escalation"] == "automatic":
        a.next = Aggression(neighbour, a.severity, hop + 1, origin, False)
        return
    model.step_tally.second_fronts += 1
    at_war = neighbour.challenger is fp.challenger
    choice = challenge(model, neighbour, False,
                       model.draws.uniform("second_front", flashpoint=origin, hop=hop + 1),
                       at_war=at_war)
    if choice == 0:
        model.log(Crisis(model.steps, neighbour.name, neighbour.challenger.name,
                         neighbour.target.name, None, hop=hop + 1, second_front=True))
        return
    model.step_tally.escalations += 1
    a.next = Aggression(neighbour, choice - 1, hop + 1, origin, False, second_front=True)


# --- what the phases read -----------------------------------------------------------------------------


def responses_to(model: DeterrenceModel, fp: Flashpoint, severity: int, provoked: bool
                 ) -> tuple[bool, tuple[Response, ...]]:
    """Whether the target of an aggression of ``severity`` at ``fp`` resists, and each other state
    that decides whether to join the defence, in order (:data:`Response`).

    A state bound to the target decides with its obligation (void if the target does not resist,
    if the aggression falls short of an armed attack, ``armed_attack``, or if the target provoked
    and the obligation is conditional); one that is not, only if its own red line is crossed.
    Cached while the graph, the traits and the beliefs in the target's obligees stand.
    """
    return model.cache.get(("responses", fp.index, severity, provoked,
                            model.obligee_beliefs(fp.target.index)),
                           lambda: _responses_now(model, fp, severity, provoked), shared=True)


def _responses_now(model: DeterrenceModel, fp: Flashpoint, severity: int, provoked: bool
                   ) -> tuple[bool, tuple[Response, ...]]:
    p = model.params
    sigma = model.severities[severity]
    target = fp.target
    j = target.index
    f = fp.index
    graph = model.graph
    challenger_power = fp.challenger.local_power[f]
    resists = target.resists(f, sigma)
    armed_attack = p["armed_attack"]
    deciding = []
    for state in model.concerned(f, j):
        if state is target:
            continue
        w = graph.weight[state.index, j]
        if not resists or sigma < armed_attack or (provoked and graph.conditional[state.index, j]):
            w = 0.0
        if w == 0.0 and state.red_lines[f] > sigma:
            continue
        deciding.append((state, w))
    expected = (_expected_defence(f, target, sigma, deciding)
                if p["buck_passing"] > 0 or p["fighting"] == "coalition" else None)
    responses = []
    for k, (state, w) in enumerate(deciding):
        codefectors = others_power = 0.0
        if expected is not None:
            codefectors, others_power = expected[k]
        p_full, p_token, crossed, cost = state.response(
            f, sigma, w, challenger_power, codefectors, others_power)
        responses.append((state.index, w, int(graph.kind[state.index, j]), p_full, p_token,
                          crossed, cost))
    return resists, tuple(responses)


def _expected_defence(f: int, target: State, sigma: float,
                      deciding: list[tuple[State, float]]) -> list[tuple[float, float]]:
    """For each deciding state: (the co-obligees it expects to stay out, the local power it
    expects the target and the others to bring), on the same snapshot for all (Olson &
    Zeckhauser 1966; Christensen & Snyder 1990).

    A state whose own red line is crossed is expected to fight; an obliged one with the strength
    of its obligation times its believed reliability; the target resists (obligations are
    invoked only then).
    """
    chances = [1.0 if s.red_lines[f] <= sigma else w * s.reliability for s, w in deciding]
    powers = [s.local_power[f] for s, _ in deciding]
    total_power = target.local_power[f] + sum(q * lp for q, lp in zip(chances, powers, strict=True))
    total_out = sum(1.0 - q for (_, w), q in zip(deciding, chances, strict=True) if w > 0.0)
    return [
        (total_out - (1.0 - q if w > 0.0 else 0.0), total_power - q * lp)
        for (_, w), q, lp in zip(deciding, chances, powers, strict=True)
    ]


def status_quo_loss(model: DeterrenceModel, a: Aggression, value: float) -> None:
    """The challenger gained ``value`` by ``a``: a status-quo loss; a major attack takes the
    flashpoint (``conquest = "held"``; its record, ``a.record``, says so)."""
    tally = model.step_tally
    tally.sq_losses += 1
    tally.sq_loss_value += value
    if a.severity == 2:
        tally.flashpoints_lost_major += 1
        if model.params["conquest"] == "held":
            a.flashpoint.taken = True
            a.record.taken = True
            model.opportunities.refresh()
