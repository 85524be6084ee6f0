"""The backward pass's fast paths give exactly what the plain rules give.

* ``backward()``'s loop (``autograd.fast_paths``) equals ``propagate`` at
  every node, bit for bit, on random graphs of every op;
* ``sum`` and ``dot`` apply their rule to all inputs at once (``N_ARY``);
* ``matvec`` builds the same nodes as one ``dot`` per row;
* a node whose gradient is exactly 0 is skipped only where that changes
  nothing: with nan and inf about, the results still match ``grad()``, which
  applies every rule through ``local_derivatives`` and skips nothing.
"""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value, engine, grad, ops
from autograd.fast_paths import N_ARY
from autograd.ops import FINITE_LOCALS
from tests.autograd.test_tape import NAMES, bits, floats
from tests.autograd.test_tape import build as build_any
from tests.autograd.test_tape import instruction as any_instruction


def same(a: float, b: float) -> bool:
    """Equal, or both nan."""
    return a == b or (math.isnan(a) and math.isnan(b))


# Leaves: ordinary numbers, exact zeros (dead ReLUs, zero gradients), and now
# and then an inf or a nan.
leaf = st.one_of(
    st.floats(-3.0, 3.0),
    st.just(0.0),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, 5e-324]),
)
# (kind, indices into the nodes made so far, a constant)
instruction = st.tuples(
    st.sampled_from(
        ["relu", "dot", "dot_const", "sum", "*", "+", "times0", "tanh", "exp", "log", "sqrt", "/"]
    ),
    st.lists(st.integers(0, 60), min_size=1, max_size=5),
    st.floats(-2.0, 2.0),
)


def build(program: list, leaves: list[Value]) -> Value:
    nodes: list[Value] = list(leaves)
    for kind, picks, constant in program:
        args = [nodes[i % len(nodes)] for i in picks]
        a = args[0]
        if kind == "relu":
            out = a.relu()
        elif kind == "dot":
            half = max(1, len(args) // 2)
            out = autograd.dot(args[:half], args[half : 2 * half] or [constant], args[-1])
        elif kind == "dot_const":  # constant inputs, as data features are
            out = autograd.dot(args, [constant] * len(args))
        elif kind == "sum":
            out = autograd.sum([*args, constant])
        elif kind == "*":
            out = a * args[-1]
        elif kind == "+":
            out = a + constant
        elif kind == "times0":  # makes an exactly-zero gradient upstream
            out = a * 0.0
        elif kind == "tanh":
            out = a.tanh()
        elif kind == "exp":
            out = a.exp()
        elif kind == "log":  # infinite local derivative at 0
            out = a.log()
        elif kind == "sqrt":  # infinite local derivative at 0
            out = a**0.5
        else:
            out = a / args[-1]
        nodes.append(out)
    return nodes[-1]


@settings(max_examples=300, deadline=None)
@given(
    point=st.lists(leaf, min_size=1, max_size=5),
    program=st.lists(instruction, min_size=1, max_size=30),
)
def test_backward_with_its_fast_paths_equals_the_plain_rules(point: list, program: list) -> None:
    leaves = [Value(x) for x in point]
    out = build(program, leaves)
    expected = grad(out, leaves)
    out.backward()
    for leaf_value, want in zip(leaves, expected, strict=True):
        got = leaf_value.grad
        # Only the order of additions may differ (a Value used as a weight and
        # as an input of one dot), so allow the last bits.
        assert same(got, want) or math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300), (
            got,
            want,
        )


def propagate_everywhere(output: Value) -> None:
    """backward() as the engine defines it: propagate() at every node, last first."""
    order = autograd.topological_order(output)
    for node in order:
        if not node.is_leaf:
            node.grad = 0.0
    output.grad += 1.0
    for node in reversed(order):
        if not engine.skips(node, node.grad):
            engine.propagate(node)


def check_fast_loop(program: list, point: list[float], grads: list[float]) -> None:
    graphs = []
    for _ in range(2):
        leaves = [Value(x) for x in point]
        for leaf, g in zip(leaves, grads, strict=True):
            leaf.grad = g
        graphs.append(autograd.topological_order(build_any(program, leaves)))
    fast, plain = graphs
    fast[-1].backward()
    propagate_everywhere(plain[-1])
    assert [bits(node.grad) for node in fast] == [bits(node.grad) for node in plain]


