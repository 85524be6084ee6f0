"""The static playground site in Chromium: glassgrad in Pyodide, served from localhost.

The site is built once per test session (``dev.build_site``, as ``python3
dev.py site`` does) into a temporary folder, as on a machine without Node.js:
no ``node`` or ``npm`` on PATH, only the pinned Node of the ``site`` extra.
It is served on localhost; every request must go there. Beside the browser
tests: a second build gives the same bytes, and the machine's own Node and
npm give the same site. Skipped where Chromium (or, for that comparison,
Node.js and npm) is missing; failed in CI, whose set-up installs them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import math
import os
import shutil
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import autograd
import nn
from autograd.names import fmt
from tests.autograd.test_stepper import ARTIFACTS, CHROMIUM_ARGS, QuietHandler, chromium
from tests.conftest import need, refuse_other_origins

# One worker builds and serves the site for every test here.
pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.site]

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


NODE_PROGRAMS = ("node", "nodejs", "npm", "npx")


def path_without_node() -> str:
    """This process's PATH minus every folder that holds Node.js or npm."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(
        folder
        for folder in folders
        if folder and not any((Path(folder) / name).exists() for name in NODE_PROGRAMS)
    )


def dev_module() -> Any:
    """``dev.py``, the script that builds the site."""
    sys.path.insert(0, str(ROOT))
    import dev

    return dev


