"""Formation: before the first step, each prospective member decides whether to accept the
structure's obligations (docs/ODD.md, submodel 0; Smith 1995 on the selection of alliances).

A decision covers the ties a state signs together: under a collective pact, membership (every
collective tie at once); under bilateral and minilateral structures, each treaty on its own (the hub
signs each spoke's treaty separately, and so does each spoke). A tie forms when every member it
binds accepts it (protocol states owe nothing and do not decide). A pact with collective ties forms
when at least ``quorum`` of the prospective members joined; a structure of bilateral or minilateral
ties, with any tie.

Each decision is a ratio logit (:func:`model.rules.join_probability`) of what the state can judge
from the scenario, with the priors everyone starts from:

* **benefit** -- the protection the ties add: over every flashpoint where the state has a stake, the
  expected status-quo loss per step without its ties minus with them, times its stake. Expected
  aggressions come from the challenger's own choice probabilities (rate × P(option)), so deterrence
  is priced in;
* **cost of obligations** -- for each obligation it takes on, the expected aggressions per step at
  the protected state's flashpoints that the target resists while the state's own red line is not
  crossed (one hop of spreading included), times the obligation's strength and the cost of fighting
  (its war cost plus hedging × entrapment aversion);
* **autonomy cost** -- ``autonomy_cost`` × hedging × the ties' autonomy load
  (:func:`model.rules.autonomy_load`).

The judgement depends only on the scenario and the parameters, so it is cached per design point; the
decision itself uses the named draw ``join`` (keyed by the state and the tie's partner, or the state
itself for a collective membership).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import design_cache, rules
from .crisis import Event
from .structure import EdgeKind, ObligationGraph

if TYPE_CHECKING:
    from .model import DeterrenceModel


@dataclass(frozen=True)
class Decision:
    """One state's decision on the ties it signs together.

    Attributes:
        state: the deciding state's index.
        partner: the other party of a bilateral or minilateral tie; the state itself for membership
            of a collective pact (the key of its ``join`` draw).
        ties: the pairs (a, b), a < b, it accepts or declines.
        benefit, obligations, autonomy: the judgement's parts, utility per step.
        probability: chance that it accepts.
    """

    state: int
    partner: int
    ties: tuple[tuple[int, int], ...]
    benefit: float
    obligations: float
    autonomy: float
    probability: float


def units(graph: ObligationGraph, members: list[int]) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    """The decisions to take: ``(state, partner, ties)`` for every member and the ties it signs."""
    pairs = graph.pairs()
    out = []
    for i in members:
        mine = [(key, kind) for key, kind in pairs.items() if i in key]
        collective = tuple(key for key, kind in mine if kind == EdgeKind.COLLECTIVE)
        if collective:
            out.append((i, i, collective))
        for key, kind in mine:
            if kind != EdgeKind.COLLECTIVE:
                out.append((i, key[0] if key[1] == i else key[1], (key,)))
    return out


class _Judge:
    """Expected aggressions and harms under a hypothetical graph, at prior beliefs."""

    def __init__(self, model: DeterrenceModel) -> None:
        self.model = model
        p = model.params
        self.beliefs = np.full(len(model.states), p["prior_reliability"])
        self.severities = model.severities
        self.coupling = p["theatre_coupling"] if p["max_spread_hops"] >= 1 else 0.0

    def world(self, graph: ObligationGraph) -> tuple[np.ndarray, np.ndarray]:
        """(expected aggressions per step ``[flashpoint, severity]``, the challenger's chance of
        prevailing ``[flashpoint, severity]``) under ``graph``: its choice probabilities (rate ×
        P(option)), plus wars that spread one hop from a neighbour at the same severity."""
        model = self.model
        n = len(model.flashpoints)
        expected = np.zeros((n, 3))
        prevail = np.zeros((n, 3))
        temperature = model.params["challenger_temperature"]
        for fp in model.flashpoints:
            f = fp.index
            opposition = fp.challenger.opposition(f, graph, self.beliefs)
            assessed = [fp.challenger.assess(f, self.severities[option], False, graph, self.beliefs,
                                             opposition=opposition)
                        for option in fp.options]
            probabilities = rules.softmax([0.0] + [a[0] for a in assessed], temperature)
            for k, option in enumerate(fp.options):
                opposed, win = assessed[k].p_opposed, assessed[k].p_win
                prevail[f, option] = (1.0 - opposed) + opposed * win
                direct = fp.rate * probabilities[k + 1]
                expected[f, option] += direct
                if self.coupling and fp.neighbours:
                    spread = direct * opposed * self.coupling / len(fp.neighbours)
                    for g in fp.neighbours:
                        expected[g, option] += spread
        return expected, prevail

    def harm(self, state, expected: np.ndarray, prevail: np.ndarray) -> float:
        """What the world costs ``state`` per step on its own account: its stake in what the
        challenger takes, and the wars it fights where its own red line is crossed."""
        model = self.model
        p = model.params
        harm = 0.0
        for fp in model.flashpoints:
            f = fp.index
            for option in range(3):
                if expected[f, option] == 0.0:
                    continue
                sigma = self.severities[option]
                loss = state.stakes[f] * sigma * prevail[f, option]
                if sigma >= state.red_lines[f]:
                    loss += rules.defender_war_cost(
                        severity=sigma, challenger_local_power=fp.challenger.local_power[f],
                        own_local_power=state.local_power[f], war_cost=p["defender_war_cost"],
                        fixed_war_cost=p["fixed_war_cost"])
                harm += expected[f, option] * loss
        return harm


def judge(model: DeterrenceModel, graph: ObligationGraph, members: list[int]) -> list[Decision]:
    """Every prospective member's decision on the ties of ``graph`` (the structure as designed).

    The judgement depends only on the scenario and the parameters, so it is computed once per
    design point (:mod:`model.design_cache`).
    """
    return design_cache.remember(model.spec, "formation", model.design,
                             lambda: _judge(model, graph, members))


def _judge(model: DeterrenceModel, graph: ObligationGraph, members: list[int]) -> list[Decision]:
    p = model.params
    judge_ = _Judge(model)
    expected, prevail = judge_.world(graph)
    nothing = judge_.world(ObligationGraph(len(model.states), []))
    below = below_shares(model)
    decisions, whole = [], []
    for state, partner, ties in units(graph, members):
        s = model.states[state]
        harm_with = judge_.harm(s, expected, prevail)
        benefit = judge_.harm(s, *judge_.world(graph.without(ties))) - harm_with
        whole.append(judge_.harm(s, *nothing) - harm_with)
        obligations = 0.0
        owed_below = protection = 0.0
        for a, b in ties:
            other = b if a == state else a
            w_out, w_in = graph.weight[state, other], graph.weight[other, state]
            owed_below += w_out * below[state, other]
            protection += w_in
            if w_out > 0.0:
                obligations += w_out * _obligation_cost(model, s, other, expected)
        load = rules.autonomy_load(owed_below, protection, p["protege_autonomy"])
        autonomy = p["autonomy_cost"] * s.hedging * load
        probability = rules.join_probability(max(benefit, 0.0), obligations + autonomy,
                                             p["formation_sharpness"])
        decisions.append(Decision(state, partner, ties, float(benefit), float(obligations),
                                  float(autonomy), probability))
    return _equilibrium(decisions, whole, len(members), p["quorum"], p["formation_sharpness"])


def _equilibrium(decisions: list[Decision], whole: list[float], prospective: int, quorum: float,
                 sharpness: float) -> list[Decision]:
    """Membership decisions of a collective pact, as a logit quantal-response equilibrium.

    Whether a state's membership matters depends on the others (Palfrey & Rosenthal 1984, the
    provision of a discrete public good; Olson & Zeckhauser 1966): the pact forms only with
    ``quorum`` of the prospective members. If the others reach the quorum without it, joining adds
    only its own ties (``benefit``); if they fall one short, joining brings the whole pact into being
    (``whole``: the world with the pact against the world with none); if they fall further short,
    the pact fails either way and joining neither gains nor costs. Each member's benefit is the
    expectation over the others' joining probabilities, given that its decision matters, and the
    probabilities are iterated to a fixed point (McKelvey & Palfrey 1995). Bilateral and minilateral
    ties need no such step: each party is pivotal for its own tie.
    """
    pact = [k for k, d in enumerate(decisions) if d.partner == d.state]
    if len(pact) < 2:
        return decisions
    needed = max(2, math.ceil(quorum * prospective - 1e-9))
    chances = np.full(len(pact), 0.5)
    benefits = [0.0] * len(pact)
    for _ in range(200):
        updated = np.empty(len(pact))
        current = chances.tolist()
        for a, k in enumerate(pact):
            joining = _count_distribution(current[:a] + current[a + 1:])
            enough = joining[needed:].sum()
            pivotal = joining[needed - 1] if needed - 1 < len(joining) else 0.0
            d = decisions[k]
            benefits[a] = ((enough * d.benefit + pivotal * whole[k]) / (enough + pivotal)
                           if enough + pivotal > 0.0 else whole[k])
            updated[a] = rules.join_probability(max(benefits[a], 0.0), d.obligations + d.autonomy,
                                                sharpness)
        done = np.max(np.abs(updated - chances)) < 1e-12
        chances = 0.5 * (chances + updated)
        if done:
            break
    out = list(decisions)
    for a, k in enumerate(pact):
        d = decisions[k]
        out[k] = Decision(d.state, d.partner, d.ties, benefits[a], d.obligations, d.autonomy,
                          float(chances[a]))
    return out


def _count_distribution(chances: list[float]) -> np.ndarray:
    """Probability that exactly 0, 1, ..., n of independent events with these chances happen."""
    distribution = [1.0] + [0.0] * len(chances)
    for q in chances:
        stay = 1.0 - q
        distribution = [distribution[0] * stay] + [
            here * stay + below * q
            for here, below in zip(distribution[1:], distribution[:-1], strict=True)]
    return np.array(distribution)


def _obligation_cost(model: DeterrenceModel, state, protected: int, expected: np.ndarray) -> float:
    """Expected cost per step, if honoured, of an obligation of strength 1 to defend ``protected``:
    the aggressions its target resists below ``state``'s own red line, times the cost of fighting."""
    p = model.params
    cost = 0.0
    for fp in model.flashpoints:
        if fp.target.index != protected:
            continue
        f = fp.index
        for option in range(3):
            sigma = model.severities[option]
            if expected[f, option] == 0.0 or not fp.target.resists(f, sigma):
                continue
            if sigma >= state.red_lines[f]:
                continue
            war = rules.defender_war_cost(
                severity=sigma, challenger_local_power=fp.challenger.local_power[f],
                own_local_power=state.local_power[f], war_cost=p["defender_war_cost"],
                fixed_war_cost=p["fixed_war_cost"])
            cost += expected[f, option] * (war + state.hedging * p["entrapment_aversion"])
    return cost


