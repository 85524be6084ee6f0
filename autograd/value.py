"""``Value``: one scalar in a computation graph.

A Value holds a number (``data``), the gradient of the last backward pass
(``grad``), and, if an op made it, the op's name (``op``) and its inputs
(``operands``). That is all: no closures, no back-references from a parent
to its children, so a graph that is no longer used is freed at once.

Operators here only *dispatch*: they look up the op in the table
(``autograd.ops``) and record a node. The calculus lives in that table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from autograd import floatmath
from autograd.language import text
from autograd.mode import modes, switches
from autograd.ops import (
    ADD,
    BCE_WITH_LOGITS,
    DIV,
    DOT,
    EXP,
    LOG,
    MUL,
    NEG,
    OPS,
    POW,
    RELU,
    SIGMOID,
    SUB,
    SUM,
    TANH,
    AnyOp,
    Op,
)


def _operator(op: Op, reflected: bool = False) -> Callable[[Value, Any], Value]:
    """The method behind an arithmetic operator: ``x + y`` records one ``+`` node.

    ``reflected`` makes the method Python calls when a number is on the left
    (``2 * x`` calls ``x.__rmul__(2)``); the node's inputs are then ``(2.0,
    x)``, in the order they were written.

    The commonest case, a Value with a float or a Value while no mode block
    is open, makes the node right here: this runs for every ``+ - * / **``
    of a program, and a call to _binary() would be a third of its time.
    _binary() does all the rest (ints, other types, ``no_grad``, anomaly
    checks) and makes the same node.
    """
    forward, name = op.forward, op.name

    def method(self: Value, other: Any) -> Value:
        kind = type(other)
        if (kind is float or kind is Value) and switches.at_defaults:
            other_data = other if kind is float else other.data
            node = _new_value(Value)
            if reflected:
                node.data = forward(other_data, self.data)
                node._a, node._b = other, self
            else:
                node.data = forward(self.data, other_data)
                node._a, node._b = self, other
            node.serial = next(_serials)
            node.grad = 0.0
            node.label = ""
            node.op = name
            return node
        return _binary(op, other, self) if reflected else _binary(op, self, other)

    dunder = f"__{'r' if reflected else ''}{_DUNDER_NAMES[name]}__"
    method.__name__, method.__qualname__ = dunder, f"Value.{dunder}"
    written = f"other {name} self" if reflected else f"self {name} other"
    method.__doc__ = f"``{written}``: records one {name!r} node (see ``autograd.ops``)."
    return method


_DUNDER_NAMES = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "**": "pow"}


class Value:
    """A scalar that remembers how it was computed.

    Attributes:
        data: the number (a float).
        grad: ∂output/∂self after ``output.backward()`` (0.0 before).
        op: the op that made this node, ``""`` for a leaf (an input).
        operands: the op's inputs in order, as a tuple (read-only): Values,
            or plain floats for constants (``x * 2`` keeps the 2 as a
            number, not a node). ``parents`` is the same without constants.
        label: an optional name, used in drawings and step-throughs.
        serial: the Value's creation number. A node is always made after its
            parents, so sorting by it gives a topological order.

    How a node keeps its inputs: in two slots, ``_a`` and ``_b``, named as
    the op table names the inputs of its formulas (``{a} · {b}``). A
    binary op fills both, a unary op (``tanh``, ``exp``...) fills ``_a``
    and leaves ``_b`` None, an op with any number of inputs (``sum``,
    ``dot``) keeps them all as one tuple in ``_a``, and a leaf has None in
    both. ``operands`` reads them back as a tuple. Why not keep that tuple
    itself? It would be a second object per node: 56 more bytes, and one
    more object for Python's cyclic garbage collector to track, and to scan
    at each of its collections while the graph lives. With two slots an
    elementary node is one object.

    Equality and hashing are by identity, so Values can be dict keys and
    ``a == b`` asks "is this the same node?". ``<``, ``<=``, ``>``, ``>=``
    compare ``data`` and return a bool: handy in Python code, but a
    comparison is not differentiable and records nothing.

    For people coming from micrograd, its names work too, as a thin view:
    ``Value(data, _children, _op, label)``, ``_prev``, ``_op`` and
    ``_backward()``. The names above are the documented ones.
    """

    __slots__ = ("_a", "_b", "data", "grad", "label", "op", "serial")

    def __init__(
        self,
        data: float,
        _children: Iterable[Value] | str = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        """Make a leaf Value: ``Value(2.0, label="a")``.

        Args:
            data: a real number (int, float, or anything ``float()`` accepts
                that is a real number type, such as numpy's floats).
            _children: micrograd's way to make a node by hand, as its lecture
                does: the Values it was computed from, in operand order, with
                the name of a table op in ``_op``:
                ``Value(a.data * b.data, (a, b), "*")``. A str here is taken
                as the label (``Value(2.0, "a")``).
            _op: the op's name in ``autograd.OPS`` (``"+"``, ``"*"``, ``"tanh"``...).
                ``backward()`` names the node and the known ops if it is not
                one of them.
            label: an optional name shown in drawings and step-throughs.

        Raises:
            TypeError: if ``data`` is not a real number, ``label`` not a str,
                a child not a Value, or the number of children not the
                number of inputs of the table's op ``_op``.
        """
        self.data = data if type(data) is float else _to_float(data)
        self.serial = next(_serials)
        self.grad = 0.0
        if isinstance(_children, str):  # Value(2.0, "a"): the label, in second place
            _children, label = (), _children
        children = _made_by_hand(_children, _op)
        self.op = _op if children else ""
        self._a, self._b = _slots_of(children, _op)
        if not isinstance(label, str):
            raise TypeError(text("error.value.label", type=type(label).__name__, label=repr(label)))
        self.label = label

    @property
    def operands(self) -> tuple[Any, ...]:
        """The op's inputs in order: Values, or plain floats for constants.

        ``(x * 2).operands == (x, 2.0)``; a leaf has none: ``()``. A view of
        the slots ``_a`` and ``_b`` (see the class docstring), made on each read.
        """
        a, b = self._a, self._b
        if b is not None:
            return (a, b)
        if a is None:
            return ()
        return a if type(a) is tuple else (a,)

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this node was computed from, in order (constants left out).

        A node used twice appears twice: ``(a * a).parents == (a, a)``.
        """
        return tuple(x for x in self.operands if isinstance(x, Value))

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name: the set of parent Values (see ``parents`` for them in order)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's name for ``op``: the op that made this node, as a short string."""
        return self.op

    @property
    def is_leaf(self) -> bool:
        """True for an input (a Value that no op made)."""
        return self._a is None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{op}{label})"

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    # Arithmetic: each operator records one node of the table's op with that
    # name (the methods are made by _operator, below the class).
    __add__ = _operator(ADD)
    __radd__ = _operator(ADD, reflected=True)
    __sub__ = _operator(SUB)
    __rsub__ = _operator(SUB, reflected=True)
    __mul__ = _operator(MUL)
    __rmul__ = _operator(MUL, reflected=True)
    __truediv__ = _operator(DIV)
    __rtruediv__ = _operator(DIV, reflected=True)
    __pow__ = _operator(POW)
    __rpow__ = _operator(POW, reflected=True)

    def __neg__(self) -> Value:
        return _record(NEG, -self.data, self)

    def __pos__(self) -> Value:
        return self

    def exp(self) -> Value:
        """``e ** self``."""
        return _record(EXP, floatmath.exp(self.data), self)

    def log(self) -> Value:
        """Natural logarithm (``-inf`` at 0, ``nan`` below)."""
        return _record(LOG, floatmath.log(self.data), self)

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return _record(TANH, floatmath.tanh(self.data), self)

    def sigmoid(self) -> Value:
        """Logistic sigmoid ``1 / (1 + e^-x)``, stable for any x."""
        return _record(SIGMOID, floatmath.sigmoid(self.data), self)

    def relu(self) -> Value:
        """``max(0, self)``."""
        return _record(RELU, floatmath.relu(self.data), self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """Jupyter shows a Value as its graph: SVG, PNG and text (with the viz extra).

        The engine never draws: the picture comes from ``autograd.draw``, which
        ``autograd/__init__.py`` plugs into this method's hook (``autograd.hooks``).
        """
        from autograd import hooks

        return hooks.call("Value._repr_mimebundle_", self)

    # Comparisons look at data only; they are not part of the graph.

    def __lt__(self, other: Any) -> bool:
        other_data = _data_of(other)
        return NotImplemented if other_data is None else self.data < other_data

    def __le__(self, other: Any) -> bool:
        other_data = _data_of(other)
        return NotImplemented if other_data is None else self.data <= other_data

    def __gt__(self, other: Any) -> bool:
        other_data = _data_of(other)
        return NotImplemented if other_data is None else self.data > other_data

    def __ge__(self, other: Any) -> bool:
        other_data = _data_of(other)
        return NotImplemented if other_data is None else self.data >= other_data

    # Gradients: ``backward()`` and micrograd's ``_backward()`` are the engine's
    # own functions, which autograd.engine attaches to this class as it loads
    # (this module cannot import the engine: the engine imports it).
    if TYPE_CHECKING:

        def backward(self) -> None:
            """Fill ``.grad`` of every node this Value depends on (``autograd.backward``)."""

        def _backward(self) -> None:
            """The chain rule at this one node (``autograd.engine.propagate``)."""

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, self.label)


