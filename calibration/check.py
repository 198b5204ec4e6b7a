"""Compare the model with the empirical plausibility bands of docs/calibration.md; exit 1 if outside.

    python calibration/check.py [--scenario asia] [--replicates 200] [--steps 200] [--set NAME=VALUE ...]
    python calibration/check.py --quick          # 40 replicates: what CI runs

Every structure runs on the same seeds (0, 1, ...), so the comparison with the no-alliance
baseline is paired. The figures and their bands (sources in docs/calibration.md):

  * reliability of invoked defence commitments (bilateral and collective; honoured / invoked):
    0.40-0.75 under every structure that makes such commitments (Leeds, Long & Mitchell 2000;
    Berkemeier & Fuhrmann 2018). Minilateral links carry no defence obligation (Quad, AUKUS), so
    they are reported apart and not held to this band;
  * a defence commitment lowers the rate at which its protégés are challenged "by tens of percent,
    not by orders of magnitude" (Leeds 2003; Johnson & Leeds 2011; Benson 2011): challenges against
    the treaty allies' flashpoints relative to the no-alliance baseline between 0.1 and 0.9;
  * the hub is rarely entrapped (about five plausible US cases since 1945, Beckley 2015): at most 5
    hub entrapments per run of 200 steps (about half a century).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass

import numpy as np

from cli.options import parse_overrides
from model import DeterrenceModel
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

    def holds(self, value: float) -> bool:
        return not math.isnan(value) and self.low <= value <= self.high


RELIABILITY = Band("reliability of defence commitments", 0.40, 0.75,
                   "Leeds, Long & Mitchell 2000; Berkemeier & Fuhrmann 2018")
DETERRENCE = Band("challenges against protégés relative to none", 0.1, 0.9,
                  "Leeds 2003; Johnson & Leeds 2011; Benson 2011")
HUB_ENTRAPMENT = Band("hub entrapments per 200 steps", 0.0, 5.0, "Beckley 2015")


@dataclass
class Tally:
    """Sums over the replicates of one structure."""

    defence_invoked: int = 0
    defence_honoured: int = 0
    minilateral_invoked: int = 0
    minilateral_honoured: int = 0
    hub_entrapments: int = 0
    challenged: int = 0
    stable: int = 0
    runs: int = 0


def challenges_against(model: DeterrenceModel, targets: set[str]) -> int:
    """Aggressions the challenger chose (not spread wars) at flashpoints of ``targets``."""
    return sum(
        1 for c in model.crisis_log if c.hop == 0 and c.severity is not None and c.target in targets
    )


def measure(scenario_name: str, replicates: int, steps: int, overrides: dict) -> dict[str, Tally]:
    """Run every structure on seeds 0 .. replicates-1 and add up what the bands need."""
    scenario = load(scenario_name)
    allies = set(scenario.members) - {scenario.hub}
    tallies = {}
    for structure in STRUCTURES:
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
            tally.stable += metrics["stable"]
            tally.runs += 1
        tallies[structure] = tally
    return tallies


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def checks(tallies: dict[str, Tally], steps: int) -> list[tuple[str, Band, float]]:
    """Every (structure, band, value) that the bands apply to."""
    out = []
    base = tallies["none"].challenged
    for structure, t in tallies.items():
        if t.defence_invoked:
            out.append((structure, RELIABILITY, _ratio(t.defence_honoured, t.defence_invoked)))
        if structure != "none":
            out.append((structure, DETERRENCE, _ratio(t.challenged, base)))
            out.append((structure, HUB_ENTRAPMENT,
                        _ratio(t.hub_entrapments, t.runs) * 200.0 / steps))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scenario", default="asia")
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPLICATES} replicates (what CI runs)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    replicates = QUICK_REPLICATES if args.quick else args.replicates
    if replicates < 1 or args.steps < 1:
        parser.error("--replicates and --steps must be at least 1")
    try:
        overrides = parse_overrides(args.overrides)
        tallies = measure(args.scenario, replicates, args.steps, overrides)
    except (ValueError, KeyError) as error:
        print(f"error: {str(error).strip(chr(39))}", file=sys.stderr)
        return 2
    print(f"scenario {args.scenario}, {replicates} paired replicates x {args.steps} steps, "
          f"overrides {overrides or 'none'}\n")
    print(f"{'structure':<14}{'defence rel.':>13}{'minilateral rel.':>17}{'hub entr./run':>14}"
          f"{'challenges/run':>15}{'vs none':>9}{'stable':>8}")
    base = tallies["none"].challenged
    for structure, t in tallies.items():
        print(f"{structure:<14}{_ratio(t.defence_honoured, t.defence_invoked):>13.3f}"
              f"{_ratio(t.minilateral_honoured, t.minilateral_invoked):>17.3f}"
              f"{t.hub_entrapments / t.runs:>14.2f}{t.challenged / t.runs:>15.2f}"
              f"{_ratio(t.challenged, base):>9.2f}{t.stable / t.runs:>8.3f}")
    failures = 0
    print()
    for structure, band, value in checks(tallies, args.steps):
        ok = band.holds(value)
        failures += not ok
        print(f"{'ok  ' if ok else 'OUT '} {structure:<14} {band.figure}: {value:.3f} "
              f"(band {band.low:g}-{band.high:g}; {band.source})")
    print(f"\n{failures} figure(s) outside their band" if failures else "\nevery figure inside its band")
    return 1 if failures else 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
