"""Coming from micrograd: its tests and its lecture's Value cells, with one import changed.

The lecture ("The spelled-out intro to neural networks and backpropagation")
builds expressions by hand, calls ``_backward()`` node by node, sorts with
``_prev`` and draws with ``draw_dot``. Each test below is a cell (or a few)
of it, run on glassgrad's Value, with the numbers the lecture prints.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value

# The lecture's neuron: b is chosen so that o = tanh(n) = 1/√2.
NEURON_BIAS = 6.8813735870195432


def lecture_neuron() -> dict[str, Value]:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(NEURON_BIAS, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {name: value for name, value in locals().items() if isinstance(value, Value)}


def assert_lecture_gradients(nodes: dict[str, Value]) -> None:
    assert nodes["o"].data == pytest.approx(0.7071067811865476, abs=1e-15)
    expected = {"n": 0.5, "b": 0.5, "x1w1x2w2": 0.5, "x1w1": 0.5, "x2w2": 0.5}
    expected |= {"x2": 0.5, "w2": 0.0, "x1": -1.5, "w1": 1.0}
    for name, grad in expected.items():
        assert nodes[name].grad == pytest.approx(grad, abs=1e-12), name


def test_the_first_expression_and_its_gradients() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    assert L.data == -8.0
    assert d._prev == {e, c} and d._op == "+"
    L.backward()
    assert (a.grad, b.grad, c.grad, d.grad, e.grad, f.grad) == (6.0, -4.0, -2.0, -2.0, -2.0, 4.0)


def test_the_neuron_with_backward() -> None:
    nodes = lecture_neuron()
    nodes["o"].backward()
    assert_lecture_gradients(nodes)


def test_the_neuron_by_hand_one_backward_at_a_time() -> None:
    nodes = lecture_neuron()
    nodes["o"].grad = 1.0
    for name in ("o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"):
        nodes[name]._backward()  # b is a leaf: nothing to pass on
    assert_lecture_gradients(nodes)


def test_the_neuron_with_the_lectures_own_topological_sort() -> None:
    nodes = lecture_neuron()
    topo: list[Value] = []
    visited: set[Value] = set()

    def build_topo(v: Value) -> None:
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(nodes["o"])
    nodes["o"].grad = 1.0
    for node in reversed(topo):
        node._backward()
    assert_lecture_gradients(nodes)


def test_tanh_written_with_exp_gives_the_same_neuron() -> None:
    nodes = lecture_neuron()
    n = nodes["n"]
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-15)
    assert nodes["x1"].grad == pytest.approx(-1.5, abs=1e-12)
    assert nodes["w1"].grad == pytest.approx(1.0, abs=1e-12)


def test_a_node_used_twice_gets_both_contributions() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    assert a.grad == 2.0
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_numbers_on_either_side_and_the_other_ops() -> None:
    a, b = Value(2.0), Value(4.0)
    assert (a + 1).data == 3.0 and (1 + a).data == 3.0 and (2 * a).data == 4.0
    assert (a / b).data == 0.5 and (a - b).data == -2.0 and (a**2).data == 4.0
    assert a.exp().data == pytest.approx(math.exp(2.0))


def test_nodes_made_by_hand_as_the_lecture_does() -> None:
    # The lecture's own Value.__mul__ makes its output as Value(data, (self, other), '*').
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = Value(a.data * b.data, (a, b), "*", label="c")
    d = Value(c.data + a.data, (c, a), "+")
    assert c.label == "c" and c._op == "*" and c.parents == (a, b)
    d.backward()
    assert (a.grad, b.grad) == (-3.0 + 1.0, 2.0)


def test_a_node_made_by_hand_with_an_op_the_table_does_not_know() -> None:
    a = Value(3.0, label="a")
    squared = Value(9.0, (a,), "**2", label="sq")
    with pytest.raises(ValueError, match=r"'sq'.*'\*\*2'.*Known ops:.*\btanh\b"):
        squared.backward()


def test_a_leafs_backward_does_nothing() -> None:
    a = Value(2.0)
    a.grad = 1.0
    a._backward()
    assert a.grad == 1.0


def test_the_lectures_training_loop_with_glassgrads_mlp() -> None:
    from nn import MLP

    n = MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(20):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.05 * p.grad
        losses.append(loss.data)
    assert n.layers[0].neurons[0].w[0].grad != 0.0 or n.layers[0].neurons[0].b.grad == 0.0
    assert losses[-1] < losses[0] / 2


def test_draw_dot_draws_the_lectures_neuron() -> None:
    pytest.importorskip("graphviz")
    from autograd.draw import draw, draw_dot

    o = lecture_neuron()["o"]
    assert draw_dot(o).source == draw(o).source
    assert "x1\\*w1" in draw_dot(o).source or "x1*w1" in draw_dot(o).source


# micrograd's own test_engine.py, word for word but for the import.

torch_tests = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("torch"), reason="PyTorch is not installed"
)


@torch_tests
def test_sanity_check() -> None:
    import torch

    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xmg, ymg = x, y

    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    # forward pass went well
    assert ymg.data == ypt.data.item()
    # backward pass went well
    assert xmg.grad == xpt.grad.item()


@torch_tests
def test_more_ops() -> None:
    import torch

    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    amg, bmg, gmg = a, b, g

    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    # forward pass went well
    assert abs(gmg.data - gpt.data.item()) < tol
    # backward pass went well
    assert abs(amg.grad - apt.grad.item()) < tol
    assert abs(bmg.grad - bpt.grad.item()) < tol


def test_the_constructor_keeps_glassgrads_own_forms() -> None:
    a = Value(2.0, "a")  # glassgrad's label in second place
    assert a.label == "a" and a.is_leaf and a.op == "" and a._prev == set()
    with pytest.raises(TypeError, match="child 1 is float"):
        Value(3.0, (a, 1.0), "*")
    unknown = Value(1.0, (a,), "cube")
    with pytest.raises(ValueError, match="'cube'"):
        autograd_grad(unknown, [a])


def autograd_grad(output: Value, inputs: list[Value]) -> list[float]:
    from autograd import grad

    return grad(output, inputs)
