"""Record once, replay many: a computation written out as straight-line Python.

A training step builds the same graph again and again: only the numbers in
its leaves change (the parameters after each update, the samples of each
batch). ``record(loss)`` takes the graph that made ``loss`` once and writes
its forward and backward pass out as one Python function, one line per node,
from the op table's code templates (``Rule.code``, ``Op.code`` and the
n-ary ops' ``forward_code``/``accumulate_code`` in ``autograd.ops``). No
Value is made and no rule is looked up on the way, so a replay runs many
times faster than building the graph and calling ``backward()``.

A graph that repeats one computation (a network applied to each sample of
a batch) is written more compactly: the nodes of one instance once, as the
body of a loop over the instances, with a table of what differs between
them (the samples' leaves and constants). The floats and their order are
those of one line per node; only the source is shorter, so that recording
micrograd's demo step compiles about 4,000 lines instead of 89,000::

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
from collections.abc import Callable, Iterable
from math import isfinite
from typing import Any

from autograd.engine import _backward_lock, op_of, topological_order
from autograd.language import text
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
            backward pass, one line per step (a repeated part as a loop).
    """

    def __init__(
        self, output: Value, wrt: Iterable[Value] | None = None, also: Iterable[Value] = ()
    ) -> None:
        if not isinstance(output, Value):
            raise TypeError(text("error.tape.output", type=type(output).__name__))
        self.output = output
        self.nodes = topological_order(output)
        self.also = list(also)
        in_order = set(self.nodes)
        for index, node in enumerate(self.also):
            if not isinstance(node, Value) or node not in in_order:
                raise ValueError(text("error.tape.also", index=index))
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
                    raise TypeError(
                        text("error.tape.wrt_not_a_value", index=index, type=type(leaf).__name__)
                    )
                if leaf.operands:
                    raise ValueError(
                        text("error.tape.wrt_not_a_leaf", index=index, op=repr(leaf.op))
                    )
                wanted.add(leaf)
            # Leaves outside the graph get no gradient from it (backward()
            # leaves them alone too).
            self.wrt = [leaf for leaf in self.leaves if leaf in wanted and leaf in in_graph]
        interior = [node for node in self.nodes if node.operands]
        run = _find_run(interior)
        if run is not None:
            run = _Run(interior, *run)
            if not run.bind(self, interior):
                run = None
        self._arguments = (
            (self.leaves, self.wrt) if run is None else (run.main_leaves, run.main_wrt)
        )
        self.source = _write_source(self, refresh=False, run=run)
        _check_size(self.source)
        self._replay = _compile(self.source, run.namespace if run is not None else {})
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
                value = self._replay(*self._arguments)
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
#: 600 MB. micrograd's demo step (MLP 2-16-16-1 on 100 samples) is 4,383 lines (88,830
#: written one line per node, as ``replay(refresh=True)`` writes it).
MAX_LINES = 200_000


def _check_size(source: str) -> None:
    """Raises ValueError, naming the limit, for a source too long to compile."""
    lines = source.count("\n")
    if lines > MAX_LINES:
        megabytes = lines * 3 // 1000
        raise ValueError(
            text(
                "error.tape.too_large",
                lines=f"{lines:,}",
                limit=f"{MAX_LINES:,}",
                megabytes=f"{megabytes:,}",
            )
        )


def _compile(source: str, tables: dict[str, Any] | None = None) -> Any:
    namespace: dict[str, Any] = dict(CODE_NAMESPACE)
    namespace.update(LITERALS)
    namespace.update(tables or {})
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
        name = fallback
        if node.label:  # (most interior nodes have none)
            label = unicodedata.normalize("NFKC", node.label)
            name = re.sub(r"\W+", "_", label).strip("_")
            if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("g_"):
                name = fallback
        base, suffix = name, 1
        while name in self.taken:
            suffix += 1
            name = f"{base}_{suffix}"
        self.taken.add(name)
        self.names[node] = name
        return name


