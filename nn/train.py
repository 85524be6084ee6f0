"""Training: forward → loss → backward → update, repeated (the article's loop)."""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import autograd
from autograd import Value, collector_paused
from autograd.language import text
from nn.data import batches, check_batch_size
from nn.layers import MLP
from nn.losses import LOSSES, RECORDABLE, check_targets
from nn.optim import Optimizer, Snapshot, make_optimizer


@dataclass
class History:
    """Per-epoch loss (mean over the epoch's batches) and training accuracy.

    ``interrupted`` is True when Ctrl-C (KeyboardInterrupt) stopped ``fit``
    early: the lists then hold the epochs that finished.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    interrupted: bool = False


def forward_batch(model: MLP, X: Sequence[Sequence[float]], loss: str) -> list[Value]:
    """The model's outputs for a batch, as the loss wants them.

    ``bce`` works on logits, so for it the model's last activation (the
    sigmoid) is left to the loss; the other losses take the model's output.
    """
    if loss == "bce":
        return [model.logits(x) for x in X]
    return [model(x) for x in X]


def predict(model: MLP, X: Sequence[Sequence[float]]) -> list[Any]:
    """The model's output for each sample, without recording a graph.

    Args:
        model: the model.
        X: the samples: a list of feature lists, or a 2-D numpy array.

    Returns:
        One float per sample; for a model with several outputs, one list of
        floats per sample.

    Raises:
        ValueError, TypeError: if X is empty or not a sequence of samples of
            ``model.nin`` numbers.
    """
    return _predict(model, _samples(X, model.nin))


def _predict(model: MLP, samples: list[list[Any]]) -> list[Any]:
    # On floats, with the forward pass's own functions: the same numbers.
    outputs = [layers[-1] for layers in model.layer_outputs(samples)]
    if model.sizes[-1] == 1:
        return [out[0] for out in outputs]
    return outputs


def decision_threshold(model: MLP) -> float:
    """Where a model's output separates the classes: 0.5 after a sigmoid, else 0."""
    return 0.5 if model.activations[-1] == "sigmoid" else 0.0


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
    """Fraction of samples classified right (labels 0/1, or −1/+1).

    Args:
        model: a model with one output.
        X: the samples: a list of feature lists, or a 2-D numpy array.
        y: one label per sample (a list or a numpy array).

    Raises:
        ValueError, TypeError: if X is empty, X and y differ in length, a
            sample is not made of real numbers, or a label is not 0, 1 or -1.
    """
    _check_one_output(model, "accuracy")
    samples = _samples(X, model.nin)
    labels = _labels(y, len(samples))
    for i, label in enumerate(labels):
        if label not in (0.0, 1.0, -1.0):  # nan too
            raise ValueError(text("error.fit.accuracy_labels", label=label, index=i))
    return _accuracy(model, samples, labels)


def _accuracy(model: MLP, samples: list[list[Any]], labels: list[float]) -> float:
    threshold = decision_threshold(model)
    outputs = _predict(model, samples)
    right = sum((out > threshold) == (label > 0) for out, label in zip(outputs, labels))
    return right / len(samples)


