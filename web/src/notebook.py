"""The notebook page's kernel: runs a lesson's code cells in Pyodide, in the site's Web Worker.

Jupyter's part, as small as the lessons need: one namespace that every cell
runs in, in order; what a cell prints; the value of its last line, shown as
a notebook shows it (its ``_repr_mimebundle_``: the SVG of a drawing, the
stepper's HTML, text); a traceback for an error. What Pyodide's Python does
not have (matplotlib, torch) is said in one line instead of a traceback, and
so is every later use of a name that such an import would have made.

The playground widget needs anywidget and a kernel with threads; here the
page's ``playground.js`` shows it, and talks to a ``nn.play.Session`` kept
by this kernel (``widget``, ``tick``), as the site's playground does.

Notebook magics (``%pip``, ``%matplotlib``) and shell lines (``!``) mean
nothing in a page: each such line runs as ``pass``, so the lessons' first
cell, which installs glassgrad where it is missing, does nothing here.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import re
import traceback
from typing import Any

from autograd.language import set_language, text

#: The type of the outputs that show a playground (read by notebook.js).
PLAYGROUND_TYPE = "application/vnd.glassgrad.playground+json"
#: What a page can show of a value, in the order it prefers them.
SHOWN_TYPES = (PLAYGROUND_TYPE, "text/html", "image/svg+xml", "text/plain")
_MAGIC = re.compile(r"^(\s*)[%!].*$", re.MULTILINE)


def without_magics(source: str) -> str:
    """``source`` with every magic (``%pip ...``) and shell line (``!ls``) turned into ``pass``."""
    return _MAGIC.sub(lambda match: match.group(1) + "pass", source)


def imported_names(tree: ast.AST, module: str) -> set[str]:
    """The names that the imports of ``module`` (or of its submodules) in ``tree`` bind."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == module:
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == module:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def mime_bundle(value: Any) -> dict[str, Any]:
    """What a notebook would show of ``value``: its types that a page can show."""
    bundle: dict[str, Any] = {}
    if hasattr(value, "_repr_mimebundle_"):
        answer = value._repr_mimebundle_()
        bundle = dict(answer[0] if isinstance(answer, tuple) else answer)
    else:
        for kind, method in (("text/html", "_repr_html_"), ("image/svg+xml", "_repr_svg_")):
            if hasattr(value, method) and (shown := getattr(value, method)()) is not None:
                bundle[kind] = shown
    bundle.setdefault("text/plain", repr(value))
    return {kind: bundle[kind] for kind in SHOWN_TYPES if kind in bundle}


class BrowserPlayground:
    """``nn.playground()`` in the page: a training session that ``playground.js`` shows."""

    def __init__(self, kernel: Kernel, session: Any) -> None:
        self.session = session
        self.id = kernel.keep(self)

    @property
    def playground(self) -> Any:
        """The ``nn.play.Playground`` behind the view."""
        return self.session.playground

    @property
    def model(self) -> Any:
        """The model being trained."""
        return self.session.playground.model

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        return {
            PLAYGROUND_TYPE: {"id": self.id, "state": self.session.state()},
            "text/plain": f"glassgrad playground: {self.model}",
        }


class Kernel:
    """Runs cells in one namespace and answers the page's playgrounds."""

    def __init__(self, lang: str) -> None:
        import nn

        set_language(lang)
        self.lang = lang
        self.namespace: dict[str, Any] = {"__name__": "__main__", "display": self.display}
        self.missing: dict[str, str] = {}  # name -> the module its failed import needed
        self.playgrounds: dict[int, BrowserPlayground] = {}
        self.outputs: list[dict[str, Any]] = []
        self.count = 0
        nn.playground = self.playground  # the page's playground, not the anywidget one

    def keep(self, playground: BrowserPlayground) -> int:
        """Remember a playground for the page's messages; its id."""
        number = len(self.playgrounds) + 1
        self.playgrounds[number] = playground
        return number

    def playground(self, model: Any = None, dataset: str = "xor", **options: Any) -> Any:
        """``nn.playground`` in the page (the same arguments): see ``nn.playground``."""
        from nn.play import Playground, Session

        return BrowserPlayground(self, Session(Playground(model, dataset=dataset, **options)))

    def display(self, *values: Any) -> None:
        """Show each value below the cell (IPython's ``display``)."""
        for value in values:
            self.outputs.append({"type": "display", "data": mime_bundle(value)})

    def _print(self, printed: io.StringIO, name: str) -> None:
        if printed.getvalue():
            self.outputs.append({"type": "stream", "name": name, "text": printed.getvalue()})
            printed.seek(0)
            printed.truncate()

    def run(self, source: str) -> list[dict[str, Any]]:
        """Run one cell; its outputs in order (``stream``, ``display``, ``missing``, ``error``)."""
        self.count += 1
        self.outputs = []
        out, err = io.StringIO(), io.StringIO()
        tree: ast.Module | None = None
        where = f"<cell {self.count}>"
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                tree = ast.parse(without_magics(source), where)
                last = tree.body[-1] if tree.body else None
                shows = isinstance(last, ast.Expr) and not source.rstrip().endswith(";")
                body = tree.body[:-1] if shows else tree.body
                exec(compile(ast.Module(body, []), where, "exec"), self.namespace)
                if shows:
                    assert isinstance(last, ast.Expr)
                    expression = ast.Expression(last.value)
                    value = eval(compile(expression, where, "eval"), self.namespace)
                    self._print(out, "stdout")
                    if value is not None:
                        self.namespace["_"] = value
                        self.display(value)
        except BaseException as error:  # a cell's error (even SystemExit) is its output
            self._print(out, "stdout")
            self._print(err, "stderr")
            self.outputs.append(self._failure(error, tree))
        self._print(out, "stdout")
        self._print(err, "stderr")
        return self.outputs

    def _failure(self, error: BaseException, tree: ast.Module | None) -> dict[str, Any]:
        """The output for a cell that raised ``error``: one line for a missing module."""
        module = None
        top = (getattr(error, "name", None) or "").split(".")[0]
        if isinstance(error, ImportError) and top and importlib.util.find_spec(top) is None:
            module = top
            if tree is not None:
                self.missing.update(dict.fromkeys(imported_names(tree, module), module))
        elif isinstance(error, NameError) and error.name in self.missing:
            module = self.missing[error.name]
        if module is not None:
            return {"type": "missing", "text": text("notebook.missing_module", module=module)}
        frames = traceback.extract_tb(error.__traceback__)
        cell = [frame for frame in frames if not frame.filename.endswith("notebook.py")]
        lines = ["Traceback (most recent call last):\n", *traceback.format_list(cell)]
        lines += traceback.format_exception_only(error)
        return {"type": "error", "text": "".join(lines)}

    def run_json(self, source: str) -> str:
        """``run`` for the worker: the outputs as JSON."""
        return json.dumps(self.run(source))

    def widget_json(self, number: int, name: str, value: str) -> str:
        """A change from the page's playground ``number``; what changed, as JSON."""
        session = self.playgrounds[number].session
        try:
            return session.handle_json(name, value)
        except ValueError as error:
            return json.dumps({"frame": dict(session.playground.record(), status=str(error))})

    def tick_json(self, number: int) -> str:
        """One training step of playground ``number`` (while it runs); what changed, as JSON."""
        return self.playgrounds[number].session.tick_json()

    def running(self, number: int) -> bool:
        """Whether playground ``number`` is training."""
        return bool(self.playgrounds[number].session.running)
