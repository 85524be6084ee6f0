"""The network view: an MLP drawn as layers of neurons (needs the ``viz`` extra)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from autograd.draw import FONT, Drawing, MissingExtra
from nn.layers import MLP

#: Edge colours: the sign of the weight.
POSITIVE_WEIGHT = "#1e88e5"
NEGATIVE_WEIGHT = "#e53935"
#: The size of the weight written at each edge's head (the only text of this size).
EDGE_NUMBER_SIZE = 9
#: Edge widths in points: the thinnest (weight 0) and the widest (the largest |weight|).
THINNEST, WIDEST = 0.5, 4.0
# The key under the picture (one place for its words).
KEY_SIGN = "colour: the weight's sign"
KEY_POSITIVE = "w > 0"
KEY_NEGATIVE = "w < 0"
KEY_SIZE = "width: its size, |w|"
KEY_LARGEST = "|w| = {largest}"
KEY_NUMBERS = "the number at an edge's head is its weight (also shown on hover)"
KEY_HOVER = "hover over an edge to see its weight"
#: Networks with at most this many weights have each weight written at its edge;
#: bigger ones would be a thicket of numbers, and show them on hover only.
NUMBERED_WEIGHTS = 24
KEY_NEURON = "each neuron: its activation, bias b{output}"
KEY_OUTPUT = " and output a for x = [{sample}]"


def draw_network(
    model: MLP, sample: Sequence[float] | None = None, numbers: bool | None = None
) -> Drawing:
    """The model as layers of neurons, like the article's picture of the 2-3-1 network.

    Edges are blue for positive weights and red for negative ones, wider for
    larger weights, each labelled with its weight near its head (and as a
    tooltip on hover); a key under the picture says so. Each neuron shows
    its activation and bias; with a ``sample``, also its output for that
    sample.

    Args:
        model: the network.
        sample: an input, whose outputs the neurons show.
        numbers: write each weight at its edge; None (default) means for
            networks of at most ``NUMBERED_WEIGHTS`` weights.

    Returns:
        A ``Drawing``: it shows itself in Jupyter (on any machine, with or
        without Graphviz's ``dot``); ``.svg()``, ``.png()``, ``.save(path)``.

    Raises:
        TypeError: if ``model`` is not an MLP.
        MissingExtra: if the graphviz package is not installed.
    """
    if not isinstance(model, MLP):
        raise TypeError(
            f"draw_network takes an nn.MLP, got {type(model).__name__}; to draw the graph "
            "of a computation, use autograd.draw(value)"
        )
    try:
        import graphviz
    except ImportError:
        raise MissingExtra(
            "drawing needs the graphviz package: pip install 'glassgrad[viz]'"
        ) from None
    outputs = model.layer_outputs([sample])[0] if sample is not None else None
    # The widest edge is the largest weight (biases are not edges, so not on the scale).
    weights = [abs(w.data) for layer in model.layers for n in layer.neurons for w in n.w]
    largest = max(weights, default=1.0) or 1.0
    if numbers is None:
        numbers = len(weights) <= NUMBERED_WEIGHTS

    dot = graphviz.Digraph(
        "network", graph_attr={"rankdir": "LR", "splines": "line", "nodesep": "0.3"}
    )
    dot.attr("node", fontname=FONT, fontsize="10")
    dot.attr("edge", fontname=FONT)
    for i in range(model.nin):
        value = f"\\n{sample[i]:.3g}" if sample is not None else ""
        dot.node(f"x{i}", f"x{i + 1}{value}", shape="circle", style="filled", fillcolor="#fff8e1")
    previous = [f"x{i}" for i in range(model.nin)]
    for layer_index, layer in enumerate(model.layers):
        current = []
        for j, neuron in enumerate(layer.neurons):
            name = f"l{layer_index}n{j}"
            text = f"{neuron.activation}\\nb={neuron.b.data:.2f}"
            if outputs is not None:
                text += f"\\na={outputs[layer_index][j]:.3g}"
            dot.node(name, text, shape="circle", style="filled", fillcolor="#e3f2fd")
            for source, w in zip(previous, neuron.w):
                colour = POSITIVE_WEIGHT if w.data >= 0 else NEGATIVE_WEIGHT
                width = THINNEST + (WIDEST - THINNEST) * abs(w.data) / largest
                number = {
                    "headlabel": f"{w.data:.2f}",
                    "labelfontsize": str(EDGE_NUMBER_SIZE),
                    "labelfontcolor": colour,
                    "labeldistance": "3",
                    "labelangle": "0",
                }
                dot.edge(
                    source,
                    name,
                    color=colour,
                    penwidth=f"{width:.2f}",
                    tooltip=f"w={w.data:.3f}",
                    **(number if numbers else {}),
                )
            current.append(name)
        previous = current
    return NetworkDrawing(dot, _describe(model, outputs), largest, sample, numbers)


class NetworkDrawing(Drawing):
    """A ``Drawing`` of a network, with its key under the picture.

    The key (what an edge's colour and width say) and the white halo that
    keeps edge numbers readable where they cross a line are added to the
    SVG here, so every renderer (``dot``, the WebAssembly Graphviz, the
    browser's) shows the same picture.
    """

    def __init__(
        self,
        graph: Any,
        description: str,
        largest: float,
        sample: Sequence[float] | None,
        numbers: bool = True,
    ) -> None:
        super().__init__(graph, description)
        self.largest = largest
        self.sample = None if sample is None else list(sample)
        self.numbers = numbers

    def svg(self) -> str:
        """The picture as SVG text, with its key."""
        svg = _halo_edge_numbers(super().svg())
        return add_network_key(svg, self.largest, self.sample, self.numbers)


#: The key's rows are this many points apart; its text is this size.
KEY_ROW, KEY_FONT = 16.0, 11.0


def add_network_key(
    svg: str, largest: float, sample: Sequence[float] | None = None, numbers: bool = True
) -> str:
    """Add the network's key under an SVG made by Graphviz.

    Four rows: the colours (a blue and a red edge), the widths (the thinnest
    and the widest edge, with the weight that gets it), where the numbers
    are, and what a neuron shows.
    """
    size = re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([^"]+)"', svg)
    if size is None:
        return svg
    width, height = float(size.group(1)), float(size.group(2))
    output = "" if sample is None else KEY_OUTPUT.format(sample=", ".join(f"{v:g}" for v in sample))
    label_end = 8 + _text_width(max(KEY_SIGN, KEY_SIZE, key=len) + ":") + 10
    parts: list[str] = []
    x_stroke = label_end
    top = height + 6

    def text(x: float, y: float, words: str) -> float:
        parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" font-family="{FONT}" '
            f'font-size="{KEY_FONT:.2f}">{html.escape(words)}</text>'
        )
        return x + _text_width(words)

    def stroke(x: float, y: float, colour: str, stroke_width: float) -> float:
        parts.append(
            f'<line x1="{x:.2f}" y1="{y - 4:.2f}" x2="{x + 28:.2f}" y2="{y - 4:.2f}" '
            f'stroke="{colour}" stroke-width="{stroke_width:.2f}"/>'
        )
        return x + 34

    grey = "#78909c"
    y = top + KEY_ROW - 4
    text(8, y, KEY_SIGN + ":")
    x = text(stroke(x_stroke, y, POSITIVE_WEIGHT, (THINNEST + WIDEST) / 2), y, KEY_POSITIVE)
    text(stroke(x + 14, y, NEGATIVE_WEIGHT, (THINNEST + WIDEST) / 2), y, KEY_NEGATIVE)
    y += KEY_ROW
    text(8, y, KEY_SIZE + ":")
    x = text(stroke(x_stroke, y, grey, THINNEST), y, "|w| = 0")
    right = text(stroke(x + 14, y, grey, WIDEST), y, KEY_LARGEST.format(largest=f"{largest:.3g}"))
    y += KEY_ROW
    right = max(right, text(8, y, KEY_NUMBERS if numbers else KEY_HOVER))
    y += KEY_ROW
    right = max(right, text(8, y, KEY_NEURON.format(output=output)))
    total_width = max(width, right + 8)
    total_height = y + 8
    head = svg[: size.start()] + (
        f'width="{total_width:.0f}pt" height="{total_height:.0f}pt" '
        f'viewBox="0.00 0.00 {total_width:.2f} {total_height:.2f}"'
    )
    rest = svg[size.end() :]
    opening = rest.index(">") + 1
    body = rest[opening : rest.rindex("</svg>")]
    if total_width > width:  # a key wider than the network: the network goes in the middle
        body = f'<g transform="translate({(total_width - width) / 2:.2f} 0)">{body}</g>'
    ground = (
        f'<rect x="0" y="0" width="{total_width:.2f}" height="{total_height:.2f}" fill="white"/>'
    )
    key = f'<g id="gg-network-key">{"".join(parts)}</g>'
    return head + rest[:opening] + ground + body + key + "</svg>\n"


def _text_width(text: str) -> float:
    """About how wide ``text`` is at the key's size, in points (DejaVu Sans is wide)."""
    return len(text) * KEY_FONT * 0.54


def _halo_edge_numbers(svg: str) -> str:
    """A white ground behind each edge's number, so it reads where it crosses a line."""
    size = f'font-size="{EDGE_NUMBER_SIZE:.2f}"'

    def ground(match: re.Match[str]) -> str:
        text = match.group(0)
        x = float(re.search(r' x="([-0-9.]+)"', text).group(1))  # type: ignore[union-attr]
        y = float(re.search(r' y="([-0-9.]+)"', text).group(1))  # type: ignore[union-attr]
        number = html.unescape(re.search(r">([^<]*)</text>", text).group(1))  # type: ignore[union-attr]
        width = len(number) * EDGE_NUMBER_SIZE * 0.6 + 2
        return (
            f'<rect x="{x - width / 2:.2f}" y="{y - EDGE_NUMBER_SIZE * 0.85:.2f}" '
            f'width="{width:.2f}" height="{EDGE_NUMBER_SIZE * 1.1:.2f}" fill="white"/>' + text
        )

    return re.sub(rf'<text text-anchor="middle" [^>]*{size}[^>]*>[^<]*</text>', ground, svg)


def notebook_bundle(model: MLP) -> dict[str, Any]:
    """What Jupyter shows for a model: its network view, or its text form without the viz extra."""
    try:
        return draw_network(model)._repr_mimebundle_()
    except MissingExtra:
        return {"text/plain": repr(model)}


def _describe(model: MLP, outputs: list[list[float]] | None) -> str:
    """The network in words: each layer's neurons, biases and (with a sample) outputs."""
    lines = [f"network view of {model}"]
    for number, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            weights = ", ".join(f"{w.data:.3g}" for w in neuron.w)
            line = f"  layer {number} neuron {j}: {neuron.activation}, w = [{weights}], "
            line += f"b = {neuron.b.data:.3g}"
            if outputs is not None:
                line += f", output {outputs[number - 1][j]:.3g}"
            lines.append(line)
    return "\n".join(lines)
