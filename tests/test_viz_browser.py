"""The browser view in a real browser: it renders fully from the offline cache, and Step works.

Starts ``python run.py viz`` on 127.0.0.1 on a free port with the CDN pointed at a dead address, so
every browser package must come from the offline asset cache; loads the page in Debian's chromium
with Playwright; checks the main panel, Step x3, the charts' pixels and the crisis log against the
model run in this process; saves a screenshot; stops the server. Skipped only when
``/usr/bin/chromium`` is absent (``apt-get install chromium``).
"""

from __future__ import annotations

import io
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
OPPORTUNITY_SCALE = 5.0  # so that the first three steps hold crises for the log to show
STEPS = 3

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="real-browser test skipped: Debian's chromium is not installed at /usr/bin/chromium "
           "(apt-get install chromium)",
)


def busy_seed(steps: int, after: int = 0) -> tuple[int, list[list[str]]]:
    """The first seed above ``after`` under which both panes see an aggression at step ``steps``,
    and the panes' crisis logs then.

    Computed with the model itself (no outcome is hard-coded): the log the page must show.
    """
    from viz.comparison import Comparison
    from viz.crisis_log import log_lines

    for seed in range(after + 1, after + 500):
        pair = Comparison("asia", "hub_and_spoke", "collective", seed=seed,
                          opportunity_scale=OPPORTUNITY_SCALE)
        for _ in range(steps):
            pair.step()
        if all(any(c.severity is not None for c in model.crises) for _, model in pair.models):
            return seed, [log_lines(model) for _, model in pair.models]
    pytest.fail(f"no seed gives both panes an aggression at step {steps}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def asset_cache():
    from viz import assets

    try:
        assets.prepare(assets.DEFAULT_CACHE, log=lambda _: None)
    except assets.AssetError as problem:
        pytest.fail(f"the offline asset cache cannot be prepared: {problem}")
    return assets.DEFAULT_CACHE


@pytest.fixture(scope="module")
def server(asset_cache, tmp_path_factory):
    seed, expected_logs = busy_seed(STEPS)
    port = free_port()
    log_path = tmp_path_factory.mktemp("viz-server") / "server.log"
    env = {**os.environ, "SOLARA_ASSETS_CDN": DEAD_CDN, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "run.py", "viz", "--host", "127.0.0.1", "--port", str(port),
             "--seed", str(seed), "--set", f"opportunity_scale={OPPORTUNITY_SCALE}"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:
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
        assert f"browser view: {base}" in log_path.read_text()
        assert "offline asset cache" in log_path.read_text()
        yield base, seed, expected_logs
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_page_renders_offline_and_steps_in_a_real_browser(server, tmp_path):
    from PIL import Image, ImageChops
    from playwright.sync_api import expect, sync_playwright

    base, seed, expected_logs = server
    new_seed, expected_after_reset = busy_seed(1, after=seed)
    failures: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1300})
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
            page.on("response",
                    lambda r: failures.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.on("console",
                    lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
            page.goto(base, timeout=120_000)

            networks = page.locator(".vue-grid-layout img.deterrence-network")
            chart = page.locator(".vue-grid-layout img.deterrence-chart")
            expect(networks).to_have_count(2, timeout=120_000)
            expect(chart).to_have_count(1, timeout=60_000)
            page.wait_for_function(
                "() => [...document.querySelectorAll('img.deterrence-network, img.deterrence-chart')]"
                ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
            for k in range(2):
                box = networks.nth(k).bounding_box()
                assert box["width"] >= 300 and box["height"] >= 250, box
            box = chart.bounding_box()
            assert box["width"] >= 600 and box["height"] >= 250, box

            counter = page.get_by_text("Time:")
            expect(counter).to_have_text("Time: 0.0")
            logs = page.locator(".deterrence-log")
            expect(logs).to_have_count(2)
            assert logs.nth(0).inner_text() == "crisis log: no crisis yet"
            chart_before = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")

            summaries = page.locator(".deterrence-summary")
            for step in range(1, STEPS + 1):
                page.get_by_role("button", name="Step").click()
                for k in range(2):
                    expect(summaries.nth(k)).to_contain_text(f"step {step}", timeout=60_000)
            expect(counter).to_have_text(f"Time: {STEPS}.0")
            page.wait_for_function(
                "() => [...document.querySelectorAll('img.deterrence-chart')]"
                ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
            chart_after = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
            assert (chart_after.size != chart_before.size
                    or ImageChops.difference(chart_before, chart_after).getbbox() is not None)
            for k in range(2):
                lines = logs.nth(k).locator(".deterrence-log-line").all_inner_texts()
                assert lines == expected_logs[k]
            page.locator(".vue-grid-layout").evaluate("e => e.scrollIntoView({block: 'start'})")
            shot = tmp_path / "browser_view.png"
            page.screenshot(path=str(shot), full_page=True)
            keep = os.environ.get("VIZ_SCREENSHOT_DIR")
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copy(shot, Path(keep) / shot.name)

            # Reset applies the controls: a new seed, then one step, gives that seed's crises
            seed_box = page.get_by_label("seed (both panes)")
            seed_box.fill(str(new_seed))
            seed_box.press("Enter")
            page.get_by_role("button", name="Reset").click()
            expect(counter).to_have_text("Time: 0.0", timeout=60_000)
            for k in range(2):
                expect(summaries.nth(k)).to_have_text("no step yet", timeout=60_000)
            page.get_by_role("button", name="Step").click()
            for k in range(2):
                expect(summaries.nth(k)).to_contain_text("step 1", timeout=60_000)
            for k in range(2):
                lines = logs.nth(k).locator(".deterrence-log-line").all_inner_texts()
                assert lines == expected_after_reset[k]
        finally:
            browser.close()

    assert failures == []
    assert errors == []
    outside = [u for u in requests if not u.startswith((base, "blob:", "data:"))]
    assert outside == []

