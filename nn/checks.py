"""Training's arguments, checked: each bad one gets an error that says how to fix it.

``fit``, ``predict``, ``accuracy`` and the training loop take samples and
labels as lists or numpy arrays, whole numbers as ints or numpy integers;
these turn them into plain lists and floats, or raise before anything
changes.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from autograd import Value
from autograd.language import text
from nn.layers import MLP
from nn.optim import Optimizer, make_optimizer


def samples(X: Any, nin: int) -> list[list[Any]]:
    """X as a list of feature lists, numbers as floats, every sample of ``nin`` features.

    Accepts any sequence of samples, numpy arrays included (``not X`` would
    be ambiguous for an array, so lengths are compared instead). Features
    that are Values stay Values.

    Raises:
        TypeError, ValueError: naming the first sample or feature that is wrong.
    """
    try:
        count = len(X)
    except TypeError:
        raise TypeError(text("error.fit.samples", type=type(X).__name__)) from None
    if count == 0:
        raise ValueError(text("error.fit.empty"))
    rows = []
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
        rows.append(row)
    return rows


def labels(y: Any, count: int) -> list[float]:
    """y as a list of floats, one per sample.

    Raises:
        TypeError, ValueError: if y is not ``count`` numbers.
    """
    try:
        size = len(y)
    except TypeError:
        raise TypeError(text("error.fit.labels", type=type(y).__name__)) from None
    if size != count:
        raise ValueError(text("error.fit.one_label_per_sample", samples=count, labels=size))
    floats = []
    for i, label in enumerate(y):
        if isinstance(label, Value) or not isinstance(label, numbers.Real):
            raise TypeError(text("error.fit.label_not_a_number", index=i, given=repr(label)))
        floats.append(float(label))
    return floats


def whole_number(value: Any, name: str, minimum: int | None = None) -> int:
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


def weight_decay(value: Any) -> float:
    """``value`` as a float >= 0, or a ValueError."""
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Real) and math.isfinite(value) and value >= 0
    ):
        raise ValueError(text("error.fit.weight_decay", given=repr(value)))
    return float(value)


def one_output(model: MLP, what: str) -> None:
    """A ValueError unless ``model`` has one output (``what`` names who needs it)."""
    if model.sizes[-1] != 1:
        raise ValueError(text("error.fit.one_output", what=what, count=model.sizes[-1]))


def compiled(value: Any, recordable: bool, loss: str) -> None:
    """A ValueError unless ``value`` is None, True or False, and True only for a recordable loss."""
    if value not in (None, True, False):
        raise ValueError(text("error.fit.compiled", given=repr(value)))
    if value and not recordable:
        raise ValueError(text("error.fit.not_recordable", loss=repr(loss)))


def optimizer(optimizer: Any, model: MLP, lr: float) -> Optimizer:
    """The optimizer ``fit`` was asked for: made from its name, or checked to fit ``model``."""
    if isinstance(optimizer, str):
        return make_optimizer(optimizer, model.parameters(), lr)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(text("error.optim.not_an_optimizer", given=repr(optimizer)))
    # The loss depends on this model alone: a parameter from elsewhere would
    # get no gradient, and an optimizer made for another model trains nothing.
    own = set(model.parameters())
    strangers = sum(1 for p in optimizer.parameters if p not in own)
    if strangers:
        raise ValueError(
            text("error.optim.strangers", strangers=strangers, count=len(optimizer.parameters))
        )
    return optimizer