four = st.lists(floats, min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_instruction(), min_size=1, max_size=12), four, four)
def test_the_fast_loop_equals_propagate_on_random_graphs(program, point, grads) -> None:
    check_fast_loop(program, point, grads)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data(), point=four, grads=four)
def test_the_fast_loop_equals_propagate_for_every_op(name: str, data, point, grads) -> None:
    program = data.draw(st.lists(any_instruction(), max_size=4))
    program.append(data.draw(any_instruction(name)))
    program += data.draw(st.lists(any_instruction(), max_size=3))
    check_fast_loop(program, point, grads)


def test_a_zero_gradient_through_an_infinite_derivative_is_nan_not_skipped() -> None:
    # d√x/dx is inf at 0; 0 · inf is nan, as IEEE (and PyTorch) say.
    x = Value(0.0)
    (x**0.5 * 0.0).backward()
    assert math.isnan(x.grad)
    # dot's inputs are finite whenever its output is; here it is not.
    w, x = Value(math.inf), Value(0.0)
    (autograd.dot([w], [x]) * 0.0).backward()
    assert math.isnan(x.grad)


def test_dead_relus_send_back_exact_zeros() -> None:
    w = [Value(-1.0), Value(2.0)]
    x = [Value(1.0), Value(0.25)]
    z = autograd.dot(w, x, Value(-5.0)).relu()  # z = 0: the ReLU is off
    z.backward()
    assert [v.grad for v in w + x] == [0.0] * 4


def test_only_ops_with_finite_local_derivatives_may_be_skipped() -> None:
    assert {"+", "-", "*", "neg", "relu", "sum", "dot"} <= FINITE_LOCALS
    assert not {"/", "**", "log"} & FINITE_LOCALS  # 1/b, log a: inf for finite inputs
    assert set(OPS) >= FINITE_LOCALS


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(st.floats(-5.0, 5.0), min_size=1, max_size=8),
    constant_mask=st.lists(st.booleans(), min_size=8, max_size=8),
    upstream=st.floats(-3.0, 3.0),
)
def test_accumulate_agrees_with_local_derivatives(
    data: list[float], constant_mask: list[bool], upstream: float
) -> None:
    operands = tuple(
        x if constant else Value(x) for x, constant in zip(data, constant_mask, strict=False)
    )
    inputs = [x.data if isinstance(x, Value) else x for x in operands]
    for op in (OPS["sum"], OPS["dot"]):
        for x in operands:
            if isinstance(x, Value):
                x.grad = 0.0
        N_ARY[op.name](operands, upstream)
        expected: dict[Value, float] = {}
        for x, local in zip(operands, op.local_derivatives(inputs, 0.0), strict=True):
            if isinstance(x, Value):
                expected[x] = expected.get(x, 0.0) + upstream * local
        for x, want in expected.items():
            assert x.grad == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_matvec_is_one_dot_per_row() -> None:
    rows = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)], [Value(-3.0), Value(1.5)]]
    biases = [Value(0.1), Value(-0.2), Value(0.3)]
    x = [Value(1.5), 2]  # an int input becomes a float constant
    zs = autograd.matvec(rows, x, biases)
    singles = [autograd.dot(row, x, b) for row, b in zip(rows, biases, strict=True)]
    assert [z.op for z in zs] == ["dot"] * 3
    assert [z.data for z in zs] == [z.data for z in singles]
    assert all(type(item) in (Value, float) for z in zs for item in z.operands)
    leaves = [w for row in rows for w in row] + biases + [x[0]]
    assert grad(autograd.sum(zs), leaves) == grad(autograd.sum(singles), leaves)
    assert [z.data for z in autograd.matvec(rows, x)] == [autograd.dot(row, x).data for row in rows]


def test_dot_adds_the_products_after_the_bias_like_a_hand_written_sum() -> None:
    w = [Value(0.1), Value(0.2), Value(0.3)]
    x = [Value(0.7), Value(-1.3), Value(2.9)]
    b = Value(1e-3)
    by_hand = sum((wi * xi for wi, xi in zip(w, x, strict=True)), b)
    assert autograd.dot(w, x, b).data == by_hand.data  # bit for bit


