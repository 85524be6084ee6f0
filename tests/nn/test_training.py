"""Losses, optimizers, data and training: the article's loop learns."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value
from nn import data, losses
from nn.__main__ import DEFAULTS
from nn.optim import SGD, Adam


def test_sgd_is_exactly_the_articles_update() -> None:
    w = Value(1.0)
    w.grad = 0.25
    SGD([w], lr=0.1).step()
    assert w.data == 1.0 - 0.1 * 0.25


def test_momentum_and_adam_move_against_the_gradient() -> None:
    for optimizer_class, kwargs in ((SGD, {"momentum": 0.9}), (Adam, {})):
        w = Value(2.0)
        optimizer = optimizer_class([w], lr=0.1, **kwargs)
        for _ in range(50):
            optimizer.zero_grad()
            (w * w).backward()
            optimizer.step()
        assert abs(w.data) < 1.0, optimizer_class


def test_schedule_sets_the_learning_rate() -> None:
    optimizer = SGD([Value(1.0)], lr=1.0, schedule=lambda epoch: 1.0 / (1 + epoch))
    optimizer.set_epoch(3)
    assert optimizer.lr == 0.25


def test_bad_optimizer_settings() -> None:
    with pytest.raises(ValueError, match="learning rate"):
        SGD([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)


def test_losses_values() -> None:
    p = [Value(0.8), Value(0.3)]
    y = [1.0, 0.0]
    expected_bce = -(math.log(0.8) + math.log(0.7)) / 2
    assert losses.bce(p, y).data == pytest.approx(expected_bce)
    z = [Value(math.log(0.8 / 0.2)), Value(math.log(0.3 / 0.7))]
    assert losses.bce_with_logits(z, y).data == pytest.approx(expected_bce)
    assert losses.mse(p, y).data == pytest.approx((0.04 + 0.09) / 2)
    assert losses.hinge([Value(0.5), Value(-2.0)], [1.0, 0.0]).data == pytest.approx(0.25)
    saturated = losses.bce([Value(1.0)], [0.0])
    assert math.isfinite(saturated.data)
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        losses.mse(p, [1.0])


def test_bce_with_logits_gradient_is_mean_of_prediction_minus_target() -> None:
    z = [Value(0.3), Value(-1.2), Value(2.0)]
    y = [1.0, 0.0, 1.0]
    losses.bce_with_logits(z, y).backward()
    for zi, yi in zip(z, y):
        y_hat = 1 / (1 + math.exp(-zi.data))
        assert zi.grad == pytest.approx((y_hat - yi) / 3, abs=1e-16)


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_datasets_are_seeded(name: str) -> None:
    make = data.DATASETS[name]
    first, again, other = make(seed=1), make(seed=1), make(seed=2)
    assert first == again
    X, y = first
    assert len(X) == len(y) and set(y) <= {0.0, 1.0} and all(len(x) == 2 for x in X)
    if name != "xor":
        assert first != other


def test_split_and_batches() -> None:
    X, y = data.moons(40)
    (train_X, train_y), (test_X, test_y) = data.train_test_split(X, y, 0.25, seed=0)
    assert len(train_X) == 30 and len(test_X) == 10
    assert sorted(map(tuple, train_X + test_X)) == sorted(map(tuple, X))
    sizes = [len(b[0]) for b in data.batches(X, y, batch_size=16)]
    assert sizes == [16, 16, 8]
    with pytest.raises(ValueError, match="at least 4"):
        data.xor(2)


def train_default(dataset: str) -> tuple[nn.MLP, nn.History]:
    make = data.DATASETS[dataset]
    X, y = make() if dataset == "xor" else make(DEFAULTS["samples"])
    model = nn.seed_network(seed=0)
    history = nn.fit(
        model,
        X,
        y,
        epochs=DEFAULTS["epochs"],
        lr=DEFAULTS["lr"],
        optimizer=DEFAULTS["optimizer"],
        progress=False,
    )
    return model, history


def test_xor_reaches_full_accuracy_with_demo_defaults() -> None:
    model, history = train_default("xor")
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < history.loss[0]


@pytest.mark.slow
def test_moons_reaches_97_percent_with_demo_defaults() -> None:
    model, history = train_default("moons")
    assert history.accuracy[-1] >= 0.97
    X_test, y_test = data.moons(DEFAULTS["samples"], seed=1000)
    assert nn.accuracy(model, X_test, y_test) >= 0.9


def test_fit_rejects_bad_arguments() -> None:
    model = nn.seed_network()
    X, y = data.xor()
    with pytest.raises(ValueError, match="unknown loss"):
        nn.fit(model, X, y, loss="cross")
    with pytest.raises(ValueError, match="unknown optimizer"):
        nn.fit(model, X, y, optimizer="rmsprop")
    with pytest.raises(ValueError, match="epochs"):
        nn.fit(model, X, y, epochs=0)
