"""Step through a forward and a backward pass, one node at a time.

The steps are data, computed with the engine's own code path: the same
``topological_order`` and the same rules (``contributions``, from the op
table) as ``backward()``. So what a learner reads is what the engine
does, and the gradients after the last step are the ones ``backward()``
gives (the tests check it).

    from autograd import Value
    from autograd.step import steps

    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    z = a * b
    z.label = "z"
    for step in steps(z):
        print(step.text)
    # z = a · b = 2 · 3 = 6
    # ∂z/∂z = 1
    # ∂z/∂a += ∂z/∂z · b = 1 · 3 = 3
    # ...
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from typing import Any

from autograd.engine import contributions as engine_contributions
from autograd.engine import local_derivatives, topological_order
from autograd.ops import OPS
from autograd.value import Value

#: Step-throughs refuse graphs bigger than this: step through a part instead.
MAX_STEP_NODES = 200


def fmt(x: float) -> str:
    """A number as a learner wants to read it: 4 significant digits."""
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def names_of(order: list[Value]) -> dict[Value, str]:
    """Each node's name: its label, or ``n<index>`` (its place in topological order)."""
    return {node: node.label or f"n{index}" for index, node in enumerate(order)}


@dataclass
class Contribution:
    """What one backward step adds into one parent's gradient."""

    parent: Value
    parent_name: str
    local_formula: str  # ∂node/∂parent in symbols, e.g. "b"
    local_value: float  # ... and in numbers
    amount: float  # upstream · local (0 where a mask such as ReLU's is closed)
    grad_after: float  # the parent's gradient after this contribution


@dataclass
class Step:
    """One step of a pass: a node computed (forward) or its gradient passed on (backward).

    Attributes:
        phase: ``"forward"`` or ``"backward"``.
        node: the node of this step.
        name: its display name.
        text: the step in symbols and numbers (one line per parent, backward).
        formula: (forward) the op's formula in symbols, e.g. ``"a · b"``.
        inputs: (forward) the operands' numbers, in order.
        upstream: (backward) ∂output/∂node, the gradient arriving at the node.
        contributions: (backward) what goes into each parent.
        grads: (backward) every node's gradient after this step, by name.
    """

    phase: str
    node: Value
    name: str
    text: str
    formula: str = ""
    inputs: list[float] = field(default_factory=list)
    upstream: float = math.nan
    contributions: list[Contribution] = field(default_factory=list)
    grads: dict[str, float] = field(default_factory=dict)


def _operand_texts(node: Value, names: dict[Value, str]) -> tuple[list[str], list[str]]:
    symbols = [names[x] if isinstance(x, Value) else fmt(x) for x in node.operands]
    values = [fmt(x.data) if isinstance(x, Value) else fmt(x) for x in node.operands]
    return symbols, values


def forward_steps(output: Value) -> list[Step]:
    """One step per computed node, in topological order: ``z = a · b = 2 · 3 = 6``."""
    order = _checked_order(output)
    names = names_of(order)
    steps = []
    for node in order:
        if not node.operands:
            continue
        op = OPS[node.op]
        symbols, values = _operand_texts(node, names)
        text = (
            f"{names[node]} = {op.output_formula(symbols)} = {op.output_formula(values)} "
            f"= {fmt(node.data)}"
        )
        numbers = [x.data if isinstance(x, Value) else x for x in node.operands]
        steps.append(
            Step(
                "forward",
                node,
                names[node],
                text,
                formula=op.output_formula(symbols),
                inputs=numbers,
            )
        )
    return steps


