"""Compare the model with the empirical plausibility bands of docs/calibration.md; exit 1 if outside.

    python calibration/check.py [--scenario asia] [--replicates 200] [--steps 200] [--set NAME=VALUE ...]
    python calibration/check.py --quick          # 40 replicates: what CI runs
    python calibration/check.py --grid fixed_war_cost=0.6,0.9,1.2 --grid reputational_weight=2,3

Every structure runs on the same seeds (0, 1, ...), so the comparison with the no-alliance
baseline is paired. The figures and their bands (sources in docs/calibration.md):

  * reliability of invoked defence commitments (bilateral and collective; honoured / invoked):
    0.40-0.75 under every structure that makes such commitments (a share estimated from few
    invocations passes when its 95 % Wilson interval overlaps the band) (Leeds, Long & Mitchell 2000;
    Berkemeier & Fuhrmann 2018). Minilateral links carry no defence obligation (Quad, AUKUS), so
    they are reported apart and not held to this band;
  * a defence commitment lowers the rate at which its protégés are challenged "by tens of percent,
    not by orders of magnitude" (Leeds 2003; Johnson & Leeds 2011; Benson 2011): challenges against
    the treaty allies' flashpoints relative to the no-alliance baseline between 0.1 and 0.9;
  * the hub is rarely entrapped (about five plausible US cases since 1945, Beckley 2015): at most 5
    hub entrapments per run of 200 steps (about half a century);
  * the hub-and-spoke treaties were signed (US-Japan 1951/1960, US-ROK 1953, US-Philippines 1951):
    under voluntary formation the hub-and-spoke structure forms in at least 0.8 of runs;
  * they lasted: no US treaty ally in Asia has ended its treaty since (New Zealand, whose ANZUS tie
    the US suspended in 1986, is not a member here): at most 1 hub-and-spoke tie ended per 200 steps.

With ``--grid`` the check runs every combination of the values given and prints one row per
combination: the way the judgement parameters are calibrated (docs/calibration.md). It never
reports a difference between structures.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass

import numpy as np

from analysis.statistics import wilson
from cli.options import parse_overrides
from model import DeterrenceModel
from model.parameters import get as get_parameter
from model.structure import NAMES as STRUCTURES
from scenarios import load

QUICK_REPLICATES = 40


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


RELIABILITY = Band("reliability of defence commitments", 0.40, 0.75,
                   "Leeds, Long & Mitchell 2000; Berkemeier & Fuhrmann 2018")
DETERRENCE = Band("challenges against protégés relative to none", 0.1, 0.9,
                  "Leeds 2003; Johnson & Leeds 2011; Benson 2011")
HUB_ENTRAPMENT = Band("hub entrapments per 200 steps", 0.0, 5.0, "Beckley 2015")
FORMATION = Band("share of runs in which hub-and-spoke formed", 0.8, 1.0,
                 "the US treaties with Japan, South Korea and the Philippines, 1951-53")
PERSISTENCE = Band("hub-and-spoke ties ended per 200 steps", 0.0, 1.0,
                   "no US treaty ally in Asia has ended its treaty since the 1950s")


@dataclass
class Tally:
    """Sums over the replicates of one structure."""

    defence_invoked: int = 0
    defence_honoured: int = 0
    minilateral_invoked: int = 0
    minilateral_honoured: int = 0
    hub_entrapments: int = 0
    challenged: int = 0
    formed: int = 0
    ties_ended: int = 0
    runs: int = 0


def challenges_against(model: DeterrenceModel, targets: set[str]) -> int:
    """Aggressions the challenger chose (not spread wars) at flashpoints of ``targets``."""
    return sum(
        1 for c in model.crisis_log if c.hop == 0 and c.severity is not None and c.target in targets
    )


def measure(scenario_name: str, replicates: int, steps: int, overrides: dict,
            structures: tuple[str, ...] = STRUCTURES) -> dict[str, Tally]:
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
            tally.minilateral_invoked += metrics["invoked_minilateral"]
            tally.minilateral_honoured += metrics["honoured_minilateral"]
            tally.hub_entrapments += metrics["hub_entrapments"]
            tally.challenged += challenges_against(model, allies)
            tally.formed += metrics["formed"]
            tally.ties_ended += metrics["ties_ended"]
            tally.runs += 1
        tallies[structure] = tally
    return tallies


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def checks(tallies: dict[str, Tally], steps: int, voluntary: bool) -> list[tuple[str, Band, Figure]]:
    """Every (structure, band, figure) that the bands apply to."""
    out = []
    base = tallies["none"].challenged
    per_200 = 200.0 / steps
    for structure, t in tallies.items():
        if t.defence_invoked:
            out.append((structure, RELIABILITY, Figure.share(t.defence_honoured, t.defence_invoked)))
        if structure != "none":
            out.append((structure, DETERRENCE, Figure.point(_ratio(t.challenged, base))))
            out.append((structure, HUB_ENTRAPMENT,
                        Figure.point(_ratio(t.hub_entrapments, t.runs) * per_200)))
    hub = tallies.get("hub_and_spoke")
    if hub is not None:
        if voluntary:
            out.append(("hub_and_spoke", FORMATION, Figure.share(hub.formed, hub.runs)))
        out.append(("hub_and_spoke", PERSISTENCE,
                    Figure.point(_ratio(hub.ties_ended, hub.runs) * per_200)))
    return out


def _report(tallies: dict[str, Tally], steps: int, voluntary: bool) -> int:
    print(f"{'structure':<18}{'defence rel.':>13}{'minilateral rel.':>17}{'hub entr./run':>14}"
          f"{'challenges/run':>15}{'vs none':>9}{'formed':>8}{'ties ended':>11}")
    base = tallies["none"].challenged
    for structure, t in tallies.items():
        print(f"{structure:<18}{_ratio(t.defence_honoured, t.defence_invoked):>13.3f}"
              f"{_ratio(t.minilateral_honoured, t.minilateral_invoked):>17.3f}"
              f"{t.hub_entrapments / t.runs:>14.2f}{t.challenged / t.runs:>15.2f}"
              f"{_ratio(t.challenged, base):>9.2f}{t.formed / t.runs:>8.2f}"
              f"{t.ties_ended / t.runs:>11.2f}")
    failures = 0
    print()
    for structure, band, figure in checks(tallies, steps, voluntary):
        ok = band.holds(figure)
        failures += not ok
        inside = band.low <= figure.value <= band.high
        mark = "ok  " if inside else ("ok~ " if ok else "OUT ")
        print(f"{mark} {structure:<17} {band.figure}: {figure} "
              f"(band {band.low:g}-{band.high:g}; {band.source})")
    print("\n(ok~: the estimate lies outside the band but its 95 % interval overlaps it: too few "
          "events to tell)")
    print(f"\n{failures} figure(s) outside their band" if failures else "\nevery figure inside its band")
    return failures


def _grid(specs: list[str]) -> list[dict]:
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        parameter = get_parameter(name.strip())
        axes.append([(parameter.name, parameter.parse(v.strip())) for v in values.split(",")])
    return [dict(cell) for cell in itertools.product(*axes)]


def _grid_report(args, overrides: dict, replicates: int) -> int:
    cells = _grid(args.grid)
    names = list(cells[0])
    print("  ".join(f"{n:>14}" for n in names)
          + "  every figure (structure:figure=value, * = outside its band, its 95 % interval too)")
    short = {RELIABILITY: "reliability", DETERRENCE: "vs none", HUB_ENTRAPMENT: "hub entrapped",
             FORMATION: "formed", PERSISTENCE: "ties ended"}
    for cell in cells:
        settings = {**overrides, **cell}
        voluntary = settings.get("formation", get_parameter("formation").default) == "voluntary"
        tallies = measure(args.scenario, replicates, args.steps, settings, args.structures)
        figures = [f"{s}:{short[b]}={f.value:.2f}{'' if b.holds(f) else '*'}"
                   for s, b, f in checks(tallies, args.steps, voluntary)]
        print("  ".join(f"{cell[n]:>14}" for n in names) + "  " + "; ".join(figures), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scenario", default="asia")
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPLICATES} replicates (what CI runs)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--structures", nargs="+", default=list(STRUCTURES), choices=STRUCTURES,
                        metavar="STRUCTURE",
                        help="structures to run (default: all; 'none' is always run, for the "
                             "deterrence baseline)")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                        help="run every combination of these values and list the figures outside "
                             "their bands (repeatable)")
    args = parser.parse_args(argv)
    replicates = QUICK_REPLICATES if args.quick else args.replicates
    args.structures = tuple(dict.fromkeys(["none", *args.structures]))
    if replicates < 1 or args.steps < 1:
        parser.error("--replicates and --steps must be at least 1")
    try:
        overrides = parse_overrides(args.overrides)
        if args.grid:
            return _grid_report(args, overrides, replicates)
        tallies = measure(args.scenario, replicates, args.steps, overrides, args.structures)
    except (ValueError, KeyError) as error:
        print(f"error: {str(error).strip(chr(39))}", file=sys.stderr)
        return 2
    print(f"scenario {args.scenario}, {replicates} paired replicates x {args.steps} steps, "
          f"overrides {overrides or 'none'}\n")
    voluntary = overrides.get("formation", get_parameter("formation").default) == "voluntary"
    return 1 if _report(tallies, args.steps, voluntary) else 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
