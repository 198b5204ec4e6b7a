"""The browser view (Mesa convention): ``solara run app.py``, or ``python run.py viz``.

Two alliance structures on the same seed and crisis stream, side by side; see viz/README.md.
"""

from viz.controls import settings_from_environment
from viz.page import make_page

page = make_page(settings_from_environment())
page  # noqa: B018
