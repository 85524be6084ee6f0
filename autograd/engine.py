"""Backpropagation: topological order and the chain rule, node by node.

``backward()``, ``grad()`` and the step-through all use the functions at
the top of this file: ``topological_order`` (which node comes when) and
``contributions`` (the rules from the op table). Nothing else here knows
any calculus.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterable, Sequence
from math import isfinite
from typing import Any

from autograd.collector import collector_paused
from autograd.language import text
from autograd.mode import enable_grad, modes
from autograd.ops import FINITE_LOCALS, OPS, VJP_RULES, AnyOp, Op
from autograd.value import Value, describe, numbers


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


def contributions(
    node: Value, upstream: Any, create_graph: bool = False
) -> list[tuple[Value, Any]]:
    """``(parent, what it receives)`` for each Value operand of ``node``, in order.

    What a parent receives when ``upstream`` (∂output/∂node) arrives at
    ``node``: ``upstream · ∂node/∂parent``, computed by the op's rule in
    ``autograd.ops`` (which may mask the upstream instead, as ReLU does).
    With ``create_graph`` the rules run on Values and record a graph (so the
    result can be differentiated again); otherwise on plain floats.
    Constant operands get nothing: nothing flows into a number.

    Raises:
        ValueError: if ``node`` was made by hand with an op the table does not know.
    """
    op = op_of(node)
    operands = node.operands
    if create_graph:
        inputs: list[Any] = list(operands)
        out: Any = node
    else:
        inputs = numbers(operands)
        out = node.data
    if isinstance(op, Op):  # one rule per input; constants are skipped
        return [
            (operand, op.vjp(index, upstream, inputs, out))
            for index, operand in enumerate(operands)
            if type(operand) is Value
        ]
    # n-ary ops (sum, dot) give every input's share at once
    return [
        (operand, share)
        for operand, share in zip(operands, op.vjps(upstream, inputs, out))
        if type(operand) is Value
    ]


def local_derivatives(node: Value, create_graph: bool = False) -> list[tuple[Value, Any]]:
    """``(parent, ∂node/∂parent)`` for each Value operand of ``node``, in order.

    The local derivatives are the op's rules at an upstream gradient of 1
    (see ``contributions``). With ``create_graph`` the rules run on Values
    and record a graph; otherwise on plain floats. Constant operands get no
    derivative: nothing flows into a number.
    """
    return contributions(node, 1.0, create_graph)


def op_of(node: Value) -> AnyOp:
    """The table's entry for the op that made ``node``.

    Raises:
        ValueError: naming the node and the known ops, for an op the table
            does not know (a node made by hand: ``Value(data, children, "?")``).
    """
    try:
        return OPS[node.op]
    except KeyError:
        raise _unknown_op(node) from None


def _unknown_op(node: Value) -> ValueError:
    if node.label:
        who = text("error.engine.node_named", label=repr(node.label))
    else:
        who = text("error.engine.node_described", description=describe(node))
    return ValueError(text("error.engine.unknown_op", who=who, op=repr(node.op), ops=" ".join(OPS)))


def propagate(node: Value) -> None:
    """One node's step of the backward pass: the chain rule at ``node`` alone.

    Adds ``node.grad · ∂node/∂parent`` into each parent's ``.grad``, with
    the op table's rules (``contributions``), the same rules ``backward()``
    applies at every node. A leaf has nothing to pass on. This is what
    micrograd's lecture does by hand, node by node, with ``_backward()``.

    Raises:
        ValueError: for a node made by hand with an op the table does not know.
    """
    if not node.operands:
        return
    with _backward_lock:
        for parent, amount in contributions(node, node.grad):
            parent.grad += amount


# One backward pass at a time: `.grad += ...` is a read and a write, and two
# threads adding into a shared leaf would lose each other's contributions
# (the GIL runs one thread at a time anyway, so no parallelism is lost).
# Re-entrant, so that a pass started by code that interrupts a pass in the
# same thread (a signal handler) runs instead of waiting forever. grad()
# needs no lock: it writes no `.grad`, only a dict of its own.
_backward_lock = threading.RLock()


def backward(output: Value) -> None:
    """Backpropagate from ``output``: fill ``.grad`` of every node it depends on.

    The rules, as in PyTorch:

    * the output's gradient is seeded with 1 (``∂output/∂output``);
    * leaves (inputs, parameters) *accumulate*: a second ``backward()`` adds
      to their ``.grad``, so gradients of several losses or mini-batches add
      up; call ``zero_grad`` to start again;
    * interior nodes hold the gradient of the latest pass only: they are reset
      at the start of each pass, so calling ``backward()`` twice never
      corrupts them.

    A node whose gradient is exactly 0 is skipped when its op is marked
    ``finite_locals`` in the table and its output is finite: it would add
    exactly 0 to each input.

    Passes from several threads run one at a time, so every contribution
    arrives even where their graphs share nodes (a model's parameters).
    """
    if not isinstance(output, Value):
        raise TypeError(text("error.engine.backward_needs_a_value", type=type(output).__name__))
    check = modes.anomaly
    with _backward_lock, collector_paused():
        order = topological_order(output)
        for node in order:
            if node._a is not None:  # not a leaf
                node.grad = 0.0
        output.grad += 1.0
        # Reverse topological order: a node's gradient is complete before it
        # is passed on, because every node that uses it comes later in `order`.
        # The inputs are read from the node's slots, _a and _b (see Value).
        for node in reversed(order):
            a = node._a
            if a is None:  # a leaf
                continue
            upstream = node.grad
            op = node.op
            if upstream == 0.0 and op in FINITE_LOCALS and isfinite(node.data):
                continue  # each contribution would be 0 · (a finite number)
            # parent.grad += upstream · ∂node/∂parent (the rule's vjp), as
            # contributions() does, written out for each shape of node: this
            # loop is the engine's hot path, and building argument lists for
            # every node would make it about three times slower.
            try:
                rules = VJP_RULES[op]
            except KeyError:  # a node made by hand with an unknown op
                raise _unknown_op(node) from None
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
            else:  # n-ary ops (sum, dot) apply their rule to all inputs at once
                OPS[op].accumulate(a, upstream)  # a: the tuple of inputs
            if check:
                _check_gradients(node)


def _check_gradients(node: Value) -> None:
    for parent in node.operands:
        if type(parent) is Value and not isfinite(parent.grad):
            _raise_backward_anomaly(node, parent, parent.grad)


def grad(
    output: Value,
    inputs: Sequence[Value],
    create_graph: bool = False,
) -> list[Any]:
    """The gradients ``∂output/∂input`` for each input, without touching ``.grad``.

    Args:
        output: the Value to differentiate.
        inputs: the Values to differentiate with respect to.
        create_graph: if True the gradients are Values with a graph of their
            own, so they can be differentiated again (second derivatives and
            beyond). If False they are floats.

    Returns:
        One gradient per input, in order. An input that ``output`` does not
        depend on gets 0.0 (``Value(0.0)`` with ``create_graph``).

    Raises:
        TypeError: if ``output`` or an input is not a Value.
    """
    if not isinstance(output, Value):
        raise TypeError(text("error.engine.grad_needs_a_value", type=type(output).__name__))
    if isinstance(inputs, Value):
        raise TypeError(text("error.engine.grad_inputs_list"))
    inputs = list(inputs)
    for index, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(
                text("error.engine.grad_input", index=index, type=type(x).__name__, item=repr(x))
            )
    with collector_paused():
        if create_graph:
            with enable_grad():
                grads = _gradients(output, create_graph=True)
            # A mask (ReLU off, a^0) answers a plain 0.0 even on Values.
            return [_as_value(grads.get(x, 0.0)) for x in inputs]
        grads = _gradients(output, create_graph=False)
        return [grads.get(x, 0.0) for x in inputs]


def _as_value(gradient: Any) -> Value:
    return gradient if isinstance(gradient, Value) else Value(gradient)


def _gradients(output: Value, create_graph: bool) -> dict[Value, Any]:
    """∂output/∂node for every node, kept in a dict instead of ``.grad``."""
    grads: dict[Value, Any] = {output: Value(1.0) if create_graph else 1.0}
    check = modes.anomaly
    for node in reversed(topological_order(output)):
        upstream = grads.get(node)
        if upstream is None or node._a is None:  # not reached, or a leaf
            continue
        for parent, total in contributions(node, upstream, create_graph):
            if parent in grads:
                total = grads[parent] + total
            grads[parent] = total
            if check and not isfinite(float(total)):
                _raise_backward_anomaly(node, parent, float(total))
    return grads


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``.grad`` of each Value to 0.0 (before the next ``backward()``).

    Raises:
        TypeError: for a single Value (``zero_grad([x])``, or ``x.grad = 0.0``).
    """
    if isinstance(values, Value):
        raise TypeError(text("error.engine.zero_grad_list"))
    for value in values:
        value.grad = 0.0


def _raise_backward_anomaly(node: Value, parent: Value, gradient: float) -> None:
    inputs = ", ".join(describe(x) for x in node.operands)
    who = f"node {parent.label!r}" if parent.label else "an unlabelled node"
    raise FloatingPointError(
        f"detect_anomaly: the gradient of {who} became {gradient} in the backward "
        f"pass through op {node.op!r} with inputs ({inputs}) and output {node.data!r}"
    )
