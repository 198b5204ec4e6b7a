"""Every model parameter, declared once: name, default, bounds, kind, unit, meaning and source.

This table is the single source of truth for the model's inputs (in the manner of EMA Workbench:
Kwakkel 2017, Environmental Modelling & Software 96). Experiment grids, Latin-hypercube samples,
result columns, the SALib problem, the browser's sliders and docs/ODD.md all read it.

Roles:

* ``uncertainty`` -- a property of the world that experiments vary (challenger power, coupling, ...);
* ``lever`` -- a choice of the alliance designer (the structure and how tightly it binds);
* ``setting`` -- a fixed convention of the model or of the observations (severity scale, the
  thresholds of the ``stable`` flag); it can still be overridden, but is not sampled by default.

A default of ``None`` means "the scenario's own value" (for example the scenario's mean hedging).
Every value whose source is ``assumption`` is a judgement, not a measurement, and is sweepable.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .structure import NAMES as STRUCTURES

if TYPE_CHECKING:
    from .scenario import Scenario

Kind = Literal["real", "integer", "categorical"]
Role = Literal["uncertainty", "lever", "setting"]

OBLIGATION_MODES = ("default", "conditional", "automatic")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A number as text, strictly: digits with an optional sign, decimal point and exponent; no
underscores, spaces, ``inf`` or ``nan`` (``float()`` takes ``0_1`` as 1)."""
MOST_STEPS = 10_000
"""The most steps one run may take (2,500 years at the default quarter-year step): a run keeps its
crisis log and, when asked, its per-step series in memory, so a longer run is refused before it
starts (``--steps``, ``--years``, an experiment's ``steps``, a history's span)."""


