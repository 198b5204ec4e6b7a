"""Experiment files: read and validate a TOML experiment, and expand it into run specifications.

An experiment names its scenario(s), the alliance structures compared, a design over the model's
declared parameters (:mod:`model.parameters`), the number of replicates, the number of steps and a
master seed. :func:`load` reads one; :meth:`Experiment.runs` lists every run it asks for.

Designs (``[design] kind = ...``):

* ``single`` (the default when there is no ``[design]`` table): one design point;
* ``full_factorial``: every combination of the factors' levels;
* ``latin_hypercube``: ``samples`` points, one in each of ``samples`` equal strata of every factor,
  strata paired at random (McKay, Beckman & Conover 1979), drawn from a generator seeded by the
  master seed; ``factors = "uncertainties"`` samples every declared uncertainty over its declared
  range;
* ``points``: an explicit list of parameter tables, each optionally with a ``label`` naming it.

A history experiment (``history = true``, :mod:`experiments.history`) takes each scenario's structure,
obligation strength and span from its ``[history]`` table instead of ``structures`` and ``steps``
(which it must leave out, with ``obligation_mode``).

Design points are compared by the parameters they resolve to in each scenario (the declared defaults,
the scenario's ``[parameters]`` and ``[fixed]`` filled in): two that resolve alike are refused, as
is a label that names another point (:func:`experiments.formats.point_name`); a point at which a
power trend would run past its limit within the run is refused when a sweep starts, before any run
(:meth:`Experiment.check_trends`).

Paired design (common random numbers): replicate *k* uses the same seed under every structure,
scenario and design point, derived from the master seed with ``numpy.random.SeedSequence`` alone, so
the seeds do not depend on the number of workers or the order in which runs finish. Because the
model draws its crisis opportunities from their own stream, replicate *k* of two structures faces
the same crisis-opportunity stream.

Anything wrong in a file is refused with an :class:`ExperimentError` naming the file, the field and
the problem.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model.parameters import BY_NAME, MOST_STEPS, STRUCTURES, resolve
from scenarios import is_path
from scenarios.checking import Checker, did_you_mean, printable, read_toml

from . import grids
from . import history as historical
from .formats import point_name

SHIPPED = Path(__file__).resolve().parent
DEFAULT_SET = ("headline", "viability", "mechanisms", "history", "pathways", "divergence_hedging",
               "coupling_power", "topology_strength", "scenarios", "reliability_kinds", "exit_quorum",
               "threat", "swing_settings", "durations")
"""What ``python run.py sweep`` runs with no argument (about 40 minutes on two cores: 43,960 runs)."""
DESIGN_KINDS = ("single", "full_factorial", "latin_hypercube", "points")
_TOP_LEVEL = {"name", "description", "scenario", "scenarios", "structures", "replicates", "steps",
              "master_seed", "fixed", "design", "quick", "history"}
_DESIGN_KEYS = {"kind", "factors", "samples", "points"}
_QUICK_KEYS = {"replicates", "steps", "levels", "samples", "points"}
MOST = grids.MOST
"""Most replicates, steps, samples or design points an experiment may ask for (far beyond any sweep
this tool can finish; a larger number is a typo, refused before anything is expanded)."""
MOST_RUNS = 10_000_000
MOST_SEED = 2**63 - 1
"""The largest master seed (a TOML integer is at most this)."""


class ExperimentError(ValueError):
    """An experiment file that cannot be used; the message names the file, the field and the problem."""


@dataclass(frozen=True)
class RunSpec:
    """Everything needed to make one run, and nothing else.

    Attributes:
        run_id: stable identifier, a hash of the run's content (scenario, structure, parameters,
            replicate, seed, steps); the same run always gets the same id, whatever the order.
        experiment: the experiment's name.
        scenario: a shipped scenario's name or a scenario file's path.
        structure: ``none``, ``hub_and_spoke``, ``lattice`` or ``collective``.
        point: index of the design point (0 for a single-point design).
        replicate: replicate number k (0-based); same k = same seed under every structure.
        seed: the model's seed.
        steps: number of steps.
        parameters: model-parameter overrides (the experiment's fixed values and the point's).
    """

    run_id: str
    experiment: str
    scenario: str
    structure: str
    point: int
    replicate: int
    seed: int
    steps: int
    parameters: dict[str, Any] = field(hash=False)
    source: str = field(default="", hash=False, compare=False)
    """Where to load the scenario from when ``scenario`` is a path given relative to an experiment
    file (that file's folder joined to it); empty: ``scenario`` itself. Not part of the identity."""

    @classmethod
    def make(cls, experiment: str, scenario: str, structure: str, parameters: dict[str, Any],
             replicate: int, seed: int, steps: int, point: int = 0) -> RunSpec:
        """A spec whose ``run_id`` is computed from its content: the first 16 hex digits of the
        sha256 of ``json.dumps({"scenario", "structure", "parameters", "replicate", "seed",
        "steps"}, sort_keys=True)``."""
        return cls.replicates(experiment, scenario, structure, parameters, [seed], steps, point,
                              first=replicate)[0]

    @classmethod
    def replicates(cls, experiment: str, scenario: str, structure: str, parameters: dict[str, Any],
                   seeds: Sequence[int], steps: int, point: int = 0, first: int = 0,
                   source: str = "") -> list[RunSpec]:
        """The specs of replicates ``first``, ``first + 1``, ... (one per seed) of one design point
        and structure, with the ids :meth:`make` gives them. The point's parameters are written
        out once and shared, read-only, by the specs (a study holds hundreds of thousands)."""
        shared = dict(parameters)
        head = (f'{{"parameters": {json.dumps(shared, sort_keys=True)}, "replicate": ')
        tail = (f', "scenario": {json.dumps(scenario)}, "seed": ')
        end = f', "steps": {json.dumps(steps)}, "structure": {json.dumps(structure)}}}'
        specs = []
        for k, seed in enumerate(seeds, start=first):
            text = f"{head}{json.dumps(k)}{tail}{json.dumps(seed)}{end}"
            digest = hashlib.sha256(text.encode()).hexdigest()
            specs.append(cls(digest[:16], experiment, scenario, structure, point, k, seed, steps,
                             shared, source))
        return specs


class Runs(Sequence[RunSpec]):
    """An experiment's run specifications, made when they are read.

    A sequence (length, indexing, slicing, iteration in order) that holds only the design, so that
    an experiment of millions of runs costs memory for the runs being worked on, not for all of
    them (a :class:`RunSpec` takes about a kilobyte). Slices are lists.
    """

    CHUNK = 1000

    def __init__(self, experiment: str, blocks: list[tuple], seeds: list[int]):
        self.experiment = experiment
        self.blocks = blocks
        self.seeds = seeds

    def __len__(self) -> int:
        return len(self.blocks) * len(self.seeds)

    def _block(self, index: int, first: int, last: int) -> list[RunSpec]:
        scenario, structure, parameters, steps, point, source = self.blocks[index]
        return RunSpec.replicates(self.experiment, scenario, structure, parameters,
                                  self.seeds[first:last], steps, point, first, source)

    def __iter__(self) -> Iterator[RunSpec]:
        for index in range(len(self.blocks)):
            for first in range(0, len(self.seeds), self.CHUNK):
                yield from self._block(index, first, min(first + self.CHUNK, len(self.seeds)))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self[k] for k in range(*key.indices(len(self)))]
        if key < 0:
            key += len(self)
        if not 0 <= key < len(self):
            raise IndexError("run index out of range")
        block, replicate = divmod(key, len(self.seeds))
        return self._block(block, replicate, replicate + 1)[0]

    def scenarios(self) -> dict[str, str]:
        """Each scenario the runs name, with where it is loaded from."""
        return {block[0]: block[5] or block[0] for block in self.blocks}


