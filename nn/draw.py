"""The network view: an MLP drawn as layers of neurons (needs the ``viz`` extra)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from autograd.draw import FONT, Drawing, MissingExtra
from autograd.language import current_language, display_width, text
from nn.layers import MLP

#: Edge colours: the sign of the weight.
POSITIVE_WEIGHT = "#1e88e5"
NEGATIVE_WEIGHT = "#e53935"
#: The size of the weight written at each edge's head (the only text of this size).
EDGE_NUMBER_SIZE = 9
#: Edge widths in points: the thinnest (weight 0) and the widest (the largest |weight|).
THINNEST, WIDEST = 0.5, 4.0
# The key under the picture: its words are in the message catalogue (draw.network_key.*).
KEY_POSITIVE = "w > 0"
KEY_NEGATIVE = "w < 0"
#: Networks with at most this many weights have each weight written at its edge;
#: bigger ones would be a thicket of numbers, and show them on hover only.
NUMBERED_WEIGHTS = 24


def draw_network(
    model: MLP,
    sample: Sequence[float] | None = None,
    numbers: bool | None = None,
    lang: str | None = None,
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
        lang: the language of the key and the text form (None: the current
            one); the network itself holds only names and numbers.

    Returns:
        A ``Drawing``: it shows itself in Jupyter (on any machine, with or
        without Graphviz's ``dot``); ``.svg()``, ``.png()``, ``.save(path)``.

    Raises:
        TypeError: if ``model`` is not an MLP.
        MissingExtra: if the graphviz package is not installed.
    """
    if not isinstance(model, MLP):
        raise TypeError(text("error.draw.network_needs_an_mlp", type=type(model).__name__))
    lang = current_language(lang)
    try:
        import graphviz
    except ImportError:
        raise MissingExtra(text("error.draw.needs_graphviz_network")) from None
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
            label = f"{neuron.activation}\\nb={neuron.b.data:.2f}"
            if outputs is not None:
                label += f"\\na={outputs[layer_index][j]:.3g}"
            dot.node(name, label, shape="circle", style="filled", fillcolor="#e3f2fd")
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
    return NetworkDrawing(dot, _describe(model, outputs, lang), largest, sample, numbers, lang)


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
        lang: str | None = None,
    ) -> None:
        super().__init__(graph, description, lang=lang)
        self.largest = largest
        self.sample = None if sample is None else list(sample)
        self.numbers = numbers

    def svg(self) -> str:
        """The picture as SVG text, with its key."""
        svg = _halo_edge_numbers(super().svg())
        return add_network_key(svg, self.largest, self.sample, self.numbers, self.lang)


#: The key's rows are this many points apart; its text is this size.
KEY_ROW, KEY_FONT = 16.0, 11.0


def add_network_key(
    svg: str,
    largest: float,
    sample: Sequence[float] | None = None,
    numbers: bool = True,
    lang: str | None = None,
) -> str:
    """Add the network's key under an SVG made by Graphviz.

    Four rows: the colours (a blue and a red edge), the widths (the thinnest
    and the widest edge, with the weight that gets it), where the numbers
    are, and what a neuron shows; in ``lang`` (None: the current language).
    """
    size = re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([^"]+)"', svg)
    if size is None:
        return svg
    width, height = float(size.group(1)), float(size.group(2))
    sign, size_words = text("draw.network_key.sign", lang), text("draw.network_key.size", lang)
    shown = "" if sample is None else ", ".join(f"{v:g}" for v in sample)
    output = "" if sample is None else text("draw.network_key.output", lang, sample=shown)
    label_end = 8 + max(_text_width(sign + ":"), _text_width(size_words + ":")) + 10
    parts: list[str] = []
    x_stroke = label_end
    top = height + 6

    def write(x: float, y: float, words: str) -> float:
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
    write(8, y, sign + ":")
    x = write(stroke(x_stroke, y, POSITIVE_WEIGHT, (THINNEST + WIDEST) / 2), y, KEY_POSITIVE)
    write(stroke(x + 14, y, NEGATIVE_WEIGHT, (THINNEST + WIDEST) / 2), y, KEY_NEGATIVE)
    y += KEY_ROW
    write(8, y, size_words + ":")
    x = write(stroke(x_stroke, y, grey, THINNEST), y, "|w| = 0")
    widest = text("draw.network_key.largest", lang, largest=f"{largest:.3g}")
    right = write(stroke(x + 14, y, grey, WIDEST), y, widest)
    y += KEY_ROW
    where = text("draw.network_key.numbers" if numbers else "draw.network_key.hover", lang)
    right = max(right, write(8, y, where))
    y += KEY_ROW
    right = max(right, write(8, y, text("draw.network_key.neuron", lang, output=output)))
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
    """About how wide ``text`` is at the key's size, in points (DejaVu Sans is wide;
    a Chinese character is a full square)."""
    return display_width(text) * KEY_FONT * 0.54


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


def notebook_bundle(model: MLP, lang: str | None = None) -> dict[str, Any]:
    """What Jupyter shows for a model: its network view, or its text form without the viz extra."""
    try:
        return draw_network(model, lang=lang)._repr_mimebundle_()
    except MissingExtra:
        return {"text/plain": repr(model)}


def _describe(model: MLP, outputs: list[list[float]] | None, lang: str) -> str:
    """The network in words: each layer's neurons, biases and (with a sample) outputs."""
    lines = [text("draw.network", lang, model=model)]
    for number, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            weights = ", ".join(f"{w.data:.3g}" for w in neuron.w)
            line = text(
                "draw.network_neuron",
                lang,
                layer=number,
                neuron=j,
                activation=neuron.activation,
                weights=weights,
                bias=f"{neuron.b.data:.3g}",
            )
            if outputs is not None:
                shown = f"{outputs[number - 1][j]:.3g}"
                line += text("draw.network_output", lang, output=shown)
            lines.append(line)
    return "\n".join(lines)
