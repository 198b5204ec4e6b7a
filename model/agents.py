"""The agents: states, which decide whether to fight, and challengers, which decide whether to challenge."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np

from . import rules

if TYPE_CHECKING:
    from .model import DeterrenceModel
    from .structure import ObligationGraph


class Assessment(NamedTuple):
    """How a challenger sees one aggression option (:meth:`Challenger.assess`).

    Attributes:
        utility: its expected utility against the status quo.
        p_opposed: the chance that someone resists it.
        p_win: the challenger's chance of winning, if opposed.
        opposing: the local power expected to oppose it, if opposed (0 if never opposed).
    """

    utility: float
    p_opposed: float
    p_win: float
    opposing: float


class Opposition(NamedTuple):
    """Who may oppose an aggression at one flashpoint (:meth:`Challenger.opposition`): the same
    for every severity of it.

    Attributes:
        target_red_line, target_power: the target's red line there and its local power.
        others: each other concerned state's ``(red line, local power, strength of its obligation
            to the target, whether that obligation is conditional, believed reliability)``.
    """

    target_red_line: float
    target_power: float
    others: tuple[tuple[float, float, float, bool, float], ...]


class Actor(mesa.Agent):
    """What states and challengers share: a name and power projected from a place.

    Attributes:
        name: its name.
        index: its position among the model's states (or challengers).
        power: capability it can bring to the theatre, scenario units.
        location: (longitude, latitude) it projects power from.
        local_power: per-flashpoint power after the loss-of-strength gradient.
    """

    def __init__(
        self,
        model: DeterrenceModel,
        *,
        name: str,
        index: int,
        power: float,
        location: tuple[float, float],
        local_power: np.ndarray,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.index = index
        self.power = power
        self.location = location
        self.local_power = local_power


class State(Actor):
    """A sovereign state of the region (name, index, power, location, local_power: see
    :class:`Actor`; ``power`` is its power times its available share, ``index`` its row in the
    obligation graph).

    Attributes:
        hedging: value of autonomy and of ties with the challenger, in [0, 1].
        stakes: per-flashpoint stake in [0, 1] (after the red-line divergence transform).
        red_lines: per-flashpoint least severity that makes it fight on its own account
            (``rules.NEVER`` = never).

        Hedging, stakes and red lines change only through their setters (the arrays are
        read-only): the model's cache depends on them (:mod:`model.cache`).
        grievance: accumulated entrapment, abandonment, autonomy and wedge grievance, fading each
            step (>= 0).
        autonomy_pressure, wedge_pressure: the grievance the last step's autonomy cost and the
            challenger's wedge added (after hedging).
        alpha, beta: everyone's Beta belief that it honours its obligations.
        is_hub: whether it is the scenario's hub.
    """

    def __init__(
        self,
        model: DeterrenceModel,
        *,
        name: str,
        index: int,
        power: float,
        location: tuple[float, float],
        hedging: float,
        stakes: np.ndarray,
        red_lines: np.ndarray,
        local_power: np.ndarray,
        prior: tuple[float, float],
        is_hub: bool,
    ) -> None:
        super().__init__(model, name=name, index=index, power=power, location=location,
                         local_power=local_power)
        self._hedging = hedging
        self.stakes = stakes
        self.red_lines = red_lines
        self.alpha, self.beta = prior
        self.grievance = 0.0
        self.is_hub = is_hub
        self.autonomy_pressure = 0.0
        self.wedge_pressure = 0.0

    @property
    def hedging(self) -> float:
        """Value of autonomy and of ties with the challenger, in [0, 1]."""
        return self._hedging

    @hedging.setter
    def hedging(self, value: float) -> None:
        self._hedging = value
        self.model.cache.traits_changed()

    def set_traits(self, stakes: np.ndarray | None = None, red_lines: np.ndarray | None = None) -> None:
        """Give the state new per-flashpoint stakes or red lines (the arrays are read-only, so that
        every change goes through here and the model's cache knows of it)."""
        if stakes is not None:
            self.stakes = _read_only_copy(stakes)
        if red_lines is not None:
            self.red_lines = _read_only_copy(red_lines)
        self.model.cache.traits_changed()

    @property
    def reliability(self) -> float:
        """Mean of the public belief that this state honours its obligations."""
        return rules.beta_mean(self.alpha, self.beta)

    def resists(self, flashpoint: int, severity: float) -> bool:
        """A target fights when the severity reaches its red line (docs/ODD.md, submodel 2)."""
        return severity >= self.red_lines[flashpoint]

    def response(
        self,
        flashpoint: int,
        severity: float,
        obligation: float,
        challenger_local_power: float,
        codefectors: float = 0.0,
        others_power: float = 0.0,
    ) -> tuple[float, float, bool, float]:
        """``(P(full contribution), P(token contribution), own red line crossed, cost of the war
        to it)`` of this state's decision to join the defence: a logit of the utilities of
        :meth:`response_utilities` against staying out (0), among none, a token and its full force
        (``fighting = "coalition"``: Article 5's "such action as it deems necessary"), or fighting
        or not (``"alone"``: P(token) = 0)."""
        p = self.model.params
        token, full, _, crossed, cost = self.response_utilities(
            flashpoint, severity, obligation, challenger_local_power, codefectors, others_power)
        if p["fighting"] != "coalition":
            return rules.logistic(full, p["response_temperature"]), 0.0, crossed, cost
        _, p_token, p_full = rules.softmax([0.0, token, full], p["response_temperature"])
        return p_full, p_token, crossed, cost

    def response_utilities(
        self,
        flashpoint: int,
        severity: float,
        obligation: float,
        challenger_local_power: float,
        codefectors: float = 0.0,
        others_power: float = 0.0,
        commitments: int | None = None,
    ) -> tuple[float, float, float, bool, float]:
        """``(utility of a token contribution, of its full force, the part of them that is keeping
        its word (obligation × reputation), own red line crossed, cost of the war to it)``, against
        staying out (0).

        The utility of fighting is :func:`rules.response_utility`: obligation times the reputational
        value of the invoked commitment, plus its own stake, minus entrapment aversion and the
        expected cost of war (Snyder 1984; Fearon 1997; Morrow 1991). With ``buck_passing`` above
        0 the state weighs its co-obligees: the reputation is shared with the ``codefectors`` it
        expects (:func:`rules.shared_reputation`) and its stake counts by its share of the expected
        defence, ``others_power`` being what the target and the others are expected to bring
        (:func:`rules.marginal_stake`). ``fighting = "coalition"``: the war is priced by the
        coalition expected beside it (its own local power plus ``others_power``: Olson & Zeckhauser
        1966) and a token is worth :func:`rules.token_utility`; ``"alone"``: priced by its own power
        against the challenger's (no token). ``commitments``: how many states it is bound to
        defend, for the reputation at stake (default: under the obligations in force; the value of
        a tie passes those of the configuration it judges).
        """
        model = self.model
        p = model.params
        local = self.local_power[flashpoint]
        crossed = severity >= self.red_lines[flashpoint]
        coalition = p["fighting"] == "coalition"
        cost = rules.defender_war_cost(
            severity=severity,
            challenger_local_power=challenger_local_power,
            own_local_power=local + others_power if coalition else local,
            war_cost=p["defender_war_cost"],
            fixed_war_cost=p["fixed_war_cost"],
        )
        reputation = (
            rules.reputational_value(
                p["reputational_weight"],
                model.graph.commitments(self.index) if commitments is None else commitments,
                p["reputation_interdependence"])
            if obligation > 0.0 else 0.0
        )
        stake = self.stakes[flashpoint]
        buck_passing = p["buck_passing"]
        if buck_passing > 0.0:
            reputation = rules.shared_reputation(reputation, codefectors, buck_passing)
            stake = rules.marginal_stake(stake, local, others_power, buck_passing)
        full = rules.response_utility(
            obligation=obligation,
            reputation=reputation,
            stake=stake,
            red_line_crossed=crossed,
            red_line_bonus=p["red_line_bonus"],
            hedging=self.hedging,
            entrapment_aversion=p["entrapment_aversion"],
            war_cost=cost,
        )
        kept = obligation * reputation
        token = (rules.token_utility(full, kept, p["token_share"], p["token_credit"])
                 if coalition else -math.inf)
        return token, full, kept, crossed, cost

    def observe(self, honoured: bool) -> None:
        """Everyone updates the Beta belief in this state's reliability (Smith 1995)."""
        self.alpha, self.beta = rules.beta_update(self.alpha, self.beta, honoured)
        self.model.learned.add(self.index)
        self.model.belief_version += 1

    def aggrieve(self, amount: float) -> None:
        """Add entrapment or abandonment grievance, weighted by hedging (Snyder 1984): the more a
        state values its autonomy and its ties with the challenger, the more it resents a war it
        was dragged into or an ally that left it alone."""
        self.grievance += self.hedging * amount


class Challenger(Actor):
    """A revisionist power that probes or attacks flashpoints.

    Its attributes are those of :class:`Actor` (``power`` scaled by ``challenger_power_scale``) and:

    Attributes:
        great_power: whether a major war with the hub is a great-power war.
    """

    def __init__(
        self,
        model: DeterrenceModel,
        *,
        name: str,
        index: int,
        power: float,
        location: tuple[float, float],
        great_power: bool,
        local_power: np.ndarray,
    ) -> None:
        super().__init__(model, name=name, index=index, power=power, location=location,
                         local_power=local_power)
        self.great_power = great_power

    def option_utility(self, flashpoint: int, severity: float, provoked: bool) -> float:
        """Expected utility of aggression of ``severity`` at ``flashpoint`` (status quo = 0), given
        the structure and beliefs as they are now (:meth:`assess`)."""
        return self.assess(flashpoint, severity, provoked)[0]

    def assess(
        self,
        flashpoint: int,
        severity: float,
        provoked: bool,
        graph: ObligationGraph | None = None,
        beliefs: np.ndarray | None = None,
        at_war: bool = False,
        greed: float = 1.0,
        opposition: Opposition | None = None,
    ) -> Assessment:
        """The :class:`Assessment` of one aggression option: expected utility, P(opposed),
        P(win | opposed) and the local power expected to oppose it, if opposed.

        Expected opposition uses the challenger's beliefs: the target resists with the chance its
        red line (seen with logistic noise) is crossed; each other state fights with the chance
        its own red line is crossed or, if the target resists, with obligation x believed
        reliability. Each defender's power is discounted by distance. The chance of winning is a
        contest success function of its local power against the expected opposition, given that
        there is one (Bueno de Mesquita 1981; Huth 1988; Tullock 1980).

        ``graph`` and ``beliefs`` (each state's believed reliability) default to the model's
        current ones; the formation judgement passes hypothetical ones. ``at_war``: the challenger
        is already opposed in a neighbouring war, so a second front spares it the fixed cost of
        being opposed at all. ``greed``: how many times the flashpoint's value it puts on a gain --
        1 for the challenger as it is; more for the greedy type the states fear it may be
        (:mod:`model.threat`). ``opposition``: :meth:`opposition` under ``graph`` and
        ``beliefs``, if the caller has it already.
        """
        model = self.model
        p = model.params
        p_opposed, expected = self.expected_opposition(flashpoint, severity, provoked, graph,
                                                       beliefs, opposition)
        mine = self.local_power[flashpoint]
        if p_opposed > 0.0:
            opposing = expected / p_opposed
            p_win = rules.contest_success(mine, opposing, p["decisiveness"])
            share = opposing / (mine + opposing) if mine + opposing > 0 else 0.0
        else:
            p_win, share = 1.0, 0.0
        value = model.flashpoints[flashpoint].value
        if greed != 1.0:
            value *= greed
        if provoked:
            value *= 1.0 + p["provocation_gain"]
        utility = rules.challenge_utility(
            value=value,
            gain_share=severity,
            p_opposed=p_opposed,
            p_win_if_opposed=p_win,
            opposing_share=share,
            severity=severity,
            challenger_war_cost=p["challenger_war_cost"],
            challenger_fixed_war_cost=0.0 if at_war else p["challenger_fixed_war_cost"],
            aggression_cost=p["aggression_cost"],
        )
        return Assessment(utility, p_opposed, p_win, opposing if p_opposed > 0.0 else 0.0)

    def opposition(self, flashpoint: int, graph: ObligationGraph | None = None,
                   beliefs: np.ndarray | None = None) -> Opposition:
        """Who may oppose an aggression at ``flashpoint`` under ``graph`` (default the model's) and
        ``beliefs`` (default each state's believed reliability), as :meth:`expected_opposition`
        reads them: the same for every severity, so read once for all of a flashpoint's options."""
        model = self.model
        target = model.flashpoints[flashpoint].target
        j = target.index
        concerned = model.concerned(flashpoint, j, graph)
        graph = model.graph if graph is None else graph
        weights = graph.weight[:, j].tolist()
        conditional = graph.conditional[:, j].tolist()
        others = []
        for state in concerned:
            if state is target:
                continue
            i = state.index
            w = weights[i]
            belief = 0.0
            if w > 0.0:
                belief = state.reliability if beliefs is None else float(beliefs[i])
            others.append((float(state.red_lines[flashpoint]), float(state.local_power[flashpoint]),
                           w, conditional[i], belief))
        return Opposition(float(target.red_lines[flashpoint]),
                          float(target.local_power[flashpoint]), tuple(others))

    def expected_opposition(self, flashpoint: int, severity: float, provoked: bool,
                            graph: ObligationGraph | None = None,
                            beliefs: np.ndarray | None = None,
                            opposition: Opposition | None = None) -> tuple[float, float]:
        """``(P(opposed), expected local power opposing)`` of an aggression, as the challenger
        sees it (see :meth:`assess`): the target resists with the chance its red line, seen with
        logistic noise, is crossed; each other concerned state fights with the chance its own red
        line is crossed or, at an armed attack the target resists, with obligation × believed
        reliability (Huth 1988; Fearon 1997). ``opposition``: :meth:`opposition` under ``graph``
        and ``beliefs``, if the caller has it already."""
        p = self.model.params
        if opposition is None:
            opposition = self.opposition(flashpoint, graph, beliefs)
        noise = p["red_line_noise"]
        attack = severity >= p["armed_attack"]
        q_target = rules.logistic(severity - opposition.target_red_line, noise)
        p_none = 1.0 - q_target
        expected = q_target * opposition.target_power
        never = rules.NEVER
        for red_line, power, w, conditional, belief in opposition.others:
            own = rules.logistic(severity - red_line, noise) if red_line < never else 0.0
            if attack and w > 0.0 and not (provoked and conditional):
                obliged = q_target * w * belief
                q = 1.0 - (1.0 - own) * (1.0 - obliged)
            else:
                q = own
            p_none *= 1.0 - q
            expected += q * power
        return 1.0 - p_none, expected

    def probabilities(self, flashpoint: int, provoked: bool, graph: ObligationGraph | None = None,
                      beliefs: np.ndarray | None = None, at_war: bool = False,
                      greed: float = 1.0) -> list[float]:
        """Logit choice probabilities of the status quo and of each option of the flashpoint
        (``greed``: of the type that values gains that many times more, :meth:`assess`).

        Under the model's own graph and beliefs they are kept, with the beliefs they read, until the
        graph or a red line changes (most opportunities meet the alliance as the last one left it).
        """
        if graph is None and beliefs is None:
            return self._kept(flashpoint, provoked, at_war, greed)
        return self._probabilities(flashpoint, provoked, graph, beliefs, at_war, greed)

    def _kept(self, flashpoint: int, provoked: bool, at_war: bool, greed: float = 1.0
              ) -> list[float]:
        """The probabilities under the model's own graph and beliefs, kept with the beliefs read."""
        model = self.model
        beliefs_read = model.obligee_beliefs(model.flashpoints[flashpoint].target.index)
        key = (("choice", flashpoint, provoked, at_war, beliefs_read) if greed == 1.0
               else ("choice", flashpoint, provoked, at_war, beliefs_read, greed))
        return model.cache.get(
            key, lambda: self._probabilities(flashpoint, provoked, None, None, at_war, greed),
            shared=True)

    def _probabilities(self, flashpoint: int, provoked: bool, graph: ObligationGraph | None,
                       beliefs: np.ndarray | None, at_war: bool, greed: float = 1.0
                       ) -> list[float]:
        model = self.model
        opposition = self.opposition(flashpoint, graph, beliefs)
        utilities = [0.0] + [
            self.assess(flashpoint, model.severities[k], provoked, graph, beliefs, at_war, greed,
                        opposition)[0]
            for k in model.flashpoints[flashpoint].options
        ]
        return rules.softmax(utilities, model.params["challenger_temperature"])

    def choose(self, flashpoint: int, provoked: bool, uniform: float, at_war: bool = False) -> int:
        """Logit choice among the status quo (0) and the flashpoint's options: probe, limited
        strike, major attack (1-3), or the subset the scenario allows there."""
        choice = rules.pick(self._kept(flashpoint, provoked, at_war), uniform)
        return 0 if choice == 0 else self.model.flashpoints[flashpoint].options[choice - 1] + 1


def _read_only_copy(values: np.ndarray) -> np.ndarray:
    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array
