"""Float functions that follow IEEE 754 instead of raising.

Python's ``math`` module raises on ``log(0)``, ``1/0`` or ``exp(1000)``, and
``(-8) ** (1/3)`` quietly becomes a complex number. A gradient engine must not
stop halfway through a pass because of that, so every op uses these
functions, which answer the way PyTorch does in float64:
``1/0 = inf``, ``log(0) = -inf``, ``log(-1) = nan``, ``(-8) ** (1/3) = nan``,
``exp(1000) = inf``.
"""

from __future__ import annotations

import math

INF = math.inf
NAN = math.nan


def _is_odd_integer(x: float) -> bool:
    return math.isfinite(x) and x == math.floor(x) and math.fmod(x, 2.0) != 0.0


def divide(a: float, b: float) -> float:
    """``a / b`` with ``x/0 = ±inf`` and ``0/0 = nan``."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or math.isnan(a):
            return NAN
        # The sign of a zero divisor counts: 1/-0.0 is -inf.
        return math.copysign(INF, a) * math.copysign(1.0, b)


def power(a: float, b: float) -> float:
    """``a ** b`` that returns nan instead of a complex number, inf on overflow."""
    try:
        return math.pow(a, b)
    except ValueError:
        # math.pow raises for 0 ** negative and for negative ** non-integer.
        if a == 0.0:
            return math.copysign(INF, a) if _is_odd_integer(b) else INF
        return NAN
    except OverflowError:
        return -INF if a < 0 and _is_odd_integer(b) else INF


def exp(x: float) -> float:
    """``e ** x``, inf on overflow."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def log(x: float) -> float:
    """Natural logarithm: ``log(0) = -inf``, ``log(x < 0) = nan``."""
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -INF
    return NAN  # negative or nan


def tanh(x: float) -> float:
    """Hyperbolic tangent (``math.tanh`` never raises)."""
    return math.tanh(x)


def sigmoid(x: float) -> float:
    """``1 / (1 + e^-x)``, computed so that no exponent ever overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    if x < 0.0:
        e = math.exp(x)  # x < 0, so e is in (0, 1): no overflow
        return e / (1.0 + e)
    return NAN  # x is nan


def relu(x: float) -> float:
    """``max(0, x)``, nan stays nan."""
    return x if x > 0.0 or x != x else 0.0


def bce_with_logits(z: float, y: float) -> float:
    """Binary cross-entropy of target ``y`` and probability ``σ(z)``, from the logit.

    ``-(y·log σ(z) + (1−y)·log(1−σ(z)))`` rewritten as
    ``max(z, 0) − z·y + log(1 + e^−|z|)``, which never overflows. At an
    infinite logit it is the limit, ``(1 − y)·z`` or ``−y·z``: inf for a
    certain prediction that is wrong, 0 for one that is right (the formula
    would give inf − inf = nan).
    """
    if math.isinf(z):
        weight = 1.0 - y if z > 0 else y  # the target's share of the class ruled out
        return weight * math.inf if weight != 0.0 else 0.0
    return max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))
