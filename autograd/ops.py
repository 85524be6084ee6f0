"""The table of operations: every forward formula and every derivative rule.

This is the one place where glassgrad knows calculus. Each op lists

* ``forward``: how to compute its output ``z`` from its inputs (on floats);
* one ``Rule`` per input: the *local derivative* ``∂z/∂input``, written once
  as a formula (text, for people) and once as code (for the engine).

A rule's code takes the gradient arriving at ``z`` first and returns what
that input receives: ``vjp(upstream, *inputs, z)`` is ``upstream ·
∂z/∂input`` (a vector-Jacobian product, in a scalar engine a product of two
numbers). The rule of ``a · b`` for ``a`` is ``lambda g, a, b, z: g * b``,
its formula ``"{b}"``. The engine applies the chain rule with these rules
and nothing else: ``∂L/∂input += vjp(∂L/∂z, *inputs, z)``; the local
derivative alone is the rule with an upstream of 1 (``Rule.local``).

Why the upstream goes into the rule: a few derivatives are masks, not
factors. PyTorch passes a ReLU's gradient where ``x > 0`` and sends 0
elsewhere, even when the upstream is inf or nan (a product would give
``inf · 0 = nan``); the same holds for ``a ** b`` at ``b = 0``. A rule that
sees the upstream can say so: ``lambda g, a, z: 0.0 if a <= 0 else g``.

An op whose local derivatives are finite whenever its output is finite (or
whose rules are masks) is marked ``finite_locals``: when ``∂L/∂z`` is exactly
0 such a node would add exactly 0 to every input, so the backward pass skips
it. (A ReLU that is off, or a sample past a hinge margin, costs nothing on
the way back.)

Every rule is written with plain operators and the generic functions below
(``exp``, ``log``, ``divide``, ``power``, ...), which work on floats *and* on
Values. On floats a rule is the fast first-order pass. On Values the same
rule records a new graph, and that graph can be differentiated again: this
is how gradients of gradients work, with no second copy of any rule. (A
mask may answer a plain 0.0 even for a Value upstream; the engine turns
such a number into a Value where it hands gradients back.)

In the formulas, ``{a}`` and ``{b}`` stand for the inputs and ``{z}`` for the
output; displays fill in labels or numbers.

Beside each forward and each rule sits its ``code``: the same computation on
floats as a Python expression with the same placeholders (and ``{g}`` for
the upstream gradient), e.g. ``"{g} * {b}"``. ``autograd.record`` writes a
whole forward and backward pass out as straight-line Python from these and
nothing else; tests check every template against its function, bit for bit.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from autograd import floatmath

Number = int | float


# Generic math: a float goes to floatmath, a Value to its own method, so a rule
# such as ``b * power(a, b - 1)`` runs on either.


def exp(x: Any) -> Any:
    """``e ** x`` for a float or a Value."""
    return floatmath.exp(x) if isinstance(x, Number) else x.exp()


def log(x: Any) -> Any:
    """Natural logarithm of a float or a Value."""
    return floatmath.log(x) if isinstance(x, Number) else x.log()


def sigmoid(x: Any) -> Any:
    """``1 / (1 + e^-x)`` for a float or a Value."""
    return floatmath.sigmoid(x) if isinstance(x, Number) else x.sigmoid()


def divide(a: Any, b: Any) -> Any:
    """``a / b`` for floats or Values (``x/0`` is ±inf, never an exception)."""
    if isinstance(a, Number) and isinstance(b, Number):
        return floatmath.divide(a, b)
    return a / b


def number(x: Any) -> float:
    """The plain number in a float or a Value (for tests inside rules)."""
    return x if isinstance(x, Number) else x.data


def power(a: Any, b: Any) -> Any:
    """``a ** b`` for floats or Values (nan, never a complex number)."""
    if isinstance(a, Number) and isinstance(b, Number):
        return floatmath.power(a, b)
    return a**b


@dataclass(frozen=True)
class Rule:
    """How the gradient of an op's output reaches one input.

    Attributes:
        formula: the local derivative as text, e.g. ``"{b}"`` for ``∂(a·b)/∂a``.
        vjp: what the input receives, from the upstream gradient, the inputs
            and the output: ``vjp(upstream, *inputs, z)`` = ``upstream ·
            ∂z/∂input``, or a mask of ``upstream`` (see the top of this file).
        code: ``vjp`` on floats as a Python expression, with ``{g}`` for the
            upstream gradient, ``{a}``/``{b}`` for the inputs and ``{z}`` for
            the output, and the functions of ``CODE_NAMESPACE``. A recorded
            computation (``autograd.record``) writes its backward pass with
            it; tests check that it gives ``vjp``'s result bit for bit.
    """

    formula: str
    vjp: Callable[..., Any]
    code: str = ""

    def local(self, *inputs_and_out: Any) -> Any:
        """The local derivative ``∂z/∂input``: ``local(*inputs, z)``, the rule at upstream 1."""
        return self.vjp(1.0, *inputs_and_out)


@dataclass(frozen=True)
class Op:
    """An operation with a fixed number of inputs.

    Attributes:
        name: the name stored in ``Value.op`` (``"*"``, ``"exp"``, ...).
        formula: the output as text, e.g. ``"{a} · {b}"``.
        forward: computes the output from the input floats.
        rules: one derivative rule per input, in input order.
        finite_locals: every local derivative is finite whenever the output
            is (see the top of this file).
        code: ``forward`` as a Python expression, with ``{a}``/``{b}`` for
            the inputs (see ``Rule.code``).
    """

    name: str
    formula: str
    forward: Callable[..., float]
    rules: tuple[Rule, ...]
    finite_locals: bool = False
    code: str = ""

    def local_derivative(self, index: int, inputs: Sequence[Any], out: Any) -> Any:
        """``∂z/∂inputs[index]``, from the inputs and the output ``z``."""
        return self.rules[index].vjp(1.0, *inputs, out)

    def vjp(self, index: int, upstream: Any, inputs: Sequence[Any], out: Any) -> Any:
        """What ``inputs[index]`` receives when ``upstream`` arrives at the output."""
        return self.rules[index].vjp(upstream, *inputs, out)

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        """The rule for input ``index`` as text, with the given names filled in."""
        return self.rules[index].formula.format(**_placeholders(names, out))

    def output_formula(self, names: Sequence[str]) -> str:
        """The forward formula as text, with the given input names filled in."""
        return self.formula.format(**_placeholders(names, ""))

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``forward`` as Python statements that set ``out`` from ``names``
        (variables or literals), from ``code``."""
        return [f"{out} = {self.code.format(**_placeholders(names, ''))}"]

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """The backward pass at this node as Python source.

        ``(input index, what that input receives)`` for every input, in the
        order the engine adds them (input order), from the rules' ``code``.
        """
        fill = _placeholders(names, out)
        return [(i, rule.code.format(g=upstream, **fill)) for i, rule in enumerate(self.rules)]


