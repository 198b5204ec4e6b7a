"""How fast the browser view shows a step: Step latency and the Play rate, in a real browser.

Starts ``python run.py viz`` on 127.0.0.1 (a free port), opens it in Chromium through Playwright at
1500 x 1000, and measures what a user sees:

* **Step latency** -- from the browser's click event on Step until both panes' maps and the charts
  show the new step (the page reports it: each map's ``data-step``, the charts' ``data-rendered``),
  over ``--steps`` clicks, each after the previous step is shown;
* **Play rate** -- Play at each ``--rates`` setting for ``--seconds``: steps advanced per second, and
  per second the steps whose maps (both panes) and charts were drawn.

    python benchmarks/bench_viz.py                       # asia, defaults
    python benchmarks/bench_viz.py --scenario europe --steps 30 --rates 8 20 --seconds 10
    python benchmarks/bench_viz.py --after 1000 --rates  # Step latency once 1000 steps have run

Needs the offline asset cache (``python run.py viz --prepare-assets``) and Chromium
(``/usr/bin/chromium``, or ``--chromium PATH``). Timings depend on the machine and its load; the
figures in docs/performance.md say where they were taken.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RECORDER = """() => {
  window.shown = {maps: [], charts: []};
  document.addEventListener('click', () => { window.clickedAt = performance.now(); }, true);
  const watch = (element, attribute, list) => new MutationObserver(() => list.push(
      [performance.now(), element.getAttribute(attribute)])).observe(
      element, {attributes: true, attributeFilter: [attribute]});
  document.querySelectorAll('svg.deterrence-network').forEach(
      (map, k) => watch(map, 'data-step', window.shown.maps));
  watch(document.querySelector('.deterrence-vega'), 'data-rendered', window.shown.charts);
}"""

SHOWN = """(step) => {
  const maps = [...document.querySelectorAll('svg.deterrence-network')];
  const chart = document.querySelector('.deterrence-vega');
  return maps.length === 2 && maps.every(m => m.getAttribute('data-step') === String(step)) &&
    chart !== null && chart.getAttribute('data-rendered') === step + ':' + step;
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, scenario: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "run.py", "viz", "--host", "127.0.0.1", "--port", str(port),
         "--scenario", scenario],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(480):
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within 4 minutes")


def latest(page) -> int:
    return int(page.locator(".deterrence-step").get_attribute("data-latest"))


def step_latency(page, clicks: int) -> list[float]:
    """Milliseconds from each click on Step (the browser's click event) until both maps and the
    charts show its step (the last of their updates)."""
    button = page.get_by_role("button", name="Step", exact=True)
    times = []
    for _ in range(clicks):
        target = latest(page) + 1
        page.evaluate("() => { window.shown.maps.length = 0; window.shown.charts.length = 0; }")
        button.click()
        page.wait_for_function(SHOWN, arg=target, polling="raf", timeout=60_000)
        times.append(page.evaluate("""() => Math.max(...window.shown.maps.map(e => e[0]),
                                                      ...window.shown.charts.map(e => e[0]))
                                            - window.clickedAt"""))
    return times


def play_rate(page, rate: int, seconds: float) -> dict[str, float]:
    """Play at ``rate`` for ``seconds``: steps advanced, and steps drawn, per second."""
    from playwright.sync_api import expect

    page.locator(".deterrence-speed").click()
    page.get_by_role("option", name=str(rate), exact=True).click()
    expect(page.locator(".deterrence-speed")).to_contain_text(str(rate))
    page.evaluate("() => { window.shown.maps.length = 0; window.shown.charts.length = 0; }")
    first = latest(page)
    began = page.evaluate("() => performance.now()")
    play = page.locator(".deterrence-play")
    play.click()
    expect(play).to_contain_text("Pause", ignore_case=True)
    time.sleep(seconds)
    play.click()
    expect(play).to_contain_text("Play", ignore_case=True)
    last = latest(page)
    page.wait_for_function(SHOWN, arg=last, polling="raf", timeout=60_000)
    elapsed = (page.evaluate("() => performance.now()") - began) / 1000.0
    shown = page.evaluate("() => window.shown")
    map_steps = [int(v) for _, v in shown["maps"]]
    both_maps = {s for s in map_steps if map_steps.count(s) >= 2}
    charts = {int(v.split(":")[1]) for _, v in shown["charts"]}
    return {"advanced": (last - first) / elapsed, "maps": len(both_maps) / elapsed,
            "charts": len(charts) / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="asia")
    parser.add_argument("--steps", type=int, default=20, help="Step clicks timed (default 20)")
    parser.add_argument("--rates", type=int, nargs="*", default=[8, 20],
                        help="Play speeds to time, steps per second (default: 8 20; none: skip)")
    parser.add_argument("--after", type=int, default=0,
                        help="run this many steps first (Run), to time a long run's steps")
    parser.add_argument("--seconds", type=float, default=8.0, help="Play time per speed")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from viz import assets

    if not assets.is_ready():
        raise SystemExit("no offline asset cache: run 'python run.py viz --prepare-assets' first")
    port = free_port()
    server = start_server(port, args.scenario)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=["--no-sandbox", "--headless"])
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(120_000)
            began = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/", timeout=240_000)
            page.wait_for_function(SHOWN, arg=0, polling="raf", timeout=240_000)
            print(f"page ready with both maps and the charts: {time.perf_counter() - began:.1f} s")
            page.evaluate(RECORDER)
            if args.after:
                page.locator(".deterrence-count input").fill(str(args.after))
                page.get_by_role("button", name="Run", exact=True).click()
                page.wait_for_function(SHOWN, arg=args.after, polling="raf", timeout=240_000)
                print(f"ran {args.after} steps first")
            step_latency(page, 3)  # warm-up
            times = step_latency(page, args.steps)
            print(f"Step latency over {len(times)} clicks: median {statistics.median(times):.0f} ms, "
                  f"90th percentile {sorted(times)[int(0.9 * (len(times) - 1))]:.0f} ms, "
                  f"max {max(times):.0f} ms")
            for rate in args.rates:
                result = play_rate(page, rate, args.seconds)
                print(f"Play at {rate} steps/s for {args.seconds:g} s: {result['advanced']:.1f} steps/s "
                      f"advanced; drawn per second: {result['maps']:.1f} steps on both maps, "
                      f"{result['charts']:.1f} on the charts")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