def _check_one_output(model: MLP, what: str) -> None:
    if model.sizes[-1] != 1:
        raise ValueError(text("error.fit.one_output", what=what, count=model.sizes[-1]))


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
    weight_decay: float = 0.0,
    seed: int = 0,
    progress: bool | None = None,
    on_epoch: Callable[[int, History], None] | None = None,
    compiled: bool = False,
) -> History:
    """Train ``model`` on ``(X, y)`` and return the history.

    Args:
        model: the model to train (its parameters change in place).
        X: the samples: a list of feature lists, or a 2-D numpy array.
        y: one label per sample (a list or a numpy array): 0/1 for bce and
            bce_prob, 0/1 or −1/+1 for hinge, any number for mse.
        loss: bce (on logits, for a sigmoid output), bce_prob, mse or hinge.
        optimizer: sgd, momentum, adam, or an ``Optimizer`` instance.
        lr: learning rate (when ``optimizer`` is a name).
        epochs: passes over the data.
        batch_size: samples per update, at least 1; None for the full batch.
        weight_decay: λ of an L2 penalty: the loss minimised is
            ``loss + λ·Σp²`` over every parameter (weights and biases), as in
            micrograd's demo (``weight_decay=1e-4`` with ``loss="hinge"``).
            The penalty's gradient is ``2·λ·p``, so the article's update
            ``W ← W − η·∂L/∂W`` becomes ``W ← W − η·(∂L/∂W + 2·λ·W)``: each
            step also shrinks every parameter toward 0 by the factor
            ``1 − 2·η·λ``. (PyTorch's ``weight_decay=λ`` adds ``λ·W`` to the
            gradient, which is this with λ/2.) The history's loss includes the
            penalty.
        seed: shuffles the batches (the same seed, the same run).
        progress: show a progress bar; None means "only in a terminal".
        on_epoch: called after each epoch with ``(epoch, history)``.
        compiled: record the training step once per batch size and replay
            it (``autograd.record``): the same losses, gradients and
            parameters bit for bit, several times faster. The batch's
            features and labels are leaves of the recorded graph, set for
            each batch. Needs a loss that is safe to record (bce, mse,
            hinge: ``nn.losses.RECORDABLE``); the training accuracy is
            computed by a replay too.

    Returns:
        The ``History``: loss and training accuracy per epoch.

    Ctrl-C (KeyboardInterrupt, a notebook's stop button) does not raise: it
    ends training and ``fit`` returns the History of the finished epochs
    with ``interrupted=True``, so the curve so far can still be plotted. The
    model keeps every finished update and never half of one: an update cut
    short is undone. It may be a few updates past the last epoch in the
    History (those of the unfinished epoch).

    Raises:
        ValueError, TypeError: for bad arguments, or samples or labels that
            the loss cannot use, or ``compiled`` with a loss not safe to
            record (bce_prob); checked before anything changes.
        FloatingPointError: if the loss or a parameter becomes nan or inf
            (usually a learning rate too large). The model is put back to the
            parameters at which the last finite loss was computed, and the
            History of the finished epochs is attached as ``error.history``.
    """
    if loss not in LOSSES:
        raise ValueError(
            text("error.fit.unknown_loss", given=repr(loss), choices=", ".join(LOSSES))
        )
    _check_one_output(model, "fit")
    samples = _samples(X, model.nin)
    labels = _labels(y, len(samples))
    check_targets(loss, labels)
    epochs = _whole_number(epochs, "epochs", minimum=1)
    seed = _whole_number(seed, "seed")
    check_batch_size(batch_size)
    batch_size = None if batch_size is None else int(batch_size)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(
            f"on_epoch must be a function called as on_epoch(epoch, history), got {on_epoch!r}"
        )
    if isinstance(weight_decay, bool) or not (
        isinstance(weight_decay, numbers.Real) and math.isfinite(weight_decay) and weight_decay >= 0
    ):
        raise ValueError(text("error.fit.weight_decay", given=repr(weight_decay)))
    if compiled and loss not in RECORDABLE:
        raise ValueError(
            f"loss {loss!r} cannot be recorded (compiled=True): its clamp is a Python decision "
            "on each prediction, which a replay would keep as first made. Use loss='bce' "
            "(on logits, stable without a clamp) or compiled=False"
        )
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer, model.parameters(), lr)
    else:
        _check_optimizer(optimizer, model)
    history = History()
    before: Snapshot | None = None  # the parameters at which the last finite loss was computed
    recorded: dict[int, _RecordedStep] = {}  # compiled: one recorded step per batch size
    predictions = _RecordedPredictions(model, samples) if compiled else None
    bar = _progress(range(epochs), progress)
    the_loss, a_parameter = text("error.fit.the_loss"), text("error.fit.a_parameter")
    try:
        for epoch in bar:
            optimizer.set_epoch(epoch)
            total, count = 0.0, 0
            for X_batch, y_batch in batches(
                samples, labels, batch_size, shuffle=True, seed=seed + epoch
            ):
                with collector_paused():  # graphs have no cycles: see collector_paused
                    if compiled:
                        step = recorded.get(len(X_batch))
                        if step is None:
                            step = _RecordedStep(model, X_batch, y_batch, loss, weight_decay)
                            recorded[len(X_batch)] = step
                        step.load(X_batch, y_batch)
                        # Forward and backward in one replay: the loss is known
                        # only with the gradients (undoing the update below
                        # restores the parameters all the same).
                        optimizer.zero_grad()
                        loss_value = step.tape.replay()
                        if not math.isfinite(loss_value):
                            _diverged(optimizer, before, history, epoch, epochs, the_loss)
                    else:
                        batch_loss = _batch_loss(model, X_batch, y_batch, loss, weight_decay)
                        loss_value = batch_loss.data
                        if not math.isfinite(loss_value):
                            # The last update led here: undo it.
                            _diverged(optimizer, before, history, epoch, epochs, the_loss)
                        optimizer.zero_grad()
                        batch_loss.backward()
                    before = optimizer.snapshot()
                    try:
                        optimizer.step()
                    except BaseException:  # Ctrl-C or an error mid-update: undo all of it
                        optimizer.restore(before)
                        raise
                    if not optimizer.parameters_finite():
                        _diverged(optimizer, before, history, epoch, epochs, a_parameter)
                total += loss_value * len(X_batch)
                count += len(X_batch)
            if predictions is None:
                epoch_accuracy = _accuracy(model, samples, labels)
            else:
                epoch_accuracy = predictions.accuracy(labels)
            history.loss.append(total / count)
            history.accuracy.append(epoch_accuracy)
            if on_epoch is not None:
                on_epoch(epoch, history)
    except KeyboardInterrupt:
        # A stop between the two appends above must not leave the lists uneven.
        del history.loss[len(history.accuracy) :]
        del history.accuracy[len(history.loss) :]
        history.interrupted = True
        print(text("fit.interrupted", finished=len(history.loss), epochs=epochs), file=sys.stderr)
    finally:
        if hasattr(bar, "close"):
            bar.close()
    return history


