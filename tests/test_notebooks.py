"""Every notebook runs top to bottom in a fresh kernel, no cell longer than a minute.

Each runs twice: with Graphviz's ``dot``, and as on a machine without it
(the kernel's PATH holds no ``dot``), where every picture must come from
the WebAssembly Graphviz instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.notebook

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


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
