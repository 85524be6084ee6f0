"""Your own operations: ``define_op`` adds a row to the op table.

A row of the table (``autograd.ops``) is a forward formula and one derivative
rule per input. ``define_op`` makes such a row from two plain functions and
puts it beside the built-in ones, so ``backward``, ``grad``, ``record``, the
drawings and the stepper treat it like ``tanh``::

    from autograd import define_op
    from autograd.ops import exp, log, sigmoid

    softplus = define_op(
        "softplus",
        forward=lambda x: log(1.0 + exp(x)),
        derivative=lambda x: sigmoid(x),
        formula="log(1 + exp({a}))",
        derivative_formula="σ({a})",
    )
    y = softplus(Value(0.5))

The derivative is checked against finite differences when the op is
defined: a wrong one is refused with both numbers. Written with the generic
functions of ``autograd.ops`` (``exp``, ``log``, ``sigmoid``, operators),
which take floats, Values and Symbols alike, it serves three ways: on floats
for ``backward``, on Values for gradients of gradients, on Symbols for the
code of a recorded replay. Written with ``math``, it still works on floats
(and a replay calls it), but cannot be differentiated again.
"""

from __future__ import annotations

import inspect
import keyword
import math
from collections.abc import Callable, Sequence
from typing import Any

from autograd import fast_paths
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.language import text
from autograd.names import fmt
from autograd.ops import BUILT_IN_OPS, CODE_NAMESPACE, OPS, Op, rule
from autograd.symbolic import LITERALS, Symbol, literal, placeholders
from autograd.value import Value, _binary, _record

#: Where the derivative is checked when no ``check_at`` is given: away from 0,
#: where a kink (ReLU's, |x|'s) would fool the finite differences.
UNARY_POINTS = (-1.7, -0.4, 0.3, 1.2)
BINARY_POINTS = ((0.7, 1.3), (-0.6, 0.9), (1.4, -0.8))

#: The ops made by ``define_op``, by name: they may be defined again.
DEFINED: dict[str, Op] = {}


def define_op(
    name: str,
    forward: Callable[..., Any] | None = None,
    derivative: Callable[..., Any] | None = None,
    formula: str = "",
    derivative_formula: str | Sequence[str] = "",
    *,
    check: bool = True,
    check_at: Sequence[Any] | None = None,
) -> Any:
    """Add an op with one or two inputs to the table; returns the function that records it.

    Args:
        name: the op's name, a Python identifier that no built-in op has
            (it is stored in ``Value.op``).
        forward: the output from the input numbers, ``forward(a)`` or
            ``forward(a, b)``. Left out, ``define_op`` is a decorator for it.
        derivative: ``∂z/∂a`` from the inputs, ``derivative(a)``; for two
            inputs the pair ``(∂z/∂a, ∂z/∂b)``, ``derivative(a, b)``.
        formula: the output as text for drawings and steps, with ``{a}``
            (and ``{b}``) for the inputs: ``"log(1 + exp({a}))"``.
        derivative_formula: the local derivative as text (for two inputs,
            one text per input), with ``{a}``, ``{b}`` and ``{z}`` (the output).
        check: check the derivative against central finite differences now.
        check_at: the points to check at: numbers, or pairs for two inputs.

    Returns:
        ``f(x)`` (or ``f(a, b)``): records one node of the op on Values (a
        number becomes a constant), as ``x.tanh()`` does.

    Raises:
        ValueError: for a name that is not an identifier or is a built-in op,
            a formula with an unknown placeholder, or a wrong derivative
            (naming the op, the input, the point and both numbers).
        TypeError: if forward or derivative is not a function of one or two
            inputs, or returns something other than numbers.
    """
    if forward is None:
        return lambda function: define_op(
            name,
            function,
            derivative,
            formula,
            derivative_formula,
            check=check,
            check_at=check_at,
        )
    _check_name(name)
    arity = _arity(name, forward)
    if not callable(derivative):
        raise TypeError(text("error.define_op.not_a_function", name=repr(name), what="derivative"))
    inputs = _input_names(forward)
    formulas = _formulas(name, arity, formula, derivative_formula)
    points = _points(name, arity, check_at)
    op = _make_op(name, arity, forward, derivative, formulas, points)
    previous = OPS.get(name)
    _register(op)
    try:
        if check:
            _check_derivative(op, inputs, points, _recorder(op))
    except Exception:
        _unregister(name, previous)
        raise
    return _recorder(op)


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(text("error.define_op.name", given=repr(name)))
    if name in BUILT_IN_OPS or (name in CODE_NAMESPACE and name not in DEFINED):
        raise ValueError(
            text("error.define_op.built_in", name=repr(name), ops=" ".join(BUILT_IN_OPS))
        )


