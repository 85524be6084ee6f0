"""The playground widget's Python side, with no notebook attached."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("anywidget")

import nn
from tests.autograd.test_stepper import browser, open_page, served  # noqa: F401


def test_the_widget_trains_on_its_thread_and_pauses() -> None:
    widget = nn.playground(dataset="blobs", points=40)
    assert widget.frame["epoch"] == 0 and widget.setup["layers"] == [2, 3, 1]
    widget.running = True  # as the Play button does
    deadline = time.monotonic() + 10
    while widget.frame["epoch"] < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    widget.pause()
    stopped = widget.playground.epoch
    assert stopped >= 10 and widget.running is False
    time.sleep(0.2)
    assert widget.playground.epoch == stopped
    widget.request = {"do": "step", "n": 1}
    assert widget.frame["epoch"] == stopped + 1


def test_the_widget_explains_and_changes_settings() -> None:
    widget = nn.playground(dataset="moons", points=40)
    widget.request = {"do": "explain", "index": 2, "split": "test", "n": 1}
    assert widget.explanation["index"] == 2 and "gg-stepper" in widget.explanation["stepper"]
    widget.settings = {**widget.settings, "hidden": [2, 2], "activation": "tanh"}
    assert widget.setup["layers"] == [2, 2, 2, 1] and widget.explanation == {}
    assert widget.model.activations == ["tanh", "tanh", "sigmoid"]
    widget.settings = {**widget.settings, "hidden": [99]}
    assert "1 to 3 layers" in widget.frame["status"]


def test_without_a_notebook_front_end_the_widget_reads_as_text() -> None:
    widget = nn.playground()
    data = widget._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert "glassgrad playground: MLP(2 inputs -> 3 relu, 1 sigmoid) on xor" in data["text/plain"]


def test_an_exported_run_replays_in_a_browser(
    browser: Any,  # noqa: F811
    served: tuple[Path, str],  # noqa: F811
) -> None:
    folder, base = served
    widget = nn.playground(dataset="moons", points=60)
    for n in range(6):
        widget.request = {"do": "step", "n": n}  # a new value: a repeated one is no change
        widget.playground.train(4)
        widget.playground.record()
    widget.export_html(folder / "run.html")
    page, errors, foreign = open_page(browser, f"{base}/run.html", {"width": 390, "height": 844})
    root = page.locator(".ggp")
    assert root.get_attribute("data-epoch") == "0"
    page.locator("[data-act=play]").first.click()
    page.wait_for_function("document.querySelector('.ggp').dataset.epoch === '30'")
    page.locator("[data-act=reset]").click()
    assert root.get_attribute("data-epoch") == "0"
    page.locator("[data-act=step]").click()
    assert root.get_attribute("data-epoch") == "1"
    assert page.locator("[data-act=explain]").count() == 0  # explaining needs Python
    assert errors == [] and foreign == []
    page.context.close()


def test_the_widget_takes_points_of_ones_own_and_a_csv() -> None:
    widget = nn.playground(dataset="moons", points=40)
    count = len(widget.setup["train"]["x"])
    widget.request = {"do": "add", "x": [0.25, -0.5], "label": 1, "n": 1}
    assert widget.setup["settings"]["dataset"] == "own"
    assert (
        widget.setup["train"]["x"][-1] == [0.25, -0.5]
        and len(widget.setup["train"]["x"]) == count + 1
    )
    widget.request = {"do": "csv", "text": "0,0,1\n1,1,7", "n": 2}  # classes 0 to 3 only
    assert "row 2: label is '7'" in widget.frame["status"]
    assert len(widget.setup["train"]["x"]) == count + 1  # nothing loaded
    widget.request = {"do": "csv", "text": "0,0,1\n1,1,0\n2,2,1\n3,3,0", "n": 3}
    assert len(widget.setup["train"]["x"]) + len(widget.setup["test"]["x"]) == 4
