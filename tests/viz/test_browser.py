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

from tests.support.interrupt import as_in_a_terminal
from tests.support.project import ROOT
from tests.support.viz_fixtures import EVENTFUL

CHROMIUM = Path("/usr/bin/chromium")

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


def serve(tmp_path_factory, *options: str):
    """``run.py viz`` with ``options`` on a free port, offline: yields its address, then stops it."""
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
            [sys.executable, "run.py", "viz", "--host", "127.0.0.1", "--port", str(port), *options],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=as_in_a_terminal,
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
def server(tiny_results, tmp_path_factory):
    yield from serve(tmp_path_factory, "--seed", str(SEED), "--results", str(tiny_results))




@pytest.fixture(scope="module")
def eventful():
    """(seed, {"tie ended": (side, step), "buck-passing": (side, step)}): the first seed at which,
    within 150 steps of asia under :data:`EVENTFUL`, a tie ends in one pane and an obliged state
    passes the buck in one (the first of each), computed with the model."""
    from model import DeterrenceModel
    from scenarios import load

    asia = load("asia")
    for seed in range(1, 61):
        found: dict[str, tuple[int, int]] = {}
        for side, structure in enumerate(("hub_and_spoke", "collective")):
            model = DeterrenceModel(asia, structure, rng=seed, collect=False, **EVENTFUL)
            for _ in range(150):
                model.step()
                if any(e.kind == "tie ended" and e.step == model.steps for e in model.events):
                    found.setdefault("tie ended", (side, model.steps))
                if any(c.buck_passers for c in model.crises):
                    found.setdefault("buck-passing", (side, model.steps))
        if len(found) == 2:
            return seed, found
    pytest.fail("no seed in 1..60 has a tie ending and a buck-passer within 150 steps")


@pytest.fixture(scope="module")
def eventful_server(eventful, tmp_path_factory):
    seed, _ = eventful
    yield from serve(tmp_path_factory, "--seed", str(seed),
                     *(f"--set={name}={value}" for name, value in EVENTFUL.items()))


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


@pytest.fixture
def watched_eventful(browser, eventful_server):
    page = Watched(browser, eventful_server)
    yield page
    page.close()


def reference(steps: int = 0):
    """The page's runs computed here: asia, hub_and_spoke and collective, the server's seed."""
    from viz.comparison import Comparison

    pair = Comparison("asia", "hub_and_spoke", "collective", seed=SEED)
    pair.run(steps)
    return pair


def logs(page) -> list[list[str]]:
    """Each pane's log as the page shows it: every entry's line, newest first."""
    return [page.locator(f".deterrence-pane-{k} .deterrence-log-entry > .deterrence-log-line")
            .all_inner_texts() for k in range(2)]


def wait_for_logs(page, pair, step: int) -> None:
    """Wait until both logs show the entries the panes' logs had at ``step``, newest first."""
    from playwright.sync_api import expect

    for k, pane in enumerate(pair.panes):
        expect(page.locator(f".deterrence-pane-{k} .deterrence-log-box")).to_have_attribute(
            "data-shown", str(pane.records[step].entries))
        expect(page.locator(f".deterrence-pane-{k} .deterrence-log-entry > .deterrence-log-line")
               ).to_have_text(pane.log_lines(step))


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


