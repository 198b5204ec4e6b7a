"""``model.run()`` takes shortcuts (quiet steps in one go, numbers drawn in batches, kept and shared
choices, no Mesa event per step); these tests prove it leaves exactly what ``step()`` called one step
at a time leaves: every metric, every crisis and alliance event, every grievance, belief and trait,
the graph, the numbers each random stream gives next and Mesa's clock, to the last bit.

The reference is a fresh model of the same inputs stepped through Mesa's own ``model.step()``, which
drops every kept value before each step and draws each step's numbers on their own.
"""

from __future__ import annotations

import copy

import mesa
import numpy as np
import pytest

from model import DeterrenceModel
from model.parameters import PARAMETERS
from model.structure import NAMES
from scenarios import available, load

SCENARIOS = {name: load(name) for name in available()}
SETTINGS = ("formation", "obligation_mode", "escalation", "exit_scope")


def draws(count: int, seed: int) -> list[tuple[str, str, int, dict]]:
    """``count`` seeded random draws of every declared uncertainty, the categorical settings and the
    obligations' strengths, cycling through every scenario and structure."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        scenario = sorted(SCENARIOS)[k % len(SCENARIOS)]
        structure = NAMES[(k // len(SCENARIOS)) % len(NAMES)]
        if SCENARIOS[scenario].hub is None and structure not in ("none", "collective"):
            structure = "collective"
        values: dict = {}
        for p in PARAMETERS:
            if p.role == "uncertainty":
                values[p.name] = (int(rng.integers(p.low, p.high + 1)) if p.kind == "integer"
                                  else float(rng.uniform(p.low, p.high)))
            elif p.name in SETTINGS:
                values[p.name] = p.choices[int(rng.integers(len(p.choices)))]
        values["conditional_strength"] = float(rng.uniform(0.0, 1.0))
        values["minilateral_strength"] = float(rng.uniform(0.0, 1.0))
        out.append((scenario, structure, int(rng.integers(2**31)), values))
    return out


def future_numbers(model: DeterrenceModel) -> list:
    """The numbers every random stream of the model would give next: the opportunities of the next
    steps, the next busy steps' decisions and the next review's shocks (the fast engine may have
    drawn some of them already, in a batch; what matters is that the same ones come next)."""
    opportunities = copy.deepcopy(model.rng_opportunities).random((3, len(model.flashpoints)))
    draws = copy.deepcopy(model.draws)
    numbers = [opportunities.tolist()]
    for _ in range(3):
        draws.new_crisis_step()
        numbers.append({name: block.tolist() for name, block in sorted(draws._blocks.items())})
    draws.new_review()
    numbers.append({name: block.tolist() for name, block in sorted(draws._blocks.items())})
    return numbers


def snapshot(model: DeterrenceModel) -> dict[str, str]:
    """Everything a run leaves, as exact text (``repr`` keeps every bit and every type)."""
    graph = model.graph
    tally = {name: getattr(model.tally, name) for name in model.tally.FIELDS}
    last = {name: getattr(model.step_tally, name) for name in model.step_tally.FIELDS}
    crises = [(c.step, c.flashpoint, c.challenger, c.target, c.severity, c.hop, c.provoked,
               c.fought, c.stayed_out, c.outcome, c.second_front) for c in model.crisis_log]
    event = model._event_list._events
    return {
        "metrics": repr(model.metrics()),
        "tallies": repr((tally, last)),
        "crises": repr((crises, [c.describe() for c in model.crises])),
        "events": repr([(e.step, e.kind, e.states, e.detail) for e in model.events]),
        "states": repr([(s.grievance, s.alpha, s.beta, s.hedging, s.stakes.tolist(),
                         s.red_lines.tolist(), s.autonomy_pressure, s.wedge_pressure)
                        for s in model.states]),
        "tie grievance": repr(model.tie_grievance.tolist()),
        "graph": repr((graph.weight.tolist(), graph.conditional.tolist(), graph.kind.tolist(),
                       graph.founders, graph.active.tolist(), graph.dissolved,
                       [(t.a, t.b, t.kind, t.start, t.end) for t in graph.ties])),
        "generators": repr(future_numbers(model)),
        "clock": repr((model.steps, model.time, model.dissolved_at,
                       [(e.time, e.priority) for e in event],
                       model._default_schedule._execution_count)),
    }


def build(case) -> DeterrenceModel:
    scenario, structure, seed, values = case
    return DeterrenceModel(SCENARIOS[scenario], structure, rng=seed, collect=False, **values)


def stepped(case, steps: int) -> DeterrenceModel:
    model = build(case)
    for _ in range(steps):
        model.step()
    return model


def assert_same(fast: DeterrenceModel, reference: DeterrenceModel, what: str) -> None:
    left, right = snapshot(fast), snapshot(reference)
    for part in left:
        assert left[part] == right[part], f"{what}: {part} differs"


@pytest.mark.parametrize("block", range(6))
def test_run_equals_stepping_over_random_parameter_draws(block):
    """240 random draws of every declared uncertainty (40 per block), every scenario and structure."""
    for k, case in enumerate(draws(240, seed=20240611)[block * 40:(block + 1) * 40]):
        fast = build(case)
        fast.run(150)
        assert_same(fast, stepped(case, 150), f"draw {block * 40 + k} {case[:3]}")


def test_run_in_pieces_and_long_runs_equal_stepping():
    """A run continued by another run, and runs longer than one batch of drawn numbers."""
    for case in draws(12, seed=7):
        fast = build(case)
        fast.run(37)
        fast.run(0)
        fast.run(90)
        fast.step()
        fast.run(22)
        assert_same(fast, stepped(case, 150), f"pieces {case[:3]}")
    for scenario, structure, seed, values in draws(3, seed=8):
        # powers that grow for 325 years: the trends halved, so that none passes the limit
        case = (scenario, structure, seed, {**values, "trend_scale": 0.5})
        fast = build(case)
        fast.run(1300)
        assert_same(fast, stepped(case, 1300), f"long {case[:3]}")


def test_models_of_one_design_point_share_without_changing_results():
    """Many seeds of one design point, in any order, each equal to stepping on its own."""
    scenario, structure, _, values = draws(1, seed=3)[0]
    for structure in ("collective", "hub_and_spoke", "deepening_lattice"):
        for seed in (5, 1, 9, 5, 2, 1):
            case = ("asia", structure, seed, {**values, "opportunity_scale": 3.0})
            fast = build(case)
            fast.run(120)
            assert_same(fast, stepped(case, 120), f"shared {structure} seed {seed}")


def test_a_model_changed_from_outside_is_run_as_changed():
    """What a user sets on a built model (red lines, obligations, hedging, grievance) is what
    runs: traits and obligations change through their setters, which the model's cache hears of
    (the arrays themselves are read-only)."""
    def changed(case):
        model = build(case)
        model.states[1].set_traits(red_lines=np.full(len(model.flashpoints), 0.2))
        for i, j, _, _, _ in model.graph.edges():
            model.graph.set_weight(i, j, 0.9)
        model.states[2].grievance = 0.7
        model.states[0].hedging = 0.95
        model.tie_grievance[0, 1] = 0.3
        return model

    for case in draws(10, seed=11):
        reference = changed(case)
        for _ in range(100):
            reference.step()
        unchanged = build(case)
        unchanged.run(100)  # the design point's shared values, from an unchanged model
        assert_same(unchanged, stepped(case, 100), f"unchanged {case[:3]}")
        fast = changed(case)
        fast.run(100)
        assert_same(fast, reference, f"changed {case[:3]}")


def test_traits_and_obligations_cannot_change_behind_the_caches_back(asia):
    model = DeterrenceModel(asia, "collective", rng=1, collect=False)
    for array in (model.states[0].stakes, model.states[0].red_lines, model.graph.weight,
                  model.graph.active):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0.5
    before = model.cache.traits_version, model.graph.version
    model.states[0].hedging = 0.5
    model.graph.set_weight(0, 1, 0.5)
    assert (model.cache.traits_version, model.graph.version) > before


def test_mesa_clock_after_run_is_mesas_own(asia):
    """After run(), Mesa's clock is as its event loop leaves it, and Mesa's API keeps working."""
    fast = DeterrenceModel(asia, "collective", rng=3, collect=False)
    fast.run(25)
    reference = DeterrenceModel(asia, "collective", rng=3, collect=False)
    reference.run_for(25)
    assert_same(fast, reference, "run_for")
    fast.step()
    fast.run_for(4)
    reference.run_for(5)
    assert_same(fast, reference, "after")
    assert fast.steps == 30 and fast.time == 30.0


class Audited(DeterrenceModel):
    """A model that records the steps at which an extra event fired."""

    def audit(self) -> None:
        self.audits.append(self.steps)


def test_run_with_other_events_scheduled_uses_mesas_loop(asia):
    """An event scheduled on Mesa's clock fires at its time inside run()."""
    model = Audited(asia, "collective", rng=3, collect=False)
    model.audits = []
    model.schedule_event(model.audit, at=10.5)
    model.schedule_recurring(model.audit, mesa.time.Schedule(interval=7.0, start=14.0))
    model.run(30)
    assert model.audits == [10, 14, 21, 28]
    reference = DeterrenceModel(asia, "collective", rng=3, collect=False)
    reference.run(30)
    left, right = snapshot(model), snapshot(reference)
    assert {k: v for k, v in left.items() if k != "clock"} == {
        k: v for k, v in right.items() if k != "clock"}


