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


def test_three_class_training_matches_pytorch_step_by_step() -> None:
    """MLP(2, [8, 3]) on three blobs with the mean cross-entropy: glassgrad and
    its ``to_torch`` copy take the same SGD steps, float64 against float64."""
    import nn
    from nn.export import relative_difference, to_torch

    X, y = nn.data.blobs(n=24, classes=3, seed=2)
    model = nn.MLP(2, [8, 3], seed=1)
    theirs = to_torch(model)
    inputs = torch.tensor(X, dtype=torch.float64)
    targets = torch.tensor([int(label) for label in y])
    worst = {"loss": 0.0, "gradients": 0.0, "parameters": 0.0}
    for _ in range(10):
        loss = nn.losses.cross_entropy([model(x) for x in X], y)
        model.zero_grad()
        loss.backward()
        our_gradients = [p.grad for p in model.parameters()]
        for p in model.parameters():
            p.data -= 0.5 * p.grad
        theirs.zero_grad()
        their_loss = torch.nn.functional.cross_entropy(theirs(inputs), targets)
        their_loss.backward()
        # glassgrad's order: each neuron's weights, then its bias, layer by layer.
        their_gradients, their_parameters = [], []
        with torch.no_grad():
            for linear in theirs[::2]:
                for g_row, g_bias in zip(linear.weight.grad, linear.bias.grad):
                    their_gradients += [*g_row.tolist(), g_bias.item()]
                for parameter in linear.parameters():
                    parameter -= 0.5 * parameter.grad
                for row, bias in zip(linear.weight, linear.bias):
                    their_parameters += [*row.tolist(), bias.item()]
        ours = [p.data for p in model.parameters()]
        worst["loss"] = max(worst["loss"], relative_difference([loss.data], [their_loss.item()]))
        worst["gradients"] = max(
            worst["gradients"], relative_difference(our_gradients, their_gradients)
        )
        worst["parameters"] = max(worst["parameters"], relative_difference(ours, their_parameters))
    assert all(difference <= 1e-12 for difference in worst.values()), worst