def keep(page, name: str, shot: Path | None = None) -> None:
    """Keep a screenshot of the page in ``$VIZ_SCREENSHOT_DIR``, if set."""
    folder = os.environ.get("VIZ_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if shot is not None:
        shutil.copy(shot, Path(folder) / name)
    else:
        page.screenshot(path=str(Path(folder) / name))


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


def check_text_sizes(page) -> None:
    """Every text a reader must read is at least 12 px on screen (the key, the alliance box, the log
    and its filter), and the map's labels at least 11 px (states) and 10 px (flashpoints), as drawn
    (the map scales its view box to its tile)."""
    sizes = page.evaluate("""() => {
        const out = {};
        for (const sel of ['.deterrence-key', '.deterrence-alliance-line', '.deterrence-log-line',
                           '.deterrence-log-detail', '.deterrence-log-filter']) {
            out[sel] = [...document.querySelectorAll(sel)].map(
                e => parseFloat(getComputedStyle(e).fontSize));
        }
        for (const cls of ['label-state', 'label-hub', 'label-flashpoint']) {
            out[cls] = [...document.querySelectorAll('text.' + cls)].map(
                e => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a);
        }
        return out;
    }""")
    least = {".deterrence-key": 12, ".deterrence-alliance-line": 12, ".deterrence-log-line": 12,
             ".deterrence-log-detail": 12, ".deterrence-log-filter": 12, "label-state": 11,
             "label-hub": 11, "label-flashpoint": 10}
    for selector, found in sizes.items():
        assert found or selector == ".deterrence-log-detail", selector
        assert min(found, default=least[selector]) >= least[selector], (selector, min(found))


def test_view_renders_offline_and_fits_the_window(watched, tmp_path):
    page = watched.open_view()
    size = page.evaluate("() => [document.scrollingElement.scrollWidth, "
                         "document.scrollingElement.scrollHeight]")
    assert size == [WINDOW["width"], WINDOW["height"]]  # nothing to scroll to
    for selector in ("svg.deterrence-network", ".deterrence-charts canvas", ".deterrence-legend",
                     ".deterrence-log", ".deterrence-log-filter"):
        for box in boxes(page, selector):
            assert box["x"] >= 0 and box["y"] >= 0, selector
            assert box["x"] + box["w"] <= WINDOW["width"] and box["y"] + box["h"] <= WINDOW["height"]
    for k in range(2):  # the map fills its tile: no blank band above or below it
        (tile,) = boxes(page, f".deterrence-pane-{k} .deterrence-map")
        (frame,) = boxes(page, f".deterrence-pane-{k} rect.map-frame")
        assert frame["h"] >= 0.97 * tile["h"] or frame["w"] >= 0.97 * tile["w"]
        assert tile["h"] >= 350 and tile["w"] >= 500
    (charts,) = boxes(page, ".deterrence-charts canvas")
    assert charts["w"] >= 1000 and charts["h"] >= 200  # ten panels in two rows
    (legend,) = boxes(page, ".deterrence-legend")
    (main,) = boxes(page, ".deterrence-main")
    assert charts["y"] + charts["h"] <= main["y"] + main["h"]
    assert charts["y"] - (legend["y"] + legend["h"]) < 30  # charts right below the key
    for k in range(2):  # each pane's parts one below the other, none over another, above the key
        parts = [boxes(page, f".deterrence-pane-{k} {part}")[0] for part in (
            ".deterrence-title", ".deterrence-map", ".deterrence-alliance", ".deterrence-log-bar",
            ".deterrence-log")]
        assert overlapping(parts) == []
        assert [p["y"] for p in parts] == sorted(p["y"] for p in parts)
        assert parts[-1]["y"] + parts[-1]["h"] <= legend["y"] + 0.5
        heading = boxes(page, f".deterrence-pane-{k} .deterrence-heading")
        summary = boxes(page, f".deterrence-pane-{k} .deterrence-summary")
        assert overlapping(heading + summary) == []
    for badge in boxes(page, "text=This website runs on"):  # Solara's corner badge
        assert overlapping([badge, charts]) == []
    check_map_labels(page)
    check_text_sizes(page)
    pair = reference()
    wait_for_logs(page, pair, 0)
    assert logs(page) == [p.log_lines(0) for p in pair.panes]  # the first review (formation)
    shot = tmp_path / "browser_view.png"
    page.screenshot(path=str(shot))
    keep(page, shot.name, shot)


def test_each_of_several_quick_clicks_advances_a_step(watched):
    page = watched.open_view()
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(3):
        step.click()  # no waiting in between
    watched.shows(3, 3)
    pair = reference(3)
    wait_for_logs(page, pair, 3)
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
    wait_for_logs(page, pair, expected)
    shown = logs(page)
    assert shown == [p.log_lines(expected) for p in pair.panes]
    crisis_lines = [page.locator(f".deterrence-pane-{k} .deterrence-log-crisis").all_inner_texts()
                    for k in range(2)]
    assert any(line.startswith(f"step {expected} ·") for lines in crisis_lines for line in lines)
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
        pacts = page.eval_on_selector_all(f".deterrence-pane-{k} path.pact",
                                          "els => els.map(e => [e.id, e.getAttribute('d')])")
        assert pacts == [[f"p{k}:{c['id']}", c["d"]] for c in expected["pacts"]]
    wait_for_logs(page, pair, earlier)
    assert logs(page) == [p.log_lines(earlier) for p in pair.panes]


def test_no_label_overlaps_another_on_any_shipped_scenario(watched):
    from playwright.sync_api import expect

    from model import DeterrenceModel
    from scenarios import available, load
    from viz.comparison import Comparison
    from viz.drawing import make_scene
    from viz.network import network
    from viz.side_by_side_page import alliance_entries, alliance_rows

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
        pair = Comparison(name, "hub_and_spoke", "collective", seed=SEED)
        wait_for_logs(page, pair, 0)  # each log is this run's, not the run before's
        assert logs(page) == [p.log_lines(0) for p in pair.panes]
        rows = alliance_rows(pair)
        for k, pane in enumerate(pair.panes):  # how each structure formed, in this scenario
            lines = [words for words, _ in alliance_entries(pane, rows)]
            expect(page.locator(f".deterrence-pane-{k} .deterrence-alliance-line")).to_have_text(lines)
            box = f".deterrence-pane-{k} .deterrence-alliance"
            more = page.eval_on_selector(box, "e => e.scrollHeight > e.clientHeight + 1")
            if len(lines) > rows:
                assert more and "(scroll for all)" in lines[2]
            if more:  # it scrolls to its last line
                page.eval_on_selector(box, "e => { e.scrollTop = e.scrollHeight; }")
                (shown,) = boxes(page, box)
                last = boxes(page, f"{box} .deterrence-alliance-line")[-1]
                assert last["y"] + last["h"] <= shown["y"] + shown["h"] + 0.5
        keep(page, f"scenario_{name}.png")


def test_explorer_lists_the_experiment_and_a_cell_opens_its_stored_runs(watched, tiny_results):
    from playwright.sync_api import expect

    from analysis.results import load
    from viz.replay_card import number

    page = watched.open_view()
    page.get_by_role("button", name="Results explorer").click()
    expect(page.locator(".explorer-experiments")).to_contain_text("tiny-quick")
    phase = page.locator(".deterrence-vega").first
    expect(phase).to_have_attribute("data-rendered", "phase")
    rows = page.locator(".explorer-points tbody tr")
    expect(rows.first).to_be_visible()
    page.set_viewport_size({"width": WINDOW["width"], "height": 600})  # the table below the fold
    page.mouse.move(WINDOW["width"] / 2, 400)
    page.mouse.wheel(0, 5000)  # as a user scrolls
    expect(rows.last).to_be_in_viewport()
    page.set_viewport_size(WINDOW)
    runs = load(tiny_results / "tiny-quick").runs
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


# --- every mechanism on the page ------------------------------------------------------------------


def marker(page, side: int, node_id: str) -> dict:
    """A marker's classes, its shape's ring, its pressure band and its notes, as the page draws them."""
    return page.evaluate("""(id) => {
        const g = document.getElementById(id);
        if (!g) { return null; }
        const shape = g.querySelector('.marker-shape');
        const band = g.querySelector('circle.pressure-band');
        return {cls: g.getAttribute('class'), stroke: shape.getAttribute('stroke'),
                autonomy: g.getAttribute('data-autonomy'), wedge: g.getAttribute('data-wedge'),
                band: band ? band.getAttribute('stroke-width') : null,
                outside: g.querySelector('circle.outside-ring') !== null,
                title: g.querySelector('title').textContent};
    }""", f"p{side}:{node_id}")


def ids(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.id)")


def run(page, steps: int) -> None:
    page.locator(".deterrence-count input").fill(str(steps))
    page.get_by_role("button", name="Run", exact=True).click()


def test_formation_shows_each_partys_verdict_and_value(watched):
    """On the first seed whose first review has a party decline and a party willing but left out
    (found with the model), each pane's alliance box says how its structure formed and each party's
    verdict -- joined, declined, willing -- with its value in parts, and the map marks who stayed
    outside, with the same words in its notes."""
    from playwright.sync_api import expect

    from viz.comparison import Comparison
    from viz.side_by_side_page import alliance_entries, alliance_rows

    def verdicts(pair) -> set[str]:
        return {j.verdict for p in pair.panes for j in p.formation.judgements}

    seed = next(s for s in range(1, 100) if {"declined", "willing"} <= verdicts(
        Comparison("asia", "hub_and_spoke", "collective", seed=s)))
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=seed)
    page = watched.open_view()
    page.get_by_role("button", name="Step", exact=True).click()
    watched.shows(1, 1)
    page.get_by_label("seed (both panes)").fill(str(seed))
    page.get_by_role("button", name="Reset").click()
    watched.shows(0, 0)  # new runs, from the seed
    found = set()
    for k, pane in enumerate(pair.panes):
        formation = pane.formation
        entries = alliance_entries(pane, alliance_rows(pair))
        box = page.locator(f".deterrence-pane-{k} .deterrence-alliance-line")
        expect(box).to_have_text([words for words, _ in entries])
        headline = box.first.inner_text()
        assert headline.startswith(("Alliance formed at the first review: ",
                                    "Alliance did not form at the first review: "))
        assert box.nth(1).inner_text().startswith("Latest review: step 0 · the first, at formation")
        bound = pane.model.graph.bound()
        for line, judgement in zip(range(3, len(entries)), formation.judgements, strict=True):
            found.add(judgement.verdict)
            shown = box.nth(line)
            assert shown.inner_text() == judgement.line
            assert f"deterrence-alliance-{judgement.kind}" in shown.get_attribute("class")
            assert judgement.value.describe() in judgement.line  # the value in parts
            notes = marker(page, k, f"state:{judgement.party}")
            assert judgement.line in notes["title"]
            index = next(s.index for s in pane.model.states if s.name == judgement.party)
            if bound[index]:
                assert not notes["outside"]
            else:  # never bound: a dashed ring outside its marker, not "left"
                assert "state-not-joined" in notes["cls"] and notes["outside"]
    assert {"declined", "willing"} <= found
    assert "did not join" in page.locator(".deterrence-legend").inner_text()


