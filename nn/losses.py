"""Losses: each takes a batch of predictions and targets and returns the mean.

Targets are 0/1 labels for the two-class losses (hinge also accepts
-1/+1), and class numbers 0, 1, ..., k − 1 for ``cross_entropy``, whose
predictions are each sample's k logits. Every loss is built from public
engine ops, so ``loss.backward()`` gives the gradient of the batch mean,
the article's ``1/m`` factor included.

Safe to record (``autograd.record``, ``nn.fit(..., compiled=True)``): a
recorded loss is replayed on new predictions and targets, so it must make
no Python decision on their values. ``bce_with_logits`` and ``mse`` make
none, and take targets as Values (leaves) as readily as numbers.
``hinge`` decides each label's sign in Python, so it records with signs
fixed; ``signed_hinge`` takes the signs themselves (as leaves) and is safe.
``bce`` (on probabilities) is not safe: its clamp is an ``if`` on each
probability, and a replay keeps the clamps decided when it was recorded.
``cross_entropy`` is safe with each target given as its one-hot row of
leaves (``one_hot``): a class number would pick constants once, when recorded.
``RECORDABLE`` lists the safe ones for ``fit``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import autograd
from autograd import Value
from autograd.language import text

#: bce on probabilities clamps them into [EPS, 1 − EPS] so log never sees 0.
EPS = 1e-12


def _checked(predictions: Sequence[Any], targets: Sequence[Any], name: str) -> list[Value]:
    """The predictions as a list of Values (numbers become leaves), checked against the targets.

    Raises:
        TypeError: if either is not a list (one loss over a batch), or a
            prediction is neither a Value nor a number.
        ValueError: if their lengths differ or the batch is empty.
    """
    for what, items in (("predictions", predictions), ("targets", targets)):
        if isinstance(items, Value | numbers.Number) or not hasattr(items, "__len__"):
            raise TypeError(
                text("error.losses.takes_a_list", name=name, what=what, type=type(items).__name__)
            )
    if len(predictions) != len(targets):
        raise ValueError(
            text(
                "error.losses.lengths",
                name=name,
                predictions=len(predictions),
                targets=len(targets),
            )
        )
    if not len(predictions):
        raise ValueError(text("error.losses.empty", name=name))
    checked = []
    for i, p in enumerate(predictions):
        if not isinstance(p, Value):
            if isinstance(p, bool | str) or not isinstance(p, numbers.Real):
                raise TypeError(text("error.losses.prediction", name=name, index=i, given=repr(p)))
            p = Value(p)  # a plain number: a constant prediction, no gradient to anything
        checked.append(p)
    return checked


def _mean(terms: list[Value]) -> Value:
    return autograd.sum(terms) / len(terms)


def bce_with_logits(logits: Sequence[Value], targets: Sequence[float]) -> Value:
    """Binary cross-entropy from logits ``z`` (before the sigmoid).

    ``mean(BCE(σ(z), y))``, stable for any logit. Its gradient at each logit
    is exactly ``(ŷ − y)/m``: the article's ``∂L/∂z2 = ŷ − y`` over a batch.
    """
    logits = _checked(logits, targets, "bce_with_logits")
    terms = [autograd.binary_cross_entropy_with_logits(z, y) for z, y in zip(logits, targets)]
    return _mean(terms)


def bce(probabilities: Sequence[Value], targets: Sequence[float]) -> Value:
    """Binary cross-entropy from probabilities ``ŷ`` (after the sigmoid).

    ``mean(−(y·log ŷ + (1−y)·log(1−ŷ)))``. ŷ is clamped to ``[1e-12, 1−1e-12]``
    so a saturated sigmoid gives a large finite loss, not inf; where the
    clamp acts, the gradient through ŷ is 0. Prefer ``bce_with_logits``.
    Not safe to record: the clamp is decided in Python, once per recording.
    """
    probabilities = _checked(probabilities, targets, "bce")
    terms = []
    for p, y in zip(probabilities, targets):
        if p.data < EPS:
            p = p * 0.0 + EPS  # keep the graph, drop the gradient
        elif p.data > 1.0 - EPS:
            p = p * 0.0 + (1.0 - EPS)
        terms.append(-(y * p.log() + (1.0 - y) * (1.0 - p).log()))
    return _mean(terms)


def mse(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """Mean squared error ``mean((ŷ − y)²)``."""
    predictions = _checked(predictions, targets, "mse")
    return _mean([(p - y) * (p - y) for p, y in zip(predictions, targets)])


def hinge(scores: Sequence[Value], targets: Sequence[float]) -> Value:
    """Mean hinge loss ``mean(max(0, 1 − y·score))`` with y in {−1, +1}.

    0/1 labels are mapped to −1/+1 (in Python: to record, see ``signed_hinge``).
    """
    scores = _checked(scores, targets, "hinge")
    return signed_hinge(scores, [sign(y) for y in targets])


def sign(label: float) -> float:
    """A classification label as hinge's sign: +1.0 for the positive class, else −1.0."""
    return 1.0 if label > 0 else -1.0