def _arity(name: str, forward: Any) -> int:
    if not callable(forward):
        raise TypeError(text("error.define_op.not_a_function", name=repr(name), what="forward"))
    count = len(_input_names(forward))
    if count not in (1, 2):
        raise TypeError(text("error.define_op.arity", name=repr(name), count=count))
    return count


def _input_names(forward: Callable[..., Any]) -> list[str]:
    """The names of forward's inputs (``x``, or ``a, b``), for the error messages."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: take one input
        return ["a"]
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in kinds and p.default is p.empty]


def _formulas(name: str, arity: int, formula: str, derivative: str | Sequence[str]) -> list[str]:
    """The forward formula, then one derivative formula per input, checked."""
    slots = "{a}" if arity == 1 else "{a}, {b}"
    forward = formula or f"{name}({slots})"
    if isinstance(derivative, str):
        derivative = [derivative] if derivative else []
    derivatives = list(derivative)
    if not derivatives:
        derivatives = [f"∂{name}/∂{{{x}}}" for x in "ab"[:arity]]
    if len(derivatives) != arity:
        raise ValueError(
            text(
                "error.define_op.formula_count",
                name=repr(name),
                count=len(derivatives),
                arity=arity,
            )
        )
    for each in (forward, *derivatives):
        try:
            each.format(a="a", b="b", z="z")
        except (KeyError, IndexError, ValueError, AttributeError):
            raise ValueError(
                text(
                    "error.define_op.formula",
                    name=repr(name),
                    formula=repr(each),
                    slot_a="{a}",
                    slot_b="{b}",
                    slot_z="{z}",
                )
            ) from None
    return [forward, *derivatives]


def _points(name: str, arity: int, check_at: Sequence[Any] | None) -> list[tuple[float, ...]]:
    if check_at is None:
        return [(x,) for x in UNARY_POINTS] if arity == 1 else list(BINARY_POINTS)
    points = []
    for each in check_at:
        point = (each,) if arity == 1 and not isinstance(each, Sequence) else tuple(each)
        if len(point) != arity or not all(_is_number(x) for x in point):
            raise ValueError(text("error.define_op.check_at", name=repr(name), given=repr(each)))
        points.append(tuple(float(x) for x in point))
    if not points:
        raise ValueError(text("error.define_op.check_at", name=repr(name), given=repr(check_at)))
    return points


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _make_op(
    name: str,
    arity: int,
    forward: Callable[..., Any],
    derivative: Callable[..., Any],
    formulas: list[str],
    points: list[tuple[float, ...]],
) -> Op:
    """The table's row: the float forward, one rule per input, and their code."""

    def float_forward(*inputs: float) -> float:
        result = forward(*inputs)
        if not _is_number(result):
            raise TypeError(
                text(
                    "error.define_op.not_numbers", name=repr(name), what="forward", got=repr(result)
                )
            )
        return float(result)

    if arity == 1:
        locals_at: list[Callable[..., Any]] = [derivative]
    else:
        locals_at = [lambda a, b, i=i: derivative(a, b)[i] for i in range(2)]
    _check_returns(name, arity, derivative, points)
    higher_order = _takes_values(derivative, points)

    def vjp_of(local: Callable[..., Any]) -> Callable[..., Any]:
        def vjp(g: Any, *inputs_and_out: Any) -> Any:
            inputs = inputs_and_out[:-1]
            if not higher_order and any(isinstance(x, Value) for x in (g, *inputs)):
                raise TypeError(text("error.define_op.first_order", name=repr(name)))
            return g * local(*inputs)

        return vjp

    vjps = [vjp_of(local) for local in locals_at]
    # The replay's code: the functions run on Symbols, if that writes code
    # that gives the same floats; otherwise a call of the function itself.
    forward_code = _written(lambda *xs: forward(*xs), arity, points, float_forward)
    if forward_code is None:
        CODE_NAMESPACE[f"op_{name}"] = float_forward
        forward_code = f"op_{name}({', '.join(str(x) for x in placeholders(arity))})"
    rules = []
    for index, (text_, vjp) in enumerate(zip(formulas[1:], vjps)):
        code = _written(lambda g, *xs, vjp=vjp: vjp(g, *xs, 0.0), arity, points, vjp, upstream=True)
        if code is None:
            CODE_NAMESPACE[f"op_{name}_derivative"] = derivative
            call = f"op_{name}_derivative({', '.join(str(x) for x in placeholders(arity))})"
            code = "{g} * " + (call if arity == 1 else f"{call}[{index}]")
        rules.append(rule(text_, vjp, code))
    return Op(name, formulas[0], float_forward, code=forward_code).with_rules(*rules)


