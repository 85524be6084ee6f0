"""The table of operations: every forward formula and every derivative rule.

This is the one place where glassgrad knows calculus. Each op lists its
``forward`` (the output ``z`` from the input floats) and one ``Rule`` per
input: the local derivative ``∂z/∂input`` as text, for people, and as one
function, for the engine. A rule takes the gradient arriving at ``z`` first
and returns what its input receives: ``vjp(upstream, *inputs, z)`` is
``upstream · ∂z/∂input`` (a vector-Jacobian product; in a scalar engine, a
product of two numbers). ``a · b``'s rule for ``a`` is ``rule("{b}",
lambda g, a, b, z: g * b)``. The engine applies the chain rule with these
functions and nothing else: ``∂L/∂input += vjp(∂L/∂z, *inputs, z)``.

Why the upstream goes into the rule: a few derivatives are masks, not
factors. PyTorch passes a ReLU's gradient where ``x > 0`` and sends 0
elsewhere, even an inf or nan one (a product would give ``inf · 0 =
nan``); so does ``a ** b`` at ``b = 0``. A rule that sees the upstream can
say so: ``lambda g, a, z: 0.0 if a <= 0 else g``.

One function, three uses. The rules use plain operators and the generic
functions below (``exp``, ``log``, ``divide``, ``power``, ``sigmoid``),
which work on floats, on Values and on Symbols:

* on floats a rule is the fast first-order pass;
* on Values it records a graph that can be differentiated again
  (gradients of gradients, with no second copy of any rule);
* on Symbols (``autograd.symbolic``) it writes itself out as a Python
  expression, its ``code``, which a recorded computation (``autograd.record``)
  runs. Only masks, which test a number, have their code written by hand.

An op marked ``finite_locals`` has finite local derivatives wherever its
output is finite (or masks): when ``∂L/∂z`` is exactly 0 such a node would
add exactly 0 to every input, so the backward pass skips it (a ReLU that is
off costs nothing on the way back).

In the formulas ``{a}`` and ``{b}`` stand for the inputs and ``{z}`` for the
output; displays fill in labels or numbers.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from typing import Any

from autograd import floatmath
from autograd.language import text
from autograd.symbolic import Symbol, call, placeholders

Number = int | float


# Generic math: a float goes to floatmath, anything else (a Value, a Symbol)
# to its own method, so a rule such as ``b * power(a, b - 1)`` runs on each.


def exp(x: Any) -> Any:
    """``e ** x`` for a float, a Value or a Symbol."""
    return floatmath.exp(x) if isinstance(x, Number) else x.exp()


def log(x: Any) -> Any:
    """Natural logarithm of a float, a Value or a Symbol."""
    return floatmath.log(x) if isinstance(x, Number) else x.log()


def sigmoid(x: Any) -> Any:
    """``1 / (1 + e^-x)`` for a float, a Value or a Symbol."""
    return floatmath.sigmoid(x) if isinstance(x, Number) else x.sigmoid()


def divide(a: Any, b: Any) -> Any:
    """``a / b`` (``x/0`` is ±inf, never an exception)."""
    if isinstance(a, Number) and isinstance(b, Number):
        return floatmath.divide(a, b)
    return a / b


def power(a: Any, b: Any) -> Any:
    """``a ** b`` (nan, never a complex number)."""
    if isinstance(a, Number) and isinstance(b, Number):
        return floatmath.power(a, b)
    return a**b


def number(x: Any) -> float:
    """The plain number in a float or a Value (for the tests inside masks)."""
    return x if isinstance(x, Number) else x.data


#: The float functions a rule's code calls, by the name it calls them (the
#: float versions of the generic functions, and the ops' own forwards).
CODE_NAMESPACE: dict[str, Callable[..., float]] = {
    "divide": floatmath.divide,
    "power": floatmath.power,
    "exp": floatmath.exp,
    "log": floatmath.log,
    "tanh": math.tanh,  # floatmath.tanh is math.tanh; one call less
    "sigmoid": floatmath.sigmoid,
    "bce_with_logits": floatmath.bce_with_logits,
}
_CODE_NAMES = {function: name for name, function in CODE_NAMESPACE.items()}
_CODE_NAMES[floatmath.tanh] = "tanh"


@dataclass(frozen=True)
class Rule:
    """How the gradient of an op's output reaches one input.

    Attributes:
        formula: the local derivative as text, e.g. ``"{b}"`` for ``∂(a·b)/∂a``.
        vjp: ``vjp(upstream, *inputs, z)``: what the input receives, ``upstream ·
            ∂z/∂input`` or a mask of ``upstream``.
        code: ``vjp`` as a Python expression on floats, with ``{g}`` for the
            upstream and ``{a}``/``{b}``/``{z}`` for the inputs and output.
            Left empty, the op writes it out by running ``vjp`` on Symbols;
            a mask must give it.
    """

    formula: str
    vjp: Callable[..., Any]
    code: str = ""

    def local(self, *inputs_and_out: Any) -> Any:
        """The local derivative ``∂z/∂input``: ``local(*inputs, z)``, the rule at upstream 1."""
        return self.vjp(1.0, *inputs_and_out)


rule = Rule  # a table row reads rule("{b}", lambda g, a, b, z: g * b)


class _Views:
    """What every op derives from its ``vjps``; an op supplies ``vjps`` itself.

    The protocol every op speaks: ``name``, ``finite_locals``,
    ``forward(*inputs)``, ``vjps(upstream, inputs, out)`` (what each input
    receives, in input order: the order the engine adds them),
    ``output_formula(names)``, ``derivative_formula(index, names, out)`` and
    ``forward_code(names, out)``. The rest comes from those.
    """

    vjps: Callable[..., list[Any]]

    def local_derivatives(self, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``∂z/∂input`` for every input: the rules at upstream 1."""
        return self.vjps(1.0, inputs, out)

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """``(input index, what it receives)`` as Python source, in the order added:
        ``vjps`` run on Symbols named ``upstream``, ``names`` and ``out``."""
        shares = self.vjps(Symbol(upstream), [Symbol(x) for x in names], Symbol(out))
        return [(index, str(share)) for index, share in enumerate(shares)]


