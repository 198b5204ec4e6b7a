"""Grievance: what a state holds against its alliance and against each partner (Snyder 1984 on
entrapment and abandonment; Morrow 1991 on the autonomy an alliance costs).

Grievance is kept twice: each state's total (``State.grievance``, which a member of a collective pact
compares with ``exit_threshold``) and, per tie, what each party holds against the other
(``model.tie_grievance[i, j]``, which ends a bilateral treaty or a minilateral link on its own). Every
grievance -- entrapment, abandonment, autonomy, wedge -- is added to both, weighted by the aggrieved
state's hedging, and both fade at ``grievance_decay`` each step.

One step: :func:`add` during crises, :func:`accrue` in peacetime, :func:`fade` at the end of the
step. ``k`` quiet steps at once (:func:`path`, :func:`advance`): accrual and fading alternate each
step, so they advance together, by the same two functions (:func:`accrued`, :func:`faded`) the
one-step forms use; a test checks that k one-steps and one k-step leave the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .agents import State
    from .model import DeterrenceModel
    from .peacetime import Peace


def accrued(value: float, amounts: tuple[float, ...]) -> float:
    """A grievance after the amounts of one step are added, in order."""
    for amount in amounts:
        value += amount
    return value


def faded(value: float, decay: float) -> float:
    """A grievance after one step of fading."""
    return value * decay


def add(model: DeterrenceModel, state: State, partner: int, amount: float) -> None:
    """Add ``amount`` (times the state's hedging) to ``state``'s grievance, held against
    ``partner``."""
    state.aggrieve(amount)
    model.tie_grievance[state.index, partner] += state.hedging * amount


def accrue(model: DeterrenceModel, plan: Peace) -> None:
    """One step of peacetime grievance: each holder gains the plan's amounts, in order."""
    states = model.states
    held = model.tie_grievance
    for holder, amounts in plan.by_holder.items():
        if isinstance(holder, int):
            states[holder].grievance = accrued(states[holder].grievance, amounts)
        else:
            held[holder] = accrued(held.item(holder), amounts)


def fade(model: DeterrenceModel) -> None:
    """One step of fading: every grievance keeps ``grievance_decay`` of itself."""
    decay = model.params["grievance_decay"]
    model.tie_grievance *= decay
    for state in model.states:
        if state.grievance:
            state.grievance = faded(state.grievance, decay)


def path(value: float, amounts: tuple[float, ...], decay: float, steps: int,
         threshold: float | None) -> tuple[float, int]:
    """``(value after the steps, steps run)`` of one grievance over ``steps`` quiet steps, each
    adding ``amounts`` then fading; the steps stop before the first one after whose accrual the value
    would exceed ``threshold`` (``None``: never) -- the step in which the exit rule would act.

    Each step is :func:`accrued` then :func:`faded`, written out here (the same operations in the
    same order) because a run spends much of its time in this loop; ``tests/model/test_phases.py`` checks
    that k one-steps and one k-step agree to the last bit.
    """
    if threshold is None:
        if not amounts:
            for _ in range(steps):
                value *= decay
        elif len(amounts) == 1:
            amount = amounts[0]
            for _ in range(steps):
                value = (value + amount) * decay
        else:
            for _ in range(steps):
                for amount in amounts:
                    value += amount
                value *= decay
        return value, steps
    for done in range(steps):
        gained = value
        for amount in amounts:
            gained += amount
        if gained > threshold:
            return value, done
        value = gained * decay
    return value, steps


def held(model: DeterrenceModel) -> tuple[list[int], list[tuple[int, int]]]:
    """The states and ties that hold some grievance now."""
    states = [i for i, state in enumerate(model.states) if state.grievance]
    rows, columns = model.tie_grievance.nonzero()
    return states, list(zip(rows.tolist(), columns.tolist(), strict=True))


def advance(model: DeterrenceModel, plan: Peace | None, steps: int,
            known: dict[int | tuple[int, int], float] | None = None) -> None:
    """Every grievance after ``steps`` quiet steps of accrual (``plan``, ``None``: no structure) and
    fading. ``known``: end values already computed for these steps (by the exit rule's limit)."""
    decay = model.params["grievance_decay"]
    gains = plan.by_holder if plan is not None else {}
    fading_states, fading_ties = held(model)
    ends: dict[int | tuple[int, int], float] = dict(known or {})
    for holder in (*gains, *fading_states, *fading_ties):
        if holder not in ends:
            ends[holder] = path(_value(model, holder), gains.get(holder, ()), decay, steps, None)[0]
    states, tie_grievance = model.states, model.tie_grievance
    for holder, value in ends.items():
        if isinstance(holder, int):
            state = states[holder]
            state.grievance = type(state.grievance)(value)
        else:
            tie_grievance[holder] = value


def _value(model: DeterrenceModel, holder: int | tuple[int, int]) -> float:
    if isinstance(holder, int):
        return float(model.states[holder].grievance)
    return model.tie_grievance.item(holder)
