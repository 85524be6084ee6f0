"""Backward semantics: reuse, accumulation, order, depth, no cycles."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap

import pytest

import autograd
from autograd import Value, grad, no_grad, topological_order, zero_grad


def test_a_node_used_twice_gets_both_contributions() -> None:
    x = Value(3.0)
    y = x * x
    assert y.parents == (x, x)
    y.backward()
    assert x.grad == 6.0


def test_gradient_accumulates_through_shared_nodes() -> None:
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_second_backward_doubles_only_leaf_gradients() -> None:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    h = a * b
    out = h.tanh() + a
    out.backward()
    first = (a.grad, b.grad, h.grad, out.grad)
    out.backward()
    assert a.grad == pytest.approx(2 * first[0])
    assert b.grad == pytest.approx(2 * first[1])
    assert h.grad == first[2]  # interior: the latest pass only
    assert out.grad == 1.0
    zero_grad([a, b])
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_backward_on_a_leaf_seeds_its_gradient() -> None:
    x = Value(5.0)
    x.backward()
    assert x.grad == 1.0


def test_topological_order_puts_parents_first_and_output_last() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert len(order) == 5


def test_topological_order_is_identical_across_runs() -> None:
    # Different hash seeds must not change the order (no sets, no id() sorting).
    program = textwrap.dedent(
        """
        import random
        from autograd import Value, topological_order
        rng = random.Random(7)
        nodes = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(6)]
        for i in range(40):
            a, b = rng.choice(nodes), rng.choice(nodes)
            node = a * b if rng.random() < 0.5 else a + b
            node.label = f"n{i}"
            nodes.append(node)
        print(",".join(n.label for n in topological_order(nodes[-1])))
        """
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.slow
def test_million_op_chain_at_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() == 1000  # the default: the engine never recurses
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    del y  # freeing a million-deep graph must not overflow either


def test_sum_of_100000_values() -> None:
    xs = [Value(float(i)) for i in range(100_000)]
    total = autograd.sum(xs)
    total.backward()
    assert total.data == sum(range(100_000))
    assert all(x.grad == 1.0 for x in xs)
    builtin_total = sum(xs)  # Python's sum: a 100,000-deep chain of "+"
    builtin_total.backward()
    assert xs[0].grad == 2.0


def test_graphs_hold_no_reference_cycles() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        x = Value(0.5)
        y = (x * 2 + 1).tanh() * x.exp() / (x + 3)
        y = autograd.dot([y, x], [x, 2.0]) + autograd.sum([y, x])
        y.backward()
        grad(y, [x], create_graph=True)
        del x, y
        assert gc.collect() == 0  # nothing was left for the cyclic collector
    finally:
        if was_enabled:
            gc.enable()


def test_value_is_slotted() -> None:
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.something = 1  # type: ignore[attr-defined]


def test_no_grad_records_nothing_and_restores() -> None:
    x = Value(2.0)
    with no_grad():
        assert not autograd.is_recording()
        y = x * 3 + 1
        z = y.exp()
    assert autograd.is_recording()
    assert y.op == "" and y.operands == () and z.is_leaf
    assert y.data == 7.0


def test_detach_cuts_the_graph() -> None:
    x = Value(2.0, "x")
    y = x * x
    d = y.detach()
    assert d.data == 4.0 and d.is_leaf and d.label == ""
    z = d * x
    z.backward()
    assert x.grad == 4.0  # no gradient through the detached square


def test_grad_does_not_touch_dot_grad() -> None:
    a, b = Value(2.0), Value(3.0)
    out = a * b
    ga, gb = grad(out, [a, b])
    assert (ga, gb) == (3.0, 2.0)
    assert (a.grad, b.grad, out.grad) == (0.0, 0.0, 0.0)


def test_grad_of_unrelated_input_is_zero() -> None:
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    assert grad(a * b, [c]) == [0.0]
    (g,) = grad(a * b, [c], create_graph=True)
    assert isinstance(g, Value) and g.data == 0.0


def test_grad_rejects_non_values() -> None:
    a = Value(1.0)
    with pytest.raises(TypeError, match=r"inputs\[1\] must be a Value, got float"):
        grad(a * 2, [a, 1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="output must be a Value"):
        grad(1.0, [a])  # type: ignore[arg-type]


def test_grad_and_zero_grad_want_a_list_and_say_so() -> None:
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"grad\(output, \[x\]\)"):
        grad(x * x, x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"zero_grad\(\[x\]\)"):
        zero_grad(x)  # type: ignore[arg-type]
    assert grad(x * x, [x]) == [4.0]


# The engine imports no view and closes no import circle: tests/test_layering.py
# checks every module of both packages, imports inside functions included.


def test_grad_passes_a_zero_through_skipped_nodes_as_backward_does() -> None:
    # relu(relu(log(0))): both ReLUs pass exactly 0, and log's local derivative at 0
    # is inf, so 0 · inf = nan reaches x in backward() (as in PyTorch); grad() agrees.
    x = Value(0.0)
    out = x.log().relu().relu()
    (by_grad,) = grad(out, [x])
    (by_graph,) = grad(out, [x], create_graph=True)
    out.backward()
    assert math.isnan(x.grad) and math.isnan(by_grad) and math.isnan(by_graph.data)
