"""The layers: engine <- nn <- views <- hosts, and no import circle.

Every import in ``autograd/`` and ``nn/`` is read from the source, those
inside functions too (a lazy import still ties two modules together), and
each module must import only its own layer or the ones below. The package
faces (``autograd/__init__.py``, ``nn/__init__.py``) re-export their layer
at the top and may reach the views above it only inside functions (the
lazy ``autograd.draw``, the display hooks they plug in). docs/architecture.md
draws the same picture.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn")

ENGINE, NN, VIEWS, HOSTS = 0, 1, 2, 3
LAYER_NAMES = {ENGINE: "engine", NN: "nn", VIEWS: "views", HOSTS: "hosts"}
#: Every module's layer. A new module must be placed here (the test says so).
LAYERS = {
    **dict.fromkeys(
        [
            "autograd.floatmath",
            "autograd.ops",
            "autograd.mode",
            "autograd.collector",
            "autograd.value",
            "autograd.engine",
            "autograd.gradcheck",
            "autograd.tape",
            "autograd.expression",
            "autograd.names",
            "autograd.hooks",
            "autograd.language",  # the message catalogues: errors a learner meets come from here up
            "autograd.fast_paths",  # backward's loop and the topological order, checked against ops
            "autograd.symbolic",  # rules run on symbols, for the replay's code
            "autograd.define",  # define_op: a user's op joins the table
            "autograd.multiclass",  # softmax and cross_entropy on a list of logits
        ],
        ENGINE,
    ),
    **dict.fromkeys(
        [
            "nn.module",
            "nn.layers",
            "nn.losses",
            "nn.optim",
            "nn.data",
            "nn.train",
            "nn.reference",
            "nn.names",
            "nn.checks",
            "nn.diagnosis",
            "nn.evaluate",
            "nn.recorded",
            "nn.export",  # the same model in PyTorch, through nn's public API
        ],
        NN,
    ),
    **dict.fromkeys(
        [
            "autograd.draw",
            "autograd.step",  # a view; its main() is the terminal host
            "autograd.stepper",
            "autograd.quiz",  # the stepper's questions, from the real steps
            "nn.draw",
            "nn.plots",
            "nn.steps",
            "nn.play",
        ],
        VIEWS,
    ),
    **dict.fromkeys(["nn.__main__", "nn.widget"], HOSTS),
}
#: Each face: the layer it re-exports (its top-level imports), and what it may
#: reach inside functions (its package's views and hosts).
FACES = {"autograd": ENGINE, "nn": NN}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).glob("*.py")
    }


def imports(path: Path, known: set[str]) -> list[tuple[str, bool]]:
    """``(module, at top level)`` for each of this project's modules ``path`` imports.

    ``from autograd import floatmath`` imports the module ``autograd.floatmath``;
    ``from autograd import Value`` imports the face ``autograd``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            if target in known:
                found.append((target, id(node) in top_level))
    return found


def graph() -> dict[str, list[tuple[str, bool]]]:
    found = modules()
    return {name: imports(path, set(found)) for name, path in found.items()}


def layer_of(module: str) -> int:
    return FACES[module] if module in FACES else LAYERS[module]


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(set(modules()) - set(LAYERS) - set(FACES))
    assert unplaced == [], f"give these modules a layer in tests/test_layering.py: {unplaced}"


def test_the_parser_sees_imports_inside_functions() -> None:
    # nn's face reaches the widget only inside playground(): it must be seen.
    assert ("nn.widget", False) in graph()["nn"]


def test_each_module_imports_only_its_layer_and_those_below() -> None:
    wrong = []
    for module, targets in graph().items():
        for target, top_level in targets:
            if module in FACES:
                allowed = top_level is False and target.startswith(f"{module}.")
                if layer_of(target) > FACES[module] and not allowed:
                    wrong.append(f"the face {module} imports {target} at its top")
            elif layer_of(target) > LAYERS[module]:
                where = "at the top" if top_level else "inside a function"
                wrong.append(
                    f"{module} ({LAYER_NAMES[LAYERS[module]]}) imports {target} "
                    f"({LAYER_NAMES[layer_of(target)]}) {where}"
                )
    assert wrong == [], "\n".join(wrong)


def circles() -> list[set[str]]:
    """The import circles, lazy imports counted: strongly connected components (Tarjan)."""
    edges = {module: {target for target, _ in targets} for module, targets in graph().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(edges[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == module:
                    break
            if len(component) > 1 or module in edges[module]:
                found.append(component)

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_at_all() -> None:
    assert circles() == [], "import circles, lazy imports counted"


def code_strings(path: Path) -> list[str]:
    """The string literals of a module's code: not its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_the_engine_knows_no_article() -> None:
    # Its docstrings may tell of the article; its code names nothing of it.
    for module, path in modules().items():
        if LAYERS.get(module) == ENGINE:
            for text in code_strings(path):
                for name in ("W(", "W{", "ŷ", "z1", "a1", "x1"):
                    assert name not in text, f"{module} names the article's {name}: {text!r}"


def test_importing_the_packages_imports_no_view() -> None:
    code = (
        "import sys, autograd, nn\n"
        "print(sorted(m for m in sys.modules if m.startswith(('autograd.', 'nn.', 'graphviz',"
        " 'matplotlib', 'anywidget'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    views = [m for m, layer in LAYERS.items() if layer == VIEWS]
    for heavy in [*views, "graphviz", "matplotlib", "anywidget"]:
        assert f"'{heavy}'" not in loaded, f"import autograd, nn imported {heavy}"
    reached = "import autograd, nn\n" + "\n".join(
        f"assert {face}.{view} is sys.modules['{face}.{view}']"
        for face, view in [(m.split(".")[0], m.split(".")[1]) for m in views]
    )
    subprocess.run([sys.executable, "-c", "import sys\n" + reached], check=True, cwd=ROOT)
