"""Optional: the same expressions in PyTorch float64 give the same gradients."""

from __future__ import annotations

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
