"""The alliance-deterrence model: construction, the step of docs/ODD.md, and data collection."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from . import build, observations, rules
from . import structure as structures
from .agents import State
from .crisis import Crisis, Flashpoint
from .draws import streams
from .parameters import resolve
from .scenario import Scenario
from .structure import EdgeKind


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
        self._prior = (p["prior_reliability"] * p["prior_strength"],
                       (1.0 - p["prior_reliability"]) * p["prior_strength"])
        self.states = build.states(self, scenario, p)
        self.challengers = build.challengers(self, scenario, p)
        self.flashpoints: list[Flashpoint] = build.flashpoints(scenario, p, self.states,
                                                              self.challengers)
        self.graph = structures.build(
            scenario, p["structure"], p["obligation_mode"], p["conditional_strength"],
            p["minilateral_strength"],
        )
        self.hub = self.states[scenario.state_names().index(scenario.hub)] if scenario.hub else None
        self._rates = np.array([f.rate for f in self.flashpoints])
        self._total_power = sum(s.power for s in self.states) + sum(
            c.power for c in self.challengers
        )
        self._concerned = [
            [s for s in self.states if s.red_lines[f.index] < rules.NEVER] for f in self.flashpoints
        ]

        self.tally = observations.Tally()
        self.step_tally = observations.Tally()
        self.crises: list[Crisis] = []
        self.crisis_log: list[Crisis] = []
        self.dissolved_at: int | None = None
        self.collect = collect
        self.datacollector = mesa.DataCollector(
            model_reporters=observations.step_reporters() if collect else {}
        )

    # --- public API -------------------------------------------------------------------------------

    def concerned(self, flashpoint: int, target: int) -> list[State]:
        """States that may fight at ``flashpoint``: own red line there, or bound to the target."""
        obligees = self.graph.obligees(target)
        concerned = self._concerned[flashpoint]
        if len(obligees) == 0:
            return concerned
        extra = [self.states[i] for i in obligees if self.states[i] not in concerned]
        return concerned + extra

    def step(self) -> None:
        """One period: opportunities, challenges, responses, outcomes, learning and exits."""
        self.step_tally = observations.Tally()
        self.crises = []
        opened = np.flatnonzero(self.rng_opportunities.random(len(self._rates)) < self._rates)
        if len(opened):
            self.draws.new_crisis_step()
            for f in opened:
                self._opportunity(self.flashpoints[f])
        self._exits_and_dissolution()
        self._fade()
        self._merge_step_tally()
        if self.collect:
            self.datacollector.collect(self)

    def run(self, steps: int) -> dict[str, float]:
        """Step ``steps`` times and return the run-level metrics."""
        for _ in range(steps):
            self.step()
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
        counter = f"aggressions_{observations.SEVERITIES[severity]}"
        setattr(tally, counter, getattr(tally, counter) + 1)
        self._crisis(fp, severity, 0, fp.index, provoked)

    def _provocation_probability(self, fp: Flashpoint) -> float:
        """Moral hazard and restraint (Snyder 1984; Cha 2009/10), see ``rules``."""
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
        self, fp: Flashpoint, severity: int, hop: int, origin: int, provoked: bool
    ) -> None:
        """Responses, outcome, learning and spreading of one aggression (docs/ODD.md, submodels 2-4).

        ``origin`` is the flashpoint whose opening started the crisis: a spreading war keeps its
        decision numbers, keyed by hop.
        """
        p = self.params
        tally = self.step_tally
        sigma = self.severities[severity]
        target = fp.target
        j = target.index
        f = fp.index
        challenger_power = fp.challenger.local_power[f]
        resists = target.resists(f, sigma)
        fought: list[State] = [target] if resists else []
        invoked: list[tuple[State, int, bool, bool, float]] = []
        weights = self.graph.weight[:, j]
        for state in self.concerned(f, j):
            if state is target:
                continue
            i = state.index
            w = weights[i]
            if not resists or (provoked and self.graph.conditional[i, j]):
                w = 0.0
            if w == 0.0 and state.red_lines[f] > sigma:
                continue
            probability, crossed, cost = state.fight_probability(f, sigma, w, challenger_power)
            fights = bool(self.draws.uniform("response", flashpoint=origin, hop=hop, state=i)
                          < probability)
            if fights:
                fought.append(state)
            if w > 0.0:
                invoked.append((state, int(self.graph.kind[i, j]), fights, crossed, cost))

        record = Crisis(self.steps, fp.name, fp.challenger.name, target.name, severity, hop=hop,
                        provoked=provoked, fought=[s.name for s in fought],
                        stayed_out=[s.name for s, _, fights, _, _ in invoked if not fights])
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

        if fought and hop < p["max_spread_hops"] and fp.neighbours:
            if self.draws.uniform("spread_whether", flashpoint=origin, hop=hop) < p["theatre_coupling"]:
                where = self.draws.uniform("spread_where", flashpoint=origin, hop=hop)
                k = min(int(where * len(fp.neighbours)), len(fp.neighbours) - 1)
                self._crisis(self.flashpoints[fp.neighbours[k]], severity, hop + 1, origin, False)

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
                    state.aggrieve(p["entrapment_grievance"] * cost)
            else:
                defected += 1
        if defected:
            tally.abandonments += 1
            target.aggrieve(p["abandonment_grievance"] * severity * defected / len(invoked))
            target.hedging += p["accommodation"] * (1.0 - target.hedging)

    def _exits_and_dissolution(self) -> None:
        """Members above the exit threshold leave; below quorum, the structure dissolves."""
        graph = self.graph
        if graph.dissolved or not graph.founders:
            return
        threshold = self.params["exit_threshold"]
        for i in graph.founders:
            if graph.active[i] and self.states[i].grievance > threshold:
                graph.remove(i)
                self.step_tally.exits += 1
        if graph.active_members() < self.params["quorum"] * len(graph.founders) or graph.empty():
            graph.dissolve()
            self.dissolved_at = self.steps

    def _fade(self) -> None:
        """Grievance decays; beliefs keep ``belief_memory`` of their evidence."""
        decay = self.params["grievance_decay"]
        memory = self.params["belief_memory"]
        for state in self.states:
            if state.grievance:
                state.grievance *= decay
            if memory < 1.0:
                state.alpha, state.beta = rules.beta_decay(
                    state.alpha, state.beta, *self._prior, memory)

    def _merge_step_tally(self) -> None:
        run, step = self.tally, self.step_tally
        for name in observations.COUNTERS:
            value = getattr(step, name)
            if value:
                setattr(run, name, getattr(run, name) + value)
        if step.largest_war_power_share > run.largest_war_power_share:
            run.largest_war_power_share = step.largest_war_power_share
        if step.largest_war_states > run.largest_war_states:
            run.largest_war_states = step.largest_war_states

    def _log(self, crisis: Crisis) -> None:
        self.crises.append(crisis)
        self.crisis_log.append(crisis)
