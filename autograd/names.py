"""The names a learner reads: one place that names every node of a graph.

Drawings, step-throughs, pages and plots all call ``names_of``, so a node
has the same name everywhere. A node's own ``label`` always wins. Other
nodes are named from the graph itself, with the article's names wherever
the labels that ``nn.MLP`` gives its parameters make them certain:

* a ``dot`` node over row ``j`` of layer ``l``'s weights (labelled
  ``W{l}[j,0]``, ``W{l}[j,1]``, ...) is ``z{l}[j]``; the top layer's only
  neuron is plain ``z{l}`` (the article's ``z2``). A neuron made of
  elementary ops (``nn.MLP(..., fused=False)``, micrograd's way: ``b{l}[j] +
  W{l}[j,0]·x1 + W{l}[j,1]·x2 + ...``, added left to right) gets the same
  name on its last ``+``;
* an activation of ``z{l}[j]`` is ``a{l}[j]``; a sigmoid of the top ``z`` is
  ``ŷ``;
* a fused loss ``BCE(σ(z), y)`` is ``L`` (and the output, when it averages
  losses, is ``L``);
* a plain-number feature fed to layer 1 with weight ``W1[j,k]`` (in a
  ``dot`` or a product) is ``x{k+1}``, and the target of a loss is ``y``
  (see ``operand_names``);
* anything else is ``n<index>``, its place in topological order.

Names are worked out when a picture or a step-through asks, from the graph
that exists; a forward pass labels nothing, so training pays nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from autograd.value import Value

WEIGHT = re.compile(r"W(\d+)\[(\d+),(\d+)\]")
PRE_ACTIVATION = re.compile(r"z(\d+)(\[\d+\])?")
ACTIVATIONS = ("relu", "tanh", "sigmoid")


def fmt(x: float) -> str:
    """A number as a learner wants to read it: 4 significant digits."""
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def neuron_of(node: Value) -> tuple[int, int] | None:
    """``(layer, row)`` when ``node`` is a ``dot`` over one row of ``W{layer}``, else None."""
    if node.op != "dot":
        return None
    n = len(node.operands) // 2
    found = set()
    for k, weight in enumerate(node.operands[:n]):
        match = WEIGHT.fullmatch(weight.label) if isinstance(weight, Value) else None
        if match is None or int(match.group(3)) != k:
            return None
        found.add((int(match.group(1)), int(match.group(2))))
    return found.pop() if len(found) == 1 else None


def weight_of(node: Value) -> tuple[int, int, int] | None:
    """``(layer, row, k)`` when ``node`` is a product ``W{layer}[row,k] · x``, else None."""
    if node.op != "*" or not isinstance(node.operands[0], Value):
        return None
    match = WEIGHT.fullmatch(node.operands[0].label)
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def elementary_neurons(order: list[Value]) -> dict[Value, tuple[int, int]]:
    """``(layer, row)`` of each neuron made of elementary ops, on its last ``+``.

    Such a neuron is ``b{l}[j] + W{l}[j,0]·x1``, then ``+ W{l}[j,1]·x2`` and
    so on, one ``+`` per weight (``sum(w * x ..., b)``, as micrograd and
    ``nn.MLP(fused=False)`` write it). The ``+`` that has added the most
    weights of a row is its ``z``.
    """
    terms: dict[Value, tuple[int, int, int]] = {}  # a partial sum: (layer, row, weights in it)
    for node in order:
        if node.op != "+" or not isinstance(node.operands[1], Value):
            continue
        so_far, product = node.operands
        weight = weight_of(product)
        if weight is None:
            continue
        layer, row, k = weight
        starts = k == 0 and isinstance(so_far, Value) and so_far.label == f"b{layer}[{row}]"
        if starts or terms.get(so_far) == (layer, row, k):
            terms[node] = (layer, row, k + 1)
    last: dict[tuple[int, int], Value] = {}
    for node, (layer, row, count) in terms.items():
        if (layer, row) not in last or terms[last[layer, row]][2] < count:
            last[layer, row] = node
    return {node: where for where, node in last.items()}


def names_of(order: list[Value]) -> dict[Value, str]:
    """Each node's name: its label, an article name inferred from the graph, or ``n<index>``.

    Args:
        order: the graph's nodes in topological order (``topological_order``).
    """
    neurons = {node: neuron_of(node) for node in order if node.op == "dot"}
    neurons = {node: where for node, where in neurons.items() if where is not None}
    neurons.update(elementary_neurons(order))
    top = max((layer for layer, _ in neurons.values()), default=0)
    rows = {row for layer, row in neurons.values() if layer == top}
    names: dict[Value, str] = {}
    losses = [node for node in order if node.op == "bce_logits"]
    for index, node in enumerate(order):
        if node.label:
            names[node] = node.label
        elif node in neurons:
            layer, row = neurons[node]
            single = layer == top and rows == {0}
            names[node] = f"z{layer}" if single else f"z{layer}[{row}]"
        elif node.op in ACTIVATIONS and isinstance(node.operands[0], Value):
            names[node] = _activation_name(node, names.get(node.operands[0], ""), index)
        elif node.op == "bce_logits":
            if len(losses) == 1:
                names[node] = "L" if node is order[-1] else "ℓ"
            else:
                names[node] = f"ℓ[{losses.index(node)}]"
        elif not node.operands and _feature(node, order) is not None:
            names[node] = _feature(node, order) or ""
        else:
            names[node] = f"n{index}"
    if losses and not order[-1].label and order[-1] not in losses:
        names[order[-1]] = "L"  # the mean of the losses
    return names


def _activation_name(node: Value, operand: str, index: int) -> str:
    match = PRE_ACTIVATION.fullmatch(operand)
    if match is None:
        return f"n{index}"
    if match.group(2) is None:  # the top layer's only neuron
        return "ŷ" if node.op == "sigmoid" else f"a{match.group(1)}"
    return f"a{match.group(1)}{match.group(2)}"


def _feature(leaf: Value, order: list[Value]) -> str | None:
    """``x{k+1}`` for an unlabelled leaf that layer 1 reads as input ``k``."""
    for node in order:
        if node.op in ("dot", "*") and leaf in node.operands:
            return _input_name(node, node.operands.index(leaf))
    return None


def _input_name(node: Value, position: int) -> str | None:
    """The article's name of operand ``position`` of ``node``, if it is a feature or a target."""
    if node.op == "bce_logits" and position == 1:
        return "y"
    if node.op == "*":  # W{l}[j,k] · x: x is input k of layer l
        weight = weight_of(node)
        if weight is None or position != 1:
            return None
        layer, _, k = weight
        return f"x{k + 1}" if layer == 1 else f"a{layer - 1}[{k}]"
    where = neuron_of(node)
    n = len(node.operands) // 2
    if where is None or not n <= position < 2 * n:
        return None
    layer, _ = where
    k = position - n
    return f"x{k + 1}" if layer == 1 else f"a{layer - 1}[{k}]"


def operand_names(node: Value, names: Mapping[Value, str]) -> list[str]:
    """How each operand of ``node`` is written: its name, or for a plain number
    its article name (``x1``, ``y``) when it has one, else the number itself."""
    return [
        names[x] if isinstance(x, Value) else (_input_name(node, i) or fmt(x))
        for i, x in enumerate(node.operands)
    ]


def constant_name(node: Value, position: int) -> str | None:
    """The article's name of the plain number at ``node.operands[position]``, if any."""
    return _input_name(node, position)


def prediction_name(loss: Value, names: Mapping[Value, str]) -> str:
    """The name of ``σ(z)`` inside a fused ``BCE(σ(z), y)``: ``ŷ`` for the top ``z``."""
    logit = loss.operands[0]
    name = names[logit] if isinstance(logit, Value) else fmt(logit)
    return "ŷ" if re.fullmatch(r"z\d+", name) else f"σ({name})"