def _write_source(tape: Tape, refresh: bool, run: _Run | None = None) -> str:
    """The replay's source: one line per node, or with ``run`` its repeated
    part written once, as the body of a loop over its instances."""
    names = _Names()
    for index, leaf in enumerate(tape.leaves):
        names.add(leaf, f"x{index}")
    for index, node in enumerate(tape.nodes):
        if node.operands:
            names.add(node, f"v{index}")
    name = names.names
    output = tape.output
    # needs: the nodes that take part in the backward pass: the wrt leaves and
    # the nodes that depend on one (with refresh, every interior node).
    needs: set[Value] = set(tape.wrt)
    for node in tape.nodes:
        # (a constant is never in needs: operands, without the tuple parents makes)
        if node.operands and (refresh or any(x in needs for x in node.operands)):
            needs.add(node)
    interior = [node for node in tape.nodes if node.operands]
    leaves, wrt = tape.leaves, tape.wrt
    if run is not None:
        leaves, wrt = run.main_leaves, run.main_wrt
        for (instance, position), node in run.exported.items():
            name[node] = f"_s{instance}_{position}"

    def operand(node: Value, index: int, x: Any) -> str:
        return name[x] if type(x) is Value else literal(x)

    args = "leaves, wrt, nodes" if refresh else "leaves, wrt"
    lines = [
        f"def replay({args}):",
        f'    """{output.op or "leaf"} output: {len(tape.nodes)} nodes, '
        f'{len(tape.leaves)} leaves, gradients for {len(tape.wrt)}."""',
        "    # the leaves' current data",
        *_unpack([name[leaf] for leaf in leaves], "[leaf.data for leaf in leaves]"),
        "    # forward: every node from its operands, in topological order",
    ]
    before, after = interior, []
    if run is not None:
        before, after = interior[: run.start], interior[run.end :]
    lines += _forward(before, name, operand, "    ")
    if run is not None:
        lines += run.forward(name, needs)
    lines += _forward(after, name, operand, "    ")

    lines.append("    # backward: ∂output/∂node, from the output back; leaves accumulate")
    grads = [f"g_{name[leaf]}" for leaf in wrt]
    lines += _unpack(grads, "[leaf.grad for leaf in wrt]")
    started: set[Value] = set()  # interior nodes whose gradient variable exists
    if output in needs:
        if output.operands:
            lines.append(f"    g_{name[output]} = 1.0")
            started.add(output)
        else:
            lines.append(f"    g_{name[output]} += 1.0")
    if run is not None:
        exported = [node for node in run.exported.values() if node in needs]
        if exported:
            # Their gradients start at 0.0, as backward() resets them; the
            # loop passes each on to its instance.
            lines.append(f"    {' = '.join(f'g_{name[node]}' for node in exported)} = 0.0")
            started.update(exported)
    lines += _backward(after, name, operand, needs, started, "    ")
    if run is not None:
        lines += run.backward(name, needs)
    lines += _backward(before, name, operand, needs, started, "    ")

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


#: Names a node's operand in the source: ``operand(node, index, x)``.
Operand = Callable[[Value, int, Any], str]


def _forward(
    nodes: list[Value], name: dict[Value, str], operand: Operand, indent: str
) -> list[str]:
    """Each node computed from its operands, in order."""
    lines = []
    for node in nodes:
        inputs = [operand(node, index, x) for index, x in enumerate(node.operands)]
        lines += [indent + line for line in op_of(node).forward_code(inputs, name[node])]
    return lines


def _backward(
    nodes: list[Value],
    name: dict[Value, str],
    operand: Operand,
    needs: set[Value],
    started: set[Value],
    indent: str,
) -> list[str]:
    """The chain rule at each node, the last first: what each of its operands
    in ``needs`` receives. ``started``: the interior nodes whose gradient
    variable exists (updated)."""
    lines = []
    for node in reversed(nodes):
        if node not in needs:
            continue
        if node not in started:
            # No node uses this one in a way that matters (cannot happen in
            # a graph reached from the output, but kept for safety).
            lines.append(f"{indent}g_{name[node]} = 0.0")
            started.add(node)
        op = op_of(node)
        upstream = f"g_{name[node]}"
        inputs = [operand(node, index, x) for index, x in enumerate(node.operands)]
        body = []
        for index, share in op.accumulate_code(upstream, inputs, name[node]):
            parent = node.operands[index]
            if type(parent) is not Value or parent not in needs:
                continue
            if parent.operands and parent not in started:
                # An interior node's gradient starts at 0.0 (as backward() resets
                # it) before its last user, the first to pass it anything.
                lines.append(f"{indent}g_{name[parent]} = 0.0")
                started.add(parent)
            body.append(f"g_{name[parent]} += {share}")
        if not body:
            continue
        if node.op in FINITE_LOCALS:
            # backward() skips a node whose gradient is exactly 0 when its
            # output is finite (z - z is 0.0 exactly for a finite z).
            z = name[node]
            lines.append(f"{indent}if {upstream} != 0.0 or {z} - {z} != 0.0:")
            lines += [f"{indent}    {line}" for line in body]
        else:
            lines += [indent + line for line in body]
    return lines


