"""The browser view of the alliance-deterrence model (Mesa SolaraViz) and its drawings.

* :mod:`viz.network`, :mod:`viz.charts`, :mod:`viz.crisis_log`: pure drawing and text (a model in,
  a matplotlib figure or lines out), testable without a browser;
* :mod:`viz.comparison`: two structures on one seed, stepping together;
* :mod:`viz.controls`: the sidebar's controls from the single parameter declaration;
* :mod:`viz.page`: the SolaraViz page (``app.py`` exposes it as ``page``);
* :mod:`viz.assets`: the offline cache of the page's browser packages.
"""