def _made_by_hand(children: Iterable[Any], op: str) -> tuple[Value, ...]:
    """The operands of a node made with ``Value(data, _children, _op)``: Values only.

    Raises:
        TypeError: if a child is not a Value, or the table's op ``op`` takes
            another number of inputs.
    """
    operands = tuple(children)
    for index, child in enumerate(operands):
        if not isinstance(child, Value):
            raise TypeError(
                text(
                    "error.value.child",
                    index=index,
                    type=type(child).__name__,
                    child=repr(child),
                )
            )
    known = OPS.get(op)
    if operands and isinstance(known, Op) and len(operands) != len(known.rules):
        raise TypeError(
            text(
                "error.value.child_count",
                op=repr(op),
                inputs=len(known.rules),
                count=len(operands),
            )
        )
    return operands


def _slots_of(operands: tuple[Any, ...], op: str) -> tuple[Any, Any]:
    """``(_a, _b)`` for a node with these operands (see the Value docstring)."""
    if not operands:
        return None, None
    any_number = op in OPS and not isinstance(OPS[op], Op)  # sum, dot
    if any_number or len(operands) > 2:
        return operands, None
    if len(operands) == 1:
        return operands[0], None
    return operands


def _to_float(data: Any) -> float:
    """Check that ``data`` is a real number and return it as a float."""
    if isinstance(data, Value):
        raise TypeError(text("error.value.got_a_value"))
    if isinstance(data, int | float) or _is_real_number(data):
        return _as_float(data)
    raise TypeError(text("error.value.not_a_number", type=type(data).__name__, data=repr(data)))


