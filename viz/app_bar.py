"""The frame both pages share: the title and the two page buttons in the app bar."""

from __future__ import annotations

import solara

TITLE = "Alliance deterrence: hub-and-spoke vs collective obligation"
PAGES = (("/", "Side by side"), ("/explorer", "Results explorer"))
"""(path, name) of each page."""


@solara.component
def Layout(children=()):
    """Solara's app layout without its side drawer: each page lays out its own controls."""
    router = solara.use_router()
    here = "/" + router.path.strip("/")
    with solara.AppLayout(title=TITLE, navigation=False,
                          style={"height": "100%", "overflow": "hidden", "padding": "0"}) as layout:
        with solara.Div(style={"height": "100%"}):  # the only child: no side drawer
            with solara.AppBarTitle():
                solara.Text(TITLE)
            with solara.AppBar():
                for path, name in PAGES:
                    solara.Button(name, text=path != here, outlined=path == here, dark=True,
                                  on_click=lambda path=path: router.push(path),
                                  classes=["deterrence-nav",
                                           f"deterrence-nav-{name.split()[-1].lower()}"],
                                  style={"margin-left": "8px"})
            solara.Div(children=list(children), style={"height": "100%"})
    return layout