def signed_hinge(scores: Sequence[Value], signs: Sequence[Value | float]) -> Value:
    """``mean(max(0, 1 − s·score))`` for signs ``s`` of ±1: ``hinge`` once the
    labels are signs. Safe to record with the signs as leaves (no decision
    on their values), and bit for bit ``hinge`` on the same labels."""
    scores = _checked(scores, signs, "signed_hinge")
    return _mean([(1.0 - s * score).relu() for score, s in zip(scores, signs)])


def cross_entropy(logits: Sequence[Sequence[Value]], targets: Sequence[Any]) -> Value:
    """Multi-class cross-entropy from logits: ``mean(−log softmax(z)[y])``.

    Each prediction is the list of a sample's logits, one per class (the
    outputs of ``MLP(2, [8, 3])``, with no activation on the last layer);
    each target is its class, 0, 1, 2, ... One fused, stable node per
    sample (``autograd.cross_entropy``), whose gradient at each logit is
    ``(p_i − y_i)/m``: ``bce_with_logits``'s ``(ŷ − y)/m`` for n classes.
    Safe to record: no decision on the values (the class picks constants).

    Raises:
        TypeError: if a prediction is not a list of logits.
        ValueError: if the lengths differ, the batch is empty, or a target
            is not one of the classes.
    """
    for what, items in (("predictions", logits), ("targets", targets)):
        if isinstance(items, Value | numbers.Number) or not hasattr(items, "__len__"):
            raise TypeError(
                text(
                    "error.losses.takes_a_list",
                    name="cross_entropy",
                    what=what,
                    type=type(items).__name__,
                )
            )
    if len(logits) != len(targets):
        raise ValueError(
            text(
                "error.losses.lengths",
                name="cross_entropy",
                predictions=len(logits),
                targets=len(targets),
            )
        )
    if not len(logits):
        raise ValueError(text("error.losses.empty", name="cross_entropy"))
    terms = []
    for index, (z, y) in enumerate(zip(logits, targets)):
        if isinstance(z, Value | numbers.Number | str) or not hasattr(z, "__len__"):
            raise TypeError(
                text("error.losses.class_logits", name="cross_entropy", index=index, given=repr(z))
            )
        terms.append(autograd.cross_entropy(z, y))
    return _mean(terms)


LOSSES = {
    "bce": bce_with_logits,
    "bce_prob": bce,
    "mse": mse,
    "hinge": hinge,
    "cross_entropy": cross_entropy,
}

#: The losses that take the last layer's ``z`` (``model.logits``) and apply
#: its squashing themselves: the sigmoid for bce, the softmax for cross_entropy.
ON_LOGITS = ("bce", "cross_entropy")


def _same(label: float) -> float:
    return label


def one_hot(label: float, classes: int) -> list[float]:
    """A class label as one number per class: 1.0 at the label's class, 0.0 elsewhere.

    What ``cross_entropy`` makes of a class number; as leaves, the form of a
    target that a recording can replay with other labels.
    """
    return [1.0 if k == label else 0.0 for k in range(classes)]


