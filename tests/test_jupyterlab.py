"""glassgrad's pictures and steppers in a real JupyterLab, trusted and untrusted.

The test starts JupyterLab on localhost (a free port, a token, a temporary
folder for everything it writes), runs a notebook showing a Value, a
stepper twice and an MLP, and opens it in Chromium twice: signed with
``jupyter trust`` (the steppers must be interactive, each on its own) and
unsigned, as a downloaded notebook is (JupyterLab then sanitises HTML and
will not show SVG: a picture and readable text must remain, never the
bare text of the SVG and script).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.autograd.test_stepper import ARTIFACTS, CHROMIUM_ARGS, chromium
from tests.conftest import need, refuse_other_origins

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("jupyterlab")]

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("graphviz")

ROOT = Path(__file__).resolve().parents[1]
CELLS = [
    "from autograd import Value\n"
    "a, b = Value(2.0, label='a'), Value(-3.0, label='b')\n"
    "L = (a * b + a).tanh()\nL.label = 'L'\nL.backward()\nL",
    "import nn\nmodel = nn.seed_network(seed=0)\n"
    "stepper = model.stepper(x=[0.5, 1.0], y=1.0)\nstepper",
    "stepper",
    "model",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path, dict]]:
    """A JupyterLab server on localhost: ``(base URL, token, folder, environment)``."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        need("jupyterlab", "jupyterlab is not installed (pip install 'glassgrad[dev]')")
    chromium()
    folder = tmp_path_factory.mktemp("lab")
    home = folder / "home"
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell, not only those scrolled into view.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    token, port = "glassgrad-test", free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
            "--LabApp.extension_manager=readonly",  # no package index asked
            "--ServerApp.terminals_enabled=False",
            "--allow-root",  # containers often run as root; this server is local only
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start within 30 s")
                time.sleep(0.3)
        yield base, token, folder, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def notebooks(lab: tuple[str, str, Path, dict]) -> tuple[str, str]:
    """The notebook run once, saved signed (trusted) and unsigned (untrusted)."""
    _, _, folder, env = lab
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    nbformat.write(notebook, folder / "trusted.ipynb")
    # Trust is kept per content signature: the unsigned copy must differ to stay untrusted.
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell("A downloaded copy."))
    nbformat.write(notebook, folder / "untrusted.ipynb")
    subprocess.run(
        [sys.executable, "-m", "jupyter", "trust", str(folder / "trusted.ipynb")],
        env=env,
        check=True,
        capture_output=True,
    )
    return "trusted.ipynb", "untrusted.ipynb"