def files_of(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by relative path, with the SHA-256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once as on a machine without Node.js: its folder."""
    dev = dev_module()
    if dev.pinned_node(sys.executable) is None:
        need("the site extra", "building the site needs its Node.js: pip install 'glassgrad[site]'")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", path_without_node())
        assert all(shutil.which(name) is None for name in NODE_PROGRAMS)
        return dev.build_site(tmp_path_factory.mktemp("site") / "site", sys.executable)


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[str]:
    """The site, served on localhost: its base URL."""
    chromium()
    pytest.importorskip("playwright.sync_api")
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_site(
    browser: Any, base: str, viewport: dict, address: str = "/", locale: str = "en-US"
) -> tuple[Any, list[str], list[str]]:
    """The site, ready: ``(page, console errors, requests to any other origin)``."""
    context = browser.new_context(viewport=viewport, locale=locale)
    errors: list[str] = []
    # the page's and its worker's requests
    foreign = refuse_other_origins(context, (base + "/", "data:", "blob:"))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on(
        "worker",
        lambda worker: worker.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        ),
    )
    page.goto(base + address)
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    page.wait_for_selector(".ggp-plane")
    return page, errors, foreign


def state(page: Any, name: str) -> Any:
    return page.evaluate(f"window.glassgrad.host.get({name!r})")


def epoch(page: Any) -> int:
    return int(page.get_attribute(".ggp", "data-epoch"))


def wait_epoch(page: Any, test: str) -> None:
    page.wait_for_function(
        f"(() => {{ const e = +document.querySelector('.ggp').dataset.epoch; return {test}; }})()",
        timeout=30_000,
    )


PIXELS = (
    "() => Array.from(document.querySelector('.ggp-plane').getContext('2d')"
    ".getImageData(0, 0, 320, 320).data.filter((_, i) => i % 64 === 0))"
)


def test_the_playground_trains_pauses_steps_resets_and_explains(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, DESKTOP)
    assert float(page.get_attribute("body", "data-ready")) < 30
    first = state(page, "frame")
    pixels = page.evaluate(PIXELS)
    # Play trains: the loss falls and the boundary changes.
    page.click("[data-act=play]")
    wait_epoch(page, "e >= 40")
    page.click("[data-act=play]")
    page.wait_for_function("document.querySelector('.ggp').dataset.running === '0'")
    page.wait_for_timeout(300)  # a frame already on its way may still arrive
    stopped = epoch(page)
    assert state(page, "frame")["loss"]["train"] < first["loss"]["train"]
    assert page.evaluate(PIXELS) != pixels
    page.wait_for_timeout(500)
    assert epoch(page) == stopped  # pause stops
    page.click("[data-act=step]")
    wait_epoch(page, f"e === {stopped + 1}")
    # Reset: the same numbers again.
    page.click("[data-act=reset]")
    wait_epoch(page, "e === 0")
    assert state(page, "frame")["loss"] == first["loss"]
    for n in (1, 2, 3):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    after_three = state(page, "frame")
    page.click("[data-act=reset]")
    wait_epoch(page, "e === 0")
    for n in (1, 2, 3):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    again = state(page, "frame")
    assert again["weights"] == after_three["weights"] and again["maps"] == after_three["maps"]
    # Data and architecture changes take effect.
    page.select_option("[data-setting=dataset]", "circles")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'circles'")
    page.locator("[data-act=more]").first.click()
    page.wait_for_function("window.glassgrad.host.get('setup').layers.join() === '2,4,1'")
    assert page.locator("canvas.ggp-neuron").count() == 2 + 4 + 1
    page.click("[data-act=step]")
    wait_epoch(page, "e === 1")
    # Explain: click a training point; its gradients are backward()'s.
    setup = state(page, "setup")
    x = setup["train"]["x"][5]
    where = page.evaluate(
        """([p, e]) => { const r = document.querySelector('.ggp-plane').getBoundingClientRect();
          return [r.left + (p[0] - e[0]) / (e[1] - e[0]) * r.width,
                  r.top + (e[3] - p[1]) / (e[3] - e[2]) * r.height]; }""",
        [x, setup["extent"]],
    )
    page.mouse.click(*where)
    page.wait_for_selector(".ggp-explain[data-explained] .gg-stepper .gg-view svg", timeout=30_000)
    explained = json.loads(page.get_attribute(".ggp-explain", "data-explained"))
    assert explained["x"] == setup[explained["split"]]["x"][explained["index"]]
    model = nn.MLP(2, [4, 1], ["relu", "sigmoid"])
    for p in model.parameters():
        p.data = explained["weights"][p.label]
    loss = autograd.binary_cross_entropy_with_logits(model.logits(explained["x"]), explained["y"])
    loss.backward()
    for p in model.parameters():
        assert abs(explained["grads"][p.label] - p.grad) <= 1e-12, p.label
    assert "∂L/∂W1 = ∂L/∂z1 · Xᵀ" in page.inner_text(".ggp-explain .gg-panel")
    stepper = page.locator(".ggp-explain .gg-stepper")
    stepper.locator("[data-act=next]").click()
    assert stepper.get_attribute("data-current") == "1"
    page.screenshot(path=str(ARTIFACTS / "site-explain.png"), full_page=True)
    # Resume training from there.
    page.click("[data-act=resume]")
    wait_epoch(page, "e >= 10")
    page.click("[data-act=play]")
    # Save the run: a page that replays it.
    with page.expect_download() as saved:
        page.click("[data-act=export]")
    replay = Path(saved.value.path()).read_text("utf-8")
    assert saved.value.suggested_filename.startswith("glassgrad-circles-2-4-1-relu-epoch")
    assert replay.startswith("<!DOCTYPE html>") and 'id="run"' in replay
    # The expression stepper: the safe parser, and its errors.
    page.fill("#expression-text", "(a*b + a).tanh()")
    page.fill("#expression-values", "a=2 b=-3")
    page.click("#expression-go")
    page.wait_for_selector("#expression-out .gg-stepper .gg-view svg", timeout=30_000)
    page.locator("#expression-out [data-act=last]").click()
    assert "grad −0.002682" in page.locator("#expression-out .gg-view svg").text_content()
    page.fill("#expression-text", "__import__('os')")
    page.click("#expression-go")
    page.wait_for_selector("#expression-out pre.error")
    assert errors == [] and foreign == []
    page.context.close()


def test_the_playground_fits_a_phone(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    for act in ("play", "step", "reset", "explain"):
        box = page.locator(f".ggp [data-act={act}]").bounding_box()
        assert box and box["height"] >= 36 and box["x"] + box["width"] <= PHONE["width"]
    page.click("[data-act=play]")
    wait_epoch(page, "e >= 10")
    page.click("[data-act=play]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-phone.png"), full_page=True)
    assert errors == [] and foreign == []
    page.context.close()


# Every visible control of the playground against every picture (a canvas or
# an svg): the pairs whose boxes overlap by more than half a pixel.
OVERLAPS = """() => {
  const seen = (el) => {  // shown: not in a closed <details>, not hidden, not empty
    const r = el.getBoundingClientRect();
    return el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })
      && r.width > 0 && r.height > 0;
  };
  const name = (el) => el.getAttribute('data-act') || el.getAttribute('data-setting')
    || el.getAttribute('data-layer') && ('neuron ' + el.dataset.layer + ',' + el.dataset.neuron)
    || el.getAttribute('class') || el.tagName;
  const root = document.querySelector('.ggp');
  const controls = [...root.querySelectorAll('button, select, input')].filter(seen);
  const pictures = [...root.querySelectorAll('canvas, svg')].filter(seen);
  const found = [];
  for (const c of controls) {
    const a = c.getBoundingClientRect();
    for (const p of pictures) {
      if (p.contains(c)) { continue; }
      const b = p.getBoundingClientRect();
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 0.5 && y > 0.5) { found.push(name(c) + ' over ' + name(p)); }
    }
  }
  return found;
}"""


@pytest.mark.parametrize(("width", "locale"), [(320, "en-US"), (390, "en-US"), (1280, "en-US"),
                                              (320, "zh-CN")])  # fmt: skip
def test_no_control_covers_a_picture(browser: Any, site: str, width: int, locale: str) -> None:
    page, errors, foreign = open_site(browser, site, {"width": width, "height": 844}, locale=locale)
    if locale == "zh-CN":  # the playground's words in Chinese: longer or shorter, still clear
        page.wait_for_function(
            "document.querySelector('.ggp [data-act=step]').textContent === '单步'"
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERLAPS) == []
    assert page.locator(".ggp [data-act=more]").count() == 1  # one hidden layer: its − and +
    # The curve's tick labels and the plane's key are there, whole, at this width too.
    axes = state(page, "frame")["axes"]
    drawn = page.evaluate(TICKS)
    assert [(t["axis"], t["text"]) for t in drawn] == [
        (axis, label) for axis in ("epoch", "loss", "accuracy") for _, label in axes[axis]["ticks"]
    ]
    inside = """(selector) => {
      const box = document.querySelector(selector).getBoundingClientRect();
      return [...document.querySelectorAll(selector + ' text')].every((t) => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5
          && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5; }); }"""
    assert page.evaluate(inside, ".ggp-curves") and page.evaluate(inside, ".ggp-plane-key")
    assert page.locator(".ggp-plane-key .ggp-class").count() == 2
    # The largest network: three hidden layers of eight.
    page.evaluate(
        "window.glassgrad.host.set('settings', Object.assign({}, "
        "window.glassgrad.host.get('setup').settings, {hidden: [8, 8, 8]}));"
        "window.glassgrad.host.save_changes()"
    )
    page.wait_for_function("window.glassgrad.host.get('setup').layers.join() === '2,8,8,8,1'")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERLAPS) == []
    page.locator("[data-act=fewer-layers]").click()
    page.wait_for_function("window.glassgrad.host.get('setup').layers.join() === '2,8,8,1'")
    page.locator("[data-act=fewer]").first.click()
    page.wait_for_function("window.glassgrad.host.get('setup').layers.join() === '2,7,8,1'")
    page.click("[data-act=explain]")
    page.wait_for_selector(".ggp-explain[data-explained]", timeout=30_000)
    assert page.evaluate(OVERLAPS) == []
    # The article's network, explained with its step-through open.
    page.locator("[data-act=fewer-layers]").click()
    page.wait_for_function("window.glassgrad.host.get('setup').layers.join() === '2,7,1'")
    for size in (6, 5, 4, 3):
        page.locator("[data-act=fewer]").click()
        page.wait_for_function(f"window.glassgrad.host.get('setup').layers[1] === {size}")
    page.click("[data-act=explain]")
    page.wait_for_selector(".ggp-explain[data-explained] .gg-stepper .gg-view svg", timeout=30_000)
    assert page.evaluate(OVERLAPS) == []
    page.click(".ggp-csv summary")  # the CSV box, open
    assert page.locator("[data-act=load-csv]").is_visible()
    assert page.evaluate(OVERLAPS) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{width}-{locale}.png"), full_page=True)
    assert errors == [] and foreign == []
    page.context.close()


def set_settings(page: Any, **changes: Any) -> None:
    """Change settings as the view's controls do, and wait for the new setup."""
    page.evaluate(
        """(changes) => { const host = window.glassgrad.host;
          host.set('settings', Object.assign({}, host.get('setup').settings, changes));
          host.save_changes(); }""",
        changes,
    )
    for key, value in changes.items():
        page.wait_for_function(
            "([k, v]) => JSON.stringify(window.glassgrad.host.get('setup').settings[k])"
            " === JSON.stringify(v)",
            arg=[key, value],
        )


