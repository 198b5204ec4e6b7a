"""Threat: each state's belief that each challenger is of the greedy type, learnt from the aggression
it observes (Kydd 2005, *Trust and Mistrust in International Relations*: states do not know whether
the other is a security seeker or greedy, and update their belief from what it does; Walt 1987:
threat, not power alone, is what states balance against).

A challenger is, as far as the states can tell, either what the scenario makes it -- the *secure*
type, which the model runs -- or a *greedy* type that values every gain ``greed`` times more. Each
state holds, per challenger, the probability that it is greedy, from ``greed_prior``; at every choice
the challenger makes (an opened flashpoint, a second front) it applies Bayes' rule with the
likelihood of the choice under each type (each type's own logit choice probabilities in the world as
it stands), weighted by its attention to that flashpoint -- its stake there or its exposure to the
challenger, whichever is larger (a state that pays no attention learns nothing; full attention is
Bayes' rule itself). A major attack where the secure type would hardly strike raises every
attentive state's belief; a challenger that keeps the peace where the greedy type would have struck
lowers it. The value of a tie mixes the world under the two types with these beliefs
(:mod:`model.valuation`). Observations are gathered as they come and folded in when the beliefs are
read (:meth:`Threat.greedy`), at a review. The aggressions a scenario says the states saw before the
run (``[[observed]]``) count like the others (:func:`observe_the_past`). With ``threat = "fixed"``
nothing is learnt.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .structure import ObligationGraph

if TYPE_CHECKING:
    from .model import DeterrenceModel


class Threat:
    """The states' beliefs that the challengers are greedy.

    Args:
        attention: ``[state, flashpoint]`` weight of what happens there in each state's belief.
        challenger_of: each flashpoint's challenger index.
        challengers: how many challengers.
        prior: every state's starting belief that a challenger is greedy.
        learning: whether beliefs move at all.

    Attributes:
        log_odds: ``[state, challenger]`` the log-odds of the belief that the challenger is greedy.
    """

    def __init__(self, attention: np.ndarray, challenger_of: Sequence[int], challengers: int,
                 prior: float, learning: bool) -> None:
        states = attention.shape[0]
        self.attention = attention
        self.learning = learning
        self.log_odds = np.full((states, challengers), math.log(prior / (1.0 - prior)))
        self._of = np.zeros((len(challenger_of), challengers))
        self._of[np.arange(len(challenger_of)), list(challenger_of)] = 1.0
        self._evidence = [0.0] * len(challenger_of)
        self._pending = False

    def observe(self, flashpoint: int, greedy: float, secure: float) -> None:
        """A challenger made, at ``flashpoint``, a choice that the greedy type would have made with
        probability ``greedy`` and the secure type with probability ``secure``."""
        if self.learning and greedy != secure:
            # a choice one type would (almost) never make is strong, not infinite, evidence: each
            # probability is floored at the smallest normal double
            floor = sys.float_info.min
            self._evidence[flashpoint] += math.log(max(greedy, floor)) - math.log(max(secure, floor))
            self._pending = True

    def greedy(self) -> np.ndarray:
        """``[state, challenger]``: each state's belief that each challenger is greedy."""
        if self._pending:
            self.log_odds += (self.attention * np.array(self._evidence)) @ self._of
            self._evidence = [0.0] * len(self._evidence)
            self._pending = False
        return 0.5 * (1.0 + np.tanh(0.5 * self.log_odds))  # the logistic, without overflow


def likelihoods(model: DeterrenceModel, fp, choice: int, provoked: bool, at_war: bool = False,
                graph: ObligationGraph | None = None, beliefs: np.ndarray | None = None
                ) -> tuple[float, float]:
    """``(P(choice | greedy), P(choice | secure))`` at ``fp`` (choice 0: the status quo, k: the
    flashpoint's k-th option), each type's logit choice in the world given (default: the model's)."""
    challenger = fp.challenger
    secure = challenger.probabilities(fp.index, provoked, graph, beliefs, at_war)
    greedy = challenger.probabilities(fp.index, provoked, graph, beliefs, at_war,
                                      model.params["greed"])
    return greedy[choice], secure[choice]


def observe_the_past(model: DeterrenceModel) -> None:
    """The aggressions the scenario says the states saw before the run (``[[observed]]``) enter
    their beliefs, each judged in the world with no alliance, at the prior beliefs in reliability."""
    if not model.spec.observed or not model.threat.learning:
        return
    nobody = ObligationGraph(len(model.states), [])
    prior = np.full(len(model.states), model.params["prior_reliability"])
    ids = [fp.id for fp in model.flashpoints]
    for seen in model.spec.observed:
        fp = model.flashpoints[ids.index(seen.flashpoint)]
        choice = fp.options.index(seen.severity) + 1
        model.threat.observe(fp.index, *likelihoods(model, fp, choice, False, graph=nobody,
                                                    beliefs=prior))


def attention(model: DeterrenceModel) -> np.ndarray:
    """``[state, flashpoint]``: a state's attention to what a challenger does at a flashpoint -- its
    stake there or its exposure to that challenger (times ``exposure_weight``), the larger."""
    stakes = np.array([s.stakes for s in model.states])
    exposure = model.exposure[:, [fp.challenger.index for fp in model.flashpoints]]
    return np.minimum(1.0, np.maximum(stakes, exposure))