@dataclass(frozen=True)
class Op(_Views):
    """An operation with one or two inputs.

    Attributes:
        name: the name stored in ``Value.op`` (``"*"``, ``"exp"``, ...).
        formula: the output as text, e.g. ``"{a} · {b}"``.
        forward: computes the output from the input floats.
        rules: one derivative rule per input, in input order.
        finite_locals: every local derivative is finite wherever the output is.
        code: ``forward`` as a Python expression with ``{a}``/``{b}``; left
            empty, written out from ``forward`` (a call of a ``CODE_NAMESPACE``
            function, or ``forward`` run on Symbols).
    """

    name: str
    formula: str
    forward: Callable[..., float]
    finite_locals: bool = False
    code: str = ""
    rules: tuple[Rule, ...] = ()

    def with_rules(self, *rules: Rule) -> Op:
        """This op with these rules, one per input (their code written out)."""
        return replace(self, rules=rules)

    def __post_init__(self) -> None:
        if not self.rules:  # the first half of ``Op(...).with_rules(...)``
            return
        inputs = placeholders(len(self.rules))
        if not self.code:
            name = _CODE_NAMES.get(self.forward)
            try:
                code = call(name, *inputs) if name else self.forward(*inputs)
            except TypeError as error:
                raise TypeError(
                    text("error.ops.forward", name=repr(self.name), error=error)
                ) from None
            object.__setattr__(self, "code", str(code))
        written = []
        for index, each in enumerate(self.rules):
            if not each.code:
                try:
                    code = each.vjp(Symbol("{g}"), *inputs, Symbol("{z}"))
                except TypeError as error:
                    raise TypeError(
                        text("error.ops.rule", name=repr(self.name), index=index, error=error)
                    ) from None
                each = replace(each, code=str(code))
            written.append(each)
        object.__setattr__(self, "rules", tuple(written))

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """What each input receives when ``upstream`` arrives at the output."""
        return [each.vjp(upstream, *inputs, out) for each in self.rules]

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        """The rule for input ``index`` as text, with the given names filled in."""
        return self.rules[index].formula.format(**_placeholders(names, out))

    def output_formula(self, names: Sequence[str]) -> str:
        """The forward formula as text, with the given input names filled in."""
        return self.formula.format(**_placeholders(names, ""))

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``forward`` as a Python statement that sets ``out`` from ``names``."""
        return [f"{out} = {self.code.format(**_placeholders(names, ''))}"]

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """``(input index, what it receives)`` as source, from the rules' ``code``."""
        fill = _placeholders(names, out)
        return [(i, each.code.format(g=upstream, **fill)) for i, each in enumerate(self.rules)]


