"""``run.py parameters``: every model parameter with its default, range, unit and meaning."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "parameters", help="list the model parameters (default, range, unit, meaning)",
        description="List every model parameter that --set accepts.",
    )
    parser.add_argument("--markdown", action="store_true",
                        help="print the table that docs/ODD.md embeds (Markdown)")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from model.parameters import PARAMETERS, markdown_table

    if args.markdown:
        print(markdown_table(), end="")
        return 0
    for p in PARAMETERS:
        if p.kind == "categorical":
            allowed = " | ".join(p.choices)
        else:
            allowed = f"[{p.low:g}, {p.high:g}]"
        default = "scenario's" if p.default is None else p.default
        print(f"{p.name}  ({p.role}, {p.kind}, {p.unit})  default {default}  allowed {allowed}")
        print(f"    {p.meaning}")
    return 0
