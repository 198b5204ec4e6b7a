"""The model's decision and outcome rules as small pure functions.

Each rule is stated in plain words in its docstring with the literature it comes from, and is tested
against hand-computed values in ``tests/model/test_rules.py``. The agents and the model call these; none of
them draws a random number (the caller passes the uniform number it was given).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NEVER = 1.5
"""Red line of a state that never fights for its own sake: above the largest severity (1)."""


def logistic(utility: float, temperature: float) -> float:
    """Probability of acting under a binary logit: ``1 / (1 + exp(-utility / temperature))``.

    Quantal-response / logit choice (McFadden 1974; McKelvey & Palfrey 1995): a decision-maker
    chooses the better option more often the larger its advantage relative to the noise
    ``temperature``.
    """
    z = utility / temperature
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def softmax(utilities: Sequence[float], temperature: float) -> list[float]:
    """Multinomial logit choice probabilities (McFadden 1974), numerically stable."""
    top = max(utilities)
    weights = [math.exp((u - top) / temperature) for u in utilities]
    total = sum(weights)
    return [w / total for w in weights]


def inclusive_value(utilities: Sequence[float], temperature: float) -> float:
    """Expected utility of a logit choice among options of these utilities:
    ``temperature * ln(sum(exp(u / temperature)))`` (the "inclusive value" or log-sum; McFadden
    1978; Ben-Akiva & Lerman 1985). An option of utility ``-inf`` is not on offer."""
    top = max(utilities)
    return top + temperature * math.log(sum(math.exp((u - top) / temperature)
                                            for u in utilities if u != -math.inf))


def obligation_cost(with_obligation: Sequence[float], without: Sequence[float], kept_word: float,
                    temperature: float) -> float:
    """Expected cost, at one invocation, of holding an obligation: what the state expects from its
    response without the obligation minus what it expects with it, staying out now costing it its
    word (``kept_word`` = obligation × reputation; Fearon 1997):
    ``inclusive_value(without) - (inclusive_value(with_obligation) - kept_word)``.

    The utilities are those of its response against staying out (0 first). A state that would fight
    anyway loses nothing by the obligation; one that would never fight loses its word, ``kept_word``;
    in between, the obligation makes it fight more than it would, or pay for not doing so.
    """
    return (inclusive_value(without, temperature)
            - inclusive_value(with_obligation, temperature) + kept_word)


def pick(probabilities: Sequence[float], uniform: float) -> int:
    """Index chosen by inverse-CDF sampling with the given uniform number in [0, 1)."""
    cumulative = 0.0
    for index, p in enumerate(probabilities):
        cumulative += p
        if uniform < cumulative:
            return index
    return len(probabilities) - 1


def contest_success(power_a: float, power_b: float, decisiveness: float) -> float:
    """Probability that side A wins: ``a^m / (a^m + b^m)``.

    The ratio-form contest success function (Tullock 1980; Hirshleifer 1989); ``m`` is the
    decisiveness of war. Two sides without power have even chances.
    """
    a = power_a**decisiveness
    b = power_b**decisiveness
    if a + b == 0.0:
        return 0.5
    return a / (a + b)


def local_power(power: float, distance: float, loss_of_strength: float) -> float:
    """Power that reaches a theatre ``distance`` away: ``power * exp(-distance / loss_of_strength)``.

    Boulding's (1962) loss-of-strength gradient, in an exponential form (an assumption).
    """
    return power * math.exp(-distance / loss_of_strength)


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (longitude, latitude) points (haversine)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def reputational_value(weight: float, commitments: int, interdependence: float = 1.0) -> float:
    """Value of being seen to honour an obligation:
    ``weight * ((1 - interdependence) + interdependence * ln(1 + commitments))``.

    At ``interdependence`` 1, commitments are interdependent (Schelling 1966, *Arms and Influence*):
    a state that backs down once is doubted everywhere, so the more commitments it holds, the more
    one defection costs -- large for the hub, small for a state with one partner. At 0 the
    reputation at stake is that of the invoked commitment alone (credibility judged case by case:
    Press 2005); its strength multiplies this value in :func:`response_utility`. Zero without
    commitments.
    """
    if commitments <= 0:
        return 0.0
    return weight * ((1.0 - interdependence) + interdependence * math.log1p(commitments))


def shared_reputation(reputation: float, expected_codefectors: float, buck_passing: float) -> float:
    """Reputational cost of staying out when others may stay out too:
    ``reputation / (1 + buck_passing * expected co-defectors)``.

    Diffusion of responsibility (Darley & Latané 1968): blame for a broken collective promise is
    shared among those who broke it, which is one root of buck-passing in multipolar coalitions
    (Christensen & Snyder 1990). ``expected_codefectors`` is the expected number of the target's
    other obliged defenders who stay out. At ``buck_passing`` 0 the reputation is unchanged.
    """
    return reputation / (1.0 + buck_passing * expected_codefectors)


def marginal_stake(stake: float, own_power: float, others_power: float, buck_passing: float) -> float:
    """A defender's stake, counted by its contribution to the expected defence:
    ``stake * ((1 - buck_passing) + buck_passing * own / (own + others))``.

    Olson & Zeckhauser (1966): in an alliance the collective good of defence is produced by all, so
    each member values its own contribution by how much it adds; when others are expected to defend,
    one's own contribution counts for less (free-riding). ``others_power`` is the local power the
    state expects from the target and the other defenders. At ``buck_passing`` 0 the stake is
    unchanged.
    """
    total = own_power + others_power
    share = own_power / total if total > 0.0 else 1.0
    return stake * ((1.0 - buck_passing) + buck_passing * share)


def join_probability(benefit: float, cost: float, sharpness: float) -> float:
    """Chance that a state accepts an alliance's obligations: ``B^k / (B^k + C^k)``.

    A logit choice (McFadden 1974) on ``k * ln(B / C)``: the ratio of the expected benefit of
    membership (the protection it adds where the state has stakes) to its expected cost (the
    obligations it takes on below its own red lines and the autonomy it gives up; Morrow 1991), with
    sharpness ``k``. The ratio form keeps the choice meaningful when benefits and costs per step are
    small against any fixed temperature. With no benefit and no cost the state is indifferent (1/2).
    """
    if benefit <= 0.0 and cost <= 0.0:
        return 0.5
    if cost <= 0.0:
        return 1.0
    if benefit <= 0.0:
        return 0.0
    return 1.0 / (1.0 + (cost / benefit) ** sharpness)


def autonomy_load(owed_below: float, protection: float, protege_autonomy: float) -> float:
    """The autonomy a state gives up to an alliance, per step:
    ``owed_below + protege_autonomy * protection``.

    ``owed_below`` is the summed strength of its obligations, each times the share of the protected
    state's flashpoints (and options) below its own red lines -- planning and posture for wars it
    would not fight on its own; ``protection`` is the summed strength of the obligations others owe
    it -- the basing rights and policy alignment a protégé concedes. Morrow (1991): alliances trade
    autonomy for security, the protégé of an asymmetric alliance giving autonomy, the guarantor
    taking on commitments. Multiplied by hedging (the value a state places on autonomy) where used.
    """
    return owed_below + protege_autonomy * protection


def defender_war_cost(
    *, severity: float, challenger_local_power: float, own_local_power: float,
    war_cost: float, fixed_war_cost: float,
) -> float:
    """What fighting costs a defender: ``war_cost * severity * challenger's share + fixed_war_cost``.

    The cost rises with the severity of the aggression and falls with one's local power relative to
    the challenger's (a weak state fears war more), plus a fixed cost of going to war at all.
    """
    share = challenger_local_power / (challenger_local_power + own_local_power)
    return war_cost * severity * share + fixed_war_cost


def response_utility(
    *,
    obligation: float,
    reputation: float,
    stake: float,
    red_line_crossed: bool,
    red_line_bonus: float,
    hedging: float,
    entrapment_aversion: float,
    war_cost: float,
) -> float:
    """Utility of fighting, for a state that is not the target.

    ``obligation * reputation + stake + bonus*[red line crossed]
    - hedging * entrapment_aversion * [red line not crossed] - war_cost``.

    Obligation times reputational value is the cost of breaking one's word (Fearon 1997, tying
    hands; Smith 1995 on alliance reliability); the hedging term is the fear of entrapment in a war
    below one's red line (Snyder 1984; Morrow 1991, autonomy-security trade-off); ``war_cost``
    comes from :func:`defender_war_cost`. Compared against staying out (utility 0) by a logit.
    """
    utility = obligation * reputation + stake - war_cost
    if red_line_crossed:
        utility += red_line_bonus
    else:
        utility -= hedging * entrapment_aversion
    return utility


def token_utility(full_utility: float, kept_word: float, token_share: float,
                  token_credit: float) -> float:
    """Utility of a token contribution, given the utility of fighting with one's full force:
    ``token_credit * kept_word + token_share * (full_utility - kept_word)``.

    ``kept_word`` is the part of the full utility that comes from honouring the obligation
    (obligation × reputation). A token contribution -- a few ships, a field hospital -- keeps the
    letter of a treaty that asks for "such action as it deems necessary" (North Atlantic Treaty,
    Art. 5) and saves ``token_credit`` of that reputation, while it brings, and costs,
    ``token_share`` of everything else: the stake defended, the entrapment feared, the war's cost
    (on graded contributions to coalitions: Weitsman 2014, *Waging War*).
    """
    return token_credit * kept_word + token_share * (full_utility - kept_word)


def challenge_utility(
    *,
    value: float,
    gain_share: float,
    p_opposed: float,
    p_win_if_opposed: float,
    opposing_share: float,
    severity: float,
    challenger_war_cost: float,
    challenger_fixed_war_cost: float,
    aggression_cost: float,
) -> float:
    """Challenger's expected utility of one aggression option, relative to the status quo (0).

    ``value * gain_share * [(1 - p_opposed) + p_opposed * p_win]
    - p_opposed * (challenger_war_cost * severity * opposing_share + challenger_fixed_war_cost)
    - aggression_cost``.

    Expected-utility theory of deterrence (Bueno de Mesquita 1981; Huth 1988): gains if unopposed,
    a contest if opposed, the cost of war rising with severity and with the opposition's share of
    local power, and a fixed cost of any aggression.
    """
    gain = value * gain_share * ((1.0 - p_opposed) + p_opposed * p_win_if_opposed)
    war_cost = p_opposed * (challenger_war_cost * severity * opposing_share
                            + challenger_fixed_war_cost)
    return gain - war_cost - aggression_cost


def beta_mean(alpha: float, beta: float) -> float:
    """Mean of a Beta(alpha, beta) belief."""
    return alpha / (alpha + beta)


def beta_update(alpha: float, beta: float, honoured: bool) -> tuple[float, float]:
    """Bayesian update of a Beta belief in reliability after one observed honour or defection.

    Conjugate Beta-Bernoulli updating; reputations for reliability are learnt from what allies did
    (Smith 1995; Crescenzi 2007 on reputation).
    """
    if honoured:
        return alpha + 1.0, beta
    return alpha, beta + 1.0


def beta_decay(
    alpha: float, beta: float, prior_alpha: float, prior_beta: float, memory: float
) -> tuple[float, float]:
    """Fade evidence towards the prior: keep ``memory`` of what was learnt beyond the prior."""
    return (
        prior_alpha + memory * (alpha - prior_alpha),
        prior_beta + memory * (beta - prior_beta),
    )


def provocation_probability(
    *, base_rate: float, moral_hazard: float, backing: float, restrained: bool, restraint: float
) -> float:
    """Chance that a protege contesting a flashpoint provokes when it opens.

    ``base_rate * (1 + moral_hazard * backing) * (1 - restraint if restrained)``, clipped to [0, 1].
    Automatic backing emboldens (moral hazard: Snyder 1984); a patron whose support is conditional
    can restrain its protege (Cha 2009/10, "Powerplay"). ``backing`` is the automatic support the
    protege can count on, as a share of the challenger's local power, capped at 1.
    """
    p = base_rate * (1.0 + moral_hazard * backing)
    if restrained:
        p *= 1.0 - restraint
    return min(1.0, max(0.0, p))


def interpolate_towards(
    file_value: float, shared_value: float, own_only_value: float, divergence: float,
    baseline: float,
) -> float:
    """Red-line divergence transform of one stake or red line of a non-target state.

    Piecewise linear in ``divergence``: at 0 the state shares the target's value, at ``baseline``
    it keeps the scenario file's value, at 1 it has the value of a state that cares only for its
    own flashpoints (stake 0, red line never).
    """
    if divergence <= baseline:
        if baseline == 0.0:
            return file_value
        t = divergence / baseline
        return shared_value + t * (file_value - shared_value)
    t = (divergence - baseline) / (1.0 - baseline)
    return file_value + t * (own_only_value - file_value)