# The curve's ticks as drawn: axis, value, label and where its tick mark sits.
TICKS = """() => [...document.querySelectorAll('.ggp-curves .ggp-tick')].map((t) => ({
  axis: t.dataset.axis, value: +t.dataset.value, text: t.textContent,
  x: +t.previousElementSibling.getAttribute('x1'),
  y: +t.previousElementSibling.getAttribute('y1') }))"""
CURVE_POINTS = """(name) => document.querySelector(`.ggp-curves polyline[data-curve=${name}]`)
  .getAttribute('points').split(' ').map((p) => p.split(',').map(Number))"""


def test_the_curve_has_labelled_axes_and_a_key(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, PHONE)
    # At epoch 0 the losses lie within a decade: a linear loss axis from 0.
    assert page.get_attribute(".ggp-curves", "data-loss-scale") == "linear"
    ticks = page.evaluate(TICKS)
    losses = [t for t in ticks if t["axis"] == "loss"]
    assert losses[0]["value"] == 0 and len(losses) >= 3
    assert [t["text"] for t in ticks if t["axis"] == "accuracy"] == ["0%", "50%", "100%"]
    # A run whose loss falls by decades: a log axis, a tick at each power of ten.
    set_settings(page, dataset="blobs", optimizer="adam", lr=0.1, noise=0.05)
    page.click("[data-act=play]")
    wait_epoch(page, "e >= 150")
    page.click("[data-act=play]")
    page.wait_for_function("document.querySelector('.ggp').dataset.running === '0'")
    page.wait_for_timeout(300)
    frame = state(page, "frame")
    curves = frame["curves"]
    data = curves["train_loss"] + curves["test_loss"]
    assert max(data) >= 10 * min(data)
    assert page.get_attribute(".ggp-curves", "data-loss-scale") == "log"
    ticks = page.evaluate(TICKS)
    losses = [t for t in ticks if t["axis"] == "loss"]
    for t in losses:
        assert t["text"] == fmt(t["value"])
        assert math.log10(t["value"]) == round(math.log10(t["value"]))  # powers of ten
    assert losses[0]["value"] <= min(data) and losses[-1]["value"] >= max(data)
    epochs = [t for t in ticks if t["axis"] == "epoch"]
    assert epochs[0]["text"] == "0" and int(epochs[-1]["text"]) <= frame["epoch"]
    assert [t["text"] for t in epochs] == [str(int(t["value"])) for t in epochs]
    # The line is drawn on that axis: its last point sits where the ticks say.
    last = page.evaluate(CURVE_POINTS, "train_loss")[-1]
    low = max(
        (t for t in losses if t["value"] <= curves["train_loss"][-1]), key=lambda t: t["value"]
    )
    high = min(
        (t for t in losses if t["value"] > curves["train_loss"][-1]), key=lambda t: t["value"]
    )
    share = math.log(curves["train_loss"][-1] / low["value"]) / math.log(
        high["value"] / low["value"]
    )
    assert last[1] == pytest.approx(low["y"] + (high["y"] - low["y"]) * share, abs=0.2)
    right = epochs[-1]["x"] + (epochs[-1]["x"] - epochs[0]["x"]) * (
        frame["epoch"] - epochs[-1]["value"]
    ) / (epochs[-1]["value"] or 1)
    assert last[0] == pytest.approx(right, abs=0.2)
    # The key names each line, drawn as that line is.
    key = page.evaluate(
        """() => [...document.querySelectorAll('.ggp-curves .ggp-key')].map((k) => {
          const line = k.previousElementSibling, curve = document.querySelector(
            `.ggp-curves polyline[data-curve=${k.dataset.curve}]`);
          return [k.textContent, line.getAttribute('stroke') === curve.getAttribute('stroke')
            && line.getAttribute('stroke-dasharray') === curve.getAttribute('stroke-dasharray')];
        })"""
    )
    assert key == [
        ["train loss", True],
        ["test loss", True],
        ["train accuracy", True],
        ["test accuracy", True],
    ]
    page.locator(".ggp-curves").screenshot(path=str(ARTIFACTS / "site-curve.png"))
    assert errors == [] and foreign == []
    page.context.close()