def _whole_number(value: Any, name: str, minimum: int | None = None) -> int:
    """``value`` as an int (numpy's integers too), or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if minimum is None:
            raise ValueError(text("error.fit.whole_number", name=name, given=repr(value)))
        raise ValueError(
            text("error.fit.whole_number_at_least", name=name, minimum=minimum, given=repr(value))
        )
    if minimum is not None and value < minimum:
        raise ValueError(text("error.fit.at_least", name=name, minimum=minimum, given=repr(value)))
    return int(value)


def _check_optimizer(optimizer: Any, model: MLP) -> None:
    """An Optimizer that updates this model's parameters, or a clear error."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            "optimizer must be a name (sgd, momentum or adam) or an nn.Optimizer such as "
            f"nn.SGD(model.parameters(), lr=0.1), got {optimizer!r}"
        )
    # The loss depends on this model alone: a parameter from elsewhere would
    # get no gradient, and an optimizer made for another model trains nothing.
    own = set(model.parameters())
    strangers = sum(1 for p in optimizer.parameters if p not in own)
    if strangers:
        raise ValueError(
            f"{strangers} of the optimizer's {len(optimizer.parameters)} parameters are not "
            "this model's (was it made for another model?): make it with model.parameters()"
        )


def _batch_loss(
    model: MLP, X_batch: Sequence[Any], y_batch: Sequence[Any], loss: str, weight_decay: float
) -> Value:
    """The loss ``fit`` minimises on one batch: the loss, plus ``λ·Σp²`` if any."""
    batch_loss = LOSSES[loss](forward_batch(model, X_batch, loss), y_batch)
    if weight_decay:
        # Σp² as one dot node, p·p; each p gets 2·p back.
        parameters = model.parameters()
        batch_loss = batch_loss + weight_decay * autograd.dot(parameters, parameters)
    return batch_loss


class _RecordedStep:
    """One batch size's training step, recorded: forward, loss and backward.

    The batch's features and targets are leaf Values of the recorded graph
    (constants would be baked into it); ``load`` sets them for a batch, and
    ``tape.replay()`` fills the parameters' gradients and returns the loss.
    The graph is built exactly as ``_batch_loss`` builds it, with the loss's
    recordable form (``nn.losses.RECORDABLE``), so the numbers are the same.
    """

    def __init__(
        self,
        model: MLP,
        X_batch: Sequence[Sequence[Any]],
        y_batch: Sequence[float],
        loss: str,
        weight_decay: float,
    ) -> None:
        loss_function, self.target = RECORDABLE[loss]
        features = [[Value(0.0) for _ in x] for x in X_batch]
        targets = [Value(0.0) for _ in y_batch]
        self.features = [leaf for row in features for leaf in row]
        self.targets = targets
        self.load(X_batch, y_batch)
        outputs = forward_batch(model, features, loss)
        batch_loss = loss_function(outputs, targets)
        if weight_decay:
            parameters = model.parameters()
            batch_loss = batch_loss + weight_decay * autograd.dot(parameters, parameters)
        self.tape = autograd.record(batch_loss, wrt=model.parameters())

    def load(self, X_batch: Sequence[Sequence[Any]], y_batch: Sequence[float]) -> None:
        """Put a batch's features and targets into the leaves."""
        values = [v if type(v) is float else v.data for x in X_batch for v in x]
        for leaf, value in zip(self.features, values):
            leaf.data = value
        target = self.target
        for leaf, label in zip(self.targets, y_batch):
            leaf.data = target(label)