def _as_float(number: Any) -> float:
    """A real number as a float, or an OverflowError that says which number and why."""
    try:
        return float(number)
    except OverflowError:
        if isinstance(number, int):
            size = text("error.value.int_of_bits", bits=number.bit_length())
        else:
            size = repr(number)
        raise OverflowError(text("error.value.too_large", number=size)) from None


def _is_real_number(data: Any) -> bool:
    # numpy's float32, int64 etc. register as numbers.Real; complex does not.
    import numbers

    return isinstance(data, numbers.Real)


def _data_of(x: Any) -> float | None:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, int | float):
        return float(x)
    return None


def _binary(op: AnyOp, a: Any, b: Any) -> Value:
    """Record ``op(a, b)``; one side is a Value, the other may be a number.

    This runs for every ``+ - * / **``, so the common types (Value, float)
    are checked first, by exact type.
    """
    if type(a) is Value:
        a_data = a.data
    elif type(a) is float:
        a_data = a
    elif isinstance(a, int | float) or _is_real_number(a):  # ints, Fraction, numpy's
        a = a_data = _as_float(a)
    else:
        return NotImplemented
    if type(b) is Value:
        b_data = b.data
    elif type(b) is float:
        b_data = b
    elif isinstance(b, int | float) or _is_real_number(b):
        b = b_data = _as_float(b)
    else:
        return NotImplemented
    # The same as _record(), written out: one call less on the hottest path.
    data = op.forward(a_data, b_data)
    node = _new_value(Value)
    node.data = data
    node.serial = next(_serials)
    node.grad = 0.0
    node.label = ""
    # No mode block open in any thread: record, check nothing (one plain read).
    if switches.at_defaults or _recording(op, data, (a, b)):
        node.op = op.name
        node._a = a
        node._b = b
    else:
        node.op = ""
        node._a = node._b = None
    return node