PLANE_PIXEL = """([x, y]) => Array.from(document.querySelector('.ggp-plane').getContext('2d')
  .getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3))"""


def uncovered(points: list[tuple[float, float]], labels: list[float], c: int) -> tuple:
    """Where a training point of class ``c`` shows its own colour: one that no point drawn
    after it covers, away from the selection ring around the first."""
    free = [
        i
        for i, label in enumerate(labels)
        if label == c
        and math.dist(points[i], points[0]) > 11
        and all(math.dist(points[i], points[j]) > 6 for j in range(i + 1, len(points)))
    ]
    assert free, f"no uncovered point of class {c}"
    return points[free[-1]]


def rgb(text: str) -> list[int]:
    """``"rgb(8,119,189)"`` -> ``[8, 119, 189]``."""
    return [int(v) for v in text.strip()[4:-1].split(",")]


def test_the_plane_has_a_key_that_matches_its_colours(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, PHONE)
    set_settings(page, dataset="blobs", optimizer="adam", lr=0.1, noise=0.05)
    for n in range(1, 41):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    key = page.locator(".ggp-plane-key")
    assert key.is_visible()
    text = key.text_content()
    for words in ("class 0 (y = 0)", "class 1 (y = 1)", "train", "test", "probability of class 1"):
        assert words in text
    swatch = {
        c: rgb(page.get_attribute(f".ggp-plane-key .ggp-class[data-class='{c}']", "fill"))
        for c in (0, 1)
    }
    assert swatch[0] != swatch[1]
    # Each class's swatch is the colour its training points are drawn in: read at the
    # centre of a point that no point drawn after it (nor the selection ring) covers.
    setup = state(page, "setup")
    e = setup["extent"]

    def pixel(p: list[float]) -> tuple[float, float]:
        return (p[0] - e[0]) / (e[1] - e[0]) * 320, (e[3] - p[1]) / (e[3] - e[2]) * 320

    train = [pixel(p) for p in setup["train"]["x"]]
    for c in (0, 1):
        assert page.evaluate(PLANE_PIXEL, uncovered(train, setup["train"]["y"], c)) == swatch[c]
    # The tint's scale runs from class 0's colour (ŷ = 0) through grey to class 1's (ŷ = 1),
    # and where the network is sure, the plane has that colour.
    stops = page.evaluate(
        "() => [...document.querySelectorAll('.ggp-plane-key stop')].map((s) => "
        "[+s.getAttribute('offset'), s.getAttribute('stop-color')])"
    )
    assert stops[0] == [0, f"rgb({','.join(map(str, swatch[0]))})"]
    assert stops[-1] == [1, f"rgb({','.join(map(str, swatch[1]))})"]
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('.ggp-plane-key .ggp-tint-tick')]"
        ".map((t) => [+t.dataset.value, t.textContent])"
    )
    assert ticks == [[0, "0"], [0.5, "0.5"], [1, "1"]]
    r = setup["resolution"]
    maps = base64.b64decode(state(page, "frame")["maps"])[-r * r :]  # the output: 2ŷ − 1
    points = train + [pixel(p) for p in setup["test"]["x"]]
    checked = {0: 0, 1: 0}
    for row in range(1, r - 1):
        for col in range(1, r - 1):
            around = [maps[(row + dr) * r + col + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1)]
            sure = 0 if max(around) <= 2 else 1 if min(around) >= 253 else None
            centre = ((col + 0.5) * 320 / r, (row + 0.5) * 320 / r)
            if sure is None or any(math.dist(centre, p) < 12 for p in points):
                continue
            seen = page.evaluate(PLANE_PIXEL, centre)
            assert max(abs(a - b) for a, b in zip(seen, swatch[sure])) <= 4, (centre, seen)
            checked[sure] += 1
    assert checked[0] and checked[1]
    page.locator(".ggp-figure").screenshot(path=str(ARTIFACTS / "site-plane.png"))
    assert errors == [] and foreign == []
    page.context.close()