def _placeholders(names: Sequence[str], out: str) -> dict[str, str]:
    return dict(zip("ab", names), z=out)


#: Whether Python's ``sum()`` of floats adds left to right, one pair at a time,
#: as a sum of Values does. From Python 3.12 it compensates rounding errors
#: (Neumaier) instead, and ``1e16 + 1.0 - 1e16`` gives 1.0 where Values give
#: 0.0; there the fused ops fold with ``functools.reduce``, so that they
#: equal Python's ``sum()`` of Values and hand-written neurons bit for bit on
#: every Python. (reduce costs about 6% of a fused training step over sum(),
#: which adds without making a float object per step, so 3.11 keeps sum().)
_PLAIN_SUM = sys.version_info < (3, 12)


# The n-ary ops below give what all their inputs receive at once, by position
# (``vjps``), instead of one Rule per input: their number of inputs varies.
# Each also has ``accumulate``, the same rule applied straight to the inputs'
# ``.grad``: the backward pass's fast path (a node can have hundreds of inputs).
# In ``operands`` a constant is always a float, anything else is a Value.


@dataclass(frozen=True)
class SumOp:
    """``z = x1 + x2 + ... + xn`` as one node: every local derivative is 1."""

    name: str = "sum"
    finite_locals: bool = True

    def forward(self, *inputs: float) -> float:
        # Left to right, as Python's sum() of Values adds (see _PLAIN_SUM).
        return sum(inputs, 0.0) if _PLAIN_SUM else reduce(operator.add, inputs, 0.0)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``upstream · 1`` for every input: each receives the upstream gradient."""
        return [upstream] * len(inputs)

    def local_derivatives(self, inputs: Sequence[Any], out: Any) -> list[Any]:
        """∂z/∂xi = 1 for every input (the rule at upstream 1)."""
        return self.vjps(1.0, inputs, out)

    def accumulate(self, operands: Sequence[Any], upstream: float) -> None:
        """``xi.grad += upstream · 1`` for every Value input."""
        for x in operands:
            if type(x) is not float:
                x.grad += upstream

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        return "1"

    def output_formula(self, names: Sequence[str]) -> str:
        return " + ".join(names)

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``forward`` as Python statements: ``out = 0.0 + x1 + x2 + ...``, left
        to right (a long sum goes on several lines, ``out = out + ...``)."""
        return _left_to_right(out, "0.0", list(names))

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """``accumulate`` as source: ``(input index, what it receives)`` in its order."""
        return [(i, upstream) for i in range(len(names))]


