"""The article's names, found in a graph and plugged into the engine's naming.

``nn.MLP`` labels its parameters as the article writes them: ``W{l}[j,k]``
is layer ``l``'s weight from input ``k`` to neuron ``j``, ``b{l}[j]`` its
bias. Everything else is named from the graph itself, wherever those labels
make the name certain:

* a ``dot`` node over row ``j`` of layer ``l``'s weights (``W{l}[j,0]``,
  ``W{l}[j,1]``, ...) is ``z{l}[j]``; the top layer's only neuron is plain
  ``z{l}`` (the article's ``z2``). A neuron made of elementary ops
  (``nn.MLP(..., fused=False)``, micrograd's way: ``b{l}[j] + W{l}[j,0]·x1 +
  W{l}[j,1]·x2 + ...``, added left to right) gets the same name on its last
  ``+``;
* an activation of ``z{l}[j]`` is ``a{l}[j]``; a sigmoid of the top ``z`` is
  ``ŷ``;
* a fused loss ``BCE(σ(z), y)`` is ``L`` (and the output, when it averages
  losses, is ``L``);
* a plain-number feature fed to layer 1 with weight ``W1[j,k]`` (in a
  ``dot`` or a product) is ``x{k+1}``, and the target of a loss is ``y``.

Importing ``nn`` plugs these names into ``autograd.names``, which every
drawing and step-through asks; the engine itself knows none of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from autograd import names as engine_names
from autograd.names import Namer, OpNode, Part
from autograd.ops import OPS
from autograd.value import Value
from nn.layers import NONLINEAR_ACTIVATIONS

#: How ``nn.MLP`` labels a weight: ``W{layer}[{row},{k}]``.
WEIGHT = re.compile(r"W(\d+)\[(\d+),(\d+)\]")
PRE_ACTIVATION = re.compile(r"z(\d+)(\[\d+\])?")
#: The fused losses: one node from the logits (and targets) to the loss.
LOSS_OPS = ("bce_logits", "cross_entropy")


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


def elementary_neurons(order: Sequence[Value]) -> dict[Value, tuple[int, int]]:
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


def input_name(node: Value, position: int) -> str | None:
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


class ArticleNames(Namer):
    """The article's names for the graphs of ``nn.MLP`` (see this module's docstring)."""

    def node_names(self, order: Sequence[Value]) -> dict[Value, str]:
        neurons = {node: neuron_of(node) for node in order if node.op == "dot"}
        neurons = {node: where for node, where in neurons.items() if where is not None}
        neurons.update(elementary_neurons(order))
        top = max((layer for layer, _ in neurons.values()), default=0)
        rows = {row for layer, row in neurons.values() if layer == top}
        losses = [node for node in order if node.op in LOSS_OPS]
        names: dict[Value, str] = {}
        for node in order:
            if node in neurons:
                layer, row = neurons[node]
                single = layer == top and rows == {0}
                names[node] = f"z{layer}" if single else f"z{layer}[{row}]"
            elif node.op in NONLINEAR_ACTIVATIONS and isinstance(node.operands[0], Value):
                operand = node.operands[0]
                name = _activation_name(node, operand.label or names.get(operand, ""))
                if name is not None:
                    names[node] = name
            elif node.op in LOSS_OPS:
                if len(losses) == 1:
                    names[node] = "L" if node is order[-1] else "ℓ"
                else:
                    names[node] = f"ℓ[{losses.index(node)}]"
            elif not node.operands and not node.label:
                feature = _feature(node, order)
                if feature is not None:
                    names[node] = feature
        if losses and order[-1] not in losses:
            names[order[-1]] = "L"  # the mean of the losses
        return names

    def constant_name(self, node: Value, position: int) -> str | None:
        return input_name(node, position)

    def prediction_name(self, loss: Value, names: Mapping[Value, str]) -> str | None:
        logit = loss.operands[0]
        top_z = isinstance(logit, Value) and re.fullmatch(r"z\d+", names[logit])
        return "ŷ" if top_z else None

    def op_text(self, node: Value, names: Mapping[Value, str]) -> str | None:
        if node.op == "dot":
            where = neuron_of(node)
            if where is None:
                return None
            layer = where[0]
            inputs = "x" if layer == 1 else f"a{layer - 1}"
            return f"W{layer}·{inputs}" + (f" + b{layer}" if len(node.operands) % 2 else "")
        if node.op == "bce_logits":
            return "BCE(ŷ, y)" if self.prediction_name(node, names) else None
        if node.op == "cross_entropy":  # CE(softmax(z2), y) on the top layer's logits
            logits = node.operands[: len(node.operands) // 2]
            layers = {names.get(z, "").split("[")[0] for z in logits}
            layer = layers.pop() if len(layers) == 1 else ""
            return f"CE(softmax({layer}), y)" if re.fullmatch(r"z\d+", layer) else None
        if node.op in NONLINEAR_ACTIVATIONS:
            operand = node.operands[0]
            if isinstance(operand, Value) and PRE_ACTIVATION.fullmatch(names[operand]):
                return OPS[node.op].output_formula(["z"])  # ReLU(z), σ(z), tanh(z)
        return None

    def columns(self, names: Mapping[Value, str], inputs: Sequence[str]) -> list[list[Part]]:
        """Neurons top to bottom in index order, each layer's parameters beside its inputs.

        Graphviz orders the nodes of a column to cross few edges, and may put
        neuron 1 above neuron 0; a column keeps the order the article draws.
        """
        by_name = {name: node for node, name in names.items()}
        features: list[Part] = [name for name in inputs if re.fullmatch(r"x\d+", name)]
        layers = sorted({int(m.group(1)) for n in by_name if (m := re.fullmatch(r"z(\d+).*", n))})
        columns: list[list[Part]] = []
        for layer in layers:
            zs = [by_name[n] for n in _indexed(by_name, f"z{layer}")]
            acts = [by_name[n] for n in _indexed(by_name, f"a{layer}")]
            previous: list[Part] = (
                features if layer == 1 else [by_name[n] for n in _indexed(by_name, f"a{layer - 1}")]
            )
            parameters: list[Part] = []
            for j in range(len(zs)):
                parameters += [by_name[n] for n in _indexed(by_name, f"W{layer}[{j},")]
                parameters += [by_name[n] for n in (f"b{layer}[{j}]",) if n in by_name]
            columns += [previous + parameters, [OpNode(z) for z in zs], list(zs)]
            columns.append([OpNode(a) for a in acts])
            if layer == layers[-1]:  # otherwise they head the next layer's column
                columns.append(list(acts))
        return columns


def _activation_name(node: Value, operand: str) -> str | None:
    match = PRE_ACTIVATION.fullmatch(operand)
    if match is None:
        return None
    if match.group(2) is None:  # the top layer's only neuron
        return "ŷ" if node.op == "sigmoid" else f"a{match.group(1)}"
    return f"a{match.group(1)}{match.group(2)}"


def _feature(leaf: Value, order: Sequence[Value]) -> str | None:
    """``x{k+1}`` for an unlabelled leaf that layer 1 reads as input ``k``."""
    for node in order:
        if node.op in ("dot", "*") and leaf in node.operands:
            return input_name(node, node.operands.index(leaf))
    return None


def _indexed(by_name: Mapping[str, Value], prefix: str) -> list[str]:
    """The names ``prefix[0]``, ``prefix[1]``, ... (or ``prefix`` alone) present, in index order."""
    pattern = re.compile(
        re.escape(prefix) + (r"(\d+)" if prefix.endswith(",") else r"(?:\[(\d+)\])?") + r"\]?"
    )
    found = [(int(m.group(1) or 0), n) for n in by_name if (m := pattern.fullmatch(n))]
    return [n for _, n in sorted(found)]


#: The one instance, plugged in when ``nn`` is imported.
ARTICLE_NAMES = ArticleNames()
engine_names.plug_in(ARTICLE_NAMES)