@dataclass(frozen=True)
class Parameter:
    """One model input.

    Attributes:
        name: identifier used everywhere (keyword argument, column name, ``--set name=value``).
        default: value used when neither the scenario nor the user sets one; ``None`` = scenario's.
        low, high: inclusive bounds for real and integer parameters.
        kind: ``real``, ``integer`` or ``categorical``.
        role: ``uncertainty``, ``lever`` or ``setting``.
        unit: unit of measurement ("-" for dimensionless).
        meaning: one line, what the value does in the model.
        source: where the value comes from; ``assumption: ...`` for judgement values.
        choices: allowed values of a categorical parameter.
    """

    name: str
    default: Any
    low: float | None
    high: float | None
    kind: Kind
    role: Role
    unit: str
    meaning: str
    source: str
    choices: tuple[str, ...] = ()

    def validate(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``ValueError``.

        The message names the parameter and the allowed range or choices.
        """
        if self.kind == "categorical":
            if value not in self.choices:
                raise ValueError(
                    f"parameter '{self.name}': {value!r} is not one of {', '.join(self.choices)}"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(
                f"parameter '{self.name}': expected a number in [{self.low}, {self.high}], "
                f"got {value!r}"
            )
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(
                f"parameter '{self.name}': expected a finite number in [{self.low}, {self.high}], "
                f"got {value!r}"
            )
        if self.kind == "integer":
            if number != int(number):
                raise ValueError(f"parameter '{self.name}': expected a whole number, got {value!r}")
            number = int(number)
        if not (self.low <= number <= self.high):
            raise ValueError(
                f"parameter '{self.name}': {value!r} is outside the allowed range "
                f"[{self.low}, {self.high}] ({self.unit})"
            )
        return number

    def parse(self, text: str) -> Any:
        """Convert a command-line string and validate it."""
        if self.kind == "categorical":
            return self.validate(text)
        if not NUMBER.fullmatch(text):
            raise ValueError(
                f"parameter '{self.name}': expected a number in [{self.low}, {self.high}], "
                f"got {text!r}"
            )
        return self.validate(float(text))


def _real(name, default, low, high, role, unit, meaning, source) -> Parameter:
    return Parameter(name, default, low, high, "real", role, unit, meaning, source)


def _setting(name, default, meaning, source, choices) -> Parameter:
    """A categorical setting (no unit): one of ``choices``."""
    return Parameter(name, default, None, None, "categorical", "setting", "-", meaning, source,
                     choices=choices)


PARAMETERS: tuple[Parameter, ...] = (
    # --- levers: the alliance design -------------------------------------------------------------
    Parameter(
        "structure", "hub_and_spoke", None, None, "categorical", "lever", "-",
        "who is bound to defend whom (topology of the obligation graph)",
        "Cha 2009/10; Hemmer & Katzenstein 2002", choices=STRUCTURES,
    ),
    Parameter(
        "formation", "voluntary", None, None, "categorical", "lever", "-",
        "'voluntary': before the first step each prospective member decides whether to accept the "
        "structure's obligations, and the structure forms only with a quorum; 'imposed': every "
        "prospective member is bound from the start (as with every mechanism off)",
        "Smith 1995 (alliances that form are selected); docs/ODD.md, submodel 0",
        choices=("voluntary", "imposed"),
    ),
    Parameter(
        "obligation_mode", "default", None, None, "categorical", "lever", "-",
        "how tightly: 'conditional' (strength conditional_strength, void if the protege provoked), "
        "'automatic' (strength 1, unconditional), 'default' (hub_and_spoke and lattice "
        "conditional, collective automatic)",
        "Fearon 1997 (tying hands); Benson 2011 (conditional deterrent pacts)",
        choices=OBLIGATION_MODES,
    ),
    _real("conditional_strength", 0.5, 0.0, 1.0, "lever", "-",
          "weight of a conditional obligation ('in accordance with constitutional processes')",
          "assumption: halfway between none and automatic; wording of every US treaty in Asia"),
    _real("minilateral_strength", 0.25, 0.0, 1.0, "lever", "-",
          "weight of a minilateral link among spokes in the lattice structure",
          "assumption: Quad, AUKUS, Japan-Australia carry no defence obligation"),
    # --- uncertainties: the world ----------------------------------------------------------------
    _real("red_line_divergence", None, 0.0, 1.0, "uncertainty", "-",
          "0 = every state shares the target's stake and red line at every flashpoint; "
          "1 = each cares only for its own flashpoints; the scenario's value keeps its file's stakes",
          "scenario's baseline_divergence (assumption)"),
    _real("mean_hedging", None, 0.0, 1.0, "uncertainty", "-",
          "mean hedging of the non-hub states (shifts each one's hedging, clipped to [0, 1])",
          "scenario's mean (assumption); Morrow 1991 autonomy-security trade-off"),
    _real("hub_stake", None, 0.0, 1.0, "uncertainty", "-",
          "the hub's stake at every flashpoint (credibility, navigation, bases); unset = the "
          "scenario's per-flashpoint hub stakes",
          "scenario value (assumption: 0.6 in the prototype)"),
    _real("hub_hedging", None, 0.0, 1.0, "uncertainty", "-",
          "the hub's own hedging (aversion to being dragged into others' wars)",
          "scenario value (assumption: 0.3 in the prototype)"),
    _real("theatre_coupling", 0.15, 0.0, 1.0, "uncertainty", "probability",
          "chance that a war opens an opportunity at (or, with escalation 'automatic', spreads to) a "
          "neighbouring flashpoint, each hop",
          "assumption: maritime theatre weakly coupled; Christensen & Snyder 1990 chain-ganging"),
    _real("challenger_power_scale", 1.0, 0.1, 5.0, "uncertainty", "x",
          "multiplies every challenger's power",
          "assumption: 1 = SIPRI 2024 expenditure"),
    _real("opportunity_scale", 1.0, 0.1, 5.0, "uncertainty", "x",
          "multiplies every flashpoint's opportunity rate",
          "assumption: prototype rate 0.03 per flashpoint per step"),
    _real("reputational_weight", 2.0, 0.0, 10.0, "uncertainty", "utility",
          "value of being seen to honour an invoked commitment (times its strength; see "
          "reputation_interdependence)",
          "assumption (prototype 1.5), calibrated to 2.0 against the reliability band "
          "(docs/calibration.md); Schelling 1966"),
    _real("challenger_temperature", 0.1, 0.01, 2.0, "uncertainty", "utility",
          "logit temperature of the challenger's choice (higher = noisier)",
          "assumption (prototype 0.05-0.2); McFadden 1974 logit choice"),
    _real("response_temperature", 0.3, 0.01, 2.0, "uncertainty", "utility",
          "logit temperature of every state's decision to fight",
          "assumption (prototype 0.3)"),
    _real("red_line_noise", 0.1, 0.01, 1.0, "uncertainty", "severity",
          "how fuzzily the challenger sees red lines (logistic scale)",
          "assumption"),
    _real("red_line_bonus", 3.0, 0.0, 10.0, "uncertainty", "utility",
          "added to a state's utility of fighting when its own red line is crossed",
          "assumption (prototype 3)"),
    _real("entrapment_aversion", 1.0, 0.0, 5.0, "uncertainty", "utility",
          "cost, times hedging, of fighting for a stake below one's red line",
          "assumption; Snyder 1984 entrapment"),
    _real("defender_war_cost", 2.0, 0.0, 5.0, "uncertainty", "utility",
          "a defender's cost of war, times severity times the challenger's share of local power",
          "assumption"),
    _real("fixed_war_cost", 1.2, 0.0, 3.0, "uncertainty", "utility",
          "cost of going to war at all, for a defender",
          "assumption"),
    _real("challenger_war_cost", 1.0, 0.0, 5.0, "uncertainty", "utility",
          "the challenger's cost of an opposed aggression, times severity times the opposition's "
          "share of local power",
          "assumption"),
    _real("challenger_fixed_war_cost", 0.5, 0.0, 3.0, "uncertainty", "utility",
          "the challenger's cost of being opposed at all (casualties, sanctions, isolation)",
          "assumption"),
    _real("aggression_cost", 0.2, 0.0, 2.0, "uncertainty", "utility",
          "fixed cost to the challenger of any aggression (makes a grey-zone probe ~break-even)",
          "assumption (docs/ODD.md, Observation)"),
    _real("decisiveness", 1.0, 0.25, 4.0, "uncertainty", "-",
          "exponent m of the contest success function p_a^m / (p_a^m + p_b^m)",
          "Tullock 1980; Hirshleifer 1989"),
    _real("loss_of_strength", 5.0, 0.5, 50.0, "uncertainty", "1000 km",
          "distance over which projected power falls by a factor e",
          "assumption; Boulding 1962 loss-of-strength gradient"),
    _real("prior_reliability", 0.6, 0.05, 0.95, "uncertainty", "probability",
          "prior mean belief that an obligated state honours its word",
          "assumption, inside the 0.4-0.75 empirical range (Leeds et al. 2000; Berkemeier & "
          "Fuhrmann 2018)"),
    _real("prior_strength", 4.0, 0.5, 100.0, "uncertainty", "observations",
          "weight of the prior, alpha + beta of the Beta belief",
          "assumption"),
    _real("belief_memory", 1.0, 0.5, 1.0, "uncertainty", "per step",
          "evidence kept per step (1 = no decay of beliefs towards the prior)",
          "assumption"),
    _real("provocation_rate", 0.1, 0.0, 1.0, "uncertainty", "probability",
          "chance that a contesting protege provokes when its flashpoint opens, without backing",
          "assumption; Snyder 1984 moral hazard"),
    _real("moral_hazard", 1.0, 0.0, 5.0, "uncertainty", "x",
          "how much automatic backing raises a protege's chance of provoking",
          "assumption; Snyder 1984; Cha 2009/10"),
    _real("restraint", 0.7, 0.0, 1.0, "uncertainty", "-",
          "share of provocations a conditional patron prevents",
          "assumption; Cha 2009/10 'Powerplay'"),
    _real("provocation_gain", 0.5, 0.0, 3.0, "uncertainty", "x",
          "extra value a provoked crisis offers the challenger (it has a pretext to act)",
          "assumption"),
    _real("entrapment_grievance", 1.0, 0.0, 5.0, "uncertainty", "grievance",
          "grievance per unit of war cost, times hedging, of fighting below one's red line "
          "because of an obligation",
          "assumption; Snyder 1984"),
    _real("abandonment_grievance", 1.0, 0.0, 5.0, "uncertainty", "grievance",
          "grievance, times hedging, severity and the share of defectors, of being abandoned",
          "assumption; Snyder 1984"),
    _real("grievance_decay", 0.97, 0.5, 1.0, "uncertainty", "per step",
          "share of grievance kept from one step to the next",
          "assumption (prototype 0.97)"),
    _real("exit_threshold", 1.5, 0.1, 10.0, "uncertainty", "grievance",
          "grievance above which a member leaves the structure",
          "assumption (prototype 1-2); Leeds & Savun 2007"),
    _real("accommodation", 0.0, 0.0, 1.0, "uncertainty", "-",
          "share of its remaining autonomy an abandoned state adds to its hedging (0 = off)",
          "assumption; optional rule (off by default)"),
    _real("quorum", 0.5, 0.0, 1.0, "uncertainty", "share of founders",
          "share of the prospective members that must be in (bound by an obligation) for any "
          "structure to count as formed: max(2, ceil(quorum x prospective members)), so in a "
          "structure of four prospective members 0.25 and 0.5 both ask for two; a collective pact "
          "below it binds nobody, and a structure dissolves when fewer active members remain than "
          "this share of its founders",
          "assumption: half of the founders"),
    Parameter("max_spread_hops", 2, 0, 5, "integer", "uncertainty", "hops",
              "longest chain of spreading from one aggression", "assumption"),
    # --- membership and cost mechanisms: formation, buck-passing, peacetime costs (docs/ODD.md,
    # submodels 0, 2, 6)
    _real("formation_sharpness", 1.0, 0.5, 2.0, "uncertainty", "-",
          "k of the joining decision P(join) = B^k / (B^k + C^k): how sharply a state follows the "
          "ratio of the benefit of membership to its cost",
          "assumption (probe: 1, range 0.5-2); McFadden 1974 logit of k ln(B/C)"),
    _real("buck_passing", 0.1, 0.0, 1.0, "uncertainty", "-",
          "strength of buck-passing: the reputational cost of staying out is shared with expected "
          "co-defectors, and one's stake counts by one's share of the expected defence "
          "(0 = every obliged state decides alone, as with every mechanism off)",
          "assumption (probe: above 0.25 collective reliability falls out of band); Olson & "
          "Zeckhauser 1966; Christensen & Snyder 1990"),
    _real("reputation_interdependence", 0.0, 0.0, 1.0, "uncertainty", "-",
          "0 = the reputation at stake is that of the invoked commitment (its strength); 1 = it "
          "grows with ln(1 + every commitment held), as with every mechanism off",
          "assumption; Schelling 1966 interdependence of commitments; Press 2005 (credibility is "
          "judged case by case)"),
    _real("autonomy_cost", 0.001, 0.0, 0.05, "uncertainty", "utility per step",
          "what membership costs a state in peacetime by tying its hands (basing, consultation, "
          "policy alignment), in utility per step per unit of autonomy load -- the obligations it "
          "owes below its own red lines plus protege_autonomy x the protection it receives -- "
          "times its hedging; weighed when it values a tie",
          "assumption (probe: 0.003 moves formation), calibrated to 0.001 against the formation "
          "band (docs/calibration.md); Morrow 1991 autonomy-security trade-off"),
    _real("autonomy_grievance", 0.01, 0.0, 0.1, "uncertainty", "grievance per step",
          "grievance a member accrues each step per unit of autonomy load, times hedging",
          "assumption (probe: exits need 0.02-0.04); Morrow 1991"),
    _real("protege_autonomy", 0.5, 0.0, 1.0, "uncertainty", "-",
          "autonomy load of protection received (basing, policy alignment) per unit of obligation "
          "strength, relative to 1 for an obligation owed below one's own red lines",
          "assumption; Morrow 1991 (asymmetric alliances trade the protege's autonomy for security)"),
    _real("deepening_rate", 0.01, 0.0, 1.0, "uncertainty", "-",
          "deepening lattice: share of the way to strength 1 a minilateral tie moves with each joint "
          "action of its partners (every step of peacetime cooperation, and every crisis in which "
          "both fought)",
          "assumption (half the gap closed in about 17 years of cooperation); the incremental "
          "deepening of Japan-Australia, Japan-Philippines and US-Japan-ROK cooperation"),
    _real("convergence_rate", 0.002, 0.0, 1.0, "uncertainty", "-",
          "deepening lattice: share of the gap between two partners' stakes and red lines (at "
          "flashpoints neither owns) that each closes with each joint action",
          "assumption (slow: about half the gap in 40 years); socialisation through joint action "
          "(Katzenstein 1996; Acharya 2001)"),
    _real("wedge_pressure", 0.01, 0.0, 0.1, "uncertainty", "grievance per step",
          "coercion or inducement each challenger aims every step at the most susceptible member "
          "facing it (hedging x tie strength), times its tie strength and hedging",
          "assumption; Crawford 2011 wedge strategies"),
    _real("wedge_cost", 0.001, 0.0, 0.1, "uncertainty", "utility per step",
          "what the same wedge costs, in utility, the member it is aimed at, in the value of a tie "
          "(times its tie strength and hedging): the wedge's weight in the formation judgement, as "
          "autonomy_cost is autonomy's (wedge_pressure is its grievance)",
          "assumption: the model's own exchange between grievance and utility for autonomy "
          "(autonomy_cost 0.001 against autonomy_grievance 0.01) applied to wedge_pressure 0.01; "
          "swept 0-0.01 against the formation bands (docs/calibration.md); Crawford 2011"),
    # --- alliance politics: the value of a tie, threat, negotiated membership (docs/ODD.md, submodels 8-11)
    _setting(
        "formation_rule", "negotiated",
        "how voluntary membership is settled: 'negotiated' -- at each review a stable outcome: a tie "
        "holds when every party gains, a pact admits a state that gains and that its members accept, "
        "each state judging with who else is in; 'independent' -- once, before the first step, each "
        "state draws its own decision by the ratio logit, unaware of the others' (version 0.2.1)",
        "Jackson & Wolinsky 1996 (pairwise stability); North Atlantic Treaty Art. 10 (accession by "
        "consent); Smith 1995", choices=("negotiated", "independent"),
    ),
    _setting(
        "tie_value", "difference",
        "how a state values a tie: 'difference' -- benefit minus cost, utility per year, so that the "
        "level of threat matters; 'ratio' -- the logarithm of benefit over cost, in which threat "
        "cancels out (version 0.2.1)",
        "Walt 1987 (balance of threat); Morrow 1991", choices=("difference", "ratio"),
    ),
    _setting(
        "yardstick", "coverage",
        "what counts as formed: 'coverage' -- for every structure, at least quorum of the "
        "prospective members are bound by one of its defence obligations; 'own_rule' -- one tie for "
        "a structure of bilateral ties, the quorum for a pact (version 0.2.1)",
        "one yardstick for every structure (docs/ODD.md, Observation)",
        choices=("coverage", "own_rule"),
    ),
    _setting(
        "exit_rule", "review",
        "how a tie ends: 'review' -- a party whose value of the tie has stayed negative for "
        "patience reviews ends it (leaving a pact means leaving all of it); 'grievance' -- when "
        "grievance passes exit_threshold (version 0.2.1)",
        "Leeds & Savun 2007 (alliances end when their value changes)",
        choices=("review", "grievance"),
    ),
    _setting(
        "fighting", "coalition",
        "how a defender decides and pays: 'coalition' -- it prices a war by the coalition it expects "
        "beside it and contributes none, a token or its full force; 'alone' -- it prices the war by "
        "its own power against the challenger's and fights or not (version 0.2.1)",
        "Olson & Zeckhauser 1966; North Atlantic Treaty Art. 5 ('such action as it deems "
        "necessary')", choices=("coalition", "alone"),
    ),
    _setting(
        "threat", "learned",
        "'learned': each state's belief that each challenger is the greedy type moves with the "
        "aggression it observes (Bayes' rule, weighted by its attention); 'fixed': it stays at "
        "greed_prior",
        "Kydd 2005 (trust and mistrust: beliefs about the other's type); Walt 1987",
        choices=("learned", "fixed"),
    ),
    _setting(
        "conquest", "held",
        "'held': a flashpoint the challenger takes by a major attack stays taken (it opens no more "
        "crises) and the flashpoints behind it become reachable; 'momentary': it stays contested "
        "(version 0.2.1)",
        "the domino logic of rear areas (Jervis & Snyder 1991)", choices=("held", "momentary"),
    ),
    _real("trend_scale", 1.0, 0.0, 2.0, "uncertainty", "x",
          "how much of the power trends the scenario declares happens: each actor's power grows by "
          "its trend's growth per year, compounded, raised to this power (0: powers stay as at the "
          "start; 1: as declared; 2: twice the growth, in logarithms)",
          "assumption: trends are extrapolations (the scenario files give their sources)"),
    _setting(
        "scheduled_events", "on",
        "'on': the changes the scenario schedules for a calendar year (a state's hedging, red line, "
        "stake, exposure or affinity; a flashpoint opened or closed; an exogenous crisis) happen in "
        "that year; 'off': none does",
        "the scenario file's sources for each event", choices=("on", "off"),
    ),
    _setting(
        "war_duration", "lasting",
        "'lasting': an opposed aggression opens a war that goes on from step to step until it is "
        "decided by arms or a side gives up, allies joining, dropping to a token or leaving while it "
        "lasts (docs/ODD.md, submodel 14); 'decisive': every war is decided in its first step "
        "(version 0.3.0)",
        "Mueller 1973; Mack 1975; Bennett & Stam 1996 (the duration of interstate wars)",
        choices=("lasting", "decisive"),
    ),
    _real("war_years", 2.0, 0.25, 20.0, "uncertainty", "years",
          "the years of fighting the one-step war's cost stands for: a war that lasts pays it "
          "prorated, step by step",
          "assumption (most interstate wars since 1816 lasted under two years: Bennett & Stam "
          "1996)"),
    _real("decisive_battle_rate", 0.5, 0.0, 10.0, "uncertainty", "per year",
          "the rate at which fighting decides a war under way by arms (the challenger prevailing "
          "by the contest success function): a step decides it with probability 1 - exp(-rate × "
          "years per step)",
          "assumption (an expected two years to a decision by arms)"),
    _real("war_resolve", 1.0, 0.0, 10.0, "uncertainty", "x",
          "how many times what it fights for (its stake and the reputation its obligation puts at "
          "stake; the challenger: value × severity) a side pays in a war before it is as likely as "
          "not to give up",
          "assumption; Mueller 1973 (support falls with cumulative costs); Mack 1975"),
    _real("weariness_cost", 0.01, 0.0, 1.0, "uncertainty", "utility per year",
          "what each unit a state has paid in wars it fought only because it was bound to a "
          "partner costs it, per year, in the value of the ties that bind it to that partner",
          "assumption; Mueller 1973 (war weariness); the Vietnam syndrome"),
    _real("quorum_pricing", 1.0, 0.0, 1.0, "uncertainty", "share",
          "how fully states count the quorum in their values: a pact too small to reach the "
          "quorum binds nobody, and a state values it as that with this weight, as if it bound "
          "with the rest (1: fully priced in; 0: ignored)",
          "assumption (a setting that can swing the verdict: sweep it)"),
    _real("armed_attack", 0.5, 0.0, 1.0, "uncertainty", "severity",
          "the least severity that invokes a defence obligation: a treaty answers an armed attack, "
          "and grey-zone coercion below it does not invoke it (0: every aggression does)",
          "North Atlantic Treaty Art. 5 and the US treaties with Japan, the Philippines and South "
          "Korea are invoked by an 'armed attack'; grey-zone probes fall below it (assumption: the "
          "limited strike, 0.5, is the least armed attack)"),
    _real("review_interval", 1.0, 0.25, 20.0, "setting", "years",
          "time between two reviews of membership (the first is before the first step)",
          "assumption: yearly defence reviews and budget cycles"),
    Parameter("patience", 3, 1, 20, "integer", "uncertainty", "reviews",
              "consecutive reviews at which a party's value of a tie is negative before it ends the "
              "tie or leaves the pact",
              "assumption: ending a treaty takes sustained discontent (Leeds & Savun 2007)"),
    _real("shock_scale", 0.0001, 0.0, 0.05, "uncertainty", "utility per year",
          "scale of each state's private valuation shock at each review (logistic); utility 1 is "
          "the loss of a flashpoint of value 1 at stake 1 to a major attack",
          "assumption (a setting that can swing the verdict: sweep it); governments differ in how "
          "they weigh an alliance from one review to the next; calibrated from 0.01 to 0.0001 "
          "against the formation bands (docs/calibration.md): the values of the marginal treaties "
          "that formed (US-Thailand, US-Australia) are about 0.0003-0.0007 per year, so a larger "
          "shock makes their formation a coin flip; the range reaches five times the value "
          "before calibration, beyond which every value of a tie is noise"),
    _real("shock_persistence", 0.75, 0.0, 0.99, "uncertainty", "per review",
          "how much of a state's private shock carries over from one review to the next (an "
          "autoregressive shock: 0 = drawn afresh at every review)",
          "assumption: a government's disposition towards an alliance lasts about as long as a "
          "term of office (about four years at yearly reviews)"),
    _real("exit_cost", 0.005, 0.0, 0.1, "uncertainty", "utility per year",
          "what ending a standing tie or leaving a pact costs a party, besides the tie's value: "
          "partners elsewhere doubt its word, and its own public and institutions resist",
          "assumption; Gibler 2008 (reputations for honouring alliances); Leeds & Savun 2007 (few "
          "alliances are broken, and mostly after a change of circumstance); calibrated from 0 to "
          "0.005 against the persistence band (docs/calibration.md)"),
    _real("exposure_weight", 1.0, 0.0, 2.0, "uncertainty", "x",
          "multiplies every state's declared exposure to the challengers' gains (0 = nobody cares "
          "about the challenger's gains beyond its own stakes)",
          "assumption (a setting that can swing the verdict: sweep it); Walt 1987"),
    _real("distrust_cost", 0.002, 0.0, 0.1, "uncertainty", "utility per year",
          "cost of being bound to a partner of affinity -1 (half of it at affinity 0, none at 1), "
          "per partner",
          "assumption; Signorino & Ritter 1999 (foreign-policy similarity)"),
    _real("greed", 2.0, 1.0, 10.0, "uncertainty", "x",
          "how many times more than the challenger as it is the greedy type the states fear values "
          "a gain",
          "assumption; Kydd 2005 (security seekers and greedy states)"),
    _real("greed_prior", 0.2, 0.01, 0.99, "uncertainty", "probability",
          "every state's belief, before it has seen anything, that a challenger is the greedy type",
          "assumption; Kydd 2005"),
    _real("planning_horizon", 10.0, 1.0, 50.0, "uncertainty", "years",
          "how far ahead a state weighs the fall of a front that would expose a flashpoint behind "
          "it",
          "assumption"),
    _real("token_share", 0.1, 0.0, 1.0, "uncertainty", "share",
          "share of its force, and of the war's cost, that a token contribution brings",
          "assumption; Article 5's 'such action as it deems necessary'"),
    _real("token_credit", 0.2, 0.0, 1.0, "uncertainty", "share",
          "share of the reputation of keeping its word that a token contribution saves",
          "assumption, calibrated from 0.5 to 0.2 against the reliability band "
          "(docs/calibration.md): at 0.5 almost every invoked commitment drew a token and the "
          "collective pact's reliability (any contribution) was 0.93 [0.80, 0.97]"),
    # --- settings: severity scale and the stable flag --------------------------------------------
    _real("severity_probe", 0.2, 0.01, 1.0, "setting", "severity",
          "severity of a grey-zone probe (also its share of the flashpoint's value)",
          "assumption"),
    _real("severity_limited", 0.5, 0.01, 1.0, "setting", "severity",
          "severity of a limited strike", "assumption"),
    _real("severity_major", 1.0, 0.01, 1.0, "setting", "severity",
          "severity of a major attack", "assumption"),
    _real("sq_loss_threshold", 2.0, 0.0, 100.0, "setting", "value",
          "stable flag: cumulative status-quo loss must stay below this",
          "assumption; Deutsch & Singer 1964"),
    _real("cohesion_reliability", 0.5, 0.0, 1.0, "setting", "share",
          "cohesive flag: the share of invoked commitments honoured must reach this",
          "assumption: a majority of invoked commitments kept"),
    _setting(
        "escalation", "decision",
        "'decision': a war opens, with probability theatre_coupling, an opportunity at a "
        "neighbouring flashpoint, where that flashpoint's challenger chooses whether and how hard to "
        "strike (a challenger already at war there is spared its fixed cost of being opposed); "
        "'automatic': the war re-runs there at the same severity (as with every mechanism off)",
        "Christensen & Snyder 1990 (chain-ganging); Braumoeller 2019 (wars spread by choice); "
        "docs/ODD.md, submodel 5",
        choices=("decision", "automatic"),
    ),
    _setting(
        "exit_scope", "tie",
        "'tie': a bilateral treaty or minilateral link ends on the grievance between its two "
        "parties, while leaving a collective pact means leaving all of it; 'member': a member whose "
        "total grievance passes the threshold cuts every tie (as with every mechanism off)",
        "Morrow 1991 (durations of asymmetric and symmetric ties); docs/ODD.md, submodel 4",
        choices=("tie", "member"),
    ),
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}

VERSION_0_2_1: dict[str, Any] = {
    "formation_rule": "independent", "tie_value": "ratio", "yardstick": "own_rule",
    "exit_rule": "grievance", "fighting": "alone", "threat": "fixed", "conquest": "momentary",
    "armed_attack": 0.0, "war_duration": "decisive", "trend_scale": 0.0, "scheduled_events": "off",
}
"""The values that recover the alliance politics of version 0.2.1: formation decided once by
independent draws on the ratio of benefit to cost, each structure counted formed by its own rule,
exits by grievance, each defender pricing a war alone, threat fixed, conquests momentary, every
aggression invoking the obligations, every war decided in its first step, no power trends and no
scheduled events (with the
scenario files of that version, the golden runs give its numbers; the ``mechanisms`` experiment
switches each back on its own)."""

MECHANISMS_OFF: dict[str, Any] = {
    **VERSION_0_2_1,
    "formation": "imposed", "buck_passing": 0.0, "reputation_interdependence": 1.0,
    "autonomy_cost": 0.0, "autonomy_grievance": 0.0, "wedge_pressure": 0.0, "exit_scope": "member",
    "escalation": "automatic", "reputational_weight": 1.5,
}
"""Every membership and cost mechanism switched off -- the baseline model: the alliance politics of
version 0.2.1 (:data:`VERSION_0_2_1`) with, besides, formation imposed, no
buck-passing, the reputation at stake that of every commitment held (not of the invoked one), no
peacetime autonomy cost and no wedge, exits of whole members (not tie by tie), wars that spread
automatically (not by the challenger's choice) -- with ``reputational_weight`` at the value
calibrated for it, 1.5 (docs/calibration.md). The golden runs' ``mechanisms_off`` table uses these
values; the ``mechanisms`` experiment switches each mechanism off on its own, and all of them
together."""


def uncertainties() -> list[Parameter]:
    """Parameters that describe the world (what sweeps and sensitivity analysis vary)."""
    return [p for p in PARAMETERS if p.role == "uncertainty"]


def get(name: str) -> Parameter:
    """The declared parameter ``name``; ``KeyError`` with the known names otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(
            f"unknown parameter '{name}'; known parameters: {', '.join(BY_NAME)}"
        ) from None


class Parameters(dict):
    """Every parameter's resolved value, read-only: ``params["quorum"]`` or ``params.quorum``.

    Made by :func:`resolve`; the model reads it and never writes it. A ``dict`` underneath, so
    reading a value is as fast as a dictionary look-up, but every way of changing it raises.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"unknown parameter '{name}'") from None

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("parameters are read-only once resolved; build a new model with overrides")

    __setitem__ = __delitem__ = __setattr__ = __delattr__ = _read_only
    clear = pop = popitem = setdefault = update = __ior__ = _read_only

    def __reduce__(self):
        return (Parameters, (dict(self),))


def _scenario_defaults(scenario: Scenario) -> dict[str, Any]:
    """The values a ``None`` default stands for: what the scenario's data imply.

    ``red_line_divergence`` = the scenario's ``baseline_divergence``; ``mean_hedging`` = the mean
    hedging of its non-hub states (as written in the file); ``hub_hedging`` = the hub's hedging.
    ``hub_stake`` stays ``None``: the hub keeps the file's per-flashpoint stakes.
    """
    defaults: dict[str, Any] = {
        "red_line_divergence": scenario.baseline_divergence,
        "mean_hedging": scenario.file_mean_hedging(),
    }
    hub = next((s for s in scenario.states if s.name == scenario.hub), None)
    if hub is not None:
        defaults["hub_hedging"] = hub.hedging
    return defaults


def resolve(scenario: Scenario, overrides: Mapping[str, Any] | None = None) -> Parameters:
    """Every parameter's value: declared default <- the scenario's ``[parameters]`` <- ``overrides``,
    each validated against its declaration; then the scenario-derived defaults filled in
    (:func:`_scenario_defaults`).

    Raises ``KeyError`` for an unknown name and ``ValueError`` for a value out of range (the message
    names the parameter and the allowed range), or for severities that do not increase.
    """
    values: dict[str, Any] = {p.name: p.default for p in PARAMETERS}
    for source in (scenario.parameters, overrides or {}):
        for name, value in source.items():
            if value is None:
                continue
            values[name] = get(name).validate(value)
    order = (values["severity_probe"], values["severity_limited"], values["severity_major"])
    if not order[0] < order[1] < order[2]:
        raise ValueError(
            "parameters 'severity_probe' < 'severity_limited' < 'severity_major' must increase, "
            f"got {order}"
        )
    for name, value in _scenario_defaults(scenario).items():
        if values[name] is None:
            values[name] = value
    return Parameters(values)


def markdown_table() -> str:
    """Every parameter as a Markdown table (docs/ODD.md embeds it; a test keeps the two equal)."""
    lines = [
        "| name | role | default | range | unit | meaning | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in PARAMETERS:
        allowed = " / ".join(p.choices) if p.kind == "categorical" else f"[{p.low:g}, {p.high:g}]"
        default = "scenario's" if p.default is None else f"{p.default}"
        lines.append(
            f"| `{p.name}` | {p.role} | {default} | {allowed} | {p.unit} | {p.meaning} | {p.source} |"
        )
    return "\n".join(lines) + "\n"