@dataclass(frozen=True)
class DotOp:
    """``z = w1·x1 + ... + wn·xn (+ b)`` as one node: the article's ``W·x + b``.

    The inputs are stored as ``(w1, ..., wn, x1, ..., xn)``, followed by the
    bias ``b`` when there is one (an odd number of inputs). The local
    derivative of a weight is its input, of an input its weight, and of the
    bias 1: ``∂z/∂wi = xi``, ``∂z/∂xi = wi``, ``∂z/∂b = 1``.
    """

    name: str = "dot"
    finite_locals: bool = True  # a finite sum of products has finite factors

    def forward(self, *inputs: float) -> float:
        n = len(inputs) // 2
        bias = inputs[-1] if len(inputs) % 2 else 0.0
        return self.combine(inputs[:n], inputs[n : 2 * n], bias)

    @staticmethod
    def combine(weights: Sequence[float], inputs: Sequence[float], bias: float = 0.0) -> float:
        """``b + w1·x1 + ... + wn·xn``, added in that order (as a hand-written
        ``sum(w * x for ...)`` starting from ``b`` adds them)."""
        products = map(operator.mul, weights, inputs)
        if _PLAIN_SUM:  # see _PLAIN_SUM
            return sum(products, bias)
        return reduce(operator.add, products, bias)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``upstream · xi`` for wi, ``upstream · wi`` for xi, ``upstream`` for b."""
        n = len(inputs) // 2
        swapped = [upstream * x for x in (*inputs[n : 2 * n], *inputs[:n])]
        return [*swapped, upstream] if len(inputs) % 2 else swapped

    def local_derivatives(self, inputs: Sequence[Any], out: Any) -> list[Any]:
        """∂z/∂wi = xi, ∂z/∂xi = wi (the two halves swapped), ∂z/∂b = 1."""
        return self.vjps(1.0, inputs, out)

    def accumulate(self, operands: Sequence[Any], upstream: float) -> None:
        """``wi.grad += upstream · xi``, ``xi.grad += upstream · wi``,
        ``b.grad += upstream``, for the inputs that are Values."""
        n = len(operands) // 2
        for w, x in zip(operands[:n], operands[n : 2 * n]):
            if type(x) is float:  # a constant input, such as a data feature
                if type(w) is not float:
                    w.grad += upstream * x
            elif type(w) is float:
                x.grad += upstream * w
            else:
                w.grad += upstream * x.data
                x.grad += upstream * w.data
        if len(operands) % 2 and type(operands[-1]) is not float:
            operands[-1].grad += upstream

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        n = len(names) // 2
        if index == 2 * n:
            return "1"
        return names[index + n] if index < n else names[index - n]

    def output_formula(self, names: Sequence[str]) -> str:
        n = len(names) // 2
        terms = [f"{w}·{x}" for w, x in zip(names[:n], names[n : 2 * n])]
        if len(names) % 2:
            terms.append(names[-1])
        return " + ".join(terms)

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``forward`` as Python statements: ``out = b + w1 * x1 + w2 * x2 + ...``,
        left to right from the bias (0.0 without one), as ``combine`` adds."""
        n = len(names) // 2
        bias = names[-1] if len(names) % 2 else "0.0"
        products = [f"{w} * {x}" for w, x in zip(names[:n], names[n : 2 * n])]
        return _left_to_right(out, bias, products)

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """``accumulate`` as source: ``(input index, what it receives)`` in its
        order: ``wi`` gets ``upstream * xi`` and ``xi`` gets ``upstream * wi``,
        pair by pair, then the bias ``upstream``."""
        n = len(names) // 2
        code = []
        for i in range(n):
            code.append((i, f"{upstream} * {names[n + i]}"))
            code.append((n + i, f"{upstream} * {names[i]}"))
        if len(names) % 2:
            code.append((2 * n, upstream))
        return code


