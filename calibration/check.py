"""Compare the model with the plausibility bands of docs/calibration.md; exit 1 if a figure is outside.

    python calibration/check.py                      # every band, 200 replicates
    python calibration/check.py --quick              # 40 replicates: what CI runs
    python calibration/check.py --only asia1951      # the bands of one scenario
    python calibration/check.py --grid autonomy_cost=0.0002,0.0005 --grid shock_scale=0.001,0.003

The bands (sources in docs/calibration.md), under voluntary formation at the defaults:

  * formation, as it happened, and only as it happened:
    - ``europe1949``: each of NATO's twelve founders is bound after the first review in at least 0.8
      of runs (North Atlantic Treaty, Washington, 4 April 1949);
    - ``asia1951``: each US treaty signed in 1951-53 (the scenario's ``[history] ties`` with the US)
      forms at the first review in at least 0.8 of runs;
    - ``asia``: each of today's five US treaties forms in at least 0.8 of runs, and at most 1 of
      them ends per 200 steps (none has since the 1950s; New Zealand is not a member);
    nothing about a collective pact in Asia is a target;
  * reliability of invoked defence commitments (bilateral and collective; any contribution /
    invoked) in ``asia``: 0.40-0.75 under every structure that makes such commitments (Leeds, Long &
    Mitchell 2000; Berkemeier & Fuhrmann 2018); a share from few invocations passes when its 95 %
    Wilson interval overlaps the band; full-force reliability is reported beside it;
  * a defence commitment lowers the rate at which its protégés are challenged "by tens of percent,
    not by orders of magnitude" (Leeds 2003; Johnson & Leeds 2011; Benson 2011): in ``asia``,
    challenges against the treaty allies' flashpoints relative to the no-alliance baseline between
    0.1 and 0.9;
  * the hub is rarely entrapped (about five plausible US cases since 1945, Beckley 2015): in
    ``asia``, at most 5 hub entrapments per run of 200 steps.

Every structure runs on the same seeds (0, 1, ...), so comparisons with the no-alliance baseline
are paired. With ``--grid`` the check runs every combination of the values given and prints one row
per combination: the way global judgement parameters are calibrated (docs/calibration.md). It never
reports a difference between structures.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Check this checkout's model, not whichever copy of the project is installed: run as a script, the
# interpreter puts calibration/ on the path, not the checkout, and an editable install elsewhere (a
# git worktree's main tree) would otherwise be imported in its place.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.statistics import wilson  # noqa: E402
from cli.options import parse_overrides  # noqa: E402
from model import DeterrenceModel  # noqa: E402
from model.parameters import get as get_parameter  # noqa: E402
from scenarios import load  # noqa: E402

QUICK_REPLICATES = 40
STEPS = 200


@dataclass(frozen=True)
class Band:
    """A plausibility band: the figure's name, its inclusive bounds and where they come from."""

    figure: str
    low: float
    high: float
    source: str

    def holds(self, figure: Figure) -> bool:
        """Inside the band, or -- for a share estimated from few events -- its 95 % interval
        overlaps the band (the runs cannot tell it from a value inside)."""
        if math.isnan(figure.value):
            return False
        return figure.high >= self.low and figure.low <= self.high


@dataclass(frozen=True)
class Figure:
    """A measured figure: its value and 95 % interval (the value itself when not a share)."""

    value: float
    low: float
    high: float

    @classmethod
    def share(cls, successes: float, trials: float) -> Figure:
        """A share with its Wilson interval (Wilson 1927)."""
        if not trials:
            return cls(math.nan, math.nan, math.nan)
        low, high = wilson(successes, int(trials))
        return cls(successes / trials, low, high)

    @classmethod
    def point(cls, value: float) -> Figure:
        return cls(value, value, value)

    def __str__(self) -> str:
        if self.low == self.high or math.isnan(self.value):
            return f"{self.value:.3f}"
        return f"{self.value:.3f} [{self.low:.2f}, {self.high:.2f}]"


RELIABILITY = Band("reliability of defence commitments (any contribution)", 0.40, 0.75,
                   "Leeds, Long & Mitchell 2000; Berkemeier & Fuhrmann 2018")
DETERRENCE = Band("challenges against protégés relative to none", 0.1, 0.9,
                  "Leeds 2003; Johnson & Leeds 2011; Benson 2011")
