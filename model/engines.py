"""How a run is stepped (``DeterrenceModel.run(steps, engine=...)``; ``--engine`` on the command line).

* ``fast`` (the default): the fast run loop of :mod:`model.fast_run` -- quiet steps in one go,
  numbers drawn in batches, cached choices, no Mesa event per step;
* ``reference``: Mesa's own ``model.step()``, one step at a time, computing everything afresh.

Both walk the phases of :mod:`model.step` and give the same run to the last bit
(``tests/integration/test_fast_run.py``); ``reference`` is there to check that claim on any experiment
(``python run.py sweep EXPERIMENT --engine reference``). This module imports nothing, so the command
line can offer the choice without loading Mesa.
"""

ENGINES = ("fast", "reference")
