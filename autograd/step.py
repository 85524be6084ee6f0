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

The formulas are written the same in every language; the words around
them (``Step.phase_name``, ``Step.note``, the table's phase column and the
command's messages) are in the language chosen with ``lang=``,
``autograd.language.set_language``, ``GLASSGRAD_LANG`` or ``--lang``:
``python -m autograd.step "a*b" a=2 b=3 --lang zh``.
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
from autograd.language import (
    current_language,
    display_width,
    language_asked,
    text,
    using_language,
    word_list,
)
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
        phase: ``"forward"`` or ``"backward"`` (the same in every language).
        node: the node of this step.
        name: its display name.
        text: the step in symbols and numbers, the same in every language
            (backward: one line per parent, and an indented line with the
            running total where a gradient arrives by a second path).
        formula: (forward) the op's formula in symbols, e.g. ``"a · b"``.
        inputs: (forward) the operands' numbers, in order.
        upstream: (backward) ∂output/∂node, the gradient arriving at the node.
        contributions: (backward) what goes into each parent.
        grads: (backward) every node's gradient after this step, by name.
        phase_name: the phase in words, in the steps' language
            (``"forward"``, ``"正向传播"``).
        note: what the step does, in words, in the steps' language.
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
    phase_name: str = ""
    note: str = ""
    seed: bool = False  # the first backward step, ∂out/∂out = 1

    def say(self, key: str, lang: str, **fields: str) -> Step:
        """Set the step's words: its phase name and its note ``key`` in ``lang``."""
        self.phase_name = text(f"step.phase.{self.phase}", lang)
        self.note = text(key, lang, **fields)
        return self


def _operand_texts(node: Value, names: dict[Value, str]) -> tuple[list[str], list[str]]:
    """The operands as a formula writes them: their names, and their numbers (``(−3)``)."""
    symbols = operand_names(node, names)
    values = [fmt_factor(x.data if isinstance(x, Value) else x) for x in node.operands]
    return symbols, values


def forward_steps(output: Value, lang: str | None = None) -> list[Step]:
    """One step per computed node, in topological order: ``z = a · b = 2 · 3 = 6``.

    Args:
        output: the Value whose pass to show.
        lang: the language of the steps' words (``phase_name``, ``note``);
            None for the current one (see ``autograd.language``).
    """
    lang = current_language(lang)
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
        line = f"{names[node]} = {formula} = {in_numbers} = {fmt(node.data)}"
        note: tuple[str, dict[str, str]] = ("step.note.forward", {"name": names[node]})
        if node.op == "bce_logits":  # two steps, σ then BCE, inside one stable op
            y_hat = prediction_name(node, names)
            p = fmt(floatmath.sigmoid(numbers_of(node.operands)[0]))
            line = tidy_signs(
                f"{y_hat} = σ({symbols[0]}) = σ({values[0]}) = {p}\n"
                f"{names[node]} = BCE({y_hat}, {symbols[1]}) = BCE({p}, {values[1]}) "
                f"= {fmt(node.data)}"
            )
            note = (
                "step.note.forward_loss",
                {
                    "name": names[node],
                    "prediction": y_hat,
                    "logit": symbols[0],
                    "target": symbols[1],
                },
            )
        numbers = [x.data if isinstance(x, Value) else x for x in node.operands]
        step = Step("forward", node, names[node], line, formula=formula, inputs=numbers)
        steps.append(step.say(note[0], lang, **note[1]))
    return steps


def backward_steps(output: Value, lang: str | None = None) -> list[Step]:
    """The backward pass, one node at a time, exactly as ``backward()`` runs it.

    The first step seeds ``∂out/∂out = 1``; each later step takes a node in
    reverse topological order and adds ``upstream · local derivative`` into
    each parent: ``∂L/∂a += ∂L/∂z · b = 0.5 · 3 = 1.5``.

    Args:
        output: the Value whose pass to show.
        lang: the language of the steps' words (``phase_name``, ``note``);
            None for the current one (see ``autograd.language``).
    """
    lang = current_language(lang)
    order = _checked_order(output)
    names = names_of(order)
    out_name = names[output]
    grads: dict[Value, float] = {output: 1.0}

    def snapshot() -> dict[str, float]:
        return {names[node]: grads[node] for node in order if node in grads}

    seed = Step(
        "backward",
        output,
        out_name,
        f"∂{out_name}/∂{out_name} = 1",
        upstream=1.0,
        grads=snapshot(),
        seed=True,
    )
    steps = [seed.say("step.note.seed", lang, name=out_name)]
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
        step = Step(
            "backward",
            node,
            names[node],
            "\n".join(lines),
            upstream=upstream,
            contributions=contributions,
            grads=snapshot(),
        )
        steps.append(_say_backward(step, lang))
    return steps


def _say_backward(step: Step, lang: str) -> Step:
    """A backward step's note: where the chain rule sends the gradient, and what adds up."""
    parents = list(dict.fromkeys(c.parent_name for c in step.contributions))
    if not parents:
        return step.say("step.note.backward_none", lang, name=step.name)
    listed = word_list(parents, lang)
    again = [c.parent_name for c in step.contributions if c.grad_before is not None]
    if again:
        fields = {"name": step.name, "parents": listed, "again": word_list(again, lang)}
        return step.say("step.note.backward_sum", lang, **fields)
    return step.say("step.note.backward", lang, name=step.name, parents=listed)


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


def steps(output: Value, lang: str | None = None) -> list[Step]:
    """The forward steps, then the backward steps (their words in ``lang``, or the current one).

    Raises:
        TypeError: if ``output`` is not a Value.
        ValueError: for a graph of more than ``MAX_STEP_NODES`` nodes, or a
            language glassgrad does not speak.
    """
    return forward_steps(output, lang) + backward_steps(output, lang)


def _checked_order(output: Value) -> list[Value]:
    if not isinstance(output, Value):
        raise TypeError(text("error.step.not_a_value", type=type(output).__name__))
    order = topological_order(output)
    if len(order) > MAX_STEP_NODES:
        raise ValueError(text("error.step.too_many_nodes", count=len(order), limit=MAX_STEP_NODES))
    return order


def table(all_steps: list[Step], start: int = 1, lang: str | None = None) -> str:
    """The steps as a plain-text table (what the terminal shows), numbered from ``start``.

    Each row: the number, the phase in words (in ``lang``, or the current
    language) and the step's text. The seed of the backward pass and each
    running total (a gradient arriving by a second path) get a short note.
    """
    lang = current_language(lang)
    phases = {phase: text(f"step.phase.{phase}", lang) for phase in ("forward", "backward")}
    column = max(display_width(word) for word in phases.values())
    lines = []
    for number, step in enumerate(all_steps, start=start):
        phase = phases[step.phase]
        prefix = f"{number:>3}  {phase}{' ' * (column - display_width(phase))}  "
        for i, line in enumerate(step.text.splitlines()):
            if step.seed:
                line += "   " + text("step.table.seed", lang)
            elif line.startswith("    "):  # a running total
                line += "   " + text("step.table.sum", lang)
            lines.append((prefix if i == 0 else " " * display_width(prefix)) + line)
    return "\n".join(lines)


# The terminal: python -m autograd.step "a*b + a" a=2 b=3


def main(argv: list[str] | None = None) -> int:
    """Print or step through the passes of an expression.

    Everything it writes in words (help, phase names, notes, the prompt,
    errors) is in the language of ``--lang``, else ``GLASSGRAD_LANG``, else
    the system's locale; the formulas are the same in every language.

    On a terminal or pipe whose encoding lacks the math symbols (ASCII,
    cp1252), each symbol it cannot show is written in ASCII (``d`` for
    ``∂``, ``*`` for ``·``), see ``ASCII_SYMBOLS``.

    Returns:
        0, or 2 for a usage error (one line on stderr: a bad expression or
        variable, or input ended with Ctrl-D or Ctrl-C at the prompt).
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    with _symbols_that_stdout_can_show(), using_language(language_asked(arguments)):
        return _main(arguments)


EXAMPLE = 'python -m autograd.step "(a*b + a).tanh()" a=2 b=-3'


def build_parser() -> argparse.ArgumentParser:
    """The step command's flags, their help in the current language."""
    from autograd.language import argument_parser

    parser = argument_parser(
        prog="python -m autograd.step",
        description=text(
            "step.description",
            functions=", ".join(sorted(FUNCTIONS)),
            length=MAX_LENGTH,
            nesting=MAX_NESTING,
            exponent=MAX_EXPONENT,
        ),
        epilog=text("step.epilog", example=EXAMPLE),
    )
    parser.add_argument("expression", help=text("step.help.expression"))
    parser.add_argument("variables", nargs="*", help=text("step.help.variables"))
    parser.add_argument("--all", action="store_true", help=text("step.help.all"))
    return parser


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(_expression_after_options(argv))
    try:
        output = build_expression(args.expression, args.variables)
    except ValueError as error:
        return _usage_error(parser, str(error))
    # The step-through's own advice (pass an intermediate Value) is for code.
    size = len(topological_order(output))
    if size > MAX_STEP_NODES:
        return _usage_error(parser, text("step.too_many_nodes", count=size, limit=MAX_STEP_NODES))
    all_steps = steps(output)
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.all
    for number, step in enumerate(all_steps, start=1):
        print(table([step], start=number))
        if interactive and number < len(all_steps):
            try:
                answer = input(text("step.prompt"))
            except (EOFError, KeyboardInterrupt):
                print()  # end the prompt's line
                stopped = text("step.stopped", number=number, total=len(all_steps))
                return _usage_error(parser, stopped)
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
    "←": "<-",
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
    """Options first, so they may stand anywhere, and an expression may start with a minus.

    argparse takes the variables as done once an option follows the
    expression (``"a*b" --all a=2``), and reads ``-a*b`` as an unknown
    option. So the options (``--lang``'s value with it) go first; and since
    the only short option is ``-h``, any other argument with a single
    leading minus is the expression: then ``--`` (argparse's "no options
    after this") goes before the rest. An argv with its own ``--`` is left
    as is.
    """
    if "--" in argv:
        return argv
    options, rest = [], []
    taking_value = False  # the word after --lang is its value
    for arg in argv:
        if taking_value or arg.startswith("--") or arg == "-h":
            options.append(arg)
            taking_value = arg == "--lang"
        else:
            rest.append(arg)
    if any(_starts_with_minus(arg) for arg in rest):
        return [*options, "--", *rest]
    return [*options, *rest]


def _starts_with_minus(arg: str) -> bool:
    return arg.startswith("-") and not arg.startswith("--") and arg not in ("-", "-h")


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    # One line, not argparse's usage block: the message already says what to change.
    message = " ".join(message.split())
    print(text("cli.error_line", prog=parser.prog, message=message), file=sys.stderr)
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
