"""Negotiated membership: at each review, membership is settled as a stable outcome, not by
independent draws (docs/ODD.md, submodel 10).

What is negotiated is a set of *units*: for a pact, each prospective member's membership (leaving a
pact means leaving all of it); for a structure of bilateral and minilateral ties, each tie, which
both its parties must want (pairwise stability: Jackson & Wolinsky 1996). A *configuration* is the
set of units that stand; its graph is the structure's design restricted to them, and a pact below its
quorum binds nobody.

A review (:func:`review`), starting from the configuration in force (at the first review, before the
first step: every prospective unit), repeats until nothing changes:

1. **leaving** -- among the parties entitled to leave (at the first review, everyone; later, a party
   whose value of its unit has been negative at ``patience`` reviews in a row: Leeds & Savun 2007),
   the one whose value of staying, given the others, is most negative leaves its unit (for a tie,
   the tie whose weaker party loses most ends);
2. **joining** -- otherwise, of the units outside whose every party gains by joining, and -- for a
   pact -- whom every member accepts (North Atlantic Treaty, Art. 10), the one whose least keen party
   gains most joins.

Values come from :mod:`model.valuation`, each party judging with who else is in, plus its private
shock at this review (the named draw ``review_shock``; logistic with scale ``shock_scale``, carried
over from one review to the next with ``shock_persistence``), plus, for a party of a standing tie,
``exit_cost`` (ending a treaty costs its word). A unit that left during a review cannot come back
before the next one, so a negotiation cannot cycle. Same seed, same outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import design_cache
from .crisis import Event
from .structure import EdgeKind, ObligationGraph
from .valuation import Costs, Valuation, Value

if TYPE_CHECKING:
    from .model import DeterrenceModel

Unit = tuple[int, ...]
"""``(member,)`` for membership of a pact; ``(a, b)``, a < b, for a tie."""
Config = frozenset
"""A configuration: the units that stand."""


@dataclass
class Review:
    """What one review did.

    Attributes:
        step: the step it happened at (0: before the first step).
        threat: the beliefs it judged with that each challenger is greedy (``[state,
            challenger]``).
        standing: the units in force when it began (whose parties count ``exit_cost`` for staying).
        joined: the units that joined (at the first review: every unit that stood at its end).
        left: the units that left or ended.
        scores: ``(party, unit, configuration) -> score``: each party's value of a unit, shock
            included, given the rest of the configuration it was judged in.
        costs: ``(party, unit, configuration) -> (with the unit, without it)``: the costs it was
            judged by, kept so that its value in parts can be told later as it stood then (powers
            and traits may change after the review).
    """

    step: int
    threat: np.ndarray
    standing: frozenset = frozenset()
    joined: list[Unit] = field(default_factory=list)
    left: list[Unit] = field(default_factory=list)
    scores: dict[tuple[int, Unit, Config], float] = field(default_factory=dict)
    costs: dict[tuple[int, Unit, Config], tuple[Costs, Costs]] = field(default_factory=dict)

    def score_of(self, party: int, unit: Unit) -> float | None:
        """``party``'s last score of ``unit`` at this review (``None``: not judged)."""
        found = None
        for (p, u, _), score in self.scores.items():
            if p == party and u == unit:
                found = score
        return found

    def values(self, negotiation: Negotiation, of: Unit | None = None
               ) -> dict[tuple[int, Unit], Value]:
        """Each party's last-judged value of each unit (only of ``of``, if given), in parts (the
        shock being the score less the value)."""
        out = {}
        for key, score in self.scores.items():
            party, unit, config = key
            if of is not None and unit != of:
                continue
            value = negotiation.valuation.value(party, *self.costs[key], self.threat)
            exit_cost = negotiation.exit_cost if unit in self.standing else 0.0
            shock = score - value.total - exit_cost if not negotiation.ratio else 0.0
            out[(party, unit)] = Value(**{**value.__dict__, "shock": shock, "exit": exit_cost})
        return out


