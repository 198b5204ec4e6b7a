"""``run.py verify``: rerun a sample of stored runs and confirm every value bit for bit."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import add_engine_option, check_range, check_seed, whole


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "verify", help="rerun a sample of stored runs and confirm they match bit for bit",
        description="Rebuild the runs of a results folder from its manifest (experiment text or "
                    "sensitivity design, seeds), rerun a random sample of the stored rows plus the "
                    "first and the last, and compare every column with the stored text. Refuses if "
                    "the model's code or a scenario changed since the results were made. Exit "
                    "status 0: all match; 1: a mismatch (each one is printed).",
    )
    parser.add_argument("folder", type=Path, metavar="FOLDER",
                        help="a results folder, e.g. results/headline")
    parser.add_argument("--sample", type=whole, default=20, metavar="N",
                        help="stored runs to rerun, chosen at random, besides the first and last "
                             "(default: 20)")
    parser.add_argument("--seed", type=whole, metavar="S",
                        help="seed of the random sample (default: a fresh one, printed)")
    add_engine_option(parser)
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from experiments import formats
    from experiments.verify import check_unchanged, experiment_specs, verify

    check_range("--sample", args.sample, 0)
    check_seed("--seed", args.seed)
    manifest = formats.read_manifest(args.folder)
    if manifest is None or not (args.folder / formats.RUNS).is_file():
        raise ValueError(f"{args.folder}: not a results folder (no {formats.MANIFEST} and "
                         f"{formats.RUNS})")
    check_unchanged(args.folder, manifest)
    if manifest.get("kind") == formats.SENSITIVITY:
        from sensitivity.study import stored_runs

        specs = stored_runs(args.folder, manifest)
    else:
        specs = experiment_specs(manifest)
    result = verify(args.folder, specs, args.sample, args.seed, args.engine)
    for mismatch in result.mismatches:
        print(f"mismatch: run {mismatch.run_id} {mismatch.column}: stored {mismatch.stored!r}, "
              f"recomputed {mismatch.recomputed!r}")
    verdict = "all match" if not result.mismatches else f"{len(result.mismatches)} values differ"
    print(f"{args.folder}: reran {len(result.checked)} of {result.stored} stored runs "
          f"(sample seed {result.seed}): {verdict}")
    return 1 if result.mismatches else 0