def backward_steps(output: Value) -> list[Step]:
    """The backward pass, one node at a time, exactly as ``backward()`` runs it.

    The first step seeds ``∂out/∂out = 1``; each later step takes a node in
    reverse topological order and adds ``upstream · local derivative`` into
    each parent: ``∂L/∂a += ∂L/∂z · b = 0.5 · 3 = 1.5``.
    """
    order = _checked_order(output)
    names = names_of(order)
    out_name = names[output]
    grads: dict[Value, float] = {output: 1.0}

    def snapshot() -> dict[str, float]:
        return {names[node]: grads[node] for node in order if node in grads}

    steps = [
        Step(
            "backward",
            output,
            out_name,
            f"∂{out_name}/∂{out_name} = 1",
            upstream=1.0,
            grads=snapshot(),
        )
    ]
    for node in reversed(order):
        if not node.operands or node not in grads:
            continue
        upstream = grads[node]
        op = OPS[node.op]
        symbols, _ = _operand_texts(node, names)
        positions = [i for i, x in enumerate(node.operands) if isinstance(x, Value)]
        local_values = [local for _, local in local_derivatives(node)]
        lines, contributions = [], []
        # The amounts come from the rules' own code with the real upstream, as
        # in backward(): for a mask (ReLU) that is not always upstream · local.
        for position, local, (parent, amount) in zip(
            positions, local_values, engine_contributions(node, upstream)
        ):
            grads[parent] = grads.get(parent, 0.0) + amount
            formula = op.derivative_formula(position, symbols, names[node])
            if any(sign in formula for sign in " +−"):
                formula = f"({formula})"  # it is multiplied by the upstream gradient
            contributions.append(
                Contribution(parent, names[parent], formula, local, amount, grads[parent])
            )
            lines.append(
                f"∂{out_name}/∂{names[parent]} += ∂{out_name}/∂{names[node]} · {formula} "
                f"= {fmt(upstream)} · {fmt(local)} = {fmt(amount)}"
            )
        steps.append(
            Step(
                "backward",
                node,
                names[node],
                "\n".join(lines),
                upstream=upstream,
                contributions=contributions,
                grads=snapshot(),
            )
        )
    return steps


def steps(output: Value) -> list[Step]:
    """The forward steps, then the backward steps."""
    return forward_steps(output) + backward_steps(output)


def _checked_order(output: Value) -> list[Value]:
    if not isinstance(output, Value):
        raise TypeError(f"step-through needs a Value, got {type(output).__name__}")
    order = topological_order(output)
    if len(order) > MAX_STEP_NODES:
        raise ValueError(
            f"this graph has {len(order)} nodes, more than {MAX_STEP_NODES} to step through. "
            "Step through a part: pass an intermediate Value (one neuron's output, say), "
            "or use a smaller input"
        )
    return order


def table(all_steps: list[Step], start: int = 1) -> str:
    """The steps as a plain-text table (what the terminal shows), numbered from ``start``."""
    lines = []
    for number, step in enumerate(all_steps, start=start):
        prefix = f"{number:>3}  {step.phase:<8}  "
        for i, line in enumerate(step.text.splitlines()):
            lines.append((prefix if i == 0 else " " * len(prefix)) + line)
    return "\n".join(lines)


# The terminal: python -m autograd.step "a*b + a" a=2 b=3

_SAFE_NAMES = {"__builtins__": {}}


def build_expression(expression: str, assignments: list[str]) -> Value:
    """Evaluate an arithmetic expression over named Values, e.g. ``"(a*b).tanh()"``.

    Raises:
        ValueError: for a malformed assignment or expression.
    """
    variables: dict[str, Any] = {}
    for assignment in assignments:
        name, _, number = assignment.partition("=")
        if not name.isidentifier() or not number:
            raise ValueError(f"write variables as name=number, e.g. a=2.0 (got {assignment!r})")
        try:
            variables[name] = Value(float(number), label=name)
        except ValueError:
            raise ValueError(f"{number!r} is not a number (in {assignment!r})") from None
    if "__" in expression:
        raise ValueError("the expression may use only variables, numbers, operators and methods")
    try:
        result = eval(expression, _SAFE_NAMES, variables)
    except NameError as error:
        raise ValueError(f"{error}: give it a value, e.g. {expression!r} a=2") from None
    except SyntaxError as error:
        raise ValueError(f"the expression is not valid: {error.msg}") from None
    if not isinstance(result, Value):
        raise ValueError("the expression must involve at least one variable")
    if not result.label:
        result.label = "out"
    return result


def main(argv: list[str] | None = None) -> int:
    """Print or step through the passes of an expression."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.step",
        description=(
            "Step through the forward and backward pass of an expression, node by node. "
            "In a terminal: Enter for the next step, q to quit. Piped: every step at once."
        ),
        epilog='example: python -m autograd.step "(a*b + a).tanh()" a=2 b=-3',
    )
    parser.add_argument("expression", help="e.g. '(a*b + a).tanh()'")
    parser.add_argument("variables", nargs="*", help="values, e.g. a=2 b=-3")
    parser.add_argument("--all", action="store_true", help="print every step, no pauses")
    args = parser.parse_args(argv)
    try:
        output = build_expression(args.expression, args.variables)
        all_steps = steps(output)
    except ValueError as error:
        parser.error(str(error))
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.all
    for number, step in enumerate(all_steps, start=1):
        print(table([step], start=number))
        if interactive and number < len(all_steps):
            answer = input("  [Enter] next, q quit ")
            if answer.strip().lower() == "q":
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