def _check_returns(
    name: str, arity: int, derivative: Callable[..., Any], points: list[tuple[float, ...]]
) -> None:
    """A TypeError unless the derivative gives a number (a pair of them for two
    inputs), at the first point inside its domain."""
    for point in points:
        try:
            got = derivative(*point)
        except (ArithmeticError, ValueError):  # math.sqrt(-1.0): outside the domain
            continue
        if arity == 1:
            ok = _is_number(got)
        else:
            ok = isinstance(got, Sequence) and len(got) == 2 and all(_is_number(x) for x in got)
        if not ok:
            raise TypeError(
                text(
                    "error.define_op.not_numbers", name=repr(name), what="derivative", got=repr(got)
                )
            )
        return
    raise ValueError(text("error.define_op.no_point", name=repr(name)))


def _takes_values(derivative: Callable[..., Any], points: list[tuple[float, ...]]) -> bool:
    """Whether the derivative runs on Values (then it can be differentiated again).

    On Values it must give Values, or one constant everywhere (``lambda x:
    2.0``): a function of floats such as ``math.exp`` accepts a Value too (it
    reads its float) but gives a float, which grad could not differentiate.
    """
    results = []
    for point in points:
        try:
            results.append(derivative(*[Value(x) for x in point]))
        except (TypeError, AttributeError, ValueError, ArithmeticError):
            return False
    rows = [list(each) if isinstance(each, Sequence) else [each] for each in results]
    for column in zip(*rows):  # each input's derivative: Values, or one constant
        constant = all(_is_number(r) for r in column) and len(set(column)) == 1
        if not constant and not all(isinstance(r, Value) for r in column):
            return False
    return True


def _written(
    function: Callable[..., Any],
    arity: int,
    points: list[tuple[float, ...]],
    on_floats: Callable[..., Any],
    upstream: bool = False,
) -> str | None:
    """``function`` run on Symbols, as code; None unless it reproduces the
    floats of ``on_floats`` bit for bit at every point (upstream 0.7)."""
    symbols = ([Symbol("{g}")] if upstream else []) + placeholders(arity)
    try:
        code = str(function(*symbols))
    except Exception:  # a mask, or a function of floats (math.exp): not writable
        return None
    namespace = {**CODE_NAMESPACE, **LITERALS}
    for point in points:
        arguments = ((0.7,) if upstream else ()) + point
        fill = dict(zip("gab" if upstream else "ab", map(literal, arguments)))
        try:
            expected = on_floats(*arguments, 0.0) if upstream else on_floats(*arguments)
            got = eval(code.format(**fill), namespace)  # the code just written, on numbers
        except Exception:
            return None
        if not (got == expected or (math.isnan(got) and math.isnan(expected))):
            return None
    return code


