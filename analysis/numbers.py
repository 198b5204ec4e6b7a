"""The numbers the README, the documentation and the HTML report show, as tables made from stored
summaries only.

Every number here is read from a table that the figure set (:mod:`analysis.figure_set`) or a
sensitivity study stored, and only formatted: nothing is computed. A :class:`Number` keeps the text
it was read from and where (file, row, column), so that the HTML report can say where each number
comes from and a test can check it; the documents' generated blocks (:mod:`analysis.readme`) are
the same tables in Markdown, made by the same functions from the published copy of the tables in
``docs/figures/data``.

Two places hold the tables (:class:`Source`):

* a results root (``results/``): ``<folder>/figures/<table>`` of each experiment's folder
  (``<name>-quick`` with ``quick``);
* the published copy (``docs/figures/``): ``data/<experiment>/<table>``, written by
  ``python run.py figures --publish docs/figures`` (:mod:`analysis.publish`).

Each block (:data:`BLOCKS`) names its experiment, the tables it reads and the command that makes
them; when they are missing it says so and names the command, rather than failing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from experiments.formats import FIGURES, SENSITIVITY, read_manifest
from model.structure import COMPARED

from . import labels
from .results import PROVENANCE

DATA = "data"
"""The published tables' folder inside the published figures' folder."""
SENSITIVITY_DEFAULT = "sensitivity-sobol-n128"
"""The sensitivity study the report prefers (``python run.py sensitivity``'s default)."""
STABILITY = ("stable_cohesive", "stable", "cohesive")
"""The declared stability definitions (the headline first), as stored columns."""


@dataclass(frozen=True)
class Number:
    """A number read from a stored table: its text there, the file (relative to the source's root),
    its row (0-based, data rows) and column, and how it is shown."""

    text: str
    source: str
    row: int
    column: str
    style: str = ".3f"

    @property
    def value(self) -> float:
        return float(self.text) if self.text not in ("", "nan") else math.nan

    def display(self) -> str:
        """The number as shown: ``.3f``, ``+.3f``, ``.2f``, ``.0%`` ... (a format spec), or ``int``."""
        value = self.value
        if math.isnan(value):
            return "–"
        if self.style == "int":
            return f"{int(round(value))}"
        return format(value, self.style).replace("-", "−")


Part = str | Number
Cell = tuple[Part, ...]


@dataclass
class Block:
    """One table of numbers with its words.

    Attributes:
        name: the block's name (the documents' marker ``<!-- results: NAME -->``).
        title: a heading.
        available: whether its tables were found; if not, ``missing`` says what makes them.
        intro: a sentence before the table (parts: words and numbers).
        header: the table's column headings.
        rows: the table's rows, each a list of cells (each a tuple of parts).
        notes: sentences after the table.
        provenance: the stored provenance line of the experiment (verbatim), and where it is stored.
    """

    name: str
    title: str
    available: bool = True
    missing: str = ""
    intro: list[Part] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[list[Part]] = field(default_factory=list)
    provenance: str = ""
    provenance_source: str = ""


class Table:
    """A stored CSV table read as text, so that each number keeps the text it was stored with."""

    def __init__(self, frame: pd.DataFrame, source: str):
        self.frame = frame
        self.source = source

    def number(self, row: int, column: str, style: str = ".3f") -> Number:
        return Number(str(self.frame.at[row, column]), self.source, int(row), column, style)

    def rows(self, **where: str) -> pd.DataFrame:
        frame = self.frame
        for column, value in where.items():
            frame = frame[frame[column] == str(value)]
        return frame


class Source:
    """Where the stored tables are read: a results root, or the published copy of the tables."""

    def __init__(self, root: str | Path, published: bool = False, quick: bool = False):
        self.root = Path(root)
        self.published = published
        self.quick = quick and not published

    def folder(self, experiment: str) -> str:
        """The folder of ``experiment`` relative to the root."""
        if self.published:
            return f"{DATA}/{experiment}"
        if experiment == "sensitivity":
            return self.sensitivity_folder()
        name = f"{experiment}-quick" if self.quick else experiment
        return f"{name}/{FIGURES}"

    def sensitivity_folder(self) -> str:
        """The sensitivity study to show: the default study (``-quick``: any quick study), else the
        first study found."""
        studies = sorted(p.name for p in self.root.iterdir() if p.is_dir() and _is_study(p)) \
            if self.root.is_dir() else []
        studies = [s for s in studies if s.endswith("-quick") == self.quick]
        preferred = [s for s in studies if s.startswith("sensitivity-sobol")]
        chosen = SENSITIVITY_DEFAULT if SENSITIVITY_DEFAULT in studies else (preferred or studies or
                                                                             [SENSITIVITY_DEFAULT])[0]
        return f"{chosen}/{FIGURES}"

    def path(self, experiment: str, name: str) -> Path:
        return self.root / self.folder(experiment) / name

    def relative(self, experiment: str, name: str) -> str:
        return f"{self.folder(experiment)}/{name}"

    def table(self, experiment: str, name: str) -> Table | None:
        path = self.path(experiment, name)
        if not path.is_file():
            return None
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return Table(frame, self.relative(experiment, name))

    def provenance(self, experiment: str) -> dict | None:
        path = self.path(experiment, PROVENANCE)
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def command(self, experiment: str) -> str:
        """What makes ``experiment``'s tables."""
        quick = " --quick" if self.quick else ""
        if experiment == "performance":
            return "`python benchmarks/run.py --publish docs/figures`"
        if experiment == "sensitivity":
            run = f"python run.py sensitivity{quick}"
        elif experiment.startswith("regime"):
            run = f"python run.py discover{quick}"
        else:
            run = f"python run.py sweep {experiment}{quick}"
        if self.published:
            return f"`{run}`, then `python run.py figures --publish docs/figures`"
        return f"`{run}`"

    def missing(self, experiment: str) -> str:
        what = "not published yet" if self.published else "not run yet"
        return f"{what}: run {self.command(experiment)}."


def _is_study(folder: Path) -> bool:
    try:
        manifest = read_manifest(folder)
    except ValueError:
        return False
    return bool(manifest) and manifest.get("kind") == SENSITIVITY


def _start(source: Source, name: str, title: str, experiment: str, tables: list[str]
           ) -> tuple[Block, list[Table]]:
    """A block with its provenance; ``available`` is false if a table is missing."""
    block = Block(name, title)
    found = [source.table(experiment, t) for t in tables]
    provenance = source.provenance(experiment)
    if provenance is None or any(t is None for t in found):
        block.available = False
        block.missing = source.missing(experiment)
        return block, []
    block.provenance = str(provenance.get("line", ""))
    block.provenance_source = source.relative(experiment, PROVENANCE)
    return block, found


def _estimate(table: Table, row: int, signed: bool = False) -> Cell:
    """``mean [low, high]``."""
    style = "+.3f" if signed else ".3f"
    return (table.number(row, "mean", style), " [", table.number(row, "low", style), ", ",
            table.number(row, "high", style), "]")


STRUCTURE_METRICS = ("stable_cohesive", "stable", "cohesive", "formed", "deterrence_rate", "wars")


def structures_block(source: Source, name: str, experiment: str, title: str) -> Block:
    """Every structure of a single-point experiment: each stability definition, formation,
    deterrence and wars (mean, 95 % interval), and the paired difference against hub-and-spoke."""
    block, found = _start(source, name, title, experiment, ["summary.csv", "paired_differences.csv"])
    if not block.available:
        return block
    means, deltas = found
    metrics = [m for m in STRUCTURE_METRICS if m in set(means.frame["metric"])]
    block.intro = ["Share of runs (stability, formation), share of opportunities left alone "
                   "(deterrence) and wars per run: mean [95 % interval] per structure; the Δ rows are "
                   "the paired differences against hub-and-spoke, matched on the replicate's seed "
                   "(mean [95 % t interval])."]
    block.header = ["structure", *(labels.metric_label(m, False) for m in metrics)]
    structures = list(dict.fromkeys(means.frame["structure"]))
    for structure in structures:
        row: list[Cell] = [(labels.structure_label(structure),)]
        for metric in metrics:
            part = means.rows(structure=structure, metric=metric)
            row.append(_estimate(means, part.index[0]) if len(part) else ("–",))
        block.rows.append(row)
    for structure in dict.fromkeys(deltas.frame["structure"]):
        row = [(f"Δ {labels.structure_label(structure)} − hub-and-spoke",)]
        for metric in metrics:
            part = deltas.rows(structure=structure, metric=metric)
            row.append(_estimate(deltas, part.index[0], signed=True) if len(part) else ("–",))
        block.rows.append(row)
    return block


VERDICT_WORDS = {"hub_and_spoke more": "hub-and-spoke is ahead",
                 "collective more": "the collective pact is ahead",
                 "no clear difference": "the two cannot be told apart"}
"""The stored verdict of a paired difference (``stability.csv``), in words."""


def verdict(source: Source) -> Block:
    """The headline in words: on the headline definition (stable and cohesive), which structure the
    headline experiment finds ahead, by how much, how often each formed, and the verdict over the
    runs in which both formed."""
    block, found = _start(source, "verdict", "The verdict", "headline",
                          ["stability.csv", "summary.csv"])
    if not block.available:
        return block
    stability, summary = found
    rows = {runs: stability.rows(runs=runs) for runs in ("all runs", "both formed")}
    rows = {runs: part[part["definition"].str.endswith(f"({STABILITY[0]})")] for runs, part in rows.items()}
    if any(part.empty for part in rows.values()):
        block.available = False
        block.missing = source.missing("headline")
        return block
    every, both = (part.index[0] for part in rows.values())
    formed = {s: summary.rows(structure=s, metric="formed").index[0]
              for s in ("collective", "hub_and_spoke")}
    frame = stability.frame

    def words(row: int) -> str:
        return VERDICT_WORDS.get(frame.at[row, "verdict"], frame.at[row, "verdict"])

    def delta(row: int) -> list[Part]:
        return [stability.number(row, "delta", "+.2f"), " [", stability.number(row, "low", "+.2f"),
                ", ", stability.number(row, "high", "+.2f"), "]"]

    block.intro = [
        f"On the headline definition (stable and cohesive: the region kept its order, and the "
        f"alliance formed and held together), in the calibrated "
        f"{frame.at[every, 'scenario']} scenario with states free to join, {words(every)}: stable "
        f"and cohesive in ", stability.number(every, "hub_and_spoke", ".2f"),
        " of runs under hub-and-spoke against ", stability.number(every, "collective", ".2f"),
        " under a collective pact, a paired difference collective − hub-and-spoke of ", *delta(every),
        " (95 % interval). The collective pact forms in ",
        summary.number(formed["collective"], "mean", ".2f"), " of runs, hub-and-spoke in ",
        summary.number(formed["hub_and_spoke"], "mean", ".2f"),
        f"; over the runs in which both formed, {words(both)} (Δ ", *delta(both), ")."]
    return block


def headline(source: Source) -> Block:
    return structures_block(source, "headline", "headline",
                            "The headline: every structure on asia")


def pathways(source: Source) -> Block:
    return structures_block(source, "pathways", "pathways",
                            "Pathways: hub-and-spoke, lattice, deepening lattice, a collective pact")


def threat(source: Source) -> Block:
    """Does a pact form later, and who joins, after a major attack (the threat experiment)."""
    block, found = _start(source, "threat", "Threat: who joins after a major attack", "threat",
                          ["accessions.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    after = next(c for c in frame.columns if c.startswith("coverage ") and c.endswith(" steps after"))
    block.intro = ["Over the runs with a major attack, pooled over the design's points: the mean "
                   "coverage (the share of prospective members bound) just before the first major "
                   f"attack, {after.split()[1]} steps after it and at the end of the run; the share "
                   "of runs in which coverage rose after it; and the states (or ties) that joined at "
                   "or after it, with the share of runs in which each did (the four most frequent)."]
    block.header = ["scenario", "structure", "runs with a major attack", "coverage before",
                    "after", "at the end", "coverage rose", "joined at or after the attack"]
    for (scenario, structure), part in frame.groupby(["scenario", "structure"], sort=False):
        first = part.index[0]
        joined: list[Part] = []
        for k, row in enumerate(part.index[1:5]):
            joined += ([", "] if k else []) + [f"{frame.at[row, 'joined at or after the attack']} ",
                                               table.number(row, "share of runs", ".2f")]
        block.rows.append([(scenario,), (labels.structure_label(structure),),
                           (table.number(first, "runs with a major attack", "int"),),
                           (table.number(first, "coverage just before", ".2f"),),
                           (table.number(first, after, ".2f"),),
                           (table.number(first, "coverage at the end", ".2f"),),
                           (table.number(first, "share of runs", ".2f"),),
                           tuple(joined) if joined else ("none",)])
    return block


def durations(source: Source) -> Block:
    """How long ties last (the durations experiment): the hazard of a tie ending per tie-year, by
    kind of tie, per scenario and power trend."""
    block, found = _start(source, "durations", "How long ties last", "durations", ["tie_hazard.csv"])
    if not block.available:
        return block
    (table,) = found
    block.intro = ["Ties a party ended per tie-year at risk, pooled over the runs, with the exact "
                   "95 % Poisson interval, by kind of tie: hub–spoke ties are asymmetric, "
                   "spoke–spoke (minilateral) ties symmetric."]
    block.header = ["scenario", "power trends", "tie", "ties", "ended", "tie-years",
                    "hazard per tie-year [95 % interval]"]
    for row in table.frame.index:
        block.rows.append([(table.frame.at[row, "scenario"],), (table.frame.at[row, "variant"],),
                           (table.frame.at[row, "tie"],), (table.number(row, "ties", "int"),),
                           (table.number(row, "ended", "int"),),
                           (table.number(row, "tie_years", ",.0f"),),
                           (table.number(row, "hazard", ".5f"), " [",
                            table.number(row, "hazard_low", ".5f"), ", ",
                            table.number(row, "hazard_high", ".5f"), "]")])
    return block


def history(source: Source) -> Block:
    """The history experiment's outcomes beside what happened, per scenario and variant."""
    block, found = _start(source, "history", "The model beside history", "history", ["history.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    variants = list(dict.fromkeys(frame["variant"]))
    block.intro = ["Share of runs in which each outcome happened (years: the median over the runs "
                   "that dissolved), per way of forming the alliance, beside what happened."]
    block.header = ["scenario", "outcome", *variants, "what happened"]
    for (scenario, outcome), part in frame.groupby(["scenario", "outcome"], sort=False):
        row: list[Cell] = [(f"{scenario} ({part['span'].iloc[0]})",), (outcome,)]
        for variant in variants:
            cell = part[part["variant"] == variant]
            if cell.empty:
                row.append(("–",))
                continue
            style = ".1f" if cell["unit"].iloc[0] == "years" else ".2f"
            row.append((table.number(cell.index[0], "model", style),))
        row.append((part["history"].iloc[0],))
        block.rows.append(row)
    return block


def viability(source: Source) -> Block:
    """Per structure, over the divergence × hedging grid: how often it forms, and how stable it is."""
    block, found = _start(source, "viability", "Viability: does the structure form?", "viability",
                          ["formation_summary.csv"])
    if not block.available:
        return block
    (table,) = found
    block.intro = ["Over every cell of red-line divergence × mean hedging: the share of runs in which "
                   "the structure formed (mean [", table.number(0, "level", ".0%"), " Wilson "
                   "interval]), its lowest and highest share in a cell, the cells where it formed in "
                   "at least half the runs, and its share stable and cohesive over all runs and over "
                   "the runs in which it formed."]
    block.header = ["structure", "formed", "formed, by cell (lowest–highest)",
                    "cells where it formed in most runs", "stable and cohesive, all runs",
                    "stable and cohesive, runs that formed"]
    for k in table.frame.index:
        name = table.frame.at[k, "structure"]

        def estimate(prefix: str, k: int = k) -> Cell:
            return (table.number(k, prefix), " [", table.number(k, f"{prefix}_low"), ", ",
                    table.number(k, f"{prefix}_high"), "]")

        block.rows.append([
            (labels.structure_label(name),), estimate("formed"),
            (table.number(k, "formed_cell_min", ".2f"), "–", table.number(k, "formed_cell_max", ".2f")),
            (table.number(k, "cells_formed_majority", "int"), " of ", table.number(k, "cells", "int")),
            estimate("stable_cohesive_all"), estimate("stable_cohesive_formed")])
    return block


def scenarios(source: Source) -> Block:
    """Per scenario (H3-H5 and asia): collective against hub-and-spoke under each stability
    definition, over all runs and over the runs in which both structures formed."""
    block, found = _start(source, "scenarios", "The scenarios: collective against hub-and-spoke",
                          "scenarios", ["stability.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    definitions = list(dict.fromkeys(frame["definition"]))
    block.intro = ["Share of runs stable under each definition: collective against hub-and-spoke and "
                   "the paired difference Δ collective − hub-and-spoke [95 % interval] with its "
                   "verdict, over all runs and over the runs in which both structures formed "
                   "(a difference there is conditional on formation: not paired, Wilson intervals)."]
    block.header = ["scenario", "runs", *definitions]
    for (scenario, runs), part in frame.groupby(["scenario", "runs"], sort=False):
        row: list[Cell] = [(scenario,), (runs, " (", table.number(part.index[0], f"n {COMPARED[1]}",
                                                                  "int"), ")")]
        for definition in definitions:
            cell = part[part["definition"] == definition]
            if cell.empty:
                row.append(("–",))
                continue
            k = cell.index[0]
            row.append((table.number(k, COMPARED[1], ".2f"), " vs ",
                        table.number(k, COMPARED[0], ".2f"), ": Δ ",
                        table.number(k, "delta", "+.2f"), " [", table.number(k, "low", "+.2f"),
                        ", ", table.number(k, "high", "+.2f"), "], ", frame.at[k, "verdict"]))
        block.rows.append(row)
    return block


MECHANISM_METRICS = ("stable_cohesive", "stable", "cohesive", "deterrence_rate")


def _at(part: pd.DataFrame, structure: str, metric: str) -> int | None:
    """The row of ``structure`` and ``metric`` in a variants table (or its part), if there is one."""
    rows = part[(part["structure"] == structure) & (part["metric"] == metric)]
    return rows.index[0] if len(rows) else None


def mechanisms(source: Source) -> Block:
    """Each membership and cost mechanism switched off in turn: how often each structure forms and the
    paired difference collective − hub-and-spoke under each stability definition and in deterrence."""
    return _variants(source, "mechanisms", "Each mechanism switched off in turn")


TIME_VARIANTS = ("every mechanism on (the defaults)", "every war decided in one step (0.3.0)",
                 "power trends off (powers stand still)")
"""The ``mechanisms`` experiment's variants that switch off, one at a time, the mechanisms of time
(wars that last, power trends), beside the defaults; asia schedules no events (the history table
shows what they change)."""
TIME_METRICS = ("stable_cohesive", "wars", "mean_war_length", "flashpoints_lost_major")


def time(source: Source) -> Block:
    """What wars that last and power trends change in asia: per structure, with each of them on (the
    defaults) and switched off on its own, stability, wars, how long they last and flashpoints lost."""
    block, found = _start(source, "time", "What wars that last and power trends change",
                          "mechanisms", ["variants.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    block.intro = ["In asia, with every mechanism on (the defaults) and with wars that last or "
                   "power trends switched off on its own (the mechanisms experiment, paired on "
                   "seeds): the share of runs stable and cohesive, wars per run, the mean length of "
                   "the wars that ended (steps of a quarter year) and flashpoints lost to a major "
                   "attack per run, mean [95 % interval]."]
    block.header = ["variant", "structure",
                    *(labels.metric_label(m, False) for m in TIME_METRICS)]
    for variant in TIME_VARIANTS:
        part = frame[frame["variant"] == variant]
        if part.empty:
            block.available = False
            block.missing = source.missing("mechanisms")
            return block
        for structure in COMPARED[::-1]:
            row: list[Cell] = [(variant,), (labels.structure_label(structure),)]
            for metric in TIME_METRICS:
                k = _at(part, structure, metric)
                row.append(_estimate(table, k) if k is not None else ("–",))
            block.rows.append(row)
    return block


def swing_settings(source: Source) -> Block:
    """The settings that can swing the verdict, each moved on its own: as :func:`mechanisms`."""
    return _variants(source, "swing_settings", "The settings that can swing the verdict")


def _variants(source: Source, experiment: str, title: str) -> Block:
    """Per labelled point of ``experiment`` (its ``variants.csv``): how often each structure forms
    and the paired difference collective − hub-and-spoke in each stability definition and in
    deterrence."""
    block, found = _start(source, experiment, title, experiment, ["variants.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    delta = next((s for s in dict.fromkeys(frame["structure"]) if s.startswith("Δ collective")), "")
    block.intro = ["Per variant of asia: the share of runs in which the collective pact and "
                   "hub-and-spoke formed (mean), and the paired difference Δ collective − "
                   "hub-and-spoke [95 % interval] in each stability definition (share of runs) and "
                   "in deterrence (share of opportunities left alone)."]
    block.header = ["variant", "formed: collective, hub-and-spoke",
                    *(f"Δ {labels.metric_label(m, False)}" for m in MECHANISM_METRICS)]
    for variant, part in frame.groupby("variant", sort=False):
        formed: list[Part] = []
        for structure in (COMPARED[1], COMPARED[0]):
            k = _at(part, structure, "formed")
            formed += [", "] if formed else []
            formed.append(table.number(k, "mean", ".2f") if k is not None else "–")
        row: list[Cell] = [(variant,), tuple(formed)]
        for metric in MECHANISM_METRICS:
            k = _at(part, delta, metric)
            row.append(_estimate(table, k, signed=True) if k is not None else ("–",))
        block.rows.append(row)
    return block


TARGET_WORDS = {
    "collective_less_stable": "collective less stable than hub-and-spoke",
    "collective_more_stable": "collective more stable than hub-and-spoke",
    "collective_not_formed": "the collective pact does not form",
}


def regime_block(source: Source, name: str, experiment: str, title: str) -> Block:
    """Each target's cases of interest and the boxes PRIM found: coverage, density, mass and the
    restricted parameters with their ranges."""
    block, found = _start(source, name, title, experiment, ["discovery.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    block.intro = ["Per target, the design points that are cases of interest, and each box PRIM found "
                   "with its coverage (share of the cases inside it), density (share of its points "
                   "that are cases), mass (share of all points) and restricted parameters (box range; "
                   "every other parameter keeps its sampled range)."]
    block.header = ["where", "cases (of points)", "box", "coverage", "density", "mass",
                    "restricted parameters"]
    for target, part in frame.groupby("target", sort=False):
        first = part.index[0]
        words = TARGET_WORDS.get(target, target.replace("_", " "))
        cases: Cell = (table.number(first, "cases", "int"), " of ", table.number(first, "points", "int"))
        if part["box"].iloc[0] in ("0", ""):
            block.rows.append([(words,), cases, ("none",), ("–",), ("–",), ("–",),
                               ("no box reaches density ", table.number(first, "threshold", "g"),)])
            continue
        for box, rows in part.groupby("box", sort=False):
            k = rows.index[0]
            limits: list[Part] = []
            for j in rows.index:
                parameter = rows.at[j, "parameter"]
                if not parameter:
                    continue
                if limits:
                    limits.append("; ")
                limits += [f"{parameter} ", table.number(j, "low", ".3g"), "–",
                           table.number(j, "high", ".3g")]
            block.rows.append([(words,), cases, (box,), (table.number(k, "coverage", ".2f"),),
                               (table.number(k, "density", ".2f"),), (table.number(k, "mass", ".2f"),),
                               tuple(limits) or ("none (the whole sampled space)",)])
    return block


def regime(source: Source) -> Block:
    return regime_block(source, "regime", "regime",
                        "The regime map: where the verdict flips (states free to join)")


def regime_imposed(source: Source) -> Block:
    return regime_block(source, "regime_imposed", "regime_imposed",
                        "The regime map with every structure imposed")


SENSITIVITY_TOP = 5


def sensitivity(source: Source) -> Block:
    """Per outcome: the replicate-noise share and the uncertainties with the largest total index."""
    block, found = _start(source, "sensitivity", "Sensitivity indices", "sensitivity",
                          ["sensitivity_summary.csv", "indices.csv"])
    if not block.available:
        return block
    summary, indices = found
    method = summary.frame["method"].iloc[0] if len(summary.frame) else "sobol"
    index = "ST" if method == "sobol" else "mu_star"
    words = "ST, total Sobol' index" if method == "sobol" else "μ*, Morris mean absolute effect"
    block.intro = [f"Per outcome: the share of its variance that is replicate noise, and the "
                   f"uncertainties with the largest {words} (± its 95 % bootstrap interval's half-width; an "
                   f"index smaller than its half-width cannot be told from zero)."]
    block.header = ["outcome", "replicate noise", "largest indices"]
    from sensitivity.outcomes import outcome_label

    for k in summary.frame.index:
        outcome = summary.frame.at[k, "outcome"]
        part = indices.rows(outcome=outcome, index=index)
        values = pd.to_numeric(part["value"], errors="coerce").dropna().sort_values(ascending=False)
        top: list[Part] = []
        for j in values.index[:SENSITIVITY_TOP]:
            if top:
                top.append(", ")
            top += [f"{part.at[j, 'parameter']} ", indices.number(j, "value", ".2f"), " ± ",
                    indices.number(j, "conf", ".2f")]
        block.rows.append([(outcome_label(outcome),), (summary.number(k, "noise_share_mean", ".0%"),),
                           tuple(top) or ("did not vary",)])
    return block


PERFORMANCE_RUNS = 4
"""Benchmark runs shown: the latest."""


def performance(source: Source) -> Block:
    """The latest recorded benchmark runs (``python benchmarks/run.py --publish docs/figures``): one
    column per run, one row per benchmark, with its target."""
    block, found = _start(source, "performance", "Benchmarks", "performance", ["benchmarks.csv"])
    if not block.available:
        return block
    (table,) = found
    frame = table.frame
    runs = list(dict.fromkeys(frame["run"]))[-PERFORMANCE_RUNS:]
    firsts = [frame.index[frame["run"] == run][0] for run in runs]
    machines = list(dict.fromkeys(
        f"{frame.at[k, 'machine']}, Python {frame.at[k, 'python']}, Mesa {frame.at[k, 'mesa']}"
        for k in firsts))
    block.intro = [f"Each column is one full run of `python benchmarks/run.py` at the commit named "
                   f"(date, and the 1-minute load average from other work when it started), on "
                   f"{'; '.join(machines)}."]
    block.header = ["benchmark", *(f"{frame.at[k, 'commit']} ({frame.at[k, 'date']}, load "
                                   f"{frame.at[k, 'load_1min']})" for k in firsts), "target"]
    latest = frame[frame["run"] == runs[-1]]
    for k in latest.index:
        name = frame.at[k, "benchmark"]
        row: list[Cell] = [(frame.at[k, "label"],)]
        for run in runs:
            cell = table.rows(run=run, benchmark=name)
            row.append((table.number(cell.index[0], "value", f".{cell.at[cell.index[0], 'digits']}f"),)
                       if len(cell) else ("–",))
        row.append((frame.at[k, "target"],))
        block.rows.append(row)
    return block


BLOCKS: dict[str, Callable[[Source], Block]] = {
    "verdict": verdict,
    "headline": headline,
    "viability": viability,
    "history": history,
    "pathways": pathways,
    "durations": durations,
    "threat": threat,
    "scenarios": scenarios,
    "mechanisms": mechanisms,
    "time": time,
    "swing_settings": swing_settings,
    "regime": regime,
    "regime_imposed": regime_imposed,
    "sensitivity": sensitivity,
    "performance": performance,
}
"""Every block, by name (the markers of the generated documents use these names)."""

EXPERIMENT = {"verdict": "headline", "time": "mechanisms"}
"""The experiment of a block not named after it."""


def block(name: str, source: Source) -> Block:
    """The block ``name`` from ``source``; ``ValueError`` naming the known blocks otherwise."""
    if name not in BLOCKS:
        raise ValueError(f"unknown results block '{name}'; known: {', '.join(BLOCKS)}")
    return BLOCKS[name](source)


def text(parts: Cell | list[Part]) -> str:
    """Parts as plain text (numbers as shown)."""
    return "".join(p.display() if isinstance(p, Number) else p for p in parts)


def markdown(block: Block) -> str:
    """The block as Markdown: intro, pipe table, notes and provenance."""
    if not block.available:
        return f"*{block.title}: {block.missing}*"
    lines = [text(block.intro)]
    if block.header:
        lines += ["", "| " + " | ".join(block.header) + " |",
                  "|" + "|".join("---" for _ in block.header) + "|"]
    for row in block.rows:
        lines.append("| " + " | ".join(text(cell).replace("|", "\\|") for cell in row) + " |")
    for note in block.notes:
        lines += ["", text(note)]
    if block.provenance:
        lines += ["", f"<sub>{block.provenance}</sub>"]
    return "\n".join(lines)
