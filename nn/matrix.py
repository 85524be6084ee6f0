"""The article's formulas as matrices, beside the stepper's scalar graph.

The engine computes a network one scalar at a time; the article writes the
same passes as matrices, layer by layer (``l`` = 1 … L, ``a⁰ = x``)::

    zˡ = Wˡ aˡ⁻¹ + bˡ        aˡ = f(zˡ)          ŷ = σ(zᴸ)
    δᴸ = ŷ − y               ∂L/∂Wˡ = δˡ (aˡ⁻¹)ᵀ   ∂L/∂bˡ = δˡ
    δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ f′(zˡ)

``matrix_view`` lays these out for one sample with the engine's own
numbers: every cell is one node of the graph (its name, its value from the
forward pass, its gradient from the step-through's backward pass, the
same rules and order as ``backward()``) and says at which frames it is
filled. The page's script (``matrix.js``, beside this file) only shows
them: a cell lights up when the stepper's frame fills it, and clicking a
cell marks its node in the graph.

The stepper's loss is binary cross-entropy on the output logit, so the
output layer's δ is ŷ − y whatever its activation is set to (the loss reads
its ``z`` as a logit). A hidden layer's f′ is the derivative the op table
gives its activation (ReLU′ is 0 or 1, tanh′ = 1 − a², σ′ = a(1 − a)); a
linear hidden layer has f′ = 1, its ``aˡ`` is its ``zˡ``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd.draw import prediction_of
from autograd.engine import local_derivatives, topological_order
from autograd.language import text
from autograd.names import fmt, names_of
from autograd.step import Step
from autograd.stepper import View
from autograd.value import Value
from nn.evaluate import probabilities
from nn.layers import MLP

#: The panel's script (package data, inlined in every page).
SCRIPT_FILE = Path(__file__).with_name("matrix.js")

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: How the formulas write each activation f and its derivative f′.
_F = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "σ"}


def _sup(number: int) -> str:
    return str(number).translate(_SUPERSCRIPTS)


class _Cells:
    """The panel's cells: what each says from which frame on, and when it is filled."""

    def __init__(self) -> None:
        self.cells: list[dict[str, Any]] = []

    def add(self, kind: str, name: str, texts: list[tuple[int, str]], lit: list[int]) -> int:
        cell = {"kind": kind, "name": name, "texts": [list(t) for t in texts], "lit": lit}
        self.cells.append(cell)
        return len(self.cells) - 1


