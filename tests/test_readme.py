"""Every code line of the README and docs/ runs as written, as a new reader would run it.

What counts as a code line: each fenced ``python`` block (run whole, in a
fresh interpreter), each inline span of Python that starts at the packages
(``autograd.…``, ``nn.…``, ``model.…``, ``tape.…``, ``from autograd …``),
and each inline ``python -m …`` command. A span with ``...`` in it is a
shorthand for elided arguments, not a line to run. The fenced ``sh`` blocks
are the developer commands (``dev.py`` makes environments and runs this very
suite; ``http.server`` serves until stopped): they are not run here.

Inline spans run in one fresh interpreter that has done ``import autograd,
nn`` and nothing else, each in its own copy of a small set of objects named
as the README names them (``model``, ``loss``, ``X``, ``y``, ...). So
``autograd.stepper.Stepper(value)`` must work without ``import
autograd.stepper`` first; each documented submodule path is also resolved
alone, in an interpreter of its own, so that one span cannot import a
module another one needs.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("graphviz")  # the README's pictures need the viz extra
pytest.importorskip("anywidget")  # and its playground line the widget extra

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: The README and the pages it links to under docs/: every code line of each runs.
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
PYTHON_SPAN = re.compile(
    r"^(?:(?:autograd|nn|model|tape)\b[.(\s=]|(?:from|import) (?:autograd|nn)\b)"
)
COMMAND_SPAN = re.compile(r"^python3? -m ")

#: What every inline span sees, named as the README names things.
SETUP = """
import autograd, nn

model = nn.seed_network(seed=0)
X, y = nn.data.xor()
x = [0.5, 1.0]
w, b = [autograd.Value(0.3), autograd.Value(-0.2)], autograd.Value(0.1)
W = [[autograd.Value(0.3), autograd.Value(-0.2)], [autograd.Value(0.5), autograd.Value(0.7)]]
loss = autograd.binary_cross_entropy_with_logits(model.logits(x), 1.0)
value = root = c = v = loss
value_or_model = model
path = "model.json"
model.save(path)
h = history = nn.fit(nn.seed_network(seed=1), X, y, epochs=2)
tape = autograd.record(loss, wrt=model.parameters())
"""

#: Spans whose names mean something else where they stand in the README.
CONTEXT = {
    "autograd.matvec(W, x, b)": "b = [autograd.Value(0.1), autograd.Value(0.0)]",
    "model.stepper(x, y)": "y = 1.0",  # one sample's label, not the dataset's
    "nn.data.parse_csv(text)": 'text = "x1,x2,label\\n0.5,1.0,1\\n-0.5,0.2,0\\n"',
    # Points of three classes, of one's own.
    "nn.data.from_csv(path, classes=3)": (
        'path = "points.csv"\nwith open(path, "w") as f:\n    f.write("0,0,0\\n1,1,2\\n2,0,1\\n")'
    ),
}

#: Spans the README gives as a learner's first guesses, answered with this error.
ANSWERED_WITH = {"model(1.0)": "TypeError"}

RUN_SPANS = """
import json, sys, traceback
spans, setup, context, answered_with = json.loads(sys.stdin.read())
namespace = {}
exec(setup, namespace)
failures = []
for span in spans:
    scope = dict(namespace)
    try:
        exec(context.get(span, ""), scope)
        exec(compile(span, "README", "exec"), scope)
    except Exception as error:
        if type(error).__name__ != answered_with.get(span):
            failures.append([span, traceback.format_exc(limit=3)])
    else:
        if span in answered_with:
            failures.append([span, "documented to raise " + answered_with[span]])
print(json.dumps(failures))
"""


def _documents() -> str:
    return "\n\n".join(path.read_text(encoding="utf-8") for path in DOCUMENTS)


def readme_spans() -> list[str]:
    """The README's inline code spans outside fenced blocks, whitespace made single."""
    text = re.sub(r"```.*?```", "", _documents(), flags=re.S)
    spans = (" ".join(span.split()) for span in re.findall(r"`([^`]+)`", text))
    return list(dict.fromkeys(spans))


def python_spans() -> list[str]:
    return [s for s in readme_spans() if PYTHON_SPAN.match(s) and "..." not in s]


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", _documents(), flags=re.S)


def fresh_python(code: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_the_readme_has_the_lines_this_test_runs() -> None:
    spans = python_spans()
    for expected in ("autograd.stepper.Stepper(value)", "nn.draw.draw_network(model)"):
        assert expected in spans
    assert python_blocks() and any(COMMAND_SPAN.match(s) for s in readme_spans())


@pytest.mark.parametrize("block", python_blocks(), ids=lambda block: block.splitlines()[0])
def test_every_python_block_runs(block: str, tmp_path: Path) -> None:
    if "export." in block:
        pytest.importorskip("torch", reason="the README's export block needs PyTorch")
    result = fresh_python(block, tmp_path)
    assert result.returncode == 0, result.stderr


def test_every_inline_line_of_python_runs_after_import_autograd_nn(tmp_path: Path) -> None:
    spans = python_spans()
    for span in spans:
        ast.parse(span)  # documented code is Python as written
    result = fresh_python(RUN_SPANS, tmp_path, json.dumps([spans, SETUP, CONTEXT, ANSWERED_WITH]))
    assert result.returncode == 0, result.stderr
    failures = json.loads(result.stdout.splitlines()[-1])
    assert failures == [], "\n".join(f"{span}\n{error}" for span, error in failures)


def documented_paths() -> list[str]:
    """Each ``autograd.x.y`` / ``nn.x.y`` path the README's Python spans name."""
    paths = set()
    for span in python_spans():
        paths.update(re.findall(r"\b(?:autograd|nn)(?:\.[A-Za-z_]\w*)+", span))
    return sorted(paths)


@pytest.mark.parametrize("path", documented_paths())
def test_every_documented_path_is_reachable_after_import_autograd_nn(
    path: str, tmp_path: Path
) -> None:
    result = fresh_python(f"import autograd, nn\n{path}", tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [s for s in readme_spans() if COMMAND_SPAN.match(s)])
def test_every_inline_command_runs(command: str, tmp_path: Path) -> None:
    # The README writes `python`: the interpreter of the environment the reader set up.
    argv = [sys.executable, *shlex.split(command)[1:]]
    fresh_python('import nn; nn.seed_network(seed=0).save("model.json")', tmp_path)  # the reader's
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
