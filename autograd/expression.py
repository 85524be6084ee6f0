"""Arithmetic expressions over named Values, read from text: ``"(a*b + a).tanh()"``.

The step command (``python -m autograd.step``) turns the text it is given
into a graph of Values with ``build_expression``. The text is never handed
to Python's ``eval``: it is parsed with the ``ast`` module, every node is
checked against the small grammar below, and only then is the tree
evaluated, by a loop that knows nothing but these rules. So the text may
come from anyone: whatever is not arithmetic is refused before anything
runs.

Grammar
-------
An expression is one of

* a number: an int or float literal (``2``, ``0.5``, ``1e-3``), taken as a float;
* a variable given a value (``a`` with ``a=2``); names are read as Python
  reads them, in NFKC form, so ``ﬁ=3`` and ``fi=3`` give the same variable;
* ``x + y``, ``x - y``, ``x * y``, ``x / y``, ``x ** y``, ``-x``, ``+x``, ``(x)``;
* a one-input op of the op table, as a method or a function, with no other
  arguments: ``x.tanh()`` or ``tanh(x)``, and likewise ``exp``, ``log``,
  ``sigmoid``, ``relu`` (``FUNCTIONS``, derived from ``OPS`` and ``Value``).

Anything else (attributes, indexing, strings, comprehensions, lambdas,
comparisons, keyword arguments, calls of other names, ``:=``, ...) is an
error that names what is not allowed.

Parts made of numbers only are computed at once, with the op table's own
forward functions, and must give a finite number: ``1/0``, ``10**400`` or
``log(0)`` there is an error (in a part with a variable, the engine's rules
apply as usual: ``a/0`` is inf).

Limits, so that any text is answered at once:

* ``MAX_LENGTH`` characters in the expression;
* ``MAX_NESTING`` levels of brackets;
* ``MAX_EXPONENT``: an exponent that is a plain number lies within ± this.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd.language import text, word_list
from autograd.ops import OPS, Op
from autograd.value import Value

#: The longest expression accepted, in characters.
MAX_LENGTH = 1000
#: The deepest nesting of brackets accepted.
MAX_NESTING = 30
#: The largest size of an exponent that is a plain number: ``x ** 1000`` at most.
MAX_EXPONENT = 1000

#: The ops that may be called, as ``x.name()`` or ``name(x)``: every op of the
#: table with one input that Value has as a method (exp, log, relu, sigmoid, tanh).
FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    name: getattr(Value, name)
    for name, op in OPS.items()
    if isinstance(op, Op)
    and len(op.rules) == 1
    and name.isidentifier()
    and callable(getattr(Value, name, None))
}

# The binary operators: the op's name in the table, and the Python operator
# that records it on Values.
_BINARY: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.Pow: ("**", operator.pow),
}

# What is not allowed, by the message catalogue's key for its name
# ("attribute access", "the operator //", ...).
_CONSTANTS = {
    str: "error.expression.kind.strings",
    bytes: "error.expression.kind.strings",
    bool: "error.expression.kind.booleans",
    complex: "error.expression.kind.complex",
}

_SYMBOLS = {  # the operators that are not allowed
    ast.FloorDiv: "error.expression.kind.floor_division",
    ast.Mod: "error.expression.kind.modulo",
    ast.MatMult: "error.expression.kind.matmul",
    ast.LShift: "error.expression.kind.left_shift",
    ast.RShift: "error.expression.kind.right_shift",
    ast.BitOr: "error.expression.kind.bit_or",
    ast.BitXor: "error.expression.kind.bit_xor",
    ast.BitAnd: "error.expression.kind.bit_and",
    ast.Not: "error.expression.kind.not",
    ast.Invert: "error.expression.kind.invert",
}

_KINDS = {
    ast.Attribute: "error.expression.kind.attribute",
    ast.Subscript: "error.expression.kind.indexing",
    ast.Slice: "error.expression.kind.slices",
    ast.List: "error.expression.kind.lists",
    ast.Tuple: "error.expression.kind.tuples",
    ast.Set: "error.expression.kind.sets",
    ast.Dict: "error.expression.kind.dicts",
    ast.ListComp: "error.expression.kind.comprehensions",
    ast.SetComp: "error.expression.kind.comprehensions",
    ast.DictComp: "error.expression.kind.comprehensions",
    ast.GeneratorExp: "error.expression.kind.generators",
    ast.Lambda: "error.expression.kind.lambda",
    ast.IfExp: "error.expression.kind.if_else",
    ast.Compare: "error.expression.kind.comparisons",
    ast.BoolOp: "error.expression.kind.and_or",
    ast.NamedExpr: "error.expression.kind.assignment",
    ast.JoinedStr: "error.expression.kind.f_strings",
    ast.FormattedValue: "error.expression.kind.f_strings",
    ast.Starred: "error.expression.kind.unpacking",
    ast.Await: "error.expression.kind.await",
    ast.Yield: "error.expression.kind.yield",
    ast.YieldFrom: "error.expression.kind.yield",
}


def build_expression(
    expression: str, assignments: Sequence[str] | Mapping[str, float] | str
) -> Value:
    """Build the graph of an arithmetic expression over named Values.

    Safe for text from someone else: the text is parsed, never executed.
    Only the grammar of this module's docstring is accepted: int and float
    literals, the variables in ``assignments``, ``+ - * / **``, unary ``-``
    and ``+``, brackets, and the one-input ops of the table (``FUNCTIONS``)
    as ``x.tanh()`` or ``tanh(x)``. Everything else is refused before any
    of the expression is evaluated. The work is bounded: at most
    ``MAX_LENGTH`` characters and ``MAX_NESTING`` levels of brackets, and a
    plain-number exponent within ``±MAX_EXPONENT``.

    Args:
        expression: e.g. ``"(a*b + a).tanh()"``.
        assignments: one ``name=number`` per variable, e.g. ``["a=2", "b=-3"]``,
            or the same as one string (``"a=2 b=-3"``) or a dict (``{"a": 2, "b": -3}``).

    Returns:
        The output Value, labelled ``"out"`` unless it is a variable itself;
        each variable is a leaf labelled with its name.

    Raises:
        ValueError: for a malformed assignment, text outside the grammar or
            the limits, a variable with no value, or a part made of plain
            numbers only that is not a finite number (``1/0``). The message
            is one line and says what to change.
    """
    variables = _parse_assignments(assignments)
    tree = _parse(expression)
    expression = expression.strip()  # as parsed: the nodes' positions refer to it
    used = _check(tree, expression)
    missing = list(dict.fromkeys(name for name in used if name not in variables))
    if missing:
        raise ValueError(_missing_message(missing))
    result = _evaluate(tree, variables, expression)
    if not isinstance(result, Value):
        raise ValueError(text("error.expression.no_variable"))
    if not result.label:
        result.label = "out"
    return result


def _parse_assignments(assignments: Sequence[str] | Mapping[str, float] | str) -> dict[str, Value]:
    if isinstance(assignments, str):  # "a=2 b=-3", as on the command line
        assignments = assignments.split()
    elif isinstance(assignments, Mapping):  # {"a": 2, "b": -3}
        assignments = [f"{name}={value}" for name, value in assignments.items()]
    variables: dict[str, Value] = {}
    for assignment in assignments:
        if not isinstance(assignment, str):
            raise ValueError(text("error.expression.assignment", given=repr(assignment)))
        written, _, number = assignment.partition("=")
        # Python reads names in NFKC form, so the expression's "ﬁ" is the name "fi":
        # a variable is that name too, however it was written.
        name = unicodedata.normalize("NFKC", written)
        if not name.isidentifier() or keyword.iskeyword(name) or not number:
            raise ValueError(text("error.expression.assignment", given=repr(assignment)))
        if name in FUNCTIONS:
            raise ValueError(text("error.expression.function_name", name=name))
        if name in variables:
            value = f"{variables[name].data:g}"
            if written == name:
                raise ValueError(text("error.expression.twice", name=name, value=value))
            raise ValueError(
                text("error.expression.twice_as", name=name, written=written, value=value)
            )
        try:
            variables[name] = Value(float(number), label=name)
        except ValueError:
            raise ValueError(
                text(
                    "error.expression.not_a_number",
                    number=repr(number),
                    assignment=repr(assignment),
                )
            ) from None
    return variables


def _parse(expression: str) -> ast.Expression:
    """Parse after checking the limits that keep the parser itself quick and shallow."""
    if len(expression) > MAX_LENGTH:
        raise ValueError(
            text("error.expression.too_long", length=len(expression), limit=MAX_LENGTH)
        )
    depth = deepest = 0
    for char in expression:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise ValueError(text("error.expression.too_deep", depth=deepest, limit=MAX_NESTING))
    try:
        return ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:  # IndentationError is one too
        if error.offset:
            raise ValueError(
                text("error.expression.invalid_at", reason=error.msg, offset=error.offset)
            ) from None
        raise ValueError(text("error.expression.invalid", reason=error.msg)) from None
    except ValueError as error:  # a null character, in Python 3.11
        raise ValueError(text("error.expression.invalid", reason=error)) from None
    except (RecursionError, MemoryError):
        raise ValueError(text("error.expression.too_complex")) from None


def _check(tree: ast.Expression, source: str) -> list[str]:
    """Check every node against the grammar; return the variable names used, in order.

    An explicit stack, not recursion: a long chain such as ``a+a+...+a`` is
    a deep tree.
    """
    used: list[str] = []
    stack: list[ast.AST] = [tree.body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                kind = _CONSTANTS.get(type(node.value), "error.expression.kind.constants")
                raise ValueError(_not_allowed(text(kind), node, source))
        elif isinstance(node, ast.Name):
            used.append(node.id)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise ValueError(_not_allowed(text(_SYMBOLS[type(node.op)]), node, source))
            stack += [node.right, node.left]
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ValueError(_not_allowed(text(_SYMBOLS[type(node.op)]), node, source))
            stack.append(node.operand)
        elif isinstance(node, ast.Call):
            stack.append(_checked_call(node, source))
        else:
            key = _KINDS.get(type(node))
            kind = type(node).__name__ if key is None else text(key)
            raise ValueError(_not_allowed(kind, node, source))
    return used


def _checked_call(node: ast.Call, source: str) -> ast.expr:
    """Check a call of a table op; return its one operand (the argument or the receiver)."""
    call = _segment(node, source)
    func = node.func
    if isinstance(func, ast.Attribute):
        name, operands, form = func.attr, [func.value, *node.args], "x.{}()"
        extra = bool(node.args)
    elif isinstance(func, ast.Name):
        name, operands, form = func.id, node.args, "{}(x)"
        extra = len(node.args) != 1
    else:
        kind = text("error.expression.kind.call", functions=_function_list())
        raise ValueError(_not_allowed(kind, node, source))
    if name not in FUNCTIONS:
        raise ValueError(
            text(
                "error.expression.not_a_function", call=call, name=name, functions=_function_list()
            )
        )
    if node.keywords or extra or any(isinstance(x, ast.Starred) for x in operands):
        raise ValueError(
            text("error.expression.extra_arguments", call=call, form=form.format(name))
        )
    return operands[0]


def _evaluate(tree: ast.Expression, variables: dict[str, Value], source: str) -> Any:
    """Evaluate a checked tree, children first, with an explicit stack.

    Left operands are evaluated before right ones, as Python would, so the
    nodes are made in the same order as by the same expression in code.
    """
    results: list[Any] = []
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            stack += [(child, False) for child in reversed(_operands(node))]
            continue
        if isinstance(node, ast.Constant):
            results.append(_number(node, source))
        elif isinstance(node, ast.Name):
            results.append(variables[node.id])
        elif isinstance(node, ast.UnaryOp):
            x = results.pop()
            results.append(-x if isinstance(node.op, ast.USub) else x)
        elif isinstance(node, ast.BinOp):
            b, a = results.pop(), results.pop()
            results.append(_binary(node, a, b, source))
        else:  # a checked call of a table op
            x = results.pop()
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if isinstance(x, Value):
                results.append(FUNCTIONS[name](x))
            else:
                results.append(_finite(OPS[name].forward(x), node, source))
    return results.pop()


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        func = node.func
        return [func.value] if isinstance(func, ast.Attribute) else [node.args[0]]
    return []


def _number(node: ast.Constant, source: str) -> float:
    try:
        number = float(node.value)
    except OverflowError:
        raise ValueError(
            text("error.expression.too_large", number=_segment(node, source))
        ) from None
    return _finite(number, node, source)


def _binary(node: ast.BinOp, a: Any, b: Any, source: str) -> Any:
    name, python_operator = _BINARY[type(node.op)]
    if name == "**" and not isinstance(b, Value) and abs(b) > MAX_EXPONENT:
        raise ValueError(
            text(
                "error.expression.exponent",
                segment=_segment(node, source),
                exponent=f"{b:.15g}",
                limit=MAX_EXPONENT,
            )
        )
    if isinstance(a, Value) or isinstance(b, Value):
        return python_operator(a, b)  # Value's own operators: the engine's rules
    if name == "/" and b == 0:
        raise ValueError(text("error.expression.divides_by_zero", segment=_segment(node, source)))
    # Plain numbers: the table's forward, which never raises or turns complex.
    return _finite(OPS[name].forward(a, b), node, source)


def _finite(number: float, node: ast.AST, source: str) -> float:
    if not math.isfinite(number):
        raise ValueError(
            text("error.expression.not_finite", segment=_segment(node, source), number=number)
        )
    return number


def _missing_message(missing: list[str]) -> str:
    function = next((name for name in missing if name in FUNCTIONS), None)
    if function is not None:
        return text("error.expression.call_it", name=function)
    number = text("error.expression.number")
    example = " ".join(f"{name}={number}" for name in missing)
    key = "error.expression.missing_one" if len(missing) == 1 else "error.expression.missing_many"
    return text(key, names=word_list(missing), example=example)


def _not_allowed(kind: str, node: ast.AST, source: str) -> str:
    allowed = text("error.expression.allowed", functions=_function_list())
    return text(
        "error.expression.not_allowed", kind=kind, segment=_segment(node, source), allowed=allowed
    )


def _segment(node: ast.AST, source: str) -> str:
    """The source text of a node, on one line and shortened."""
    shown = " ".join((ast.get_source_segment(source, node) or "").split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _function_list() -> str:
    return ", ".join(sorted(FUNCTIONS))