def _placeholders(names: Sequence[str], out: str) -> dict[str, str]:
    return dict(zip("ab", names), z=out)


#: Whether Python's ``sum()`` of floats adds left to right, one pair at a time,
#: as a sum of Values does. From 3.12 it compensates rounding errors
#: (Neumaier), and ``1e16 + 1.0 - 1e16`` gives 1.0 where Values give 0.0; there
#: the fused ops fold with ``functools.reduce``, so that they equal a sum of
#: Values bit for bit on every Python. (3.11 keeps sum(), which adds without
#: making a float object per step: about 6% of a fused training step.)
_PLAIN_SUM = sys.version_info < (3, 12)


# The n-ary ops take any number of inputs, so each gives all its inputs'
# shares at once (``vjps``) instead of one Rule per input.


@dataclass(frozen=True)
class SumOp(_Views):
    """``z = x1 + x2 + ... + xn`` as one node: every local derivative is 1."""

    name: str = "sum"
    finite_locals: bool = True

    def forward(self, *inputs: float) -> float:
        # Left to right, as Python's sum() of Values adds (see _PLAIN_SUM).
        return sum(inputs, 0.0) if _PLAIN_SUM else reduce(operator.add, inputs, 0.0)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """Each input receives the upstream gradient (times 1)."""
        return [upstream] * len(inputs)

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        return "1"

    def output_formula(self, names: Sequence[str]) -> str:
        return " + ".join(names)

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``out = 0.0 + x1 + x2 + ...``, left to right, over several lines."""
        return _left_to_right(out, "0.0", list(names))


@dataclass(frozen=True)
class DotOp(_Views):
    """``z = w1·x1 + ... + wn·xn (+ b)`` as one node: the article's ``W·x + b``.

    The inputs are ``(w1, ..., wn, x1, ..., xn)``, then the bias ``b`` if
    there is one (an odd number of inputs): ``∂z/∂wi = xi``, ``∂z/∂xi = wi``,
    ``∂z/∂b = 1``.
    """

    name: str = "dot"
    finite_locals: bool = True  # a finite sum of products has finite factors

    def forward(self, *inputs: float) -> float:
        n = len(inputs) // 2
        bias = inputs[-1] if len(inputs) % 2 else 0.0
        return self.combine(inputs[:n], inputs[n : 2 * n], bias)

    @staticmethod
    def combine(weights: Sequence[float], inputs: Sequence[float], bias: float = 0.0) -> float:
        """``b + w1·x1 + ... + wn·xn``, added in that order (as ``sum(w * x for
        ...)`` starting from ``b`` adds them; see _PLAIN_SUM)."""
        products = map(operator.mul, weights, inputs)
        return sum(products, bias) if _PLAIN_SUM else reduce(operator.add, products, bias)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``upstream · xi`` for wi, ``upstream · wi`` for xi, ``upstream`` for b."""
        n = len(inputs) // 2
        swapped = [upstream * x for x in (*inputs[n : 2 * n], *inputs[:n])]
        return [*swapped, upstream] if len(inputs) % 2 else swapped

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        n = len(names) // 2
        if index == 2 * n:
            return "1"
        return names[index + n] if index < n else names[index - n]

    def output_formula(self, names: Sequence[str]) -> str:
        n = len(names) // 2
        terms = [f"{w}·{x}" for w, x in zip(names[:n], names[n : 2 * n])]
        return " + ".join(terms + list(names[2 * n :]))

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        """``out = b + w1 * x1 + w2 * x2 + ...``, left to right from the bias
        (0.0 without one), as ``combine`` adds."""
        n = len(names) // 2
        bias = names[-1] if len(names) % 2 else "0.0"
        return _left_to_right(out, bias, [f"{w} * {x}" for w, x in zip(names[:n], names[n:])])


