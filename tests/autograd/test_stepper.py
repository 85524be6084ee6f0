"""The HTML stepper: its frames, its page, and the page in a real browser."""

from __future__ import annotations

import functools
import http.server
import math
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("graphviz")

import nn
from autograd import Value
from autograd.stepper import Stepper, export_html
from tests.conftest import refuse_other_origins

EVIL = "</script><img src=x onerror=alert(1)>"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def evil_graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label=EVIL)
    out = (a * b + a).tanh()
    out.label = "out"
    return out


def lecture_graph() -> Value:
    """tanh(a·b + a) at a = 2, b = -3: ``a`` gets its gradient by two paths."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    z = a * b
    z.label = "z"
    out = (z + a).tanh()
    out.label = "L"
    return out


def test_one_frame_per_step() -> None:
    stepper = Stepper(evil_graph())
    assert len(stepper.frames) == len(stepper.steps) == 3 + 4
    page = stepper.page()
    assert page.startswith("<!DOCTYPE html>")
    shown, *others = page.split("<template")  # the stepper, then in the other languages
    assert shown.count("<img ") == 1  # one picture, restyled by every frame
    assert len(others) == 1 and others[0].count("<img ") == 1
    assert 'src="http' not in page and 'href="http' not in page


def test_labels_are_escaped_everywhere() -> None:
    page = Stepper(evil_graph()).page()
    assert EVIL not in page
    assert "<img src=x" not in page


def test_forward_fills_in_and_leaves_are_known_from_the_start() -> None:
    stepper = Stepper(lecture_graph())
    first = stepper.frames[0]["boxes"]
    assert first["v0"] == ["a = 2", "grad ?", "sum ?"]  # a leaf: known; its grad: not yet
    assert first["v2"][0] == "z = −6"  # computed at this step
    assert first["v3"][0] == "n1 = ?" and first["v4"][0] == "L = ?"  # not yet
    assert stepper.frames[2]["boxes"]["v4"][0] == "L = −0.9993"


def test_backward_frames_mark_the_node_its_edges_and_the_parents_receiving() -> None:
    stepper = Stepper(lecture_graph())
    frame = stepper.frames[6]  # z passes its gradient to a and b
    assert frame["active"] == ["v2", "v2_op"]
    assert sorted(frame["marked"]) == ["v0", "v1"]
    assert frame["edges"] == ["v2_e0", "v2_e1", "v2_out"]
    # a already had 0.001341 from the + node: the sum is written, in the text and on the box.
    assert "∂L/∂a = 0.001341 − 0.004023 = −0.002682" in frame["text"]
    assert frame["boxes"]["v0"] == ["a = 2", "grad −0.002682", "sum 0.001341 − 0.004023"]


def test_fills_use_one_scale_for_the_whole_pass() -> None:
    stepper = Stepper(lecture_graph())
    assert stepper.scale == pytest.approx(0.002682, abs=1e-6)  # not the seed's 1
    assert stepper.frames[-1]["fills"]["v4"] == "#eeeeee"  # the seed is grey


def test_model_page_has_the_article_formulas_filling_in(tmp_path: Path) -> None:
    model = nn.seed_network(seed=0)
    stepper = model.stepper(x=[0.5, 1.0], y=1.0)
    page = export_html(model, tmp_path / "model.html", x=[0.5, 1.0], y=1.0).read_text("utf-8")
    for formula in ("∂L/∂z2 = ŷ − y", "∂L/∂W2 = ∂L/∂z2 · a1ᵀ", "∂L/∂b1 = ∂L/∂z1"):
        assert formula in page
    (panel,) = stepper.panels
    forward = sum(step.phase == "forward" for step in stepper.steps)
    assert panel.numbers[forward - 1] == [""] * 6  # nothing known before backward
    assert panel.numbers[forward + 1][0] == "0.7115 − 1 = −0.2885"  # after L's step
    assert panel.current[forward + 1] == [0]
    assert panel.current[forward + 2] == [1, 2, 3]  # z2 gives to W2, a1 and b2
    assert "?" in panel.numbers[forward + 3][3]  # ∂L/∂z1 arrives one entry at a time
    assert "?" not in panel.numbers[-1][4]
    names = [step.name for step in stepper.steps]
    assert names[:3] == ["z1[0]", "z1[1]", "z1[2]"] and "a1[0]" in names and "z2" in names


def test_each_showing_of_a_stepper_gets_its_own_id() -> None:
    stepper = Stepper(evil_graph())
    first, second = stepper.html(), Stepper(evil_graph()).html()
    again = stepper.html()  # a notebook showing the same object twice

    def uid(fragment: str) -> str:
        return fragment.split('id="', 1)[1].split('"', 1)[0]

    assert len({uid(first), uid(second), uid(again)}) == 3
    assert stepper.page() == Stepper(evil_graph()).page()  # exported pages stay reproducible


def test_jupyter_gets_a_picture_and_text_beside_the_html() -> None:
    bundle = Stepper(lecture_graph())._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "image/png", "text/plain"}
    assert "grad −0.002682" in bundle["image/svg+xml"]  # the finished pass
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert "∂L/∂a = 0.001341 − 0.004023 = −0.002682" in bundle["text/plain"]


def test_big_graphs_get_a_clear_message() -> None:
    x = Value(1.0)
    for _ in range(100):
        x = x * 1.01
    with pytest.raises(ValueError, match="Step through a part"):
        Stepper(x)


# A real browser -------------------------------------------------------------


def chromium() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).exists() or shutil.which(path)):
        if os.environ.get("CI"):
            pytest.fail(f"CI must have Chromium at {path} (.ci/run installs it)")
        pytest.skip(f"no Chromium at {path}: install Debian's chromium to run browser tests")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass  # keep test output clean


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on localhost: ``(folder, base URL)``."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, url: str, viewport: dict, javascript: bool = True) -> tuple:
    """A page on ``url`` that records console errors and refuses every other origin."""
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    origin = "/".join(url.split("/", 3)[:3]) + "/"
    foreign = refuse_other_origins(page, (origin, "data:"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: (errors.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    return page, errors, foreign


SMALLEST_TEXT = """(root) => {
  const svg = root.querySelector('.gg-view svg');
  let smallest = 1e9;
  svg.querySelectorAll('text').forEach((t) => {
    const px = parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a;
    smallest = Math.min(smallest, px);
  });
  return smallest;
}"""

POSITIONS = """(root) => Array.from(root.querySelectorAll('.gg-view svg g.node')).map((g) => {
  const r = g.getBBox();
  return [g.id, r.x, r.y, r.width, r.height];
})"""

MARKS = """(root) => ['gg-active', 'gg-marked', 'gg-hot'].map((c) =>
  Array.from(root.querySelectorAll('.' + c)).map((el) => el.id).sort())"""


def test_stepper_in_a_real_browser(browser: Any, served: tuple[Path, str]) -> None:
    folder, base = served
    stepper = Stepper(lecture_graph())
    (folder / "stepper.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/stepper.html", DESKTOP)
    root = page.locator(".gg-stepper")
    assert page.locator(".gg-view svg").count() == 1 and page.locator(".gg-view img").count() == 0
    assert root.evaluate(SMALLEST_TEXT) >= 11
    positions = root.evaluate(POSITIONS)
    for number, frame in enumerate(stepper.frames):
        assert root.get_attribute("data-current") == str(number)
        active, marked, hot = root.evaluate(MARKS)
        assert active == sorted(frame["active"]) and marked == sorted(frame["marked"])
        assert hot == sorted(frame["edges"])
        assert page.inner_text(".gg-formula") == frame["text"]
        assert root.evaluate(POSITIONS) == positions  # nothing moves, nothing grows
        page.click("[data-act=next]")
    # The accumulation, on the graph and in the text.
    page.click("[data-act=first]")
    page.locator(".gg-slider").fill("6")
    assert "∂L/∂a = 0.001341 − 0.004023 = −0.002682" in page.inner_text(".gg-formula")
    box = page.locator('.gg-view svg [id="v0"] text')
    assert box.all_text_contents() == ["a = 2", "grad −0.002682", "sum 0.001341 − 0.004023"]
    # Keys: Home, End, arrows, space.
    root.focus()
    page.keyboard.press("Home")
    assert root.get_attribute("data-current") == "0"
    page.keyboard.press("ArrowRight")
    assert root.get_attribute("data-current") == "1"
    page.keyboard.press("End")
    assert root.get_attribute("data-current") == "6"
    page.keyboard.press("ArrowLeft")
    assert root.get_attribute("data-current") == "5"
    page.select_option(".gg-ui select", "4")
    page.keyboard.press("Home")
    page.keyboard.press(" ")
    page.wait_for_function(
        "document.querySelector('.gg-stepper').getAttribute('data-current') === '6'",
        timeout=10_000,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stepper.png"), full_page=True)
    assert errors == [] and foreign == []


def test_the_articles_network_reads_at_desktop_and_phone_sizes(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0)
    (folder / "model.html").write_text(stepper.page(), encoding="utf-8")
    for viewport in (DESKTOP, PHONE):
        page, errors, foreign = open_page(browser, f"{base}/model.html", viewport)
        root = page.locator(".gg-stepper")
        assert page.locator('meta[name="viewport"]').count() == 1
        assert root.evaluate(SMALLEST_TEXT) >= 11
        positions = root.evaluate(POSITIONS)
        (panel,) = stepper.panels
        rows = page.locator(".gg-panel tr")
        for number in range(len(stepper.frames)):
            page.locator(".gg-slider").fill(str(number))
            now = [
                i
                for i in range(rows.count())
                if "gg-row-now" in (rows.nth(i).get_attribute("class") or "")
            ]
            assert now == panel.current[number]
            numbers = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
            assert numbers == [text or "?" for text in panel.numbers[number]]
        assert root.evaluate(POSITIONS) == positions
        # Every control can be reached and is big enough to touch.
        for act in ("first", "prev", "play", "next", "last", "zoom-in", "fit", "zoom-out"):
            size = page.locator(f"[data-act={act}]").bounding_box()
            assert size is not None and size["height"] >= 36 and size["width"] >= 36
        page.locator("[data-act=next]").click()
        # The panel's text is as readable as the graph's.
        cell_px = page.locator(".gg-panel td").first.evaluate(
            "(td) => parseFloat(getComputedStyle(td).fontSize)"
        )
        assert cell_px >= 11
        name = "phone" if viewport is PHONE else "desktop"
        page.screenshot(path=str(ARTIFACTS / f"stepper-network-{name}.png"))
        assert errors == [] and foreign == []
        page.context.close()


def test_without_javascript_the_page_shows_the_whole_pass(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    stepper = Stepper(lecture_graph())
    (folder / "stepper.html").write_text(stepper.page(), encoding="utf-8")
    for viewport in (DESKTOP, PHONE):
        page, errors, foreign = open_page(browser, f"{base}/stepper.html", viewport, False)
        assert page.locator("button").count() == 0  # no dead buttons
        assert "needs JavaScript" in page.inner_text(".gg-nojs")
        picture = page.locator(".gg-view img")
        assert picture.is_visible() and picture.evaluate("(img) => img.naturalWidth") > 100
        rows = page.locator(".gg-table tr")
        assert rows.count() == len(stepper.steps) + 1
        assert "∂L/∂a = 0.001341 − 0.004023 = −0.002682" in page.inner_text(".gg-table")
        assert errors == [] and foreign == []
        page.context.close()


def test_two_steppers_of_one_graph_on_one_page_step_independently(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    stepper = Stepper(evil_graph())
    (folder / "two.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        f"{stepper.html()}{stepper.html()}</body></html>",
        encoding="utf-8",
    )
    page, errors, foreign = open_page(browser, f"{base}/two.html", DESKTOP)
    first, second = page.locator(".gg-stepper").nth(0), page.locator(".gg-stepper").nth(1)
    second.locator("[data-act=next]").click()
    second.locator("[data-act=next]").click()
    assert second.get_attribute("data-current") == "2"
    assert first.get_attribute("data-current") == "0"
    first.locator("[data-act=next]").click()
    assert first.get_attribute("data-current") == "1"
    assert second.get_attribute("data-current") == "2"
    assert f"∂out/∂{EVIL}" in second.evaluate("(r) => r.textContent")  # plain text
    assert errors == [] and foreign == []


@pytest.mark.parametrize("label", [5.0, -1.0, math.nan, "1", True])
def test_a_models_stepper_wants_a_label_between_0_and_1(label: object) -> None:
    with pytest.raises(ValueError, match=r"y is the sample's label, 0 or 1"):
        nn.seed_network().stepper(x=[0.5, 1.0], y=label)  # type: ignore[arg-type]


def test_json_for_a_script_block_cannot_end_it_and_refuses_nan() -> None:
    import json

    from autograd.stepper import json_for_script

    text = json_for_script({"label": EVIL, "note": "a & b <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"label": EVIL, "note": "a & b <!--"}
    with pytest.raises(ValueError):
        json_for_script({"loss": math.nan})


GRAPH_TOP = """(root) => {
  const view = root.querySelector('.gg-view').getBoundingClientRect();
  const above = ['.gg-title', '.gg-ui', '.gg-now'].map(
    (s) => root.querySelector(s).getBoundingClientRect().height);
  return [view.top + window.scrollY, ...above];
}"""


def test_the_graph_never_moves_as_the_steps_change_the_text_above_it(
    browser: Any, served: tuple[Path, str]
) -> None:
    # The article's network on one sample: the texts above the graph range from one
    # line (a forward step) to many (a neuron passing its gradient to its inputs).
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0)
    (folder / "model.html").write_text(stepper.page(), encoding="utf-8")
    lines = [frame["text"].count("\n") + 1 for frame in stepper.frames]
    assert max(lines) >= 3 and min(lines) == 1  # a page where text does grow
    for viewport in (DESKTOP, PHONE):
        page, errors, foreign = open_page(browser, f"{base}/model.html", viewport)
        root = page.locator(".gg-stepper")
        first = root.evaluate(GRAPH_TOP)
        seen = []
        for number in range(len(stepper.frames)):
            assert root.get_attribute("data-current") == str(number)
            seen.append(root.evaluate(GRAPH_TOP))
            page.click("[data-act=next]")
        moved = [(number, top) for number, top in enumerate(seen) if top != first]
        assert moved == [], f"at {viewport}: the graph or the text above it moved: {moved[:3]}"
        # Playing changes the button's words (Play, Pause): nothing moves either.
        page.click("[data-act=first]")
        page.click("[data-act=play]")
        assert root.evaluate(GRAPH_TOP) == first
        page.click("[data-act=play]")
        assert root.evaluate(GRAPH_TOP) == first
        assert errors == [] and foreign == []
        page.context.close()


def test_without_graphviz_a_stepper_still_steps_and_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # as if not installed
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0)
    assert stepper.missing == (
        "No picture of the graph here (drawing graphs needs the graphviz package: "
        "pip install 'glassgrad[viz]'); the steps below work without it."
    )
    assert [frame["text"] for frame in stepper.frames] == [step.text for step in stepper.steps]
    (panel,) = stepper.panels
    assert [frame["numbers"][0] for frame in stepper.frames] == panel.numbers
    fragment = stepper.html()
    assert (
        'class="gg-still"' not in fragment and "pip install &#x27;glassgrad[viz]&#x27;" in fragment
    )
    bundle = stepper._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert "∂L/∂W2[0,0] += " in bundle["text/plain"]


def test_without_the_png_converter_a_stepper_shows_its_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # its fonts draw the PNGs
    monkeypatch.setitem(sys.modules, "resvg_py", None)
    bundle = Stepper(lecture_graph())._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}


def test_a_stepper_without_a_picture_works_in_a_browser(
    browser: Any, served: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0)
    (folder / "plain.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/plain.html", PHONE)
    assert "pip install 'glassgrad[viz]'" in page.inner_text(".gg-view")
    assert page.locator("[data-act=zoom-in]").count() == 0  # no picture to zoom
    for number, frame in enumerate(stepper.frames):
        assert page.inner_text(".gg-formula") == frame["text"]
        numbers = page.locator(".gg-panel tr td:nth-child(2)").all_inner_texts()
        assert numbers == [text or "?" for text in frame["numbers"][0]], number
        page.click("[data-act=next]")
    assert errors == [] and foreign == []


def test_views_beside_the_stepper_hear_each_frame_and_can_mark_a_node(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    stepper = Stepper(lecture_graph())
    (folder / "hook.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/hook.html", DESKTOP)
    page.evaluate(
        """() => { window.heard = [];
        document.querySelector('.gg-stepper').addEventListener('gg-frame',
          (e) => window.heard.push(e.detail)); }"""
    )
    page.click("[data-act=last]")
    page.click("[data-act=prev]")
    heard = page.evaluate("window.heard")
    last = len(stepper.frames) - 1
    assert [h["index"] for h in heard] == [last, last - 1]
    frame = stepper.frames[last - 1]
    assert heard[1] == {
        "index": last - 1,
        "phase": "backward",
        "node": frame["node"],
        "name": frame["name"],
        "asking": False,
    }
    mark = """(detail) => document.querySelector('.gg-stepper').dispatchEvent(
        new CustomEvent('gg-mark', {detail: detail}))"""
    page.evaluate(mark, {"name": "a"})
    picked = "() => Array.from(document.querySelectorAll('.gg-picked')).map((el) => el.id)"
    assert page.evaluate(picked) == [stepper.picture.ids[stepper.output.operands[0].operands[1]]]
    page.evaluate(mark, {"node": "v1"})
    assert page.evaluate(picked) == ["v1"]
    page.evaluate(mark, {})
    assert page.evaluate(picked) == []
    assert errors == [] and foreign == []


SVG_INSIDE = """(root) => {
  const view = root.querySelector('.gg-view').getBoundingClientRect();
  const svg = root.querySelector('.gg-view svg').getBoundingClientRect();
  return [svg.left >= view.left, svg.right <= view.right, svg.width / view.width];
}"""


def test_the_articles_network_fits_the_width_of_its_box_at_1280(
    browser: Any, served: tuple[Path, str]
) -> None:
    # As on the site and in a notebook: the stepper in a box about 1000 px wide.
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0)
    (folder / "boxed.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        f'<body style="max-width: 1000px; margin: 8px auto">{stepper.html()}</body></html>',
        encoding="utf-8",
    )
    for url in ("boxed.html", "page.html"):
        (folder / "page.html").write_text(stepper.page(), encoding="utf-8")
        page, errors, foreign = open_page(browser, f"{base}/{url}", DESKTOP)
        root = page.locator(".gg-stepper")
        left_inside, right_inside, share = root.evaluate(SVG_INSIDE)
        assert left_inside and right_inside and share > 0.9  # the L and BCE nodes in sight
        assert root.evaluate(SMALLEST_TEXT) >= 9
        before = page.locator(".gg-view svg").bounding_box()
        page.click("[data-act=zoom-in]")  # zoom is kept for detail
        after = page.locator(".gg-view svg").bounding_box()
        assert after["width"] > before["width"] * 1.2
        page.click("[data-act=fit]")
        assert root.evaluate(SVG_INSIDE)[1]
        page.screenshot(path=str(ARTIFACTS / f"stepper-fit-{url.split('.')[0]}.png"))
        assert errors == [] and foreign == []
        page.context.close()
    # On a phone the text stays readable (11 px) and the picture scrolls.
    page, errors, foreign = open_page(browser, f"{base}/page.html", PHONE)
    assert page.locator(".gg-stepper").evaluate(SMALLEST_TEXT) >= 11
    page.context.close()


PAGE_WORDS = """(root) => ({
  lang: document.documentElement.lang,
  labels: Array.from(root.querySelectorAll('[aria-label]')).map(
    (el) => el.getAttribute('aria-label')),
  buttons: Array.from(root.querySelectorAll('.gg-ui button')).map(
    (el) => (el.querySelector('.gg-shown') || el).textContent.trim()),
  speeds: Array.from(root.querySelectorAll('.gg-ui option')).map((el) => el.textContent),
  legend: root.querySelector('.gg-legend').textContent,
  phase: root.querySelector('.gg-phase .gg-shown').textContent,
  title: root.querySelector('.gg-title').textContent,
  summary: root.querySelector('.gg-all summary').textContent,
})"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_stepper_page_speaks_the_language_asked_for(
    browser: Any, served: tuple[Path, str], lang: str
) -> None:
    from autograd.language import catalogue

    words = catalogue(lang)
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0, lang=lang)
    (folder / f"{lang}.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/{lang}.html", DESKTOP)
    shown = page.locator(".gg-stepper").evaluate(PAGE_WORDS)
    assert shown["lang"] == {"en": "en", "zh": "zh-Hans"}[lang]
    for key in ("first", "previous", "play_pause", "next", "last"):
        assert words[f"stepper.button.{key}"] in shown["labels"]
    assert words["stepper.fit"] in shown["buttons"] and words["stepper.play"] in shown["buttons"]
    assert shown["speeds"] == [
        words[f"stepper.speed.{s}"] for s in ("slow", "normal", "fast", "fastest")
    ]
    assert words["stepper.orange"] in shown["legend"] and words["stepper.purple"] in shown["legend"]
    assert shown["phase"] == words["stepper.phase.forward"]
    assert shown["summary"] == words["stepper.whole_pass"]
    assert shown["title"] == words["stepper.model_title"].format(x=[1.0, 0.0], y=1.0)
    page.click("[data-act=last]")
    assert page.inner_text(".gg-phase .gg-shown") == words["stepper.phase.backward"]
    grad = words["draw.grad"].split("{")[0]
    assert any(t.startswith(grad) for t in page.locator(".gg-view svg text").all_text_contents())
    if lang == "zh":  # nothing a learner reads on the controls is left in English
        english = [
            t
            for t in shown["labels"] + shown["buttons"]
            if any(c.isascii() and c.isalpha() for c in t.replace("Home", "").replace("End", ""))
        ]
        assert english == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "stepper-zh.png"), full_page=True)
    assert errors == [] and foreign == []