#: The fewest nodes a repeated part must cover to be written as a loop (below
#: that, one line per node reads better and compiles in no time).
LOOP_AT_LEAST = 1000

_LEAF, _CONSTANT = -1, -2  # in a node's shape, beside the distances to its operands


class _Run:
    """A part of the graph made of the same computation repeated, one instance
    after another: a network applied to each sample of a batch.

    Each instance is ``period`` consecutive nodes of the topological order,
    the same ops on operands in the same places: interior operands inside
    the instance, and leaves and constants that are either *shared* (the
    same in every instance: the parameters) or *varying* (the sample's own).
    The replay computes the instances in a loop over a table of their
    varying leaves and constants, and backpropagates through them in a loop
    too, the last instance first: the same nodes in the same order as one
    line per node, so the same floats, in source linear in one instance.
    """

    def __init__(self, interior: list[Value], start: int, period: int, count: int) -> None:
        self.start, self.period, self.count = start, period, count
        self.end = start + period * count
        self.template = interior[start : start + period]
        self.instances = [
            interior[self.start + m * period : self.start + (m + 1) * period] for m in range(count)
        ]
        #: (instance, position) -> the node, for nodes used outside the run.
        self.exported: dict[tuple[int, int], Value] = {}
        self.main_leaves: list[Value] = []
        self.main_wrt: list[Value] = []
        #: the namespace entries the loop reads: its table of varying inputs.
        self.namespace: dict[str, Any] = {}

    def bind(self, tape: Tape, interior: list[Value]) -> bool:
        """Sort the instances' leaves and constants into shared and varying,
        and find the nodes used outside the run; False if the instances do
        not fit one body (a leaf used twice in one and once in another, a
        sample's leaf used outside its instance, ...)."""
        slots = [
            (q, k)
            for q, node in enumerate(self.template)
            for k, x in enumerate(node.operands)
            if type(x) is not Value or not x.operands
        ]
        bound = [[inst[q].operands[k] for q, k in slots] for inst in self.instances]
        leafy = [r for r, x in enumerate(bound[0]) if type(x) is Value]
        # Within an instance a leaf used twice is one variable: the same
        # pattern of repeats in every instance.
        pattern = None
        for values in bound:
            first: dict[int, int] = {}
            seen = tuple(first.setdefault(id(values[r]), r) for r in leafy)
            if pattern is None:
                pattern = seen
            elif seen != pattern:
                return False
        assert pattern is not None
        self.variable = dict(zip(leafy, pattern))  # slot -> its leaf's first slot
        first_slots = sorted(set(pattern))
        wanted = set(tape.wrt)
        self.shared: dict[int, Any] = {}  # first slot -> the leaf, or slot -> constant
        self.varying: list[int] = []  # first slots of the varying leaves
        for r in first_slots:
            leaf = bound[0][r]
            if all(values[r] is leaf for values in bound):
                self.shared[r] = leaf
            else:
                if any((values[r] in wanted) != (leaf in wanted) for values in bound):
                    return False
                self.varying.append(r)
        self.constants: list[int] = []  # varying constants' slots
        for r, x in enumerate(bound[0]):
            if type(x) is Value:
                continue
            text = literal(x)
            if all(literal(values[r]) == text for values in bound):
                self.shared[r] = x
            else:
                self.constants.append(r)
        self.slots = {slot: r for r, slot in enumerate(slots)}
        # A varying leaf belongs to its instance alone.
        varying = {id(values[r]): values[r] for values in bound for r in self.varying}
        uses = dict.fromkeys(varying, 0)
        for node in interior:
            for x in node.operands:
                if id(x) in uses and x is varying[id(x)]:
                    uses[id(x)] += 1
        per_instance = {r: pattern.count(r) for r in self.varying}
        for values in bound:
            if any(uses[id(values[r])] != per_instance[r] for r in self.varying):
                return False
        self.wrt_varying = [r for r in self.varying if bound[0][r] in wanted]
        self.table = [
            tuple(values[r] for r in self.varying) + tuple(values[r] for r in self.constants)
            for values in bound
        ]
        self.namespace = {"_table": self.table, "_finite": _all_finite}
        in_run = {
            node: (m, q) for m, inst in enumerate(self.instances) for q, node in enumerate(inst)
        }
        outside = [*interior[: self.start], *interior[self.end :]]
        for node in outside:
            for x in node.operands:
                if type(x) is Value and x in in_run:
                    self.exported[in_run[x]] = x
        for node in tape.also:
            if node in in_run:
                self.exported[in_run[node]] = node
        self.positions = sorted({q for _, q in self.exported})
        # Every instance passes every exported position (unused ones get 0.0).
        for m, inst in enumerate(self.instances):
            for q in self.positions:
                self.exported[(m, q)] = inst[q]
        mine = set(varying.values())
        if any(node in mine for node in tape.also):
            return False  # reported by name outside the loop: keep it out of the loop
        self.main_leaves = [leaf for leaf in tape.leaves if leaf not in mine]
        self.main_wrt = [leaf for leaf in tape.wrt if leaf not in mine]
        return True

    def _names(self, name: dict[Value, str]) -> tuple[dict[Value, str], Operand]:
        """The body's names: ``_t{q}`` for its nodes, ``_d{r}`` for its varying
        leaves' data (``_L{r}`` the leaves), ``_k{r}`` its varying constants."""
        local = dict(name)  # the shared leaves keep their names
        local.update({node: f"_t{q}" for q, node in enumerate(self.template)})
        first = self.instances[0]
        varying = set(self.varying)
        for r in self.varying:
            q, k = next(slot for slot, s in self.slots.items() if s == r)
            local[first[q].operands[k]] = f"_d{r}"
        position = {node: q for q, node in enumerate(first)}

        def operand(node: Value, index: int, x: Any) -> str:
            r = self.slots.get((position[node], index))
            if r is None:
                return local[x]
            if type(x) is Value:
                r = self.variable[r]
                return f"_d{r}" if r in varying else name[self.shared[r]]
            return f"_k{r}" if r in self.constants else literal(self.shared[r])

        return local, operand

    def _row(self) -> str:
        """The loop's target for a row of the table."""
        names = [f"_L{r}" for r in self.varying] + [f"_k{r}" for r in self.constants]
        return f"({', '.join(names)},)" if names else "_"

    def forward(self, name: dict[Value, str], needs: set[Value]) -> list[str]:
        """The loop computing every instance, keeping each one's values."""
        local, operand = self._names(name)
        if self._backpropagates(needs):
            saved = [f"_t{q}" for q in range(self.period)] + [f"_d{r}" for r in self.varying]
        else:  # a forward pass only: keep only what is used outside the loop
            saved = [f"_t{q}" for q in self.positions]
        lines = [
            f"    # {self.count} instances of the same {self.period} nodes, in a loop",
            "    _saved = []",
            f"    for {self._row()} in _table:",
            *[f"        _d{r} = _L{r}.data" for r in self.varying],
            *_forward(self.template, local, operand, "        "),
            f"        _saved.append(({', '.join(saved)},))",
        ]
        for q in self.positions:
            targets = [name[self.exported[(m, q)]] for m in range(self.count)]
            lines += _unpack(targets, f"[_values[{saved.index(f'_t{q}')}] for _values in _saved]")
        return lines

    def _backpropagates(self, needs: set[Value]) -> bool:
        """Whether any node of an instance takes part in the backward pass."""
        return any(node in needs for node in self.instances[0])

    def _skippable(self, needs: set[Value]) -> bool:
        """Whether backward() skips every node of an instance that receives 0
        from outside it with all its values finite: every node taking part
        in the backward pass has an op with finite local derivatives."""
        return all(node.op in FINITE_LOCALS for node in self.instances[0] if node in needs)

    def backward(self, name: dict[Value, str], needs: set[Value]) -> list[str]:
        """The loop backpropagating through every instance, the last first."""
        if not self._backpropagates(needs):
            return []
        local, operand = self._names(name)
        first = self.instances[0]
        saved = [f"_t{q}" for q in range(self.period)] + [f"_d{r}" for r in self.varying]
        passed = [q for q in self.positions if first[q] in needs]
        sources = ["reversed(_saved)", "reversed(_table)"]
        targets = [f"({', '.join(saved)},)", self._row()]
        lines = [f"    # back through the {self.count} instances, the last first"]
        if passed:
            columns = [
                f"({', '.join('g_' + name[self.exported[(m, q)]] for m in range(self.count))},)"
                for q in passed
            ]
            lines.append(f"    _upstream = list(zip({', '.join(columns)}))")
            sources.append("reversed(_upstream)")
            targets.append(f"({', '.join(f'_u{q}' for q in passed)},)")
        skip = [f"_u{q} == 0.0" for q in passed] if self._skippable(needs) else []
        if skip:
            # backward() skips a node whose gradient is exactly 0 and whose
            # output is finite: an instance that receives 0 from outside,
            # with every value finite, is skipped node after node (nothing
            # else passes it anything), so its whole body does nothing.
            values, targets[0] = targets[0], "_values"
            lines.append(f"    for {', '.join(targets)} in zip({', '.join(sources)}):")
            lines.append(f"        if {' and '.join(skip)} and _finite(_values):")
            lines.append("            continue")
            lines.append(f"        {values} = _values")
        else:
            lines.append(f"    for {', '.join(targets)} in zip({', '.join(sources)}):")
        body = [f"        g__t{q} = _u{q}" for q in passed]
        body += [f"        g__d{r} = _L{r}.grad" for r in self.wrt_varying]
        started = {first[q] for q in passed}
        body += _backward(first, local, operand, needs, started, "        ")
        body += [f"        _L{r}.grad = g__d{r}" for r in self.wrt_varying]
        return lines + (body or ["        pass"])