def test_pressure_on_each_member_and_the_wedge_match_the_model(watched):
    """After three steps, every state's autonomy and wedge pressure on the page are the model's,
    in its notes and as the width of its band; the wedge lines run to the members it pressed."""
    from viz.drawing import pressure_width
    from viz.network import network, pressure_scale

    page = watched.open_view()
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(3):
        step.click()
    watched.shows(3, 3)
    pair = reference(3)
    bands = 0
    for k, pane in enumerate(pair.panes):
        model = pane.model
        scale = pressure_scale(model)
        for state in model.states:
            shown = marker(page, k, f"state:{state.name}")
            autonomy, wedge = state.autonomy_pressure, state.wedge_pressure
            assert float(shown["autonomy"]) == round(autonomy, 6)
            assert float(shown["wedge"]) == round(wedge, 6)
            if autonomy + wedge > 0:
                bands += 1
                assert float(shown["band"]) == pressure_width(autonomy + wedge, scale)
                assert (f"peacetime pressure this step: autonomy {autonomy:.4f} + wedge "
                        f"{wedge:.4f}") in shown["title"]
            else:
                assert shown["band"] is None
        expected = [f"p{k}:wedge:{link.source}->{link.target}" for link in network(model).wedges]
        assert ids(page, f".deterrence-pane-{k} path.wedge-line") == expected
    assert bands >= 2