def replicate_seeds(master_seed: int, replicates: int) -> list[int]:
    """Seed of each replicate: ``SeedSequence(master_seed).spawn(replicates)``, 63 bits each.

    Deterministic, independent of how many workers run the sweep and in what order.
    """
    children = np.random.SeedSequence(master_seed).spawn(replicates)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]


@dataclass(frozen=True)
class Experiment:
    """A validated experiment file.

    Attributes:
        name: the experiment's name (its results go to ``results/<name>/``).
        path: the file it was read from.
        text: the file's exact content (stored in the results manifest).
        scenarios: scenario names or paths compared.
        structures: structures compared.
        points: design points, each a dict of parameter overrides (fixed values included).
        factors: names of the parameters the design varies.
        kind: the design's kind.
        replicates, steps, master_seed: as in the file (after ``--quick``, if applied).
        quick: whether this is the small ``--quick`` version.
        description: free text.
        labels: words for each design point (a points design's ``label`` keys; may be empty).
        history: a history experiment (``history = true``): each scenario runs under the structure
            and obligation strength of its ``[history]`` table, for its historical span (``steps``
            is then the most a ``--quick`` run takes; :meth:`plan` gives what each scenario's runs
            take).
    """

    name: str
    path: Path
    text: str
    scenarios: tuple[str, ...]
    structures: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    factors: tuple[str, ...]
    kind: str
    replicates: int
    steps: int
    master_seed: int
    quick: bool = False
    description: str = ""
    labels: tuple[str, ...] = ()
    history: bool = False
    sources: tuple[str, ...] = ()
    """Where each of ``scenarios`` is loaded from: a path relative to the experiment file resolved
    against that file's folder, never the current folder (empty: as the scenarios say)."""

    def source(self, scenario: str) -> str:
        """Where the scenario ``scenario`` (as the file names it) is loaded from."""
        if self.sources:
            return self.sources[self.scenarios.index(scenario)]
        return scenario

    @property
    def sha256(self) -> str:
        """Hash of the file's content: a changed file is a different experiment."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def folder_name(self) -> str:
        """``<name>`` or ``<name>-quick``: the quick version never mixes with the full one."""
        return f"{self.name}-quick" if self.quick else self.name

    def plan(self, scenario: str) -> tuple[tuple[str, ...], int, dict[str, Any]]:
        """(structures, steps, parameters set for every point) of the runs in ``scenario``: the
        experiment's own, or, in a history experiment, what the scenario's history sets."""
        if self.history:
            return historical.runs_of(self.source(scenario), self.steps, self.quick)
        return self.structures, self.steps, {}

    def check_trends(self) -> None:
        """:class:`ExperimentError` naming the design point if, in a scenario that declares power
        trends, one would run past its limit within the run: the model's own check before a run's
        first step (:meth:`model.calendar.Calendar.check`), made for every point before a sweep's
        first run (on a model of structure ``none``: powers do not depend on the structure). Not
        made when the file is read, which must stay quick for a 2,000-point design."""
        from model import DeterrenceModel
        from scenarios import load as load_scenario

        for name in self.scenarios:
            scenario = load_scenario(self.source(name))
            if all(actor.growth is None for actor in (*scenario.states, *scenario.challengers)):
                continue
            _, steps, extra = self.plan(name)
            for k, point in enumerate(self.points):
                try:
                    DeterrenceModel(scenario, "none", rng=0, collect=False,
                                    **{**extra, **point}).calendar.check(steps)
                except ValueError as error:
                    where = f"design.points[{k}]" if self.kind == "points" else f"design point {k}"
                    raise ExperimentError(f"{self.path}: {where}: {error} (scenario {name}, {steps} "
                                          "steps)") from None

    def runs(self) -> Runs:
        """Every run: scenarios x design points x structures x replicates (replicate k, same seed),
        made as they are read (:class:`Runs`), never all held at once."""
        blocks = []
        for scenario in self.scenarios:
            structures, steps, extra = self.plan(scenario)
            source = self.source(scenario)
            for point_index, point in enumerate(self.points):
                for structure in structures:
                    blocks.append((scenario, structure, {**extra, **point}, steps, point_index,
                                   "" if source == scenario else source))
        return Runs(self.name, blocks, replicate_seeds(self.master_seed, self.replicates))

    def summary(self) -> dict[str, Any]:
        """What the analysis needs to know about the design (stored in the manifest). ``steps``:
        how many steps each run takes; in a history experiment, by scenario (each its own span)."""
        from scenarios import load as load_scenario

        steps = ({name: self.plan(name)[1] for name in self.scenarios} if self.history
                 else self.steps)
        return {"kind": self.kind, "factors": list(self.factors), "scenarios": list(self.scenarios),
                "scenario_names": {name: load_scenario(self.source(name)).name
                                   for name in self.scenarios},
                "structures": list(self.structures), "points": len(self.points),
                "replicates": self.replicates, "steps": steps, "quick": self.quick,
                "factor_info": {name: {"kind": BY_NAME[name].kind, "unit": BY_NAME[name].unit,
                                       "meaning": BY_NAME[name].meaning} for name in self.factors},
                "description": self.description, "labels": list(self.labels),
                "history": self.history,
                "observed": ({name: historical.observed(self.source(name)) for name in self.scenarios}
                             if self.history else {})}


def available() -> list[str]:
    """Names of the shipped experiments."""
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def find(name_or_path: str | Path) -> Path:
    """The file an experiment name or path refers to: a path if it ends in ``.toml`` or holds a path
    separator (:func:`scenarios.is_path`, the scenarios' rule), else a shipped experiment's name --
    which a file of that name in the current folder never hides."""
    value = str(name_or_path)
    if is_path(value):
        if not Path(value).is_file():
            raise ExperimentError(f"{printable(value)}: no such experiment file")
        return Path(value)
    if value not in available():
        raise ExperimentError(
            f"unknown experiment '{printable(value)}': give a shipped name "
            f"({', '.join(available())}) or the path of a .toml file"
        )
    return SHIPPED / f"{value}.toml"


def load(name_or_path: str | Path, quick: bool = False) -> Experiment:
    """Read and validate an experiment; ``quick`` applies its ``[quick]`` table.

    Raises :class:`ExperimentError` (file, field, problem) on anything wrong, including parameter
    names and values that :mod:`model.parameters` refuses and scenarios that cannot be loaded.
    """
    path = find(name_or_path)
    raw, text = read_toml(path, ExperimentError)
    return parse(raw, text, path, quick)


def parse(raw: dict[str, Any], text: str, path: Path, quick: bool = False) -> Experiment:
    """An experiment from a parsed document (``text`` is its exact content, ``path`` names it)."""
    return _Reader(str(path), ExperimentError).experiment(raw, path, text, quick)


class _Reader(Checker):
    """The shared TOML checks (:class:`scenarios.checking.Checker`), plus an experiment's own."""

    history = False
    """Whether the experiment being read is a history experiment (set before its parameters are
    read: a history sets some of them itself, :data:`experiments.history.SETS`)."""

    def declared(self, name: str, where: str) -> Any:
        """The declaration of the model parameter ``name`` (``structure`` is not one here, nor, in a
        history experiment, what each scenario's history sets)."""
        if self.history and (name == "structure" or name in historical.SETS):
            self.fail(where, f"a history experiment takes each scenario's '{name}' from its "
                             f"[history] table; leave '{name}' out")
        if name == "structure":
            self.fail(where, "'structure' is the lever every experiment compares: list it in "
                             "'structures', not as a parameter")
        if name not in BY_NAME:
            self.fail(where, f"unknown parameter '{name}'{did_you_mean(name, BY_NAME)} "
                             "('python run.py parameters' lists them)")
        return BY_NAME[name]

    def value(self, name: str, value: Any, where: str) -> Any:
        """``value`` checked and converted for the model parameter ``name``."""
        self.declared(name, where)
        return self.parameter(name, value, where)

    def experiment(self, raw: dict[str, Any], path: Path, text: str, quick: bool) -> Experiment:
        self.unknown(raw, _TOP_LEVEL)
        name = raw.get("name", path.stem)
        if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_" for c in name):
            self.fail("name", f"expected letters, digits, '-' or '_', got {name!r}")
        replicates = self.integer(self.require(raw, "replicates"), "replicates", 1, MOST)
        history = self.history = self.boolean(raw.get("history", False), "history")
        if history:
            historical.left_out(self, raw)
        steps = 1 if history else self.integer(self.require(raw, "steps"), "steps", 1, MOST_STEPS)
        master_seed = self.integer(self.require(raw, "master_seed"), "master_seed", 0, MOST_SEED)
        scenarios = self.scenarios(raw)
        sources = tuple(self.scenario_source(path, name) for name in scenarios)
        if history:
            structures = historical.structures(self, sources)
        else:
            structures = self.structures(raw.get("structures"))
        fixed = {}
        for key, value in self.table(raw.get("fixed", {}), "fixed").items():
            fixed[key] = self.value(key, value, f"fixed.{key}")
        quick_table = self.table(raw.get("quick", {}), "quick")
        self.unknown(quick_table, _QUICK_KEYS, "quick")
        kind, factors, points, labels = self.design(raw.get("design"), master_seed,
                                                    quick_table if quick else {})
        quick_replicates = self.integer(quick_table.get("replicates", min(replicates, 3)),
                                        "quick.replicates", 1, MOST)
        quick_steps = self.integer(quick_table.get("steps", 50 if history else min(steps, 50)),
                                   "quick.steps", 1, MOST_STEPS)
        if "levels" in quick_table:
            self.integer(quick_table["levels"], "quick.levels", 1, MOST)
        if quick:
            replicates, steps = quick_replicates, quick_steps
        overlap = sorted(set(fixed) & set(factors))
        if overlap:
            self.fail(f"fixed.{overlap[0]}", "is also a factor of the design; give it in one place")
        merged = tuple({**fixed, **point} for point in points)
        total = len(scenarios) * len(merged) * len(structures) * replicates
        if total > MOST_RUNS:
            self.fail("replicates", f"{total:,} runs in all (scenarios x points x structures x "
                                    f"replicates), more than {MOST_RUNS:,}; split the experiment")
        self.kind = kind
        experiment = Experiment(name, path, text, scenarios, structures, merged, factors, kind,
                                replicates, steps, master_seed, quick,
                                str(raw.get("description", "")).strip(), labels, history,
                                sources if sources != scenarios else ())
        self.check_points(experiment)
        return experiment

    def scenario_source(self, path: Path, scenario: str) -> str:
        """Where the scenario ``scenario`` (as the file names it) is loaded from: a relative path
        against the experiment file's folder, made absolute, so the file means the same from any
        folder (and its results verify from any folder, as the manifest records that folder)."""
        from scenarios import find, is_path

        if Path(scenario).is_absolute() or not is_path(scenario):
            return scenario
        beside = path.resolve().parent / scenario
        if not beside.exists() and Path(scenario).exists():
            where = "scenario" if "scenario" in self.raw else "scenarios"
            self.fail(where, f"'{scenario}' is read relative to the experiment file's folder "
                             f"({path.parent}), where there is no such file; give the path from "
                             "there")
        try:
            find(beside)
        except ValueError as error:
            self.fail("scenario" if "scenario" in self.raw else "scenarios", str(error))
        return str(beside)

    def scenarios(self, raw: dict[str, Any]) -> tuple[str, ...]:
        self.raw = raw
        if ("scenario" in raw) == ("scenarios" in raw):
            self.fail("scenario", "give exactly one of 'scenario = \"asia\"' or 'scenarios = [...]'")
        where = "scenario" if "scenario" in raw else "scenarios"
        value = raw[where]
        names = [value] if where == "scenario" else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.fail(where, f"expected a scenario name or a non-empty list of names, got {value!r}")
        if len(set(names)) != len(names):
            self.fail(where, "lists a scenario twice")
        for name in names:
            if not name.strip() or any(not c.isprintable() for c in name):
                self.fail(where, f"a scenario name or path must be printable text, got {name!r}")
        return tuple(names)

    def structures(self, value: Any) -> tuple[str, ...]:
        if value is None:
            self.fail("structures", f"missing (required): a list from {', '.join(STRUCTURES)}")
        if not isinstance(value, list) or not value:
            self.fail("structures", f"expected a non-empty list, got {value!r}")
        for item in value:
            if item not in STRUCTURES:
                self.fail("structures", f"{item!r} is not one of {', '.join(STRUCTURES)}")
        if len(set(value)) != len(value):
            self.fail("structures", "lists a structure twice")
        return tuple(value)

    def design(self, design: Any, master_seed: int, quick: dict[str, Any]
               ) -> tuple[str, tuple[str, ...], list[dict[str, Any]], tuple[str, ...]]:
        if design is None:
            return "single", (), [{}], ()
        design = self.table(design, "design")
        self.unknown(design, _DESIGN_KEYS, "design")
        kind = design.get("kind")
        if kind not in DESIGN_KINDS:
            self.fail("design.kind", f"expected one of {', '.join(DESIGN_KINDS)}, got {kind!r}")
        if kind == "single":
            return kind, (), [{}], ()
        if kind == "points":
            return self.points_design(design, quick)
        factors = design.get("factors")
        if factors == "uncertainties" and kind == "latin_hypercube":
            from model.parameters import uncertainties

            factors = {parameter.name: {} for parameter in uncertainties()}
        elif factors is not None:
            factors = self.table(factors, "design.factors")
        if not factors:
            self.fail("design.factors", f"a {kind} design needs at least one factor")
        if kind == "full_factorial":
            levels = {name: grids.levels(self, name, spec, quick.get("levels"))
                      for name, spec in factors.items()}
            names = tuple(levels)
            combinations = math.prod(len(values) for values in levels.values())
            if combinations > MOST:
                self.fail("design.factors", f"{combinations:,} combinations of levels, more than {MOST:,}")
            points = [dict(zip(names, combo, strict=True))
                      for combo in itertools.product(*levels.values())]
            return kind, names, points, ()
        samples = self.integer(design.get("samples"), "design.samples", 1, MOST)
        if quick.get("samples") is not None:
            samples = min(samples, self.integer(quick["samples"], "quick.samples", 1, MOST))
        return kind, tuple(factors), grids.latin_hypercube(self, factors, samples, master_seed), ()

    def points_design(self, design: dict[str, Any], quick: dict[str, Any]
                      ) -> tuple[str, tuple[str, ...], list[dict[str, Any]], tuple[str, ...]]:
        """A list of parameter tables; each may carry a ``label`` that names it in figures."""
        raw_points = design.get("points")
        if not isinstance(raw_points, list) or not raw_points:
            self.fail("design.points", "a points design needs a non-empty list of parameter tables")
        points, labels = [], []
        for k, point in enumerate(raw_points):
            point = dict(self.table(point, f"design.points[{k}]"))
            label = point.pop("label", "")
            labels.append(self.name(label, f"design.points[{k}].label") if label else "")
            if label and labels.index(label) < k:
                self.fail(f"design.points[{k}].label", f"{label!r} already names "
                                                       f"design.points[{labels.index(label)}]; "
                                                       "give each point its own label")
            points.append({name: self.value(name, value, f"design.points[{k}].{name}")
                           for name, value in point.items()})
        if quick.get("points") is not None:
            count = self.integer(quick["points"], "quick.points", 1, MOST)
            points, labels = points[:count], labels[:count]
        names: list[str] = []
        for point in points:
            names.extend(n for n in point if n not in names)
        return "points", tuple(names), points, tuple(labels) if any(labels) else ()

    def point(self, k: int) -> str:
        """How a message names design point ``k``: its table in a points design."""
        return f"design.points[{k}]" if self.kind == "points" else f"design point {k}"

    def check_points(self, experiment: Experiment) -> None:
        """What the experiment's runs would meet, refused before any of them starts. In every
        scenario: every point must resolve (catches cross-parameter constraints), no two points may
        resolve to the same parameters (their runs would be the same runs, counted twice), no label
        may be the name an unlabelled point is given (:func:`experiments.formats.point_name`); every
        structure compared that needs a hub must find one (a history experiment's structures are
        each scenario's own). The power trends are checked when a sweep starts
        (:meth:`Experiment.check_trends`)."""
        from model.structure import STRUCTURES as DECLARED
        from scenarios import ScenarioError
        from scenarios import load as load_scenario

        many = len(experiment.scenarios) > 1
        for name in experiment.scenarios:
            source = experiment.source(name)
            try:
                scenario = load_scenario(source)
            except ScenarioError as error:
                self.fail("scenario" if not many else "scenarios", str(error))
            structures, _, extra = experiment.plan(name)
            if not experiment.history:
                for structure in structures:
                    if DECLARED[structure].needs_hub and scenario.hub is None:
                        where = "" if scenario.source == name else f" ({scenario.source})"
                        self.fail("structures", f"'{structure}' needs a hub, and scenario "
                                                f"'{name}'{where} names none: add hub = \"NAME\" "
                                                f"to that file, or drop '{structure}' from "
                                                "structures")
            in_scenario = f" in scenario {name}" if many else ""
            seen: dict[tuple, int] = {}
            names: dict[str, int] = {}
            for k, point in enumerate(experiment.points):
                try:
                    resolved = resolve(scenario, {**extra, **point})
                except ValueError as error:
                    self.fail(self.point(k), f"{error} (scenario {name})")
                key = tuple(sorted(resolved.items()))
                if key in seen:
                    j = seen[key]
                    self.fail(self.point(k), f"gives the same parameters as {self.point(j)}"
                                             f"{self.named(experiment, j, k)}{in_scenario} once "
                                             "the defaults, the scenario's [parameters] and "
                                             "[fixed] are filled in "
                                             f"({_written(experiment.points[j])} and "
                                             f"{_written(point)}): their runs would be the same "
                                             "runs, counted twice; remove one or make them differ")
                seen[key] = k
                if experiment.labels and not experiment.labels[k]:
                    names.setdefault(point_name(resolved, experiment.factors), k)
            for k, label in enumerate(experiment.labels):
                if label in names:
                    self.fail(f"design.points[{k}].label",
                              f"{label!r} already names design.points[{names[label]}], which has "
                              f"no label of its own{in_scenario} (an unlabelled point is named by "
                              "what it sets); give a different label")

    def named(self, experiment: Experiment, j: int, k: int) -> str:
        """`` ('a' and 'b')``: the labels of points ``j`` and ``k``, if both have one."""
        labels = experiment.labels
        return f" ('{labels[j]}' and '{labels[k]}')" if labels and labels[j] and labels[k] else ""


def _written(point: dict[str, Any]) -> str:
    """A design point's parameters as the experiment gives them (its ``[fixed]`` values included)."""
    return json.dumps(point, sort_keys=True)