def test_a_stepper_made_in_one_language_keeps_it_when_shown_in_another() -> None:
    from autograd.language import text, using_language

    stepper = Stepper(lecture_graph(), lang="zh")
    with using_language("en"):
        page = stepper.html("gg-x")
        plain = stepper.text()
    assert text("stepper.whole_pass", "zh") in page and text("stepper.needs_js", "zh") in page
    assert text("stepper.title", "zh") in plain and "正向传播" in plain
    assert "The whole pass" not in page


def test_a_steppers_page_switches_language_and_still_steps(
    browser: Any, served: tuple[Path, str]
) -> None:
    from autograd.language import text

    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0, lang="en")
    (folder / "switch.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/switch.html", DESKTOP)
    first = page.get_attribute("[data-act=first]", "aria-label")
    assert first == text("stepper.button.first", "en")
    page.select_option(".gg-language select", "zh")
    page.wait_for_selector(".gg-stepper[data-ready]")
    assert page.get_attribute("[data-act=first]", "aria-label") == text(
        "stepper.button.first", "zh"
    )
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.title() == text("stepper.model_title", "zh", x=[1.0, 0.0], y=1.0)
    assert page.locator(".gg-stepper").count() == 1 and page.locator(".ggm").count() == 1
    page.click("[data-act=next]")
    page.click("[data-act=next]")
    assert page.get_attribute(".gg-stepper", "data-current") == "2"  # the new one steps
    assert page.inner_text(".gg-phase .gg-shown") == text("stepper.phase.forward", "zh")
    # Back to English: the page as it was written.
    page.select_option(".gg-language select", "en")
    page.wait_for_function("document.documentElement.lang === 'en' && !location.hash")
    page.wait_for_selector(".gg-stepper[data-ready]")
    assert page.get_attribute("[data-act=first]", "aria-label") == first
    # An address can ask for a language.
    page.goto(f"{base}/switch.html#lang=zh")
    page.wait_for_selector(".gg-stepper[data-ready]")
    assert page.get_attribute("[data-act=first]", "aria-label") == text(
        "stepper.button.first", "zh"
    )
    assert errors == [] and foreign == []
