"""How a node keeps its inputs: the ``operands`` and ``parents`` views, and memory."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

import autograd
from autograd import Value, no_grad


def test_a_leaf_has_no_operands_and_no_parents() -> None:
    x = Value(1.0)
    assert x.operands == () and x.parents == () and x.is_leaf and x.op == ""


@pytest.mark.parametrize("method", ["exp", "log", "tanh", "sigmoid", "relu", "__neg__"])
def test_a_unary_node_has_one_operand(method: str) -> None:
    x = Value(0.5)
    y = getattr(x, method)()
    assert y.operands == (x,) and y.parents == (x,) and not y.is_leaf


def test_a_binary_node_keeps_its_operands_in_order_with_constants() -> None:
    x, w = Value(2.0), Value(3.0)
    assert (x * w).operands == (x, w) and (w * x).operands == (w, x)
    assert (x * 2).operands == (x, 2.0) and (x * 2).parents == (x,)
    assert (2 - x).operands == (2.0, x) and (2 - x).parents == (x,)
    assert (x**x).operands == (x, x) and (x**x).parents == (x, x)  # used twice: twice


def test_an_n_ary_node_keeps_all_its_operands() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    total = autograd.sum([a, 2, b, a])
    assert total.operands == (a, 2.0, b, a) and total.parents == (a, b, a)
    assert autograd.sum([c]).operands == (c,)  # one input: still the n-ary op's tuple
    assert autograd.sum([c, a]).operands == (c, a)
    z = autograd.dot([a, b], [3.0, c], bias=a)
    assert z.operands == (a, b, 3.0, c, a) and z.parents == (a, b, c, a)


def test_operands_is_a_read_only_view() -> None:
    x = Value(1.0)
    y = x + 1
    with pytest.raises(AttributeError):
        y.operands = (x, 2.0)  # type: ignore[misc]
    assert y.operands == (x, 1.0)


def test_nodes_made_without_recording_have_no_operands() -> None:
    x = Value(1.0)
    with no_grad():
        nodes = [x + 1, x.tanh(), autograd.sum([x, x]), autograd.dot([x], [x])]
    assert all(n.operands == () and n.parents == () and n.is_leaf for n in nodes)


def test_nodes_made_by_hand_keep_their_children() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    assert Value(3.0, (a, b), "+").operands == (a, b)
    assert Value(2.0, (a,), "tanh").operands == (a,)
    assert Value(6.0, (a, b, c), "sum").operands == (a, b, c)
    assert Value(1.0, (b,), "sum").operands == (b,)
    assert Value(1.0, (a, b, c), "cube").operands == (a, b, c)  # the table does not know it
    total = Value(3.0, (a, b), "sum")
    total.backward()
    assert (a.grad, b.grad) == (1.0, 1.0)


def test_a_node_made_by_hand_with_the_wrong_number_of_children() -> None:
    a = Value(1.0)
    with pytest.raises(TypeError, match=r"op '\+' takes 2 input\(s\), got 3"):
        Value(3.0, (a, a, a), "+")
    with pytest.raises(TypeError, match=r"op 'tanh' takes 1 input\(s\), got 2"):
        Value(3.0, (a, a), "tanh")


def _bytes_per_op(length: int) -> float:
    """Traced bytes per node of a chain of ``x * c`` and ``x + c``, once built."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        x = Value(0.5)
        for _ in range(length // 2):
            x = x * 1.000001
            x = x + 0.000001
        built = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del x
    return (built - before) / length


def test_an_elementary_node_costs_less_than_160_bytes() -> None:
    # The Value (with its two operand slots), its data (a float) and its
    # creation number (an int): about 140 bytes on CPython 3.11 to 3.13.
    assert _bytes_per_op(10_000) < 160


@pytest.mark.parametrize(
    ("make", "chinese"),
    [
        (lambda: Value("a"), "Value 需要一个实数（int 或 float），收到的是 str：'a'"),
        (lambda: Value(Value(1.0)), "直接用这个 Value 就行"),
        (lambda: Value(1.0, label=3), "Value 的标签必须是 str"),
        (lambda: Value(10**400), "一个 1329 位的整数 太大"),
        (lambda: autograd.backward(3.0), "backward：输出必须是一个 Value，收到的是 float"),
        (lambda: autograd.grad(Value(1.0), Value(1.0)), "只有一个时写 grad(output, [x])"),
        (
            lambda: Value(1.0, (), "?") and Value(2.0, (Value(1.0),), "?").backward(),
            "运算表里没有它",
        ),
        (lambda: autograd.dot([Value(1.0)], ["x"]), "第 0 项是 str"),
    ],
)
def test_the_first_errors_a_learner_meets_speak_chinese(make, chinese) -> None:
    from autograd.language import using_language

    with using_language("zh"), pytest.raises((TypeError, ValueError, OverflowError)) as caught:
        make()
    assert chinese in str(caught.value)
