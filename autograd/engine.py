"""Backpropagation: topological order and the chain rule, node by node.

One function here knows what flows through a node: ``contributions``, what
each parent receives, from the op table's rules (``autograd.ops``).
``propagate`` (the chain rule at one node), ``grad()`` (gradients of any
order, in a dict) and the step-through (``autograd.step``) call it.
``backward()`` is ``propagate`` at every node of the ``topological_order``,
last first. Both loops run for every node of a graph, so they live in
``autograd.fast_paths``, written for speed and tested to give the same
gradients as ``propagate``, bit for bit. Nothing else here knows calculus.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from math import isfinite
from typing import Any

from autograd.collector import collector_paused
from autograd.fast_paths import backpropagate, topological_order
from autograd.language import text
from autograd.mode import enable_grad, modes
from autograd.ops import FINITE_LOCALS, op_of
from autograd.value import Value, describe, numbers


def contributions(
    node: Value, upstream: Any, create_graph: bool = False
) -> list[tuple[Value, Any]]:
    """``(parent, what it receives)`` for each Value operand of ``node``, in order.

    When ``upstream`` (∂output/∂node) arrives at ``node``, a parent receives
    ``upstream · ∂node/∂parent``: the op's rule (``vjps`` in ``autograd.ops``;
    a mask, such as ReLU's, passes or stops the upstream instead). With
    ``create_graph`` the rules run on Values and record a graph, so the
    result can be differentiated again; otherwise on plain floats.
    Constants get nothing: nothing flows into a number.

    Raises:
        ValueError: if ``node`` was made by hand with an op the table does not know.
    """
    op = op_of(node)
    operands = node.operands
    if create_graph:
        shares = op.vjps(upstream, operands, node)
    else:
        shares = op.vjps(upstream, numbers(operands), node.data)
    return [(x, share) for x, share in zip(operands, shares) if type(x) is Value]


def local_derivatives(node: Value, create_graph: bool = False) -> list[tuple[Value, Any]]:
    """``(parent, ∂node/∂parent)`` for each Value operand: ``contributions`` at upstream 1."""
    return contributions(node, 1.0, create_graph)


def skips(node: Value, upstream: Any) -> bool:
    """Whether a backward pass may skip ``node``: its upstream is exactly 0, its
    op's local derivatives are finite (``finite_locals``) and so is its output,
    so each contribution would be exactly 0."""
    return upstream == 0.0 and node.op in FINITE_LOCALS and isfinite(node.data)


def propagate(node: Value) -> None:
    """The chain rule at ``node`` alone: add ``contributions(node, node.grad)``
    into each parent's ``.grad``. A leaf passes nothing on.

    This is one step of ``backward()``, and what micrograd's lecture does by
    hand, node by node, with ``_backward()``.

    Raises:
        ValueError: for a node made by hand with an op the table does not know.
    """
    if node.is_leaf:
        return
    with _backward_lock:
        for parent, amount in contributions(node, node.grad):
            parent.grad += amount


# One backward pass at a time: `.grad += ...` is a read and a write, and two
# threads adding into a shared leaf would lose each other's contributions
# (the GIL runs one thread at a time anyway). Re-entrant, so that a pass
# started by a signal handler in the same thread runs instead of waiting.
# grad() needs no lock: it writes only a dict of its own.
_backward_lock = threading.RLock()


def backward(output: Value) -> None:
    """Backpropagate from ``output``: fill ``.grad`` of every node it depends on.

    The rules, as in PyTorch:

    * the output's gradient is seeded with 1 (``∂output/∂output``);
    * leaves (inputs, parameters) *accumulate*: a second ``backward()`` adds
      to their ``.grad`` (gradients of several losses add up); call
      ``zero_grad`` to start again;
    * interior nodes hold the gradient of the latest pass only: they are reset
      at the start of each pass, so calling ``backward()`` twice never
      corrupts them.

    Then ``propagate`` runs at every node in reverse topological order (a
    node's gradient is complete before it is passed on), except the nodes
    that ``skips``. Passes from several threads run one at a time.
    """
    if not isinstance(output, Value):
        raise TypeError(text("error.engine.backward_needs_a_value", type=type(output).__name__))
    with _backward_lock, collector_paused():
        backpropagate(topological_order(output), _check_gradients if modes.anomaly else None)


def _check_gradients(node: Value) -> None:
    for parent in node.parents:
        if not isfinite(parent.grad):
            _raise_backward_anomaly(node, parent, parent.grad)


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Any]:
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
        if not create_graph:
            grads = _gradients(output, create_graph=False)
            return [grads.get(x, 0.0) for x in inputs]
        with enable_grad():
            grads = _gradients(output, create_graph=True)
        # A mask (ReLU off, a^0) answers a plain 0.0 even on Values.
        return [_as_value(grads.get(x, 0.0)) for x in inputs]


def _as_value(gradient: Any) -> Value:
    return gradient if isinstance(gradient, Value) else Value(gradient)


def _gradients(output: Value, create_graph: bool) -> dict[Value, Any]:
    """∂output/∂node for every node, kept in a dict instead of ``.grad``."""
    grads: dict[Value, Any] = {output: Value(1.0) if create_graph else 1.0}
    check = modes.anomaly
    for node in reversed(topological_order(output)):
        # As in backward(), where every interior node starts from 0: a node whose
        # children were all skipped still passes its 0 on (0 · inf is nan).
        upstream = grads.get(node, 0.0)
        if node.is_leaf or skips(node, upstream):
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
    if parent.label:
        who = text("error.engine.node_named", label=repr(parent.label))
    else:
        who = text("error.engine.unlabelled_node")
    raise FloatingPointError(
        text(
            "error.engine.anomaly",
            who=who,
            gradient=gradient,
            op=repr(node.op),
            inputs=inputs,
            output=repr(node.data),
        )
    )


# Value's doors into the engine: ``x.backward()`` and micrograd's ``x._backward()``.
# value.py cannot import this module, which imports it (an import circle, even
# done lazily), so the engine attaches them as it loads; importing autograd
# always loads it.
Value.backward = backward  # type: ignore[method-assign]
Value._backward = propagate  # type: ignore[method-assign]