def test_numbers_drawn_in_batches_are_the_single_draws():
    """Draws.reserve: the same numbers as one draw per busy step, however the batches fall."""
    from model.draws import streams

    _, _, single = streams(42, 7, 3, 15)
    _, _, batched = streams(42, 7, 3, 15)
    batched.reserve(150)
    for _ in range(150):
        single.new_crisis_step()
        batched.new_crisis_step()
        for f in range(7):
            for h in range(3):
                assert (single.uniform("war", flashpoint=f, hop=h)
                        == batched.uniform("war", flashpoint=f, hop=h))
                assert (single.uniform("second_front", flashpoint=f, hop=h)
                        == batched.uniform("second_front", flashpoint=f, hop=h))
                for i in range(15):
                    assert (single.uniform("response", flashpoint=f, hop=h, state=i)
                            == batched.uniform("response", flashpoint=f, hop=h, state=i))


def test_the_reference_engine_gives_the_fast_engines_results(asia):
    fast = DeterrenceModel(asia, "collective", rng=11, collect=False)
    reference = DeterrenceModel(asia, "collective", rng=11, collect=False)
    assert fast.run(150) == reference.run(150, engine="reference")
    assert [c.describe() for c in fast.crisis_log] == [c.describe() for c in reference.crisis_log]
    with pytest.raises(ValueError, match="engine must be one of fast, reference"):
        fast.run(1, engine="turbo")


