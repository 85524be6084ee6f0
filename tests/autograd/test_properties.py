"""Property-based: random expression DAGs, with reused nodes, match finite differences."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad

UNARY = ["tanh", "sigmoid", "exp_small", "square", "neg"]
BINARY = ["+", "-", "*", "/safe"]


def build(program, leaves: list) -> object:
    """Run a program (list of instructions) over leaves; works on floats and Values."""
    nodes = list(leaves)
    for kind, name, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kind == "u":
            if name == "tanh":
                out = a.tanh() if isinstance(a, Value) else math.tanh(a)
            elif name == "sigmoid":
                out = a.sigmoid() if isinstance(a, Value) else 1 / (1 + math.exp(-a))
            elif name == "exp_small":
                out = (a * 0.1).exp() if isinstance(a, Value) else math.exp(a * 0.1)
            elif name == "square":
                out = a * a
            else:
                out = -a
        elif name == "+":
            out = a + b
        elif name == "-":
            out = a - b
        elif name == "*":
            out = a * b
        else:
            out = a / (b * b + 1.0)
        nodes.append(out)
    return nodes[-1]


instruction = st.one_of(
    st.tuples(st.just("u"), st.sampled_from(UNARY), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("b"), st.sampled_from(BINARY), st.integers(0, 50), st.integers(0, 50)),
)


@settings(max_examples=150, deadline=None)
@given(
    point=st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4),
    program=st.lists(instruction, min_size=1, max_size=25),
)
def test_random_dags_match_finite_differences(point: list[float], program: list) -> None:
    leaves = [Value(x) for x in point]
    out = build(program, leaves)
    if not isinstance(out, Value):
        return  # the program only returned a leaf
    analytic = grad(out, leaves)
    eps = 1e-6
    for index in range(len(point)):
        up, down = list(point), list(point)
        up[index] += eps
        down[index] -= eps
        numeric = (build(program, up) - build(program, down)) / (2 * eps)
        tolerance = 1e-4 * max(1.0, abs(numeric))
        assert abs(analytic[index] - numeric) <= tolerance, (index, analytic, numeric)


@settings(max_examples=100, deadline=None)
@given(
    point=st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4),
    program=st.lists(instruction, min_size=1, max_size=25),
)
def test_backward_equals_grad(point: list[float], program: list) -> None:
    leaves = [Value(x) for x in point]
    out = build(program, leaves)
    if not isinstance(out, Value):
        return
    expected = grad(out, leaves)
    out.backward()
    assert [leaf.grad for leaf in leaves] == expected
