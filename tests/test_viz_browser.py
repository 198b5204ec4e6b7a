"""The browser view in a real browser: offline, fitting the window, stepping, looking back, replaying.

Starts ``python run.py viz`` on 127.0.0.1 (a free port) with the CDN pointed at a dead address, so
every browser package must come from the offline asset cache, and with a results folder holding the
``tiny`` experiment. Debian's chromium, driven by Playwright, loads each page at 1500 x 1000 in a new
session. Every wait is for a state the page reports (text, ``data-step`` of the maps,
``data-rendered`` of the charts), never for a clock; every expected value is computed here with the
model. Each test fails on a failed request or a page error, and the server is stopped at the end.
Skipped only when ``/usr/bin/chromium`` is absent (``apt-get install chromium``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
DEAD_CDN = "http://127.0.0.1:9/npm/"  # nothing listens on the discard port: no asset from outside
WINDOW = {"width": 1500, "height": 1000}
SEED = 1
WAIT = 120_000  # ms: an upper bound for a loaded machine, not a clock the test relies on

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="real-browser test skipped: Debian's chromium is not installed at /usr/bin/chromium "
           "(apt-get install chromium)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    from experiments import design, runner

    root = tmp_path_factory.mktemp("results")
    runner.run_experiment(design.load("tiny", quick=True), out=root, workers=1, progress=False)
    return root


@pytest.fixture(scope="module")
def server(results, tmp_path_factory):
    from viz import assets

    try:
        assets.prepare(assets.DEFAULT_CACHE, log=lambda _: None)
    except assets.AssetError as problem:
        pytest.fail(f"the offline asset cache cannot be prepared: {problem}")
    port = free_port()
    log_path = tmp_path_factory.mktemp("viz-server") / "server.log"
    env = {**os.environ, "SOLARA_ASSETS_CDN": DEAD_CDN, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "run.py", "viz", "--host", "127.0.0.1", "--port", str(port),
             "--seed", str(SEED), "--results", str(results)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:  # the server answering is a state it reports; the deadline only bounds a hang
            if process.poll() is not None:
                pytest.fail(f"the server stopped (exit {process.returncode}):\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(base, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer at {base}:\n{log_path.read_text()}")
            time.sleep(0.5)
        text = log_path.read_text()
        assert f"browser view: {base}" in text and "offline asset cache" in text
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


class Watched:
    """A page in a new session, with every failed request and page error collected."""

    def __init__(self, browser, base: str):
        self.base = base
        self.failures: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport=WINDOW)
        page = self.page
        page.set_default_timeout(WAIT)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failures.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: self.failures.append(f"{r.url}: HTTP {r.status}")
                if r.status >= 400 else None)
        page.on("pageerror", lambda e: self.failures.append(f"page error: {e}"))
        page.on("console", lambda m: self.failures.append(f"console: {m.text}")
                if m.type == "error" else None)

    def open_view(self):
        self.page.goto(self.base, timeout=WAIT)
        self.shows(0, 0)
        return self.page

    def shows(self, step: int, latest: int) -> None:
        """Wait until the counter, both maps and the charts show ``step`` of ``latest`` (the charts
        holding one row per run and step)."""
        from playwright.sync_api import expect

        page = self.page
        expect(page.locator(".deterrence-step")).to_have_text(f"step {step} of {latest}")
        for k in range(2):
            expect(page.locator("svg.deterrence-network").nth(k)).to_have_attribute(
                "data-step", str(step))
        charts = page.locator(".deterrence-charts .deterrence-vega")
        expect(charts).to_have_attribute("data-rendered", f"{latest}:{step}")
        expect(charts).to_have_attribute("data-rows", str(2 * latest))

    def close(self) -> None:
        self.page.close()
        assert self.failures == []
        outside = [u for u in self.requests if not u.startswith((self.base, "blob:", "data:"))]
        assert outside == []


@pytest.fixture
def watched(browser, server):
    page = Watched(browser, server)
    yield page
    page.close()


def reference(steps: int = 0):
    """The page's runs computed here: asia, hub_and_spoke and collective, the server's seed."""
    from viz.comparison import Comparison

    pair = Comparison("asia", "hub_and_spoke", "collective", seed=SEED)
    pair.run(steps)
    return pair


def logs(page) -> list[list[str]]:
    return [page.locator(f".deterrence-pane-{k} .deterrence-log-line").all_inner_texts()
            for k in range(2)]


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, "els => els.map(e => { const b = "
                                               "e.getBoundingClientRect(); return {x: b.x, y: b.y, "
                                               "w: b.width, h: b.height, text: e.textContent}; })")


def overlapping(rects: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            if (min(a["x"] + a["w"], b["x"] + b["w"]) > max(a["x"], b["x"])
                    and min(a["y"] + a["h"], b["y"] + b["h"]) > max(a["y"], b["y"])):
                found.append((a["text"], b["text"]))
    return found


def check_map_labels(page) -> None:
    """In both maps: every label inside its map, none overlapping another (browser geometry)."""
    for k in range(2):
        svg = f"svg.deterrence-network >> nth={k}"
        frame = boxes(page, f".deterrence-pane-{k} rect.map-frame")[0]
        labels = boxes(page, f".deterrence-pane-{k} text.map-label")
        assert labels, "no labels drawn"
        assert overlapping(labels) == [], svg
        for label in labels:
            assert frame["x"] <= label["x"] and label["x"] + label["w"] <= frame["x"] + frame["w"] + 0.5
            assert frame["y"] <= label["y"] and label["y"] + label["h"] <= frame["y"] + frame["h"] + 0.5


def test_view_renders_offline_and_fits_the_window(watched, tmp_path):
    page = watched.open_view()
    size = page.evaluate("() => [document.scrollingElement.scrollWidth, "
                         "document.scrollingElement.scrollHeight]")
    assert size == [WINDOW["width"], WINDOW["height"]]  # nothing to scroll to
    for selector in ("svg.deterrence-network", ".deterrence-charts canvas", ".deterrence-legend",
                     ".deterrence-log"):
        for box in boxes(page, selector):
            assert box["x"] >= 0 and box["y"] >= 0, selector
            assert box["x"] + box["w"] <= WINDOW["width"] and box["y"] + box["h"] <= WINDOW["height"]
    for k in range(2):  # the map fills its tile: no blank band above or below it
        (tile,) = boxes(page, f".deterrence-pane-{k} .deterrence-map")
        (frame,) = boxes(page, f".deterrence-pane-{k} rect.map-frame")
        assert frame["h"] >= 0.97 * tile["h"] or frame["w"] >= 0.97 * tile["w"]
        assert tile["h"] >= 380 and tile["w"] >= 500
    (charts,) = boxes(page, ".deterrence-charts canvas")
    assert charts["w"] >= 900 and charts["h"] >= 250
    (legend,) = boxes(page, ".deterrence-legend")
    (main,) = boxes(page, ".deterrence-main")
    assert charts["y"] + charts["h"] <= main["y"] + main["h"]
    assert charts["y"] - (legend["y"] + legend["h"]) < 30  # charts right below the key
    for badge in boxes(page, "text=This website runs on"):  # Solara's corner badge
        assert overlapping([badge, charts]) == []
    check_map_labels(page)
    assert logs(page) == [[], []]
    shot = tmp_path / "browser_view.png"
    page.screenshot(path=str(shot))
    keep = os.environ.get("VIZ_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_each_of_several_quick_clicks_advances_a_step(watched):
    page = watched.open_view()
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(3):
        step.click()  # no waiting in between
    watched.shows(3, 3)
    pair = reference(3)
    assert logs(page) == [p.log_lines(3) for p in pair.panes]
    summaries = page.locator(".deterrence-summary").all_inner_texts()
    assert summaries == [p.records[3].summary for p in pair.panes]


def test_next_crisis_stops_at_a_step_whose_crisis_log_is_not_empty(watched):
    page = watched.open_view()
    pair = reference()
    expected = pair.next_crisis(0)
    assert expected is not None and expected > 1
    page.get_by_role("button", name="Next crisis").click()
    watched.shows(expected, expected)
    shown = logs(page)
    assert shown == [p.log_lines(expected) for p in pair.panes]
    assert any(line.startswith(f"step {expected} ·") for lines in shown for line in lines)
    assert page.locator(".deterrence-summary").all_inner_texts() == [
        p.records[expected].summary for p in pair.panes]


def test_the_step_slider_shows_an_earlier_steps_network(watched):
    from viz.drawing import frame, make_scene

    page = watched.open_view()
    page.locator(".deterrence-count input").fill("20")
    page.get_by_role("button", name="Run", exact=True).click()
    watched.shows(20, 20)
    pair = reference(20)
    earlier = next(k for k in range(1, 20) if pair.has_crisis(k))  # a step with a crisis to show
    slider = page.locator(".deterrence-slider [role=slider]")
    slider.focus()
    slider.press("Home")
    watched.shows(0, 20)
    for _ in range(earlier):
        slider.press("ArrowRight")
    watched.shows(earlier, 20)
    scene = make_scene(pair.panes[0].records[0].network)
    for k, pane in enumerate(pair.panes):
        expected = frame(pane.records[earlier].network, scene)
        markers = page.eval_on_selector_all(
            f".deterrence-pane-{k} g.marker", "els => els.map(e => [e.id, e.getAttribute('class')])")
        assert markers == [[f"p{k}:{n['id']}", f"marker {n['cls']}"] for n in expected["nodes"]]
        lines = page.eval_on_selector_all(f".deterrence-pane-{k} path.crisis-line",
                                          "els => els.map(e => e.id)")
        assert lines == [f"p{k}:{link['id']}" for link in expected["links"]]
        edges = page.eval_on_selector_all(f".deterrence-pane-{k} path.obligation",
                                          "els => els.map(e => e.id)")
        assert edges == [f"p{k}:{edge['id']}" for edge in expected["edges"]]
    assert logs(page) == [p.log_lines(earlier) for p in pair.panes]


def test_no_label_overlaps_another_on_any_shipped_scenario(watched):
    from playwright.sync_api import expect

    from model import DeterrenceModel
    from scenarios import available, load
    from viz.drawing import make_scene
    from viz.network import network

    page = watched.open_view()
    for name in available():
        labels = [m.label for m in make_scene(network(DeterrenceModel(load(name), rng=0))).marks]
        page.locator(".deterrence-settings .v-select").first.click()
        page.get_by_role("option", name=name, exact=True).click()
        expect(page.locator(".deterrence-settings .v-select").first).to_contain_text(name)
        page.get_by_role("button", name="Reset").click()
        for k in range(2):  # both maps show this scenario's places
            expect(page.locator(f".deterrence-pane-{k} text.map-label")).to_have_text(labels)
        watched.shows(0, 0)
        check_map_labels(page)


def test_explorer_lists_the_experiment_and_a_cell_opens_its_stored_runs(watched, results):
    from playwright.sync_api import expect

    from analysis.results import load
    from viz.replay_card import number

    page = watched.open_view()
    page.get_by_role("button", name="Results explorer").click()
    expect(page.locator(".explorer-experiments")).to_contain_text("tiny-quick")
    phase = page.locator(".deterrence-vega").first
    expect(phase).to_have_attribute("data-rendered", "phase")
    runs = load(results / "tiny-quick").runs
    point = 3
    at = runs[(runs["point"] == point) & (runs["replicate"] == 0)]
    x, y = at["red_line_divergence"].iloc[0], at["mean_hedging"].iloc[0]
    cell = page.locator(f'path[aria-label*="design point: {point}"]').first
    cell.click()
    watched.shows(0, int(at["steps"].iloc[0]))
    factors = page.locator(".deterrence-replay-factor").all_inner_texts()
    assert factors == [f"red_line_divergence = {x:g}", f"mean_hedging = {y:g}"]
    for side, structure in (("left", "hub_and_spoke"), ("right", "collective")):
        expect(page.locator(f".deterrence-replay-verdict-{side}")).to_contain_text("all equal")
        stored = at[at["structure"] == structure].iloc[0]
        table = page.locator(f".deterrence-replay-table-{side} tr.replay-metric")
        assert table.count() >= 5
        for row in range(table.count()):
            metric = table.nth(row).get_attribute("data-metric")
            cells = table.nth(row).locator("td").all_inner_texts()
            assert cells[1] == cells[2] == number(stored[metric])  # stored, replayed
