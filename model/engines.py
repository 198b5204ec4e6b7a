"""How a run is stepped (``DeterrenceModel.run(steps, engine=...)``; ``--engine`` on the command line).

* ``fast`` (the default): the run loop of :mod:`model.schedule` -- quiet steps in one go, numbers
  drawn in batches, kept choices, no Mesa event per step;
* ``reference``: Mesa's own ``model.step()``, one step at a time, keeping nothing from one step to
  the next.

Both give the same run to the last bit (``tests/integration/test_fast_run.py``); ``reference`` is there to
check that claim on any experiment (``python run.py sweep EXPERIMENT --engine reference``). This
module imports nothing, so the command line can offer the choice without loading Mesa.
"""

ENGINES = ("fast", "reference")