def test_a_sweep_with_the_reference_engine_stores_the_same_table(tmp_path):
    """``--engine`` changes how runs are stepped, never a stored value or a run's identity."""
    import subprocess
    import sys

    from tests.support.experiment_cases import TINY, write
    from tests.support.project import ROOT

    path = write(tmp_path, "tiny", TINY)
    tables = {}
    for engine in ("fast", "reference"):
        out = tmp_path / engine
        subprocess.run([sys.executable, "run.py", "sweep", str(path), "--workers", "1",
                        "--engine", engine, "--out", str(out), "--no-figures", "--no-progress"],
                       cwd=ROOT, check=True, capture_output=True)
        tables[engine] = (out / "tiny" / "runs.csv").read_text()
    assert tables["fast"] == tables["reference"]
    assert len(tables["fast"].splitlines()) == 25  # the header and 24 runs


def test_a_worker_runs_each_tasks_copy_of_a_scenario_as_the_one_it_holds(monkeypatch):
    """Every task brings its own copy of the scenario; a worker runs it as the equal scenario it
    already holds (so kept values serve every task), a changed scenario of the same name as itself,
    and the rows are those of the copies."""
    import pickle

    from experiments import evaluate
    from experiments.design import RunSpec
    from experiments.evaluate import _held, evaluate_batch

    monkeypatch.setattr(evaluate, "_SEEN", {})  # a fresh worker

    first, second = (pickle.loads(pickle.dumps(SCENARIOS["asia"])) for _ in range(2))
    assert _held({"asia": first})["asia"] is first
    assert _held({"asia": second})["asia"] is first
    changed = load("taiwan_invasion")
    assert _held({"asia": changed})["asia"] is changed
    specs = [RunSpec.make("e", "asia", structure, {}, k, seed, 80)
             for k, seed in enumerate((1, 2)) for structure in ("hub_and_spoke", "collective")]
    rows = [evaluate_batch(specs, False, {"asia": pickle.loads(pickle.dumps(SCENARIOS["asia"]))})
            for _ in range(2)]
    alone = [evaluate_batch([spec], False, {"asia": load("asia")})[0] for spec in specs]
    assert rows[0] == rows[1] == alone