def test_the_l2_control_changes_the_update_as_fit_does(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, PHONE)
    rule = page.locator(".ggp-rule")
    assert rule.text_content() == "update each batch: W ← W − 0.3·∂L/∂W"
    page.select_option("[data-setting=weight_decay]", "0.01")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.weight_decay === 0.01")
    assert rule.text_content().startswith("update each batch: W ← W − 0.3·(∂L/∂W + 2·0.01·W)")
    for n in (1, 2, 3):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    decayed = state(page, "frame")
    setup = state(page, "setup")
    model = nn.MLP(2, [3, 1], ["relu", "sigmoid"], seed=0)
    nn.fit(model, setup["train"]["x"], setup["train"]["y"], lr=0.3, epochs=3, weight_decay=0.01,
           seed=0, progress=False)  # fmt: skip
    assert decayed["weights"] == [
        [[w.data for w in n.w] for n in layer.neurons] for layer in model.layers
    ]
    assert decayed["biases"] == [[n.b.data for n in layer.neurons] for layer in model.layers]
    # Without L2, another update.
    page.select_option("[data-setting=weight_decay]", "0")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.weight_decay === 0")
    assert rule.text_content() == "update each batch: W ← W − 0.3·∂L/∂W"
    for n in (1, 2, 3):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    assert state(page, "frame")["weights"] != decayed["weights"]
    assert errors == [] and foreign == []
    page.context.close()


