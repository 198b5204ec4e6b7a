"""Wars that last (docs/ODD.md, submodel 14).

With ``war_duration = "lasting"``, an aggression that someone opposes opens a war (the crisis's
outcome phase closes its flashpoint to other crises and hands it to ``model.new_wars``) that goes
on from step to step -- the **wars** phase, after the crises, from the step it began -- until it
is decided by arms, the challenger gives up, the target gives up, or every defender has left. In
each step of a war:

1. **Fighting.** Each participant pays its share of the war's cost for the step: a defender
   ``defender_war_cost`` × severity × the challenger's share of the local power in the field, the
   challenger ``challenger_war_cost`` × severity × the defence's share -- the one-step war's cost,
   which stands for ``war_years`` years of fighting, prorated by the step's length -- and a token
   contribution ``token_share`` of it. What a state pays in a war it fights only because it is
   bound to the target (its own red line not crossed) is its **war weariness** with that partner
   (``model.weariness[state, target]``), which costs it ``weariness_cost`` per year in the value of
   every tie that binds it to that partner (:mod:`model.valuation`).
2. **Arms.** With probability ``1 - exp(-decisive_battle_rate × years_per_step)`` the step's
   fighting decides the war: the challenger prevails with the contest success function of the
   local power in the field (as a one-step war is decided: Tullock 1980); otherwise it goes on.
3. **Resolve.** Each side's will erodes with what the war has cost it, against what it fights for
   (Mueller 1973: support for a war falls as its costs accumulate; Mack 1975: the side with more
   at stake can outlast a stronger one). Each participant gives up once its cost so far passes a
   threshold it does not know in advance -- logistic around ``war_resolve`` × its motive, with
   scale ``response_temperature`` (the noise of every decision to fight), and above 0 (it chose to
   fight) -- so that in a step in which its cost grows from ``K`` to ``K'`` it gives up with
   probability ``(F(K') - F(K)) / (1 - F(K))``, ``F`` the threshold's distribution truncated at 0:
   nothing while the war costs it nothing, more as the costs pass what it fights for. Its motive
   is what made it fight -- its stake at the flashpoint and, if it is bound to the target, the
   reputation its obligation puts at stake (the terms of its response:
   :func:`rules.response_utility`); the challenger's, the flashpoint's value × severity. The
   challenger giving up ends the war (the defence held); the target giving up concedes it (the
   challenger won); an ally with its full force first drops to a token (with ``fighting =
   "coalition"``), then, giving up again as its costs mount, leaves. An obliged ally
   that leaves a war its partner still fights is seen to break its word (the beliefs in its
   reliability learn it: Smith 1995).
4. **Joining.** At each turn of a year of the war, each state that may fight there (bound to the
   target, or its own red line crossed) and is not in the war, nor has left it, decides again by
   the response rule, with the defence now in the field.

A war the challenger wins is a status-quo loss at its end, and a major attack it wins takes the
flashpoint (as a one-step war does); the flashpoint opens to no other crisis while the war lasts.
A war that spreads opens a second front by the escalation decision of its first step
(:func:`model.crises.escalate`), a war of its own at the neighbouring flashpoint. States price a
war, when they decide to fight and when they value a tie, as the one-step war: how long it will
last is a surprise (the short-war illusion: Blainey 1973).

``war_duration = "decisive"``: every war is decided in its first step (as before this module).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import crises, rules
from .crisis import Crisis

if TYPE_CHECKING:
    from .crises import Aggression
    from .model import DeterrenceModel

NONE, TOKEN, FULL = crises.NONE, crises.TOKEN, crises.FULL
"""What a participant contributes (:mod:`model.crises`)."""


@dataclass
class War:
    """A war under way at one flashpoint.

    Attributes:
        aggression: the aggression that opened it (its flashpoint, severity and record).
        started: the step it began.
        fighting: the defenders in the field, by state index, with what each brings
            (:data:`TOKEN` or :data:`FULL`), in the order they joined.
        left: the defenders that left it, in order.
        joined: the defenders that joined it after its first step.
        costs: what it has cost each defender so far.
        challenger_cost: what it has cost the challenger so far.
        steps: the steps it has been fought.
    """

    aggression: Aggression
    started: int
    fighting: dict[int, int]
    left: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    costs: dict[int, float] = field(default_factory=dict)
    challenger_cost: float = 0.0
    steps: int = 0


def phase(model: DeterrenceModel) -> None:
    """**Wars**: the wars this step's crises opened join those under way, and each is fought for a
    step (see the module docstring)."""
    for a in model.new_wars:
        model.wars.append(War(a, model.steps, {s.index: c for s, c in
                                               zip(a.fought, a.contributions, strict=True)}))
    model.new_wars = []
    if not model.wars:
        return
    model.draws.new_war_step()
    for war in list(model.wars):
        _fight(model, war)


def quiet_limit(model: DeterrenceModel, steps: int, first: int) -> int:
    """While a war is under way every step runs through the phases; otherwise the phase does
    nothing."""
    return 0 if model.wars or model.new_wars else steps


def _fight(model: DeterrenceModel, war: War) -> None:
    """One step of ``war``: fighting, arms, resolve, joining (in that order)."""
    a = war.aggression
    fp = a.flashpoint
    f = fp.index
    p = model.params
    states = model.states
    sigma = model.severities[a.severity]
    scale = (0.0, p["token_share"], 1.0)
    prorate = model.years_per_step / p["war_years"]
    war.steps += 1
    challenger = fp.challenger.local_power[f]
    defence = _in_field(model, war)
    field_power = challenger + defence
    share = challenger / field_power if field_power > 0.0 else 0.0
    target = fp.target.index
    weariness = model.weariness
    before = dict(war.costs)
    challenger_before = war.challenger_cost
    for i, c in war.fighting.items():
        paid = p["defender_war_cost"] * sigma * share * prorate * scale[c]
        war.costs[i] = war.costs.get(i, 0.0) + paid
        if i != target and states[i].red_lines[f] > sigma:
            weariness[i, target] += paid
            model.weariness_version += 1
    war.challenger_cost += p["challenger_war_cost"] * sigma * (1.0 - share) * prorate
    draws = model.draws
    decided = 1.0 - math.exp(-p["decisive_battle_rate"] * model.years_per_step)
    uniform = draws.uniform("war_fighting", flashpoint=f)
    if uniform < decided:
        wins = rules.contest_success(challenger, defence, p["decisiveness"])
        _end(model, war, "challenger won" if uniform < decided * wins else "defence held")
        return
    temperature = p["response_temperature"]
    motive = fp.value * sigma
    if (draws.uniform("war_challenger_resolve", flashpoint=f)
            < _gives_up(challenger_before, war.challenger_cost, p["war_resolve"] * motive,
                        temperature)):
        _end(model, war, "challenger gave up")
        return
    for i in list(war.fighting):
        state = states[i]
        w = model.graph.weight[i, target] if i != target else 0.0
        if (draws.uniform("war_resolve", flashpoint=f, state=i)
                >= _gives_up(before.get(i, 0.0), war.costs[i],
                             p["war_resolve"] * _motive(model, war, i, w), temperature)):
            continue
        if i == target:
            _end(model, war, "target gave up")
            return
        if war.fighting[i] == FULL and p["fighting"] == "coalition":
            war.fighting[i] = TOKEN
            continue
        del war.fighting[i]
        war.left.append(i)
        model.step_tally.war_exits += 1
        if w > 0.0 and target in war.fighting:
            state.observe(False)
    if not war.fighting:
        _end(model, war, "challenger won")
        return
    if war.steps % max(1, round(1.0 / model.years_per_step)) == 0:
        _join(model, war)


def _gives_up(before: float, after: float, resolve: float, temperature: float) -> float:
    """The chance a participant whose cost grew from ``before`` to ``after`` (both >= 0) this step
    gives up in it: the chance its threshold -- logistic around ``resolve`` with scale
    ``temperature``, truncated at 0 -- lies in between, given that it lies above ``before``
    (``(F(after) - F(before)) / (1 - F(before))``: the truncation cancels)."""
    passed = rules.logistic(before - resolve, temperature)
    if passed >= 1.0:
        return 1.0
    return max(0.0, rules.logistic(after - resolve, temperature) - passed) / (1.0 - passed)


def _motive(model: DeterrenceModel, war: War, i: int, w: float) -> float:
    """What state ``i`` fights for: its stake at the flashpoint and, if it is bound to the target
    (obligation ``w``), the reputation the obligation puts at stake."""
    a = war.aggression
    fp = a.flashpoint
    f = fp.index
    state = model.states[i]
    if w <= 0.0:
        return float(state.stakes[f])
    _, _, kept, _, _ = state.response_utilities(f, model.severities[a.severity], w,
                                                fp.challenger.local_power[f])
    return float(state.stakes[f]) + kept


def _in_field(model: DeterrenceModel, war: War) -> float:
    """The local power the defenders in the field bring (a token ``token_share`` of a state's)."""
    f = war.aggression.flashpoint.index
    scale = (0.0, model.params["token_share"], 1.0)
    return sum(model.states[i].local_power[f] * scale[c] for i, c in war.fighting.items())


def _join(model: DeterrenceModel, war: War) -> None:
    """At the turn of a year of the war: each state that may fight there, not in it and not having
    left it, decides again by the response rule with the defence in the field (its named draw)."""
    a = war.aggression
    fp = a.flashpoint
    f = fp.index
    p = model.params
    sigma = model.severities[a.severity]
    target = fp.target
    in_field = _in_field(model, war)
    resisting = target.index in war.fighting
    for state in model.concerned(f, target.index):
        i = state.index
        if i in war.fighting or i in war.left or state is target:
            continue
        w = model.graph.weight[i, target.index]
        if not resisting or sigma < p["armed_attack"] or (
                a.provoked and model.graph.conditional[i, target.index]):
            w = 0.0
        if w == 0.0 and state.red_lines[f] > sigma:
            continue
        p_full, p_token, _, _ = state.response(f, sigma, w, fp.challenger.local_power[f], 0.0,
                                               in_field)
        uniform = model.draws.uniform("war_join", flashpoint=f, state=i)
        contribution = FULL if uniform < p_full else TOKEN if uniform < p_full + p_token else NONE
        if contribution:
            war.fighting[i] = contribution
            war.joined.append(i)
            model.step_tally.war_joins += 1


def _end(model: DeterrenceModel, war: War, how: str) -> None:
    """The war ends: its flashpoint opens to crises again, a war the challenger won is a
    status-quo loss (taking the flashpoint after a major attack), and the log records its end."""
    a = war.aggression
    fp = a.flashpoint
    model.wars.remove(war)
    model.war_lengths.append(war.steps)
    fp.at_war = False
    won = how in ("challenger won", "target gave up")
    names = [s.name for s in model.states]
    record = Crisis(model.steps, fp.name, fp.challenger.name, fp.target.name, a.severity,
                    hop=a.hop, fought=[names[i] for i in war.fighting],
                    outcome=f"war ended: {how}", war_steps=war.steps,
                    left=[names[i] for i in war.left], joined=[names[i] for i in war.joined])
    a.record = record
    if won:
        crises.status_quo_loss(model, a, fp.value * model.severities[a.severity])
    model.opportunities.refresh()
    model.log(record)
