"""The names a learner reads: one place that names every node of a graph.

Drawings, step-throughs, pages and plots all call ``names_of``, so a node
has the same name everywhere. The engine names a node by its ``label``, or
else by its place: ``n1``, ``n2``, ... for the computed nodes and ``v1``,
``v2``, ... for unlabelled inputs, in the order the forward pass made them.

The engine knows no article. A layer above it that knows what its graphs
mean plugs a ``Namer`` in (``plug_in``) and names what it recognises: ``nn``
plugs in the article's names (``x1``, ``z1[j]``, ``a1[j]``, ``z2``, ``ŷ``,
``L``), read off the labels ``nn.MLP`` gives its parameters. A node's own
label always wins over a plug-in's name, and a plug-in's name over a place.

Names are worked out when a picture or a step-through asks, from the graph
that exists; a forward pass labels nothing, so training pays nothing.

Numbers are written here too, once for every view: ``fmt`` writes a number,
``fmt_factor`` and ``tidy_signs`` a formula with numbers in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autograd.value import Value

#: The minus sign of every number a learner reads: the formulas' own (U+2212).
MINUS = "−"


def fmt(x: float, digits: int = 4) -> str:
    """A number as a learner reads it, the same in every view.

    ``digits`` significant digits (4: ``0.7115``, ``1.5e−05``), every minus
    sign the formulas' ``−`` (U+2212), never ``−0``, and ``nan``, ``inf``
    and ``−inf`` as such. Drawings, steps, the stepper, the playground (its
    numbers go to JavaScript already written) and the terminal all use it.
    """
    text = f"{x:.{digits}g}"
    return "0" if text == "-0" else text.replace("-", MINUS)


def fmt_factor(x: float) -> str:
    """A number as an operand of a formula: ``fmt``, in brackets when negative: ``(−3)``.

    So that ``2·(−3)`` never reads ``2·−3``; ``tidy_signs`` then drops the
    brackets wherever the number stands alone.
    """
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


# A bracketed negative number that is a whole term: nothing but a sign, a
# bracket or a comma follows it. With "+ " before it, it is a subtraction.
_NEGATIVE_TERM = re.compile(r"(?P<plus>\+ )?\((?P<number>−[^()\s]+)\)(?=$| [+−]|\)|,)")


def tidy_signs(formula: str) -> str:
    """A formula filled with ``fmt_factor`` numbers, written as a reader writes it.

    ``a + (−b)`` becomes ``a − b``, and a negative number that stands alone
    (a first term, a function's argument, an argument after a comma) loses
    its brackets: ``σ(−0.5)``, ``−2 + 3``. A negative factor keeps them
    (``2·(−3)``, ``(−2)^2``), and so does a number after a minus: ``2 −
    (−3)``.
    """

    def written(match: re.Match[str]) -> str:
        number = match.group("number")
        if match.group("plus"):
            return f"{MINUS} {number[1:]}"
        start = match.start()
        if start == 0 or formula[start - 1] == "(" or formula[:start].endswith(", "):
            return number
        return match.group(0)

    return _NEGATIVE_TERM.sub(written, formula)


def sum_text(terms: Sequence[float]) -> str:
    """Numbers added up, as a reader writes the sum: ``0.001341 − 0.004023``."""
    return tidy_signs(" + ".join(fmt_factor(term) for term in terms))


@dataclass(frozen=True)
class OpNode:
    """In a drawing's column (``Namer.columns``): the op node that makes ``value``."""

    value: Value


#: A part of a drawing a ``Namer`` can place: a Value's box, the op node that
#: makes a Value, or a named plain-number input (its name, such as ``"x1"``).
Part = Value | OpNode | str


class Namer:
    """A plug-in that names the parts of a graph it recognises (see ``plug_in``).

    Each method answers for what it recognises and returns nothing (an empty
    mapping, None, an empty list) for the rest; a subclass overrides what it
    knows. The engine's own names need no plug-in.
    """

    def node_names(self, order: Sequence[Value]) -> Mapping[Value, str]:
        """Names for the nodes of ``order`` (a topological order) this namer recognises."""
        return {}

    def constant_name(self, node: Value, position: int) -> str | None:
        """The name of the plain number ``node.operands[position]`` (an input, a target)."""
        return None

    def prediction_name(self, loss: Value, names: Mapping[Value, str]) -> str | None:
        """The name of ``σ(z)``, computed inside the fused loss ``loss`` (a ``bce_logits``)."""
        return None

    def op_text(self, node: Value, names: Mapping[Value, str]) -> str | None:
        """What the op node that makes ``node`` says in a drawing (short: ``W1·x + b1``)."""
        return None

    def columns(self, names: Mapping[Value, str], inputs: Sequence[str]) -> list[list[Part]]:
        """Parts a drawing keeps in one column, top to bottom in the order given.

        Args:
            names: every node's name.
            inputs: the name of each plain-number input a drawing draws once
                (``x1``), in drawing order: a name given twice stands for two
                boxes, and each time a column names it, it takes the next.
        """
        return []


#: The namers plugged in, asked in turn; the first answer wins.
NAMERS: list[Namer] = []


def plug_in(namer: Namer) -> None:
    """Add ``namer`` to those asked for names (once: plugging the same one again does nothing)."""
    if not any(namer is plugged for plugged in NAMERS):
        NAMERS.append(namer)


def names_of(order: list[Value]) -> dict[Value, str]:
    """Each node's name: its label, a plug-in's name, or a place.

    The places: a node computed from others is ``n1``, ``n2``, ... and a leaf
    (an input made without a label) ``v1``, ``v2``, ..., each counted in the
    order the forward pass made them, which is the order a reader meets them
    in the expression. So the same computation gets the same names whatever
    its inputs: the product is ``n1`` in ``(a*b + c).tanh()`` and in
    ``(a*b + a).tanh()``.

    Args:
        order: the graph's nodes in topological order (``topological_order``).
    """
    found: dict[Value, str] = {}
    for namer in reversed(NAMERS):  # the first namer's names win
        found.update(namer.node_names(order))
    names: dict[Value, str] = {}
    computed = leaves = 0
    for node in order:
        name = node.label or found.get(node)
        if not name and node.operands:
            computed += 1
            name = f"n{computed}"
        elif not name:
            leaves += 1
            name = f"v{leaves}"
        names[node] = name
    return names


def constant_name(node: Value, position: int) -> str | None:
    """The name of the plain number at ``node.operands[position]``, if a plug-in gives one."""
    for namer in NAMERS:
        name = namer.constant_name(node, position)
        if name is not None:
            return name
    return None


def operand_names(node: Value, names: Mapping[Value, str]) -> list[str]:
    """How each operand of ``node`` is written: its name, or for a plain number
    its name (``x1``, ``y``) when a plug-in gives one, else the number itself
    (``fmt_factor``: ``(−2)``)."""
    return [
        names[x] if isinstance(x, Value) else (constant_name(node, i) or fmt_factor(x))
        for i, x in enumerate(node.operands)
    ]


def prediction_name(loss: Value, names: Mapping[Value, str]) -> str:
    """The name of ``σ(z)`` inside a fused ``BCE(σ(z), y)``: a plug-in's, else ``σ(z's name)``."""
    for namer in NAMERS:
        name = namer.prediction_name(loss, names)
        if name is not None:
            return name
    logit = loss.operands[0]
    return f"σ({names[logit] if isinstance(logit, Value) else fmt(logit)})"


def op_text(node: Value, names: Mapping[Value, str]) -> str | None:
    """A plug-in's text for the op node that makes ``node``, if one has any."""
    for namer in NAMERS:
        text = namer.op_text(node, names)
        if text is not None:
            return text
    return None


def columns(names: Mapping[Value, str], inputs: Sequence[str]) -> list[list[Part]]:
    """Every plug-in's columns (see ``Namer.columns``)."""
    return [column for namer in NAMERS for column in namer.columns(names, inputs)]