def _left_to_right(out: str, start: str, terms: list[str], per_line: int = 8) -> list[str]:
    """``out = start + t1 + t2 + ...`` as statements of ``per_line`` terms each.

    Python adds ``a + b + c`` as ``(a + b) + c``, left to right; splitting the
    chain into ``out = out + ...`` lines adds in the same order (and keeps the
    compiler from nesting a 10,000-term expression 10,000 deep).
    """
    lines = []
    for first in range(0, max(len(terms), 1), per_line):
        chunk = terms[first : first + per_line]
        lines.append(f"{out} = {' + '.join([start if first == 0 else out, *chunk])}")
    return lines


ADD = Op(
    name="+",
    formula="{a} + {b}",
    forward=operator.add,
    rules=(
        Rule("1", lambda g, a, b, z: g, code="{g}"),
        Rule("1", lambda g, a, b, z: g, code="{g}"),
    ),
    finite_locals=True,
    code="{a} + {b}",
)
SUB = Op(
    name="-",
    formula="{a} − {b}",
    forward=operator.sub,
    rules=(
        Rule("1", lambda g, a, b, z: g, code="{g}"),
        Rule("−1", lambda g, a, b, z: -g, code="-{g}"),
    ),
    finite_locals=True,
    code="{a} - {b}",
)
MUL = Op(
    name="*",
    formula="{a} · {b}",
    forward=operator.mul,
    rules=(
        Rule("{b}", lambda g, a, b, z: g * b, code="{g} * {b}"),
        Rule("{a}", lambda g, a, b, z: g * a, code="{g} * {a}"),
    ),
    finite_locals=True,  # a finite a·b means a finite a and b (0·inf is nan)
    code="{a} * {b}",
)
DIV = Op(
    name="/",
    formula="{a} / {b}",
    forward=floatmath.divide,
    rules=(
        Rule("1/{b}", lambda g, a, b, z: g * divide(1.0, b), code="{g} * divide(1.0, {b})"),
        Rule("−{z}/{b}", lambda g, a, b, z: g * -divide(z, b), code="{g} * -divide({z}, {b})"),
    ),
    code="divide({a}, {b})",
)
POW = Op(
    name="**",
    formula="{a}^{b}",
    forward=floatmath.power,
    rules=(
        # a^0 is the constant 1: no gradient at all, as in PyTorch, even where
        # b·a^(b−1) would be 0·inf (a = 0) or nan (a = nan).
        Rule(
            "{b}·{a}^({b}−1)",
            lambda g, a, b, z: 0.0 if number(b) == 0 else g * (b * power(a, b - 1.0)),
            code="(0.0 if {b} == 0.0 else {g} * ({b} * power({a}, {b} - 1.0)))",
        ),
        # At a = 0 the log is -inf; like PyTorch we take 0 there for b >= 0.
        Rule(
            "{z}·log({a})",
            lambda g, a, b, z: g * (0.0 if number(a) == 0 and b >= 0 else z * log(a)),
            code="{g} * (0.0 if {a} == 0.0 and {b} >= 0.0 else {z} * log({a}))",
        ),
    ),
    code="power({a}, {b})",
)
NEG = Op(
    name="neg",
    formula="−{a}",
    forward=operator.neg,
    rules=(Rule("−1", lambda g, a, z: -g, code="-{g}"),),
    finite_locals=True,
    code="-{a}",
)
EXP = Op(
    name="exp",
    formula="exp({a})",
    forward=floatmath.exp,
    rules=(Rule("exp({a}) = {z}", lambda g, a, z: g * z, code="{g} * {z}"),),
    finite_locals=True,
    code="exp({a})",
)
LOG = Op(
    name="log",
    formula="log({a})",
    forward=floatmath.log,
    rules=(Rule("1/{a}", lambda g, a, z: g * divide(1.0, a), code="{g} * divide(1.0, {a})"),),
    code="log({a})",
)
TANH = Op(
    name="tanh",
    formula="tanh({a})",
    forward=floatmath.tanh,
    rules=(Rule("1 − {z}²", lambda g, a, z: g * (1.0 - z * z), code="{g} * (1.0 - {z} * {z})"),),
    finite_locals=True,
    code="tanh({a})",
)
SIGMOID = Op(
    name="sigmoid",
    formula="σ({a})",
    forward=floatmath.sigmoid,
    rules=(
        Rule(
            "{z}·(1 − {z})", lambda g, a, z: g * (z * (1.0 - z)), code="{g} * ({z} * (1.0 - {z}))"
        ),
    ),
    finite_locals=True,
    code="sigmoid({a})",
)
RELU = Op(
    name="relu",
    formula="ReLU({a})",
    forward=floatmath.relu,
    # A mask, as in PyTorch: the gradient passes where a > 0 and is 0 elsewhere
    # (the kink at 0 included), even an inf or nan one. nan <= 0 is false, so
    # at a = nan the gradient passes, as in PyTorch. (A Value's <= compares its
    # data, so no number() call is needed on this hot rule.)
    rules=(
        Rule(
            "1 if {a} > 0 else 0",
            lambda g, a, z: 0.0 if a <= 0 else g,
            code="(0.0 if {a} <= 0.0 else {g})",
        ),
    ),
    finite_locals=True,
    # floatmath.relu written out: a call per node would cost more than the test.
    code="({a} if {a} > 0.0 or {a} != {a} else 0.0)",
)
BCE_WITH_LOGITS = Op(
    name="bce_logits",
    formula="BCE(σ({a}), {b})",
    forward=floatmath.bce_with_logits,
    rules=(
        # The article's ∂L/∂z2 = ŷ − y, exactly: ŷ = σ(z) is the prediction.
        Rule(
            "σ({a}) − {b}",
            lambda g, z, y, loss: g * (sigmoid(z) - y),
            code="{g} * (sigmoid({a}) - {b})",
        ),
        Rule("−{a}", lambda g, z, y, loss: g * -z, code="{g} * -{a}"),
    ),
    code="bce_with_logits({a}, {b})",
)
SUM = SumOp()
DOT = DotOp()