def _left_to_right(out: str, start: str, terms: list[str], per_line: int = 8) -> list[str]:
    """``out = start + t1 + t2 + ...`` as statements of ``per_line`` terms each
    (the same order of additions; no 10,000-deep expression for the compiler)."""
    lines = []
    for first in range(0, max(len(terms), 1), per_line):
        chunk = terms[first : first + per_line]
        lines.append(f"{out} = {' + '.join([start if first == 0 else out, *chunk])}")
    return lines


def _fold(items: Any) -> Any:
    """``0.0 + x1 + x2 + ...``, left to right, on floats, Values or Symbols."""
    return reduce(operator.add, items, 0.0)


def logsumexp(*logits: Any) -> Any:
    """``log(exp(z1) + ... + exp(zn))``, stable: ``m + log(Σ exp(zi − m))`` with
    ``m`` the largest logit's number (a constant: the result does not depend
    on it). On floats, Values and Symbols' numbers alike; an inf or nan
    logit gives what the plain formula would (inf, nan)."""
    numbers = [number(z) for z in logits]
    if any(x != x for x in numbers):
        return math.nan
    top = max(numbers)
    if math.isinf(top):  # +inf: the sum is inf; -inf: every exp is 0
        return top
    return top + log(_fold(exp(z - top) for z in logits))


def cross_entropy_of(*inputs: float) -> float:
    """The forward of ``cross_entropy``: inputs ``(z1..zn, y1..yn)``, logits then
    target probabilities: ``(Σy)·logsumexp(z) − Σ yi·zi`` (``−log pk`` for a
    one-hot y at class k)."""
    n = len(inputs) // 2
    logits, targets = inputs[:n], inputs[n:]
    return _fold(targets) * logsumexp(*logits) - DotOp.combine(targets, logits)


def softmax_of(*inputs: float) -> float:
    """The forward of ``softmax``: inputs ``(zk, z1..zn)``, ``exp(zk) / Σ exp(zi)``
    as ``exp(zk − logsumexp(z))``."""
    return floatmath.exp(inputs[0] - logsumexp(*inputs[1:]))


