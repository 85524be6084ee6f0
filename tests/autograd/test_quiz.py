"""The quiz's questions: every answer is the engine's own number."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from autograd.quiz import ABSOLUTE_TOLERANCE, is_right, questions, tolerance_text
from autograd.step import steps


def square() -> tuple[Value, Value]:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    return x, y


def test_reuse_asks_for_the_local_derivative_the_amount_and_the_running_sum() -> None:
    x, y = square()
    asks = questions(steps(y), lang="en")
    backward = [a for a in asks[1:] if a is not None]
    (ask,) = backward  # the seed asks nothing; the product asks about its second path
    assert [q.kind for q in ask.questions] == ["local", "received", "sum"]
    assert [q.answer for q in ask.questions] == [3.0, 3.0, 6.0]
    y.backward()
    assert ask.questions[-1].answer == x.grad  # the running sum is backward()'s gradient
    assert ask.masked.splitlines() == [
        "∂y/∂x += ∂y/∂y · x = 1 · 3 = 3",  # the first path, already passed
        "∂y/∂x += ∂y/∂y · x = 1 · ? = ?",
        "    ∂y/∂x = 3 + ? = ?",
    ]
    assert ask.rule.splitlines()[-1] == "    ∂y/∂x = 3 + 3 = 6"


def test_the_articles_network_answers_are_backwards_gradients() -> None:
    model = nn.seed_network(seed=0)
    stepper = model.stepper(x=[0.5, 1.0], y=1.0, quiz=True)
    loss = stepper.output
    loss.backward()
    by_name = {stepper._names[v]: v for v in autograd.engine.topological_order(loss)}
    asked = [a for a in stepper.asks if a is not None and a.parent]
    assert len(asked) == 8  # one parent per backward step after the seed
    for ask in asked:
        received = next(q for q in ask.questions if q.kind == "received")
        parent = by_name[ask.parent]
        if not parent.operands:  # a weight, reached once: what it receives is its gradient
            assert received.answer == parent.grad
        assert "?" in ask.masked and received.shown in ask.rule
    # Forward: every value is the node's own, and ŷ is σ of the logit.
    forward = [a for a, s in zip(stepper.asks, stepper.steps) if s.phase == "forward"]
    for ask, step in zip(forward, stepper.steps):
        assert ask is not None and ask.questions[-1].answer == step.node.data
        assert ask.masked.endswith("= ?")
    bce = forward[-1]
    assert bce.questions[0].label == "ŷ"
    assert bce.questions[0].answer == pytest.approx(1 / (1 + math.exp(-loss.operands[0].data)))
    assert "0.7115" not in bce.masked  # ŷ's number is not given away on the loss's line


def test_the_words_are_in_the_chosen_language() -> None:
    _, y = square()
    (ask,) = [a for a in questions(steps(y), lang="zh")[1:] if a is not None]
    assert ask.questions[0].label == "局部导数 ∂y/∂x"
    assert "累加" in ask.questions[2].label
    assert "0.001" in tolerance_text("zh") and "0.001" in tolerance_text("en")


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_the_tolerance_is_absolute_or_relative(answer: float) -> None:
    assert is_right(answer, answer)
    assert is_right(answer + ABSOLUTE_TOLERANCE / 2, answer)
    assert is_right(answer * (1 + 5e-4), answer)
    off = 2 * ABSOLUTE_TOLERANCE + 2e-3 * abs(answer)
    assert not is_right(answer + off, answer) and not is_right(answer - off, answer)
    assert not is_right(math.nan, answer) and not is_right(math.inf, answer)


def test_a_quiz_page_holds_its_answers_for_pages_without_javascript() -> None:
    _, y = square()
    quiz = autograd.stepper.Stepper(y, quiz=True).html()
    assert 'class="gg-quiz-nojs"' in quiz and "The quiz needs JavaScript" in quiz
    assert "∂y/∂x now (the running sum)</td><td>6</td>" in quiz
    plain = autograd.stepper.Stepper(y).html()
    assert 'class="gg-quiz-nojs"' not in plain  # no quiz asked for: nothing said about it
    forward = autograd.stepper.Stepper(y, quiz=True, quiz_forward=True).html()
    assert "<td>1</td><td>y</td><td>9</td>" in forward


def test_the_quiz_works_without_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "graphviz", None)
    _, y = square()
    stepper = autograd.stepper.Stepper(y, quiz=True)
    assert stepper.missing and [f["quiz"] is not None for f in stepper.frames] == [
        True,
        False,
        True,
    ]
    assert '"start":{}' in stepper.html()
