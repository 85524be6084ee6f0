"""IEEE 754 edge cases, anomaly detection and bad input."""

from __future__ import annotations

import fractions
import math

import pytest

import autograd
from autograd import Value, detect_anomaly, grad


def nan(x: float) -> bool:
    return math.isnan(x)


def test_forward_edge_cases_follow_ieee() -> None:
    assert (1 / Value(0.0)).data == math.inf
    assert (-1 / Value(0.0)).data == -math.inf
    assert (1 / Value(-0.0)).data == -math.inf
    assert nan((Value(0.0) / 0.0).data)
    assert Value(0.0).log().data == -math.inf
    assert nan(Value(-1.0).log().data)
    assert nan((Value(-8.0) ** (1 / 3)).data)
    assert isinstance((Value(-8.0) ** (1 / 3)).data, float)
    assert (Value(-2.0) ** 3).data == -8.0
    assert (Value(0.0) ** -1).data == math.inf
    assert (Value(10.0) ** 400).data == math.inf
    assert (Value(-10.0) ** 401).data == -math.inf
    assert Value(1000.0).exp().data == math.inf
    assert Value(-1000.0).exp().data == 0.0
    assert Value(1000.0).tanh().data == 1.0
    assert Value(1e308).sigmoid().data == 1.0
    assert Value(-1e308).sigmoid().data == 0.0
    assert Value(0.0).relu().data == 0.0


def test_backward_edge_cases_never_raise() -> None:
    x = Value(0.0)
    (1 / x).backward()
    assert x.grad == -math.inf
    y = Value(0.0)
    y.log().backward()
    assert y.grad == math.inf
    z = Value(-8.0)
    (z ** (1 / 3)).backward()
    assert nan(z.grad)
    s = Value(1e308)
    s.sigmoid().backward()
    assert s.grad == 0.0
    t = Value(1000.0)
    t.tanh().backward()
    assert t.grad == 0.0
    zero = Value(0.0)
    (zero**0.5).backward()
    assert zero.grad == math.inf
    # d(a^b)/db at a = 0 is taken as 0, as in PyTorch.
    a, b = Value(0.0), Value(2.0)
    assert grad(a**b, [a, b]) == [0.0, 0.0]


def test_relu_kink_has_derivative_zero() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_detect_anomaly_in_forward_names_op_and_inputs() -> None:
    x = Value(0.0, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        x.log()
    message = str(error.value)
    assert "'log'" in message and "x=0.0" in message and "forward" in message


def test_detect_anomaly_in_backward_names_the_node() -> None:
    x = Value(0.0, label="x")
    y = x**0.5  # finite value, infinite derivative
    with detect_anomaly(), pytest.raises(FloatingPointError) as error:
        y.backward()
    message = str(error.value)
    assert "'x'" in message and "'**'" in message and "backward" in message
    with detect_anomaly(), pytest.raises(FloatingPointError):
        grad(y, [x])


def test_detect_anomaly_is_off_by_default_and_restored() -> None:
    with detect_anomaly():
        Value(1.0).exp()
    assert Value(0.0).log().data == -math.inf


@pytest.mark.parametrize("bad", ["a", None, [1.0], 1j, {"x": 1}])
def test_value_rejects_non_numbers_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]


def test_value_accepts_ints_bools_and_numpy_like_reals() -> None:
    import fractions

    assert Value(3).data == 3.0 and isinstance(Value(3).data, float)
    assert Value(True).data == 1.0
    assert Value(fractions.Fraction(1, 4)).data == 0.25


def test_every_real_number_type_works_on_either_side_of_an_op() -> None:
    quarter = fractions.Fraction(1, 4)
    a = Value(2.0)
    assert (a * quarter).data == 0.5 and (a * quarter).operands == (a, 0.25)
    assert (quarter - a).data == -1.75 and (quarter - a).operands == (0.25, a)
    loss = autograd.binary_cross_entropy_with_logits(a, fractions.Fraction(1, 1))
    assert loss.data == autograd.binary_cross_entropy_with_logits(a, 1.0).data
    (a * quarter).backward()
    assert a.grad == 0.25


def test_an_int_too_large_for_a_float_is_a_clear_error() -> None:
    for make in (
        lambda: Value(10**400),
        lambda: Value(1.0) * 10**400,
        lambda: 10**400 - Value(1.0),
        lambda: autograd.sum([Value(1.0), 10**400]),
    ):
        with pytest.raises(OverflowError, match=r"an int of 1329 bits is too large .* math\.inf"):
            make()