def open_notebook(lab: tuple, name: str) -> tuple[Any, Any, list[str], list[str]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, token, _, _ = lab
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    foreign = refuse_other_origins(page, (base, "data:", "blob:"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A workspace of its own: JupyterLab would otherwise reopen the other notebook too.
    workspace = name.removesuffix(".ipynb")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-OutputArea-output", timeout=30_000)
    page.wait_for_function(
        "document.querySelectorAll('.jp-Cell-outputArea .jp-OutputArea-output').length >= 4",
        timeout=30_000,
    )
    page.wait_for_timeout(500)  # let the outputs' scripts run
    page._glassgrad = (playwright, browser)  # type: ignore[attr-defined]
    return page, browser, errors, foreign


def close(page: Any) -> None:
    playwright, browser = page._glassgrad
    browser.close()
    playwright.stop()


def outputs(page: Any) -> Any:
    return page.locator(".jp-Cell-outputArea .jp-OutputArea-output")


def test_trusted_notebook_has_two_independent_interactive_steppers(
    lab: tuple, notebooks: tuple[str, str]
) -> None:
    page, _, errors, foreign = open_notebook(lab, notebooks[0])
    try:
        steppers = page.locator(".gg-stepper")
        assert steppers.count() == 2
        first, second = steppers.nth(0), steppers.nth(1)
        assert first.locator(".gg-view svg").count() == 1  # the live picture, not the still
        second.locator("[data-act=next]").click()
        second.locator("[data-act=next]").click()
        assert second.get_attribute("data-current") == "2"
        assert first.get_attribute("data-current") == "0"
        # Keys reach a focused stepper, not JupyterLab's cell navigation.
        first.locator("[data-act=next]").click()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert first.get_attribute("data-current") == "3"
        page.keyboard.press("End")
        assert first.get_attribute("data-current") == str(
            int(first.locator(".gg-slider").get_attribute("max") or 0)
        )
        assert second.get_attribute("data-current") == "2"
        # The Value and the model show their pictures (SVG when trusted).
        assert outputs(page).nth(0).locator("svg, img").count() >= 1
        assert outputs(page).nth(3).locator("svg, img").count() >= 1
        assert errors == [] and foreign == []
    finally:
        close(page)


def test_untrusted_notebook_shows_pictures_and_text_never_soup(
    lab: tuple, notebooks: tuple[str, str]
) -> None:
    page, _, errors, foreign = open_notebook(lab, notebooks[1])
    try:
        assert page.locator(".gg-view svg").count() == 0  # no script ran: JupyterLab is safe
        shown = outputs(page)
        for index in range(shown.count()):
            output = shown.nth(index)
            images = output.locator("img")
            assert images.count() >= 1, f"output {index} shows no picture"
            assert images.first.evaluate("(img) => img.complete && img.naturalWidth > 100")
            text = output.inner_text()
            # No CSS, script or the bare text of an SVG spilled as text.
            assert "{" not in text and "function" not in text
            assert "grad −0.002682grad" not in text.replace("\n", "")
            assert output.bounding_box()["height"] < 2500
        steppers = page.locator(".gg-stepper")
        if steppers.count():  # sanitised HTML: the steps as a table, and a note why
            assert "needs JavaScript" in steppers.first.inner_text()
            assert steppers.first.locator("button").count() == 0
        assert errors == [] and foreign == []
    finally:
        close(page)


def test_the_playground_widget_plays_pauses_steps_and_explains(
    lab: tuple[str, str, Path, dict],
) -> None:
    """The widget in a live kernel: the page's buttons drive training in the kernel."""
    pytest.importorskip("anywidget")
    base, token, folder, _ = lab
    source = "import nn\nplayground = nn.playground(dataset='blobs')\nplayground"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "playground.ipynb")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        foreign = refuse_other_origins(page, (base, "data:", "blob:", "ws://127.0.0.1"))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/lab/workspaces/playground/tree/playground.ipynb?reset&token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=30_000)
        # Run the cell once the kernel is connected and idle; a run asked for while
        # the kernel still starts can be dropped, so ask again if nothing shows.
        for attempt in range(3):
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=60_000)
            page.locator(".jp-Notebook .jp-Cell .cm-content").first.click()
            page.keyboard.press("Shift+Enter")
            try:
                page.wait_for_selector(".ggp .ggp-plane", timeout=20_000)
                break
            except sync_api.TimeoutError:
                if attempt == 2:
                    raise
        widget = page.locator(".ggp")

        def epoch() -> int:
            return int(widget.get_attribute("data-epoch") or -1)

        def wait(test: str) -> None:
            page.wait_for_function(
                f"(() => {{ const e = +document.querySelector('.ggp').dataset.epoch; "
                f"return {test}; }})()",
                timeout=30_000,
            )

        assert epoch() == 0
        widget.locator("[data-act=play]").first.click()
        wait("e >= 15")
        widget.locator("[data-act=play]").first.click()
        page.wait_for_function("document.querySelector('.ggp').dataset.running === '0'")
        page.wait_for_timeout(500)  # a frame already on its way may still arrive
        stopped = epoch()
        page.wait_for_timeout(700)
        assert epoch() == stopped  # paused in the kernel
        widget.locator("[data-act=step]").click()
        wait(f"e === {stopped + 1}")
        widget.locator("[data-act=explain]").click()
        page.wait_for_selector(".ggp-explain .gg-stepper .gg-view svg", timeout=30_000)
        stepper = page.locator(".ggp-explain .gg-stepper")
        stepper.locator("[data-act=next]").click()
        assert stepper.get_attribute("data-current") == "1"
        assert "∂L/∂z2 = ŷ − y" in page.inner_text(".ggp-explain .gg-panel")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-playground.png"), full_page=True)
        widget.locator("[data-act=resume]").click()
        wait(f"e >= {stopped + 6}")
        widget.locator("[data-act=play]").first.click()
        browser.close()
    assert errors == [] and foreign == []