def _recorder(op: Op) -> Callable[..., Value]:
    """The function that records one node of ``op`` (numbers become constants)."""
    if len(op.rules) == 1:

        def apply(x: Any) -> Value:
            if not isinstance(x, Value):
                if not _is_number(x):
                    raise TypeError(
                        text("error.define_op.input", name=repr(op.name), type=type(x).__name__)
                    )
                x = Value(x)
            return _record(op, op.forward(x.data), x)

    else:

        def apply(a: Any, b: Any) -> Value:  # type: ignore[misc]
            if not isinstance(a, Value) and not isinstance(b, Value):
                a = Value(a) if _is_number(a) else a
            result = _binary(op, a, b)
            if result is NotImplemented:
                wrong = b if isinstance(a, Value) else a
                raise TypeError(
                    text("error.define_op.input", name=repr(op.name), type=type(wrong).__name__)
                )
            return result

    apply.__name__ = apply.__qualname__ = op.name
    apply.__doc__ = f"``{op.formula}``: records one {op.name!r} node (made by define_op)."
    apply.op = op  # type: ignore[attr-defined]
    return apply


def _register(op: Op) -> None:
    OPS[op.name] = op
    DEFINED[op.name] = op
    fast_paths.RULES[op.name] = tuple(each.vjp for each in op.rules)


def _unregister(name: str, previous: Any) -> None:
    """Put the table back as it was before a definition that failed its check."""
    if previous is None:
        OPS.pop(name, None)
        DEFINED.pop(name, None)
        fast_paths.RULES.pop(name, None)
        CODE_NAMESPACE.pop(f"op_{name}", None)
        CODE_NAMESPACE.pop(f"op_{name}_derivative", None)
    else:
        _register(previous)


def _check_derivative(
    op: Op, inputs: list[str], points: list[tuple[float, ...]], apply: Callable[..., Value]
) -> None:
    """The rules against central finite differences, through the engine's ``grad``.

    Raises:
        ValueError: naming the op, the input, the point and both numbers.
    """
    checked = 0
    for point in points:
        if not _defined_around(op, point):
            continue  # outside the op's domain: nothing to compare
        checked += 1
        try:
            gradcheck(apply, list(point))
        except GradcheckError as error:
            index, analytic, numeric = error.mismatches[0]
            at = ", ".join(f"{x} = {fmt(v, 6)}" for x, v in zip(inputs, point))
            raise ValueError(
                text(
                    "error.define_op.wrong_derivative",
                    name=repr(op.name),
                    input=inputs[index] if index < len(inputs) else "ab"[index],
                    at=at,
                    analytic=fmt(analytic, 6),
                    numeric=fmt(numeric, 6),
                )
            ) from None
    if not checked:
        raise ValueError(text("error.define_op.no_point", name=repr(op.name)))


def _defined_around(op: Op, point: tuple[float, ...]) -> bool:
    """Whether the forward gives a finite number at the point and the shifted points."""
    try:
        return all(math.isfinite(op.forward(*shifted)) for shifted in _around(point))
    except (ArithmeticError, ValueError):  # math.sqrt(-1), math.exp(1000)
        return False


def _around(point: tuple[float, ...], eps: float = 1e-6) -> list[tuple[float, ...]]:
    """The point and the shifted points the finite differences evaluate."""
    shifted = [point]
    for i in range(len(point)):
        for step in (eps, -eps):
            moved = list(point)
            moved[i] += step
            shifted.append(tuple(moved))
    return shifted