def matrix_view(
    model: MLP, x: Sequence[float], loss: Value, all_steps: list[Step]
) -> dict[str, Any]:
    """The article's formulas as matrices, for ``loss`` (an MLP's loss on one sample).

    Args:
        model: the network.
        x: the sample's features.
        loss: ``binary_cross_entropy_with_logits(model.logits(x), y)``, or
            for one output per class ``cross_entropy(model.logits(x), y)``:
            the stepper's output.
        all_steps: the stepper's steps (one frame each).

    Returns:
        ``{"heading", "hint", "rows", "cells"}``: each row a formula in the
        article's notation and its terms (a matrix of cell numbers, or an
        operator); each cell ``{"kind", "name", "texts", "lit"}``: what it
        holds (``"value"``, ``"grad"`` or ``"prediction"`` of its node;
        ``"number"``: a feature or the label; ``"slope"``: f′(z)), the node
        it is (its name in the graph, "" for a plain number), its text from each
        frame on (``[[frame, text], ...]``, frame −1: known before the
        first step; before the first: not known yet)
        and the frames that fill it.
    """
    order = topological_order(loss)
    names = names_of(order)
    by_name = {name: node for node, name in names.items()}
    computed: dict[Value, int] = {}  # the frame a node's value is computed at
    grads: dict[Value, list[tuple[int, str]]] = {}  # its gradient after each frame that adds to it
    for index, step in enumerate(all_steps):
        if step.phase == "forward":
            computed[step.node] = index
        for c in step.contributions:
            grads.setdefault(c.parent, []).append((index, fmt(c.grad_after)))
    cells = _Cells()

    def value(node: Value | float, result: bool = False) -> int:
        """A forward value's cell; it lights up where a formula computes it (``result``)."""
        if not isinstance(node, Value):  # a feature or the label: a plain number
            return cells.add("number", "", [(-1, fmt(node))], [])
        start = computed.get(node, -1)  # a parameter is known before the first step
        lit = [computed[node]] if result and node in computed else []
        return cells.add("value", names[node], [(start, fmt(node.data))], lit)

    def grad(node: Value) -> int:
        changes = grads.get(node, [])
        return cells.add("grad", names[node], changes, [frame for frame, _ in changes])

    layers = len(model.layers)
    rows: list[dict[str, Any]] = [{"heading": text("term.forward_pass")}]
    W, b, z = {}, {}, {}
    a: dict[int, list[Any]] = {0: list(x)}
    for number in range(1, layers + 1):
        width = model.sizes[number - 1]
        top = number == layers
        single = top and width == 1  # the article's one output: z2, not z2[0]
        z[number] = [by_name[f"z{number}" if single else f"z{number}[{j}]"] for j in range(width)]
        W[number] = [
            [
                by_name[f"W{number}[{j},{k}]"]
                for k in range(len(model.layers[number - 1].neurons[0].w))
            ]
            for j in range(width)
        ]
        b[number] = [by_name[f"b{number}[{j}]"] for j in range(width)]
        a[number] = [by_name.get(f"a{number}[{j}]", z[number][j]) for j in range(width)]
    # The prediction and the label: ŷ = σ(z) and y for one output; for one output
    # per class, ŷ = softmax(z) and y one-hot, a column each.
    if loss.op == "cross_entropy":
        y_hats = probabilities([v.data for v in z[layers]])
        labels = list(loss.operands[len(y_hats) :])
        squash = "softmax"
    else:
        y_hats, labels, squash = [prediction_of(loss)[0]], [loss.operands[1]], "σ"

    def column(ids: list[int]) -> list[list[int]]:
        return [[i] for i in ids]

    # Forward, layer by layer.
    for n in range(1, layers + 1):
        s, previous = _sup(n), ("x" if n == 1 else f"a{_sup(n - 1)}")
        rows.append(
            {
                "formula": f"z{s} = W{s}{previous} + b{s}",
                "terms": [
                    [[value(w) for w in row] for row in W[n]],
                    column([value(v) for v in a[n - 1]]),
                    "+",
                    column([value(v) for v in b[n]]),
                    "=",
                    column([value(v, result=True) for v in z[n]]),
                ],
            }
        )
        activation = model.activations[n - 1]
        if n < layers and activation in _F:
            rows.append(
                {
                    "formula": f"a{s} = {_F[activation]}(z{s})",
                    "terms": [column([value(v, result=True) for v in a[n]])],
                }
            )
    s = _sup(layers)
    loss_frame = computed.get(loss, 0)
    y_hat_cells = [
        cells.add("prediction", names[loss], [(loss_frame, fmt(p))], [loss_frame]) for p in y_hats
    ]
    rows.append({"formula": f"ŷ = {squash}(z{s})", "terms": [column(y_hat_cells)]})
    # Backward: the output layer's δ, then each layer's gradients and the δ below it.
    rows.append({"heading": text("term.backward_pass")})
    rows.append(
        {
            "formula": f"δ{s} = ŷ − y",
            "terms": [
                column(
                    [
                        cells.add("prediction", names[loss], [(loss_frame, fmt(p))], [])
                        for p in y_hats
                    ]
                ),
                "−",
                column([value(label) for label in labels]),
                "=",
                column([grad(v) for v in z[layers]]),
            ],
        }
    )
    for n in range(layers, 0, -1):
        s = _sup(n)
        previous = "x" if n == 1 else f"a{_sup(n - 1)}"
        rows.append(
            {
                "formula": f"∂L/∂W{s} = δ{s} ({previous})ᵀ",
                "terms": [
                    column([grad(v) for v in z[n]]),
                    [[value(v) for v in a[n - 1]]],
                    "=",
                    [[grad(w) for w in row] for row in W[n]],
                ],
            }
        )
        rows.append({"formula": f"∂L/∂b{s} = δ{s}", "terms": [column([grad(v) for v in b[n]])]})
        if n == 1:
            continue
        below, activation = _sup(n - 1), model.activations[n - 2]
        transposed = [[value(W[n][j][k]) for j in range(len(W[n]))] for k in range(len(W[n][0]))]
        back = [
            transposed,
            column([grad(v) for v in z[n]]),
            "=",
            column([grad(v) for v in a[n - 1]]),
        ]
        if activation in _F:
            # f′(z) as the engine's own rule gives it, at this sample.
            slopes = [(computed[v], local_derivatives(v)[0][1]) for v in a[n - 1]]
            back += [
                "⊙",
                column([cells.add("slope", "", [(at, fmt(d))], []) for at, d in slopes]),
                "=",
                column([grad(v) for v in z[n - 1]]),
            ]
            formula = f"δ{below} = (W{s})ᵀδ{s} ⊙ {_F[activation]}′(z{below})"
        else:
            formula = f"δ{below} = (W{s})ᵀδ{s}"
        rows.append({"formula": formula, "terms": back})
    return {
        "heading": text("matrix.heading"),
        "hint": text("matrix.hint"),
        "rows": rows,
        "cells": cells.cells,
    }


