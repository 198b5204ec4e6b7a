"""The browser view: ``python run.py viz`` (or ``solara run app.py``); see docs/how-to/browser-view.md.

Two pages: the side-by-side view of two alliance structures on one seed and crisis stream (``/``),
and the results explorer of stored experiments (``/explorer``).
"""

import solara

from viz import explorer_page, side_by_side_page
from viz.app_bar import Layout

routes = [
    solara.Route(path="/", component=side_by_side_page.Page, label="Side by side", layout=Layout),
    solara.Route(path="explorer", component=explorer_page.Page, label="Results explorer"),
]
