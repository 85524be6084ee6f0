"""Gradient checking: analytic gradients against central finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd.engine import grad
from autograd.language import right_aligned, text
from autograd.mode import no_grad
from autograd.value import Value


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numeric gradients disagree.

    ``mismatches`` lists ``(input index, analytic, numeric)`` for each input
    that failed, in input order.
    """

    def __init__(self, message: str, mismatches: Sequence[tuple[int, float, float]] = ()) -> None:
        super().__init__(message)
        self.mismatches = list(mismatches)


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float | Value],
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-4,
) -> bool:
    """Check ``f``'s gradients against central finite differences.

    For each input x the numeric derivative is
    ``(f(x + eps) - f(x - eps)) / (2·eps)``; it must match the engine's
    gradient within ``atol + rtol·|numeric|``.

    Args:
        f: takes one Value per input and returns a Value.
        inputs: the point to check at (numbers or Values; only their data is used).
        eps: the finite-difference step.
        atol, rtol: absolute and relative tolerance.

    Returns:
        True when every gradient matches.

    Raises:
        GradcheckError: with a table of every input: analytic, numeric,
            difference, and which ones failed.
        TypeError: if ``f`` is not a function or does not return a Value,
            or ``inputs`` is not a list of numbers or Values.
    """
    if not callable(f):
        raise TypeError(text("error.gradcheck.not_a_function", given=repr(f)))
    if isinstance(inputs, Value | int | float) or not hasattr(inputs, "__iter__"):
        raise TypeError(text("error.gradcheck.inputs", given=repr(inputs)))
    points = [x.data if isinstance(x, Value) else float(x) for x in inputs]
    names = [
        x.label if isinstance(x, Value) and x.label else f"inputs[{i}]"
        for i, x in enumerate(inputs)
    ]
    leaves = [Value(p, label=n) for p, n in zip(points, names)]
    output = f(*leaves)
    if not isinstance(output, Value):
        raise TypeError(text("error.gradcheck.not_a_value", type=type(output).__name__))
    analytic = grad(output, leaves)
    numeric = [_central_difference(f, points, i, eps) for i in range(len(points))]

    rows = []
    failed = False
    mismatches = []
    for index, (name, a, n) in enumerate(zip(names, analytic, numeric)):
        difference = abs(a - n)
        ok = difference <= atol + rtol * abs(n) or (math.isnan(a) and math.isnan(n))
        failed |= not ok
        if not ok:
            mismatches.append((index, a, n))
        mark = "" if ok else text("gradcheck.mismatch")
        rows.append(f"  {name:>12}  {a:>14.8g}  {n:>14.8g}  {difference:>10.3g}  {mark}")
    if failed:
        header = "".join(
            "  " + right_aligned(text(key), width)
            for key, width in (
                ("gradcheck.column.input", 12),
                ("gradcheck.column.analytic", 14),
                ("gradcheck.column.numeric", 14),
                ("gradcheck.column.difference", 10),
            )
        )
        raise GradcheckError(
            text("error.gradcheck.failed", eps=eps, atol=atol, rtol=rtol)
            + "\n"
            + "\n".join([header, *rows]),
            mismatches,
        )
    return True


def _central_difference(
    f: Callable[..., Value], points: list[float], index: int, eps: float
) -> float:
    def f_at(shift: float) -> float:
        shifted = list(points)
        shifted[index] += shift
        with no_grad():
            result: Any = f(*[Value(p) for p in shifted])
        return result.data

    return (f_at(eps) - f_at(-eps)) / (2.0 * eps)
