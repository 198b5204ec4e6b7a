"""``run.py parameters``: every model parameter with its default, range, unit and meaning; with a NAME,
one parameter in full, with every place in the model's code that reads it."""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
from pathlib import Path

from .options import check_unused


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "parameters", help="list the model parameters (default, range, unit, meaning)",
        description="List every model parameter that --set accepts; with a NAME, one parameter in "
                    "full, with every function of the model that reads it.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="one parameter, e.g. quorum: its declaration and where the model uses it")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table that docs/ODD.md embeds (Markdown)")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from model.parameters import BY_NAME, PARAMETERS, markdown_table
    from scenarios.checking import did_you_mean

    if args.markdown:
        check_unused("--markdown", "prints the table of every parameter", "NAME", args.name)
        print(markdown_table(), end="")
        return 0
    if args.name:
        if args.name not in BY_NAME:
            raise ValueError(f"unknown parameter '{args.name}'{did_you_mean(args.name, BY_NAME)} "
                             "('python run.py parameters' lists them)")
        _describe(BY_NAME[args.name])
        return 0
    for p in PARAMETERS:
        print(f"{p.name}  ({p.role}, {p.kind}, {p.unit})  default {_default(p)}  allowed {_allowed(p)}")
        print(f"    {p.meaning}")
    print("\nOne parameter in full, with where the model uses it: python run.py parameters NAME")
    return 0


def _default(p) -> str:
    return "the scenario's" if p.default is None else str(p.default)


def _allowed(p) -> str:
    return " | ".join(p.choices) if p.kind == "categorical" else f"[{p.low:g}, {p.high:g}]"


def _describe(p) -> None:
    print(p.name)
    print(f"  meaning  {p.meaning}")
    print(f"  role     {p.role} ({p.kind}, unit {p.unit})")
    print(f"  default  {_default(p)}")
    print(f"  allowed  {_allowed(p)}")
    print(f"  source   {p.source}")
    found = uses(p.name)
    print(f"  used by  {len(found)} place{'' if len(found) == 1 else 's'} in the model's code"
          + (":" if found else " (it is read only through the declaration)"))
    for use in found:
        print(f"    {use.file}, {use.where}{f': {use.summary}' if use.summary else ''}")


@dataclass(frozen=True)
class Use:
    """A place in the model's code that names a parameter: the file (inside the project), the
    function, method or module-level name it is in, and the first line of that one's docstring."""

    file: str
    where: str
    summary: str


def uses(name: str) -> list[Use]:
    """Every function, method or module-level name of the model package whose code names parameter
    ``name`` as a string (``p["quorum"]``, ``params["quorum"]``, a list of names), read from the
    source (docstrings and the declaration in ``model/parameters.py`` aside), in file order."""
    import model

    root = Path(model.__file__).resolve().parent
    found: list[Use] = []
    for path in sorted(root.glob("*.py")):
        if path.name == "parameters.py":
            continue
        finder = _Finder(name)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        for where, summary in dict.fromkeys(finder.found):
            found.append(Use(f"model/{path.name}", where, summary))
    return found


SUMMARY_MOST = 110
"""Most characters of a docstring's first sentence shown beside a use."""


def _first_sentence(doc: str) -> str:
    paragraph = " ".join(doc.strip().split("\n\n")[0].split())
    sentence = paragraph.split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= SUMMARY_MOST else sentence[:SUMMARY_MOST - 1].rstrip() + "…"


class _Finder(ast.NodeVisitor):
    """The enclosing definitions of every string constant equal to a name (docstrings aside)."""

    def __init__(self, name: str):
        self.name = name
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, str]] = []
        self.docstrings: set[int] = set()

    def _scope(self, node, label: str) -> None:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.docstrings.add(id(body[0].value))
        doc = ast.get_docstring(node) if not isinstance(node, ast.Assign) else None
        self.stack.append((label, _first_sentence(doc or "")))
        self.generic_visit(node)
        self.stack.pop()

    def visit_Module(self, node: ast.Module) -> None:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.docstrings.add(id(body[0].value))
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope(node, node.name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scope(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.stack:
            self.generic_visit(node)
            return
        targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        self._scope(node, targets[0] if targets else "module level")

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            self.docstrings.add(id(node.value))  # a string on its own: an attribute's docstring
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.value == self.name and id(node) not in self.docstrings:
            where = ".".join(label for label, _ in self.stack) or "module level"
            summary = next((doc for _, doc in reversed(self.stack) if doc), "")
            self.found.append((where, summary))
