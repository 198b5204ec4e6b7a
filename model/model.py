"""The alliance-deterrence model: construction, the step of docs/ODD.md (:mod:`model.step`), and
data collection."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from . import build, design_cache, fast_run, formation, negotiation, observations, rules, threat
from . import step as phases
from . import structure as structures
from .agents import State
from .cache import ModelCache
from .calendar import Calendar
from .crises import Aggression
from .crisis import Crisis, Event, Flashpoint
from .draws import streams
from .engines import ENGINES
from .negotiation import Negotiation, Review
from .observations import Membership
from .opportunities import Opportunities
from .parameters import resolve
from .scenario import Scenario
from .structure import EdgeKind
from .threat import Threat
from .war import War


class _Disabled:
    """Stands in for Mesa's ``model.rng`` and ``model.random``: every random number of this model is
    drawn by name (:mod:`model.draws`), so that runs stay paired across structures."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):  # copy, pickle and friends look for special methods
            raise AttributeError(attribute)
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
        collect: collect per-step series with a Mesa ``DataCollector``, and the run-level
            metrics so far as ``run_<metric>`` (for ``mesa.batch_run``); off: run metrics only.
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
        # Over 60 lines by design: the one place that declares every attribute a model holds, each
        # with its docstring, in the order they are built.
        if structure is not None:
            overrides["structure"] = structure
        self.params = p = resolve(scenario, overrides)
        self.spec = scenario
        seed, generator, self.draws = streams(
            rng, len(scenario.flashpoints), p["max_spread_hops"] + 1, len(scenario.states))
        self.seed = seed
        super().__init__(rng=seed)
        self.rng = _Disabled("rng")
        self.random = _Disabled("random")
        self.rng_opportunities = generator

        self.severities = (p["severity_probe"], p["severity_limited"], p["severity_major"])
        self.design = tuple(p.items())
        """Every parameter's value: what, with the scenario, makes this model's design point."""
        self.cache = ModelCache(self)
        self.prior = (p["prior_reliability"] * p["prior_strength"],
                      (1.0 - p["prior_reliability"]) * p["prior_strength"])
        """The Beta belief ``(alpha, beta)`` everyone starts from."""
        self.learned: set[int] = set()
        """Indices of the states whose belief may differ from the prior (those observed)."""
        self.belief_version = 0
        """A count of the changes to the beliefs in reliability (what the values of ties read)."""
        self.states = build.states(self, scenario, p)
        self.challengers = build.challengers(self, scenario, p)
        self.flashpoints: list[Flashpoint] = build.flashpoints(scenario, p, self.states,
                                                              self.challengers)
        self.hub = self.states[scenario.state_names().index(scenario.hub)] if scenario.hub else None
        self.opportunities = Opportunities(generator, self.flashpoints)
        self.opened: Any = ()
        """The flashpoints that opened in the current step."""
        self.total_power = sum(s.power for s in self.states) + sum(
            c.power for c in self.challengers
        )
        self.exposure = build.exposure(scenario, p)
        """``[state, challenger]``: each state's exposure to each challenger's gains."""
        self.affinity = build.affinity(scenario)
        """``[state, state]``: the affinity of every pair of states."""
        self.refresh_concerned(initial=True)
        self.converged = False
        """Whether red lines converged during this step (deepening lattice)."""
        self.threat = Threat(threat.attention(self), [fp.challenger.index for fp in self.flashpoints],
                             len(self.challengers), p["greed_prior"], p["threat"] == "learned")
        threat.observe_the_past(self)
        self.structure = structures.get(p["structure"])
        self.years_per_step = scenario.years_per_step
        self.events: list[Event] = []
        self.wars: list[War] = []
        """The wars under way (:mod:`model.war`)."""
        self.new_wars: list[Aggression] = []
        """The aggressions of this step that opened a war, for the wars phase."""
        self.war_lengths: list[int] = []
        """The steps each war that ended was fought."""
        self.weariness = np.zeros((len(self.states), len(self.states)))
        """``[state, partner]``: what the state has paid in wars it fought only because it was bound
        to the partner (:mod:`model.war`)."""
        self.weariness_version = 0
        """A count of the changes to ``weariness``."""
        self.calendar = Calendar(self)
        """Power trends and scheduled events (:mod:`model.calendar`)."""
        self.calendar.begin()
        self.tie_grievance = np.zeros((len(self.states), len(self.states)))
        self.tally = observations.Tally()
        self.step_tally = observations.Tally()
        self.crises: list[Crisis] = []
        self.crisis_log: list[Crisis] = []
        self.dissolved_at: int | None = None
        self._form_structure()
        self.cache.built()
        self.collect = collect
        self.datacollector = mesa.DataCollector(
            model_reporters={**observations.step_reporters(), **observations.run_reporters()}
            if collect else {}
        )

    # --- formation -----------------------------------------------------------------------------

    def _form_structure(self) -> None:
        """The structure as designed, then -- with ``formation = voluntary`` -- as its prospective
        members settle it: by negotiation at the first review (:mod:`model.negotiation`) or by
        independent decisions (:mod:`model.formation`, ``formation_rule = independent``)."""
        p = self.params
        self.graph = structures.build(
            self.spec, p["structure"], p["obligation_mode"], p["conditional_strength"],
            p["minilateral_strength"],
        )
        self.prospective = list(self.graph.founders)
        self.quorum_applies = EdgeKind.COLLECTIVE in self.structure.edge_kinds
        self.negotiation = Negotiation(self, self.graph.copy())
        self.config = frozenset(self.negotiation.units)
        """The units (pact memberships or ties) in force."""
        self.reviews: list[Review] = []
        self.review_period = max(1, round(p["review_interval"] / self.years_per_step))
        """Steps between two reviews of membership."""
        self.joined = list(self.prospective)
        self.decisions: list[formation.Decision] = []
        self.declined: list[str] = []
        self.formed = True
        if p["formation"] == "voluntary" and self.graph.founders:
            if p["formation_rule"] == "independent":
                formation.form_independently(self)
                self.config = self.negotiation.config_of(self.graph)
            else:
                self.reviews.append(negotiation.review(self, first=True))
                self.formed = self.negotiation.formed(self.config)
        self.graph.record_ties(0)
        self.membership = Membership.of(self)

    # --- what the phases read ---------------------------------------------------------------------

    def refresh_concerned(self, initial: bool = False) -> None:
        """Per flashpoint, the states whose own red line there can be crossed; and the shares of
        each state's options below the others' red lines (:func:`model.formation.below_shares`).
        As built, they are what the design point implies (:mod:`model.design_cache`); later they
        follow converging red lines (:mod:`model.deepening`)."""
        def now() -> tuple[tuple[tuple[int, ...], ...], np.ndarray]:
            return (tuple(tuple(s.index for s in self.states if s.red_lines[f.index] < rules.NEVER)
                          for f in self.flashpoints),
                    design_cache.frozen(formation.below_shares(self)))

        if initial:
            key = (*(self.params[name] for name in build.TRAIT_PARAMETERS), self.severities)
            concerned, self.below = design_cache.remember(self.spec, "concerned", key, now)
        else:
            concerned, self.below = now()
        self._concerned = [[self.states[i] for i in states] for states in concerned]

    def concerned(self, flashpoint: int, target: int, graph=None) -> list[State]:
        """States that may fight at ``flashpoint``: own red line there, or bound to the target
        (in ``graph``, default the model's)."""
        if graph is not None:
            return self._concerned_in(flashpoint, target, graph)
        cache = self.cache

        def indices() -> tuple[int, ...]:
            return tuple(s.index for s in self._concerned_in(flashpoint, target, self.graph))

        return cache.get(("concerned", flashpoint, target), lambda: [
            self.states[i] for i in cache.get(("who", flashpoint, target), indices, shared=True)])

    def obligees(self, target: int) -> tuple[int, ...]:
        """The indices of the states bound to defend ``target`` now."""
        return self.cache.get(("obligees", target),
                              lambda: tuple(self.graph.obligees(target).tolist()), shared=True)

    def obligee_beliefs(self, target: int) -> tuple[tuple[float, float], ...]:
        """The beliefs ``(alpha, beta)`` in each state bound to defend ``target``: what the choices
        and responses cached for a crisis at one of its flashpoints read of the beliefs."""
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

    def log(self, crisis: Crisis) -> None:
        """Add a crisis record to the step's crises and the run's crisis log."""
        self.crises.append(crisis)
        self.crisis_log.append(crisis)

    # --- stepping -------------------------------------------------------------------------------

    def step(self) -> None:
        """One step: the phases of :data:`model.step.STEP` in order (opportunities, crises, wars,
        peacetime, cooperation, membership, fading, observation, calendar). Mesa's ``step()`` -- the reference
        engine: it computes everything afresh (the model's cache is cleared first)."""
        self.cache.clear()
        phases.step(self)

    def run(self, steps: int, engine: str = "fast") -> dict[str, float]:
        """Step ``steps`` times and return the run-level metrics.

        ``engine="fast"`` (the default): without per-step collection, and while nothing but the
        model's own step is scheduled on Mesa's clock, the steps run in a faster loop
        (:mod:`model.fast_run`) that leaves the model, its random streams and Mesa's clock exactly
        as ``steps`` calls of ``step()`` would. ``engine="reference"``: ``steps`` calls of Mesa's
        own ``step()`` -- the reference the fast loop is tested against (same results, slower).
        """
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        self.calendar.check(steps)
        if engine == "reference" or not fast_run.usable(self, DeterrenceModel.step):
            for _ in range(steps):
                self.step()
        else:
            self.cache.clear()
            fast_run.run(self, steps)
        return self.metrics()

    def metrics(self) -> dict[str, float]:
        """Run-level metrics so far (:func:`model.observations.run_metrics`)."""
        return observations.run_metrics(self)

    def series(self):
        """Per-step series as a pandas DataFrame indexed by step (requires ``collect=True``): the
        columns of :data:`~model.observations.STEP_SERIES` (the collector also holds the run-level
        metrics so far, ``run_<metric>``, for ``mesa.batch_run``)."""
        if not self.collect:
            raise RuntimeError("per-step series were not collected: build the model with collect=True")
        frame = self.datacollector.get_model_vars_dataframe()[list(observations.STEP_SERIES)]
        frame.index = range(1, len(frame) + 1)
        frame.index.name = "step"
        return frame
