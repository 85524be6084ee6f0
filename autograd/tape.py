"""Record once, replay many: a computation written out as straight-line Python.

A training step builds the same graph again and again: only the numbers in
its leaves change (the parameters after each update, the samples of each
batch). ``record(loss)`` takes the graph that made ``loss`` once and writes
its forward and backward pass out as one Python function, one line per node,
from the op table's code templates (``Rule.code``, ``Op.code`` and the
n-ary ops' ``forward_code``/``accumulate_code`` in ``autograd.ops``). No
Value is made and no rule is looked up on the way, so a replay runs many
times faster than building the graph and calling ``backward()``::

    tape = autograd.record(loss, wrt=model.parameters())
    print(tape.source)  # the forward and backward pass, written out
    for step in range(100):
        model.zero_grad()
        value = tape.replay()  # from the leaves' current .data
        ...  # update the parameters from their .grad

What a replay computes is exactly what ``loss.backward()`` would on a graph
freshly built from the leaves' current ``.data``, bit for bit: the nodes in
the same order, each with the same float operations as its rule, sums and
dots added left to right, leaves accumulating into ``.grad``, and the same
zero-gradient skip (so masks, nan and inf flow as they do in ``backward()``).

What a replay reads and writes:

* it reads the ``.data`` of every leaf of the graph;
* it adds into the ``.grad`` of every leaf in ``wrt`` (every leaf, by
  default), as ``backward()`` does: gradients accumulate, so zero them first;
* it returns the output's new value, and leaves every other node alone:
  interior nodes keep the ``.data`` and ``.grad`` they had when recorded
  (the output's ``.data`` included). That is deliberate: the values live
  in the function's local variables, and writing thousands of attributes
  back would cost as much as the rest. ``replay(refresh=True)`` writes them
  too, for drawing or stepping through the graph of the latest replay.

What a tape cannot see: numbers that are not leaves, and Python's own
decisions. A float in the graph (``x * 2.0``, a sample's features passed as
plain numbers) is written into the source as a constant; anything that
changes between replays must be a leaf Value. And like every tracer, a tape
records the path the program took: an ``if`` on a Value's data, ``max()``,
a clamp in Python, decided once when the graph was built, are replayed as
decided then (the branch not taken was never recorded). ``nn.losses``
says which losses are safe to record.

``detect_anomaly()`` does not look inside a replay: to find where a nan
starts, build the graph and call ``backward()``.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from autograd.engine import _backward_lock, op_of, topological_order
from autograd.ops import CODE_NAMESPACE, FINITE_LOCALS
from autograd.symbolic import LITERALS, literal
from autograd.value import Value


class Tape:
    """A recorded computation: ``replay()`` reruns its forward and backward pass.

    Made by ``autograd.record``. Attributes:
        output: the Value the graph computes (the loss).
        nodes: every node of the graph, in the order the replay computes them
            (``topological_order(output)``); the graph stays inspectable.
        leaves: the graph's leaves, in that order: the replay reads their ``.data``.
        wrt: the leaves whose ``.grad`` a replay adds into.
        also: other nodes whose values a replay reports (see ``record``).
        values: their values after the latest replay, in the order of ``also``.
        source: the Python source of the replay: the forward pass, then the
            backward pass, one line per step.
    """

    def __init__(
        self, output: Value, wrt: Iterable[Value] | None = None, also: Iterable[Value] = ()
    ) -> None:
        if not isinstance(output, Value):
            raise TypeError(f"record: output must be a Value, got {type(output).__name__}")
        self.output = output
        self.nodes = topological_order(output)
        self.also = list(also)
        in_order = set(self.nodes)
        for index, node in enumerate(self.also):
            if not isinstance(node, Value) or node not in in_order:
                raise ValueError(f"record: also[{index}] is not a node of the graph of output")
        self.values = [node.data for node in self.also]
        self.leaves = [node for node in self.nodes if not node.operands]
        for node in self.nodes:
            if node.operands:
                op_of(node)  # an op the table does not know: a clear error now
        if wrt is None:
            self.wrt = list(self.leaves)
        else:
            in_graph = set(self.leaves)
            wanted = set()
            for index, leaf in enumerate(wrt):
                if not isinstance(leaf, Value):
                    raise TypeError(f"record: wrt[{index}] is {type(leaf).__name__}, not a Value")
                if leaf.operands:
                    raise ValueError(
                        f"record: wrt[{index}] was made by op {leaf.op!r}, so it is not a leaf: "
                        "a replay adds gradients into leaves only (inputs and parameters); "
                        "to see an interior node's gradient, replay(refresh=True) writes it"
                    )
                wanted.add(leaf)
            # Leaves outside the graph get no gradient from it (backward()
            # leaves them alone too).
            self.wrt = [leaf for leaf in self.leaves if leaf in wanted and leaf in in_graph]
        self.source = _write_source(self, refresh=False)
        _check_size(self.source)
        self._replay = _compile(self.source)
        self._refreshing: Any = None

    def replay(self, refresh: bool = False) -> float:
        """Recompute the output from the leaves' current ``.data``, and backpropagate.

        Adds into each ``wrt`` leaf's ``.grad`` exactly what ``output.backward()``
        on a graph built afresh from the same data would add. With ``refresh``
        every interior node's ``.data`` and ``.grad`` are written too, as that
        ``backward()`` would leave them (slower; for drawings and step-throughs).

        Returns:
            The output's new value.
        """
        with _backward_lock:
            if not refresh:
                value = self._replay(self.leaves, self.wrt)
            else:
                if self._refreshing is None:
                    source = _write_source(self, refresh=True)
                    _check_size(source)
                    self._refreshing = _compile(source)
                value = self._refreshing(self.leaves, self.wrt, self.nodes)
        if self.also:
            value, self.values = value
        return value

    def __repr__(self) -> str:
        return (
            f"Tape({len(self.nodes)} nodes, {len(self.leaves)} leaves, "
            f"gradients for {len(self.wrt)}, output {self.output.op or 'leaf'!r})"
        )


def record(output: Value, wrt: Iterable[Value] | None = None, also: Iterable[Value] = ()) -> Tape:
    """Record the graph that made ``output``, for fast replays (see ``Tape``).

    Args:
        output: the Value to recompute and differentiate (usually a loss).
        wrt: the leaves whose ``.grad`` each replay fills (for example
            ``model.parameters()``); by default every leaf, as ``backward()``.
            Leaving out leaves that need no gradient (a batch's samples and
            labels) saves their share of the backward pass.
        also: other nodes of the graph whose new values each replay puts in
            ``tape.values`` (a model's outputs beside the loss, say).

    Returns:
        The ``Tape``; ``tape.replay()`` recomputes and backpropagates.

    Raises:
        TypeError: if ``output`` or an item of ``wrt`` is not a Value.
        ValueError: for a node made by hand with an op the table does not know,
            an item of ``wrt`` that is not a leaf, an item of ``also``
            that is not in the graph, or a graph too large to record
            (more than ``MAX_LINES`` lines of replay, about 50,000 nodes
            of a chain; memory stays bounded).
    """
    return Tape(output, wrt, also)


#: The longest replay function ``record`` compiles. Python's compiler holds
#: about 3 KB per line while it works, so this bounds a recording to about
#: 600 MB; micrograd's demo step (MLP 2-16-16-1 on 100 samples) is 88,830 lines.
MAX_LINES = 200_000

TOO_LARGE = (
    "record: this graph would be replayed by a function of {lines:,} lines of Python, "
    "more than the limit of {limit:,} (autograd.tape.MAX_LINES; compiling it would need "
    "about {megabytes:,} MB). Call backward() on it instead, or record a smaller graph "
    "(a mini-batch of the samples)"
)


def _check_size(source: str) -> None:
    """Raises ValueError, naming the limit, for a source too long to compile."""
    lines = source.count("\n")
    if lines > MAX_LINES:
        megabytes = lines * 3 // 1000
        raise ValueError(TOO_LARGE.format(lines=lines, limit=MAX_LINES, megabytes=megabytes))


def _compile(source: str) -> Any:
    namespace: dict[str, Any] = dict(CODE_NAMESPACE)
    namespace.update(LITERALS)
    exec(compile(source, "<autograd.record>", "exec"), namespace)
    return namespace["replay"]


_RESERVED = {*CODE_NAMESPACE, *LITERALS, "replay", "leaves", "wrt", "nodes", "leaf", "node"}
_RESERVED |= {"grad", "data", "value", "zip", "float", "True", "False", "None"}


class _Names:
    """A readable, unique Python name for each node: its label if it has one."""

    def __init__(self) -> None:
        self.taken = _RESERVED | CODE_NAMESPACE.keys()  # with the ops' own (define_op)
        self.names: dict[Value, str] = {}

    def add(self, node: Value, fallback: str) -> str:
        # Python reads names in NFKC form ("ﬁ" is the name "fi"), so names
        # are compared in that form: two labels must never become one name.
        label = unicodedata.normalize("NFKC", node.label)
        name = re.sub(r"\W+", "_", label).strip("_") if label else ""
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("g_"):
            name = fallback
        base, suffix = name, 1
        while name in self.taken:
            suffix += 1
            name = f"{base}_{suffix}"
        self.taken.add(name)
        self.names[node] = name
        return name


def _write_source(tape: Tape, refresh: bool) -> str:
    names = _Names()
    for index, leaf in enumerate(tape.leaves):
        names.add(leaf, f"x{index}")
    for index, node in enumerate(tape.nodes):
        if node.operands:
            names.add(node, f"v{index}")
    name = names.names

    def operand(x: Any) -> str:
        return name[x] if type(x) is Value else literal(x)

    output = tape.output
    # needs: the nodes that take part in the backward pass: the wrt leaves and
    # the nodes that depend on one (with refresh, every interior node).
    needs: set[Value] = set(tape.wrt)
    for node in tape.nodes:
        if node.operands and (refresh or any(x in needs for x in node.parents)):
            needs.add(node)

    args = "leaves, wrt, nodes" if refresh else "leaves, wrt"
    lines = [
        f"def replay({args}):",
        f'    """{output.op or "leaf"} output: {len(tape.nodes)} nodes, '
        f'{len(tape.leaves)} leaves, gradients for {len(tape.wrt)}."""',
        "    # the leaves' current data",
        *_unpack([name[leaf] for leaf in tape.leaves], "[leaf.data for leaf in leaves]"),
        "    # forward: every node from its operands, in topological order",
    ]
    interior = [node for node in tape.nodes if node.operands]
    for node in interior:
        op = op_of(node)
        code = op.forward_code([operand(x) for x in node.operands], name[node])
        lines += ["    " + line for line in code]

    lines.append("    # backward: ∂output/∂node, from the output back; leaves accumulate")
    grads = [f"g_{name[leaf]}" for leaf in tape.wrt]
    lines += _unpack(grads, "[leaf.grad for leaf in wrt]")
    if output in needs:
        if output.operands:
            lines.append(f"    g_{name[output]} = 1.0")
        else:
            lines.append(f"    g_{name[output]} += 1.0")
    started: set[Value] = set()  # interior nodes whose gradient variable exists
    for node in reversed(interior):
        if node not in needs:
            continue
        if node is not output and node not in started:
            # No node uses this one in a way that matters (cannot happen in
            # a graph reached from the output, but kept for safety).
            lines.append(f"    g_{name[node]} = 0.0")
            started.add(node)
        op = op_of(node)
        upstream = f"g_{name[node]}"
        inputs = [operand(x) for x in node.operands]
        body = []
        for index, share in op.accumulate_code(upstream, inputs, name[node]):
            parent = node.operands[index]
            if type(parent) is not Value or parent not in needs:
                continue
            if parent.operands and parent not in started:
                # An interior node's gradient starts at 0.0 (as backward() resets
                # it) before its last user, the first to pass it anything.
                lines.append(f"    g_{name[parent]} = 0.0")
                started.add(parent)
            body.append(f"g_{name[parent]} += {share}")
        if not body:
            continue
        if node.op in FINITE_LOCALS:
            # backward() skips a node whose gradient is exactly 0 when its
            # output is finite (z - z is 0.0 exactly for a finite z).
            z = name[node]
            lines.append(f"    if {upstream} != 0.0 or {z} - {z} != 0.0:")
            lines += ["        " + line for line in body]
        else:
            lines += ["    " + line for line in body]

    if refresh:
        lines.append("    # every interior node's data and gradient, as backward() leaves them")
        for index, node in enumerate(tape.nodes):
            if node.operands:
                value = name[node]
                lines.append(f"    nodes[{index}].data = {value}")
                lines.append(f"    nodes[{index}].grad = g_{value}")
    if grads:
        lines.append("    # the leaves receive their gradients")
        lines.append(f"    for leaf, grad in zip(wrt, ({', '.join(grads)},)):")
        lines.append("        leaf.grad = grad")
    if tape.also:
        lines.append(f"    return {name[output]}, [{', '.join(name[node] for node in tape.also)}]")
    else:
        lines.append(f"    return {name[output]}")
    return "\n".join(lines) + "\n"


def _unpack(targets: list[str], expression: str, per_line: int = 8) -> list[str]:
    """``a, b, c = expression`` written over several lines when long."""
    if not targets:
        return []
    if len(targets) == 1:
        return [f"    ({targets[0]},) = {expression}"]
    rows = [", ".join(targets[i : i + per_line]) for i in range(0, len(targets), per_line)]
    if len(rows) == 1:
        return [f"    {rows[0]} = {expression}"]
    return ["    (", *[f"        {row}," for row in rows], f"    ) = {expression}"]
