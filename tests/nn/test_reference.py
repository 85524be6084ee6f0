"""The engine's gradients equal the article's closed forms (SEED.md) to 1e-12."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn import reference
from nn.losses import bce_with_logits

coordinate = st.floats(-3.0, 3.0)
sample = st.tuples(coordinate, coordinate).map(list)


def flat(g: reference.Gradients) -> list[float]:
    return [*(w for row in g.dW1 for w in row), *g.db1, *g.dW2[0], *g.db2]


def assert_close(engine: reference.Gradients, closed: reference.Gradients) -> None:
    for a, b in zip(flat(engine), flat(closed), strict=True):
        assert abs(a - b) <= 1e-12, (flat(engine), flat(closed))


def engine_batch_gradients(model: nn.MLP, X: list[list[float]], y: list[float]):
    model.zero_grad()
    bce_with_logits([model.logits(x) for x in X], y).backward()
    return reference.engine_gradients(model)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), x=sample, target=st.sampled_from([0.0, 1.0]))
def test_one_sample_matches_closed_forms(seed: int, x: list[float], target: float) -> None:
    model = nn.seed_network(seed=seed)
    engine = engine_batch_gradients(model, [x], [target])
    closed = reference.backward(reference.Weights.of(model), x, target)
    assert_close(engine, closed)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    X=st.lists(sample, min_size=1, max_size=12),
    data=st.data(),
)
def test_batch_mean_matches_closed_forms(seed: int, X: list[list[float]], data) -> None:
    y = data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=len(X), max_size=len(X)))
    model = nn.seed_network(seed=seed)
    engine = engine_batch_gradients(model, X, y)
    closed = reference.batch_backward(reference.Weights.of(model), X, y)
    assert_close(engine, closed)


def test_elementary_neurons_match_closed_forms_too() -> None:
    model = nn.seed_network(seed=3, fused=False)
    engine = engine_batch_gradients(model, [[0.3, -1.2]], [1.0])
    closed = reference.backward(reference.Weights.of(model), [0.3, -1.2], 1.0)
    assert_close(engine, closed)


def test_relu_kink_exactly_at_zero() -> None:
    rng = random.Random(1)
    model = nn.seed_network(seed=5)
    x = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
    # Put every hidden neuron exactly on its kink: z1 = W1·x + b1 = 0.
    for neuron in model.layers[0].neurons:
        neuron.b.data = -(0.0 + neuron.w[0].data * x[0] + neuron.w[1].data * x[1])
    forward = reference.forward(reference.Weights.of(model), x)
    assert forward.z1 == [0.0, 0.0, 0.0]
    engine = engine_batch_gradients(model, [x], [1.0])
    closed = reference.backward(reference.Weights.of(model), x, 1.0)
    assert_close(engine, closed)
    assert closed.dz1 == [0.0, 0.0, 0.0]  # ReLU'(0) = 0 on both sides


def test_dz2_is_prediction_minus_target() -> None:
    model = nn.seed_network(seed=2)
    x = [0.5, -0.25]
    z2 = model.logits(x)
    loss = bce_with_logits([z2], [1.0])
    loss.backward()
    y_hat = reference.forward(reference.Weights.of(model), x).y_hat
    assert abs(z2.grad - (y_hat - 1.0)) <= 1e-15


def test_layer_view_shows_the_closed_form_numbers() -> None:
    from autograd.step import fmt
    from nn.steps import layer_view

    model = nn.seed_network(seed=4)
    x, y = [0.7, -1.3], 0.0
    rows = dict(layer_view(model, x, y))
    closed = reference.backward(reference.Weights.of(model), x, y)
    assert rows["∂L/∂b2 = ∂L/∂z2"] == fmt(closed.db2[0])
    assert rows["∂L/∂b1 = ∂L/∂z1"] == "[" + ", ".join(fmt(g) for g in closed.db1) + "]"
    assert rows["∂L/∂z2 = ŷ − y"].endswith(f"= {fmt(closed.dz2)}")
    dW1 = "[" + ", ".join("[" + ", ".join(fmt(g) for g in row) + "]" for row in closed.dW1) + "]"
    assert rows["∂L/∂W1 = ∂L/∂z1 · Xᵀ"].endswith(dW1)
