"""A training step recorded once and replayed (``autograd.record``), and the accuracy too.

A batch's graph has the same shape for every batch of its size: only the
numbers in its leaves change. ``RecordedStep`` builds it once, with the
batch's features and targets as leaf Values (constants would be baked
into the recording), and replays it for every batch: the same losses and
gradients as building the graph, bit for bit, several times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import autograd
from autograd import Value, collector_paused
from nn.evaluate import argmax
from nn.layers import MLP

#: Builds a batch's loss from its features and targets (Values or numbers).
BatchLoss = Callable[[list[list[Any]], list[Any]], Value]


class RecordedStep:
    """One batch size's forward, loss and backward pass, recorded.

    Args:
        batch_loss: builds the loss of a batch (with a form of the loss that
            is safe to record: ``nn.losses.RECORDABLE``).
        target: what a label becomes in its target: one number (hinge's
            sign, say), one leaf; or a row of numbers (cross_entropy's
            one-hot row), one leaf each (``nn.losses.recorded_target``).
        X_batch, y_batch: a batch of the size to record.
        wrt: the leaves whose gradients a replay fills (the parameters).

    ``load`` puts a batch into the leaves; ``tape.replay()`` then adds the
    gradients into ``wrt`` and returns the loss.
    """

    def __init__(
        self,
        batch_loss: BatchLoss,
        target: Callable[[float], Any],
        X_batch: Sequence[Sequence[Any]],
        y_batch: Sequence[float],
        wrt: Sequence[Value],
    ) -> None:
        self.target = target
        rows = [[Value(0.0) for _ in x] for x in X_batch]
        self.features = [leaf for row in rows for leaf in row]
        first = target(y_batch[0])
        self.rows = isinstance(first, Sequence)  # one leaf per class, or one per sample
        if self.rows:
            targets: list[Any] = [[Value(0.0) for _ in first] for _ in y_batch]
            self.target_leaves = [leaf for row in targets for leaf in row]
        else:
            targets = self.target_leaves = [Value(0.0) for _ in y_batch]
        self.targets = targets
        self.load(X_batch, y_batch)
        with collector_paused():
            self.tape = autograd.record(batch_loss(rows, targets), wrt=wrt)

    def load(self, X_batch: Sequence[Sequence[Any]], y_batch: Sequence[float]) -> None:
        """Put a batch's features and targets into the leaves."""
        values = [v if type(v) is float else v.data for x in X_batch for v in x]
        for leaf, value in zip(self.features, values):
            leaf.data = value
        target = self.target
        if self.rows:
            numbers = [v for label in y_batch for v in target(label)]
        else:
            numbers = [target(label) for label in y_batch]
        for leaf, number in zip(self.target_leaves, numbers):
            leaf.data = number


class RecordedPredictions:
    """The model's output on fixed samples, recorded for the accuracy.

    A forward pass only (no gradients), on the samples as constants; replays
    give ``nn.predict``'s numbers bit for bit, and so ``nn.accuracy``'s count.
    """

    def __init__(self, model: MLP, samples: list[list[Any]], threshold: float) -> None:
        self.classes = model.sizes[-1]
        with collector_paused():
            rows = [[x if type(x) is float else x.data for x in sample] for sample in samples]
            outputs = [model(row) for row in rows]
            if self.classes > 1:  # every class's output, sample by sample
                outputs = [z for out in outputs for z in out]
            self.tape = autograd.record(autograd.sum(outputs), wrt=(), also=outputs)
        self.threshold = threshold

    def accuracy(self, labels: list[float]) -> float:
        """The fraction of the samples classified right at the parameters' current values."""
        self.tape.replay()
        values = self.tape.values
        if self.classes > 1:  # right when the largest output is the label's class
            k = self.classes
            rows = (values[start : start + k] for start in range(0, len(values), k))
            right = sum(argmax(row) == label for row, label in zip(rows, labels))
            return right / len(labels)
        threshold = self.threshold
        right = sum((out > threshold) == (label > 0) for out, label in zip(values, labels))
        return right / len(labels)


class RecordedLayerOutputs:
    """``MLP.layer_outputs`` on fixed samples, recorded: the same numbers, bit for bit.

    A forward pass only, on the samples as constants (a grid for the
    pictures, a split for its loss and accuracy): recorded once, replayed at
    the parameters' current values, several times faster than computing it
    afresh (the samples become the table of one loop, see ``autograd.record``).
    """

    def __init__(self, model: MLP, samples: Sequence[Sequence[Any]], logits: bool = False) -> None:
        self.sizes = [len(layer.neurons) for layer in model.layers]
        self.count = len(samples)
        last = len(model.layers) - 1
        per_sample: list[list[Value]] = []  # every neuron's output, sample by sample
        with collector_paused():
            for sample in samples:
                x: Sequence[Any] = [v if type(v) is float else float(v) for v in sample]
                outputs: list[Value] = []
                for index, layer in enumerate(model.layers):
                    x = layer.pre_activation(x) if logits and index == last else list(layer(x))
                    outputs += x
                per_sample.append(outputs)
            # Neuron by neuron (each neuron's outputs over all samples in a row):
            # the rows per sample are then put together by zip, at C speed.
            by_neuron = [outputs[k] for k in range(sum(self.sizes)) for outputs in per_sample]
            finals = by_neuron[len(by_neuron) - self.count * self.sizes[-1] :]
            self.tape = autograd.record(autograd.sum(finals), wrt=(), also=by_neuron)

    def outputs(self) -> list[list[list[float]]]:
        """For each sample, one list of outputs per layer, as ``layer_outputs`` gives them."""
        self.tape.replay()
        values, n = self.tape.values, self.count
        layers = []
        k = 0
        for size in self.sizes:
            columns = [values[(k + j) * n : (k + j + 1) * n] for j in range(size)]
            layers.append(map(list, zip(*columns)))
            k += size
        return list(map(list, zip(*layers)))
