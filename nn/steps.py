"""The article's layer-by-layer view of one backward pass, with the engine's numbers.

The engine works one scalar at a time; the article writes the same backward
pass as six matrix formulas. ``layer_view`` groups the engine's gradients
into those formulas, for the 2-layer network with a sigmoid output, with
the numbers of that layer. ``article_panel`` shows them under the stepper,
filling in as the pass reaches each one.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Sequence

import autograd
from autograd.language import current_language, text, using_language
from autograd.names import fmt, fmt_factor
from autograd.step import Step
from autograd.stepper import Panel, Stepper
from nn.layers import MLP
from nn.matrix import matrix_panel


def _vector(values: Iterable[float]) -> str:
    return "[" + ", ".join(fmt(v) for v in values) + "]"


def layer_view(model: MLP, x: Sequence[float], y: float) -> list[tuple[str, str]]:
    """``(formula, numbers)`` for each of the article's backward formulas.

    The numbers on the right of each ``=`` are the engine's gradients (from
    ``autograd.grad`` on the real graph); the ones before are the forward
    values the formula uses, so a learner can redo each product by hand.

    Raises:
        ValueError: if the model is not a ReLU layer followed by one sigmoid output.
    """
    if model.activations != ["relu", "sigmoid"] or model.sizes[-1] != 1:
        raise ValueError(text("error.step.layer_view", model=model))
    hidden, output = model.layers
    z1 = hidden.pre_activation(x)
    a1 = [z.relu() for z in z1]
    z2 = output.pre_activation(a1)[0]
    loss = autograd.binary_cross_entropy_with_logits(z2, y)
    neuron = output.neurons[0]
    # One autograd.grad call per formula: the graph is tiny, and this reads like the table.
    (dz2,) = autograd.grad(loss, [z2])
    dW2 = autograd.grad(loss, neuron.w)
    (db2,) = autograd.grad(loss, [neuron.b])
    dz1 = autograd.grad(loss, z1)
    dW1 = [autograd.grad(loss, n.w) for n in hidden.neurons]
    db1 = autograd.grad(loss, [n.b for n in hidden.neurons])
    y_hat = z2.sigmoid().data
    relu_prime = [1.0 if z.data > 0 else 0.0 for z in z1]
    w2 = [w.data for w in neuron.w]
    return [
        ("∂L/∂z2 = ŷ − y", f"{fmt(y_hat)} − {fmt(y)} = {fmt(dz2)}"),
        (
            "∂L/∂W2 = ∂L/∂z2 · a1ᵀ",
            f"{fmt_factor(dz2)} · {_vector(a.data for a in a1)} = {_vector(dW2)}",
        ),
        ("∂L/∂b2 = ∂L/∂z2", fmt(db2)),
        (
            "∂L/∂z1 = (W2ᵀ · ∂L/∂z2) ⊙ ReLU'(z1)",
            f"({_vector(w2)} · {fmt_factor(dz2)}) ⊙ {_vector(relu_prime)} = {_vector(dz1)}",
        ),
        (
            "∂L/∂W1 = ∂L/∂z1 · Xᵀ",
            f"{_vector(dz1)} · {_vector(x)} = "
            + "["
            + ", ".join(_vector(row) for row in dW1)
            + "]",
        ),
        ("∂L/∂b1 = ∂L/∂z1", _vector(db1)),
    ]


#: What each gradient's name says about the article's rows: the row its value fills.
_ROWS = [
    (re.compile(p), row)
    for p, row in [
        (r"z2", 0),
        (r"W2\[.*", 1),
        (r"b2\[.*", 2),
        (r"a1\[.*", 3),
        (r"z1\[.*", 3),
        (r"W1\[.*", 4),
        (r"b1\[.*", 5),
    ]
]


def article_panel(model: MLP, x: Sequence[float], y: float) -> Callable[[list[Step]], Panel]:
    """The article's six backward formulas as a stepper panel that fills in step by step.

    Each row shows its numbers once the backward pass has reached them (a
    vector entry not reached yet is "?"), and the rows a step works on are
    the current ones. The numbers are the step-through's own gradients, by
    name (``z2``, ``W2[0,k]``, ``z1[j]``, ...), so the panel and the graph
    always agree.

    Raises:
        ValueError: if the model is not a ReLU layer followed by one sigmoid output.
    """
    layer_view(model, x, y)  # checks the model
    hidden, output = model.layers
    with autograd.no_grad():
        z1 = [z.data for z in hidden.pre_activation(x)]
        a1 = [max(z, 0.0) for z in z1]
        z2 = output.pre_activation(a1)[0].data
    y_hat = 1.0 / (1.0 + math.exp(-z2)) if z2 >= 0 else math.exp(z2) / (1.0 + math.exp(z2))
    w2 = [w.data for w in output.neurons[0].w]
    relu_prime = [1.0 if z > 0 else 0.0 for z in z1]
    n, nin = len(z1), len(x)
    formulas = [formula for formula, _ in layer_view(model, x, y)]

    def numbers(grads: dict[str, float]) -> list[str]:
        def vector(names: list[str]) -> str:
            return "[" + ", ".join(fmt(grads[k]) if k in grads else "?" for k in names) + "]"

        dz1 = [f"z1[{j}]" for j in range(n)]
        dw2 = [f"W2[0,{k}]" for k in range(n)]
        rows = ["", "", "", "", "", ""]
        if "z2" in grads:
            dz2, factor = fmt(grads["z2"]), fmt_factor(grads["z2"])
            rows[0] = f"{fmt(y_hat)} − {fmt(y)} = {dz2}"
            if dw2[0] in grads:
                rows[1] = f"{factor} · {_vector(a1)} = {vector(dw2)}"
            if "b2[0]" in grads:
                rows[2] = fmt(grads["b2[0]"])
            if any(k in grads for k in dz1):
                rows[3] = f"({_vector(w2)} · {factor}) ⊙ {_vector(relu_prime)} = {vector(dz1)}"
        if any(f"W1[{j},0]" in grads for j in range(n)):
            rows[4] = (
                f"{vector(dz1)} · {_vector(x)} = ["
                + ", ".join(vector([f"W1[{j},{k}]" for k in range(nin)]) for j in range(n))
                + "]"
            )
        if any(f"b1[{j}]" in grads for j in range(n)):
            rows[5] = vector([f"b1[{j}]" for j in range(n)])
        return rows

    def panel(all_steps: list[Step]) -> Panel:
        current = []
        for step in all_steps:
            rows = {
                row
                for c in step.contributions
                for pattern, row in _ROWS
                if pattern.fullmatch(c.parent_name)
            }
            current.append(sorted(rows))
        return Panel(
            text("stepper.article_panel"),
            formulas,
            [numbers(step.grads) for step in all_steps],
            current,
        )

    return panel


def model_stepper(
    model: MLP,
    x: Sequence[float] = (0.0, 1.0),
    y: float = 1.0,
    quiz: bool = False,
    quiz_forward: bool = False,
    lang: str | None = None,
) -> Stepper:
    """A step-through of ``model``'s loss on one sample ``(x, y)``: ``MLP.stepper``.

    The loss is binary cross-entropy on the output logit; for a model with
    one output per class, cross-entropy on their softmax (``y`` the class,
    0 to k − 1). For the article's
    network (a ReLU layer, then one sigmoid output) the page also shows the
    article's six backward formulas with this sample's numbers; for every
    network, the article's formulas as matrices beside the graph
    (``nn.matrix``), lighting up as the steps fill them. ``quiz`` and
    ``quiz_forward`` start the page in quiz mode (see ``Stepper``); ``lang``
    is the page's language (None: the current one).

    Raises:
        ValueError: if ``y`` is not a label between 0 and 1 (one output), or
            not one of the classes (one output per class).
    """
    lang = current_language(lang)
    classes = model.sizes[-1]
    real = not isinstance(y, bool) and isinstance(y, numbers.Real)
    if classes == 1:
        if not real or not 0.0 <= y <= 1.0:
            raise ValueError(text("error.stepper.label", lang, given=repr(y)))
        # No labels are set: nn.names finds z1[j], a1[j], z2, ŷ and L in the graph.
        loss = autograd.binary_cross_entropy_with_logits(model.logits(list(x)), y)
    else:  # one output per class: cross-entropy on their softmax
        if not real or y != int(y) or not 0 <= y < classes:
            raise ValueError(text("error.stepper.class", lang, given=repr(y), last=classes - 1))
        loss = autograd.cross_entropy(model.logits(list(x)), int(y))
    panels = []
    if model.activations == ["relu", "sigmoid"]:
        panels.append(article_panel(model, x, y))
    stepper = Stepper(
        loss,
        title=text("stepper.model_title", lang, x=list(x), y=y),
        panels=panels,
        quiz=quiz,
        quiz_forward=quiz_forward,
        lang=lang,
    )
    # The article's formulas as matrices beside the graph, from the stepper's own steps.
    with using_language(lang):
        stepper.views.append(matrix_panel(model, x, loss, stepper.steps))
    # In another language (a page's switch): the same sample, made the same way.
    stepper.maker = lambda other: model_stepper(model, x, y, quiz, quiz_forward, other)
    return stepper
