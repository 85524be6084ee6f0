"""Symbols: stand-ins for numbers whose arithmetic writes Python source.

The op table writes each derivative rule once, as a function of its inputs
(``lambda g, a, b, z: g * b``). Run on floats it is the backward pass; run
on Values it records a graph; run on Symbols it writes itself out as code::

    >>> rule = lambda g, a, b, z: g * (1.0 - z * z)
    >>> str(rule(Symbol("g"), Symbol("a"), Symbol("b"), Symbol("z")))
    'g * (1.0 - z * z)'

That is how a recorded computation (``autograd.record``) gets the code of
every rule without a second copy of any. The text does the same float
operations in the same order as the rule: brackets follow Python's own
precedence, and a chain ``a - b - c`` is bracketed exactly as Python groups
it. Division and powers are written as calls of ``divide`` and ``power``
(never an exception, never a complex number), and ``exp``, ``log`` and
``sigmoid`` as calls, as the generic functions of ``autograd.ops`` dispatch
them. A rule that *tests* a number (a mask such as ReLU's) cannot be run on
a Symbol: the table writes its code by hand.
"""

from __future__ import annotations

import math
from typing import Any

from autograd.language import text

# How tightly each kind of expression binds, as in Python's grammar.
_SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4


class Symbol:
    """A named number whose operators build the source text of an expression."""

    __slots__ = ("level", "text")

    def __init__(self, text: str, level: int = _ATOM) -> None:
        self.text = text
        self.level = level

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Symbol({self.text!r})"

    def _binary(self, other: Any, sign: str, level: int, reflected: bool = False) -> Symbol:
        left, right = (as_symbol(other), self) if reflected else (self, as_symbol(other))
        # Python groups a - b - c as (a - b) - c: the right side needs brackets
        # at its own level, the left side only below it.
        return Symbol(f"{left.within(level)} {sign} {right.within(level + 1)}", level)

    def within(self, level: int) -> str:
        """The text, bracketed if it binds less tightly than ``level``."""
        return self.text if self.level >= level else f"({self.text})"

    def __add__(self, other: Any) -> Symbol:
        return self._binary(other, "+", _SUM)

    def __radd__(self, other: Any) -> Symbol:
        return self._binary(other, "+", _SUM, reflected=True)

    def __sub__(self, other: Any) -> Symbol:
        return self._binary(other, "-", _SUM)

    def __rsub__(self, other: Any) -> Symbol:
        return self._binary(other, "-", _SUM, reflected=True)

    def __mul__(self, other: Any) -> Symbol:
        return self._binary(other, "*", _PRODUCT)

    def __rmul__(self, other: Any) -> Symbol:
        return self._binary(other, "*", _PRODUCT, reflected=True)

    def __truediv__(self, other: Any) -> Symbol:
        return call("divide", self, other)

    def __rtruediv__(self, other: Any) -> Symbol:
        return call("divide", other, self)

    def __pow__(self, other: Any) -> Symbol:
        return call("power", self, other)

    def __rpow__(self, other: Any) -> Symbol:
        return call("power", other, self)

    def __neg__(self) -> Symbol:
        return Symbol(f"-{self.within(_UNARY)}", _UNARY)

    def __pos__(self) -> Symbol:
        return self

    def exp(self) -> Symbol:
        return call("exp", self)

    def log(self) -> Symbol:
        return call("log", self)

    def sigmoid(self) -> Symbol:
        return call("sigmoid", self)

    def tanh(self) -> Symbol:
        return call("tanh", self)

    def __bool__(self) -> bool:
        raise TypeError(text("error.symbolic.mask"))

    def _compare(self, other: Any) -> bool:
        raise TypeError(text("error.symbolic.mask"))

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    @property
    def data(self) -> float:
        raise TypeError(text("error.symbolic.mask"))


def as_symbol(x: Any) -> Symbol:
    """A Symbol for ``x``: a Symbol itself, or a number as a literal."""
    if isinstance(x, Symbol):
        return x
    return Symbol(literal(float(x)))


def literal(x: float) -> str:
    """A float as Python source that gives it back bit for bit (a negative in brackets).

    Non-finite numbers are spelt with the names of ``LITERALS`` (a nan's
    sign and payload kept by ``_nan(bits)``): the code's namespace needs them.
    """
    if math.isfinite(x):
        text = repr(x)
        return f"({text})" if text.startswith("-") else text
    if math.isnan(x):
        import struct

        return f"_nan({int.from_bytes(struct.pack('<d', x), 'little')})"
    return "inf" if x > 0 else "(-inf)"


def _nan(bits: int) -> float:
    import struct

    return float(struct.unpack("<d", bits.to_bytes(8, "little"))[0])


#: The names ``literal`` may write, for a namespace that runs its code.
LITERALS: dict[str, Any] = {"inf": math.inf, "_nan": _nan}


def call(function: str, *arguments: Any) -> Symbol:
    """``function(arguments...)`` as a Symbol."""
    return Symbol(f"{function}({', '.join(as_symbol(x).text for x in arguments)})")


def placeholders(count: int) -> list[Symbol]:
    """``{a}`` (and ``{b}``) as Symbols: the inputs of a code template."""
    return [Symbol("{" + name + "}") for name in "ab"[:count]]
