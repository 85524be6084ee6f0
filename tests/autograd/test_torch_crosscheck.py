"""Optional: the same expressions in PyTorch float64 give the same gradients."""

from __future__ import annotations

import math

import pytest

from autograd import Value

torch = pytest.importorskip("torch")


def test_gradients_match_pytorch() -> None:
    def f(a, b, exp, log, tanh, sigmoid, relu):
        c = a * b + b**3 - a / b
        d = tanh(c) * sigmoid(a) + relu(b - a) + exp(a * 0.5) * log(b)
        return d * d + 2**a

    a, b = Value(0.7), Value(1.9)
    out = f(a, b, Value.exp, Value.log, Value.tanh, Value.sigmoid, Value.relu)
    out.backward()

    ta = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(1.9, dtype=torch.float64, requires_grad=True)
    tout = f(ta, tb, torch.exp, torch.log, torch.tanh, torch.sigmoid, torch.relu)
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def torch_gradients(function, *points: float) -> list[float]:  # type: ignore[no-untyped-def]
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in points]
    function(*leaves).backward()
    return [leaf.grad.item() for leaf in leaves]


def glassgrad_gradients(function, *points: float) -> list[float]:  # type: ignore[no-untyped-def]
    leaves = [Value(x) for x in points]
    function(*leaves).backward()
    return [leaf.grad for leaf in leaves]


def same(ours: list[float], theirs: list[float]) -> bool:
    """Equal, nan where the other is nan."""
    return all(a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(ours, theirs))


nan, inf = math.nan, math.inf
EDGE_CASES = [
    # (what, glassgrad function, PyTorch function, point)
    ("a**b at 0, 0", lambda a, b: a**b, lambda a, b: a**b, (0.0, 0.0)),
    ("a**b at nan, 0", lambda a, b: a**b, lambda a, b: a**b, (nan, 0.0)),
    ("a**0 at 0", lambda a: a**0, lambda a: a**0, (0.0,)),
    ("a**0 at nan", lambda a: a**0, lambda a: a**0, (nan,)),
    ("a**0 · inf at 2", lambda a: a**0 * inf, lambda a: a**0 * inf, (2.0,)),
    (
        "relu(x)·y at -1, inf",
        lambda x, y: x.relu() * y,
        lambda x, y: torch.relu(x) * y,
        (-1.0, inf),
    ),
    ("relu(x)·nan at -1", lambda x: x.relu() * nan, lambda x: torch.relu(x) * nan, (-1.0,)),
    ("relu at nan", lambda x: x.relu(), torch.relu, (nan,)),
    ("relu at 0", lambda x: x.relu(), torch.relu, (0.0,)),
    ("relu(x)·inf at 2", lambda x: x.relu() * inf, lambda x: torch.relu(x) * inf, (2.0,)),
]


@pytest.mark.parametrize(
    ("ours", "theirs", "point"),
    [case[1:] for case in EDGE_CASES],
    ids=[case[0] for case in EDGE_CASES],
)
def test_edge_case_gradients_match_pytorch(ours, theirs, point) -> None:  # type: ignore[no-untyped-def]
    expected = torch_gradients(theirs, *point)
    got = glassgrad_gradients(ours, *point)
    assert same(got, expected), (got, expected)