_new_value = object.__new__
_serials = itertools.count()  # creation numbers, shared by every Value


def _record(op: AnyOp, data: float, a: Any) -> Value:
    """Make the output node of ``op``; a plain leaf when not recording.

    ``a`` is the input of a unary op, or the tuple of all inputs of an op
    with any number of them (sum, dot): what goes in the slot ``_a``.
    """
    node = _new_value(Value)
    node.data = data
    node.serial = next(_serials)
    node.grad = 0.0
    node.label = ""
    if switches.at_defaults or _recording(op, data, a if type(a) is tuple else (a,)):
        node.op = op.name
        node._a = a
    else:
        node.op = ""
        node._a = None
    node._b = None
    return node


def _recording(op: AnyOp, data: float, operands: tuple[Any, ...]) -> bool:
    """Whether this thread records ``op``'s node, after its anomaly check (if on).

    Raises:
        FloatingPointError: if this thread checks anomalies and ``data`` is inf or nan.
    """
    if modes.anomaly and not math.isfinite(data):
        _raise_forward_anomaly(op, data, operands)
    return modes.recording


def _raise_forward_anomaly(op: AnyOp, data: float, operands: tuple[Any, ...]) -> None:
    inputs = ", ".join(describe(x) for x in operands)
    raise FloatingPointError(
        text("error.value.forward_anomaly", op=repr(op.name), data=data, inputs=inputs)
    )


def describe(x: Any) -> str:
    """A short text for a node or a constant: its label (if any) and its data."""
    if isinstance(x, Value):
        return f"{x.label}={x.data!r}" if x.label else f"Value({x.data!r})"
    return repr(x)


def numbers(operands: Sequence[Any]) -> list[float]:
    """The plain numbers of a sequence of Values and floats, in order."""
    return [x.data if type(x) is Value else x for x in operands]


def _checked_operands(values: Iterable[Any], what: str) -> tuple[Any, ...]:
    """Check the operands of an n-ary op one by one (ints become floats).

    Raises:
        TypeError: naming the first item that is neither a Value nor a number.
    """
    checked = []
    for index, x in enumerate(values):
        if isinstance(x, Value):
            checked.append(x)
        elif isinstance(x, int | float) or _is_real_number(x):
            checked.append(_as_float(x))
        else:
            raise TypeError(
                text(
                    "error.value.operand",
                    what=what,
                    index=index,
                    type=type(x).__name__,
                    item=repr(x),
                )
            )
    return tuple(checked)


def _float_data(items: Sequence[Any]) -> list[Any]:
    """The data of each Value and each float; ``None`` for anything else.

    The n-ary ops compute with this first and check after: arithmetic on a
    ``None`` fails, and only then are the items inspected one by one (so
    that ints become floats and anything else gets a clear error).
    """
    return [x.data if type(x) is Value else (x if type(x) is float else None) for x in items]


def sum_of(values: Iterable[Any]) -> Value:
    """``x1 + x2 + ... + xn`` as a single node (op ``"sum"``).

    Same value and gradients as Python's ``sum(values)``, but one node instead
    of n, so big sums are fast and their drawings small. An empty sum is 0.

    Raises:
        TypeError: if an item is neither a Value nor a real number.
    """
    operands = tuple(values)
    if not operands:
        return Value(0.0)
    try:
        data = SUM.forward(*_float_data(operands))
    except TypeError:
        operands = _checked_operands(operands, "autograd.sum")
        data = SUM.forward(*numbers(operands))
    return _record(SUM, data, operands)


