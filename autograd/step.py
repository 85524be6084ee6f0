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
import codecs
import math
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from autograd import floatmath
from autograd.engine import contributions as engine_contributions
from autograd.engine import local_derivatives, topological_order
from autograd.expression import FUNCTIONS, MAX_EXPONENT, MAX_LENGTH, MAX_NESTING
from autograd.expression import build_expression as build_expression  # public here too
from autograd.names import fmt as fmt  # public here too
from autograd.names import fmt_factor, operand_names, prediction_name, sum_text, tidy_signs
from autograd.names import names_of as names_of
from autograd.ops import OPS
from autograd.value import Value
from autograd.value import numbers as numbers_of

#: Step-throughs refuse graphs bigger than this: step through a part instead.
MAX_STEP_NODES = 200


@dataclass
class Contribution:
    """What one backward step adds into one parent's gradient."""

    parent: Value
    parent_name: str
    local_formula: str  # ∂node/∂parent in symbols, e.g. "b"
    local_value: float  # ... and in numbers
    amount: float  # upstream · local (0 where a mask such as ReLU's is closed)
    grad_after: float  # the parent's gradient after this contribution
    grad_before: float | None = None  # its gradient before, if it had one already


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
    """The operands as a formula writes them: their names, and their numbers (``(−3)``)."""
    symbols = operand_names(node, names)
    values = [fmt_factor(x.data if isinstance(x, Value) else x) for x in node.operands]
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
        formula = tidy_signs(op.output_formula(symbols))
        in_numbers = tidy_signs(op.output_formula(values))
        text = f"{names[node]} = {formula} = {in_numbers} = {fmt(node.data)}"
        if node.op == "bce_logits":  # two steps, σ then BCE, inside one stable op
            y_hat = prediction_name(node, names)
            p = fmt(floatmath.sigmoid(numbers_of(node.operands)[0]))
            text = tidy_signs(
                f"{y_hat} = σ({symbols[0]}) = σ({values[0]}) = {p}\n"
                f"{names[node]} = BCE({y_hat}, {symbols[1]}) = BCE({p}, {values[1]}) "
                f"= {fmt(node.data)}"
            )
        numbers = [x.data if isinstance(x, Value) else x for x in node.operands]
        steps.append(
            Step(
                "forward",
                node,
                names[node],
                text,
                formula=formula,
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
            before = grads.get(parent)
            grads[parent] = (0.0 if before is None else before) + amount
            formula = tidy_signs(op.derivative_formula(position, symbols, names[node]))
            if any(sign in formula for sign in " +−") and not _one_bracket(formula):
                formula = f"({formula})"  # it is multiplied by the upstream gradient
            contributions.append(
                Contribution(parent, names[parent], formula, local, amount, grads[parent], before)
            )
            lines.append(
                f"∂{out_name}/∂{names[parent]} += ∂{out_name}/∂{names[node]} · {formula} "
                f"= {fmt_factor(upstream)} · {fmt_factor(local)} = {fmt(amount)}"
            )
            if before is not None:  # a second path into the same node: say the sum
                lines.append(f"    {accumulation(out_name, names[parent], before, amount)}")
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


def accumulation(out_name: str, name: str, before: float, amount: float) -> str:
    """The running total of a gradient that arrives by a second path:
    ``∂L/∂a = 0.001341 − 0.004023 = −0.002682``."""
    return f"∂{out_name}/∂{name} = {sum_text([before, amount])} = {fmt(before + amount)}"


def _one_bracket(formula: str) -> bool:
    """Whether ``formula`` is one bracketed group, such as ``(−2)`` (no second pair needed)."""
    if not (formula.startswith("(") and formula.endswith(")")):
        return False
    depth = 0
    for position, char in enumerate(formula):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(formula) - 1:
            return False
    return True


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


def main(argv: list[str] | None = None) -> int:
    """Print or step through the passes of an expression.

    On a terminal or pipe whose encoding lacks the math symbols (ASCII,
    cp1252), each symbol it cannot show is written in ASCII (``d`` for
    ``∂``, ``*`` for ``·``), see ``ASCII_SYMBOLS``.

    Returns:
        0, or 2 for a usage error (one line on stderr: a bad expression or
        variable, or input ended with Ctrl-D or Ctrl-C at the prompt).
    """
    with _symbols_that_stdout_can_show():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograd.step",
        description=(
            "Step through the forward and backward pass of an expression, node by node. "
            "In a terminal: Enter for the next step, q to quit. Piped: every step at once. "
            "The expression is arithmetic, not Python: numbers, the variables given, "
            f"+ - * / **, brackets, and {', '.join(sorted(FUNCTIONS))} (as a.tanh() or "
            f"tanh(a)); at most {MAX_LENGTH} characters, {MAX_NESTING} levels of brackets, "
            f"exponents of plain numbers within ±{MAX_EXPONENT}."
        ),
        epilog='example: python -m autograd.step "(a*b + a).tanh()" a=2 b=-3',
    )
    parser.add_argument("expression", help="e.g. '(a*b + a).tanh()'")
    parser.add_argument("variables", nargs="*", help="values, e.g. a=2 b=-3")
    parser.add_argument("--all", action="store_true", help="print every step, no pauses")
    args = parser.parse_args(_expression_after_options(sys.argv[1:] if argv is None else argv))
    try:
        output = build_expression(args.expression, args.variables)
    except ValueError as error:
        return _usage_error(parser, str(error))
    # The step-through's own advice (pass an intermediate Value) is for code.
    size = len(topological_order(output))
    if size > MAX_STEP_NODES:
        return _usage_error(
            parser,
            f"this expression makes {size} nodes, more than {MAX_STEP_NODES} to step through: "
            "write a shorter one (fewer terms), or step through one part of it at a time",
        )
    all_steps = steps(output)
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.all
    for number, step in enumerate(all_steps, start=1):
        print(table([step], start=number))
        if interactive and number < len(all_steps):
            try:
                answer = input("  [Enter] next, q quit ")
            except (EOFError, KeyboardInterrupt):
                print()  # end the prompt's line
                return _usage_error(parser, f"stopped at step {number} of {len(all_steps)}")
            if answer.strip().lower() == "q":
                break
    return 0


#: What the step command writes for a symbol its output cannot encode (an
#: ASCII or cp1252 terminal): ``∂L/∂a`` becomes ``dL/da``. Other letters lose
#: their accents where they have one (``é`` is ``e``), else are written as
#: Python escapes them (``\\u03b1``).
ASCII_SYMBOLS = {
    "∂": "d",
    "·": "*",
    "−": "-",
    "×": "*",
    "÷": "/",
    "σ": "sigmoid",
    "ŷ": "y_hat",
    "Σ": "sum",
    "±": "+/-",
    "²": "^2",
    "ᵀ": "^T",
    "⊙": "*",
    "→": "->",
    "—": "-",
    "…": "...",
}

_ASCII_FALLBACK = "glassgrad-ascii-symbols"


def _ascii_symbols(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the output cannot encode, in ASCII."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_in_ascii(char) for char in text), error.end


def _in_ascii(char: str) -> str:
    if char in ASCII_SYMBOLS:
        return ASCII_SYMBOLS[char]
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return plain or char.encode("ascii", "backslashreplace").decode("ascii")


@contextmanager
def _symbols_that_stdout_can_show() -> Iterator[None]:
    """While inside, stdout writes what its encoding lacks in ASCII instead of failing."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "∂·−σŷ±".encode(encoding)
        lacking = False
    except (UnicodeEncodeError, LookupError):
        lacking = True
    if not lacking or not hasattr(stream, "reconfigure") or stream.errors != "strict":
        yield
        return
    codecs.register_error(_ASCII_FALLBACK, _ascii_symbols)
    stream.reconfigure(errors=_ASCII_FALLBACK)
    try:
        yield
    finally:
        stream.reconfigure(errors="strict")


def _expression_after_options(argv: list[str]) -> list[str]:
    """Let an expression start with a minus sign: ``"-a*b" a=2 b=3``.

    argparse reads ``-a*b`` as an unknown option. The only short option is
    ``-h``, so any other argument with a single leading minus is the
    expression: put the options first, then ``--`` (argparse's "no options
    after this"), then the rest. An argv with its own ``--`` is left as is.
    """
    if "--" in argv or not any(_starts_with_minus(arg) for arg in argv):
        return argv
    options = [arg for arg in argv if arg.startswith("--") or arg == "-h"]
    rest = [arg for arg in argv if not (arg.startswith("--") or arg == "-h")]
    return [*options, "--", *rest]


def _starts_with_minus(arg: str) -> bool:
    return arg.startswith("-") and not arg.startswith("--") and arg not in ("-", "-h")


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    # One line, not argparse's usage block: the message already says what to change.
    print(f"{parser.prog}: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()  # a reader that stopped early (| head) shows here, not at exit
    except BrokenPipeError:
        # Python's recipe: the rest of the output goes nowhere, no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)
