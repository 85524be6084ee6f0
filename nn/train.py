"""Training: forward → loss → backward → update, repeated (the article's loop)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd import Value, collector_paused, no_grad
from nn.data import batches
from nn.layers import MLP
from nn.losses import LOSSES
from nn.optim import Optimizer, make_optimizer


@dataclass
class History:
    """Per-epoch loss (mean over the epoch's batches) and training accuracy."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def forward_batch(model: MLP, X: Sequence[Sequence[float]], loss: str) -> list[Value]:
    """The model's outputs for a batch, as the loss wants them.

    ``bce`` works on logits, so for it the model's last activation (the
    sigmoid) is left to the loss; the other losses take the model's output.
    """
    if loss == "bce":
        return [model.logits(x) for x in X]
    return [model(x) for x in X]


def predict(model: MLP, X: Sequence[Sequence[float]]) -> list[float]:
    """The model's output for each sample, without recording a graph."""
    with no_grad():
        return [model(x).data for x in X]


def decision_threshold(model: MLP) -> float:
    """Where a model's output separates the classes: 0.5 after a sigmoid, else 0."""
    return 0.5 if model.activations[-1] == "sigmoid" else 0.0


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
    """Fraction of samples classified right (labels 0/1, or −1/+1)."""
    if not X:
        raise ValueError("accuracy of an empty dataset is undefined")
    threshold = decision_threshold(model)
    outputs = predict(model, X)
    right = sum((out > threshold) == (label > 0) for out, label in zip(outputs, y))
    return right / len(X)


def fit(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    loss: str = "bce",
    optimizer: str | Optimizer = "sgd",
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    progress: bool | None = None,
    on_epoch: Callable[[int, History], None] | None = None,
) -> History:
    """Train ``model`` on ``(X, y)`` and return the history.

    Args:
        loss: bce (on logits, for a sigmoid output), bce_prob, mse or hinge.
        optimizer: sgd, momentum, adam, or an ``Optimizer`` instance.
        lr: learning rate (when ``optimizer`` is a name).
        epochs: passes over the data.
        batch_size: samples per update; None for the full batch.
        seed: shuffles the batches (the same seed, the same run).
        progress: show a progress bar; None means "only in a terminal".
        on_epoch: called after each epoch with ``(epoch, history)``.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    if len(X) != len(y) or not X:
        raise ValueError(f"need matching, non-empty X and y, got {len(X)} rows, {len(y)} labels")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive whole number, got {epochs!r}")
    loss_function = LOSSES[loss]
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, model.parameters(), lr)
    history = History()
    for epoch in _progress(range(epochs), progress):
        optimizer.set_epoch(epoch)
        total, count = 0.0, 0
        for X_batch, y_batch in batches(X, y, batch_size, shuffle=True, seed=seed + epoch):
            with collector_paused():  # graphs have no cycles: see collector_paused
                batch_loss = loss_function(forward_batch(model, X_batch, loss), y_batch)
                optimizer.zero_grad()
                batch_loss.backward()
                optimizer.step()
            total += batch_loss.data * len(X_batch)
            count += len(X_batch)
        history.loss.append(total / count)
        history.accuracy.append(accuracy(model, X, y))
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history


def _progress(epochs: range, show: bool | None) -> range:
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return epochs
    try:
        from tqdm import tqdm
    except ImportError:  # the progress extra is not installed: train quietly
        return epochs
    return tqdm(epochs, desc="training", unit="epoch", leave=False)
