"""More than two classes: three-class data, cross-entropy training, accuracy by argmax."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from nn import data, evaluate, losses


def train(X, y, epochs: int = 60, lr: float = 0.5, seed: int = 0):  # type: ignore[no-untyped-def]
    """Full-batch gradient descent on the mean cross-entropy."""
    model = nn.MLP(2, [8, 3], seed=seed)
    curve = []
    for _ in range(epochs):
        loss = losses.cross_entropy([model(x) for x in X], y)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        curve.append(loss.data)
    return model, curve


def test_three_blobs_are_learned() -> None:
    X, y = data.blobs(n=90, classes=3, seed=1)
    assert sorted(set(y)) == [0.0, 1.0, 2.0]
    model, curve = train(X, y)
    assert curve[-1] < 0.2 * curve[0]
    assert evaluate.accuracy(model, X, y) >= 0.95
    assert nn.accuracy(model, X, y) == evaluate.accuracy(model, X, y)


def test_three_spiral_arms_are_learned_better_than_a_guess() -> None:
    X, y = data.spirals(n=90, classes=3, noise=0.02, turns=0.5, seed=0)
    model, _ = train(X, y, epochs=150, lr=0.5)
    assert evaluate.accuracy(model, X, y) >= 0.8


def test_training_is_the_same_for_the_same_seed() -> None:
    X, y = data.blobs(n=30, classes=3, seed=4)
    first, curve = train(X, y, epochs=5, seed=3)
    again, curve_again = train(X, y, epochs=5, seed=3)
    assert curve == curve_again
    assert [p.data for p in first.parameters()] == [p.data for p in again.parameters()]
    assert data.spirals(classes=3, seed=2) == data.spirals(classes=3, seed=2)


@pytest.mark.parametrize("make", [data.blobs, data.spirals])
def test_two_classes_stay_as_they_were(make) -> None:  # type: ignore[no-untyped-def]
    assert make(seed=5) == make(seed=5, classes=2)
    assert set(make(seed=5)[1]) == {0.0, 1.0}


@pytest.mark.parametrize("classes", [1, 11, 2.0, True, "3"])
def test_a_bad_number_of_classes_is_refused(classes: object) -> None:
    with pytest.raises(ValueError, match="classes"):
        data.blobs(classes=classes)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.floats(-4, 4), min_size=3, max_size=3), min_size=1, max_size=4), st.data()
)
def test_the_batch_loss_is_the_mean_and_its_gradient_p_minus_y_over_m(rows, draw) -> None:  # type: ignore[no-untyped-def]
    labels = [draw.draw(st.integers(0, 2)) for _ in rows]
    leaves = [[autograd.Value(z) for z in row] for row in rows]
    loss = losses.cross_entropy(leaves, labels)
    loss.backward()
    m = len(rows)
    for row, label, values in zip(rows, labels, leaves):
        total = math.fsum(math.exp(z) for z in row)
        for i, z in enumerate(row):
            assert values[i].grad == pytest.approx(
                (math.exp(z) / total - (i == label)) / m, abs=1e-12
            )
    expected = sum(
        -math.log(math.exp(r[k]) / math.fsum(map(math.exp, r))) for r, k in zip(rows, labels)
    )
    assert loss.data == pytest.approx(expected / m, rel=1e-12)


def test_classify_and_predict() -> None:
    X, y = data.blobs(n=30, classes=3, seed=1)
    model, _ = train(X, y, epochs=40)
    outputs = evaluate.predict(model, X)
    assert all(len(out) == 3 for out in outputs)
    classes = evaluate.classify(model, X)
    assert classes == [max(range(3), key=out.__getitem__) for out in outputs]
    two = nn.MLP(2, [4, 1], seed=0)
    assert evaluate.classify(two, X) == [int(p > 0.0) for p in evaluate.predict(two, X)]


def test_mistakes_are_explained() -> None:
    model = nn.MLP(2, [4, 3], seed=0)
    with pytest.raises(ValueError, match="0 to 2"):
        evaluate.accuracy(model, [[0.0, 0.0]], [3])
    with pytest.raises(TypeError, match="list of the model's logits"):
        losses.cross_entropy([autograd.Value(1.0)], [0])
    with pytest.raises(ValueError, match="cross_entropy"):
        losses.cross_entropy([], [])
    assert evaluate.argmax([1.0, 3.0, 3.0, 2.0]) == 1


def test_an_mlps_cross_entropy_is_named_as_the_article_names_its_loss() -> None:
    import autograd.draw
    from autograd.step import steps

    model = nn.MLP(2, [3, 3])
    loss = nn.losses.cross_entropy([model([0.5, -1.0])], [2])
    names = [s.name for s in steps(loss) if s.phase == "forward"]
    assert names[-1] == "L" and "ℓ" in names and "z2[2]" in names
    assert "CE(softmax(z2), y)" in autograd.draw.draw(loss).source
