"""The alliance-deterrence model: construction, the step of docs/ODD.md, and data collection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mesa
import numpy as np

from . import build, design_point, formation, membership, observations, rules, schedule
from . import structure as structures
from .agents import State
from .crisis import Crisis, Event, Flashpoint
from .draws import streams
from .engines import ENGINES
from .kept import Kept
from .parameters import resolve
from .scenario import Scenario
from .structure import EdgeKind

_COUNTERS = frozenset(observations.COUNTERS)
_AGGRESSIONS = tuple(f"aggressions_{name}" for name in observations.SEVERITIES)


class _Disabled:
    """Stands in for Mesa's ``model.rng`` and ``model.random``: every random number of this model is
    drawn by name (:mod:`model.draws`), so that runs stay paired across structures."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        raise RuntimeError(
            f"DeterrenceModel.{self._name} is disabled: draw random numbers by name through "
            "model.draws (declare the purpose in model/draws.py), so that runs stay paired across "
            "structures"
        )


class DeterrenceModel(mesa.Model):
    """States, challengers and an alliance structure facing a stream of crisis opportunities.

    Build it from a :class:`~model.scenario.Scenario`, a structure, a seed and any parameter
    overrides (names in :mod:`model.parameters`), then ``step()`` or ``run(steps)``.

    Randomness (:mod:`model.draws`): one ``numpy.random.SeedSequence(rng)`` gives the
    ``opportunities`` stream, which decides which flashpoints open each step and depends on nothing
    else, so two structures with the same seed face the same crisis stream; and the named decision
    draws (``self.draws``), each keyed by the event it decides, so the same decision under two
    structures uses the same number (common random numbers, as in Starsim). Nothing else is random:
    Mesa's ``self.rng`` and ``self.random`` are disabled.

    Args:
        scenario: the scenario to build from.
        structure: ``none``, ``hub_and_spoke``, ``lattice`` or ``collective``.
        rng: integer seed (``None`` draws fresh entropy; the seed used is kept in ``self.seed``).
        collect: collect per-step series with a Mesa ``DataCollector`` (off: run metrics only).
        **overrides: model parameters, validated against their declared ranges.

    Attributes:
        params: every parameter's value after scenario and overrides (read-only
            :class:`~model.parameters.Parameters`).
        states, challengers, flashpoints: the entities, in scenario order.
        graph: the :class:`~model.structure.ObligationGraph`.
        tally, step_tally: event counts for the run and for the last step.
        crises: the crises of the last step; ``crisis_log`` keeps all of them.
        dissolved_at: step at which the structure dissolved, or ``None``.
    """

    def __init__(
        self,
        scenario: Scenario,
        structure: str | None = None,
        rng: int | None = None,
        collect: bool = True,
        **overrides: Any,
    ) -> None:
        if structure is not None:
            overrides["structure"] = structure
        self.params = p = resolve(scenario, overrides)
        self.spec = scenario
        self.seed, self.rng_opportunities, self.draws = streams(
            rng, len(scenario.flashpoints), p["max_spread_hops"] + 1, len(scenario.states))
        super().__init__(rng=self.seed)
        self.rng = _Disabled("rng")
        self.random = _Disabled("random")

        self.severities = (p["severity_probe"], p["severity_limited"], p["severity_major"])
        self._design = tuple(p.items())
        self._keep = Kept(self)
        self._prior = (p["prior_reliability"] * p["prior_strength"],
                       (1.0 - p["prior_reliability"]) * p["prior_strength"])
        self.learned: set[int] = set()
        """Indices of the states whose belief may differ from the prior (those observed)."""
        self.states = build.states(self, scenario, p)
        self.challengers = build.challengers(self, scenario, p)
        self.flashpoints: list[Flashpoint] = build.flashpoints(scenario, p, self.states,
                                                              self.challengers)
        self.hub = self.states[scenario.state_names().index(scenario.hub)] if scenario.hub else None
        self._rates = np.array([f.rate for f in self.flashpoints])
        self._total_power = sum(s.power for s in self.states) + sum(
            c.power for c in self.challengers
        )
        self._refresh_concerned(initial=True)
        self._converged = False
        self.structure = structures.get(p["structure"])
        self.years_per_step = scenario.years_per_step
        self.events: list[Event] = []
        self.tie_grievance = np.zeros((len(self.states), len(self.states)))
        self.graph = structures.build(
            scenario, p["structure"], p["obligation_mode"], p["conditional_strength"],
            p["minilateral_strength"],
        )
        self.prospective = list(self.graph.founders)
        self.quorum_applies = EdgeKind.COLLECTIVE in self.structure.edge_kinds
        self.joined = list(self.prospective)
        self.decisions: list[formation.Decision] = []
        self.declined: list[str] = []
        self.formed = True
        if p["formation"] == "voluntary" and self.graph.founders:
            self._form()
        self.graph.record_ties(0)
        self._keep.formed()

        self.tally = observations.Tally()
        self.step_tally = observations.Tally()
        self.crises: list[Crisis] = []
        self.crisis_log: list[Crisis] = []
        self.dissolved_at: int | None = None
        self.collect = collect
        self.datacollector = mesa.DataCollector(
            model_reporters=observations.step_reporters() if collect else {}
        )

    # --- formation -----------------------------------------------------------------------------

    def _form(self) -> None:
        """Each prospective member decides whether to accept its ties (:mod:`model.formation`);
        ties not accepted are cut. A structure with collective ties forms only with ``quorum`` of
        its prospective members; one of bilateral or minilateral ties, with any tie."""
        graph = self.graph
        p = self.params
        names = [s.name for s in self.states]
        self.decisions = formation.judge(self, graph, self.prospective)
        verdicts, ties = formation.decide(self, self.decisions)
        graph.keep_only(ties)
        bound = {i for tie in ties for i in tie}
        joined = [i for i in self.prospective if i in bound]
        self.joined = joined
        refused = {d.state for d, yes in zip(self.decisions, verdicts, strict=True) if not yes}
        self.declined = [names[i] for i in self.prospective if i in refused]
        for d, yes in zip(self.decisions, verdicts, strict=True):
            if not yes:
                what = ("membership" if d.partner == d.state
                        else f"its tie with {names[d.partner]}")
                self.events.append(Event(0, "declined", [names[d.state]],
                                         f"{what}: P(join) = {d.probability:.2f}"))
        quorum = f"{len(joined)} of {len(self.prospective)} prospective members" + (
            f", quorum {p['quorum']:g}" if self.quorum_applies else "")
        if ties and (not self.quorum_applies or len(joined) >= p["quorum"] * len(self.prospective)):
            graph.set_founders(joined)
            self.events.append(Event(0, "formed", [names[i] for i in joined], quorum))
        else:
            self.formed = False
            graph.keep_only(set())
            graph.set_founders([])
            self.events.append(Event(0, "not formed", [names[i] for i in joined], quorum))

    # --- public API -------------------------------------------------------------------------------

    def _refresh_concerned(self, initial: bool = False) -> None:
        """Per flashpoint, the states whose own red line there can be crossed; and the shares of
        each state's options below the others' red lines (:func:`model.formation.below_shares`).
        As built, they are what the design point implies (:mod:`model.design_point`)."""
        def now() -> tuple[tuple[tuple[int, ...], ...], np.ndarray]:
            return (tuple(tuple(s.index for s in self.states if s.red_lines[f.index] < rules.NEVER)
                          for f in self.flashpoints),
                    design_point.frozen(formation.below_shares(self)))

        if initial:
            key = (*(self.params[name] for name in build.TRAIT_PARAMETERS), self.severities)
            concerned, self.below = design_point.kept(self.spec, "concerned", key, now)
        else:
            concerned, self.below = now()
        self._concerned = [[self.states[i] for i in states] for states in concerned]

    def concerned(self, flashpoint: int, target: int, graph=None) -> list[State]:
        """States that may fight at ``flashpoint``: own red line there, or bound to the target
        (in ``graph``, default the model's)."""
        if graph is not None:
            return self._concerned_in(flashpoint, target, graph)
        keep = self._keep

        def indices() -> tuple[int, ...]:
            return tuple(s.index for s in self._concerned_in(flashpoint, target, self.graph))

        return keep.get(("concerned", flashpoint, target), lambda: [
            self.states[i] for i in keep.get(("who", flashpoint, target), indices, shared=True)])

    def obligees(self, target: int) -> tuple[int, ...]:
        """The indices of the states bound to defend ``target`` now."""
        return self._keep.get(("obligees", target),
                              lambda: tuple(self.graph.obligees(target).tolist()), shared=True)

    def obligee_beliefs(self, target: int) -> tuple[tuple[float, float], ...]:
        """The beliefs ``(alpha, beta)`` in each state bound to defend ``target``: what the choices
        and responses kept for a crisis at one of its flashpoints read of the beliefs."""
        obligees = self.obligees(target)
        if not obligees:
            return ()
        states = self.states
        return tuple([(states[i].alpha, states[i].beta) for i in obligees])

    def _concerned_in(self, flashpoint: int, target: int, graph) -> list[State]:
        obligees = graph.obligees(target)
        concerned = self._concerned[flashpoint]
        if len(obligees) == 0:
            return concerned
        extra = [self.states[i] for i in obligees if self.states[i] not in concerned]
        return concerned + extra

    def step(self) -> None:
        """One period: opportunities, challenges, responses, outcomes, learning and exits."""
        self._keep.forget()
        self._step(np.flatnonzero(self.rng_opportunities.random(len(self._rates)) < self._rates))

    def _step(self, opened: Sequence[int]) -> None:
        """The step of docs/ODD.md, with the flashpoints that opened in it."""
        self._crises(opened)
        self._after_crises()

    def _crises(self, opened: Sequence[int]) -> None:
        """Steps 0-3 of docs/ODD.md: the crises at the flashpoints that opened."""
        self.step_tally = observations.Tally()
        self.crises = []
        if len(opened):
            self.draws.new_crisis_step()
            for f in opened:
                self._opportunity(self.flashpoints[f])

    def _after_crises(self) -> None:
        """Step 4 of docs/ODD.md: peacetime, exits, fading, and the step's tally."""
        membership.peacetime(self, self._keep.peace())
        if self.structure.deepens:
            self._cooperate()
        if self._converged:
            self._refresh_concerned()
            self._converged = False
        membership.exits(self)
        self._fade()
        self._merge_step_tally()
        if self.collect:
            self.datacollector.collect(self)

    def run(self, steps: int, engine: str = "fast") -> dict[str, float]:
        """Step ``steps`` times and return the run-level metrics.

        ``engine="fast"`` (the default): without per-step collection, and while nothing but the
        model's own step is scheduled on Mesa's clock, the steps run in a faster loop
        (:mod:`model.schedule`) that leaves the model, its random streams and Mesa's clock exactly
        as ``steps`` calls of ``step()`` would. ``engine="reference"``: ``steps`` calls of Mesa's
        own ``step()``, which keeps nothing from one step to the next -- the reference the fast
        loop is tested against (same results, slower).
        """
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        if engine == "reference" or self.collect or not schedule.plain(self, DeterrenceModel.step):
            for _ in range(steps):
                self.step()
        else:
            self._keep.forget()
            self._keep.check()
            self.learned = {s.index for s in self.states if (s.alpha, s.beta) != self._prior}
            schedule.run(self, steps)
        return self.metrics()

    def metrics(self) -> dict[str, float]:
        """Run-level metrics so far (:func:`model.observations.run_metrics`)."""
        return observations.run_metrics(self)

    def series(self):
        """Per-step series as a pandas DataFrame indexed by step (requires ``collect=True``)."""
        if not self.collect:
            raise RuntimeError("per-step series were not collected: build the model with collect=True")
        frame = self.datacollector.get_model_vars_dataframe()
        frame.index = range(1, len(frame) + 1)
        frame.index.name = "step"
        return frame

    # --- the step ---------------------------------------------------------------------------------

    def _opportunity(self, fp: Flashpoint) -> None:
        """An incident opens ``fp``: maybe a provocation, then the challenger's logit choice."""
        tally = self.step_tally
        tally.opportunities += 1
        provoked = False
        if fp.target_may_provoke:
            provoked = bool(self.draws.uniform("provocation", flashpoint=fp.index)
                            < self._provocation_probability(fp))
            tally.provocations += provoked
        choice = fp.challenger.choose(fp.index, provoked,
                                      self.draws.uniform("challenge", flashpoint=fp.index))
        if choice == 0:
            tally.deterred += 1
            self._log(Crisis(self.steps, fp.name, fp.challenger.name, fp.target.name, None,
                             provoked=provoked))
            return
        severity = choice - 1
        counter = _AGGRESSIONS[severity]
        setattr(tally, counter, getattr(tally, counter) + 1)
        self._crisis(fp, severity, 0, fp.index, provoked)

    def _provocation_probability(self, fp: Flashpoint) -> float:
        """Moral hazard and restraint (Snyder 1984; Cha 2009/10), see ``rules``."""
        return self._keep.get(("provocation", fp.index), lambda: self._provocation_now(fp),
                              shared=True)

    def _provocation_now(self, fp: Flashpoint) -> float:
        p = self.params
        j = fp.target.index
        weights = self.graph.weight[:, j]
        conditional = self.graph.conditional[:, j]
        automatic = sum(
            weights[i] * self.states[i].local_power[fp.index]
            for i in np.flatnonzero(weights) if not conditional[i]
        )
        backing = min(1.0, automatic / fp.challenger.local_power[fp.index])
        restrained = bool((conditional & (weights > 0)).any())
        return rules.provocation_probability(
            base_rate=p["provocation_rate"], moral_hazard=p["moral_hazard"], backing=backing,
            restrained=restrained, restraint=p["restraint"],
        )

    def _crisis(
        self, fp: Flashpoint, severity: int, hop: int, origin: int, provoked: bool,
        second_front: bool = False,
    ) -> None:
        """Responses, outcome, learning and spreading of one aggression (docs/ODD.md, submodels 2-4).

        ``origin`` is the flashpoint whose opening started the crisis: a spreading war keeps its
        decision numbers, keyed by hop.
        """
        p = self.params
        tally = self.step_tally
        sigma = self.severities[severity]
        target = fp.target
        f = fp.index
        challenger_power = fp.challenger.local_power[f]
        resists, responses = self._responses(fp, severity, provoked)
        fought: list[State] = [target] if resists else []
        invoked: list[tuple[State, int, bool, bool, float]] = []
        states = self.states
        for i, w, kind, probability, crossed, cost in responses:
            fights = bool(self.draws.uniform("response", flashpoint=origin, hop=hop, state=i)
                          < probability)
            if fights:
                fought.append(states[i])
            if w > 0.0:
                invoked.append((states[i], kind, fights, crossed, cost))

        record = Crisis(self.steps, fp.name, fp.challenger.name, target.name, severity, hop=hop,
                        provoked=provoked, fought=[s.name for s in fought],
                        stayed_out=[s.name for s, _, fights, _, _ in invoked if not fights],
                        second_front=second_front)
        tally.buck_passes += len(record.buck_passers)
        value_lost = fp.value * sigma
        if not fought:
            record.outcome = "unopposed"
            self._status_quo_loss(value_lost, severity)
        else:
            defence = sum(s.local_power[f] for s in fought)
            war_share = (fp.challenger.power + sum(s.power for s in fought)) / self._total_power
            tally.add_war(len(fought) + 1, war_share)
            if severity == 2 and fp.challenger.great_power and self.hub in fought:
                tally.great_power_wars += 1
            if (self.draws.uniform("war", flashpoint=origin, hop=hop)
                    < rules.contest_success(challenger_power, defence, p["decisiveness"])):
                record.outcome = "challenger won"
                self._status_quo_loss(value_lost, severity)
            else:
                record.outcome = "defence held"
        self._learn(target, invoked, sigma)
        self._log(record)

        if self.structure.deepens and len(fought) > 1:
            self._deepen(fought)
        if fought and hop < p["max_spread_hops"] and fp.neighbours:
            if self.draws.uniform("spread_whether", flashpoint=origin, hop=hop) < p["theatre_coupling"]:
                where = self.draws.uniform("spread_where", flashpoint=origin, hop=hop)
                k = min(int(where * len(fp.neighbours)), len(fp.neighbours) - 1)
                neighbour = self.flashpoints[fp.neighbours[k]]
                if p["escalation"] == "automatic":
                    self._crisis(neighbour, severity, hop + 1, origin, False)
                else:
                    self._second_front(fp, neighbour, hop + 1, origin)

    def _responses(self, fp: Flashpoint, severity: int, provoked: bool
                   ) -> tuple[bool, tuple[tuple[int, float, int, float, bool, float], ...]]:
        """Whether the target of an aggression of ``severity`` at ``fp`` resists, and each other state
        that decides whether to join the defence, in order: ``(state, obligation, kind of the
        obligation, probability of fighting, own red line crossed, cost of the war to it)``.

        A state bound to the target decides with its obligation (void if the target does not resist,
        or provoked and the obligation is conditional); one that is not, only if its own red line is
        crossed. Kept while the graph, the traits and the beliefs in the target's obligees stand.
        """
        return self._keep.get(("responses", fp.index, severity, provoked,
                               self.obligee_beliefs(fp.target.index)),
                              lambda: self._responses_now(fp, severity, provoked), shared=True)

    def _responses_now(self, fp: Flashpoint, severity: int, provoked: bool
                       ) -> tuple[bool, tuple[tuple[int, float, int, float, bool, float], ...]]:
        p = self.params
        sigma = self.severities[severity]
        target = fp.target
        j = target.index
        f = fp.index
        graph = self.graph
        challenger_power = fp.challenger.local_power[f]
        resists = target.resists(f, sigma)
        deciding = []
        for state in self.concerned(f, j):
            if state is target:
                continue
            w = graph.weight[state.index, j]
            if not resists or (provoked and graph.conditional[state.index, j]):
                w = 0.0
            if w == 0.0 and state.red_lines[f] > sigma:
                continue
            deciding.append((state, w))
        expected = self._expected_defence(f, target, sigma, deciding) if p["buck_passing"] > 0 else None
        responses = []
        for k, (state, w) in enumerate(deciding):
            codefectors = others_power = 0.0
            if expected is not None:
                codefectors, others_power = expected[k]
            probability, crossed, cost = state.fight_probability(
                f, sigma, w, challenger_power, codefectors, others_power)
            responses.append((state.index, w, int(graph.kind[state.index, j]), probability, crossed,
                              cost))
        return resists, tuple(responses)

    def _second_front(self, fp: Flashpoint, neighbour: Flashpoint, hop: int, origin: int) -> None:
        """A war at ``fp`` opens an opportunity at ``neighbour``: its challenger chooses, as at any
        opportunity, whether and how hard to strike; one already at war at ``fp`` is spared the
        fixed cost of being opposed (horizontal escalation as a choice: docs/ODD.md, submodel 5; Christensen &
        Snyder 1990)."""
        self.step_tally.second_fronts += 1
        at_war = neighbour.challenger is fp.challenger
        choice = neighbour.challenger.choose(
            neighbour.index, False, self.draws.uniform("second_front", flashpoint=origin, hop=hop),
            at_war=at_war)
        if choice == 0:
            self._log(Crisis(self.steps, neighbour.name, neighbour.challenger.name,
                             neighbour.target.name, None, hop=hop, second_front=True))
            return
        self.step_tally.escalations += 1
        self._crisis(neighbour, choice - 1, hop, origin, False, second_front=True)

    def _deepen(self, fought: list[State]) -> None:
        """Deepening lattice, after a crisis: each pair of minilateral partners that fought together
        acts jointly (:meth:`_act_jointly`)."""
        graph = self.graph
        for k, a in enumerate(fought):
            for b in fought[k + 1:]:
                i, j = a.index, b.index
                if graph.weight[i, j] > 0.0 and graph.kind[i, j] == EdgeKind.MINILATERAL:
                    self._act_jointly(a, b)

    def _cooperate(self) -> None:
        """Deepening lattice, each step: partners of every standing minilateral tie cooperate in
        peacetime (exercises, access agreements, coast-guard assistance), a joint action."""
        for tie in self.graph.open_ties():
            if tie.kind == EdgeKind.MINILATERAL:
                self._act_jointly(self.states[tie.a], self.states[tie.b])

    def _act_jointly(self, a: State, b: State) -> None:
        """One joint action of minilateral partners: their tie moves ``deepening_rate`` of the way to
        strength 1 in each direction, and their stakes and red lines at flashpoints neither owns
        close ``convergence_rate`` of the gap between them (docs/ODD.md, submodel 8; socialisation through
        joint action: Katzenstein 1996; Acharya 2001)."""
        p = self.params
        graph = self.graph
        i, j = a.index, b.index
        for x, y in ((i, j), (j, i)):
            if graph.weight[x, y] > 0.0:
                graph.weight[x, y] += p["deepening_rate"] * (1.0 - graph.weight[x, y])
        graph.changed()
        rate = p["convergence_rate"]
        if rate > 0.0:
            shared = [fp.index for fp in self.flashpoints if fp.target is not a and fp.target is not b]
            for values in ("stakes", "red_lines"):
                va, vb = getattr(a, values), getattr(b, values)
                gap = vb[shared] - va[shared]
                va[shared] += rate * gap
                vb[shared] -= rate * gap
            self._converged = True
            self._keep.traits_changed()
        self.step_tally.joint_actions += 1

    def _expected_defence(self, f: int, target: State, sigma: float,
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

    def _status_quo_loss(self, value: float, severity: int) -> None:
        self.step_tally.sq_losses += 1
        self.step_tally.sq_loss_value += value
        if severity == 2:
            self.step_tally.flashpoints_lost_major += 1

    def _learn(
        self, target: State, invoked: list[tuple[State, int, bool, bool, float]], severity: float
    ) -> None:
        """Beliefs, entrapment and abandonment after a crisis (Snyder 1984; Smith 1995).

        An obligated state that fought below its own red line is entrapped: its grievance grows by
        ``entrapment_grievance`` x hedging x the war's cost to it. A target whose obligated
        defenders stayed out is abandoned: ``abandonment_grievance`` x hedging x severity x the
        share of its obligees that defected.
        """
        if not invoked:
            return
        p = self.params
        tally = self.step_tally
        defected = 0
        for state, kind, fights, crossed, cost in invoked:
            name = EdgeKind(kind).label
            setattr(tally, f"invoked_{name}", getattr(tally, f"invoked_{name}") + 1)
            state.observe(fights)
            if fights:
                setattr(tally, f"honoured_{name}", getattr(tally, f"honoured_{name}") + 1)
                if not crossed:
                    tally.entrapments += 1
                    tally.hub_entrapments += state is self.hub
                    membership.aggrieve_over(self, state, target.index,
                                             p["entrapment_grievance"] * cost)
            else:
                defected += 1
        if defected:
            tally.abandonments += 1
            amount = p["abandonment_grievance"] * severity * defected / len(invoked)
            target.aggrieve(amount)
            for state, _, fights, _, _ in invoked:
                if not fights:
                    self.tie_grievance[target.index, state.index] += target.hedging * amount / defected
            target.hedging += p["accommodation"] * (1.0 - target.hedging)
            if p["accommodation"]:
                self._keep.traits_changed()

    def _fade(self) -> None:
        """Grievance decays; beliefs keep ``belief_memory`` of their evidence."""
        decay = self.params["grievance_decay"]
        memory = self.params["belief_memory"]
        self.tie_grievance *= decay
        for state in self.states:
            if state.grievance:
                state.grievance *= decay
            if memory < 1.0 and (state.alpha, state.beta) != self._prior:
                state.alpha, state.beta = rules.beta_decay(
                    state.alpha, state.beta, *self._prior, memory)

    def _merge_step_tally(self) -> None:
        run, step = self.tally, self.step_tally
        totals = vars(run)  # a count not yet in the run's own dict is the class default, 0
        for name, value in vars(step).items():
            if value and name in _COUNTERS:
                totals[name] = totals.get(name, 0) + value
        if step.largest_war_power_share > run.largest_war_power_share:
            run.largest_war_power_share = step.largest_war_power_share
        if step.largest_war_states > run.largest_war_states:
            run.largest_war_states = step.largest_war_states

    def _log(self, crisis: Crisis) -> None:
        self.crises.append(crisis)
        self.crisis_log.append(crisis)