def test_value_rejects_a_value_and_a_bad_label() -> None:
    with pytest.raises(TypeError, match="detach"):
        Value(Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_unsupported_operands_give_pythons_type_error() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="unsupported operand"):
        x + "a"  # type: ignore[operator]
    with pytest.raises(TypeError, match="Value"):
        [1] * x  # type: ignore[operator]
    with pytest.raises(TypeError):
        x < "a"  # type: ignore[operator]  # noqa: B015


def test_comparisons_use_data_and_equality_is_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a < 2 and b <= a and a >= b and not a > b
    assert a > 0
    assert a != b and a == a
    assert len({a, b}) == 2
    assert sorted([Value(3.0), Value(1.0)])[0].data == 1.0


def test_repr_and_format() -> None:
    v = Value(2.5, label="w")
    assert repr(v) == "Value(data=2.5, grad=0.0, label='w')"
    assert f"{v:.1f}" == "2.5"
    assert float(v) == 2.5


# Edge cases where a product "upstream · local derivative" would give nan but
# PyTorch (float64) masks the gradient instead.


@pytest.mark.parametrize("base", [0.0, -0.0, math.nan, 2.0, -3.0, math.inf])
def test_power_with_exponent_zero_sends_the_base_no_gradient(base: float) -> None:
    # PyTorch: where(b == 0, 0, upstream · b · a^(b−1)); at a = 0 the product is 0 · inf.
    a = Value(base)
    (a**0).backward()
    assert a.grad == 0.0
    a, b = Value(base), Value(0.0)
    (a**b).backward()
    assert a.grad == 0.0
    a = Value(base)
    ((a**0) * math.inf).backward()  # masked even against an infinite upstream
    assert a.grad == 0.0


def test_power_with_a_value_exponent_zero_keeps_the_exponent_rule() -> None:
    a, b = Value(0.0), Value(0.0)
    assert grad(a**b, [a, b]) == [0.0, 0.0]  # ∂/∂b at a = 0, b >= 0 is 0, as before
    a, b = Value(math.nan), Value(0.0)
    da, db = grad(a**b, [a, b])
    assert da == 0.0 and nan(db)  # z · log(nan) = nan, as PyTorch gives


def test_relu_passes_the_gradient_by_a_mask_not_a_product() -> None:
    # PyTorch: where(x <= 0, 0, upstream), so 0 even for an upstream of inf or nan.
    x, y = Value(-1.0), Value(math.inf)
    (x.relu() * y).backward()
    assert x.grad == 0.0 and y.grad == 0.0
    x = Value(-1.0)
    (x.relu() * math.nan).backward()
    assert x.grad == 0.0
    x = Value(2.0)
    (x.relu() * math.inf).backward()
    assert x.grad == math.inf
    x = Value(math.nan)  # nan <= 0 is false: the gradient passes
    x.relu().backward()
    assert x.grad == 1.0
    assert grad(Value(math.nan).relu() * 3.0, [x]) == [0.0]  # (x is not in that graph)
    x = Value(math.nan)
    assert grad(x.relu() * 3.0, [x]) == [3.0]


def test_relu_mask_on_the_recorded_path_still_gives_values() -> None:
    x, y = Value(-1.0), Value(math.inf)
    dx, dy = grad(x.relu() * y, [x, y], create_graph=True)
    assert isinstance(dx, Value) and isinstance(dy, Value)
    assert dx.data == 0.0 and dy.data == 0.0
    x = Value(-2.0)
    (dx,) = grad(x.relu(), [x], create_graph=True)
    assert isinstance(dx, Value) and dx.data == 0.0
    a = Value(0.0)
    (da,) = grad(a**0, [a], create_graph=True)
    assert isinstance(da, Value) and da.data == 0.0
    x = Value(3.0)
    (dx,) = grad(x.relu() * x, [x], create_graph=True)  # 2x for x > 0
    assert isinstance(dx, Value) and dx.data == 6.0
    (d2x,) = grad(dx, [x])
    assert d2x == 2.0


@pytest.mark.parametrize(
    ("logit", "target", "loss"),
    [
        (math.inf, 0.0, math.inf),
        (math.inf, 0.3, math.inf),
        (math.inf, 1.0, 0.0),
        (-math.inf, 0.0, 0.0),
        (-math.inf, 1.0, math.inf),
        (-math.inf, 0.5, math.inf),
    ],
)
def test_bce_at_an_infinite_logit_is_its_limit(logit: float, target: float, loss: float) -> None:
    z = Value(logit)
    out = autograd.binary_cross_entropy_with_logits(z, target)
    assert out.data == loss
    out.backward()
    assert z.grad == (1.0 if logit > 0 else 0.0) - target  # σ(z) − y, finite
    tape = autograd.record(autograd.binary_cross_entropy_with_logits(z, target))
    assert tape.replay() == loss
