"""Training: forward → loss → backward → update, repeated (the article's loop).

``TrainingLoop`` is that loop, written once: the batches, the step (built,
or recorded once and replayed), the guard around every update (an update
cut short by Ctrl-C or gone nan/inf is undone), the history, and a check
at the end that training learned something. ``fit`` drives it for a number
of epochs; the playground (``nn.play``) drives the same object a few epochs
per frame.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import autograd
from autograd import Value, collector_paused
from autograd.language import text
from nn import checks
from nn.data import batches, check_batch_size
from nn.diagnosis import diagnose
from nn.evaluate import accuracy, decision_threshold, fraction_right, predict
from nn.layers import MLP
from nn.losses import LOSSES, ON_LOGITS, RECORDABLE, check_outputs, check_targets, recorded_target
from nn.optim import Optimizer, Snapshot, finite
from nn.recorded import RecordedPredictions, RecordedStep

__all__ = [
    "Diverged",
    "History",
    "Step",
    "TrainingLoop",
    "TrainingWarning",
    "accuracy",
    "decision_threshold",
    "fit",
    "forward_batch",
    "predict",
]

#: One training step: a batch ``(X, y)`` in; the parameters updated from its
#: gradients; the batch's loss before the update out.
Step = Callable[[list[list[Any]], list[float]], float]

# What a learner reads when training goes wrong is in the message catalogue (fit.*, error.fit.*).


@dataclass
class History:
    """Per-epoch loss (mean over the epoch's batches) and training accuracy.

    ``interrupted`` is True when Ctrl-C (KeyboardInterrupt) stopped training
    early: the lists then hold the epochs that finished. ``warning`` says,
    when training ended, that it diverged or stalled and what to try ("" when
    it learned; ``fit`` also issues it as a ``TrainingWarning``).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    interrupted: bool = False
    warning: str = ""


class TrainingWarning(UserWarning):
    """Training ended without learning: the loss rose, or got stuck no better than a guess."""


class Diverged(FloatingPointError):
    """Training stopped: the loss or a parameter became nan or inf.

    The model holds the parameters from before the bad update. Attributes:
    ``epoch`` (from 1) and ``epochs`` (planned), ``what`` ("the loss" or "a
    parameter"), ``lr`` (the learning rate then), ``suggested_lr``,
    ``before_any_update``, and ``history`` (the finished epochs).
    """

    def __init__(
        self,
        epoch: int,
        epochs: int,
        what: str,
        lr: float,
        before_any_update: bool,
        history: History,
    ) -> None:
        self.epoch, self.epochs, self.what, self.lr = epoch, epochs, what, lr
        # A tenth of a huge rate (1e5) diverges too: never suggest more than 0.1.
        self.suggested_lr = min(lr / 10, 0.1)
        self.before_any_update, self.history = before_any_update, history
        # what stays "the loss" or "a parameter" (data); the message says it in words.
        said_what = {
            "the loss": text("error.fit.the_loss"),
            "a parameter": text("error.fit.a_parameter"),
        }
        diverged = text(
            "error.fit.diverged", epoch=epoch, epochs=epochs, what=said_what.get(what, what)
        )
        if before_any_update:
            said = text("error.fit.before_any_update", diverged=diverged)
        else:
            smaller = f"{self.suggested_lr:g}"
            said = text("error.fit.lr_too_large", diverged=diverged, lr=f"{lr:g}", smaller=smaller)
        super().__init__(said)


class TrainingLoop:
    """The article's loop on one model and dataset, epoch by epoch, batch by batch.

    Every epoch visits each batch once (shuffled with ``seed + epoch``); each
    batch is one guarded update (``train_batch``): forward, loss, backward,
    update, undone as a whole if Ctrl-C cuts it short or if the loss or a
    parameter becomes nan or inf (then ``Diverged`` is raised). The step is
    recorded once per batch size and replayed (``autograd.record``) where
    that gives the same numbers as building the graph; otherwise the graph
    is built every time.

    Args:
        model, X, y, loss, optimizer, lr, batch_size, weight_decay, seed,
        compiled: as for ``fit``.
        track_accuracy: compute the training accuracy after each epoch
            (``history.accuracy``); a view that measures its own turns it off.
        reuse: a loop over the same model, loss and weight decay whose
            recorded steps this one may replay (they read the parameters'
            values at each replay), so that starting over records nothing.

    Attributes:
        model, optimizer, samples, labels, loss, batch_size, weight_decay,
        seed: what it trains, and how.
        compiled: whether the step is recorded and replayed.
        history: the ``History`` of every finished epoch.

    Raises:
        ValueError, TypeError: for bad arguments, checked before anything changes.
    """

    def __init__(
        self,
        model: MLP,
        X: Sequence[Sequence[float]],
        y: Sequence[float],
        *,
        loss: str = "bce",
        optimizer: str | Optimizer = "sgd",
        lr: float = 0.1,
        batch_size: int | None = None,
        weight_decay: float = 0.0,
        seed: int = 0,
        compiled: bool | None = None,
        track_accuracy: bool = True,
        reuse: TrainingLoop | None = None,
    ) -> None:
        if loss not in LOSSES:
            raise ValueError(
                text("error.fit.unknown_loss", given=repr(loss), choices=", ".join(LOSSES))
            )
        check_outputs(loss, model.sizes[-1], "fit")
        self.samples = checks.samples(X, model.nin)
        self.labels = checks.labels(y, len(self.samples))
        check_targets(loss, self.labels, classes=model.sizes[-1])
        self.seed = checks.whole_number(seed, "seed")
        check_batch_size(batch_size)
        self.batch_size = None if batch_size is None else int(batch_size)
        self.weight_decay = checks.weight_decay(weight_decay)
        checks.compiled(compiled, loss in RECORDABLE, loss)
        self.optimizer = checks.optimizer(optimizer, model, lr)
        self.model, self.loss = model, loss
        if compiled is None:
            # Exact where the loss has a recordable form and the features are
            # numbers (gradients flowing into Value features need the graph).
            plain = all(type(v) is float for row in self.samples for v in row)
            compiled = loss in RECORDABLE and plain
        self.compiled = compiled
        self.track_accuracy = track_accuracy
        self.history = History()
        # One recorded step per batch size; a loop of the same graph lends its own.
        self._recorded: dict[int, RecordedStep] = {}
        if reuse is not None and reuse.same_graph(model, loss, self.weight_decay):
            self._recorded = reuse._recorded
        self._predictions: RecordedPredictions | None = None
        self._before: Snapshot | None = None  # the parameters before the last update
        self._now: Snapshot | None = None  # the parameters now, within an epoch
        self._planned = 0

    def same_graph(self, model: MLP, loss: str, weight_decay: float) -> bool:
        """Whether this loop's recorded steps are the graphs of that model, loss and decay."""
        return (self.model, self.loss, self.weight_decay) == (model, loss, weight_decay)

    @property
    def epoch(self) -> int:
        """How many epochs have finished."""
        return len(self.history.loss)

    # -- one batch ----------------------------------------------------------------

    def batch_loss(
        self, X_batch: list[list[Any]], y_batch: list[Any], loss_function: Callable[..., Value]
    ) -> Value:
        """The loss minimised on one batch: ``loss_function``, plus ``λ·Σp²`` if any."""
        batch_loss = loss_function(forward_batch(self.model, X_batch, self.loss), y_batch)
        if self.weight_decay:
            # Σp² as one dot node, p·p; each p gets 2·p back.
            parameters = self.model.parameters()
            batch_loss = batch_loss + self.weight_decay * autograd.dot(parameters, parameters)
        return batch_loss

    def built_step(self, X_batch: list[list[Any]], y_batch: list[float]) -> float:
        """Forward, loss, ``backward()``, update, on a graph built for this batch."""
        batch_loss = self.batch_loss(X_batch, y_batch, LOSSES[self.loss])
        self.optimizer.zero_grad()
        batch_loss.backward()
        self.optimizer.step()
        return batch_loss.data

    def recorded_step(self, X_batch: list[list[Any]], y_batch: list[float]) -> float:
        """``built_step`` replayed from a recording: the same numbers, bit for bit.

        The graph is built and recorded once per batch size, with the
        samples and labels as leaves, then replayed for every batch: no Value
        is made and no rule looked up (see ``autograd.tape``). Forward and
        backward come in one replay: the loss is known with the gradients.
        """
        recorded = self._recorded.get(len(X_batch))
        if recorded is None:
            loss_function = RECORDABLE[self.loss][0]
            recorded = RecordedStep(
                lambda X, y: self.batch_loss(X, y, loss_function),
                recorded_target(self.loss, self.model.sizes[-1]),
                X_batch,
                y_batch,
                wrt=self.model.parameters(),
            )
            self._recorded[len(X_batch)] = recorded
        recorded.load(X_batch, y_batch)
        self.optimizer.zero_grad()
        loss = recorded.tape.replay()
        self.optimizer.step()
        return loss

    def step(self, X_batch: list[list[Any]], y_batch: list[float]) -> float:
        """The loop's own step: ``recorded_step`` if ``compiled``, else ``built_step``."""
        if self.compiled:
            return self.recorded_step(X_batch, y_batch)
        return self.built_step(X_batch, y_batch)

    def train_batch(
        self, X_batch: list[list[Any]], y_batch: list[float], step: Step | None = None
    ) -> float:
        """One guarded update: ``step`` (the loop's own by default) on one batch.

        Returns the batch's loss before the update.

        Raises:
            Diverged: if the loss or a parameter became nan or inf; the model
                then holds the parameters at which the last finite loss was
                computed.
        """
        optimizer = self.optimizer
        before = optimizer.snapshot() if self._now is None else self._now
        try:
            loss = step(X_batch, y_batch) if step is not None else self.step(X_batch, y_batch)
        except BaseException:  # Ctrl-C or an error mid-update: undo all of it
            optimizer.restore(before)
            raise
        after = optimizer.snapshot()
        # One test for the loss and every parameter: nan and inf survive a sum.
        if not math.isfinite(loss + sum(after[0])):
            if not math.isfinite(loss):
                # The loss was computed at ``before``: the update before it led here.
                self._diverge("the loss", before if self._before is None else self._before)
            if not finite(after[0]):  # not merely huge parameters adding up to inf
                self._diverge("a parameter", before)
        self._before = before
        if self._now is not None:  # within an epoch, nothing else moves the parameters
            self._now = after
        return loss

    def _diverge(self, what: str, good: Snapshot) -> None:
        first = self._before is None  # no update to blame
        self.optimizer.restore(good)
        epochs = max(self._planned, self.epoch + 1)
        raise Diverged(self.epoch + 1, epochs, what, self.optimizer.lr, first, self.history)

    # -- epochs -------------------------------------------------------------------

    def run_epoch(self, step: Step | None = None) -> float:
        """Every batch once, shuffled with ``seed + epoch``; returns the epoch's mean loss.

        The loss and (with ``track_accuracy``) the training accuracy go into the history.
        """
        self.optimizer.set_epoch(self.epoch)
        if step is None:
            step = self.recorded_step if self.compiled else self.built_step
        total = 0.0
        # Each update's snapshot is the next one's "before" (taken once per batch).
        self._now = self.optimizer.snapshot()
        try:
            with collector_paused():  # graphs have no cycles: see collector_paused
                for X_batch, y_batch in batches(
                    self.samples,
                    self.labels,
                    self.batch_size,
                    shuffle=True,
                    seed=self.seed + self.epoch,
                ):
                    total += self.train_batch(X_batch, y_batch, step) * len(X_batch)
        finally:
            self._now = None  # between epochs, anyone may change the parameters
        mean = total / len(self.samples)
        right = self.accuracy() if self.track_accuracy else None
        self.history.loss.append(mean)
        if right is not None:
            self.history.accuracy.append(right)
        return mean

    def train(
        self,
        epochs: int,
        *,
        on_epoch: Callable[[int, History], None] | None = None,
        step: Step | None = None,
        progress: bool | None = False,
    ) -> History:
        """Train ``epochs`` more epochs; returns the history (of every epoch so far).

        Args:
            epochs: how many.
            on_epoch: called after each epoch with ``(epoch, history)``, epoch from 0.
            step: a replacement for the loop's own step (it updates the
                parameters itself; the guard stays around it).
            progress: show a progress bar; None means "only in a terminal".

        Ctrl-C (KeyboardInterrupt) does not raise: training ends, the history
        holds the finished epochs and ``interrupted`` is True. When training
        ends otherwise, ``history.warning`` says whether it learned (``diagnose``).

        Raises:
            ValueError, TypeError: for epochs that are not a whole number >= 1, or
                an on_epoch that cannot be called.
            Diverged: see ``train_batch``.
        """
        epochs = checks.whole_number(epochs, "epochs", minimum=1)
        if on_epoch is not None and not callable(on_epoch):
            raise TypeError(text("error.fit.on_epoch", given=repr(on_epoch)))
        history = self.history
        start = self.epoch
        self._planned = start + epochs
        history.interrupted = False
        bar = _progress(range(epochs), progress)
        try:
            for _ in bar:
                self.run_epoch(step)
                if on_epoch is not None:
                    on_epoch(self.epoch - 1, history)
        except KeyboardInterrupt:
            # A stop between the two appends of run_epoch must not leave the lists uneven.
            if self.track_accuracy:
                del history.loss[len(history.accuracy) :]
                del history.accuracy[len(history.loss) :]
            history.interrupted = True
            finished = self.epoch - start
            print(text("fit.interrupted", finished=finished, epochs=epochs), file=sys.stderr)
        finally:
            if hasattr(bar, "close"):
                bar.close()
        history.warning = "" if history.interrupted else self.diagnose()
        return history

    # -- what the epochs show -------------------------------------------------------

    def accuracy(self) -> float:
        """The fraction of training samples classified right, at the current parameters."""
        if not self.compiled:
            return fraction_right(self.model, self.samples, self.labels)
        if self._predictions is None:
            self._predictions = RecordedPredictions(
                self.model, self.samples, decision_threshold(self.model)
            )
        return self._predictions.accuracy(self.labels)

    def diagnose(self) -> str:
        """Whether training learned: "" if so, else what went wrong and what to try
        (see ``nn.diagnosis``)."""
        return diagnose(
            self.history.loss, self.model, self.samples, self.labels, self.loss, self.optimizer.lr
        )


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
    compiled: bool | None = None,
) -> History:
    """Train ``model`` on ``(X, y)`` and return the history.

    Args:
        model: the model to train (its parameters change in place).
        X: the samples: a list of feature lists, or a 2-D numpy array.
        y: one label per sample (a list or a numpy array): 0/1 for bce and
            bce_prob, 0/1 or −1/+1 for hinge, any number for mse, the class
            0, 1, ..., k−1 for cross_entropy.
        loss: bce (on logits, for a sigmoid output), bce_prob, mse or hinge,
            for a model with one output; cross_entropy (on logits: the
            softmax is the loss's own) for a model with one output per
            class, such as ``MLP(2, [8, 3])`` for three classes.
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
        compiled: record the step once per batch size and replay it
            (``autograd.record``, the batch's features and labels as leaves):
            the same losses and parameters bit for bit, several times faster
            after a one-off compile. None (the default) records wherever
            that is exact (bce, mse, hinge or cross_entropy:
            ``nn.losses.RECORDABLE``, and samples of plain numbers) and
            builds every graph otherwise; True
            insists (an error for bce_prob); False always builds.

    Returns:
        The ``History``: loss and training accuracy per epoch (for several
        outputs, the share of samples whose largest output is their class).

    Ctrl-C (KeyboardInterrupt, a notebook's stop button) does not raise: it
    ends training and ``fit`` returns the History of the finished epochs
    with ``interrupted=True``, so the curve so far can still be plotted. The
    model keeps every finished update and never half of one: an update cut
    short is undone. It may be a few updates past the last epoch in the
    History (those of the unfinished epoch).

    Warns:
        TrainingWarning: when training ended without learning (the loss rose,
            or got stuck no better than a constant prediction), saying what
            to try; the same text is in ``history.warning``.

    Raises:
        ValueError, TypeError: for bad arguments, samples or labels that
            the loss cannot use (a class outside the model's outputs, say),
            a loss the model's outputs do not suit (cross_entropy on one
            output, bce on several), or ``compiled=True`` with a loss not
            safe to record (bce_prob); checked before anything changes.
        FloatingPointError: (``nn.train.Diverged``) if the loss or a parameter
            becomes nan or inf (usually a learning rate too large). The model
            is put back to the parameters at which the last finite loss was
            computed, and the History of the finished epochs is attached as
            ``error.history``.
    """
    loop = TrainingLoop(
        model,
        X,
        y,
        loss=loss,
        optimizer=optimizer,
        lr=lr,
        batch_size=batch_size,
        weight_decay=weight_decay,
        seed=seed,
        compiled=compiled,
    )
    history = loop.train(epochs, on_epoch=on_epoch, progress=progress)
    if history.warning:
        warnings.warn(history.warning, TrainingWarning, stacklevel=2)
    return history


def forward_batch(model: MLP, X: Sequence[Sequence[float]], loss: str) -> list[Any]:
    """The model's outputs for a batch, as the loss wants them.

    ``bce`` and ``cross_entropy`` work on logits (the last layer's ``z``):
    the sigmoid, or the softmax over the classes, is the loss's own, so the
    model's last activation is left out. The other losses take the model's
    output. One Value per sample, or for several outputs one list of them.
    """
    if loss in ON_LOGITS:
        return [model.logits(x) for x in X]
    return [model(x) for x in X]


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