def test_a_tie_that_ended_and_a_buck_passer_are_shown_at_their_steps(watched_eventful, eventful):
    """The first tie to end (on the seed found with the model) is drawn crossed in red, and named in
    the log, at its step and not the step before; the first buck-passers are marked as such, with
    their line to the flashpoint and their words in the log."""
    # One test: starting a browser page is the slow part, so one page is followed through the story.
    from playwright.sync_api import expect

    from viz.comparison import Comparison
    from viz.drawing import BUCK_PASSER_COLOUR

    seed, found = eventful
    (tie_side, tie_step), (buck_side, buck_step) = found["tie ended"], found["buck-passing"]
    pair = Comparison("asia", "hub_and_spoke", "collective", seed=seed, **EVENTFUL)
    pair.run(max(tie_step, buck_step))
    page = watched_eventful.open_view()

    def tie_is_shown() -> None:
        pane = pair.panes[tie_side]
        events = [e for e in pane.model.events if e.kind == "tie ended" and e.step == tie_step]
        ended = [t for t in pane.records[tie_step].network.ended if t.end == tie_step]
        assert events and len(ended) >= len(events)
        for tie in ended:
            element = page.locator(f'[id="p{tie_side}:{tie.id}"]')
            expect(element).to_have_class("ended-tie ended-now")
            assert "\n".join(tie.notes) == element.locator("title").text_content()
        # the review that ended it, in the log, with each party's value in the model's words
        review = page.locator(f".deterrence-pane-{tie_side} .deterrence-log-review").filter(
            has_text=f"step {tie_step} · review: ")
        expect(review).to_have_count(1)
        details = review.locator(".deterrence-log-detail").all_inner_texts()
        for event in events:
            ended_part = review.inner_text().split("tie ended: ", 1)[1].split(" · ")[0]
            assert " – ".join(event.states) in ended_part.split(", ")
            for part in event.detail.split("; "):
                name, value = part.split(": ", 1)
                assert any(d.startswith(f"{name} ") and d.endswith(value) for d in details)
        assert "alliance event" in page.locator(
            f".deterrence-pane-{tie_side} .deterrence-summary").inner_text()

    def buck_passers_are_shown() -> None:
        pane = pair.panes[buck_side]
        record = pane.records[buck_step].network
        passers = {name for crisis in record.crises for name in crisis.buck_passers}
        assert passers
        lines = ids(page, f".deterrence-pane-{buck_side} path.crisis-passed-the-buck")
        for name in passers:
            assert marker(page, buck_side, f"state:{name}")["stroke"] == BUCK_PASSER_COLOUR
            assert any(line.startswith(f"p{buck_side}:crisis:passed the buck:state:{name}->")
                       for line in lines)
        wait_for_logs(page, pair, buck_step)
        assert any("obliged but passed the buck: " in line for line in logs(page)[buck_side])

    if tie_step <= buck_step:
        run(page, tie_step)
        watched_eventful.shows(tie_step, tie_step)
        wait_for_logs(page, pair, tie_step)
        tie_is_shown()
        if tie_step == buck_step:
            buck_passers_are_shown()
        page.get_by_role("button", name="◀ Back").click()
        watched_eventful.shows(tie_step - 1, tie_step)
        before = pair.panes[tie_side].records[tie_step - 1].network
        assert ids(page, f".deterrence-pane-{tie_side} g.ended-tie") == [
            f"p{tie_side}:{t.id}" for t in before.ended]
        if buck_step > tie_step - 1:
            run(page, buck_step - tie_step + 1)
            watched_eventful.shows(buck_step, buck_step)
        buck_passers_are_shown()
    else:
        run(page, buck_step)
        watched_eventful.shows(buck_step, buck_step)
        buck_passers_are_shown()
        run(page, tie_step - buck_step)
        watched_eventful.shows(tie_step, tie_step)
        wait_for_logs(page, pair, tie_step)
        tie_is_shown()
    legend = page.locator(".deterrence-legend").inner_text()
    assert "passed the buck" in legend and "tie ended" in legend


