"""The network view: an MLP drawn as layers of neurons (needs the ``viz`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.draw import FONT, Drawing, MissingExtra
from autograd.language import current_language, text
from nn.layers import MLP


def draw_network(
    model: MLP, sample: Sequence[float] | None = None, lang: str | None = None
) -> Drawing:
    """The model as layers of neurons, like the article's picture of the 2-3-1 network.

    Edges are blue for positive weights and red for negative ones, wider for
    larger weights. Each neuron shows its activation and bias; with a
    ``sample``, also its output for that sample. The picture's text form is
    in ``lang`` (None: the current language); the picture itself holds only
    names and numbers.

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
    largest = max((abs(p.data) for p in model.parameters()), default=1.0) or 1.0

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
                colour = "#1e88e5" if w.data >= 0 else "#e53935"
                width = 0.5 + 3.5 * abs(w.data) / largest
                dot.edge(
                    source, name, color=colour, penwidth=f"{width:.2f}", tooltip=f"w={w.data:.3f}"
                )
            current.append(name)
        previous = current
    return Drawing(dot, _describe(model, outputs, lang), lang=lang)


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
                line += text("draw.network_output", lang, output=f"{outputs[number - 1][j]:.3g}")
            lines.append(line)
    return "\n".join(lines)