def _all_finite(values: tuple[Any, ...]) -> bool:
    """Whether every number in ``values`` is finite: their sum is finite
    only if all of them are (a sum that overflows says no, which is safe)."""
    try:
        return isfinite(sum(values))
    except OverflowError:  # an int too large for a float
        return False


def _find_run(interior: list[Value]) -> tuple[int, int, int] | None:
    """The longest stretch of ``interior`` that repeats one computation: its
    start, its period (nodes per instance) and its count of instances."""
    if len(interior) < LOOP_AT_LEAST:
        return None
    position = {node: i for i, node in enumerate(interior)}
    shapes: dict[tuple[Any, ...], int] = {}
    shape_of: list[tuple[Any, ...]] = []
    sequence = []
    where_is = position.get
    for i, node in enumerate(interior):
        shape = (
            node.op,
            *[
                _CONSTANT
                if type(x) is not Value
                else _LEAF
                if (j := where_is(x)) is None
                else i - j
                for x in node.operands
            ],
        )
        number = shapes.setdefault(shape, len(shapes))
        if number == len(shape_of):
            shape_of.append(shape)
        sequence.append(number)
    # A node that comes once per instance, at a fixed step: the period.
    where: dict[int, list[int]] = {}
    for i, number in enumerate(sequence):
        where.setdefault(number, []).append(i)
    best = None
    for places in where.values():
        if len(places) < 2:
            continue
        step = places[1] - places[0]
        if places[-1] - places[0] != step * (len(places) - 1):
            continue
        if places != list(range(places[0], places[-1] + 1, step)):
            continue
        cover = step * len(places)
        if best is None or cover > best[0]:
            best = (cover, places[0], step)
    if best is None or best[0] < LOOP_AT_LEAST:
        return None
    _, anchor, period = best
    n = len(sequence)
    low = anchor
    while low > 0 and sequence[low - 1] == sequence[low - 1 + period]:
        low -= 1
    high = anchor
    while high + period < n and sequence[high] == sequence[high + period]:
        high += 1
    # sequence[i] == sequence[i + period] for low <= i < high: the nodes
    # low .. high + period repeat. Where an instance starts: where no node
    # reaches back before its instance's first node.
    for start in range(low, min(low + period, high + 1)):
        count = min(high + period - start, n - 1 - start) // period  # the output stays out
        if count < 2 or count * period < LOOP_AT_LEAST:
            break
        shapes_here = [shape_of[sequence[start + q]] for q in range(period)]
        if all(d < 0 or d <= q for q, shape in enumerate(shapes_here) for d in shape[1:]):
            return start, period, count
    return None


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