HUB_ENTRAPMENT = Band("hub entrapments per 200 steps", 0.0, 5.0, "Beckley 2015")
PERSISTENCE = Band("US treaties ended per 200 steps", 0.0, 1.0,
                   "no US treaty ally in Asia has ended its treaty since the 1950s")


def formation_band(what: str, source: str) -> Band:
    return Band(f"{what} at formation", 0.8, 1.0, source)


@dataclass
class Tally:
    """Sums over the replicates of one structure."""

    defence_invoked: int = 0
    defence_honoured: int = 0
    defence_full: int = 0
    hub_entrapments: int = 0
    challenged: int = 0
    ties_ended: int = 0
    runs: int = 0
    formed: dict[str, int] = field(default_factory=dict)
    """Per tie ('A–B') or per member: in how many runs it stood after the first review."""


def challenges_against(model: DeterrenceModel, targets: set[str]) -> int:
    """Aggressions the challenger chose (not spread wars) at flashpoints of ``targets``."""
    return sum(
        1 for c in model.crisis_log if c.hop == 0 and c.severity is not None and c.target in targets
    )


def measure(scenario_name: str, structures: tuple[str, ...], replicates: int, steps: int,
            overrides: dict) -> dict[str, Tally]:
    """Run each structure on seeds 0 .. replicates-1 and add up what the bands need."""
    scenario = load(scenario_name)
    allies = set(scenario.members) - {scenario.hub}
    tallies = {}
    for structure in structures:
        tally = Tally()
        for seed in range(replicates):
            model = DeterrenceModel(scenario, structure, rng=seed, collect=False, **overrides)
            metrics = model.run(steps)
            for kind in ("bilateral", "collective"):
                tally.defence_invoked += metrics[f"invoked_{kind}"]
                tally.defence_honoured += metrics[f"honoured_{kind}"]
                tally.defence_full += metrics[f"honoured_full_{kind}"]
            tally.hub_entrapments += metrics["hub_entrapments"]
            tally.challenged += challenges_against(model, allies)
            tally.ties_ended += metrics["ties_ended_bilateral"]
            for name in (*metrics["ties_formed"].split(";"),
                         *metrics["bound_at_formation"].split(";")):
                if name:
                    tally.formed[name] = tally.formed.get(name, 0) + 1
            tally.runs += 1
        tallies[structure] = tally
    return tallies


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


@dataclass(frozen=True)
class Target:
    """The bands of one scenario: which structures it runs, for how long, and what it checks."""

    scenario: str
    structures: tuple[str, ...]
    steps: int
    formation: tuple[tuple[str, str], ...]
    """(tie 'A–B' or member name, the fact's source) that must stand after the first review."""
    empirical: bool = False
    """Whether the reliability, deterrence, entrapment and persistence bands apply."""


def targets() -> list[Target]:
    """The calibration targets, read from the scenarios' own facts (``[history]``)."""
    asia = load("asia")
    hub = asia.hub
    today = tuple((f"{hub}–{m}" if asia.state_names().index(hub) < asia.state_names().index(m)
                   else f"{m}–{hub}", "US treaties in force (docs/calibration.md)")
                  for m in asia.members if m != hub)
    out = [Target("asia", ("none", "hub_and_spoke", "lattice", "collective"), STEPS, today, True)]
    early = load("asia1951")
    names = early.state_names()
    treaties = tuple(
        ("–".join(sorted(pair, key=names.index)), "; ".join(early.history.sources) or "history")
        for pair in early.history.ties if early.hub in pair)
    out.append(Target("asia1951", ("hub_and_spoke",), 1, treaties))
    nato = load("europe1949")
    founders = tuple((name, "North Atlantic Treaty, Washington, 4 April 1949")
                     for name in (nato.history.joined or nato.members))
    out.append(Target("europe1949", ("collective",), 1, founders))
    return out


