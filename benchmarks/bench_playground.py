"""Playground benchmark: how fast the article's network trains while it is watched.

    python3 dev.py bench                      # with the site built by `python3 dev.py site`
    .venv/bin/python benchmarks/bench_playground.py [--site FOLDER] [--seconds 5]

Workload: the article's 2-3-1 network (3 ReLU, 1 sigmoid) on 200 training
points of two moons (250 points, 20% held out for testing), full batch,
plain SGD; a 40×40 grid for the boundary and every neuron's map, a frame
(curves, weights, maps) every 5 epochs, as the playground shows it. The
playground trains with a recorded step (``autograd.record``: the same
numbers as building every graph, bit for bit) and replays its frames'
forward passes (the maps, the splits) from recordings too; in Python the
playground with ``compiled=False`` (every graph built, every forward pass
computed afresh) is measured too.

Two hosts run the same Python (``nn.play``):

* the notebook widget's Python (this interpreter): the playground's
  session alone, then the widget itself (``nn.playground``) training on its
  thread, with no notebook attached;
* Chromium, with glassgrad in Pyodide in a Web Worker: the built site,
  served from localhost, playing for a few seconds (skipped when Chromium,
  Playwright or the built site is missing).

Printed: epochs per second while playing (frames included), the time to
make one frame in Python, the time to draw one in the page, and the site's
first load (Pyodide and glassgrad, until the playground is ready) and size.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import threading
import time
from pathlib import Path
from typing import Any

from nn.play import Playground, Session

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"dataset": "moons", "points": 250, "test_fraction": 0.2, "hidden": [3]}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WARM_UP = 3.0  # seconds of play before measuring in Chromium


def python_session(seconds: float, compiled: bool) -> None:
    pg = Playground(**SETTINGS, compiled=compiled)
    assert len(pg.X) == 200
    session = Session(pg)
    session.handle("running", True)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        session.tick()
    elapsed = time.perf_counter() - start
    frames = []
    for _ in range(20):
        t = time.perf_counter()
        pg.record()
        frames.append(time.perf_counter() - t)
    how = "recorded step" if compiled else "graphs built"
    print(f"  Python, playground session ({how}): {pg.epoch / elapsed:6.1f} epochs/s while playing")
    print(f"  Python, one frame (40x40 maps of 4 neurons, curves): {min(frames) * 1000:5.1f} ms")


def python_widget(seconds: float) -> None:
    try:
        import nn
    except ImportError:  # pragma: no cover
        return
    try:
        widget = nn.playground(**SETTINGS)
    except ImportError as error:
        print(f"  Python, widget: skipped ({error})")
        return
    widget.play()
    time.sleep(seconds)
    widget.pause()
    epochs = widget.playground.epoch
    print(f"  Python, notebook widget (its thread): {epochs / seconds:6.1f} epochs/s while playing")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def chromium(site: Path, seconds: float) -> None:
    if not (site / "index.html").exists():
        print(f"  Chromium: skipped (no site in {site}: build it with `python3 dev.py site`)")
        return
    if not Path(CHROMIUM).exists():
        print(f"  Chromium: skipped (no Chromium at {CHROMIUM})")
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  Chromium: skipped (Playwright is not installed)")
        return
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("body[data-ready]", timeout=120_000)
            loaded = time.perf_counter() - start
            inside = float(page.get_attribute("body", "data-ready") or 0)
            page.evaluate(
                "(s) => { const h = window.glassgrad.host;"
                " h.set('settings', Object.assign({}, h.get('setup').settings, s));"
                " h.save_changes(); }",
                SETTINGS,
            )
            page.wait_for_function("document.querySelector('.ggp').dataset.epoch === '0'")
            page.wait_for_timeout(500)
            page.click("[data-act=play]")
            started = time.perf_counter()
            page.wait_for_timeout(WARM_UP * 1000)
            warm = time.perf_counter() - started
            first = int(page.get_attribute(".ggp", "data-epoch") or 0)
            before = page.evaluate("window.glassgrad.timings()")
            page.wait_for_timeout(seconds * 1000)
            page.click("[data-act=play]")
            elapsed = time.perf_counter() - started - warm
            page.wait_for_timeout(300)
            epochs = int(page.get_attribute(".ggp", "data-epoch") or 0) - first
            after = page.evaluate("window.glassgrad.timings()")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    ticks = after["ticks"] - before["ticks"]
    tick = (after["tickMs"] * after["ticks"] - before["tickMs"] * before["ticks"]) / max(ticks, 1)
    print(
        f"  Chromium + Pyodide (Web Worker): {first / warm:6.1f} epochs/s in the first "
        f"{WARM_UP:g} s (WebAssembly still being optimised), {epochs / elapsed:6.1f} after"
    )
    print(
        f"  Chromium, one tick (5 epochs and a frame) in Python: {tick:5.1f} ms; "
        f"drawing a frame: {after['drawMs']:4.1f} ms"
    )
    print(
        f"  Chromium, first load until the playground is ready: {loaded:4.1f} s "
        f"({inside:.1f} s in the worker); the site is {size / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(
        "Playground: the article's 2-3-1 network on 200 moons points, 40x40 maps, a frame "
        "every 5 epochs"
    )
    python_session(args.seconds, compiled=False)
    python_session(args.seconds, compiled=True)
    python_widget(args.seconds)
    chromium(args.site, args.seconds)


if __name__ == "__main__":
    main()
