"""Sphinx configuration of the documentation site.

Build it strictly (every warning an error, every cross-reference checked) from the repository root:

    python3 -m uv run sphinx-build -W --keep-going -n -b html docs docs/_build/html

The pages are MyST Markdown; the tutorial notebook is executed and rendered by MyST-NB; the API
reference is generated from the packages' docstrings (autosummary discovers their modules, so a
module added or renamed needs no edit here); the command line is read from its argparse parser.
"""

from __future__ import annotations

import builtins
import importlib
import shutil
import sys
import tomllib
from pathlib import Path

from sphinx.domains.python import PythonDomain
from sphinx.ext.napoleon.docstring import GoogleDocstring
from sphinx.util.nodes import make_refnode

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

project = "alliance-deterrence"
author = "The alliance-deterrence authors"
copyright = "The alliance-deterrence authors"
release = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinxarg.ext",
]

root_doc = "index"
exclude_patterns = [
    "_build",
    "jupyter_execute",
    "**.ipynb_checkpoints",
    "README.md",  # the folder's map for readers of the repository, not a page of the site
    "figures/README.md",  # generated captions of the published figures
    "figures/data",
]
templates_path = ["_templates"]

# --- MyST and the notebook ------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3  # `[text](page.md#a-heading)` links are checked like any reference
# The tutorial is stored without outputs (the test suite runs it with nbmake); the build executes it
# afresh (about ten seconds), so the site shows what the current code prints, and a cell that
# raises fails the build.
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# --- The API reference ----------------------------------------------------------------------------
# reference/api.md names the packages (a test keeps them those pyproject.toml installs); autosummary
# finds their modules.
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "show-inheritance": True,
    "ignore-module-all": True,  # document each object once, in the module that defines it
}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "fully-qualified"
autodoc_preserve_defaults = True
autodoc_inherit_docstrings = False  # an override of dict.pop shows no "D.pop(k[,d]) -> v" line
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
# "Attributes:" is read like "Args:": a list of fields, so dataclass fields are documented once and a
# line that names several attributes ("id, name: identifier and display name.") stays one entry.
napoleon_custom_sections = [("Attributes", "params_style")]

# Stubs of the previous build are removed, so a renamed module leaves no page behind.
shutil.rmtree(DOCS / "reference" / "api", ignore_errors=True)

# --- Cross-references ----------------------------------------------------------------------------
# The build is nitpicky (-n): a reference to one of the project's own objects that does not resolve
# fails it. Types of the standard library and of other packages are not linked (no inventories are
# fetched: the build needs no network), so references to them are not checked.
EXTERNAL = ("argparse", "collections", "concurrent", "contextlib", "csv", "dataclasses", "datetime",
            "enum", "io", "json", "multiprocessing", "os", "pathlib", "random", "re", "subprocess",
            "threading", "types", "typing", "numpy", "np", "pandas", "pd", "mesa", "networkx", "nx",
            "matplotlib", "altair", "solara", "ipyvue", "ipyvuetify", "reacton", "traitlets", "SALib",
            "dask", "distributed", "ema_workbench", "scipy", "tqdm")
nitpick_ignore_regex = [
    (r"py:.*", r"(.*\.)?_[A-Za-z].*"),  # private objects are not part of the documented API
    (r"py:class", r"T"),  # type variables
    (r"py:.*", rf"({'|'.join(EXTERNAL)})(\..*)?"),
    (r"py:class", r"(Path|Callable|Iterable|Iterator|Sequence|Mapping|Any|Literal|Namespace|"
                  r"DataFrame|Series|Figure|Axes|Generator|ndarray)"),
]


def _untyped_attribute_docstring(self):
    """Napoleon reads the first line of an attribute's docstring as ``type: description``; the
    project's attribute docstrings are sentences ("Least density of a reported box: ...") and their
    types are the annotations, so the whole docstring is the description."""
    return "", self.__class__(list(self._consume_to_end()), self._config).lines()


GoogleDocstring._consume_inline_attribute = _untyped_attribute_docstring


_find_obj = PythonDomain.find_obj


def _find_obj_but_builtins(self, env, modname, classname, name, type, searchmode=0):
    """A builtin in a signature (``type`` in ``type[ValueError]``) is Python's, not the project's:
    Sphinx's fuzzy search would otherwise find every documented attribute of that name
    (``Entry.type``, ``Column.type``) and call the reference ambiguous. Left unfound here, Sphinx's
    own resolver of builtins takes it."""
    found = _find_obj(self, env, modname, classname, name, type, searchmode)
    if searchmode == 1 and len(found) > 1 and name in vars(builtins):
        return []
    return found


PythonDomain.find_obj = _find_obj_but_builtins


def _resolve_short_reference(app, env, node, contnode):
    """Resolve a Python cross-reference written relative to the package (``rules.autonomy_load``,
    ``DeterrenceModel.run``) or through a package's re-export (``model.DeterrenceModel``) to the
    one documented object it names; anything else stays unresolved and fails the build."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    objects = env.get_domain("py").objects
    module = node.get("py:module") or ""
    spelled = [f"{module}.{target}", target] if module else [target]
    name = next((n for n in map(_canonical, spelled) if n), target)
    if name not in objects:
        found = [n for n in objects if n.endswith("." + target)]
        for prefix in (f"{module}.", f"{module.split('.')[0]}.", ""):
            near = [n for n in found if n.startswith(prefix)]
            if len(near) == 1:
                name = near[0]
                break
        else:
            # An object that exists but has no entry of its own (a constant without a docstring):
            # the name is checked, and shown without a link.
            return contnode if any(map(_exists, spelled)) else None
    entry = objects[name]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name)


_MISSING = object()


def _lookup(target: str):
    """The object ``target`` (``package.module.Name.attribute``) names, or ``_MISSING``."""
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except (ImportError, ValueError):
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part, _MISSING)
        return obj
    return _MISSING


def _exists(target: str) -> bool:
    return _lookup(target) is not _MISSING


def _canonical(target: str) -> str | None:
    """``package.Name`` -> the name in the module that defines it (``model.model.Name``)."""
    obj = _lookup(target)
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not module or not qualname or isinstance(obj, str | int | float | tuple | list | dict):
        return None  # a constant: it has no name of its own
    return f"{module}.{qualname}"


def _dataclass_defaults(app, what, name, obj, options, signature, return_annotation):
    """A dataclass field's ``default_factory`` shows as ``<factory>``, which is not Python and makes
    the whole signature unreadable to Sphinx; show ``...`` instead."""
    if signature and "<factory>" in signature:
        return signature.replace("<factory>", "..."), return_annotation
    return None


def setup(app):
    app.connect("missing-reference", _resolve_short_reference)
    app.connect("autodoc-process-signature", _dataclass_defaults)


# --- The site ------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"alliance-deterrence {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