def checks(target: Target, tallies: dict[str, Tally]) -> list[tuple[str, Band, Figure]]:
    """Every (structure, band, figure) of one target."""
    out = []
    structure = "hub_and_spoke" if "hub_and_spoke" in tallies else target.structures[0]
    formed_in = tallies[structure]
    for name, source in target.formation:
        out.append((f"{target.scenario} {structure}", formation_band(name, source),
                    Figure.share(formed_in.formed.get(name, 0), formed_in.runs)))
    if not target.empirical:
        return out
    base = tallies["none"].challenged
    per_200 = 200.0 / target.steps
    for structure, t in tallies.items():
        if t.defence_invoked:
            out.append((structure, RELIABILITY, Figure.share(t.defence_honoured, t.defence_invoked)))
        if structure != "none":
            out.append((structure, DETERRENCE, Figure.point(_ratio(t.challenged, base))))
            out.append((structure, HUB_ENTRAPMENT,
                        Figure.point(_ratio(t.hub_entrapments, t.runs) * per_200)))
    hub = tallies["hub_and_spoke"]
    out.append(("hub_and_spoke", PERSISTENCE, Figure.point(_ratio(hub.ties_ended, hub.runs) * per_200)))
    return out


def _report(target: Target, tallies: dict[str, Tally]) -> int:
    print(f"== {target.scenario}")
    if target.empirical:
        print(f"{'structure':<16}{'reliability':>12}{'full force':>11}{'hub entr./run':>14}"
              f"{'challenges/run':>15}{'vs none':>9}{'US ties ended':>14}")
        base = tallies["none"].challenged
        for structure, t in tallies.items():
            print(f"{structure:<16}{_ratio(t.defence_honoured, t.defence_invoked):>12.3f}"
                  f"{_ratio(t.defence_full, t.defence_invoked):>11.3f}"
                  f"{t.hub_entrapments / t.runs:>14.2f}{t.challenged / t.runs:>15.2f}"
                  f"{_ratio(t.challenged, base):>9.2f}{t.ties_ended / t.runs:>14.2f}")
    failures = 0
    for structure, band, figure in checks(target, tallies):
        ok = band.holds(figure)
        failures += not ok
        inside = band.low <= figure.value <= band.high
        mark = "ok  " if inside else ("ok~ " if ok else "OUT ")
        print(f"{mark} {structure:<26} {band.figure}: {figure} (band {band.low:g}-{band.high:g})")
    print()
    return failures


def _grid(specs: list[str]) -> list[dict]:
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        parameter = get_parameter(name.strip())
        axes.append([(parameter.name, parameter.parse(v.strip())) for v in values.split(",")])
    return [dict(cell) for cell in itertools.product(*axes)]


def _grid_report(args, chosen: list[Target], overrides: dict, replicates: int) -> int:
    cells = _grid(args.grid)
    names = list(cells[0])
    print("  ".join(f"{n:>14}" for n in names)
          + "  outside (figure=value) -- the count of figures outside their bands first")
    for cell in cells:
        settings = {**overrides, **cell}
        outside = []
        for target in chosen:
            tallies = measure(target.scenario, target.structures, replicates, target.steps, settings)
            outside += [f"{target.scenario}:{s.split()[-1]}:{b.figure.split(' at ')[0]}={f.value:.2f}"
                        for s, b, f in checks(target, tallies) if not b.holds(f)]
        print("  ".join(f"{cell[n]:>14}" for n in names) + f"  {len(outside):>2}  "
              + "; ".join(outside), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPLICATES} replicates (what CI runs)")
    parser.add_argument("--only", metavar="SCENARIO",
                        help="the bands of one scenario (asia, asia1951, europe1949)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                        help="run every combination of these values and list the figures outside "
                             "their bands (repeatable)")
    args = parser.parse_args(argv)
    replicates = QUICK_REPLICATES if args.quick else args.replicates
    if replicates < 1:
        parser.error("--replicates must be at least 1")
    try:
        overrides = parse_overrides(args.overrides)
        chosen = [t for t in targets() if args.only in (None, t.scenario)]
        if not chosen:
            raise ValueError(f"--only {args.only}: no bands for that scenario (asia, asia1951, "
                             "europe1949)")
        if args.grid:
            return _grid_report(args, chosen, overrides, replicates)
        print(f"{replicates} paired replicates, overrides {overrides or 'none'}\n")
        failures = 0
        for target in chosen:
            tallies = measure(target.scenario, target.structures, replicates, target.steps, overrides)
            failures += _report(target, tallies)
    except (ValueError, KeyError) as error:
        print(f"error: {str(error).strip(chr(39))}", file=sys.stderr)
        return 2
    print("(ok~: the estimate lies outside the band but its 95 % interval overlaps it: too few "
          "events to tell)")
    print(f"\n{failures} figure(s) outside their band" if failures else "\nevery figure inside its band")
    return 1 if failures else 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
