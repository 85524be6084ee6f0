"""The article's closed-form backward pass for the 2-3-1 network, written out.

Plain Python lists, no engine: this is the "by hand" side that the engine's
gradients are checked against. Shapes for one sample: X 2×1, W1 3×2, b1 3×1,
W2 1×3, b2 1×1. The loss is binary cross-entropy on the sigmoid output.

    z1 = W1·X + b1      a1 = ReLU(z1)
    z2 = W2·a1 + b2     ŷ = σ(z2)

    ∂L/∂z2 = ŷ − y
    ∂L/∂W2 = ∂L/∂z2 · a1ᵀ
    ∂L/∂b2 = ∂L/∂z2
    ∂L/∂z1 = (W2ᵀ · ∂L/∂z2) ⊙ ReLU'(z1)
    ∂L/∂W1 = ∂L/∂z1 · Xᵀ
    ∂L/∂b1 = ∂L/∂z1

Over a batch of m samples with a mean loss, each gradient is the mean of the
per-sample gradients.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from nn.layers import MLP

Matrix = list[list[float]]


@dataclass
class Weights:
    """The 2-3-1 network's parameters as matrices."""

    W1: Matrix  # 3×2
    b1: list[float]  # 3
    W2: Matrix  # 1×3
    b2: list[float]  # 1

    @classmethod
    def of(cls, model: MLP) -> Weights:
        """Read the matrices out of an ``MLP(2, [3, 1])``."""
        hidden, output = model.layers
        return cls(
            W1=[[w.data for w in n.w] for n in hidden.neurons],
            b1=[n.b.data for n in hidden.neurons],
            W2=[[w.data for w in n.w] for n in output.neurons],
            b2=[n.b.data for n in output.neurons],
        )


@dataclass
class Forward:
    """Every intermediate value of one sample's forward pass."""

    z1: list[float]
    a1: list[float]
    z2: float
    y_hat: float


@dataclass
class Gradients:
    """∂L/∂ for every parameter, shaped like ``Weights``, plus the two z's."""

    dz2: float
    dW2: Matrix
    db2: list[float]
    dz1: list[float]
    dW1: Matrix
    db1: list[float]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def forward(p: Weights, x: Sequence[float]) -> Forward:
    """``z1 = W1·X + b1``, ``a1 = ReLU(z1)``, ``z2 = W2·a1 + b2``, ``ŷ = σ(z2)``."""
    z1 = [sum(w * xi for w, xi in zip(row, x)) + b for row, b in zip(p.W1, p.b1)]
    a1 = [max(0.0, z) for z in z1]
    z2 = sum(w * a for w, a in zip(p.W2[0], a1)) + p.b2[0]
    return Forward(z1, a1, z2, sigmoid(z2))


def backward(p: Weights, x: Sequence[float], y: float) -> Gradients:
    """The article's closed forms for one sample."""
    f = forward(p, x)
    dz2 = f.y_hat - y  # ∂L/∂z2 = ŷ − y
    dW2 = [[dz2 * a for a in f.a1]]  # ∂L/∂W2 = ∂L/∂z2 · a1ᵀ
    db2 = [dz2]  # ∂L/∂b2 = ∂L/∂z2
    relu_prime = [1.0 if z > 0 else 0.0 for z in f.z1]  # ReLU'(0) = 0, as the engine
    dz1 = [p.W2[0][j] * dz2 * relu_prime[j] for j in range(3)]  # (W2ᵀ·∂L/∂z2) ⊙ ReLU'(z1)
    dW1 = [[dz1[j] * xi for xi in x] for j in range(3)]  # ∂L/∂W1 = ∂L/∂z1 · Xᵀ
    db1 = list(dz1)  # ∂L/∂b1 = ∂L/∂z1
    return Gradients(dz2, dW2, db2, dz1, dW1, db1)


def batch_backward(p: Weights, X: Sequence[Sequence[float]], y: Sequence[float]) -> Gradients:
    """The closed forms over a batch with a mean loss: the mean of per-sample gradients."""
    per_sample = [backward(p, x, t) for x, t in zip(X, y)]
    m = len(per_sample)

    def mean(values: list[float]) -> float:
        return sum(values) / m

    def mean_vector(pick) -> list[float]:  # type: ignore[no-untyped-def]
        return [mean(column) for column in zip(*(pick(g) for g in per_sample))]

    def mean_matrix(pick) -> Matrix:  # type: ignore[no-untyped-def]
        rows = len(pick(per_sample[0]))
        return [mean_vector(lambda g, r=r: pick(g)[r]) for r in range(rows)]

    return Gradients(
        dz2=mean([g.dz2 for g in per_sample]),
        dW2=mean_matrix(lambda g: g.dW2),
        db2=mean_vector(lambda g: g.db2),
        dz1=mean_vector(lambda g: g.dz1),
        dW1=mean_matrix(lambda g: g.dW1),
        db1=mean_vector(lambda g: g.db1),
    )


def engine_gradients(model: MLP) -> Gradients:
    """The engine's ``.grad`` of each parameter, arranged like the closed forms.

    (``dz2`` and ``dz1`` are not parameters; they are left as nan here.)
    """
    hidden, output = model.layers
    return Gradients(
        dz2=math.nan,
        dW2=[[w.grad for w in n.w] for n in output.neurons],
        db2=[n.b.grad for n in output.neurons],
        dz1=[math.nan] * 3,
        dW1=[[w.grad for w in n.w] for n in hidden.neurons],
        db1=[n.b.grad for n in hidden.neurons],
    )