# --- reviews, the whole log and its filter, the pact, the charts' legends -------------------------


def test_a_review_appears_with_its_reasons_and_the_whole_log_filters(watched):
    """Run to the first later review that changed membership (found with the model): the log shows it
    with each party's value in parts and the alliance box names it as the latest review; run on to
    step 200 and the log still holds it and every other entry (the newcomer's "an exit at step 64 is
    gone by step 200"); the filter keeps exactly the entries that hold its words."""
    # One test: starting a browser page is the slow part, so one page is followed through the story.
    from playwright.sync_api import expect

    from viz.reviews import review_texts

    pair = reference(200)
    (side, text), *_ = sorted(((k, t) for k, p in enumerate(pair.panes)
                               for t in review_texts(p.model) if t.changed and not t.first),
                              key=lambda found: found[1].step)
    pane = pair.panes[side]
    at = text.step
    page = watched.open_view()
    run(page, at)
    watched.shows(at, at)
    wait_for_logs(page, pair, at)
    mine = f".deterrence-pane-{side}"
    entry = page.locator(f"{mine} .deterrence-log-review").filter(has_text=text.headline)
    expect(entry).to_have_count(1)
    assert entry.locator(".deterrence-log-line").inner_text() == text.headline
    assert entry.locator(".deterrence-log-detail").all_inner_texts() == text.details()
    assert all(j.value.describe() in line for j, line in zip(
        [j for j in text.judgements if j.changed], text.details(), strict=True))
    latest = page.locator(f"{mine} .deterrence-latest-review")
    assert latest.inner_text() == pane.records[at].review[0]
    assert latest.get_attribute("title") == "\n".join(pane.records[at].review[1:])
    assert logs(page) == [p.log_lines(at) for p in pair.panes]

    run(page, 200 - at)
    watched.shows(200, 200)
    wait_for_logs(page, pair, 200)
    assert logs(page) == [p.log_lines(200) for p in pair.panes]  # every entry, newest first
    assert text.headline in logs(page)[side]
    for k, other in enumerate(pair.panes):
        assert len(logs(page)[k]) == other.records[200].entries > 8
        assert page.locator(f".deterrence-pane-{k} .deterrence-log-count").inner_text() == (
            f"{other.records[200].entries} entries")
    log = pane.history(200)
    party = text.judgements[[j.changed for j in text.judgements].index(True)].party
    for query in (party.upper(), "review", "  deterred at  "):
        expected = [e for e in reversed(log) if e.matches(query)]
        assert 0 < len(expected) < len(log), query
        page.locator(f"{mine} .deterrence-log-filter").fill(query)
        expect(page.locator(f"{mine} .deterrence-log-box")).to_have_attribute(
            "data-shown", str(len(expected)))
        assert logs(page)[side] == [e.text for e in expected]
        assert page.locator(f"{mine} .deterrence-log-count").inner_text() == (
            f"{len(expected)} of {len(log)} entries")
        # the other pane's log is its own
        assert len(logs(page)[1 - side]) == pair.panes[1 - side].records[200].entries
    page.locator(f"{mine} .deterrence-log-filter").fill("no such words in any log")
    expect(page.locator(f"{mine} .deterrence-log-box")).to_have_attribute("data-shown", "0")
    expect(page.locator(f"{mine} .deterrence-log .deterrence-quiet")).to_have_text(
        "no entry holds “no such words in any log”")
    page.locator(f"{mine} .deterrence-log-filter").fill("")
    expect(page.locator(f"{mine} .deterrence-log-box")).to_have_attribute("data-shown", str(len(log)))
    log_box = f"{mine} .deterrence-log"  # it scrolls: its oldest entry can be brought into view
    assert page.eval_on_selector(log_box, "e => e.scrollHeight > e.clientHeight")
    page.eval_on_selector(log_box, "e => { e.scrollTop = e.scrollHeight; }")
    (shown,) = boxes(page, log_box)
    oldest = boxes(page, f"{log_box} .deterrence-log-entry")[-1]
    assert oldest["text"].startswith("step 0 · first review: ")
    assert shown["y"] <= oldest["y"] + oldest["h"] <= shown["y"] + shown["h"] + 0.5


