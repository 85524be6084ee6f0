"""The article's layer-by-layer view of one backward pass, with the engine's numbers.

The engine works one scalar at a time; the article writes the same backward
pass as six matrix formulas. ``layer_view`` groups the engine's gradients
into those formulas, for the 2-layer network with a sigmoid output, with
the numbers of that layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import autograd
from autograd.step import fmt
from nn.layers import MLP


def _vector(values: Iterable[float]) -> str:
    return "[" + ", ".join(fmt(v) for v in values) + "]"


def layer_view(model: MLP, x: Sequence[float], y: float) -> list[tuple[str, str]]:
    """``(formula, numbers)`` for each of the article's backward formulas.

    The numbers on the right of each ``=`` are the engine's gradients (from
    ``autograd.grad`` on the real graph); the ones before are the forward
    values the formula uses, so a learner can redo each product by hand.

    Raises:
        ValueError: if the model is not a ReLU layer followed by one sigmoid output.
    """
    if model.activations != ["relu", "sigmoid"] or model.sizes[-1] != 1:
        raise ValueError(
            "the layer view follows the article's network: a ReLU layer, then one sigmoid "
            f"output (this model is {model})"
        )
    hidden, output = model.layers
    z1 = hidden.pre_activation(x)
    a1 = [z.relu() for z in z1]
    z2 = output.pre_activation(a1)[0]
    loss = autograd.binary_cross_entropy_with_logits(z2, y)
    neuron = output.neurons[0]
    # One autograd.grad call per formula: the graph is tiny, and this reads like the table.
    (dz2,) = autograd.grad(loss, [z2])
    dW2 = autograd.grad(loss, neuron.w)
    (db2,) = autograd.grad(loss, [neuron.b])
    dz1 = autograd.grad(loss, z1)
    dW1 = [autograd.grad(loss, n.w) for n in hidden.neurons]
    db1 = autograd.grad(loss, [n.b for n in hidden.neurons])
    y_hat = z2.sigmoid().data
    relu_prime = [1.0 if z.data > 0 else 0.0 for z in z1]
    w2 = [w.data for w in neuron.w]
    return [
        ("∂L/∂z2 = ŷ − y", f"{fmt(y_hat)} − {fmt(y)} = {fmt(dz2)}"),
        (
            "∂L/∂W2 = ∂L/∂z2 · a1ᵀ",
            f"{fmt(dz2)} · {_vector(a.data for a in a1)} = {_vector(dW2)}",
        ),
        ("∂L/∂b2 = ∂L/∂z2", fmt(db2)),
        (
            "∂L/∂z1 = (W2ᵀ · ∂L/∂z2) ⊙ ReLU'(z1)",
            f"({_vector(w2)} · {fmt(dz2)}) ⊙ {_vector(relu_prime)} = {_vector(dz1)}",
        ),
        (
            "∂L/∂W1 = ∂L/∂z1 · Xᵀ",
            f"{_vector(dz1)} · {_vector(x)} = "
            + "["
            + ", ".join(_vector(row) for row in dW1)
            + "]",
        ),
        ("∂L/∂b1 = ∂L/∂z1", _vector(db1)),
    ]
