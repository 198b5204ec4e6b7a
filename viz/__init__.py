"""The browser view of the alliance-deterrence model: a Solara app with two pages.

* data, testable without a browser: :mod:`viz.network` (a step's network), :mod:`viz.drawing`
  (the map's static scene and each step's frame), :mod:`viz.charts`, :mod:`viz.crisis_log`,
  :mod:`viz.comparison` (two structures on one seed, with the record of every step),
  :mod:`viz.explorer` and :mod:`viz.replay` (stored experiments and their runs);
* the pages: :mod:`viz.side_by_side_page` and :mod:`viz.explorer_page` (results explorer), with
  :mod:`viz.session`, :mod:`viz.settings_form`, :mod:`viz.replay_card`, :mod:`viz.legend`,
  :mod:`viz.app_bar` and the browser components of :mod:`viz.widgets`;
* :mod:`viz.assets`: the offline cache of the page's browser packages.
"""