def below_shares(model: DeterrenceModel) -> np.ndarray:
    """``below[i, j]``: the share of j's flashpoint options at which i's own red line is not crossed
    (0 if j owns no flashpoint)."""
    n = len(model.states)
    below = np.zeros((n, n))
    for j in range(n):
        options = [(fp.index, k) for fp in model.flashpoints if fp.target.index == j
                   for k in fp.options]
        if not options:
            continue
        for i in range(n):
            below[i, j] = sum(model.severities[k] < model.states[i].red_lines[f]
                              for f, k in options) / len(options)
    return below


def decide(model: DeterrenceModel, decisions: list[Decision]) -> tuple[list[bool], set[tuple[int, int]]]:
    """(whether each decision accepted, the ties that form): a tie forms when every member that
    decides on it accepts. Uses the named draw ``join``."""
    verdicts = [model.draws.uniform("join", state=d.state, partner=d.partner) < d.probability
                for d in decisions]
    accepted: dict[tuple[int, int], bool] = {}
    for d, yes in zip(decisions, verdicts, strict=True):
        for tie in d.ties:
            accepted[tie] = accepted.get(tie, True) and yes
    return verdicts, {tie for tie, ok in accepted.items() if ok}


def form_independently(model: DeterrenceModel) -> None:
    """``formation_rule = independent``: each prospective member decides on its own whether to
    accept its ties (:func:`judge`, :func:`decide`); ties not accepted are cut. A structure with
    collective ties forms only with ``quorum`` of its prospective members; one of bilateral or
    minilateral ties, with any tie."""
    graph = model.graph
    p = model.params
    names = [s.name for s in model.states]
    model.decisions = judge(model, graph, model.prospective)
    verdicts, ties = decide(model, model.decisions)
    graph.keep_only(ties)
    bound = {i for tie in ties for i in tie}
    joined = [i for i in model.prospective if i in bound]
    model.joined = joined
    refused = {d.state for d, yes in zip(model.decisions, verdicts, strict=True) if not yes}
    model.declined = [names[i] for i in model.prospective if i in refused]
    for d, yes in zip(model.decisions, verdicts, strict=True):
        if not yes:
            what = ("membership" if d.partner == d.state
                    else f"its tie with {names[d.partner]}")
            model.events.append(Event(0, "declined", [names[d.state]],
                                      f"{what}: P(join) = {d.probability:.2f}"))
    quorum = f"{len(joined)} of {len(model.prospective)} prospective members" + (
        f", quorum {p['quorum']:g}" if model.quorum_applies else "")
    if ties and (not model.quorum_applies or len(joined) >= p["quorum"] * len(model.prospective)):
        graph.set_founders(joined)
        model.events.append(Event(0, "formed", [names[i] for i in joined], quorum))
    else:
        model.formed = False
        graph.keep_only(set())
        graph.set_founders([])
        model.events.append(Event(0, "not formed", [names[i] for i in joined], quorum))
