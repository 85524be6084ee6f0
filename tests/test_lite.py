"""The lessons in the browser: the site's notebook page and its kernel (web/src/notebook.*).

The kernel (``web/src/notebook.py``) runs in Pyodide in the page; here it
first runs under this Python, where its rules are quick to check. Then the
built site (built once, as ``python3 dev.py site`` does, by the fixtures of
``tests/test_site.py``) is served on localhost and Chromium opens lessons,
runs all their cells and reads what they show, with every request to any
other origin refused.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd.language import text
from autograd.names import fmt
from tests.conftest import refuse_other_origins
from tests.test_site import browser, built_site, site  # noqa: F401 - the site's fixtures

# The lessons are read as notebooks: the notebooks extra (the other Pythons have
# the test extra only).
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [*NOTEBOOKS, *sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))]


def load_kernel() -> ModuleType:
    """``web/src/notebook.py``, the page's kernel, as a module of this Python."""
    spec = importlib.util.spec_from_file_location("notebook_kernel", ROOT / "web/src/notebook.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


notebook = load_kernel()


@pytest.fixture
def kernel(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh kernel in English (it puts its own playground in ``nn``: put back after)."""
    monkeypatch.setattr(nn, "playground", nn.playground)
    yield notebook.Kernel("en")
    from autograd.language import set_language

    set_language(None)


def code_cells(path: Path) -> list[str]:
    return [
        cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
    ]


def notebook_title(path: Path) -> str:
    """The first heading of a lesson, without its ``# ``."""
    first = nbformat.read(path, as_version=4).cells[0].source
    return first.splitlines()[0].removeprefix("# ")


def streams(outputs: list[dict]) -> str:
    return "".join(output["text"] for output in outputs if output["type"] == "stream")


# -- the kernel, under this Python ---------------------------------------------------------


def test_cells_share_one_namespace_and_the_last_line_is_shown(kernel: Any) -> None:
    assert kernel.run("x = 2\nprint('x is', x)") == [
        {"type": "stream", "name": "stdout", "text": "x is 2\n"}
    ]
    assert kernel.run("print(x + 1)\nx * 10") == [
        {"type": "stream", "name": "stdout", "text": "3\n"},
        {"type": "display", "data": {"text/plain": "20"}},
    ]
    assert kernel.run("x * 10;") == []  # a semicolon hides the value, as in Jupyter
    assert kernel.run("import sys\nprint('oops', file=sys.stderr)")[0]["name"] == "stderr"


def test_an_error_is_a_traceback_of_the_cell_only(kernel: Any) -> None:
    kernel.run("def f(y):\n    return 1 / y")
    (output,) = kernel.run("f(0)")
    assert output["type"] == "error"
    assert output["text"].startswith("Traceback (most recent call last):")
    assert output["text"].endswith("ZeroDivisionError: division by zero\n")
    assert "<cell 1>" in output["text"] and "<cell 2>" in output["text"]
    assert "notebook.py" not in output["text"]
    (syntax,) = kernel.run("1 +")
    assert syntax["type"] == "error" and "SyntaxError" in syntax["text"]


def test_a_module_the_page_lacks_is_one_line_and_so_are_the_names_it_would_bind(
    kernel: Any,
) -> None:
    line = text("notebook.missing_module", module="no_such_plotter")
    assert kernel.run("import no_such_plotter.pyplot as plt\nprint('never')") == [
        {"type": "missing", "text": line}
    ]
    assert kernel.run("fig = plt.figure()") == [{"type": "missing", "text": line}]
    assert kernel.run("other_name")[0]["type"] == "error"  # any other NameError is an error


@given(
    st.lists(
        st.sampled_from(["x = 1", "%pip install a", "  !ls", "\t%matplotlib inline", ""]),
        min_size=1,
    )
)
def test_magics_and_shell_lines_become_pass_and_nothing_else_changes(lines: list[str]) -> None:
    changed = notebook.without_magics("\n".join(lines)).split("\n")
    assert len(changed) == len(lines)
    for before, after in zip(lines, changed):
        if before.strip().startswith(("%", "!")):
            assert after == before[: len(before) - len(before.lstrip())] + "pass"
        else:
            assert after == before


@pytest.mark.parametrize("path", LESSONS, ids=[f"{p.parent.name}-{p.stem}" for p in LESSONS])
def test_every_lessons_first_code_cell_installs_glassgrad_only_where_it_is_missing(
    path: Path, kernel: Any
) -> None:
    cells = nbformat.read(path, as_version=4).cells
    first = next(cell for cell in cells if cell.cell_type == "code")
    assert first.get("id") == "install" and '%pip install --quiet "glassgrad[' in first.source
    assert kernel.run(first.source) == []  # installed here: nothing to do, nothing said
    missing = first.source.replace('version("glassgrad")', 'version("glassgrad-is-missing")')
    installing = missing.replace("%pip install", "print('installing')  #")
    assert streams(kernel.run(installing)) == "installing\n"


def test_a_drawing_shows_its_svg_and_the_playground_its_session(kernel: Any) -> None:
    kernel.run(
        "from autograd import Value\nfrom autograd.draw import draw\na = Value(2.0, label='a')"
    )
    (shown,) = kernel.run("draw(a * a)")
    assert shown["data"]["image/svg+xml"].lstrip().startswith(("<?xml", "<svg", "<!--"))
    assert "image/png" not in shown["data"]  # the page shows the SVG
    (view,) = kernel.run("import nn\nview = nn.playground(nn.seed_network(seed=0), lr=0.3)\nview")
    widget = view["data"][notebook.PLAYGROUND_TYPE]
    assert widget["state"]["frame"]["epoch"] == 0 and widget["state"]["running"] is False
    assert json.loads(kernel.widget_json(widget["id"], "running", "true")) == {"running": True}
    assert kernel.running(widget["id"])
    assert json.loads(kernel.tick_json(widget["id"]))["frame"]["epoch"] > 0
    assert kernel.namespace["view"].model is kernel.namespace["view"].playground.model


# -- the built site ----------------------------------------------------------------------------


@pytest.mark.site
@pytest.mark.xdist_group("site")
def test_the_site_holds_every_lesson_in_both_languages(built_site: Path) -> None:  # noqa: F811
    index = json.loads((built_site / "notebooks" / "index.json").read_text("utf-8"))
    names = [lesson["name"] for lesson in index["notebooks"]]
    assert names == [path.stem for path in NOTEBOOKS]
    for lesson in index["notebooks"]:
        for folder in ("", "zh/"):
            shipped = built_site / "notebooks" / f"{folder}{lesson['name']}.ipynb"
            assert (
                shipped.read_bytes()
                == (ROOT / "notebooks" / shipped.name)
                .parent.joinpath(folder, shipped.name)
                .read_bytes()
            )
        assert lesson["title"]["en"] and lesson["title"]["zh"] != lesson["title"]["en"]
    needs = {lesson["name"]: lesson["needs"] for lesson in index["notebooks"]}
    assert needs.pop("06-to-pytorch") == "PyTorch" and set(needs.values()) == {None}
    assert sorted(p.name for p in (built_site / "katex" / "fonts").iterdir())  # formulas' fonts
    assert 'href="./notebook.html"' in (built_site / "index.html").read_text("utf-8")


# -- the notebook page in Chromium ------------------------------------------------------------


def open_lesson(browser: Any, base: str, name: str, lang: str = "en") -> tuple[Any, list, list]:  # noqa: F811
    """A lesson's page with Python ready: ``(page, console errors, requests elsewhere)``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('glassgrad-lang', {lang!r})")
    foreign = refuse_other_origins(context, (base + "/", "data:", "blob:"))
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/notebook.html?name={name}")
    return page, errors, foreign


def run_all(page: Any) -> list[str]:
    """Run every cell (the Run all button); each code cell's output, as text."""
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    assert float(page.get_attribute("body", "data-ready")) < 30
    page.click("#run-all")
    page.wait_for_selector("body[data-ran]", timeout=120_000)
    return page.locator(".cell .output").all_inner_texts()


@pytest.mark.site
@pytest.mark.xdist_group("site")
def test_the_values_lesson_runs_in_the_page_as_in_python(
    browser: Any,  # noqa: F811
    site: str,  # noqa: F811
    kernel: Any,
) -> None:
    page, errors, foreign = open_lesson(browser, site, "01-values-and-graphs")
    outputs = run_all(page)
    cells = code_cells(ROOT / "notebooks" / "01-values-and-graphs.ipynb")
    assert len(outputs) == len(cells)
    # Every printed line as this Python prints it: the same code in the same kernel.
    expected = [streams(kernel.run(source)) for source in cells]
    for shown, printed in zip(outputs, expected):
        assert printed.strip() in shown
    # The gradient checked by hand: dL/da = (1 − tanh²(a·b + a))·(b + 1) at a = 2, b = −3.
    by_hand = (1 - math.tanh(-4.0) ** 2) * (-3.0 + 1)
    assert str(by_hand) in outputs[cells.index(next(c for c in cells if "math.tanh" in c))]
    # The drawing after backward(): Graphviz's SVG in the page, with a's gradient in it.
    drawn = page.locator(".cell .output svg")
    assert drawn.count() >= 3
    assert any(f"grad {fmt(by_hand)}" in svg for svg in drawn.all_text_contents())
    assert page.locator(".markdown .katex").count() > 0  # the formulas, typeset
    assert errors == [] and foreign == []
    page.context.close()


@pytest.mark.site
@pytest.mark.xdist_group("site")
def test_the_training_lesson_shows_its_playground_and_says_what_it_cannot_plot(
    browser: Any,  # noqa: F811
    site: str,  # noqa: F811
) -> None:
    page, errors, foreign = open_lesson(browser, site, "03-training")
    outputs = run_all(page)
    assert "step 0: loss" in outputs[1] and "final loss" in outputs[2]
    assert outputs.count(text("notebook.missing_module", module="matplotlib")) == 2
    assert "Traceback" not in "".join(outputs)
    assert page.locator(".cell .output svg").count() >= 2  # the network and the stepper
    # The playground: the same view as the site's, training in the page's worker.
    plane = page.locator(".cell .output .ggp-plane")
    assert plane.count() == 1
    colours = page.evaluate(
        "() => new Set(Array.from(document.querySelector('.ggp-plane').getContext('2d')"
        ".getImageData(0, 0, 320, 320).data.filter((_, i) => i % 4 === 0))).size"
    )
    assert colours > 10  # the tinted plane, not a blank canvas
    page.click(".ggp [data-act=play]")
    page.wait_for_function("+document.querySelector('.ggp').dataset.epoch >= 20", timeout=30_000)
    page.click(".ggp [data-act=play]")
    page.wait_for_function("document.querySelector('.ggp').dataset.running === '0'")
    assert errors == [] and foreign == []
    page.context.close()


@pytest.mark.site
@pytest.mark.xdist_group("site")
def test_the_page_speaks_chinese_and_shows_the_pytorch_lesson_to_read(
    browser: Any,  # noqa: F811
    site: str,  # noqa: F811
) -> None:
    page, errors, foreign = open_lesson(browser, site, "04-step-through", lang="zh")
    outputs = run_all(page)
    assert "正向传播" in "".join(outputs) and "反向传播" in "".join(outputs)
    title = nbformat.read(ROOT / "notebooks/zh/04-step-through.ipynb", as_version=4).cells[0]
    assert page.locator(".markdown h1").first.inner_text() in title.source
    assert page.locator("#run-all").inner_text() == text("notebook.run_all", lang="zh")
    # The switch: the English edition, on a fresh kernel that speaks English.
    page.select_option("#language", "en")
    english = notebook_title(ROOT / "notebooks/04-step-through.ipynb")
    page.wait_for_function(f"document.querySelector('.markdown h1')?.textContent === {english!r}")
    page.wait_for_selector("#run-all:not([hidden]):not([disabled])", timeout=60_000)
    page.click("#run-all")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.output')).some((o) => "
        "o.textContent.includes('forward') && o.textContent.includes('backward'))",
        timeout=60_000,
    )
    assert "正向传播" not in "".join(page.locator(".cell .output").all_inner_texts())
    page.select_option("#language", "zh")
    # The list of lessons, by their titles in the page's language.
    page.goto(f"{site}/notebook.html")
    titles = [notebook_title(path) for path in LESSONS if path.parent.name == "zh"]
    page.wait_for_selector("main li a")
    assert page.locator("main li a").all_inner_texts() == titles
    # The lesson that needs PyTorch: its text and code to read, no button to run it.
    page.goto(f"{site}/notebook.html?name=06-to-pytorch")
    page.wait_for_selector(".note")
    assert page.inner_text(".note") == text("notebook.read_only", lang="zh", what="PyTorch")
    assert page.locator(".code button:visible").count() == 0
    assert page.locator(".code pre").count() == len(code_cells(LESSONS[-1]))
    assert errors == [] and foreign == []
    page.context.close()
