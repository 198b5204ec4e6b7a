"""The SolaraViz page builds and renders its panes without a browser (``app.page``)."""

from __future__ import annotations

import io
import json

import ipywidgets
import pytest
import solara
from PIL import Image

from tests.viz_fixtures import HUBLESS_TOML, write
from viz.controls import SETTINGS_VARIABLE, Settings, settings_from_environment, settings_to_environment


def with_class(rc, css: str) -> list:
    """Vuetify widgets whose class attribute is ``css``."""
    return rc.find(class_=css).widgets


def images(rc) -> list[tuple[str, tuple[int, int]]]:
    """(css class, pixel size) of every image the page rendered."""
    found = []
    for widget in rc.find(ipywidgets.Image).widgets:
        css = [c for c in widget._dom_classes if c.startswith("deterrence-")]
        found.append((css[0], Image.open(io.BytesIO(widget.value)).size))
    return found


def test_app_page_builds_and_renders_two_networks_and_the_charts():
    import app

    box, rc = solara.render(app.page, handle_error=False)
    rendered = images(rc)
    assert [css for css, _ in rendered] == ["deterrence-network", "deterrence-network",
                                            "deterrence-chart"]
    for _, (width, height) in rendered:
        assert width >= 400 and height >= 300
    summaries = with_class(rc, "deterrence-summary")
    assert [w.children for w in summaries] == [["no step yet"], ["no step yet"]]
    rc.close()


def test_problems_show_as_messages_in_the_pane(tmp_path):
    from viz.page import make_page

    hubless = write(tmp_path, HUBLESS_TOML)
    page = make_page(Settings(scenario=str(hubless), structures=("hub_and_spoke", "collective")))
    box, rc = solara.render(page, handle_error=False)
    errors = with_class(rc, "deterrence-error")
    assert len(errors) == 1
    assert "hub_and_spoke" in repr(errors[0]) and "needs a hub" in repr(errors[0])
    assert [css for css, _ in images(rc)] == ["deterrence-network", "deterrence-chart"]
    rc.close()


def test_the_panes_sit_side_by_side_above_the_charts():
    from mesa.visualization import solara_viz

    from viz.page import grid_layout, make_page

    make_page()
    assert solara_viz.make_initial_grid_layout is grid_layout
    left, right, charts = grid_layout(3)
    assert (left["x"], right["x"], left["y"]) == (0, 6, right["y"])
    assert left["w"] + right["w"] == charts["w"] == 12
    assert charts["y"] >= left["y"] + left["h"]
    assert len(grid_layout(2)) == 2  # other pages keep Mesa's layout


def test_settings_travel_through_the_environment(monkeypatch):
    settings = Settings(scenario="asia", structures=("lattice", "none"), seed=12,
                        overrides={"theatre_coupling": 0.4})
    monkeypatch.setenv(SETTINGS_VARIABLE, settings_to_environment(settings))
    assert settings_from_environment() == settings
    monkeypatch.delenv(SETTINGS_VARIABLE)
    assert settings_from_environment() == Settings()
    assert json.loads(settings_to_environment(Settings()))["structures"] == ["hub_and_spoke",
                                                                             "collective"]


@pytest.mark.parametrize("structures", [("collective", "collective")])
def test_same_structure_twice_is_labelled_by_side(structures):
    from viz.comparison import Comparison
    from viz.page import run_labels

    assert run_labels(Comparison("asia", *structures)) == ["collective (left)", "collective (right)"]
    assert run_labels(Comparison("asia")) == ["hub_and_spoke", "collective"]
