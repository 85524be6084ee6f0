"""softmax and cross_entropy: stable, fused, and the gradient p − y at every logit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, cross_entropy, grad, gradcheck, record, softmax

logit = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)
logit_lists = st.lists(logit, min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(logit_lists, st.data())
def test_the_gradient_at_each_logit_is_p_minus_y(zs: list[float], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(zs) - 1))
    leaves = [Value(z) for z in zs]
    loss = cross_entropy(leaves, k)
    loss.backward()
    top = max(zs)
    total = math.fsum(math.exp(z - top) for z in zs)
    p = [math.exp(z - top) / total for z in zs]
    assert loss.data == pytest.approx(-math.log(p[k]), rel=1e-12, abs=1e-12)
    for i, leaf in enumerate(leaves):
        assert leaf.grad == pytest.approx(p[i] - (i == k), rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-3.0, 3.0), min_size=2, max_size=4), st.data())
def test_both_ops_gradcheck(zs: list[float], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(zs) - 1))
    assert gradcheck(lambda *z: cross_entropy([x * 1.5 for x in z], k), zs)
    assert gradcheck(lambda *z: softmax(list(z))[k] * z[0], zs)


@settings(max_examples=40, deadline=None)
@given(logit_lists)
def test_softmax_is_stable_and_adds_up_to_one(zs: list[float]) -> None:
    shifted = [z + 700.0 for z in zs]  # exp(730) would overflow
    probabilities = [p.data for p in softmax(shifted)]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert math.fsum(probabilities) == pytest.approx(1.0, rel=1e-12)
    assert math.isfinite(cross_entropy(shifted, 0).data)


def test_second_derivatives() -> None:
    zs = [Value(0.3), Value(-1.2), Value(2.0)]
    first = grad(cross_entropy(zs, 2), zs, create_graph=True)
    hessian_row = grad(first[0], zs)
    p = [s.data for s in softmax(zs)]
    expected = [p[0] * ((j == 0) - p[j]) for j in range(3)]  # ∂p0/∂zj
    assert hessian_row == pytest.approx(expected, rel=1e-12)


def test_a_replay_equals_backward_bit_for_bit() -> None:
    zs = [Value(0.3, label="z1"), Value(-1.2, label="z2"), Value(2.0, label="z3")]
    tape = record(cross_entropy(zs, 1) + softmax(zs)[2] * 2.0)
    for data in ([0.3, -1.2, 2.0], [5.0, 4.0, -3.0], [0.0, 0.0, 0.0]):
        for z, x in zip(zs, data):
            z.data, z.grad = x, 0.0
        replayed, grads = tape.replay(), [z.grad for z in zs]
        fresh = cross_entropy(zs, 1) + softmax(zs)[2] * 2.0
        for z in zs:
            z.grad = 0.0
        fresh.backward()
        assert replayed == fresh.data and grads == [z.grad for z in zs]


def test_soft_targets_and_their_gradient() -> None:
    z = [Value(0.5), Value(-0.5)]
    y = Value(0.25)
    loss = cross_entropy(z, [y, 1.0 - y])
    assert gradcheck(lambda a, b, t: cross_entropy([a, b], [t, 1.0 - t]), [0.5, -0.5, 0.25])
    loss.backward()
    assert y.grad == pytest.approx(math.log(1 + math.exp(-1.0)) - math.log(1 + math.exp(1.0)))


@pytest.mark.parametrize("target", [3, -1, 1.5, True, "1", [0.5, 0.2, 0.2], [1.0, 0.0]])
def test_a_bad_target_is_refused(target: object) -> None:
    with pytest.raises(ValueError, match="cross_entropy"):
        cross_entropy([Value(1.0), Value(2.0), Value(3.0)], target)


def test_bad_logits_are_refused() -> None:
    with pytest.raises(TypeError, match="list of logits"):
        softmax(Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        cross_entropy([], 0)


def test_the_steps_show_p_minus_y() -> None:
    import autograd.step

    zs = [Value(0.3, label="z1"), Value(-1.2, label="z2")]
    steps = autograd.step.backward_steps(cross_entropy(zs, 0))
    # Classes count from 0, as the logits' names and Python's lists do.
    assert any("softmax(z1, z2)[0] − 1" in s.text for s in steps)
    assert any("softmax(z1, z2)[1] − 0" in s.text for s in steps)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-5.0, 5.0), min_size=2, max_size=4), st.data())
def test_matches_pytorch_float64(zs: list[float], data: st.DataObject) -> None:
    torch = pytest.importorskip("torch")
    k = data.draw(st.integers(0, len(zs) - 1))
    leaves = [Value(z) for z in zs]
    out = cross_entropy(leaves, k) + softmax(leaves)[0] * 3.0
    out.backward()
    t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([k])
    tout = torch.nn.functional.cross_entropy(t[None], target) + torch.softmax(t, 0)[0] * 3.0
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12, abs=1e-14)
    assert [x.grad for x in leaves] == pytest.approx(t.grad.tolist(), rel=1e-10, abs=1e-14)


def test_exported() -> None:
    assert {"softmax", "cross_entropy"} <= set(autograd.__all__)
