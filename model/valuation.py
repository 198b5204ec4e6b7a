"""The value of a tie: what a state expects, per year, from the alliance as it would stand with and
without its tie (docs/ODD.md, submodel 9).

A *configuration* is the set of ties (or, for a pact, of members) that would stand; its graph is the
structure's design restricted to them (:meth:`Negotiation.graph
<model.negotiation.Negotiation.graph>`). Under a configuration each state expects, per step and
for each challenger:

* **harm to its own stakes** -- at every flashpoint where it has a stake (its own territory, a
  homeland or rear flashpoint behind a front, or another's), the challenger's expected aggressions
  (its own choice probabilities under that graph, the protégé's provocations included: rate ×
  P(option)) times the severity times the chance the challenger prevails, times its stake; a rear
  flashpoint counts by the chance its front falls within ``planning_horizon``; plus the wars it
  fights on its own account, priced by the coalition expected beside it;
* **exposure** -- the challenger's expected gains anywhere else, times its exposure to that
  challenger (Walt 1987), counting at each flashpoint only what its own stake there does not;
* **obligations** -- for each state it is bound to defend, at each aggression the target resists,
  what holding the obligation costs it: the fight it would not have chosen, or its word if it stays
  out, from its own response (the expected utility of that logit choice with and without the
  obligation: :func:`model.rules.obligation_cost`), the war priced by the coalition expected beside
  it;

each computed twice -- for the challenger as it is and for the greedy type the state fears it may
be -- and mixed by its belief that it is greedy (:mod:`model.threat`); and, whatever the threat, the
**autonomy** it gives up (``autonomy_cost`` × hedging × load; Morrow 1991), the **distrust** of
being bound to partners of low affinity (Signorino & Ritter 1999) and the challenger's **wedge**
aimed at it (Crawford 2011), in utility by ``wedge_cost`` -- not by ``wedge_pressure``, which is the
same wedge's grievance per step, as ``autonomy_cost`` and ``autonomy_grievance`` are the two
weights of autonomy. The value of a tie to a party is the difference between the
configuration with the tie and without it (utility per year); the part of its protection that
comes from the protégés' restraint (fewer provocations under a conditional tie) is shown apart as
**control** (Cha 2009/10).

Everything a configuration implies is computed once per configuration, beliefs and fallen fronts
(:meth:`Valuation.costs`), shared by the models of a design point while they are as built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from . import crises, design_cache, peacetime, rules
from .structure import ObligationGraph

if TYPE_CHECKING:
    from .model import DeterrenceModel

SHARED_LIMIT = 20_000
"""Entries each shared table of a design point holds at most (configurations met by its models, at
the beliefs and fallen fronts they met them)."""


@dataclass(frozen=True)
class Outlook:
    """What one flashpoint holds under one configuration, per opening, by severity index.

    Attributes:
        aggressions: expected aggressions of each severity (provocations mixed in).
        unprovoked: the part of them that no provocation preceded.
        losses: expected aggressions of each severity that the challenger wins (unopposed or not).
        opposing: the local power expected to oppose each severity, if opposed.
        provocation: the chance the target provokes when the flashpoint opens.
        provoked_losses: ``losses`` had the target provoked (for the value of restraint).
        calm_losses: ``losses`` had it not.
    """

    aggressions: tuple[float, float, float]
    unprovoked: tuple[float, float, float]
    losses: tuple[float, float, float]
    opposing: tuple[float, float, float]
    provocation: float
    provoked_losses: tuple[float, float, float]
    calm_losses: tuple[float, float, float]


@dataclass(frozen=True)
class Costs:
    """What a configuration costs each state per step: ``[type, state, challenger]`` for the parts
    that depend on the challenger's type (0: as it is, 1: greedy), ``[state]`` for the others.

    Attributes:
        own: harm to its own stakes and the wars it fights on its own account.
        exposure: the challengers' expected gains elsewhere, weighted by its exposure.
        obligations: the expected cost of the obligations it holds.
        restraint: the part of ``own`` that the targets' provocations add (for control).
        autonomy, distrust, wedge: the threat-free costs (the wedge: the challenger's coercion or
            inducement aimed at the most susceptible member facing it, Crawford 2011).
        weariness: the war weariness of the ties that bind it to partners it has fought for
            (:mod:`model.war`).
    """

    own: np.ndarray
    exposure: np.ndarray
    obligations: np.ndarray
    restraint: np.ndarray
    autonomy: np.ndarray
    distrust: np.ndarray
    wedge: np.ndarray
    weariness: np.ndarray

    PARTS = ("own", "exposure", "obligations", "restraint", "autonomy", "distrust", "wedge",
             "weariness")

    @cached_property
    def _rows(self) -> dict[int, tuple[list[list[float]], float]]:
        return {}

    def row(self, state: int) -> tuple[list[list[float]], float]:
        """``(by type and challenger, threat-free)``: what a decision of ``state`` reads -- the
        parts that depend on the challenger's type summed, ``[type][challenger]``, as plain lists,
        and the threat-free parts summed."""
        row = self._rows.get(state)
        if row is None:
            threat = (self.own[:, state] + self.exposure[:, state]
                      + self.obligations[:, state]).tolist()
            fixed = float(self.autonomy[state] + self.distrust[state] + self.wedge[state]
                          + self.weariness[state])
            row = self._rows[state] = (threat, fixed)
        return row


@dataclass(frozen=True)
class Value:
    """A party's value of a tie, per year, in parts (benefits positive, costs negative).

    Attributes:
        protection, exposure, control, obligations, autonomy, distrust, wedge, weariness: the
            parts.
        shock: its private shock at this review.
        exit: what leaving a standing tie would cost it (``exit_cost``), counted for staying.
    """

    protection: float
    exposure: float
    control: float
    obligations: float
    autonomy: float
    distrust: float
    wedge: float = 0.0
    weariness: float = 0.0
    shock: float = 0.0
    exit: float = 0.0

    @property
    def total(self) -> float:
        return (self.protection + self.exposure + self.control + self.obligations + self.autonomy
                + self.distrust + self.wedge + self.weariness + self.shock + self.exit)

    @property
    def benefit(self) -> float:
        """The positive parts (the ratio form's numerator)."""
        return max(0.0, self.protection) + max(0.0, self.exposure) + max(0.0, self.control)

    @property
    def cost(self) -> float:
        """The negative parts, as a positive number (the ratio form's denominator)."""
        return -(min(0.0, self.obligations) + min(0.0, self.autonomy) + min(0.0, self.distrust)
                 + min(0.0, self.wedge) + min(0.0, self.weariness))

    def describe(self) -> str:
        """The parts in words, per year: ``protection +0.012, obligations -0.004, ...``."""
        parts = [(name, getattr(self, name)) for name in
                 ("protection", "exposure", "control", "obligations", "autonomy", "distrust",
                  "wedge", "weariness", "shock", "exit")]
        shown = ", ".join(f"{name} {value:+.4f}" for name, value in parts if value)
        return f"value {self.total:+.4f}/yr ({shown or 'nothing at stake'})"


class Valuation:
    """The values of a model's configurations (see the module docstring)."""

    def __init__(self, model: DeterrenceModel) -> None:
        self.model = model
        p = model.params
        self.per_year = 1.0 / model.years_per_step
        self._read_traits()
        self.alone = p["fighting"] == "alone"
        self.horizon = p["planning_horizon"] / model.years_per_step
        self.types = (1.0, p["greed"])
        """The challenger's types a state weighs: as it is, and greedy (:mod:`model.threat`)."""
        self._evidence: tuple = ()
        self._local: dict = {}
        self._local_outlooks: dict = {}
        self._local_version = 0
        self.rates = np.array([fp.rate for fp in model.flashpoints])
        self.challenger_of = np.zeros((len(model.flashpoints), len(model.challengers)))
        """``[flashpoint, challenger]``: 1 where the challenger is the flashpoint's."""
        for fp in model.flashpoints:
            self.challenger_of[fp.index, fp.challenger.index] = 1.0
        shared = design_cache.remember(model.spec, "valuation", model.design, lambda: ({}, {}),
                                       keep=design_cache.TABLES)
        self._shared, self._outlooks = shared

    def _read_traits(self) -> None:
        """The states' stakes, red lines, hedging and local power as they are now (read again when
        they change: converging red lines, growing powers, scheduled events)."""
        states = self.model.states
        self.stakes = np.array([s.stakes for s in states])
        self.red_lines = np.array([s.red_lines for s in states])
        self.hedging = np.array([s.hedging for s in states])
        self.local_power = np.array([s.local_power for s in states])
        self._traits_read = self.model.cache.traits_version

    # --- what a flashpoint holds --------------------------------------------------------------------

    def outlook(self, f: int, graph: ObligationGraph, beliefs: np.ndarray,
                greed: float = 1.0) -> Outlook:
        """The :class:`Outlook` of flashpoint ``f`` under ``graph``, at public ``beliefs``, for the
        challenger's type of ``greed`` (1: as it is)."""
        model = self.model
        fp = model.flashpoints[f]
        p = model.params
        temperature = p["challenger_temperature"]
        severities = model.severities
        variants = (False, True) if fp.target_may_provoke else (False,)
        chances, wins, against = {}, {}, {}
        opposition = fp.challenger.opposition(f, graph, beliefs)
        for provoked in variants:
            assessed = [fp.challenger.assess(f, severities[k], provoked, graph, beliefs,
                                             greed=greed, opposition=opposition)
                        for k in fp.options]
            probabilities = rules.softmax([0.0] + [a.utility for a in assessed], temperature)
            chances[provoked] = dict(zip(fp.options, probabilities[1:], strict=True))
            wins[provoked] = {k: (1.0 - a.p_opposed) + a.p_opposed * a.p_win
                              for k, a in zip(fp.options, assessed, strict=True)}
            against[provoked] = {k: a.opposing for k, a in zip(fp.options, assessed, strict=True)}
        pi = crises.provocation(model, fp, graph) if fp.target_may_provoke else 0.0
        weights = {False: 1.0 - pi, True: pi}
        aggressions, unprovoked, losses, opposing, provoked_losses, calm_losses = ([], [], [], [], [],
                                                                                   [])
        for k in range(3):
            if k not in fp.options:
                for out in (aggressions, unprovoked, losses, opposing, provoked_losses,
                            calm_losses):
                    out.append(0.0)
                continue
            agg = sum(weights[v] * chances[v][k] for v in variants)
            aggressions.append(agg)
            unprovoked.append(weights[False] * chances[False][k])
            losses.append(sum(weights[v] * chances[v][k] * wins[v][k] for v in variants))
            opposing.append(sum(weights[v] * chances[v][k] * against[v][k] for v in variants) / agg
                            if agg > 0.0 else 0.0)
            calm_losses.append(chances[False][k] * wins[False][k])
            provoked_losses.append(chances[True][k] * wins[True][k] if True in chances
                                   else calm_losses[-1])
        return Outlook(tuple(aggressions), tuple(unprovoked), tuple(losses), tuple(opposing), pi,
                       tuple(provoked_losses), tuple(calm_losses))

    def flashpoint_costs(self, f: int, graph: ObligationGraph, beliefs: np.ndarray,
                         commitments: np.ndarray, greed: float) -> tuple[Outlook, np.ndarray]:
        """``(outlook, per opening)``: flashpoint ``f``'s :class:`Outlook` under ``graph`` and what
        one opening of it costs each state, ``[part, state]`` with the parts ``own`` (harm to its
        stake and the wars it fights on its own account), ``exposure``, ``restraint`` and
        ``obligations`` (see :class:`Costs`).

        Kept by what they read: the obligations to the flashpoint's target, the beliefs in those
        who hold them and how many states each of them is bound to defend (``commitments``: the
        reputation at stake); shared by the models of the design point, year by year, while their
        traits change only with the calendar (:attr:`ModelCache.traits_key
        <model.cache.ModelCache.traits_key>`), kept by the model alone once they change otherwise."""
        model = self.model
        fp = model.flashpoints[f]
        j = fp.target.index
        bound, obligations = graph.obligations_to(j)
        key = (f, greed, obligations, beliefs[bound].tobytes(), commitments[bound].tobytes())
        shared = model.cache.traits_key
        if shared is not None:
            table = self._outlooks
            key = (shared, *key)
        else:
            version = model.cache.traits_version
            if self._local_version != version:
                self._local_version, self._local_outlooks = version, {}
            table = self._local_outlooks
        entry = table.get(key)
        if entry is None:
            look = self.outlook(f, graph, beliefs, greed)
            lost = float(np.dot(look.losses, model.severities))
            stakes = self.stakes[:, f]
            per = np.empty((4, len(model.states)))
            per[0] = lost * stakes + self._own_wars(fp, look)
            per[1] = lost * fp.value * model.exposure[:, fp.challenger.index] * np.clip(
                1.0 - stakes, 0.0, 1.0)
            if fp.target_may_provoke:
                extra = float(np.dot(look.provoked_losses, model.severities)) - float(
                    np.dot(look.calm_losses, model.severities))
                per[2] = look.provocation * extra * stakes
            else:
                per[2] = 0.0
            per[3] = self._obligations(fp, look, graph, commitments)
            per.flags.writeable = False
            entry = (look, per)
            if len(table) < SHARED_LIMIT:
                table[key] = entry
        return entry

    # --- what a configuration costs -----------------------------------------------------------------

    def costs(self, key: tuple, graph: ObligationGraph) -> Costs:
        """The :class:`Costs` of the configuration ``key`` (whose graph is ``graph``), at the current
        beliefs and fallen fronts. Cached for the model while they and the traits stand, and shared
        by the models of its design point, year by year, while their traits change only with the
        calendar."""
        model = self.model
        evidence = (model.belief_version, model.opportunities.version, model.cache.traits_version,
                    model.weariness_version)
        if evidence != self._evidence:
            self._evidence, self._local = evidence, {}
            self._beliefs = np.array([s.reliability for s in model.states])
            self._facts = (self._beliefs.tobytes(),
                           tuple((fp.taken, fp.closed) for fp in model.flashpoints),
                           model.weariness.tobytes() if model.weariness_version else b"")
            if self._traits_read != model.cache.traits_version:
                self._read_traits()
        costs = self._local.get(key)
        if costs is not None:
            return costs
        beliefs = self._beliefs
        shared = model.cache.traits_key
        if shared is not None:
            full = (shared, key, *self._facts)
            table = self._shared
            costs = table.get(full)
            if costs is None:
                costs = self._costs(graph, beliefs)
                if len(table) < SHARED_LIMIT:
                    table[full] = costs
        else:
            costs = self._costs(graph, beliefs)
        self._local[key] = costs
        return costs

    def _costs(self, graph: ObligationGraph, beliefs: np.ndarray) -> Costs:
        model = self.model
        p = model.params
        n, m = len(model.states), len(model.challengers)
        parts = np.zeros((2, 4, n, m))
        commitments = graph.commitment_counts()
        for kind, greed in enumerate(self.types):
            entries = [self.flashpoint_costs(fp.index, graph, beliefs, commitments, greed)
                       for fp in model.flashpoints]
            openings = self.rates * np.array(self.reach([look for look, _ in entries]))
            per = np.stack([per for _, per in entries])
            # [part, state, challenger]: each flashpoint's cost per opening times its openings,
            # summed over the flashpoints of each challenger
            parts[kind] = np.einsum("fkn,fc->knc", per, openings[:, None] * self.challenger_of)
        own, exposure, restraint, obligations = (parts[:, k] for k in range(4))
        autonomy = self._autonomy(graph)
        distrust = self._distrust(graph)
        wedge = np.zeros(n)
        if p["wedge_cost"] > 0.0:
            for target, amount in peacetime.wedges(model, graph, graph.bound(), p["wedge_cost"]):
                wedge[target] += self.hedging[target] * amount
        weariness = np.zeros(n)
        if model.weariness_version and p["weariness_cost"] > 0.0:
            weariness = (p["weariness_cost"] / self.per_year
                         * ((graph.weight > 0) * model.weariness).sum(axis=1))
        return Costs(own, exposure, obligations, restraint, autonomy, distrust, wedge, weariness)

    def reach(self, outlooks: list[Outlook]) -> list[float]:
        """Each flashpoint's reach: 0 once taken or while closed; 1 if reachable now; behind fronts
        still held, the chance that one of them falls within the planning horizon (its falls per
        step: openings × major attacks the challenger wins)."""
        model = self.model
        out = []
        for fp in model.flashpoints:
            if fp.taken or fp.closed:
                out.append(0.0)
            elif fp.reachable:
                out.append(1.0)
            else:
                falls = sum(model.flashpoints[b].rate * outlooks[b].losses[2] for b in fp.behind
                            if not (model.flashpoints[b].taken or model.flashpoints[b].closed))
                out.append(1.0 - math.exp(-falls * self.horizon))
        return out

    def _war_cost(self, fp, severity: float, coalition: float) -> np.ndarray:
        """``[state]``: what fighting an aggression of ``severity`` at ``fp`` costs each state, the
        coalition expected beside it bringing ``coalition`` local power (``fighting = alone``: its
        own power only)."""
        p = self.model.params
        challenger = fp.challenger.local_power[fp.index]
        own = self.local_power[:, fp.index]
        beside = own if self.alone else np.maximum(own, coalition)
        share = challenger / (challenger + beside)
        return p["defender_war_cost"] * severity * share + p["fixed_war_cost"]

    def _own_wars(self, fp, look: Outlook) -> np.ndarray:
        """``[state]``: per opening, the wars each state fights on its own account at ``fp`` (its
        red line crossed; the target when it resists)."""
        model = self.model
        total = np.zeros(len(model.states))
        for k in fp.options:
            if look.aggressions[k] == 0.0:
                continue
            sigma = model.severities[k]
            crossed = self.red_lines[:, fp.index] <= sigma
            if not crossed.any():
                continue
            total += look.aggressions[k] * crossed * self._war_cost(fp, sigma, look.opposing[k])
        return total

    def _obligations(self, fp, look: Outlook, graph: ObligationGraph,
                     commitments: np.ndarray) -> np.ndarray:
        """``[state]``: per opening, the expected cost of the obligations to defend ``fp``'s target:
        at each armed attack it resists (only unprovoked ones if the obligation is conditional), what
        holding the obligation costs the state at that invocation -- the fight it would not have
        chosen, or its word if it stays out (:func:`rules.obligation_cost` of its own response,
        priced by the coalition expected beside it)."""
        model = self.model
        p = model.params
        j = fp.target.index
        f = fp.index
        bound = graph.weight[:, j]
        total = np.zeros(len(model.states))
        if not bound.any():
            return total
        temperature = p["response_temperature"]
        challenger = fp.challenger.local_power[f]
        for k in fp.options:
            sigma = model.severities[k]
            if (look.aggressions[k] == 0.0 or not fp.target.resists(f, sigma)
                    or sigma < p["armed_attack"]):
                continue
            for i in np.flatnonzero(bound).tolist():
                state = model.states[i]
                w = float(bound[i])
                others = max(0.0, look.opposing[k] - state.local_power[f])
                token, full, kept, _, _ = state.response_utilities(
                    f, sigma, w, challenger, 0.0, others, commitments=int(commitments[i]))
                token0, full0, _, _, _ = state.response_utilities(
                    f, sigma, 0.0, challenger, 0.0, others, commitments=int(commitments[i]))
                invoked = look.unprovoked[k] if graph.conditional[i, j] else look.aggressions[k]
                total[i] += invoked * rules.obligation_cost([0.0, token, full],
                                                            [0.0, token0, full0], kept, temperature)
        return total

    def _autonomy(self, graph: ObligationGraph) -> np.ndarray:
        """``[state]``: ``autonomy_cost`` × hedging × the autonomy load of its ties, per step: the
        strongest obligation it owes, times the share of that partner's options below its own red
        lines, plus ``protege_autonomy`` × the strongest protection it receives
        (:func:`rules.autonomy_load`). An alliance takes a state's freedom of policy once, however
        many partners share it (Morrow 1991); what each further obligation may cost in war is in
        ``obligations``."""
        p = self.model.params
        owed_below = (graph.weight * self.model.below).max(axis=1)
        protection = graph.weight.max(axis=0)
        load = rules.autonomy_load(owed_below, protection, p["protege_autonomy"])
        return p["autonomy_cost"] * self.hedging * load

    def _distrust(self, graph: ObligationGraph) -> np.ndarray:
        """``[state]``: ``distrust_cost`` (per year) × the distrust, ``(1 - affinity) / 2``, of each
        partner it is bound to or by, per step."""
        bound = (graph.weight > 0) | (graph.weight.T > 0)
        distrust = (1.0 - self.model.affinity) / 2.0
        return self.model.params["distrust_cost"] / self.per_year * (bound * distrust).sum(axis=1)

    # --- the value of a tie --------------------------------------------------------------------------

    def total(self, party: int, with_tie: Costs, without: Costs, greedy: list[list[float]]) -> float:
        """``party``'s value of a tie, per year, in total: :meth:`value` without its parts."""
        beliefs = greedy[party]
        (a0, a1), fixed_with = with_tie.row(party)
        (b0, b1), fixed_without = without.row(party)
        gain = fixed_without - fixed_with
        for c, g in enumerate(beliefs):
            gain += (1.0 - g) * (b0[c] - a0[c]) + g * (b1[c] - a1[c])
        return gain * self.per_year

    def value(self, party: int, with_tie: Costs, without: Costs, greedy: np.ndarray) -> Value:
        """``party``'s value of a tie, per year: the configuration with the tie against the one
        without it, each part that depends on the challenger's type mixed by the party's belief that
        it is greedy (``greedy[state, challenger]``)."""
        weights = np.stack([1.0 - greedy[party], greedy[party]])
        year = self.per_year

        def gain(part: str) -> float:
            difference = getattr(without, part)[:, party, :] - getattr(with_tie, part)[:, party, :]
            return float((weights * difference).sum()) * year

        control = gain("restraint")
        return Value(
            protection=gain("own") - control, exposure=gain("exposure"), control=control,
            obligations=gain("obligations"),
            autonomy=float(without.autonomy[party] - with_tie.autonomy[party]) * year,
            distrust=float(without.distrust[party] - with_tie.distrust[party]) * year,
            wedge=float(without.wedge[party] - with_tie.wedge[party]) * year,
            weariness=float(without.weariness[party] - with_tie.weariness[party]) * year,
        )
