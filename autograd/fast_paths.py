"""The engine's two hot loops, written for speed: topological order and backward.

Both run once for every node of a graph, so both read a node's inputs
straight from its slots (``Value._a`` and ``Value._b``, see ``Value``)
instead of building the tuple ``operands``.

``backpropagate`` is ``engine.backward()``'s loop. At each node, from the
last back, it does exactly what ``engine.propagate(node)`` does (add into
each parent's ``.grad`` what the op table's rules give), after the
zero-gradient skip of ``engine.skips``; only the shape of the code differs.
``propagate`` builds the list of inputs and asks the op's ``vjps`` for every
share, the generic way; this loop calls the table's rule functions
(``Rule.vjp``) directly, with sum's and dot's ``vjps`` written out below as
loops, and runs about three times faster.
``tests/autograd/test_backward_fast_paths.py`` checks that it gives the same
gradients as ``propagate``, bit for bit, on random graphs of every op.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from math import isfinite
from typing import Any

from autograd.ops import FINITE_LOCALS, OPS, Op, op_of
from autograd.value import Value


def topological_order(output: Value) -> list[Value]:
    """Every node ``output`` depends on, each after all of its parents.

    A node is always made after its parents, so its creation number
    (``Value.serial``) already is a topological order: collect the nodes
    ``output`` depends on, then sort them by it. The collection is a plain
    loop over a growing list (no recursion, so a graph a million nodes deep
    works at Python's default recursion limit). The order is the order in
    which the program made the nodes: the same on every run, and ``output``
    last.
    """
    order = [output]
    seen = {output}
    add, append = seen.add, order.append
    # `order` is also the list of nodes still to visit: the loop reaches each
    # node appended to it, once. (A `for` loop, not `while stack:`, also has
    # a reason in CPython 3.11: only a `for` loop's jump back lets the
    # interpreter specialise this function's bytecode while it runs, and a
    # single call on a long chain runs about 10% faster for it.)
    for node in order:
        # The inputs, read from the node's slots (see Value): a, or a and b,
        # or a tuple of them all in a (sum, dot); a leaf has None in both.
        # Constants are floats.
        a = node._a
        b = node._b
        # b before a: b is usually the newer input (in `s + w * x` the
        # product is made after the sum it is added to), and nodes found
        # newest first leave the sort below less to do.
        if type(b) is Value and b not in seen:
            add(b)
            append(b)
        if type(a) is Value:
            if a not in seen:
                add(a)
                append(a)
        # A wide node (a neuron's dot) often has every input seen already:
        # the set checks them all at C speed. Its constants (data features)
        # go into `seen` too, for the next such check.
        elif type(a) is tuple and not seen.issuperset(a):
            for operand in a:
                if operand not in seen:
                    add(operand)
                    if type(operand) is Value:
                        append(operand)
    # On a chain the nodes are found newest first, and the sort only
    # reverses them; on a network it is about a fifth of the work.
    order.sort(key=_by_serial)
    return order


_by_serial = operator.attrgetter("serial")  # the sort key: creation number


#: Each op's rule functions, by op name (none for sum and dot: see N_ARY).
RULES: dict[str, tuple[Callable[..., Any], ...]] = {
    op.name: tuple(rule.vjp for rule in op.rules) if isinstance(op, Op) else ()
    for op in OPS.values()
}


def sum_vjps(operands: Sequence[Any], upstream: float) -> None:
    """``SumOp.vjps`` into ``.grad``: every Value input receives ``upstream``."""
    for x in operands:
        if type(x) is not float:
            x.grad += upstream


def dot_vjps(operands: Sequence[Any], upstream: float) -> None:
    """``DotOp.vjps`` into ``.grad``, in input order: each ``wi`` receives
    ``upstream · xi``, then each ``xi`` receives ``upstream · wi``, then ``b``
    receives ``upstream``. (Constants are floats, and receive nothing.)"""
    n = len(operands) // 2
    weights, inputs = operands[:n], operands[n : 2 * n]
    for w, x in zip(weights, inputs):
        if type(w) is not float:
            w.grad += upstream * (x if type(x) is float else x.data)
    for x, w in zip(inputs, weights):
        if type(x) is not float:
            x.grad += upstream * (w if type(w) is float else w.data)
    if len(operands) % 2 and type(operands[-1]) is not float:
        operands[-1].grad += upstream


def table_vjps(name: str) -> Callable[[Sequence[Any], float], None]:
    """An n-ary op's own ``vjps`` into ``.grad`` (its output recomputed: the
    same function on the same numbers gives the node's data bit for bit)."""
    op = OPS[name]

    def add_shares(operands: Sequence[Any], upstream: float) -> None:
        data = [x if type(x) is float else x.data for x in operands]
        shares = op.vjps(upstream, data, op.forward(*data))
        for x, share in zip(operands, shares):
            if type(x) is not float:
                x.grad += share

    return add_shares


#: The n-ary ops' shares, added straight into ``.grad``, by op name.
N_ARY: dict[str, Callable[[Sequence[Any], float], None]] = {
    "sum": sum_vjps,
    "dot": dot_vjps,
    "cross_entropy": table_vjps("cross_entropy"),
    "softmax": table_vjps("softmax"),
}


def backpropagate(order: list[Value], check: Callable[[Value], None] | None = None) -> None:
    """The backward pass over ``order``, a topological order ending at the output.

    Resets the interior nodes' gradients to 0, adds the seed 1 to the
    output's, then ``propagate``s every node, the last first. ``check``, if
    given, is called after each node (``detect_anomaly``).

    Raises:
        ValueError: (from ``op_of``) for a node made by hand with an op the
            table does not know.
    """
    for node in order:
        if node._a is not None:  # not a leaf
            node.grad = 0.0
    order[-1].grad += 1.0
    for node in reversed(order):
        a = node._a
        if a is None:  # a leaf
            continue
        upstream = node.grad
        op = node.op
        if upstream == 0.0 and op in FINITE_LOCALS and isfinite(node.data):
            continue  # each contribution would be 0 · (a finite number)
        try:
            rules = RULES[op]
        except KeyError:
            op_of(node)  # a node made by hand with an op the table does not know: raises
            raise
        b = node._b
        if b is not None:  # two inputs: a Value and a Value or a constant
            out = node.data
            if type(a) is not Value:  # a constant on the left: 2 * x
                if type(b) is Value:  # (bce_logits(0.3, 1.0) has two constants)
                    b.grad += rules[1](upstream, a, b.data, out)
            elif type(b) is not Value:  # a constant on the right: x * 2
                a.grad += rules[0](upstream, a.data, b, out)
            else:  # both read before either changes (x * x)
                a_data, b_data = a.data, b.data
                a.grad += rules[0](upstream, a_data, b_data, out)
                b.grad += rules[1](upstream, a_data, b_data, out)
        elif type(a) is not tuple:  # one input
            a.grad += rules[0](upstream, a.data, node.data)
        else:  # n-ary ops (sum, dot): a is the tuple of inputs
            N_ARY[op](a, upstream)
        if check is not None:
            check(node)
