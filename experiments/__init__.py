"""The experiment layer: experiment files, evaluators, the results store and the sweep runner.

Modules (each one concept; data flows design -> evaluate -> store, runner ties them together):

* :mod:`experiments.formats` -- the results folder's file names, complete-line rule and run identity;
* :mod:`experiments.design` -- read and validate an experiment file; expand it into run specs;
* :mod:`experiments.evaluate` -- a run spec -> one row; serial, process and dask evaluators;
* :mod:`experiments.store` -- ``results/<experiment>/``: run table, manifest, resume (no model import);
* :mod:`experiments.runner` -- run or resume an experiment with a progress bar.
* :mod:`experiments.version` -- the project's version (declared in ``pyproject.toml``).

The experiment TOML files shipped with the project live next to these modules. Submodules are not
imported here, so ``experiments.store`` can be used without importing the model.
"""
