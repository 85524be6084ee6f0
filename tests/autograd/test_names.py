"""The engine's naming: labels, places, and the hook other layers plug names into."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, topological_order
from autograd import names as naming
from autograd.names import (
    Namer,
    constant_name,
    fmt,
    fmt_factor,
    names_of,
    operand_names,
    prediction_name,
    sum_text,
    tidy_signs,
)


@pytest.fixture
def no_plug_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine alone, as if nothing had plugged names in."""
    import nn  # noqa: F401  (plugged in now, so that it cannot plug in during the test)

    monkeypatch.setattr(naming, "NAMERS", [])


def article_loss(fused: bool = True) -> Value:
    import nn

    model = nn.seed_network(seed=0, fused=fused)
    return autograd.binary_cross_entropy_with_logits(model.logits([0.5, 1.0]), 1.0)


def test_labels_and_places_name_everything(no_plug_ins: None) -> None:
    a = Value(2.0, label="a")
    out = (a * 3.0).exp()
    order = topological_order(out)
    assert list(names_of(order).values()) == ["a", "n1", "n2"]
    assert operand_names(order[1], names_of(order)) == ["a", "3"]


def test_the_engine_alone_knows_no_article(no_plug_ins: None) -> None:
    loss = article_loss()
    order = topological_order(loss)
    names = names_of(order)
    assert not {"z1[0]", "a1[0]", "z2", "ŷ", "L", "x1"} & set(names.values())
    assert {"W1[0,0]", "b2[0]"} <= set(names.values())  # the labels nn gave its parameters
    assert constant_name(order[-1], 1) is None  # the target: just a number
    assert prediction_name(loss, names) == f"σ({names[loss.operands[0]]})"


def test_nn_plugs_the_articles_names_in() -> None:
    import nn.names

    assert nn.names.ARTICLE_NAMES in naming.NAMERS
    loss = article_loss()
    order = topological_order(loss)
    names = names_of(order)
    computed = [names[node] for node in order if node.operands]
    assert computed == ["z1[0]", "z1[1]", "z1[2]", "a1[0]", "a1[1]", "a1[2]", "z2", "L"]
    assert operand_names(order[-1], names) == ["z2", "y"]
    assert prediction_name(loss, names) == "ŷ"


def test_a_label_wins_over_a_plug_ins_name() -> None:
    loss = article_loss()
    loss.label = "my loss"
    names = names_of(topological_order(loss))
    assert names[loss] == "my loss"


class Colours(Namer):
    """A plug-in for a test: names every product "red" and the number 7 "seven"."""

    def node_names(self, order: Sequence[Value]) -> Mapping[Value, str]:
        return {node: "red" for node in order if node.op == "*"}

    def constant_name(self, node: Value, position: int) -> str | None:
        return "seven" if node.operands[position] == 7.0 else None


def test_a_plug_in_names_what_it_recognises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(naming, "NAMERS", [])
    colours = Colours()
    naming.plug_in(colours)
    naming.plug_in(colours)  # once is enough
    assert [colours] == naming.NAMERS
    a = Value(1.0, label="a")
    out = (a * 7.0).tanh()
    order = topological_order(out)
    names = names_of(order)
    assert list(names.values()) == ["a", "red", "n1"]
    assert operand_names(order[1], names) == ["a", "seven"]


def test_places_follow_the_shape_not_the_inputs() -> None:
    from autograd.expression import build_expression

    def forward_names(expression: str, variables: list[str]) -> list[str]:
        order = topological_order(build_expression(expression, variables))
        names = names_of(order)
        return [names[node] for node in order if node.operands]

    # The product is the first node the reader meets in both, whatever the leaves.
    assert forward_names("(a*b + c).tanh()", ["a=2", "b=-3", "c=1"]) == ["n1", "n2", "out"]
    assert forward_names("(a*b + a).tanh()", ["a=2", "b=-3"]) == ["n1", "n2", "out"]
    assert forward_names("a*b + c*d", ["a=1", "b=2", "c=3", "d=4"]) == ["n1", "n2", "out"]


def test_unlabelled_inputs_and_computed_nodes_are_counted_apart(no_plug_ins: None) -> None:
    x, y = Value(1.0), Value(2.0)
    out = x * y + x
    names = names_of(topological_order(out))
    assert [names[x], names[y], names[out.operands[0]], names[out]] == ["v1", "v2", "n1", "n2"]


# Numbers: one formatter, and formulas written with numbers as a reader writes them.


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_number_is_written_with_the_formulas_minus_sign(x: float) -> None:
    text = fmt(x)
    assert "-" not in text and text != "−0"
    if math.isfinite(x):  # 4 significant digits (read as a Decimal: 1.798e+308 is no float)
        read = Decimal(text.replace("−", "-"))
        assert abs(read - Decimal(x)) <= abs(Decimal(x)) * Decimal("5e-4")
    assert fmt_factor(x) == (f"({text})" if text.startswith("−") else text)


@pytest.mark.parametrize(
    ("filled", "written"),
    [
        ("2 + 3", "2 + 3"),
        ("2 + (−3)", "2 − 3"),  # a subtraction
        ("(−2) + 3", "−2 + 3"),  # a first term stands alone
        ("2 − (−3)", "2 − (−3)"),  # after a minus it keeps its brackets
        ("2 · (−3)", "2 · (−3)"),  # a factor keeps them
        ("(−2) · 3", "(−2) · 3"),
        ("(−2)^2", "(−2)^2"),
        ("2^(−1)", "2^(−1)"),
        ("−(−3)", "−(−3)"),
        ("σ((−0.5))", "σ(−0.5)"),  # a function's argument
        ("BCE(σ((−0.3)), 1)", "BCE(σ(−0.3), 1)"),
        ("(−0.5)·1.089 + 1.672·(−1) + (−2.125)", "(−0.5)·1.089 + 1.672·(−1) − 2.125"),
        ("1 + (−1.5e−05)", "1 − 1.5e−05"),
        ("exp((−inf))", "exp(−inf)"),
    ],
)
def test_signs_in_formulas(filled: str, written: str) -> None:
    assert tidy_signs(filled) == written


def test_a_running_sum_subtracts_what_is_negative() -> None:
    assert sum_text([0.001341, -0.004023]) == "0.001341 − 0.004023"
    assert sum_text([-1.0, 2.0, -3.0]) == "−1 + 2 − 3"
    assert sum_text([1.0, 2.0]) == "1 + 2"
