"""Gradients of gradients against closed forms."""

from __future__ import annotations

import math

import pytest

from autograd import Value, grad


def derivatives(f, x0: float, order: int) -> list[float]:
    """[f'(x0), f''(x0), ...] by repeated grad(create_graph=True)."""
    x = Value(x0)
    current = f(x)
    results = []
    for _ in range(order):
        (current,) = grad(current, [x], create_graph=True)
        results.append(current.data)
    return results


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


CLOSED_FORMS = {
    "exp": (lambda v: v.exp(), lambda x: [math.exp(x)] * 3),
    "log": (lambda v: v.log(), lambda x: [1 / x, -1 / x**2, 2 / x**3]),
    "tanh": (
        lambda v: v.tanh(),
        lambda x: [
            1 - math.tanh(x) ** 2,
            -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
            (1 - math.tanh(x) ** 2) * (6 * math.tanh(x) ** 2 - 2),
        ],
    ),
    "sigmoid": (
        lambda v: v.sigmoid(),
        lambda x: [
            sig(x) * (1 - sig(x)),
            sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)),
            sig(x) * (1 - sig(x)) * (1 - 6 * sig(x) + 6 * sig(x) ** 2),
        ],
    ),
    "pow": (lambda v: v**3.5, lambda x: [3.5 * x**2.5, 8.75 * x**1.5, 13.125 * x**0.5]),
    "product": (lambda v: v * v * v, lambda x: [3 * x**2, 6 * x, 6.0]),
    "exp_pow": (lambda v: 2**v, lambda x: [2**x * math.log(2) ** k for k in (1, 2, 3)]),
    "div": (lambda v: 1 / v, lambda x: [-1 / x**2, 2 / x**3, -6 / x**4]),
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@pytest.mark.parametrize("x0", [0.3, 1.7])
def test_first_three_derivatives(name: str, x0: float) -> None:
    f, closed = CLOSED_FORMS[name]
    assert derivatives(f, x0, 3) == pytest.approx(closed(x0), rel=1e-9)


def test_mixed_second_derivative() -> None:
    x, y = Value(1.5), Value(-0.5)
    f = (x * y).exp() + x**2 * y
    gx, gy = grad(f, [x, y], create_graph=True)
    (gxy,) = grad(gx, [y])
    # d/dy d/dx [exp(xy) + x²y] = exp(xy)(1 + xy) + 2x
    assert gxy == pytest.approx(math.exp(-0.75) * (1 - 0.75) + 3.0)
    (gyx,) = grad(gy, [x])
    assert gyx == pytest.approx(gxy)


def test_gradient_graph_supports_backward() -> None:
    x = Value(2.0)
    (g,) = grad(x**3, [x], create_graph=True)
    g.backward()
    assert x.grad == pytest.approx(12.0)
