"""Every notebook runs top to bottom in a fresh kernel, no cell longer than a minute.

Each runs twice: with Graphviz's ``dot``, and as on a machine without it
(the kernel's PATH holds no ``dot``), where every picture must come from
the WebAssembly Graphviz instead. So do the Chinese editions
(``notebooks/zh/``): the same code, in another language.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.notebook

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
CHINESE = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "zh").glob("*.ipynb"))
#: The cell a Chinese edition adds after its title, so that glassgrad's outputs speak Chinese.
LANGUAGE_CELL = "zh-language"
#: The first code cell of every lesson: it installs glassgrad where it is missing (Colab).
INSTALL_CELL = "install"
HAN = re.compile("[\u4e00-\u9fff]")


def test_the_lessons_are_all_there() -> None:
    assert [path.name[:2] for path in NOTEBOOKS] == ["00", "01", "02", "03", "04", "05", "06"]


def execute(path: Path, folder: Path) -> Any:
    """Run a notebook in a fresh kernel in ``folder``; return it with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    client = nbclient.NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    return notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, renderer: str) -> None:
    notebook = execute(path, tmp_path)
    pictures = [
        output["data"]["image/svg+xml"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/svg+xml" in output.get("data", {})
    ]
    if "draw(" in "".join(cell.source for cell in notebook.cells):
        assert pictures, "a notebook that draws shows its pictures"


def test_the_pytorch_lesson_runs_without_pytorch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a machine without PyTorch: its cells say what to install, and the rest runs."""
    hidden = tmp_path / "hidden" / "torch"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("PyTorch is hidden for this test")\n')
    path = os.pathsep.join(filter(None, [str(hidden.parent), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)  # the kernel imports this torch first
    lesson = next(path for path in NOTEBOOKS if path.name.startswith("06"))
    notebook = execute(lesson, tmp_path)
    printed = "".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert "needs PyTorch, which is not installed here: pip install 'glassgrad[torch]'" in printed
    assert "numpy, by hand" in printed and "PyTorch, tensors" not in printed


def test_every_lesson_has_a_chinese_edition() -> None:
    assert [path.name for path in CHINESE] == [path.name for path in NOTEBOOKS]


def code_of(source: str) -> list[str]:
    """A code cell's tokens without its comments and the text of its strings
    (a Chinese edition translates both), so that the code itself can be compared."""
    shown: list[str] = []
    in_fstring = 0
    lines = [line for line in source.splitlines(keepends=True) if not line.startswith("%")]
    for token in tokenize.generate_tokens(io.StringIO("".join(lines)).readline):
        kind = tokenize.tok_name[token.type]
        if kind == "FSTRING_START":  # Python 3.12+: an f-string is many tokens
            in_fstring += 1
        elif kind == "FSTRING_END":
            in_fstring -= 1
            shown.append("<string>")
        elif in_fstring or kind in ("COMMENT", "NL", "NEWLINE", "INDENT", "DEDENT"):
            continue
        else:
            shown.append("<string>" if kind == "STRING" else token.string)
    return shown


@pytest.mark.parametrize("path", CHINESE, ids=[p.stem for p in CHINESE])
def test_a_chinese_edition_has_the_lessons_code_and_chinese_words(path: Path) -> None:
    english = nbformat.read(path.parents[1] / path.name, as_version=4)
    chinese = nbformat.read(path, as_version=4)
    cells = [cell for cell in chinese.cells if cell.get("id") != LANGUAGE_CELL]
    assert len(cells) == len(chinese.cells) - 1, "set_language('zh') in a cell of its own"
    language = next(i for i, cell in enumerate(chinese.cells) if cell.get("id") == LANGUAGE_CELL)
    assert 'set_language("zh")' in chinese.cells[language].source
    above = [cell for cell in chinese.cells[:language][1:] if cell.get("id") != INSTALL_CELL]
    assert all(cell.cell_type != "code" for cell in above), "at the top, after the install cell"
    assert [cell.cell_type for cell in cells] == [cell.cell_type for cell in english.cells]
    for ours, theirs in zip(cells, english.cells):
        if ours.cell_type == "code":
            assert code_of(ours.source) == code_of(theirs.source), ours.get("id")
        elif HAN.search(theirs.source) is None:
            assert HAN.search(ours.source), f"cell {ours.get('id')} is not translated"


@pytest.mark.parametrize("path", CHINESE, ids=[f"zh-{p.stem}" for p in CHINESE])
def test_chinese_notebook_runs(path: Path, tmp_path: Path, renderer: str) -> None:
    notebook = execute(path, tmp_path)
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    if "draw(" in "".join(cell.source for cell in notebook.cells):
        assert any("image/svg+xml" in output.get("data", {}) for output in outputs)
    shown = "".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "") for output in outputs
    )
    if "table(steps(" in "".join(cell.source for cell in notebook.cells):
        assert "正向传播" in shown and "反向传播" in shown  # glassgrad speaks Chinese