AnyOp = Op | SumOp | DotOp

#: Every op, by the name stored in ``Value.op``.
OPS: dict[str, AnyOp] = {
    op.name: op
    for op in (
        ADD,
        SUB,
        MUL,
        DIV,
        POW,
        NEG,
        EXP,
        LOG,
        TANH,
        SIGMOID,
        RELU,
        BCE_WITH_LOGITS,
        SUM,
        DOT,
    )
}

#: The names of the ops marked ``finite_locals``: backward skips such a node
#: when its upstream gradient is exactly 0 and its output finite.
FINITE_LOCALS: frozenset[str] = frozenset(name for name, op in OPS.items() if op.finite_locals)

#: The rules' code (``Rule.vjp``) of every op, by name: the engine's fast
#: path reads the rules from here. An n-ary op (sum, dot) has none listed: it
#: applies its rule itself (``accumulate``).
VJP_RULES: dict[str, tuple[Callable[..., Any], ...]] = {
    op.name: tuple(rule.vjp for rule in op.rules) if isinstance(op, Op) else ()
    for op in OPS.values()
}

#: The functions the ops' ``code`` calls, by the name it calls them: the
#: float versions (``floatmath``) of the generic functions the rules use.
CODE_NAMESPACE: dict[str, Callable[..., float]] = {
    "divide": floatmath.divide,
    "power": floatmath.power,
    "exp": floatmath.exp,
    "log": floatmath.log,
    "tanh": math.tanh,  # floatmath.tanh is math.tanh; one call less
    "sigmoid": floatmath.sigmoid,
    "bce_with_logits": floatmath.bce_with_logits,
}