def test_a_tap_on_a_phone_explains_a_point(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    foreign = refuse_other_origins(context, (site + "/", "data:", "blob:"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site + "/")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    set_settings(page, dataset="circles", points=40)  # points far enough apart to tap one
    hint = page.locator(".ggp-plane-hint")
    # Paused: the plane says a point can be explained; playing, it does not.
    assert hint.is_visible() and hint.text_content() == "Paused: click or tap a point to explain it"
    page.locator("[data-act=play]").tap()
    page.wait_for_function("document.querySelector('.ggp').dataset.running === '1'")
    assert not hint.is_visible()
    wait_epoch(page, "e >= 10")
    page.locator("[data-act=play]").tap()
    page.wait_for_function("document.querySelector('.ggp').dataset.running === '0'")
    assert hint.is_visible()
    # A tap a little off a point explains that point.
    setup = state(page, "setup")
    page.locator(".ggp-plane").scroll_into_view_if_needed()
    box = page.locator(".ggp-plane").bounding_box()
    e = setup["extent"]

    def where(p: list[float]) -> tuple[float, float]:
        return (
            box["x"] + (p[0] - e[0]) / (e[1] - e[0]) * box["width"],
            box["y"] + (e[3] - p[1]) / (e[3] - e[2]) * box["height"],
        )

    test = [where(p) for p in setup["test"]["x"]]
    every = [where(p) for p in setup["train"]["x"]] + test
    # A test point with no other point near it, below the hint, tapped as a finger
    # does: 15 px off, farther than a mouse's reach, within a finger's.
    index = next(
        i
        for i, at in enumerate(test)
        if at[1] > box["y"] + 40 and sorted(math.dist(at, other) for other in every)[1] > 32
    )
    x, y = test[index]
    page.touchscreen.tap(x + 9, y - 12)
    page.wait_for_selector(".ggp-explain[data-explained]", timeout=30_000)
    explained = json.loads(page.get_attribute(".ggp-explain", "data-explained"))
    assert (explained["split"], explained["index"]) == ("test", index)
    assert explained["x"] == setup["test"]["x"][index]
    assert errors == [] and foreign == []
    context.close()


def plane_point(page: Any, canvas: tuple[float, float]) -> tuple[float, float]:
    """Where on the screen a point of the plane's canvas (its 320 pixels) is."""
    box = page.locator(".ggp-plane").bounding_box()
    return box["x"] + canvas[0] * box["width"] / 320, box["y"] + canvas[1] * box["height"] / 320


def plane_data(setup: dict, canvas: tuple[float, float]) -> list[float]:
    """The plane's ``[x1, x2]`` at a point of its canvas."""
    e = setup["extent"]
    return [e[0] + canvas[0] / 320 * (e[1] - e[0]), e[3] - canvas[1] / 320 * (e[3] - e[2])]


def test_points_of_ones_own_are_added_dragged_and_erased(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, DESKTOP)
    setup = state(page, "setup")
    count = len(setup["train"]["x"])
    page.click("[data-tool=add1]")
    assert page.text_content(".ggp-plane-hint") == "Click or tap to add a training point of class 1"
    page.mouse.click(*plane_point(page, (40, 60)))
    page.wait_for_function(f"window.glassgrad.host.get('setup').train.x.length === {count + 1}")
    setup = state(page, "setup")
    assert setup["settings"]["dataset"] == "own" and setup["train"]["y"][-1] == 1
    assert setup["train"]["x"][-1] == pytest.approx(plane_data(setup, (40, 60)), abs=0.01)
    page.click("[data-tool=add0]")
    page.mouse.click(*plane_point(page, (280, 290)))
    page.wait_for_function(f"window.glassgrad.host.get('setup').train.x.length === {count + 2}")
    assert state(page, "setup")["train"]["y"][-1] == 0
    # Drag the class-0 point to the middle.
    page.click("[data-tool=move]")
    page.mouse.move(*plane_point(page, (281, 289)))
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(*plane_point(page, (281 - 24 * step, 289 - 26 * step)))
    page.mouse.up()
    middle = plane_data(setup, (161, 159))
    page.wait_for_function(
        f"Math.abs(window.glassgrad.host.get('setup').train.x[{count + 1}][0] - {middle[0]}) < 0.02"
    )
    setup = state(page, "setup")
    assert setup["train"]["x"][-1] == pytest.approx(plane_data(setup, (161, 159)), abs=0.01)
    assert len(setup["train"]["x"]) == count + 2
    # Erase it.
    page.click("[data-tool=erase]")
    page.mouse.click(*plane_point(page, (161, 159)))
    page.wait_for_function(f"window.glassgrad.host.get('setup').train.x.length === {count + 1}")
    assert state(page, "setup")["train"]["x"][-1] == setup["train"]["x"][-2]
    # Training runs on them, and explaining is a tool again.
    page.click("[data-act=step]")
    wait_epoch(page, "e === 1")
    page.click("[data-tool=explain]")
    page.mouse.click(*plane_point(page, (40, 60)))
    page.wait_for_selector(".ggp-explain[data-explained]", timeout=30_000)
    explained = json.loads(page.get_attribute(".ggp-explain", "data-explained"))
    assert (explained["split"], explained["index"]) == ("train", count)
    assert errors == [] and foreign == []
    page.context.close()


def test_a_csv_of_points_loads_whole_or_not_at_all(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, PHONE)
    page.click(".ggp-csv summary")
    before = state(page, "setup")
    page.fill("[data-csv=text]", "x1,x2,label\n0.5,1,1\n0.25,abc,0\n1,1,0")
    page.click("[data-act=load-csv]")
    page.wait_for_function("document.querySelector('.ggp-status').textContent.includes('row 3')")
    assert "row 3: x2 is 'abc', not a number" in page.text_content(".ggp-status")
    assert state(page, "setup") == before  # nothing loaded
    rows = [f"{i / 8},{(i % 5) / 3},{i % 2}" for i in range(30)]
    page.fill("[data-csv=text]", "x1,x2,label\n" + "\n".join(rows))
    page.click("[data-act=load-csv]")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'own'")
    setup = state(page, "setup")
    loaded = sorted(map(tuple, setup["train"]["x"] + setup["test"]["x"]))
    assert loaded == sorted((i / 8, (i % 5) / 3) for i in range(30))
    assert page.text_content(".ggp-status") == ""
    # A file: the same checks.
    with page.expect_file_chooser() as chooser:
        page.click("[data-act=choose-csv]")
    assert chooser.value.element.get_attribute("data-csv") == "file"
    page.set_input_files(
        "[data-csv=file]",
        files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": b"1,2,0\n3,4,1\n5,6,1\n"}],
    )
    page.wait_for_function(
        "(() => { const s = window.glassgrad.host.get('setup');"
        " return s.train.x.length + s.test.x.length === 3; })()"
    )
    setup = state(page, "setup")
    assert sorted(map(tuple, setup["train"]["x"] + setup["test"]["x"])) == [(1, 2), (3, 4), (5, 6)]
    page.set_input_files(
        "[data-csv=file]",
        files=[{"name": "huge.csv", "mimeType": "text/csv", "buffer": b"1,2,0\n" * 200_000}],
    )
    page.wait_for_function(
        "document.querySelector('.ggp-status').textContent.includes('larger than 1 MiB')"
    )
    assert state(page, "setup") == setup
    assert errors == [] and foreign == []
    page.context.close()


def packed_link(run: Any) -> str:
    """A run as the site packs it into a link: JSON, raw deflate, base64url."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(json.dumps(run).encode()) + compressor.flush()
    return "/#run=" + base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_link_carries_the_run_and_a_hostile_link_is_refused(browser: Any, site: str) -> None:
    page, errors, foreign = open_site(browser, site, DESKTOP)
    page.click("[data-tool=add1]")
    page.mouse.click(*plane_point(page, (30, 300)))
    page.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'own'")
    page.select_option("[data-setting=weight_decay]", "0.001")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.weight_decay === 0.001")
    page.select_option("[data-setting=seed]", "4")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.seed === 4")
    page.click("#share")
    page.wait_for_function("document.getElementById('share-link').value.includes('#run=')")
    link = page.input_value("#share-link")
    assert page.url == link and len(link) < 8000  # compressed: 200 points and the settings
    for n in (1, 2, 3):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    ours, setup = state(page, "frame"), state(page, "setup")
    # The link, opened afresh: the same points and settings, the same run.
    other, other_errors, other_foreign = open_site(browser, site, PHONE, link[len(site) :])
    other.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'own'")
    theirs = state(other, "setup")
    for key in ("settings", "train", "test", "extent"):
        assert theirs[key] == setup[key], key
    for n in (1, 2, 3):
        other.click("[data-act=step]")
        wait_epoch(other, f"e === {n}")
    assert state(other, "frame")["weights"] == ours["weights"]
    assert other_errors == [] and other_foreign == []
    other.context.close()
    # Hostile links: refused with a message, nothing loaded, nothing run.
    hostile = [
        ("/#run=<script>alert(1)</script>", "#share-note[data-refused]", "not a glassgrad link"),
        ("/#run=" + "A" * 200_001, "#share-note[data-refused]", "too long"),
        (packed_link(" " * 3_000_000), "#share-note[data-refused]", "too long"),  # a flood
        (
            packed_link({"settings": {"dataset": "moons"}, "code": "alert(1)"}),
            ".ggp-status",
            "does not hold a playground run",
        ),
        (packed_link({"settings": {"lr": "__import__('os')"}}), ".ggp-status", "lr must be"),
    ]
    for address, where, words in hostile:
        bad, bad_errors, bad_foreign = open_site(browser, site, PHONE, address)
        bad.wait_for_function(
            "([where, words]) => (document.querySelector(where) || {}).textContent"
            "?.includes(words)",
            arg=[where, words],
        )
        assert state(bad, "setup")["settings"]["dataset"] == "xor"
        assert bad.evaluate("typeof window.alerted") == "undefined"
        assert bad_errors == [] and bad_foreign == []
        bad.context.close()
    assert errors == [] and foreign == []
    page.context.close()


def test_every_build_of_the_site_is_the_same_bytes(built_site: Path, tmp_path: Path) -> None:
    again = dev_module().build_site(tmp_path / "site", sys.executable)
    assert files_of(again) == files_of(built_site)


def test_the_machines_own_node_and_npm_build_the_same_site(
    built_site: Path, tmp_path: Path
) -> None:
    """The way the site was built before its Node came from PyPI gives the same files."""
    dev = dev_module()
    system = dev.system_node()
    if system is None:
        need("Node.js and npm", "the comparison needs the machine's own Node.js and npm")
    # The machine's npm installs the very files the pinned npm did...
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / "web" / name, tmp_path / name)
    theirs = files_of(dev.npm_packages(system, tmp_path))
    ours = files_of(ROOT / "web" / "node_modules")
    for listing in (theirs, ours):  # npm's own record of the install, not a package
        listing.pop(".package-lock.json", None)
    assert theirs == ours
    # ...and the machine's Node builds the same site, but for Python's saved start-up,
    # which records the Node that made it (Pyodide notes its version and features).
    snapshot = "pyodide/snapshot.bin.gz"
    site = files_of(dev.build_site(tmp_path / "site", sys.executable, system))
    expected = files_of(built_site)
    assert site.keys() == expected.keys()
    assert {k: v for k, v in site.items() if k != snapshot} == {
        k: v for k, v in expected.items() if k != snapshot
    }


def test_the_page_speaks_the_browsers_language_and_switches(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    foreign = refuse_other_origins(context, (site + "/", "data:", "blob:"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site + "/")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    page.wait_for_function("document.documentElement.lang === 'zh'")
    assert page.title() == "glassgrad 练习场"
    assert page.text_content("h2") == "逐步演示一个表达式"
    page.wait_for_function(
        "document.getElementById('status').textContent.includes('Python 已就绪')"
    )
    assert page.get_attribute("#expression-text", "aria-label") == "表达式"
    assert page.input_value("#language") == "zh"
    # The playground speaks it too: its buttons, settings, keys and Python's lines.
    page.wait_for_function("document.querySelector('.ggp [data-act=step]').textContent === '单步'")
    assert page.text_content(".ggp [data-act=play]") == "▶ 播放"
    assert page.get_attribute("[data-setting=lr]", "aria-label") == "学习速率"
    assert "训练损失" in page.text_content(".ggp-curves")
    assert "类别 0" in page.text_content(".ggp-plane-key")
    assert page.text_content(".ggp-numbers").startswith("损失：训练 ")
    assert page.text_content(".ggp-rule").startswith("每个批次的更新：W ← W − 0.3·∂L/∂W")
    assert page.text_content(".ggp-plane-hint") == "已暂停：点击或轻触一个点来解释它"
    page.click("[data-act=explain]")
    page.wait_for_selector(".ggp-explain[data-explained]", timeout=30_000)
    assert page.text_content(".ggp-explain b").startswith("第 0 轮时的样本 0（训练集）")
    assert page.text_content(".ggp-explain [data-act=close]") == "关闭"
    # The expression's error comes from Python, in the page's language.
    page.fill("#expression-text", "a*c")
    page.fill("#expression-values", "a=2")
    page.click("#expression-go")
    page.wait_for_selector("#expression-out pre.error")
    assert "表达式用到了 c，但它没有值" in page.text_content("#expression-out pre.error")
    # The switch: English at once, and kept for the next visit.
    page.select_option("#language", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.text_content("h2") == "Step through an expression"
    assert page.text_content("#status").startswith("Python ready in ")
    page.wait_for_function("document.querySelector('.ggp [data-act=step]').textContent === 'Step'")
    assert page.text_content(".ggp-numbers").startswith("loss ")
    assert "train loss" in page.text_content(".ggp-curves")
    page.reload()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.title() == "glassgrad playground"
    assert errors == [] and foreign == []
    context.close()


def test_three_classes_get_a_colour_each_on_the_plane_and_in_the_key(
    browser: Any, site: str
) -> None:
    page, errors, foreign = open_site(browser, site, DESKTOP)
    classes = page.locator("[data-setting=classes]")
    assert not classes.is_visible()  # xor has two classes: no choice offered
    page.select_option("[data-setting=dataset]", "blobs")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'blobs'")
    assert classes.is_visible()
    page.select_option("[data-setting=classes]", "3")
    page.wait_for_function("window.glassgrad.host.get('setup').classes === 3")
    set_settings(page, optimizer="adam", lr=0.1, noise=0.05)
    setup = state(page, "setup")
    assert setup["layers"] == [2, 3, 3] and sorted(set(setup["train"]["y"])) == [0, 1, 2]
    for n in range(1, 31):
        page.click("[data-act=step]")
        wait_epoch(page, f"e === {n}")
    key = page.locator(".ggp-plane-key")
    for words in ("class 0", "class 1", "class 2", "train", "test", "the likeliest class"):
        assert words in key.text_content()
    swatch = {
        c: rgb(page.get_attribute(f".ggp-plane-key .ggp-class[data-class='{c}']", "fill"))
        for c in range(3)
    }
    assert len({tuple(v) for v in swatch.values()}) == 3
    e, r = setup["extent"], setup["resolution"]

    def pixel(p: list[float]) -> tuple[float, float]:
        return (p[0] - e[0]) / (e[1] - e[0]) * 320, (e[3] - p[1]) / (e[3] - e[2]) * 320

    # Each class's points are drawn in its swatch's colour (read where nothing covers them).
    train = [pixel(p) for p in setup["train"]["x"]]
    for c in range(3):
        assert page.evaluate(PLANE_PIXEL, uncovered(train, setup["train"]["y"], c)) == swatch[c]
    # Where the network is sure of a class (all around a grid cell), the plane has its colour.
    painted = base64.b64decode(state(page, "frame")["plane"])
    points = train + [pixel(p) for p in setup["test"]["x"]]
    checked = dict.fromkeys(range(3), 0)
    for row in range(1, r - 1):
        for col in range(1, r - 1):
            around = [(row + dr) * r + col + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1)]
            best = {painted[2 * i] for i in around}
            centre = ((col + 0.5) * 320 / r, (row + 0.5) * 320 / r)
            sure = min(painted[2 * i + 1] for i in around) >= 253
            if len(best) != 1 or not sure or any(math.dist(centre, p) < 12 for p in points):
                continue
            (c,) = best
            seen = page.evaluate(PLANE_PIXEL, centre)
            assert max(abs(a - b) for a, b in zip(seen, swatch[c])) <= 4, (centre, seen, c)
            checked[c] += 1
    assert all(checked.values()), checked
    page.locator(".ggp-figure").screenshot(path=str(ARTIFACTS / "site-three-classes.png"))
    page.locator(".ggp-main").screenshot(path=str(ARTIFACTS / "site-three-classes-network.png"))
    # A point of the third class, added by hand.
    count = len(setup["train"]["x"])
    page.click("[data-tool=add2]")
    assert page.text_content(".ggp-plane-hint") == "Click or tap to add a training point of class 2"
    page.mouse.click(*plane_point(page, (160, 160)))
    page.wait_for_function(f"window.glassgrad.host.get('setup').train.x.length === {count + 1}")
    assert state(page, "setup")["train"]["y"][-1] == 2
    # Back to a dataset of two: two classes, and no third adding tool.
    page.select_option("[data-setting=dataset]", "moons")
    page.wait_for_function("window.glassgrad.host.get('setup').settings.dataset === 'moons'")
    assert state(page, "setup")["classes"] == 2 and page.locator("[data-tool=add2]").count() == 0
    assert not classes.is_visible()
    assert errors == [] and foreign == []
    page.context.close()