class Negotiation:
    """The units, configurations and reviews of one model's structure.

    Args:
        model: the model.
        design: the structure as designed, with every prospective tie (read-only).
    """

    def __init__(self, model: DeterrenceModel, design: ObligationGraph) -> None:
        self.model = model
        self.design = design
        self.valuation = Valuation(model)
        self.pact = EdgeKind.COLLECTIVE in model.structure.edge_kinds
        self.prospective = list(design.founders)
        self.protocol = design.weight.any(axis=0)
        """``[state]``: the states a pact's protocol protects (bound to by the design, not
        prospective members)."""
        self.protocol[self.prospective] = False
        if self.pact:
            self.units: list[Unit] = [(i,) for i in self.prospective]
        else:
            self.units = sorted(design.pairs())
        p = model.params
        self.needed = max(2, math.ceil(p["quorum"] * len(self.prospective) - 1e-9))
        self.pricing = p["quorum_pricing"]
        self.ratio = p["tie_value"] == "ratio"
        self.sharpness = p["formation_sharpness"]
        self.shock_scale = p["shock_scale"]
        self.persistence = p["shock_persistence"]
        self.exit_cost = p["exit_cost"]
        self.noise: dict[tuple[int, Unit], float] = {}
        """Each party's standardised shock on each unit at the last review it was judged."""
        self._noise_now: dict[tuple[int, Unit], float] = {}
        self.patience = p["patience"]
        self.negative: dict[tuple[int, Unit], int] = {}
        self._graphs: dict[tuple[Config, bool], ObligationGraph] = design_cache.remember(
            model.spec, "configuration graphs", model.design, dict, keep=design_cache.TABLES)
        """The graph of each configuration met, shared by the models of the design point (a
        graph holds no state of a model; it is read, never changed)."""
        self._evidence: tuple = ()
        self._costs: dict[Config, Costs] = {}

    # --- configurations -----------------------------------------------------------------------------

    def graph(self, config: Config, as_bound: bool = False) -> ObligationGraph:
        """The obligations a configuration puts in force: the design restricted to its units (a
        pact below its quorum binds nobody, unless ``as_bound``)."""
        key = (config, as_bound)
        graph = self._graphs.get(key)
        if graph is None:
            graph = self._graphs[key] = self._graph(config, as_bound)
        return graph

    def _graph(self, config: Config, as_bound: bool) -> ObligationGraph:
        """A pact keeps the obligations between its members, and between members and the states
        its protocol protects; other structures keep the ties of the configuration."""
        n = len(self.design.active)
        if self.pact:
            members = np.zeros(n, dtype=bool)
            if len(config) >= self.needed or as_bound:
                members[[unit[0] for unit in config]] = True
            inside = members | self.protocol
            keep = np.outer(inside, inside) & (members[:, None] | members[None, :])
        else:
            keep = np.zeros((n, n), dtype=bool)
            for a, b in config:
                keep[a, b] = keep[b, a] = True
        return self.design.restricted(keep)

    def costs(self, config: Config) -> Costs:
        """What a configuration costs each state, as the states judge it: a pact below its quorum
        counts, with weight ``quorum_pricing``, as the no pact it is (kept while the evidence
        stands)."""
        model = self.model
        evidence = (model.belief_version, model.opportunities.version, model.cache.traits_version,
                    model.weariness_version)
        if evidence != self._evidence:
            self._evidence, self._costs = evidence, {}
        costs = self._costs.get(config)
        if costs is None:
            costs = self._costs[config] = self._judged(config)
        return costs

    def _judged(self, config: Config) -> Costs:
        valuation = self.valuation
        bound = valuation.costs(("config", config, False), self.graph(config))
        if not self.pact or len(config) >= self.needed or self.pricing >= 1.0 or not config:
            return bound
        as_if = valuation.costs(("config", config, True), self.graph(config, as_bound=True))
        q = self.pricing
        return Costs(*(q * getattr(bound, part) + (1.0 - q) * getattr(as_if, part)
                       for part in Costs.PARTS))

    def config_of(self, graph: ObligationGraph) -> Config:
        """The units a graph holds (after formation by independent decisions)."""
        if self.pact:
            bound = graph.bound()
            return frozenset((i,) for i in graph.founders if bound[i])
        return frozenset(graph.pairs())

    def formed(self, config: Config) -> bool:
        """Formed by the structure's own rule: a pact with its quorum; other structures with a tie."""
        if self.pact:
            return len(config) >= self.needed
        return bool(config)

    # --- values --------------------------------------------------------------------------------------

    def value(self, party: int, unit: Unit, config: Config, threat: np.ndarray) -> Value:
        """``party``'s value of ``unit`` given the rest of ``config`` (with the unit against
        without it), in parts, before its shock."""
        return self.valuation.value(party, self.costs(config | {unit}), self.costs(config - {unit}),
                                    threat)

    def score(self, party: int, unit: Unit, config: Config, threat: np.ndarray,
              rows: list[list[float]], noise: float) -> float:
        """What ``party`` decides on ``unit`` by: its value plus its private shock, ``noise``
        (standard logistic at the first review) times ``shock_scale``; ``tie_value = "ratio"``: the
        logarithm of benefit over cost, shocked with scale ``1 / formation_sharpness``."""
        if self.ratio:
            value = self.value(party, unit, config, threat)
            benefit, cost = value.benefit, value.cost
            if benefit <= 0.0 and cost <= 0.0:
                base = 0.0
            elif cost <= 0.0:
                base = math.inf
            elif benefit <= 0.0:
                base = -math.inf
            else:
                base = math.log(benefit / cost)
            return base + noise / self.sharpness
        total = self.valuation.total(party, self.costs(config | {unit}), self.costs(config - {unit}),
                                     rows)
        return total + self.shock_scale * noise

    def shock(self, party: int, unit: Unit) -> float:
        """``party``'s standardised shock on ``unit`` at this review: the logit of its named draw
        (``review_shock``, keyed by the party and its partner -- itself for a pact), carried over
        from its last one with ``shock_persistence`` (an AR(1) process whose innovations are
        logistic)."""
        key = (party, unit)
        now = self._noise_now.get(key)
        if now is None:
            partner = party if len(unit) == 1 else (unit[1] if unit[0] == party else unit[0])
            uniform = self.model.draws.uniform("review_shock", state=party, partner=partner)
            fresh = math.log(uniform / (1.0 - uniform)) if 0.0 < uniform < 1.0 else 0.0
            last = self.noise.get(key)
            now = self._noise_now[key] = fresh if last is None else (
                self.persistence * last + math.sqrt(1.0 - self.persistence ** 2) * fresh)
        return now

    def carry_over(self) -> None:
        """The review is over: its shocks are the ones the next review carries over."""
        self.noise.update(self._noise_now)
        self._noise_now = {}