class _RecordedPredictions:
    """The model's output on every training sample, recorded for the accuracy.

    A forward pass only (no gradients), on the samples as constants; replays
    give ``predict``'s numbers bit for bit.
    """

    def __init__(self, model: MLP, samples: list[list[Any]]) -> None:
        with collector_paused():
            rows = [[x if type(x) is float else x.data for x in sample] for sample in samples]
            outputs = [model(row) for row in rows]
            self.tape = autograd.record(autograd.sum(outputs), wrt=(), also=outputs)
        self.threshold = decision_threshold(model)

    def accuracy(self, labels: list[float]) -> float:
        self.tape.replay()
        threshold = self.threshold
        right = sum(
            (out > threshold) == (label > 0) for out, label in zip(self.tape.values, labels)
        )
        return right / len(labels)


def _diverged(
    optimizer: Optimizer,
    before: Snapshot | None,
    history: History,
    epoch: int,
    epochs: int,
    what: str,
) -> None:
    """Undo the last update and raise the FloatingPointError that ``fit`` documents."""
    diverged = text("error.fit.diverged", epoch=epoch + 1, epochs=epochs, what=what)
    if before is None:  # the very first loss: no update to blame
        _raise_with_history(text("error.fit.before_any_update", diverged=diverged), history)
    optimizer.restore(before)
    # A tenth of a huge rate (1e5) diverges too: never suggest more than 0.1.
    smaller = min(optimizer.lr / 10, 0.1)
    said = text(
        "error.fit.lr_too_large", diverged=diverged, lr=f"{optimizer.lr:g}", smaller=f"{smaller:g}"
    )
    _raise_with_history(said, history)


def _raise_with_history(message: str, history: History) -> None:
    error = FloatingPointError(message)
    error.history = history  # type: ignore[attr-defined]
    raise error


def _samples(X: Any, nin: int) -> list[list[Any]]:
    """X as a list of feature lists, numbers as floats, every sample of ``nin`` features.

    Accepts any sequence of samples, numpy arrays included (``not X`` would
    be ambiguous for an array, so lengths are compared instead).
    """
    try:
        count = len(X)
    except TypeError:
        raise TypeError(text("error.fit.samples", type=type(X).__name__)) from None
    if count == 0:
        raise ValueError(text("error.fit.empty"))
    samples = []
    for i, x in enumerate(X):
        if isinstance(x, Value | numbers.Real) or not hasattr(x, "__len__"):
            raise TypeError(
                text("error.fit.sample_not_a_sequence", index=i, given=repr(x), nin=nin)
            )
        if len(x) != nin:
            raise ValueError(text("error.fit.sample_features", index=i, count=len(x), nin=nin))
        row: list[Any] = []
        for j, v in enumerate(x):
            if type(v) is not float and not isinstance(v, Value):
                if isinstance(v, str) or not isinstance(v, numbers.Real):
                    raise TypeError(
                        text("error.fit.feature_not_a_number", index=i, feature=j, given=repr(v))
                    )
                v = float(v)
            if type(v) is float and not math.isfinite(v):
                raise ValueError(text("error.fit.feature_not_finite", index=i, feature=j, given=v))
            row.append(v)
        samples.append(row)
    return samples


def _labels(y: Any, count: int) -> list[float]:
    """y as a list of floats, one per sample."""
    try:
        size = len(y)
    except TypeError:
        raise TypeError(text("error.fit.labels", type=type(y).__name__)) from None
    if size != count:
        raise ValueError(text("error.fit.one_label_per_sample", samples=count, labels=size))
    labels = []
    for i, label in enumerate(y):
        if isinstance(label, Value) or not isinstance(label, numbers.Real):
            raise TypeError(text("error.fit.label_not_a_number", index=i, given=repr(label)))
        labels.append(float(label))
    return labels


def _progress(epochs: range, show: bool | None) -> Iterable[int]:
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return epochs
    try:
        from tqdm import tqdm
    except ImportError:  # the progress extra is not installed: train quietly
        return epochs
    return tqdm(epochs, desc=text("fit.progress"), unit=text("fit.epoch"), leave=False)