def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """``b + w1·x1 + ... + wn·xn`` as a single node (op ``"dot"``).

    This is the article's ``z = W·x + b`` for one neuron, in one step. Either
    side may hold plain numbers (for example the input features); without a
    bias, ``b`` is 0.

    Raises:
        ValueError: if the two sequences differ in length.
        TypeError: if an item is neither a Value nor a real number.
    """
    weights, inputs = tuple(weights), tuple(inputs)
    if len(weights) != len(inputs):
        raise ValueError(text("error.value.dot_lengths", weights=len(weights), inputs=len(inputs)))
    return _dot_nodes([weights], inputs, [bias], "autograd.dot")[0]


def matvec(rows: Sequence[Sequence[Any]], inputs: Sequence[Any], biases: Any = None) -> list[Value]:
    """``W·x + b`` for a whole layer: one ``dot`` node per row of ``W``.

    The same as ``[dot(row, inputs, b) for row, b in zip(rows, biases)]``,
    but the inputs are read once for all rows. ``biases`` is one per row, or
    None for no biases.

    Raises:
        ValueError: if a row's length differs from the inputs' or the number
            of biases from the number of rows.
        TypeError: if an item is neither a Value nor a real number.
    """
    inputs = tuple(inputs)
    rows = list(map(tuple, rows))
    biases = [None] * len(rows) if biases is None else list(biases)
    if len(biases) != len(rows):
        raise ValueError(text("error.value.matvec_biases", rows=len(rows), biases=len(biases)))
    if rows and set(map(len, rows)) != {len(inputs)}:
        index = next(i for i, row in enumerate(rows) if len(row) != len(inputs))
        raise ValueError(
            text(
                "error.value.matvec_row",
                index=index,
                weights=len(rows[index]),
                inputs=len(inputs),
            )
        )
    return _dot_nodes(rows, inputs, biases, "autograd.matvec")


def _dot_nodes(
    rows: list[tuple[Any, ...]], inputs: tuple[Any, ...], biases: list[Any], what: str
) -> list[Value]:
    """One ``dot`` node per row, all on the same inputs (lengths checked).

    Items are read with _float_data() (the bias as it would, written out: a
    one-item list per neuron costs more than the sum) and checked only if
    the arithmetic fails.
    """
    input_data = _float_data(inputs)
    if None in input_data:
        inputs = _checked_operands(inputs, f"{what} inputs")
        input_data = numbers(inputs)
    nodes = []
    for weights, bias in zip(rows, biases):
        if type(bias) is Value:
            bias_data = bias.data
        else:
            bias_data = 0.0 if bias is None else (bias if type(bias) is float else None)
        try:
            data = DOT.combine(_float_data(weights), input_data, bias_data)
        except TypeError:
            data = None
        if type(data) is not float:
            weights = _checked_operands(weights, f"{what} weights")
            if bias is not None:
                (bias,) = _checked_operands((bias,), f"{what} bias")
                bias_data = bias.data if type(bias) is Value else bias
            data = DOT.combine(numbers(weights), input_data, bias_data)
        operands = (*weights, *inputs) if bias is None else (*weights, *inputs, bias)
        nodes.append(_record(DOT, data, operands) if operands else Value(0.0))
    return nodes


def binary_cross_entropy_with_logits(logit: Any, target: Any) -> Value:
    """``BCE(σ(logit), target)`` as one node (op ``"bce_logits"``).

    Numerically stable for any logit, and its derivative with respect to the
    logit is exactly ``σ(logit) − target``: the article's ``∂L/∂z2 = ŷ − y``.

    Raises:
        TypeError: if an argument is neither a Value nor a real number.
    """
    result = _binary(BCE_WITH_LOGITS, logit, target)
    if result is NotImplemented:
        raise TypeError(
            text(
                "error.value.bce_operands",
                logit=type(logit).__name__,
                target=type(target).__name__,
            )
        )
    return result
