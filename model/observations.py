"""What the model observes, per step and per run (docs/ODD.md, Observation).

The model adds events to two :class:`Tally` objects, one for the current step and one for the whole
run; per-step series come from the step tally (through Mesa's ``DataCollector``), run-level metrics
from the run tally by :func:`run_metrics`. The two are kept consistent by construction and checked
against each other in the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .structure import KINDS as EDGE_KINDS

if TYPE_CHECKING:
    from .model import DeterrenceModel
    from .peacetime import Peace

SEVERITIES = ("probe", "limited", "major")
KINDS: tuple[str, ...] = tuple(kind.label for kind in EDGE_KINDS)

MetricKind = Literal["count", "share", "rate", "flag", "size", "step", "names", "timeline"]
TEXT_KINDS = ("names", "timeline")
"""Kinds of metric stored as text: lists of names, and timelines."""


@dataclass(frozen=True)
class Metric:
    """One run-level outcome, declared once (in the manner of EMA Workbench's ``ScalarOutcome``).

    Attributes:
        name: the key in :func:`run_metrics` and the column in ``runs.csv``.
        label: words for figures and tables.
        unit: its unit ("count per run", "share of opportunities", ...).
        kind: ``count`` (events per run), ``rate`` (a ratio of counts, undefined when the
            denominator is 0), ``flag`` (0/1 per run; its mean over runs is a share of runs, with a
            Wilson interval), ``size`` (a magnitude: value, share of power, number of states),
            ``step`` (a step number, undefined when it never happened), ``names`` (state names,
            separated by ``;``), ``timeline`` (``step:value`` at every change, separated by ``;``).
        section: the heading it is listed under by ``python run.py run``.
        better: ``"higher"``, ``"lower"`` or ``None`` (neither: a description, not a verdict).
        counted: whether it is an event count the model tallies step by step (its run value is
            the sum of its per-step series); otherwise :func:`run_metrics` computes it.
    """

    name: str
    label: str
    unit: str
    kind: MetricKind
    section: str
    better: str | None = None
    counted: bool = False

    def axis_label(self) -> str:
        """"deterrence rate (share of opportunities left alone)"."""
        return f"{self.label} ({self.unit})"


def _counts(names_labels: list[tuple[str, str]], section: str, better: str | None = None,
            unit: str = "count per run", counted: bool = True) -> list[Metric]:
    return [Metric(name, label, unit, "count", section, better, counted)
            for name, label in names_labels]


METRICS: tuple[Metric, ...] = (
    Metric("steps", "steps", "steps", "size", "Run"),
    Metric("years", "years", "years (steps × the scenario's years per step)", "size", "Run"),
    *_counts([("opportunities", "crisis opportunities"),
              ("deterred", "opportunities left alone")], "Deterrence"),
    *_counts([("aggressions", "aggressions")], "Deterrence", "lower", counted=False),
    *_counts([("aggressions_probe", "grey-zone probes"),
              ("aggressions_limited", "limited strikes"),
              ("aggressions_major", "major attacks")], "Deterrence", "lower"),
    Metric("deterrence_rate", "deterrence rate", "share of opportunities left alone", "rate",
           "Deterrence", "higher"),
    Metric("deterrence_rate_limited", "deterrence of limited strikes or worse",
           "share of opportunities", "rate", "Deterrence", "higher"),
    Metric("deterrence_rate_major", "deterrence of major attacks", "share of opportunities", "rate",
           "Deterrence", "higher"),
    *_counts([("wars", "wars")], "War", "lower"),
    *_counts([("second_fronts", "opportunities opened by a neighbouring war"),
              ("escalations", "second fronts opened by choice")], "War"),
    Metric("mean_war_states", "mean war size", "states per war", "size", "War"),
    Metric("mean_war_power_share", "mean war size", "share of total power", "size", "War", "lower"),
    Metric("largest_war_states", "largest war", "states", "size", "War"),
    Metric("largest_war_power_share", "largest war", "share of total power", "size", "War",
           "lower"),
    Metric("mean_war_length", "mean length of the wars that ended", "steps", "size", "War"),
    Metric("longest_war", "longest war (one still under way at the end counts its steps so far)",
           "steps", "size", "War"),
    Metric("wars_under_way", "wars still under way at the end", "count per run", "count", "War"),
    *_counts([("war_joins", "states that joined a war under way"),
              ("war_exits", "states that left a war under way")], "War"),
    *_counts([("great_power_wars", "great-power wars")], "War", "lower"),
    *_counts([("sq_losses", "status-quo losses")], "Status quo", "lower"),
    Metric("sq_loss_value", "status-quo loss", "flashpoint value lost per run", "size",
           "Status quo", "lower", counted=True),
    *_counts([("flashpoints_lost_major", "losses of a flashpoint to a major attack")],
             "Status quo", "lower"),
    *_counts([("invoked", "commitments invoked"), ("honoured", "commitments honoured")],
             "Commitments", counted=False),
    *_counts([("defected", "commitments defected")], "Commitments", "lower", counted=False),
    Metric("reliability", "reliability", "honoured / invoked commitments", "rate", "Commitments",
           "higher"),
    *_counts([("honoured_full", "commitments honoured with full force")], "Commitments",
             counted=False),
    Metric("reliability_full", "reliability, full force", "honoured with full force / invoked",
           "rate", "Commitments", "higher"),
    *_counts([("token_contributions", "token contributions to a defence")], "Commitments"),
    *[metric for kind in KINDS for metric in (
        Metric(f"invoked_{kind}", f"{kind} commitments invoked", "count per run", "count",
               "Commitments", counted=True),
        Metric(f"honoured_{kind}", f"{kind} commitments honoured", "count per run", "count",
               "Commitments", counted=True),
        Metric(f"honoured_full_{kind}", f"{kind} commitments honoured with full force",
               "count per run", "count", "Commitments", counted=True),
        Metric(f"reliability_{kind}", f"reliability of {kind} commitments",
               "honoured / invoked", "rate", "Commitments", "higher"),
    )],
    *_counts([("abandonments", "abandonments"), ("entrapments", "entrapments"),
              ("hub_entrapments", "hub entrapments"), ("provocations", "protégé provocations"),
              ("buck_passes", "buck-passing (obliged, stayed out while others fought)")],
             "Commitments", "lower"),
    Metric("formed", "structure formed", "share of runs", "flag", "Structure", "higher"),
    Metric("coverage_initial", "coverage at formation", "share of prospective members bound",
           "size", "Structure", "higher"),
    Metric("coverage_final", "coverage at the end", "share of prospective members bound", "size",
           "Structure", "higher"),
    Metric("coverage_mean", "coverage over the run", "share of prospective members bound, mean "
           "over steps", "size", "Structure", "higher"),
    Metric("time_to_formation", "time to formation", "steps", "step", "Structure"),
    Metric("coverage_changes", "coverage over the run", "step:coverage at each change", "timeline",
           "Structure"),
    Metric("acceded_states", "states that joined after formation", "names", "names", "Structure"),
    Metric("joined_later", "each accession (a state) or tie formed (its parties) after formation, "
           "with its step", "step:name", "timeline", "Structure"),
    Metric("ties_formed", "ties at formation", "names", "names", "Structure"),
    Metric("bound_at_formation", "prospective members bound at formation", "names", "names",
           "Structure"),
    *_counts([("accessions", "accessions and ties formed after formation")], "Structure"),
    Metric("joined", "prospective members that joined", "states", "size", "Structure", "higher"),
    Metric("declined", "prospective members that declined a tie", "states", "size", "Structure",
           "lower"),
    Metric("declined_states", "who declined", "names", "names", "Structure"),
    Metric("fought_states", "who fought in a war", "names", "names", "War"),
    Metric("exited_states", "members that left or lost every tie", "names", "names", "Structure"),
    Metric("exit_steps", "when each of them left (the step its last tie ended)", "step:name",
           "timeline", "Structure"),
    Metric("first_major_attack", "first major attack", "steps", "step", "Status quo"),
    Metric("lost_flashpoints", "flashpoints lost to a major attack", "names", "names",
           "Status quo"),
    Metric("exits", "exits", "members leaving per run", "count", "Structure", "lower", True),
    Metric("founders", "founding members", "states", "size", "Structure"),
    Metric("members_final", "members at the end", "states", "size", "Structure", "higher"),
    Metric("dissolved", "structure dissolved", "share of runs", "flag", "Structure", "lower"),
    Metric("time_to_dissolution", "time to dissolution", "steps", "step", "Structure", "higher"),
    Metric("ties", "ties at formation", "ties", "size", "Structure"),
    Metric("ties_ended", "ties ended by a party", "count per run", "count", "Structure", "lower",
           True),
    *[metric for kind in KINDS for metric in (
        Metric(f"ties_{kind}", f"{kind} ties at formation", "ties", "size", "Structure"),
        Metric(f"ties_ended_{kind}", f"{kind} ties ended", "count per run", "count", "Structure",
               "lower"),
        Metric(f"tie_duration_{kind}", f"duration of {kind} ties", "steps (censored at the run's end)",
               "size", "Structure", "higher"),
    )],
    *_counts([("joint_actions", "joint actions of minilateral partners")], "Structure", "higher"),
    Metric("peacetime_grievance", "peacetime grievance (autonomy and wedge)",
           "grievance per run", "size", "Structure", "lower", True),
    Metric("wedge_targets", "wedge pressure applied", "challenger-steps per run", "count",
           "Structure", None, True),
    Metric("no_great_power_war", "no great-power war", "share of runs", "flag", "Stability",
           "higher"),
    Metric("no_major_loss", "no flashpoint lost to a major attack", "share of runs", "flag",
           "Stability", "higher"),
    Metric("sq_loss_below_threshold", "status-quo loss below threshold", "share of runs", "flag",
           "Stability", "higher"),
    Metric("intact", "structure intact", "share of runs", "flag", "Stability", "higher"),
    Metric("stable", "stable", "share of runs", "flag", "Stability", "higher"),
    Metric("no_exit", "no exit and no tie ended", "share of runs", "flag", "Stability", "higher"),
    Metric("commitments_kept", "invoked commitments honoured", "share of runs", "flag",
           "Stability", "higher"),
    Metric("cohesive", "cohesive", "share of runs", "flag", "Stability", "higher"),
    Metric("stable_cohesive", "stable and cohesive", "share of runs", "flag", "Stability", "higher"),
)
"""Every run-level metric, in the order :func:`run_metrics` returns them and ``runs.csv`` stores
them; a test checks that :func:`run_metrics` returns exactly these names."""
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
RUN_METRICS: tuple[str, ...] = tuple(m.name for m in METRICS)
"""Names of the run-level metrics, in declaration order."""
FLAGS: frozenset[str] = frozenset(m.name for m in METRICS if m.kind == "flag")
"""Run-level 0/1 flags: their mean over runs is a share of runs."""


COUNTERS: tuple[str, ...] = (
    *(m.name for m in METRICS if m.counted),
    "war_states",
    "war_power_share",
)
"""Additive event counts the model tallies per step: every counted metric, and the sums over wars
of their states and power shares (for the mean war size)."""
_COUNTERS = frozenset(COUNTERS)


class Tally:
    """Counts of events, one attribute per name in :data:`COUNTERS`, plus the largest war.

    Every count starts at 0 (a class attribute, so that a new tally costs nothing: a model makes one
    per step); an instance holds only the counts that changed (``vars(tally)``).
    """

    FIELDS: tuple[str, ...] = (*COUNTERS, "largest_war_power_share", "largest_war_states")

    def add_war(self, states: int, power_share: float) -> None:
        self.wars += 1
        self.war_states += states
        self.war_power_share += power_share
        if power_share > self.largest_war_power_share:
            self.largest_war_power_share = power_share
        if states > self.largest_war_states:
            self.largest_war_states = states


for _name in Tally.FIELDS:
    setattr(Tally, _name, 0)


def merge(run: Tally, step: Tally) -> None:
    """Add one step's counts to the run's, and keep the run's largest war."""
    totals = vars(run)  # a count not yet in the run's own dict is the class default, 0
    for name, value in vars(step).items():
        if value and name in _COUNTERS:
            totals[name] = totals.get(name, 0) + value
    if step.largest_war_power_share > run.largest_war_power_share:
        run.largest_war_power_share = step.largest_war_power_share
    if step.largest_war_states > run.largest_war_states:
        run.largest_war_states = step.largest_war_states


def observe(model: DeterrenceModel) -> None:
    """**Observation**: the step's counts join the run's; with ``collect``, Mesa's ``DataCollector``
    records the per-step series."""
    merge(model.tally, model.step_tally)
    if model.collect:
        model.datacollector.collect(model)


def observe_quiet(model: DeterrenceModel, peace: Peace | None, steps: int, started: bool) -> None:
    """:func:`observe` over ``steps`` quiet steps at once (never collecting): a quiet step counts only
    its peacetime grievance and wedge (``peace``, the peacetime plan); ``started``: the first of them
    is the current step, whose own counts join the run's first."""
    quiet = Tally()
    if peace is not None:
        quiet.peacetime_grievance += peace.total
        quiet.wedge_targets += peace.wedge_targets
    if started:
        step = model.step_tally
        if peace is not None:
            step.peacetime_grievance += peace.total
            step.wedge_targets += peace.wedge_targets
        merge(model.tally, step)
        steps -= 1
        if not steps:
            return
    run = model.tally
    if quiet.peacetime_grievance:
        total = run.peacetime_grievance
        for _ in range(steps):
            total += quiet.peacetime_grievance
        run.peacetime_grievance = total
    if quiet.wedge_targets:
        run.wedge_targets += quiet.wedge_targets * steps
    model.step_tally = quiet
    model.crises = []


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


STEP_SERIES: tuple[str, ...] = (
    *COUNTERS,
    "largest_war_power_share",
    "active_members",
    "coverage",
    "dissolved",
    "mean_grievance",
    "members",
    "year",
    "challenger_power_share",
    "scheduled",
    "wars_under_way",
)
"""Columns of the per-step series (the ``DataCollector``'s model reporters): ``year`` is the step's
calendar year (its year of the run, from 0, if the scenario names no start year);
``challenger_power_share`` the challengers' share of all power, as the power trends move it;
``scheduled`` the scheduled events that took effect at the step, in words (:mod:`model.calendar`;
the first step's row also holds the start year's, which take effect as the model is built);
``wars_under_way`` the wars still being fought after the step (:mod:`model.war`)."""


def step_reporters() -> dict[str, object]:
    """Mesa ``DataCollector`` model reporters for every per-step series."""
    reporters: dict[str, object] = {
        name: (lambda m, name=name: getattr(m.step_tally, name))
        for name in (*COUNTERS, "largest_war_power_share")
    }
    reporters["active_members"] = lambda m: m.graph.active_members()
    reporters["coverage"] = lambda m: m.membership.coverage
    reporters["dissolved"] = lambda m: int(m.graph.dissolved)
    reporters["mean_grievance"] = lambda m: (
        sum(s.grievance for s in m.states) / len(m.states)
    )
    reporters["members"] = lambda m: ";".join(
        m.states[i].name for i in m.graph.founders if m.graph.active[i])
    reporters["year"] = lambda m: m.calendar.calendar_year(m.steps) or m.calendar.year_of(m.steps)
    reporters["challenger_power_share"] = lambda m: (
        sum(c.power for c in m.challengers) / m.total_power)
    reporters["wars_under_way"] = lambda m: len(m.wars)
    reporters["scheduled"] = lambda m: " · ".join(
        event.detail for event in m.events
        if event.kind == "scheduled" and (event.step == m.steps or (m.steps == 1 and event.step == 0)))
    return reporters


RUN_REPORTER_PREFIX = "run_"
"""The prefix of the run-level metrics among the ``DataCollector``'s model reporters
(``run_stable_cohesive``): a per-step series may have the same name as a run-level metric
(``wars`` in a step, ``wars`` in the run)."""


def run_reporters() -> dict[str, object]:
    """Mesa ``DataCollector`` model reporters for every run-level metric, named
    ``run_<metric>``: the run's value up to the step collected, so that the row of a run's last
    step -- what ``mesa.batch_run`` returns by default (``data_collection_period=-1``) -- holds
    the run-level outcomes, ``run_stable_cohesive`` among them. :func:`run_metrics` is computed
    once per collected step and only read: the run is the same with these reporters or without."""
    latest: dict[str, object] = {"step": None, "values": {}}

    def value(model: DeterrenceModel, name: str) -> object:
        if latest["step"] != model.steps:
            latest["step"], latest["values"] = model.steps, run_metrics(model)
        return latest["values"][name]

    return {f"{RUN_REPORTER_PREFIX}{name}": (lambda m, name=name: value(m, name))
            for name in RUN_METRICS}


@dataclass(frozen=True)
class Stability:
    """One definition of a stable run: the flag it sets and the flags it is the conjunction of.

    Attributes:
        name: the run-level flag (a metric).
        label: words for figures and tables.
        parts: the flags that must all be 1.
        meaning: what it asks of a run, with its source.
    """

    name: str
    label: str
    parts: tuple[str, ...]
    meaning: str


STABILITY: tuple[Stability, ...] = (
    Stability("stable", "order", ("no_great_power_war", "no_major_loss", "sq_loss_below_threshold",
                                  "intact"),
              "order: no great-power war, no flashpoint lost to a major attack, "
              "cumulative status-quo loss below the threshold, and no dissolution (Deutsch & Singer "
              "1964: the system keeps its essential characteristics); a structure that never formed "
              "did not dissolve -- its region's order is judged as it is"),
    Stability("cohesive", "cohesion", ("formed", "no_exit", "intact", "commitments_kept"),
              "the alliance holds together: it formed, no member left and no tie ended, it did not "
              "dissolve, and at least cohesion_reliability of its invoked commitments were honoured "
              "(H2's mechanisms: exits, hollow commitments; Snyder 1984); undefined without a "
              "structure"),
    Stability("stable_cohesive", "order and cohesion", ("stable", "cohesive"),
              "both: the region keeps its order and the alliance holds together -- the headline "
              "definition, because the propositions are about both (H1 about order, H2 and H5 about "
              "cohesion)"),
)
"""The declared definitions of stability; every experiment reports the verdict under each."""
HEADLINE_STABILITY = "stable_cohesive"
"""The definition the README's headline uses (see :data:`STABILITY` for why)."""


def sections() -> dict[str, list[str]]:
    """Metric names grouped by :attr:`Metric.section`, in declaration order."""
    grouped: dict[str, list[str]] = {}
    for metric in METRICS:
        grouped.setdefault(metric.section, []).append(metric.name)
    return grouped


def _names(model: DeterrenceModel) -> dict[str, str]:
    """Who fought, who left and what was lost, as names in scenario order (for comparing runs with
    history: who fought in the war that happened, who left the pact)."""
    fought = {name for crisis in model.crisis_log for name in (*crisis.fought, *crisis.joined)}
    lost = {crisis.flashpoint for crisis in model.crisis_log
            if crisis.severity == 2 and crisis.challenger_won}
    graph = model.graph
    ever = {i for tie in graph.ties for i in (tie.a, tie.b)}
    exited = [i for i in graph.founders if i in ever and not graph.active[i]]
    return {
        "fought_states": ";".join(s.name for s in model.states if s.name in fought),
        "exited_states": ";".join(model.states[i].name for i in exited),
        "exit_steps": ";".join(
            f"{max(t.end for t in graph.ties if i in (t.a, t.b) and t.end is not None)}:"
            f"{model.states[i].name}" for i in exited),
        "lost_flashpoints": ";".join(f.name for f in model.flashpoints if f.name in lost),
    }


def _tie_metrics(model: DeterrenceModel) -> dict[str, float]:
    ties = model.graph.ties
    out: dict[str, float] = {"ties": len(ties)}
    for kind in EDGE_KINDS:
        mine = [t for t in ties if t.kind == kind]
        out[f"ties_{kind.label}"] = len(mine)
        out[f"ties_ended_{kind.label}"] = sum(
            t.end is not None and t.end != model.dissolved_at for t in mine)
        out[f"tie_duration_{kind.label}"] = (
            sum(t.duration(model.steps) for t in mine) / len(mine) if mine else math.nan)
    return out


@dataclass
class Membership:
    """Coverage over a run: the one yardstick of formation for every structure (docs/ODD.md,
    Observation).

    A prospective member is *in* when some defence obligation of the structure binds it, or binds
    another to it; *coverage* is the share of the prospective members that are in. A structure has
    *formed* when at least ``needed`` = max(2, ⌈quorum × prospective⌉) of them are in, and has
    *dissolved* when, having formed, it falls below that again.

    Attributes:
        prospective: how many prospective members.
        needed: how many must be in for the structure to count as formed.
        coverage: the coverage now.
        initial: the coverage after formation (before the first step).
        initial_members: the prospective members bound after formation.
        formed_at: the first step at which it counted as formed (0: at formation), or ``None``.
        fell_at: the first step, after forming, at which it no longer did, or ``None``.
        timeline: ``(step, coverage)`` at every change, for the mean over the run.
    """

    prospective: int
    needed: int
    coverage: float
    initial: float
    initial_members: frozenset[int] = frozenset()
    formed_at: int | None = None
    fell_at: int | None = None
    timeline: list[tuple[int, float]] = field(default_factory=list)
    version: int = -1

    @classmethod
    def of(cls, model: DeterrenceModel) -> Membership:
        """The membership of a model just formed."""
        prospective = len(model.prospective)
        needed = max(2, math.ceil(model.params["quorum"] * prospective - 1e-9))
        coverage = covered(model)
        bound = model.graph.bound()
        record = cls(prospective, needed, coverage, coverage,
                     frozenset(i for i in model.prospective if bound[i]), timeline=[(0, coverage)],
                     version=model.graph.version)
        if prospective and coverage * prospective >= needed - 1e-9:
            record.formed_at = 0
        return record

    def update(self, model: DeterrenceModel) -> None:
        """After a review or an exit: the coverage now (computed again only if the graph moved)."""
        if model.graph.version == self.version:
            return
        self.version = model.graph.version
        coverage = covered(model)
        if coverage == self.coverage:
            return
        self.coverage = coverage
        self.timeline.append((model.steps, coverage))
        enough = coverage * self.prospective >= self.needed - 1e-9
        if enough and self.formed_at is None:
            self.formed_at = model.steps
        elif not enough and self.formed_at is not None and self.fell_at is None:
            self.fell_at = model.steps

    def mean(self, steps: int) -> float:
        """The coverage averaged over the steps run (the formation's before the first step)."""
        if steps <= 0:
            return self.initial
        total = 0.0
        for (start, value), (end, _) in zip(self.timeline, [*self.timeline[1:], (steps, 0.0)],
                                            strict=True):
            total += value * (min(end, steps) - start)
        return total / steps


def covered(model: DeterrenceModel) -> float:
    """The share of the prospective members that some obligation binds, or binds another to."""
    if not model.prospective:
        return math.nan
    bound = model.graph.bound()
    return sum(bool(bound[i]) for i in model.prospective) / len(model.prospective)


def _membership_metrics(model: DeterrenceModel) -> dict[str, float | str]:
    """The one yardstick's run-level metrics: coverage at formation, at the end and on average,
    when the structure formed, which ties formed and who was bound at formation, every change of
    coverage, and who acceded later."""
    names = [s.name for s in model.states]
    membership = model.membership
    initial = {names[i] for i in membership.initial_members}
    later = dict.fromkeys(n for e in model.events if e.kind in ("acceded", "tie formed")
                          for n in e.states)
    return {
        "coverage_initial": membership.initial,
        "coverage_final": membership.coverage,
        "coverage_mean": membership.mean(model.steps),
        "time_to_formation": (membership.formed_at if membership.formed_at is not None
                              else math.nan),
        "ties_formed": ";".join(f"{names[tie.a]}–{names[tie.b]}" for tie in model.graph.ties
                                if tie.start == 0),
        "bound_at_formation": ";".join(names[i] for i in model.prospective
                                       if i in membership.initial_members),
        "coverage_changes": ";".join(f"{step}:{value:.6g}" for step, value in membership.timeline),
        "acceded_states": ";".join(name for name in later if name not in initial),
        "joined_later": ";".join(f"{e.step}:{'–'.join(e.states)}" for e in model.events
                                 if e.step > 0 and e.kind in ("acceded", "tie formed")),
    }


def _war_lengths(model: DeterrenceModel) -> dict[str, float]:
    """How long the wars lasted, in steps (a war decided in its first step -- every war with
    ``war_duration = "decisive"`` -- lasted one)."""
    if model.params["war_duration"] == "decisive":
        ended = [1] * model.tally.wars
    else:
        ended = model.war_lengths
    lengths = [*ended, *(war.steps for war in model.wars)]
    return {"mean_war_length": sum(ended) / len(ended) if ended else math.nan,
            "longest_war": max(lengths, default=0), "wars_under_way": len(model.wars)}


def run_metrics(model: DeterrenceModel) -> dict[str, float]:
    """Run-level metrics of docs/ODD.md (Observation), including the ``stable`` flag and its parts.

    The ``stable`` flag (after Deutsch & Singer 1964: the system keeps its essential
    characteristics) requires: no great-power war (the hub and a great-power challenger fighting
    each other at major severity), no state lost a flashpoint to a major attack, cumulative
    status-quo loss below ``sq_loss_threshold``, and, where there is a structure, no dissolution.
    A war's scale is measured by power and severity, never by the number of participants, so that
    a structure is not penalised for making more allies keep their word.
    """
    # Over 60 lines by design: one entry per run-level metric of METRICS, in one literal, so that a
    # metric's definition is found by its name in one place.
    t = model.tally
    opportunities = t.opportunities
    aggressions = t.aggressions_probe + t.aggressions_limited + t.aggressions_major
    invoked = t.invoked_bilateral + t.invoked_minilateral + t.invoked_collective
    honoured = t.honoured_bilateral + t.honoured_minilateral + t.honoured_collective
    honoured_full = (t.honoured_full_bilateral + t.honoured_full_minilateral
                     + t.honoured_full_collective)
    has_structure = bool(model.prospective)
    no_gp_war = t.great_power_wars == 0
    no_major_loss = t.flashpoints_lost_major == 0
    sq_below = t.sq_loss_value < model.params["sq_loss_threshold"]
    membership = model.membership
    coverage = model.params["yardstick"] == "coverage"
    if coverage:
        formed = membership.formed_at == 0
        dissolved = membership.fell_at is not None
        dissolved_at = membership.fell_at
    else:
        formed, dissolved, dissolved_at = model.formed, model.graph.dissolved, model.dissolved_at
    intact = not (has_structure and dissolved)
    reliability = _ratio(honoured, invoked)
    values: dict[str, float] = {
        "steps": model.steps,
        "years": model.steps * model.years_per_step,
        "aggressions": aggressions,
        "deterrence_rate": _ratio(t.deterred, opportunities),
        "deterrence_rate_limited": _ratio(
            opportunities - t.aggressions_limited - t.aggressions_major, opportunities
        ),
        "deterrence_rate_major": _ratio(opportunities - t.aggressions_major, opportunities),
        "mean_war_states": _ratio(t.war_states, t.wars),
        "mean_war_power_share": _ratio(t.war_power_share, t.wars),
        "largest_war_states": t.largest_war_states,
        "largest_war_power_share": t.largest_war_power_share,
        **_war_lengths(model),
        "invoked": invoked,
        "honoured": honoured,
        "defected": invoked - honoured,
        "reliability": reliability,
        "honoured_full": honoured_full,
        "reliability_full": _ratio(honoured_full, invoked),
        "formed": int(formed),
        **_membership_metrics(model),
        "first_major_attack": next((c.step for c in model.crisis_log if c.severity == 2), math.nan),
        "joined": len(model.joined),
        "declined": len(model.declined),
        "declined_states": ";".join(model.declined),
        **_names(model),
        "founders": len(model.graph.founders),
        "members_final": model.graph.active_members(),
        "dissolved": int(dissolved),
        "time_to_dissolution": dissolved_at if dissolved_at is not None else math.nan,
        "no_great_power_war": int(no_gp_war),
        "no_major_loss": int(no_major_loss),
        "sq_loss_below_threshold": int(sq_below),
        "intact": int(intact),
        "stable": int(no_gp_war and no_major_loss and sq_below and intact),
        **_tie_metrics(model),
    }
    if has_structure:
        values["no_exit"] = int(t.exits == 0 and t.ties_ended == 0)
        values["commitments_kept"] = int(
            invoked == 0 or reliability >= model.params["cohesion_reliability"])
        for definition in STABILITY[1:]:
            values[definition.name] = int(all(values[part] for part in definition.parts))
    else:
        for name in ("no_exit", "commitments_kept", "cohesive", "stable_cohesive"):
            values[name] = math.nan
    for kind in KINDS:
        values[f"reliability_{kind}"] = _ratio(getattr(t, f"honoured_{kind}"),
                                               getattr(t, f"invoked_{kind}"))
    return {m.name: getattr(t, m.name) if m.counted else values[m.name] for m in METRICS}

