"""Global sensitivity analysis (SALib): which declared uncertainties drive the structure comparison.

Modules, in the order data flows through them:

* :mod:`~sensitivity.problem` -- the factors and their bounds, from ``model.parameters``;
* :mod:`~sensitivity.sampling` -- seeded Sobol' (Saltelli) and Morris designs;
* :mod:`~sensitivity.pipeline` -- evaluate any function of a parameter dict over a design;
* :mod:`~sensitivity.replicates` -- replicate means and the share of variance that is noise;
* :mod:`~sensitivity.indices` -- S1, ST, S2 with confidence intervals; Morris mu*, sigma.

The model side (outcomes per structure and the paired gap) and the stored study are in
:mod:`~sensitivity.outcomes` and :mod:`~sensitivity.study`.
"""

from .indices import Analysis, analyse
from .pipeline import evaluate, run
from .problem import Factor, Problem, declared_problem
from .replicates import Outputs, average
from .sampling import METHODS, Design, points_needed, sample

__all__ = [
    "METHODS", "Analysis", "Design", "Factor", "Outputs", "Problem", "analyse", "average",
    "declared_problem", "evaluate", "points_needed", "run", "sample",
]