def review(model: DeterrenceModel, first: bool) -> Review:
    """One review of membership (see the module docstring): every party's shocked value of its
    unit updates its count of negative reviews, :func:`negotiate` settles the configuration, and
    :func:`settle` puts it in force."""
    negotiation: Negotiation = model.negotiation
    model.draws.new_review()
    threat = model.threat.greedy()
    rows = threat.tolist()
    config: Config = frozenset(negotiation.units) if first else model.config
    standing = config if not first else frozenset()
    record = Review(model.steps, threat=threat, standing=standing)
    scores = record.scores

    def scored(party: int, unit: Unit, within: Config) -> float:
        key = (party, unit, within)
        score = scores.get(key)
        if score is None:
            score = scores[key] = negotiation.score(party, unit, within, threat, rows,
                                                    negotiation.shock(party, unit)) + (
                negotiation.exit_cost if unit in standing else 0.0)
            record.costs[key] = (negotiation.costs(within | {unit}), negotiation.costs(within - {unit}))
        return score

    negative = negotiation.negative
    if not first:
        for unit in config:
            for party in unit:
                negative[(party, unit)] = (negative.get((party, unit), 0) + 1
                                           if scored(party, unit, config) < 0 else 0)

    def entitled(party: int, unit: Unit) -> bool:
        return first or negative.get((party, unit), 0) >= negotiation.patience

    config, record.joined, record.left = negotiate(
        negotiation.units, config, scored, entitled,
        lambda unit, within: _accepted(negotiation, unit, within, rows))
    negotiation.carry_over()
    settle(model, config, record, first)
    return record


