"""define_op: a user's op joins the table and works everywhere a built-in op does."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, define, define_op, grad, gradcheck, record
from autograd.ops import BUILT_IN_OPS, OPS, exp, log, sigmoid

finite = st.floats(min_value=-20.0, max_value=20.0, allow_nan=False)


@pytest.fixture(autouse=True)
def forget_defined_ops() -> Iterator[None]:
    """Each test starts and ends with the built-in table only."""
    yield
    for name in list(define.DEFINED):
        define._unregister(name, None)
    assert tuple(OPS) == BUILT_IN_OPS


def softplus_op():  # type: ignore[no-untyped-def]
    return define_op(
        "softplus",
        lambda x: log(1.0 + exp(x)),
        lambda x: sigmoid(x),
        formula="log(1 + exp({a}))",
        derivative_formula="σ({a})",
    )


@settings(max_examples=50, deadline=None)
@given(finite)
def test_softplus_gradchecks_everywhere(x: float) -> None:
    softplus = softplus_op()
    assert gradcheck(lambda a: softplus(a * 1.5) * a, [x])


def test_backward_gives_the_derivative_and_the_table_knows_the_op() -> None:
    softplus = softplus_op()
    x = Value(0.5, label="x")
    y = softplus(x)
    assert y.op == "softplus" and OPS["softplus"].output_formula(["x"]) == "log(1 + exp(x))"
    y.backward()
    assert x.grad == 1.0 / (1.0 + math.exp(-0.5))
    assert y.data == math.log(1.0 + math.exp(0.5))


def test_second_derivative_when_the_derivative_is_written_with_values() -> None:
    softplus = softplus_op()
    x = Value(0.8)
    (first,) = grad(softplus(x), [x], create_graph=True)
    (second,) = grad(first, [x])
    s = 1.0 / (1.0 + math.exp(-0.8))
    assert second == pytest.approx(s * (1.0 - s), rel=1e-12)


def test_a_derivative_of_floats_works_once_and_says_why_not_twice() -> None:
    softplus = define_op(
        "softplus", lambda x: math.log1p(math.exp(x)), lambda x: 1.0 / (1.0 + math.exp(-x))
    )
    x = Value(0.8)
    (first,) = grad(softplus(x), [x])
    assert first == pytest.approx(1.0 / (1.0 + math.exp(-0.8)), rel=1e-12)
    with pytest.raises(TypeError, match=r"'softplus'.*create_graph"):
        grad(softplus(x), [x], create_graph=True)


@pytest.mark.parametrize("how", ["generic", "math"])
def test_a_replay_equals_backward_bit_for_bit(how: str) -> None:
    if how == "generic":
        softplus = softplus_op()
    else:  # a forward of floats: the replay calls the function itself
        softplus = define_op(
            "softplus", lambda x: math.log1p(math.exp(x)), lambda x: 1.0 / (1.0 + math.exp(-x))
        )
    w, x = Value(0.3, label="w"), Value(-1.2, label="x")
    tape = record(softplus(w * x) * w)
    for data in (0.3, 2.5, -4.0):
        w.data = data
        w.grad = x.grad = 0.0
        replayed = tape.replay()
        grads = (w.grad, x.grad)
        fresh = softplus(w * x) * w
        w.grad = x.grad = 0.0
        fresh.backward()
        assert replayed == fresh.data and grads == (w.grad, x.grad)


def test_a_binary_op_and_the_decorator() -> None:
    @define_op("scaled", derivative=lambda a, b: (b * b, 2.0 * a * b), formula="{a}·{b}²")
    def scaled(a, b):  # type: ignore[no-untyped-def]
        return a * b * b

    a, b = Value(1.5), Value(-2.0)
    z = scaled(a, b) + scaled(2.0, b)
    z.backward()
    assert (a.grad, b.grad) == (4.0, 2.0 * 1.5 * -2.0 + 2.0 * 2.0 * -2.0)
    assert OPS["scaled"].output_formula(["a", "b"]) == "a·b²"


def test_a_wrong_derivative_names_the_op_the_input_and_both_numbers() -> None:
    with pytest.raises(ValueError) as error:
        define_op("square", lambda x: x * x, lambda x: 3.0 * x)
    message = str(error.value)
    assert "'square'" in message and "input x" in message
    assert "−5.1" in message and "−3.4" in message  # 3·(−1.7) and 2·(−1.7)
    assert "square" not in OPS and "square" not in define.DEFINED  # nothing half-added


def test_a_wrong_partial_of_a_binary_op_names_that_input() -> None:
    with pytest.raises(ValueError, match="input b"):
        define_op("times", lambda a, b: a * b, lambda a, b: (b, b))


def test_check_false_skips_the_check() -> None:
    square = define_op("square", lambda x: x * x, lambda x: 3.0 * x, check=False)
    x = Value(2.0)
    square(x).backward()
    assert x.grad == 6.0


@pytest.mark.parametrize("name", ["tanh", "relu", "bce_logits", "sum", "divide"])
def test_a_built_in_name_is_refused(name: str) -> None:
    before = dict(OPS)
    with pytest.raises(ValueError, match="built-in"):
        define_op(name, lambda x: x, lambda x: 1.0)
    assert before == OPS


@pytest.mark.parametrize("name", ["", "two words", "class", 3])
def test_a_name_must_be_an_identifier(name: object) -> None:
    with pytest.raises(ValueError, match="identifier"):
        define_op(name, lambda x: x, lambda x: 1.0)  # type: ignore[arg-type]


def test_defining_again_replaces_a_defined_op() -> None:
    define_op("twice", lambda x: 2.0 * x, lambda x: 2.0)
    twice = define_op("twice", lambda x: 3.0 * x, lambda x: 3.0)
    x = Value(1.0)
    twice(x).backward()
    assert x.grad == 3.0


def test_other_mistakes_are_explained() -> None:
    with pytest.raises(TypeError, match="one input"):
        define_op("three", lambda a, b, c: a, lambda a, b, c: (1.0, 0.0, 0.0))
    with pytest.raises(TypeError, match="pair"):
        define_op("pair", lambda a, b: a * b, lambda a, b: b)
    with pytest.raises(ValueError, match="formula"):
        define_op("f", lambda x: x, lambda x: 1.0, formula="{x}")
    with pytest.raises(ValueError, match="finite"):
        define_op("g", lambda x: math.sqrt(x), lambda x: 0.5 / math.sqrt(x), check_at=[-1.0])
    root = define_op("root", lambda x: math.sqrt(x), lambda x: 0.5 / math.sqrt(x), check_at=[4.0])
    with pytest.raises(TypeError, match="'root'"):
        root("4")


def test_the_stepper_and_the_drawing_show_the_formulas() -> None:
    import autograd.draw
    import autograd.step

    softplus = softplus_op()
    x = Value(0.5, label="x")
    y = softplus(x)
    forward = autograd.step.forward_steps(y)[0].text
    backward = autograd.step.backward_steps(y)[-1].text
    assert "log(1 + exp(x))" in forward and "σ(x)" in backward
    order = autograd.topological_order(y)
    words = autograd.draw.describe_graph(order, autograd.names.names_of(order), {})
    assert "log(1 + exp(x))" in words


def test_it_is_exported() -> None:
    assert autograd.define_op is define_op and "define_op" in autograd.__all__


# log(1 + exp(x)) as written loses digits for very negative x (1 + tiny rounds):
# compared where it keeps 1e-12.
moderate = st.floats(min_value=-2.5, max_value=2.5, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(moderate, moderate)
def test_softplus_matches_pytorch_float64(x: float, w: float) -> None:
    torch = pytest.importorskip("torch")
    softplus = softplus_op()
    a, b = Value(x), Value(w)
    out = softplus(a * b) * b
    out.backward()
    ta = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    tout = torch.nn.functional.softplus(ta * tb, threshold=1000.0) * tb
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12, abs=1e-300)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12, abs=1e-300)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12, abs=1e-300)
