"""The HTML stepper: page content, escaping, and a real browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("graphviz")

import nn
from autograd import Value
from autograd.stepper import Stepper, export_html

EVIL = "</script><img src=x onerror=alert(1)>"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def evil_graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label=EVIL)
    out = (a * b + a).tanh()
    out.label = "out"
    return out


def test_one_frame_per_step_with_its_node() -> None:
    stepper = Stepper(evil_graph())
    assert len(stepper.frames) == len(stepper.steps) == 3 + 4
    page = stepper.page()
    assert page.count('class="gg-frame"') == 7
    assert page.startswith("<!DOCTYPE html>") and "http" not in page.split("<svg")[0]


def test_labels_are_escaped_everywhere() -> None:
    page = Stepper(evil_graph()).page()
    assert EVIL not in page
    assert "<img" not in page


def test_model_page_has_the_article_formulas(tmp_path: Path) -> None:
    path = export_html(nn.seed_network(seed=0), tmp_path / "model.html", x=[0.5, 1.0], y=1.0)
    page = path.read_text(encoding="utf-8")
    for formula in ("∂L/∂z2 = ŷ − y", "∂L/∂W2 = ∂L/∂z2 · a1ᵀ", "∂L/∂b1 = ∂L/∂z1"):
        assert formula in page
    assert "W1[0,0]" in page and "z1[0]" in page


def test_each_showing_of_a_stepper_gets_its_own_id() -> None:
    stepper = Stepper(evil_graph())
    first, second = stepper.html(), Stepper(evil_graph()).html()
    again = stepper.html()  # a notebook showing the same object twice

    def uid(fragment: str) -> str:
        return fragment.split('id="', 1)[1].split('"', 1)[0]

    assert len({uid(first), uid(second), uid(again)}) == 3
    assert stepper.page() == Stepper(evil_graph()).page()  # exported pages stay reproducible


def test_big_graphs_get_a_clear_message() -> None:
    x = Value(1.0)
    for _ in range(100):
        x = x * 1.01
    with pytest.raises(ValueError, match="Step through a part"):
        Stepper(x)


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


def test_stepper_in_a_real_browser(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = export_html(evil_graph(), tmp_path / "stepper.html")
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 700})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(page_file.as_uri())

        def visible_node() -> str:
            return page.locator(".gg-frame:not([hidden])").get_attribute("data-node")

        def formula() -> str:
            return page.inner_text(".gg-formula")

        assert page.locator(".gg-frame:not([hidden])").count() == 1
        first_node, first_formula = visible_node(), formula()
        assert first_formula.startswith("n2 = a · ")
        page.click("[data-act=next]")
        assert visible_node() != first_node and formula().startswith("n3 = n2 + a")
        page.click("[data-act=prev]")
        assert visible_node() == first_node and formula() == first_formula
        page.locator(".gg-slider").fill("4")
        assert page.get_attribute(".gg-stepper", "data-current") == "4"
        assert formula().startswith("∂out/∂n3 += ∂out/∂out · (1 − out²)")
        # The highlighted node of the frame is drawn with the highlight colour.
        node = visible_node()
        outline = page.locator(f".gg-frame:not([hidden]) g#{node} polygon").first
        assert outline.get_attribute("stroke") == "#e65100"
        page.click("[data-act=play]")
        page.wait_for_function(
            "document.querySelector('.gg-stepper').getAttribute('data-current') === '6'",
            timeout=10_000,
        )
        assert f"∂out/∂{EVIL} += " in formula()  # the label shows as plain text
        assert page.locator("img").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "stepper.png"), full_page=True)
        browser.close()
    assert errors == [] and dialogs == []


def test_two_steppers_of_one_graph_on_one_page_step_independently(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    stepper = Stepper(evil_graph())
    page_file = tmp_path / "two.html"
    page_file.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        f"{stepper.html()}{stepper.html()}</body></html>",
        encoding="utf-8",
    )
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_file.as_uri())
        first, second = page.locator(".gg-stepper").nth(0), page.locator(".gg-stepper").nth(1)
        second.locator("[data-act=next]").click()
        second.locator("[data-act=next]").click()
        assert second.get_attribute("data-current") == "2"
        assert first.get_attribute("data-current") == "0"
        first.locator("[data-act=next]").click()
        assert first.get_attribute("data-current") == "1"
        assert second.get_attribute("data-current") == "2"
        browser.close()
    assert errors == []
