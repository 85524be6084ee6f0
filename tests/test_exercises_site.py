"""The site's exercises page in Chromium: from the front page to a finished quiz."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.stepper import exercises
from tests.autograd.test_stepper import ARTIFACTS
from tests.test_site import DESKTOP, PHONE, browser, built_site, open_site, site

# One worker builds and serves the site for every test here.
pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.site]
__all__ = ["browser", "built_site", "site"]  # fixtures, used by name


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_from_the_front_page_to_a_finished_quiz_on_the_articles_network_in_a_minute(
    browser: Any, site: str, viewport: dict
) -> None:
    nn.seed_network()  # nn plugs in the networks of model exercises
    stepper = exercises("article", lang="en")[0].stepper()
    asked = [f["quiz"] for f in stepper.frames if f["quiz"] and f["phase"] == "backward"]
    started = time.monotonic()
    page, errors, foreign = open_site(browser, site, viewport)
    page.click("a[href='./exercises.html']")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    page.click(".set[data-set=article] [data-exercise='0']")
    root = page.locator("#quiz .gg-stepper")
    assert root.get_attribute("data-asking") == "0"  # the forward pass is not asked
    page.click("#quiz [data-act=last]")
    for number, ask in enumerate(asked):
        assert root.get_attribute("data-asking") == "1"
        inputs = page.locator("#quiz .gg-q-input")
        if number == 0:  # one wrong answer first
            inputs.nth(0).fill("12345")
            inputs.nth(0).press("Enter")
            assert "✗ not 12345" in page.inner_text("#quiz .gg-q-rows")
        for k, question in enumerate(ask["questions"]):
            if inputs.nth(k).is_enabled():
                inputs.nth(k).fill(question["shown"])
        page.click("#quiz [data-quiz=check]")
        assert root.get_attribute("data-asking") == "0"
        page.click("#quiz [data-act=last]")
    total = sum(len(ask["questions"]) for ask in asked)
    assert root.get_attribute("data-finished") == "1"
    assert root.get_attribute("data-score") == f"{total - 1}/{total}"
    seconds = time.monotonic() - started
    assert seconds < 60, f"the front page to a finished quiz took {seconds:.1f} s"
    name = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=str(ARTIFACTS / f"site-exercises-{name}.png"), full_page=True)
    assert errors == [] and foreign == []
    page.context.close()


def test_a_teachers_own_file_opens_and_a_bad_one_says_which_entry(
    browser: Any, site: str, tmp_path: Path
) -> None:
    page, errors, foreign = open_site(browser, site, DESKTOP)
    page.goto(site + "/exercises.html")
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    good = tmp_path / "mine.json"
    good.write_text(
        '{"glassgrad": "exercises", "version": 1, "title": "Mine",'
        ' "exercises": [{"title": "square", "expression": "x*x", "values": {"x": 3}}]}',
        encoding="utf-8",
    )
    page.set_input_files("#own", str(good))
    page.click("#own-open")
    page.click(".set[data-set=own] [data-exercise='0']")
    page.click("#quiz [data-act=last]")
    labels = page.locator("#quiz .gg-q-label .gg-shown").all_text_contents()
    assert labels[2] == "∂out/∂x now (the running sum)"
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"glassgrad": "exercises", "version": 1,'
        ' "exercises": [{"title": "broken", "expression": "x*", "values": {"x": 3}}]}',
        encoding="utf-8",
    )
    page.set_input_files("#own", str(bad))
    page.click("#own-open")
    message = page.inner_text("#quiz pre.error")
    assert "exercise 1 (broken)" in message
    assert errors == [] and foreign == []
    page.context.close()
