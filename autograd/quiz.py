"""Predict the next gradient: the stepper's questions, made from the real steps.

Before a backward step the stepper can pause and ask, for one parent the
step gives gradient to: its local derivative, the amount it receives
(upstream · local), and, where that parent was reached before, the running
sum. Forward steps can ask for the node's value. Every answer is the
engine's own number, read from the step (``autograd.step``), and every text
a learner reads comes from the message catalogue.

    from autograd import Value
    from autograd.quiz import questions
    from autograd.step import steps

    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    asked = questions(steps(y))  # one entry per step, None where nothing is asked
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from autograd import floatmath
from autograd.language import current_language, text
from autograd.names import fmt, fmt_factor, sum_text
from autograd.step import Contribution, Step
from autograd.value import Value

#: An answer is right when it is this close to the engine's number, absolutely
#: or relatively (the numbers on the page have four significant digits).
ABSOLUTE_TOLERANCE = 1e-3
RELATIVE_TOLERANCE = 1e-3


@dataclass
class Question:
    """One number to predict.

    Attributes:
        kind: ``"local"``, ``"received"``, ``"sum"`` (backward) or ``"value"`` (forward).
        label: what is asked, in symbols (``∂y/∂x``).
        answer: the engine's number.
        shown: the answer as the page writes it.
        hint: what to do, in words, shown after a second miss.
    """

    kind: str
    label: str
    answer: float
    shown: str
    hint: str


@dataclass
class Ask:
    """What one step asks: its questions, the step's text with the answers hidden,
    and the rule with numbers plugged in (shown once answered)."""

    questions: list[Question]
    masked: str
    rule: str
    parent: str = ""

    def as_data(self) -> dict[str, Any]:
        """The ask as JSON-ready data for the page's script."""
        return {
            "parent": self.parent,
            "masked": self.masked,
            "rule": self.rule,
            "questions": [
                {
                    "kind": q.kind,
                    "label": q.label,
                    "answer": q.answer,
                    "shown": q.shown,
                    "hint": q.hint,
                }
                for q in self.questions
            ],
        }


def is_right(given: float, answer: float) -> bool:
    """Whether ``given`` is the answer within the stated tolerance (the page's check too)."""
    if not math.isfinite(given):
        return False
    difference = abs(given - answer)
    return difference <= ABSOLUTE_TOLERANCE or difference <= RELATIVE_TOLERANCE * abs(answer)


def tolerance_text(lang: str | None = None) -> str:
    """The tolerance in words, as the page states it."""
    return text(
        "quiz.tolerance",
        lang,
        absolute=fmt(ABSOLUTE_TOLERANCE),
        relative=fmt(RELATIVE_TOLERANCE),
    )


def chosen_parent(step: Step) -> Contribution | None:
    """The parent a backward step asks about: one reached a second time if there is
    one (the running sum is the lesson), else the first."""
    if not step.contributions:
        return None
    again = [c for c in step.contributions if c.grad_before is not None]
    return again[0] if again else step.contributions[0]


def _lines(c: Contribution, node: str, out_name: str, upstream: float) -> list[str]:
    """A contribution as the step writes it (and its running sum, if any)."""
    grad = f"∂{out_name}/∂{c.parent_name}"
    lines = [
        f"{grad} += ∂{out_name}/∂{node} · {c.local_formula} = {fmt_factor(upstream)} · "
        f"{fmt_factor(c.local_value)} = {fmt(c.amount)}"
    ]
    if c.grad_before is not None:
        lines.append(f"    {grad} = {sum_text([c.grad_before, c.amount])} = {fmt(c.grad_after)}")
    return lines


def backward_ask(step: Step, out_name: str, lang: str | None = None) -> Ask | None:
    """The questions of one backward step (None for the seed).

    The page shows the step's lines up to the parent asked about, that
    parent's with its numbers hidden.
    """
    lang = current_language(lang)
    c = chosen_parent(step)
    if c is None:
        return None
    node, parent = step.name, c.parent_name
    grad = f"∂{out_name}/∂{parent}"
    earlier = [
        line
        for other in step.contributions[: step.contributions.index(c)]
        for line in _lines(other, node, out_name, step.upstream)
    ]
    questions = [
        Question(
            "local",
            text("quiz.label.local", lang, derivative=f"∂{node}/∂{parent}"),
            c.local_value,
            fmt(c.local_value),
            text("quiz.hint.local", lang, node=node, parent=parent, rule=c.local_formula),
        ),
        Question(
            "received",
            text("quiz.label.received", lang, parent=parent),
            c.amount,
            fmt(c.amount),
            text("quiz.hint.received", lang, node=node, upstream=fmt(step.upstream), parent=parent),
        ),
    ]
    masked = [
        f"{grad} += ∂{out_name}/∂{node} · {c.local_formula} = {fmt_factor(step.upstream)} · ? = ?"
    ]
    if c.grad_before is not None:
        before = fmt(c.grad_before)
        questions.append(
            Question(
                "sum",
                text("quiz.label.sum", lang, grad=grad),
                c.grad_after,
                fmt(c.grad_after),
                text("quiz.hint.sum", lang, parent=parent, before=before),
            )
        )
        masked.append(f"    {grad} = {before} + ? = ?")
    rule = _lines(c, node, out_name, step.upstream)
    return Ask(questions, "\n".join(earlier + masked), "\n".join(rule), parent=parent)


def forward_ask(step: Step, lang: str | None = None) -> Ask:
    """The question of one forward step: the node's value (and ŷ before a fused loss)."""
    lang = current_language(lang)
    lines = step.text.splitlines()
    answers: list[tuple[str, float]] = []
    if step.node.op == "bce_logits":
        logit = step.node.operands[0]
        z = logit.data if isinstance(logit, Value) else float(logit)
        answers.append((lines[0].split(" = ", 1)[0], floatmath.sigmoid(z)))
    answers.append((step.name, step.node.data))
    masked_lines = [line.rsplit(" = ", 1)[0] + " = ?" for line in lines]
    if step.node.op == "bce_logits":  # its second line would say ŷ's number
        masked_lines[1] = " = ".join(lines[1].split(" = ")[:2]) + " = ?"
    masked = "\n".join(masked_lines)
    questions = [
        Question(
            "value",
            name,
            value,
            fmt(value),
            text("quiz.hint.value", lang, name=name, formula=line.rsplit(" = ", 1)[0]),
        )
        for (name, value), line in zip(answers, lines)
    ]
    return Ask(questions, masked, step.text)


def questions(
    all_steps: list[Step], forward: bool = True, lang: str | None = None
) -> list[Ask | None]:
    """What each step asks (None where it asks nothing: the seed, and forward steps
    unless ``forward``)."""
    lang = current_language(lang)
    backward = [s for s in all_steps if s.phase == "backward"]
    out_name = backward[0].name if backward else ""
    asks: list[Ask | None] = []
    for step in all_steps:
        if step.phase == "forward":
            asks.append(forward_ask(step, lang) if forward else None)
        else:
            asks.append(backward_ask(step, out_name, lang))
    return asks


def answers_table(asks: list[Ask | None]) -> list[tuple[int, str, str]]:
    """``(step number, question, answer)`` rows: what a page without JavaScript shows."""
    return [
        (number, q.label, q.shown)
        for number, ask in enumerate(asks, start=1)
        if ask is not None
        for q in ask.questions
    ]
