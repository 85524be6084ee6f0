"""More than two classes: ``softmax`` and ``cross_entropy`` on a list of logits.

A model with one output per class gives logits ``z1, ..., zn``;
``softmax`` turns them into probabilities, and ``cross_entropy`` is the loss
``−log(p_k)`` of the right class ``k``, in one stable node whose gradient
at each logit is ``p_i − y_i``: the multi-class form of the article's
``∂L/∂z2 = ŷ − y``. The calculus is in the op table (``autograd.ops``).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from autograd.language import text
from autograd.ops import CROSS_ENTROPY, SOFTMAX
from autograd.value import Value, _checked_operands, _record
from autograd.value import numbers as numbers_of


def _logits(logits: Sequence[Any], what: str) -> tuple[Any, ...]:
    if isinstance(logits, Value | numbers.Number) or not hasattr(logits, "__len__"):
        raise TypeError(text("error.multiclass.logits", what=what, type=type(logits).__name__))
    checked = _checked_operands(logits, what)
    if not checked:
        raise ValueError(text("error.multiclass.no_logits", what=what))
    return checked


def softmax(logits: Sequence[Any]) -> list[Value]:
    """``p_k = exp(z_k) / Σ exp(z_i)`` for each class: one ``softmax`` node each.

    Stable for any logit (computed as ``exp(z_k − logsumexp(z))``); the
    probabilities add up to 1.

    Raises:
        TypeError: if ``logits`` is not a list of Values and numbers.
        ValueError: if it is empty.
    """
    logits = _logits(logits, "softmax")
    data = numbers_of(logits)
    return [
        _record(SOFTMAX, SOFTMAX.forward(z, *data), (logit, *logits))
        for z, logit in zip(data, logits)
    ]


def cross_entropy(logits: Sequence[Any], target: Any) -> Value:
    """``−log softmax(logits)[target]`` as one node (op ``"cross_entropy"``).

    Args:
        logits: one Value (or number) per class, before any softmax.
        target: the right class, a whole number from 0 (``0 <= target <
            len(logits)``), or a list of one probability per class.

    Its gradient at each logit is exactly ``softmax(logits)_i − y_i``, with
    ``y`` the one-hot target.

    Raises:
        TypeError: if ``logits`` is not a list of Values and numbers.
        ValueError: for a class outside the logits, or target probabilities
            of another length or not adding up to 1.
    """
    logits = _logits(logits, "cross_entropy")
    targets = one_hot(target, len(logits))
    operands = (*logits, *targets)
    return _record(CROSS_ENTROPY, CROSS_ENTROPY.forward(*numbers_of(operands)), operands)


def one_hot(target: Any, classes: int) -> tuple[Any, ...]:
    """The target as one probability per class: ``1.0`` at the class, ``0.0`` elsewhere.

    Raises:
        ValueError: if ``target`` is not a class from 0 to ``classes − 1``, or
            a list of ``classes`` probabilities that add up to 1.
    """
    if isinstance(target, Sequence) and not isinstance(target, str):
        checked = _checked_operands(target, "cross_entropy target")
        plain = [x for x in checked if not isinstance(x, Value)]
        if len(checked) != classes or (
            len(plain) == classes and (abs(sum(plain) - 1.0) > 1e-9 or min(plain) < 0.0)
        ):
            raise ValueError(
                text("error.multiclass.probabilities", classes=classes, given=repr(target))
            )
        return checked
    whole = isinstance(target, numbers.Real) and not isinstance(target, bool)
    if not whole or target != int(target) or not 0 <= target < classes:
        raise ValueError(
            text("error.multiclass.class", classes=classes, last=classes - 1, given=repr(target))
        )
    return tuple(1.0 if i == int(target) else 0.0 for i in range(classes))
