"""The deepening lattice: minilateral ties that deepen with each joint action of their partners, and
partners whose stakes and red lines converge as they act together (docs/ODD.md, submodel 7;
socialisation through joint action: Katzenstein 1996; Acharya 2001).

Joint actions come from two places: the ``cooperation`` phase (:func:`cooperate`: every step of
peacetime cooperation -- exercises, access agreements, coast-guard assistance) and the crises
(:func:`fought_together`: partners that fought side by side). Who may fight where reads red lines;
red lines that converged during a step count from the next one (:func:`cooperate` refreshes them at
the end of the step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .structure import EdgeKind

if TYPE_CHECKING:
    from .agents import State
    from .model import DeterrenceModel


def fought_together(model: DeterrenceModel, fought: list[State]) -> None:
    """After a crisis: each pair of minilateral partners that fought together acts jointly."""
    graph = model.graph
    for k, a in enumerate(fought):
        for b in fought[k + 1:]:
            i, j = a.index, b.index
            if graph.weight[i, j] > 0.0 and graph.kind[i, j] == EdgeKind.MINILATERAL:
                act_jointly(model, a, b)


def act_jointly(model: DeterrenceModel, a: State, b: State) -> None:
    """One joint action of minilateral partners: their tie moves ``deepening_rate`` of the way to
    strength 1 in each direction, and their stakes and red lines at flashpoints neither owns close
    ``convergence_rate`` of the gap between them."""
    p = model.params
    graph = model.graph
    i, j = a.index, b.index
    graph.deepen(i, j, p["deepening_rate"])
    graph.deepen(j, i, p["deepening_rate"])
    rate = p["convergence_rate"]
    if rate > 0.0:
        shared = [fp.index for fp in model.flashpoints if fp.target is not a and fp.target is not b]
        changed = {}
        for values in ("stakes", "red_lines"):
            va, vb = getattr(a, values).copy(), getattr(b, values).copy()
            gap = vb[shared] - va[shared]
            va[shared] += rate * gap
            vb[shared] -= rate * gap
            changed[values] = (va, vb)
        a.set_traits(stakes=changed["stakes"][0], red_lines=changed["red_lines"][0])
        b.set_traits(stakes=changed["stakes"][1], red_lines=changed["red_lines"][1])
        model.converged = True
    model.step_tally.joint_actions += 1


def cooperate(model: DeterrenceModel) -> None:
    """The ``cooperation`` phase: partners of every standing minilateral tie of a deepening lattice
    act jointly; then, if red lines converged during the step, who may fight where is brought up to
    date."""
    if model.structure.deepens:
        for tie in model.graph.open_ties():
            if tie.kind == EdgeKind.MINILATERAL:
                act_jointly(model, model.states[tie.a], model.states[tie.b])
    if model.converged:
        model.refresh_concerned()
        model.converged = False


def quiet_limit(model: DeterrenceModel, steps: int, first: int) -> int:
    """Quiet steps may run in one go only when nothing cooperates and nothing is left to refresh."""
    if model.converged:
        return 0
    if model.structure.deepens and any(
            tie.kind == EdgeKind.MINILATERAL for tie in model.graph.open_ties()):
        return 0
    return steps