def test_matvec_rejects_bad_shapes_and_items() -> None:
    w = [[Value(1.0), Value(2.0)], [Value(3.0)]]
    with pytest.raises(ValueError, match="row 1 has 1 weights but there are 2 inputs"):
        autograd.matvec(w, [1.0, 2.0])
    with pytest.raises(ValueError, match="2 rows and 1 biases"):
        autograd.matvec(w, [1.0, 2.0], [Value(0.0)])
    with pytest.raises(TypeError, match=r"autograd\.matvec inputs: item 1 is str"):
        autograd.matvec([[Value(1.0), Value(2.0)]], [1.0, "2"])
    with pytest.raises(TypeError, match=r"autograd\.matvec weights: item 0 is NoneType"):
        autograd.matvec([[None, Value(2.0)]], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"autograd\.dot bias: item 0 is str"):
        autograd.dot([Value(1.0)], [1.0], "b")
    assert autograd.matvec([], [1.0]) == []
    assert autograd.dot([], []).data == 0.0
    assert autograd.dot([], [], Value(2.0)).data == 2.0


# Values where a plain left-to-right fold and a compensated sum (Python 3.12+'s
# sum() of floats) differ: 1e16 + 1.0 rounds back to 1e16, so the fold loses the 1.
CANCELLING = [1e16, 1.0, -1e16]


def test_sum_adds_left_to_right_like_pythons_sum_of_values_on_every_python() -> None:
    values = [Value(x) for x in CANCELLING]
    assert sum(values).data == 0.0  # Values add pairwise: 0 + 1e16 + 1 - 1e16
    assert autograd.sum(values).data == 0.0  # not 1.0, as a compensated sum gives
    assert autograd.sum([*values[:2], -1e16]).data == 0.0  # with a constant too


def test_dot_adds_left_to_right_after_the_bias_on_every_python() -> None:
    w = [Value(1e16), Value(1.0), Value(-1e16)]
    x = [1.0, 1.0, 1.0]
    by_hand = sum((wi * xi for wi, xi in zip(w, x, strict=True)), Value(0.0))
    assert by_hand.data == 0.0
    assert autograd.dot(w, x).data == 0.0
    assert autograd.dot(w[1:], x[1:], Value(1e16)).data == 0.0
    assert [z.data for z in autograd.matvec([w, w], x, [0.5, None])] == [0.0, 0.0]


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.floats(-1e16, 1e16), min_size=0, max_size=8),
    data=st.data(),
)
def test_fused_nodes_equal_the_hand_written_fold_bit_for_bit(weights: list[float], data) -> None:
    inputs = data.draw(st.lists(st.floats(-1e3, 1e3), min_size=len(weights), max_size=len(weights)))
    bias = data.draw(st.floats(-1e16, 1e16))
    w = [Value(x) for x in weights]
    by_hand = sum((wi * xi for wi, xi in zip(w, inputs, strict=True)), Value(bias))
    assert autograd.dot(w, inputs, Value(bias)).data == by_hand.data
    assert autograd.sum(w).data == sum(w, Value(0.0)).data


@pytest.mark.parametrize("plain_sum", [True, False])
def test_both_ways_of_adding_fold_left_to_right(plain_sum: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Python 3.11 uses sum(), later Pythons reduce(): run both on this Python
    # (sum() is a plain fold only before 3.12, so skip it after).
    if plain_sum and sys.version_info >= (3, 12):
        pytest.skip("sum() of floats compensates from Python 3.12")
    monkeypatch.setattr(ops, "_PLAIN_SUM", plain_sum)
    assert OPS["sum"].forward(*CANCELLING) == 0.0
    assert ops.DotOp.combine(CANCELLING, [1.0] * 3, 0.5) == 0.5 + 1e16 + 1.0 - 1e16
    w = [Value(x) for x in (0.1, 0.2, 0.3, 1e16, -1e16)]
    inputs = [0.7, -1.3, 2.9, 1.0, 1.0]
    assert (
        autograd.dot(w, inputs, 1e-3).data
        == sum((wi * xi for wi, xi in zip(w, inputs, strict=True)), Value(1e-3)).data
    )
    assert autograd.sum(w).data == sum(w).data
