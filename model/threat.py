"""Threat: each state's belief in each challenger's aggressiveness, learnt from the aggression it
observes (Kydd 2005: states update their beliefs about another's type from what it does; Walt 1987:
threat, not power alone, is what states balance against).

The belief is a multiplier on the aggression a state expects from a challenger, 1 at the start: a
Gamma-like ratio ``(k + observed) / (k + expected)`` with prior weight ``k =
threat_prior_strength``. At every choice a challenger makes (an opened flashpoint, a second front),
each state adds, weighted by its attention to that flashpoint -- its stake there or its exposure to
the challenger, whichever is larger -- the severity the challenger chose to ``observed`` and the
severity its choice probabilities made expected to ``expected``. A major attack where a probe was
expected raises every attentive state's threat, the more exposed the more; a challenger that keeps
the peace lowers it slowly. Observations are gathered as they come and folded in when the beliefs are
read (:meth:`Threat.multipliers`), at a review. The aggressions a scenario says the states saw
before the run (``[[observed]]``) count like the others (:func:`observe_the_past`). With ``threat =
"fixed"`` nothing is learnt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .structure import ObligationGraph

if TYPE_CHECKING:
    from .model import DeterrenceModel


class Threat:
    """The states' beliefs in the challengers' aggressiveness.

    Args:
        attention: ``[state, flashpoint]`` weight of what happens there in each state's belief.
        challenger_of: each flashpoint's challenger index.
        challengers: how many challengers.
        prior_strength: ``k``, the prior's weight in expected aggressions.
        learning: whether beliefs move at all.

    Attributes:
        observed, expected: ``[state, challenger]`` the sums of the belief (prior included).
    """

    def __init__(self, attention: np.ndarray, challenger_of: Sequence[int], challengers: int,
                 prior_strength: float, learning: bool) -> None:
        states = attention.shape[0]
        self.attention = attention
        self.learning = learning
        self.observed = np.full((states, challengers), prior_strength)
        self.expected = np.full((states, challengers), prior_strength)
        self._of = np.zeros((len(challenger_of), challengers))
        self._of[np.arange(len(challenger_of)), list(challenger_of)] = 1.0
        self._chosen = [0.0] * len(challenger_of)
        self._likely = [0.0] * len(challenger_of)
        self._pending = False

    def observe(self, flashpoint: int, chosen: float, likely: float) -> None:
        """A challenger chose, at ``flashpoint``, an aggression of severity ``chosen`` (0: it kept
        the peace) where its choice probabilities made ``likely`` the expected severity."""
        if self.learning:
            self._chosen[flashpoint] += chosen
            self._likely[flashpoint] += likely
            self._pending = True

    def multipliers(self) -> np.ndarray:
        """``[state, challenger]``: how much more (or less) aggression each state expects from each
        challenger than the challenger's choices imply, given what it has seen."""
        if self._pending:
            weighted = self.attention * np.array(self._chosen)
            self.observed += weighted @ self._of
            self.expected += (self.attention * np.array(self._likely)) @ self._of
            self._chosen = [0.0] * len(self._chosen)
            self._likely = [0.0] * len(self._likely)
            self._pending = False
        return self.observed / self.expected


def observe_the_past(model: DeterrenceModel) -> None:
    """The aggressions the scenario says the states saw before the run (``[[observed]]``) enter
    their beliefs, each against the severity the challenger's choices would make expected with no
    alliance, at the prior beliefs."""
    if not model.spec.observed or not model.threat.learning:
        return
    nobody = ObligationGraph(len(model.states), [])
    prior = np.full(len(model.states), model.params["prior_reliability"])
    ids = [fp.id for fp in model.flashpoints]
    for seen in model.spec.observed:
        fp = model.flashpoints[ids.index(seen.flashpoint)]
        probabilities = fp.challenger.probabilities(fp.index, False, nobody, prior)
        likely = expected_severity(probabilities, fp.options, model.severities)
        model.threat.observe(fp.index, model.severities[seen.severity], likely)


def attention(model: DeterrenceModel) -> np.ndarray:
    """``[state, flashpoint]``: a state's attention to what a challenger does at a flashpoint -- its
    stake there or its exposure to that challenger (times ``exposure_weight``), the larger."""
    stakes = np.array([s.stakes for s in model.states])
    exposure = model.exposure[:, [fp.challenger.index for fp in model.flashpoints]]
    return np.maximum(stakes, exposure)


def expected_severity(probabilities: Sequence[float], options: Sequence[int],
                      severities: Sequence[float]) -> float:
    """The severity a challenger's choice probabilities make expected (status quo first: 0)."""
    return sum(p * severities[k] for p, k in zip(probabilities[1:], options, strict=True))