#: The losses of ``LOSSES`` that are safe to record, by name: the loss as a
#: function of the model's outputs and one target per sample, and what a
#: label becomes in that target (``nn.fit(..., compiled=True)`` sets the
#: targets' data per batch): one number, or for cross_entropy the one-hot
#: row (``recorded_target`` gives it the number of classes). The loss on
#: such targets equals the loss on the labels bit for bit.
RECORDABLE: dict[str, tuple[Callable[..., Value], Callable[..., Any]]] = {
    "bce": (bce_with_logits, _same),
    "mse": (mse, _same),
    "hinge": (signed_hinge, sign),
    "cross_entropy": (cross_entropy, one_hot),
}


def recorded_target(loss: str, classes: int) -> Callable[[float], Any]:
    """What a label becomes in a recorded target of ``loss``, for a model of ``classes`` outputs.

    A number (``RECORDABLE``'s function of the label), or for cross_entropy
    the label's one-hot row of ``classes`` numbers.
    """
    target = RECORDABLE[loss][1]
    if target is one_hot:
        return partial(one_hot, classes=classes)
    return target


def check_outputs(loss: str, outputs: int, what: str) -> None:
    """Check that a model with ``outputs`` outputs can be trained with ``loss``.

    cross_entropy needs one output per class (at least two); every other
    loss needs one output per sample.

    Args:
        loss: a name in ``LOSSES``.
        outputs: the model's number of outputs (``model.sizes[-1]``).
        what: who asks (``fit``, ``torch_script``, ...), for the message.

    Raises:
        ValueError: saying what the model has, and which loss or model to use.
    """
    if loss == "cross_entropy" and outputs < 2:
        raise ValueError(text("error.losses.cross_entropy_one_output", what=what))
    if loss != "cross_entropy" and outputs != 1:
        raise ValueError(
            text(
                "error.losses.one_output",
                what=what,
                loss=repr(loss),
                count=outputs,
                last=outputs - 1,
            )
        )


def check_targets(loss: str, targets: Sequence[float], classes: int = 2) -> None:
    """Check that every target is a label ``loss`` can learn from.

    bce and bce_prob take 0/1 labels; hinge takes 0/1 or −1/+1 (one kind,
    not both); mse takes any finite real number; cross_entropy takes class
    numbers, whole numbers from 0 to ``classes − 1``.

    Args:
        loss: a name in ``LOSSES``.
        targets: the labels, as floats.
        classes: for cross_entropy, the model's number of outputs.

    Raises:
        ValueError: naming the first bad label, its index, and what to do.
    """
    targets = list(targets)
    if loss == "cross_entropy":
        _check_classes(targets, classes)
        return
    if loss == "mse":
        for index, label in enumerate(targets):
            if not math.isfinite(label):
                raise ValueError(text("error.losses.mse_finite", label=repr(label), index=index))
        return
    allowed = {-1.0, 0.0, 1.0} if loss == "hinge" else {0.0, 1.0}
    for index, label in enumerate(targets):
        if label not in allowed:
            if loss == "hinge":
                need = text("error.losses.hinge_labels")
            elif label == -1.0:
                need = text("error.losses.minus_one", loss=loss)
            else:
                need = text("error.losses.zero_one", loss=loss)
            raise ValueError(
                text("error.losses.bad_label", label=repr(label), index=index, need=need)
            )
    if loss == "hinge" and -1.0 in targets and 0.0 in targets:
        # Name the label that breaks the kind set by an earlier one.
        index = max(targets.index(-1.0), targets.index(0.0))
        raise ValueError(text("error.losses.hinge_mixed", label=repr(targets[index]), index=index))


def _check_classes(targets: list[float], classes: int) -> None:
    """Each target a class of a model with ``classes`` outputs: 0, 1, ..., classes − 1."""
    for index, label in enumerate(targets):
        whole = math.isfinite(label) and label == int(label)  # not 1.5, nan or inf
        if not whole:
            raise ValueError(
                text(
                    "error.losses.class_not_whole",
                    label=repr(label),
                    index=index,
                    last=classes - 1,
                )
            )
    for index, label in enumerate(targets):
        if not 0 <= label < classes:
            if label < 0:
                fix = text("error.losses.class_from_zero")
            else:
                wide = int(max(targets)) + 1  # one output for each class that y names
                fix = text("error.losses.class_more_outputs", wide=wide)
            raise ValueError(
                text(
                    "error.losses.class_range",
                    label=repr(label),
                    index=index,
                    classes=classes,
                    last=classes - 1,
                    fix=fix,
                )
            )
