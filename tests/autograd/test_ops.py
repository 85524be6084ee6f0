"""Every op in the table: value and derivative against central finite differences."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value, floatmath, grad

# For each op: how to apply it to Values, the float function it must equal,
# and a strategy for inputs inside the op's smooth domain.
moderate = st.floats(-3.0, 3.0)
positive = st.floats(0.2, 4.0)
away_from_zero = st.one_of(st.floats(-3.0, -0.2), st.floats(0.2, 3.0))

CASES = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, (moderate, moderate)),
    "-": (lambda a, b: a - b, lambda a, b: a - b, (moderate, moderate)),
    "*": (lambda a, b: a * b, lambda a, b: a * b, (moderate, moderate)),
    "/": (lambda a, b: a / b, lambda a, b: a / b, (moderate, away_from_zero)),
    "**": (lambda a, b: a**b, lambda a, b: a**b, (positive, moderate)),
    "neg": (lambda a: -a, lambda a: -a, (moderate,)),
    "exp": (lambda a: a.exp(), math.exp, (moderate,)),
    "log": (lambda a: a.log(), math.log, (positive,)),
    "tanh": (lambda a: a.tanh(), math.tanh, (moderate,)),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), (moderate,)),
    "relu": (lambda a: a.relu(), lambda a: max(a, 0.0), (away_from_zero,)),
    "bce_logits": (
        autograd.binary_cross_entropy_with_logits,
        lambda z, y: (
            -(y * math.log(1 / (1 + math.exp(-z))) + (1 - y) * math.log(1 - 1 / (1 + math.exp(-z))))
        ),
        (moderate, st.floats(0.0, 1.0)),
    ),
    "sum": (lambda *xs: autograd.sum(xs), lambda *xs: math.fsum(xs), (moderate,) * 3),
    "dot": (
        lambda w1, w2, x1, x2, b: autograd.dot([w1, w2], [x1, x2], b),
        lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
        (moderate,) * 5,
    ),
    "cross_entropy": (
        lambda a, b, c: autograd.cross_entropy([a, b, c], 1),
        lambda a, b, c: -math.log(math.exp(b) / (math.exp(a) + math.exp(b) + math.exp(c))),
        (moderate,) * 3,
    ),
    "softmax": (
        lambda a, b, c: autograd.softmax([a, b, c])[0],
        lambda a, b, c: math.exp(a) / (math.exp(a) + math.exp(b) + math.exp(c)),
        (moderate,) * 3,
    ),
}


def test_every_op_in_the_table_is_tested() -> None:
    assert set(CASES) == set(OPS)


def central_difference(f, point: list[float], index: int, eps: float = 1e-6) -> float:
    up, down = list(point), list(point)
    up[index] += eps
    down[index] -= eps
    return (f(*up) - f(*down)) / (2 * eps)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_op_value_and_gradient(name: str, data: st.DataObject) -> None:
    apply, reference, strategies = CASES[name]
    point = [data.draw(s) for s in strategies]
    leaves = [Value(x) for x in point]
    out = apply(*leaves)
    assert out.op == name
    assert out.data == pytest.approx(reference(*point), rel=1e-12, abs=1e-12)
    analytic = grad(out, leaves)
    for index in range(len(point)):
        numeric = central_difference(reference, point, index)
        assert analytic[index] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (name, index)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_has_a_formula_for_its_output_and_each_input(name: str) -> None:
    op = OPS[name]
    count = len(op.rules) if hasattr(op, "rules") else 5
    names = ["p", "q", "r", "s", "t"][:count]
    output = op.output_formula(names)
    assert "{" not in output and "p" in output
    for index in range(count):
        text = op.derivative_formula(index, names, "z")
        assert text and "{" not in text


def test_rules_run_on_values_and_on_floats_alike() -> None:
    # The same rule, called on floats and on Values, gives the same number.
    for name in ("*", "/", "**", "exp", "log", "tanh", "sigmoid", "relu"):
        op = OPS[name]
        inputs = [1.3, 0.7][: len(op.rules)]
        out = op.forward(*inputs)
        value_inputs = [Value(x) for x in inputs]
        value_out = Value(out)
        for rule in op.rules:
            on_floats = rule.local(*inputs, out)
            on_values = rule.local(*value_inputs, value_out)
            assert float(on_values) == pytest.approx(on_floats, rel=1e-12), name


any_float = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5]),
)
FIXED_ARITY = sorted(name for name, op in OPS.items() if hasattr(op, "rules"))


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(FIXED_ARITY),
    inputs=st.lists(any_float, min_size=2, max_size=2),
    upstream=st.floats(allow_nan=False, allow_infinity=False),
)
def test_a_rule_gives_upstream_times_its_local_derivative_for_a_finite_upstream(
    name: str, inputs: list[float], upstream: float
) -> None:
    # For any inputs, inf and nan included, the rule's code with the upstream
    # equals the product upstream · local derivative (its formula), bit for
    # bit; masks differ from the product only for an inf or nan upstream.
    op = OPS[name]
    inputs = inputs[: len(op.rules)]
    out = op.forward(*inputs)
    for rule in op.rules:
        got, product = rule.vjp(upstream, *inputs, out), upstream * rule.local(*inputs, out)
        assert got == product or (math.isnan(got) and math.isnan(product)), (name, got, product)


@settings(max_examples=200, deadline=None)
@given(a=any_float, b=any_float, upstream=any_float)
def test_masks_send_nothing_whatever_the_upstream(a: float, b: float, upstream: float) -> None:
    relu, power = OPS["relu"].rules[0], OPS["**"].rules[0]
    if a <= 0:
        assert relu.vjp(upstream, a, floatmath.relu(a)) == 0.0
    else:  # a > 0 or nan: the upstream passes unchanged
        assert relu.vjp(upstream, a, floatmath.relu(a)) is upstream
    for zero in (0.0, -0.0):  # a^0 = 1 for every a: no gradient reaches a
        assert power.vjp(upstream, a, zero, floatmath.power(a, zero)) == 0.0
    if b != 0.0:  # otherwise the upstream times b·a^(b−1)
        local = b * floatmath.power(a, b - 1.0)
        got = power.vjp(upstream, a, b, floatmath.power(a, b))
        assert got == upstream * local or (math.isnan(got) and math.isnan(upstream * local))


def test_constants_stay_numbers_not_nodes() -> None:
    x = Value(3.0)
    y = x * 2
    assert y.operands == (x, 2.0)
    assert y.parents == (x,)
    z = 2 - x
    assert z.operands == (2.0, x) and z.data == -1.0
    w = 2**x
    assert w.operands == (2.0, x) and w.data == 8.0
    w.backward()
    assert x.grad == pytest.approx(8.0 * math.log(2.0))


def test_reflected_operators() -> None:
    x = Value(4.0)
    assert (1 + x).data == 5.0
    assert (1 - x).data == -3.0
    assert (2 * x).data == 8.0
    assert (2 / x).data == 0.5
    assert (2**x).data == 16.0
    assert (-x).data == -4.0
    assert (+x) is x


def test_value_to_the_power_of_a_value() -> None:
    a, b = Value(2.0), Value(3.0)
    z = a**b
    z.backward()
    assert z.data == 8.0
    assert a.grad == pytest.approx(3.0 * 4.0)
    assert b.grad == pytest.approx(8.0 * math.log(2.0))


def test_fused_sum_and_dot_match_the_elementary_version() -> None:
    ws = [Value(w) for w in (0.5, -1.5, 2.0)]
    xs = [Value(x) for x in (1.0, 2.0, -3.0)]
    fused = autograd.dot(ws, xs) + autograd.sum(ws)
    with_bias = autograd.dot(ws, xs, ws[0])
    assert with_bias.data == pytest.approx(fused.parents[0].data + 0.5)
    assert grad(with_bias, ws) == pytest.approx([1.0 + 1.0, 2.0, -3.0])
    elementary = sum((w * x for w, x in zip(ws, xs)), Value(0.0)) + sum(ws, Value(0.0))
    assert fused.data == pytest.approx(elementary.data)
    assert grad(fused, ws + xs) == pytest.approx(grad(elementary, ws + xs))
    assert fused.parents[0].op == "dot"


def test_dot_with_plain_number_inputs() -> None:
    ws = [Value(2.0), Value(3.0)]
    z = autograd.dot(ws, [10, 100])
    z.backward()
    assert z.data == 320.0
    assert [w.grad for w in ws] == [10.0, 100.0]


def test_dot_and_sum_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="2 weights and 3 inputs"):
        autograd.dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="item 1 is str"):
        autograd.sum([Value(1.0), "x"])
    assert autograd.sum([]).data == 0.0


def test_floatmath_relu_and_sigmoid_edges() -> None:
    assert floatmath.relu(-0.0) == 0.0
    assert math.isnan(floatmath.relu(math.nan))
    assert floatmath.sigmoid(-math.inf) == 0.0
    assert floatmath.sigmoid(math.inf) == 1.0
    assert math.isnan(floatmath.sigmoid(math.nan))


def test_bce_with_logits_is_stable_and_its_gradient_is_prediction_minus_target() -> None:
    for z in (-1e308, -800.0, -3.0, 0.0, 2.5, 800.0, 1e308):
        for y in (0.0, 1.0):
            logit = Value(z)
            loss = autograd.binary_cross_entropy_with_logits(logit, y)
            assert math.isfinite(loss.data) and loss.data >= 0.0
            loss.backward()
            assert logit.grad == floatmath.sigmoid(z) - y
    with pytest.raises(TypeError, match="str"):
        autograd.binary_cross_entropy_with_logits("z", 1.0)
