"""Global sensitivity analysis (SALib): which declared uncertainties drive the structure comparison.

Modules, in the order data flows through them:

* :mod:`~sensitivity.problem` -- the factors and their bounds, from ``model.parameters``;
* :mod:`~sensitivity.sampling` -- seeded Sobol' (Saltelli) and Morris designs;
* :mod:`~sensitivity.pipeline` -- evaluate any function of a parameter dict over a design;
* :mod:`~sensitivity.replicates` -- replicate means and the share of variance that is noise;
* :mod:`~sensitivity.indices` -- S1, ST, S2 with confidence intervals; Morris mu*, sigma.

The model side (outcomes per structure and the paired gap) and the stored study are in
:mod:`~sensitivity.outcomes` and :mod:`~sensitivity.study`; their defaults in
:mod:`~sensitivity.defaults`.

The names below are imported on first use (PEP 562), so importing a light submodule such as
:mod:`~sensitivity.defaults` does not import numpy, pandas or SALib.
"""

from importlib import import_module

_API = {
    "Analysis": "indices", "analyse": "indices", "evaluate": "pipeline", "run": "pipeline",
    "Factor": "problem", "Problem": "problem", "declared_problem": "problem", "Outputs": "replicates",
    "average": "replicates", "METHODS": "defaults", "Design": "sampling", "points_needed": "sampling",
    "sample": "sampling",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'sensitivity' has no attribute {name!r}")
    return getattr(import_module(f".{_API[name]}", __name__), name)
