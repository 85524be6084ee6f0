"""Symbols write an expression out as code that computes it bit for bit."""

from __future__ import annotations

import math
import operator
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import floatmath, ops
from autograd.ops import CODE_NAMESPACE, Op, rule
from autograd.symbolic import LITERALS, Symbol, literal


def bits(x: float) -> bytes:
    return b"nan" if x != x else struct.pack("<d", x)


# An expression: a leaf name, a constant, or an operation on expressions.
OPERATIONS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": ops.divide,
    "**": ops.power,
    "neg": operator.neg,
    "exp": ops.exp,
    "log": ops.log,
    "sigmoid": ops.sigmoid,
}
expressions = st.recursive(
    st.one_of(st.sampled_from(["x", "y"]), st.floats(-4.0, 4.0)),
    lambda inner: st.tuples(st.sampled_from(sorted(OPERATIONS)), inner, inner),
    max_leaves=12,
)


def evaluate(expression, names: dict):  # type: ignore[no-untyped-def]
    if isinstance(expression, str):
        return names[expression]
    if isinstance(expression, float):
        return expression
    name, left, right = expression
    function = OPERATIONS[name]
    if name in ("neg", "exp", "log", "sigmoid"):
        return function(evaluate(left, names))
    return function(evaluate(left, names), evaluate(right, names))


@settings(max_examples=400, deadline=None)
@given(expression=expressions, x=st.floats(-3.0, 3.0), y=st.floats(-3.0, 3.0))
def test_the_written_code_computes_what_the_expression_computes(expression, x, y) -> None:
    text = evaluate(expression, {"x": Symbol("x"), "y": Symbol("y")})
    on_floats = evaluate(expression, {"x": x, "y": y})
    if isinstance(text, float):  # an expression of constants only
        return
    written = eval(str(text), {**CODE_NAMESPACE, **LITERALS, "x": x, "y": y})
    assert bits(written) == bits(on_floats), str(text)


def test_brackets_follow_pythons_grouping() -> None:
    a, b, c = Symbol("a"), Symbol("b"), Symbol("c")
    assert str(a - b - c) == "a - b - c"
    assert str(a - (b - c)) == "a - (b - c)"
    assert str(a + (b + c)) == "a + (b + c)"  # floats do not associate
    assert str(a * (b + c)) == "a * (b + c)"
    assert str(-(a * b)) == "-(a * b)"
    assert str(a * -b) == "a * -b"
    assert str(1.0 - a * a) == "1.0 - a * a"
    assert str(-2.0 * a) == "(-2.0) * a"
    assert str(a / b) == "divide(a, b)" and str(2.0**a) == "power(2.0, a)"


def test_literals_give_back_their_float_bit_for_bit() -> None:
    for x in (0.1, -0.0, 1e308, 5e-324, math.inf, -math.inf, -math.nan):
        assert struct.pack("<d", eval(literal(x), dict(LITERALS))) == struct.pack("<d", x)


def test_a_rule_writes_its_own_code_from_its_function() -> None:
    square = Op("square", "{a}²", lambda a: a * a).with_rules(
        rule("2·{a}", lambda g, a, z: g * (2.0 * a)),
    )
    assert square.code == "{a} * {a}"
    assert square.rules[0].code == "{g} * (2.0 * {a})"
    assert ops.TANH.rules[0].code == "{g} * (1.0 - {z} * {z})"
    assert ops.EXP.code == "exp({a})" and ops.DIV.code == "divide({a}, {b})"


def test_a_mask_needs_its_code_by_hand_and_says_so() -> None:
    with pytest.raises(TypeError, match=r"op 'ramp', forward: a function that tests a number"):
        Op("ramp", "ReLU({a})", floatmath.relu).with_rules(rule("1", lambda g, a, z: g))
    with pytest.raises(TypeError, match=r"op 'step', rule for input 0: a function that tests"):
        Op("step", "H({a})", lambda a: a).with_rules(
            rule("0", lambda g, a, z: 0.0 if a <= 0 else g),
        )