def negotiate(units: list[Unit], config: Config, score, entitled, accepted
              ) -> tuple[Config, list[Unit], list[Unit]]:
    """The negotiation of one review, from ``config``: ``(the configuration it ends at, the units
    that joined, the units that left)``.

    Until nothing changes: of the parties ``entitled(party, unit)`` to leave whose ``score(party,
    unit, config)`` is below 0, the most negative leaves its unit; if none does, of the units
    outside whose parties all score above 0 and that are ``accepted(unit, config)``, the one whose
    least keen party scores highest joins -- except a unit that left during this negotiation, which
    stays out until the next review (coming back would let the negotiation cycle). Every step
    either removes a unit for good or adds one, so it ends, and where it ends no entitled party
    would gain by leaving. Ties between equal scores go to the unit first in ``units`` order.
    """
    joined: list[Unit] = []
    left: list[Unit] = []
    while True:
        worst, leaving = 0.0, None
        for unit in sorted(config):
            for party in unit:
                if not entitled(party, unit):
                    continue
                s = score(party, unit, config)
                if s < worst:
                    worst, leaving = s, unit
        if leaving is not None:
            config = config - {leaving}
            left.append(leaving)
        else:
            best, joining = 0.0, None
            for unit in units:
                if unit in config or unit in left:
                    continue
                keenness = min(score(party, unit, config) for party in unit)
                if keenness > best and accepted(unit, config):
                    best, joining = keenness, unit
            if joining is None:
                break
            config = config | {joining}
            joined.append(joining)
    return config, joined, left


def _accepted(negotiation: Negotiation, unit: Unit, config: Config, rows: list[list[float]]
              ) -> bool:
    """A pact admits an applicant only if every member gains by it (consent, without shocks); a tie
    needs no other consent than its parties'."""
    if not negotiation.pact:
        return True
    valuation = negotiation.valuation
    inside, outside = negotiation.costs(config | {unit}), negotiation.costs(config)
    return all(valuation.total(member[0], inside, outside, rows) >= 0.0 for member in config)


def settle(model: DeterrenceModel, config: Config, record: Review, first: bool) -> None:
    """Put ``config`` in force: the model's graph takes its obligations, ties start and end, and the
    review's changes enter the alliance's events with their reasons."""
    negotiation: Negotiation = model.negotiation
    before = model.config
    model.config = config
    if config != before or first:
        bound_before = model.graph.bound()[negotiation.prospective]
        ended = model.graph.adopt(negotiation.graph(config), model.steps)
        if not first:  # the run's counts, kept as model.membership.exits keeps them
            tally = model.step_tally
            tally.ties_ended += ended
            tally.exits += int((bound_before & ~model.graph.bound()[negotiation.prospective]).sum())
            tally.accessions += len(config - before)
    for party in list(negotiation.negative):
        if party[1] not in config:
            del negotiation.negative[party]
    names = [s.name for s in model.states]
    if first:
        model.joined = sorted({i for unit in config for i in unit if i in negotiation.prospective})
        model.declined = [names[i] for i in negotiation.prospective if i not in model.joined]
        for unit in negotiation.units:
            if unit not in config:
                model.events.append(Event(0, "declined", [names[i] for i in unit],
                                          _why(negotiation, record, unit, names)))
        bound = model.graph.bound()
        inside = [i for i in negotiation.prospective if bound[i]]
        enough = len(inside) >= negotiation.needed
        detail = (f"{len(inside)} of {len(negotiation.prospective)} prospective members bound, "
                  f"{negotiation.needed} needed")
        model.events.append(Event(0, "formed" if enough else "not formed",
                                  [names[i] for i in inside], detail))
        return
    for unit in sorted(before - config):
        kind = "left" if negotiation.pact else "tie ended"
        model.events.append(Event(model.steps, kind, [names[i] for i in unit],
                                  _why(negotiation, record, unit, names)))
    for unit in sorted(config - before):
        kind = "acceded" if negotiation.pact else "tie formed"
        model.events.append(Event(model.steps, kind, [names[i] for i in unit],
                                  _why(negotiation, record, unit, names)))


def _why(negotiation: Negotiation, record: Review, unit: Unit, names: list[str]) -> str:
    """The parties' values of ``unit`` at the review, in words."""
    values = record.values(negotiation, unit)
    return "; ".join(f"{names[party]}: {value.describe()}" for (party, _), value in values.items())
