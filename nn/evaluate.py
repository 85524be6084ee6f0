"""What a model says about samples: its predictions, and how many it gets right.

On plain floats, with the forward pass's own functions (``MLP.layer_outputs``):
the numbers of the forward pass bit for bit, with no graph recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.floatmath import sigmoid
from autograd.language import text
from autograd.ops import softmax_of
from nn import checks
from nn.layers import MLP


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
    return predictions(model, checks.samples(X, model.nin))


def predictions(model: MLP, samples: list[list[Any]], logits: bool = False) -> list[Any]:
    # On floats, with the forward pass's own functions: the same numbers.
    outputs = [layers[-1] for layers in model.layer_outputs(samples, logits)]
    if model.sizes[-1] == 1:
        return [out[0] for out in outputs]
    return outputs


def decision_threshold(model: MLP) -> float:
    """Where a model's output separates the classes: 0.5 after a sigmoid, else 0."""
    return 0.5 if model.activations[-1] == "sigmoid" else 0.0


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
    """Fraction of samples classified right.

    A model with one output is right when its output is on the label's side
    of the threshold (labels 0/1, or −1/+1); a model with one output per
    class is right when its largest output is the label's (labels 0, 1, 2, ...).

    Args:
        model: the model.
        X: the samples: a list of feature lists, or a 2-D numpy array.
        y: one label per sample (a list or a numpy array).

    Raises:
        ValueError, TypeError: if X is empty, X and y differ in length, a
            sample is not made of real numbers, or a label is not one the
            model can give.
    """
    samples = checks.samples(X, model.nin)
    labels = checks.labels(y, len(samples))
    classes = model.sizes[-1]
    if classes > 1:
        for i, label in enumerate(labels):
            if label not in range(classes):  # nan and 1.5 too
                raise ValueError(
                    text(
                        "error.multiclass.labels",
                        what="accuracy",
                        label=label,
                        index=i,
                        last=classes - 1,
                    )
                )
    else:
        for i, label in enumerate(labels):
            if label not in (0.0, 1.0, -1.0):  # nan too
                raise ValueError(text("error.fit.accuracy_labels", label=label, index=i))
    return fraction_right(model, samples, labels)


def classify(model: MLP, X: Sequence[Sequence[float]]) -> list[int]:
    """The class the model gives each sample: the index of its largest output
    (the argmax; the first on a tie), or for one output 1 above the
    threshold (``decision_threshold``) and 0 below.

    Raises:
        ValueError, TypeError: if X is empty or not a sequence of samples of
            ``model.nin`` numbers.
    """
    outputs = predictions(model, checks.samples(X, model.nin))
    if model.sizes[-1] == 1:
        threshold = decision_threshold(model)
        return [int(out > threshold) for out in outputs]
    return [argmax(out) for out in outputs]


def probabilities(logits: Sequence[float]) -> list[float]:
    """What the output layer's logits say, on floats: ``[ŷ]`` (the sigmoid) for one
    logit, the softmax (one probability per class) for several."""
    if len(logits) == 1:
        return [sigmoid(logits[0])]
    return [softmax_of(z, *logits) for z in logits]


def argmax(values: Sequence[float]) -> int:
    """The index of the largest value, the first of equals (a nan is never the largest)."""
    best = 0
    for i, v in enumerate(values):
        if v > values[best] or values[best] != values[best]:
            best = i
    return best


def fraction_right(model: MLP, samples: list[list[Any]], labels: list[float]) -> float:
    """The fraction of checked samples and labels classified right (``accuracy``'s count)."""
    outputs = predictions(model, samples)
    if model.sizes[-1] > 1:  # right when the largest output is the label's class
        right = sum(argmax(out) == label for out, label in zip(outputs, labels))
    else:
        threshold = decision_threshold(model)
        right = sum((out > threshold) == (label > 0) for out, label in zip(outputs, labels))
    return right / len(samples)