@dataclass(frozen=True)
class CrossEntropyOp(_Views):
    """``L = −Σ yi·log(pi)`` with ``p = softmax(z)``, as one node, stable for any logit.

    The inputs are ``(z1, ..., zn, y1, ..., yn)``: the logits, then the target
    probabilities (one-hot for a class). As ``bce_logits`` gives the article's
    ``ŷ − y``, this gives ``∂L/∂zi = pi − yi`` (times ``Σy``, which is 1), and
    ``∂L/∂yi = −log(pi)``.
    """

    name: str = "cross_entropy"
    finite_locals: bool = False

    def forward(self, *inputs: float) -> float:
        return cross_entropy_of(*inputs)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``upstream · (Σy·pi − yi)`` for each zi, ``upstream · (lse − zi)`` for each yi."""
        n = len(inputs) // 2
        logits, targets = inputs[:n], inputs[n:]
        lse, total = logsumexp(*logits), _fold(targets)
        shares = [upstream * (total * exp(z - lse) - y) for z, y in zip(logits, targets)]
        return shares + [upstream * (lse - z) for z in logits]

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        n = len(names) // 2
        logits = ", ".join(names[:n])
        if index < n:
            return f"softmax({logits})[{index}] − {names[index + n]}"
        return f"−log softmax({logits})[{index - n}]"

    def output_formula(self, names: Sequence[str]) -> str:
        n = len(names) // 2
        return f"CE(softmax({', '.join(names[:n])}), ({', '.join(names[n:])}))"

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        return [f"{out} = cross_entropy_of({', '.join(names)})"]

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        """The shares of ``vjps`` as source, the log-sum-exp a call of ``logsumexp``."""
        n = len(names) // 2
        logits, targets = names[:n], names[n:]
        lse = f"logsumexp({', '.join(logits)})"
        total = " + ".join(["0.0", *targets])
        shares = [
            f"{upstream} * (({total}) * exp({z} - {lse}) - {y})" for z, y in zip(logits, targets)
        ]
        shares += [f"{upstream} * ({lse} - {z})" for z in logits]
        return list(enumerate(shares))


@dataclass(frozen=True)
class SoftmaxOp(_Views):
    """``p = exp(zk) / (exp(z1) + ... + exp(zn))``, one class's probability, as one node.

    The inputs are ``(zk, z1, ..., zn)``: the numerator's logit, then every
    logit of the denominator (``zk`` among them). Then ``∂p/∂zk = p`` through
    the numerator and ``∂p/∂zi = −p·pi`` through the denominator; the two
    meet at ``zk``: ``p·(1 − p)``.
    """

    name: str = "softmax"
    finite_locals: bool = False

    def forward(self, *inputs: float) -> float:
        return softmax_of(*inputs)

    def vjps(self, upstream: Any, inputs: Sequence[Any], out: Any) -> list[Any]:
        """``upstream · p`` for the numerator, ``upstream · (−p·pi)`` for each zi."""
        lse = logsumexp(*inputs[1:])
        return [upstream * out] + [upstream * (-out * exp(z - lse)) for z in inputs[1:]]

    def derivative_formula(self, index: int, names: Sequence[str], out: str) -> str:
        if index == 0:
            return out
        return f"−{out}·softmax({', '.join(names[1:])})[{index - 1}]"

    def output_formula(self, names: Sequence[str]) -> str:
        return f"exp({names[0]}) / ({' + '.join(f'exp({z})' for z in names[1:])})"

    def forward_code(self, names: Sequence[str], out: str) -> list[str]:
        return [f"{out} = softmax_of({', '.join(names)})"]

    def accumulate_code(
        self, upstream: str, names: Sequence[str], out: str
    ) -> list[tuple[int, str]]:
        lse = f"logsumexp({', '.join(names[1:])})"
        shares = [f"{upstream} * {out}"]
        shares += [f"{upstream} * (-{out} * exp({z} - {lse}))" for z in names[1:]]
        return list(enumerate(shares))


# The table. Each op: its name, its formula and its forward, then one rule per
# input, one line each: the local derivative as text, and what the input
# receives when the gradient g arrives at the output z.

ADD = Op("+", "{a} + {b}", operator.add, finite_locals=True).with_rules(
    rule("1", lambda g, a, b, z: g),
    rule("1", lambda g, a, b, z: g),
)
SUB = Op("-", "{a} − {b}", operator.sub, finite_locals=True).with_rules(
    rule("1", lambda g, a, b, z: g),
    rule("−1", lambda g, a, b, z: -g),
)
# finite_locals: a finite a·b means a finite a and b (0·inf is nan)
MUL = Op("*", "{a} · {b}", operator.mul, finite_locals=True).with_rules(
    rule("{b}", lambda g, a, b, z: g * b),
    rule("{a}", lambda g, a, b, z: g * a),
)
DIV = Op("/", "{a} / {b}", floatmath.divide).with_rules(
    rule("1/{b}", lambda g, a, b, z: g * divide(1.0, b)),
    rule("−{z}/{b}", lambda g, a, b, z: g * -divide(z, b)),
)
# Two masks, as in PyTorch. a^0 is the constant 1: no gradient at all, even
# where b·a^(b−1) would be 0·inf (a = 0) or nan (a = nan). At a = 0 the log is
# -inf; the second rule takes 0 there for b >= 0.
POW = Op("**", "{a}^{b}", floatmath.power).with_rules(
    rule(
        "{b}·{a}^({b}−1)",
        lambda g, a, b, z: 0.0 if number(b) == 0 else g * (b * power(a, b - 1.0)),
        code="(0.0 if {b} == 0.0 else {g} * ({b} * power({a}, {b} - 1.0)))",
    ),
    rule(
        "{z}·log({a})",
        lambda g, a, b, z: g * (0.0 if number(a) == 0 and b >= 0 else z * log(a)),
        code="{g} * (0.0 if {a} == 0.0 and {b} >= 0.0 else {z} * log({a}))",
    ),
)
NEG = Op("neg", "−{a}", operator.neg, finite_locals=True).with_rules(
    rule("−1", lambda g, a, z: -g),
)
EXP = Op("exp", "exp({a})", floatmath.exp, finite_locals=True).with_rules(
    rule("exp({a}) = {z}", lambda g, a, z: g * z),
)
LOG = Op("log", "log({a})", floatmath.log).with_rules(
    rule("1/{a}", lambda g, a, z: g * divide(1.0, a)),
)
TANH = Op("tanh", "tanh({a})", floatmath.tanh, finite_locals=True).with_rules(
    rule("1 − {z}²", lambda g, a, z: g * (1.0 - z * z)),
)
SIGMOID = Op("sigmoid", "σ({a})", floatmath.sigmoid, finite_locals=True).with_rules(
    rule("{z}·(1 − {z})", lambda g, a, z: g * (z * (1.0 - z))),
)
# A mask, as in PyTorch: the gradient passes where a > 0 and is 0 elsewhere (the
# kink at 0 included), even an inf or nan one; nan <= 0 is false, so at a = nan
# it passes. (A Value's <= compares its data.) The forward's code is
# floatmath.relu written out: a call per node would cost more than the test.
_RELU_CODE, _RELU_MASK = "({a} if {a} > 0.0 or {a} != {a} else 0.0)", "(0.0 if {a} <= 0.0 else {g})"
RELU = Op("relu", "ReLU({a})", floatmath.relu, True, _RELU_CODE).with_rules(
    rule("1 if {a} > 0 else 0", lambda g, a, z: 0.0 if a <= 0 else g, _RELU_MASK),
)
# The article's ∂L/∂z2 = ŷ − y, exactly: ŷ = σ(z) is the prediction.
BCE_WITH_LOGITS = Op("bce_logits", "BCE(σ({a}), {b})", floatmath.bce_with_logits).with_rules(
    rule("σ({a}) − {b}", lambda g, z, y, loss: g * (sigmoid(z) - y)),
    rule("−{a}", lambda g, z, y, loss: g * -z),
)
SUM = SumOp()
DOT = DotOp()
CROSS_ENTROPY = CrossEntropyOp()
SOFTMAX = SoftmaxOp()

AnyOp = Op | SumOp | DotOp | CrossEntropyOp | SoftmaxOp

# The multi-class ops' code calls these (their log-sum-exp takes a max: no
# Symbol can write it out).
CODE_NAMESPACE.update(logsumexp=logsumexp, cross_entropy_of=cross_entropy_of, softmax_of=softmax_of)

#: Every op, by the name stored in ``Value.op``.
OPS: dict[str, AnyOp] = {
    op.name: op for op in (ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, TANH, SIGMOID, RELU)
}
OPS.update({op.name: op for op in (BCE_WITH_LOGITS, SUM, DOT, CROSS_ENTROPY, SOFTMAX)})

#: The names of the built-in ops: ``autograd.define_op`` adds others beside them.
BUILT_IN_OPS: tuple[str, ...] = tuple(OPS)

#: The names of the ops marked ``finite_locals``: backward skips such a node
#: when its upstream gradient is exactly 0 and its output finite.
FINITE_LOCALS: frozenset[str] = frozenset(name for name, op in OPS.items() if op.finite_locals)


def op_of(node: Any) -> AnyOp:
    """The table's entry for the op that made ``node``.

    Raises:
        ValueError: naming the node and the known ops, for an op the table
            does not know (a node made by hand: ``Value(data, children, "?")``).
    """
    try:
        return OPS[node.op]
    except KeyError:
        if node.label:
            who = text("error.engine.node_named", label=repr(node.label))
        else:
            who = text("error.engine.node_described", description=f"Value({node.data!r})")
        known = " ".join(OPS)
        raise ValueError(
            text("error.engine.unknown_op", who=who, op=repr(node.op), ops=known)
        ) from None