def matrix_panel(model: MLP, x: Sequence[float], loss: Value, all_steps: list[Step]) -> View:
    """``matrix_view`` as a view beside the stepper: its markup, its data and ``matrix.js``.

    Without JavaScript the markup shows the finished passes' numbers.
    """
    view = matrix_view(model, x, loss, all_steps)
    cells = view["cells"]

    def cell(i: int) -> str:
        texts = cells[i]["texts"]
        shown = html.escape(texts[-1][1] if texts else "?")
        kind = " ggm-node" if cells[i]["name"] else ""
        title = f' title="{html.escape(cells[i]["name"])}"' if cells[i]["name"] else ""
        return f'<td class="ggm-c{kind}" data-cell="{i}"{title}>{shown}</td>'

    def term(t: Any) -> str:
        if isinstance(t, str):
            return f'<span class="ggm-op">{html.escape(t)}</span>'
        body = "".join("<tr>" + "".join(cell(i) for i in row) + "</tr>" for row in t)
        return f'<table class="ggm-m">{body}</table>'

    parts = []
    for row in view["rows"]:
        if "heading" in row:
            parts.append(f'<div class="ggm-phase">{html.escape(row["heading"])}</div>')
            continue
        # The terms side by side in a one-row table: a layout that holds without
        # the style sheet too (an untrusted notebook drops it).
        terms = "".join(f"<td>{term(t)}</td>" for t in row["terms"])
        parts.append(
            f'<div class="ggm-row"><div class="ggm-formula">{html.escape(row["formula"])}</div>'
            f'<div class="ggm-scroll"><table class="ggm-terms"><tr>{terms}</tr></table></div></div>'
        )
    # Folded until the script runs: a page without it (an untrusted notebook)
    # keeps the picture and the table of steps in view, the matrices one click away.
    markup = (
        f'<div class="ggm">{_STYLE}<details class="ggm-fold"><summary class="gg-title">'
        f"{html.escape(view['heading'])}</summary>"
        f'<div class="ggm-hint">{html.escape(view["hint"])}</div>{"".join(parts)}</details></div>'
    )
    data = {"cells": [[c["name"], c["texts"], c["lit"], c["kind"]] for c in cells]}
    return View(markup, data, SCRIPT_FILE.read_text(encoding="utf-8"))


_STYLE = """<style>
.ggm { margin: 8px 0; }
.ggm .ggm-hint { color: #455a64; font-size: 14px; margin-bottom: 4px; }
.ggm .ggm-phase { font-weight: bold; color: #455a64; margin: 8px 0 2px; }
.ggm .ggm-row { margin: 6px 0; }
.ggm .ggm-formula { font-family: monospace; font-size: 15px; margin-bottom: 2px; }
.ggm .ggm-scroll { overflow-x: auto; padding-bottom: 2px; }
.ggm table.ggm-terms { border-collapse: collapse; }
.ggm table.ggm-terms > tbody > tr > td { vertical-align: middle; padding: 0 3px; }
.ggm .ggm-op { font-family: monospace; font-size: 16px; }
.ggm table.ggm-m { border-collapse: separate; border-spacing: 0; margin: 0;
  border-left: 2px solid #455a64; border-right: 2px solid #455a64; border-radius: 4px;
  flex: none; }
.ggm table.ggm-m td { border: none; padding: 2px 6px; font-size: 13px; text-align: right;
  min-width: 3.2em; }
.ggm td.ggm-node { cursor: pointer; }
.ggm td.ggm-node:hover { background: #eceff1; }
.ggm td.ggm-lit { background: #ffe0b2; outline: 2px solid #e65100; font-weight: bold; }
.ggm td.ggm-picked { outline: 2px dashed #0277bd; }
</style>"""