def test_the_pact_is_one_outline_and_the_charts_have_legends(watched):
    """The collective pane draws its pact as one outline around its members, with no obligation
    arrow; the hub-and-spoke pane draws arrows. The charts show a legend of the runs' colours and,
    in each panel with two quantities, which is solid and which dashed (read from the chart's own
    scene graph)."""
    from viz.charts import NAMES, PANELS
    from viz.drawing import frame, make_scene

    page = watched.open_view()
    pair = reference()
    scene = make_scene(pair.panes[0].records[0].network)
    expected = [frame(p.records[0].network, scene) for p in pair.panes]
    assert expected[1]["pacts"] and expected[0]["edges"]
    for k in range(2):
        drawn = page.eval_on_selector_all(f".deterrence-pane-{k} path.pact", """els => els.map(e => {
            const inside = e.getAttribute('data-members').split(';').map(id => {
                const c = document.getElementById('p' + ${k} + ':' + id).querySelector('circle.marker-shape');
                const point = new DOMPoint(+c.getAttribute('cx'), +c.getAttribute('cy'));
                return e.isPointInFill(point);
            });
            return [e.getAttribute('data-members'), inside];
        })""".replace("${k}", str(k)))
        assert drawn == [[";".join(c["members"]), [True] * len(c["members"])]
                         for c in expected[k]["pacts"]]
        arrows = ids(page, f".deterrence-pane-{k} path.obligation")
        assert arrows == [f"p{k}:{e['id']}" for e in expected[k]["edges"]]
    assert ids(page, ".deterrence-pane-1 path.obligation") == []
    assert "collective pact" in page.locator(".deterrence-legend").inner_text()
    labels = page.evaluate("""() => {
        const view = document.querySelector('.deterrence-charts .deterrence-vega').__vue__.view;
        const found = [];
        const walk = (node) => {
            if (!node) { return; }
            if (node.marktype && node.role === 'legend-label') {
                for (const item of node.items) { found.push(item.text); }
            }
            for (const item of (node.items || [])) { walk(item); }
        };
        walk(view.scenegraph().root);
        return found;
    }""")
    assert set(labels) >= {"hub-and-spoke", "collective"}
    pairs = [[NAMES[c] for c in columns] for _, columns, _ in PANELS if len(columns) == 2]
    assert len(pairs) == 4
    for names in pairs:
        assert set(names) <= set(labels), names
