"""record/replay: every op's code templates, and replays bit for bit equal to backward()."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value
from autograd.fast_paths import N_ARY
from autograd.ops import CODE_NAMESPACE, CrossEntropyOp, DotOp, Op, SoftmaxOp, SumOp

# IEEE edge cases, mixed with ordinary numbers.
EDGES = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e308, -1e308, 5e-324, -5e-324, 2.2e-308]
EDGES += [1.0, -1.0, 2.0, 0.5, -3.0]
floats = st.one_of(
    st.sampled_from(EDGES), st.floats(allow_nan=True, allow_infinity=True), st.floats(-3.0, 3.0)
)


def bits(x: float) -> bytes:
    """A float's exact bits (-0.0 differs from 0.0), every nan as one.

    A nan's sign and payload are not something Python pins down: which
    operand's nan ``a * b`` passes on depends on the machine code of the
    path that multiplies (CPython's generic float multiply, or the one it
    specialises a warm instruction into), so the same expression can give
    nan and -nan from one call to the next, in ``backward()`` too.
    """
    return b"nan" if x != x else struct.pack("<d", x)


def run(code: list[str], names: dict[str, float], out: str = "z") -> float:
    namespace = {**CODE_NAMESPACE, **names, "inf": math.inf}
    exec("\n".join(code), namespace)
    return namespace[out]


# Every op's templates against its functions, on floats.


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if isinstance(op, Op)])
@settings(max_examples=300, deadline=None)
@given(data=st.data(), upstream=floats)
def test_each_template_gives_its_function_bit_for_bit(name: str, data, upstream: float) -> None:
    op = OPS[name]
    assert isinstance(op, Op) and op.code and all(rule.code for rule in op.rules)
    inputs = [data.draw(floats) for _ in op.rules]
    names = dict(zip("ab", inputs))
    z = op.forward(*inputs)
    assert bits(run(op.forward_code(list(names), "z"), names)) == bits(z)
    shares = op.accumulate_code("g", list(names), "z")
    assert [index for index, _ in shares] == list(range(len(op.rules)))
    for (_, share), rule in zip(shares, op.rules):
        expected = rule.vjp(upstream, *inputs, z)
        assert bits(run([f"r = {share}"], {**names, "g": upstream, "z": z}, "r")) == bits(expected)


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if not isinstance(op, Op)])
@settings(max_examples=300, deadline=None)
@given(data=st.data(), upstream=floats, start=floats, size=st.integers(0, 21))
def test_each_nary_template_gives_its_function_bit_for_bit(
    name: str, data, upstream: float, start: float, size: int
) -> None:
    op = OPS[name]
    assert isinstance(op, SumOp | DotOp | CrossEntropyOp | SoftmaxOp)
    count = size if name == "sum" else 2 * (size // 2) + data.draw(st.integers(0, 1))
    if name == "cross_entropy":  # logits and as many targets, one class at least
        count = max(2, 2 * (size // 2))
    elif name == "softmax":  # the numerator's logit and the denominator's, one at least
        count = max(2, size)
    # Operands as the engine stores them: Values, constants, and Values used twice.
    operands: list = []
    pool: list[Value] = []
    for _ in range(count):
        kind = data.draw(st.sampled_from(["value", "constant", "again"]))
        if kind == "constant":
            operands.append(data.draw(floats))
        elif kind == "again" and pool:
            operands.append(data.draw(st.sampled_from(pool)))
        else:
            pool.append(Value(data.draw(floats)))
            pool[-1].grad = start
            operands.append(pool[-1])
    names = {f"x{i}": x.data if type(x) is Value else x for i, x in enumerate(operands)}
    z = op.forward(*names.values())
    assert bits(run(op.forward_code(list(names), "z"), names)) == bits(z)
    # accumulate_code, applied in its order, equals what backward() adds.
    grads = {id(x): start for x in pool}
    for index, share in op.accumulate_code("g", list(names), "z"):
        if type(operands[index]) is Value:
            grads[id(operands[index])] += run(
                [f"r = {share}"], {**names, "g": upstream, "z": z}, "r"
            )
    N_ARY[name](operands, upstream)
    assert [bits(x.grad) for x in pool] == [bits(grads[id(x)]) for x in pool]


# Random graphs: replay equals backward() on a graph built afresh, bit for bit.

NAMES = sorted(OPS)


def build(program: list, leaves: list[Value]) -> Value:
    """Run ``program`` over ``leaves``: every instruction makes one node."""
    nodes: list = list(leaves)
    for name, picks, constants in program:
        operands = [
            nodes[pick % len(nodes)] if use_node else constant
            for pick, (use_node, constant) in zip(picks, constants)
        ]
        if not any(type(x) is Value for x in operands):
            operands[0] = nodes[picks[0] % len(nodes)]
        nodes.append(make(name, operands))
    return nodes[-1] if len(nodes) > len(leaves) else autograd.sum(nodes)


def make(name: str, operands: list) -> Value:
    a, b, *rest = operands
    if name == "sum":
        return autograd.sum(operands)
    if name == "dot":
        n = len(operands) // 2
        return autograd.dot(operands[:n], operands[n : 2 * n], operands[-1])
    if name == "bce_logits":
        return autograd.binary_cross_entropy_with_logits(a, b)
    if name == "cross_entropy":
        return autograd.cross_entropy(operands, 1)
    if name == "softmax":
        return autograd.softmax(operands)[1]
    if name in ("+", "-", "*", "/", "**"):
        if type(a) is not Value and type(b) is not Value:
            a = Value(a)
        return {
            "+": lambda: a + b,
            "-": lambda: a - b,
            "*": lambda: a * b,
            "/": lambda: a / b,
            "**": lambda: a**b,
        }[name]()
    if type(a) is not Value:
        a = Value(a)
    return {
        "neg": lambda: -a,
        "exp": a.exp,
        "log": a.log,
        "tanh": a.tanh,
        "sigmoid": a.sigmoid,
        "relu": a.relu,
    }[name]()


def instruction(name: str | None = None):  # type: ignore[no-untyped-def]
    return st.tuples(
        st.sampled_from(NAMES) if name is None else st.just(name),
        st.lists(st.integers(0, 1000), min_size=5, max_size=5),
        st.lists(st.tuples(st.sampled_from([True, True, False]), floats), min_size=5, max_size=5),
    )


def check_replay(
    program: list, first: list[float], second: list[float], grads: list[float]
) -> None:
    leaves = [Value(x, label=f"p{i}") for i, x in enumerate(first)]
    output = build(program, leaves)
    tape = autograd.record(output)
    for data in (first, second, first):
        for leaf, x, g in zip(leaves, data, grads):
            leaf.data, leaf.grad = x, g
        value = tape.replay()
        fresh = [Value(x) for x in data]
        for leaf, g in zip(fresh, grads):
            leaf.grad = g
        expected = build(program, fresh)
        expected.backward()
        assert bits(value) == bits(expected.data)
        assert [bits(leaf.grad) for leaf in leaves] == [bits(leaf.grad) for leaf in fresh]


leaf_data = st.lists(floats, min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(instruction(), min_size=1, max_size=12), leaf_data, leaf_data, leaf_data)
def test_replay_equals_backward_on_random_graphs(program, first, second, grads) -> None:
    check_replay(program, first, second, grads)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data(), first=leaf_data, second=leaf_data, grads=leaf_data)
def test_replay_equals_backward_for_every_op(name: str, data, first, second, grads) -> None:
    program = data.draw(st.lists(instruction(), max_size=4))
    program.append(data.draw(instruction(name)))
    program += data.draw(st.lists(instruction(), max_size=3))
    check_replay(program, first, second, grads)


def test_a_network_replays_bit_for_bit_with_gradients_for_the_parameters_only() -> None:
    import nn

    model = nn.MLP(2, [8, 8, 1], seed=3)
    X, y = nn.data.moons(20, seed=2)
    features = [[Value(0.0), Value(0.0)] for _ in X]
    targets = [Value(0.0) for _ in y]
    loss = nn.losses.bce_with_logits([model.logits(x) for x in features], targets)
    tape = autograd.record(loss, wrt=model.parameters())
    assert set(tape.wrt) == set(model.parameters())
    for step in range(5):
        for leaves, x in zip(features, X):
            for leaf, v in zip(leaves, x):
                leaf.data = v + 0.1 * step
        for leaf, label in zip(targets, y):
            leaf.data = label
        model.zero_grad()
        value = tape.replay()
        got = [p.grad for p in model.parameters()]
        model.zero_grad()
        fresh = nn.losses.bce_with_logits([model.logits([v + 0.1 * step for v in x]) for x in X], y)
        fresh.backward()
        assert bits(value) == bits(fresh.data)
        assert list(map(bits, got)) == [bits(p.grad) for p in model.parameters()]
        assert all(leaf.grad == 0.0 for row in features for leaf in row)
        for p in model.parameters():
            p.data -= 0.5 * p.grad


def test_what_a_replay_writes_and_what_it_leaves_alone() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    d = c.tanh()
    tape = autograd.record(d)
    a.data = 1.0
    value = tape.replay()
    assert value == math.tanh(3.0)
    assert (c.data, d.data, c.grad, d.grad) == (6.0, math.tanh(6.0), 0.0, 0.0)  # as recorded
    assert a.grad == 3.0 * (1 - math.tanh(3.0) ** 2)  # leaves get their gradient
    a.grad = b.grad = 0.0
    assert tape.replay(refresh=True) == value
    d.backward()  # the interior values a backward() on the same data leaves
    expected = [(n.data, n.grad) for n in (c, d)]
    a.grad = b.grad = 0.0
    tape.replay(refresh=True)
    assert [(n.data, n.grad) for n in (c, d)] == expected


def test_leaves_accumulate_and_a_leaf_output_gets_one() -> None:
    a = Value(2.0)
    tape = autograd.record(a * a)
    tape.replay()
    tape.replay()
    assert a.grad == 8.0
    leaf = Value(5.0)
    assert autograd.record(leaf).replay() == 5.0
    assert leaf.grad == 1.0


def test_the_source_is_readable_python_with_labels_as_names() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="W1[0,1]")
    tape = autograd.record((a * b + 2.0).relu())
    assert "W1_0_1" in tape.source and "a * W1_0_1" in tape.source
    compile(tape.source, "<test>", "exec")
    assert repr(tape).startswith("Tape(5 nodes, 2 leaves")


@pytest.mark.parametrize(
    ("first", "second"),
    [("ﬁ", "fi"), ("wₐ", "wa"), ("xᵢ", "xi"), ("ｉｎｆ", "y"), ("ｄｉｖｉｄｅ", "y")],
)
def test_labels_that_python_reads_as_one_name_stay_two_variables(first: str, second: str) -> None:
    # Python reads identifiers in NFKC form: "ﬁ" and "fi" are one name, and
    # "ｉｎｆ" is inf. Each leaf must still get its own variable.
    a, b = Value(2.0, label=first), Value(5.0, label=second)
    out = (a - b) / b * math.inf
    tape = autograd.record(out)
    fresh = (a - b) / b * math.inf
    fresh.backward()
    expected = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    assert bits(tape.replay()) == bits(fresh.data)
    assert (bits(a.grad), bits(b.grad)) == tuple(map(bits, expected))
    a.data, b.data = 1.0, 4.0
    a.grad = b.grad = 0.0
    assert tape.replay() == -math.inf
    assert a.grad == math.inf


def test_constants_are_written_back_bit_for_bit() -> None:
    a = Value(1.0)
    specials = [-0.0, math.inf, -math.inf, 5e-324, -1e308, 0.1]
    out = autograd.sum([a * c for c in specials] + [a + math.nan, a * -math.nan])
    fresh = autograd.sum([a * c for c in specials] + [a + math.nan, a * -math.nan])
    fresh.backward()
    expected = a.grad
    a.grad = 0.0
    assert bits(autograd.record(out).replay()) == bits(fresh.data)
    assert bits(a.grad) == bits(expected)


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="output must be a Value"):
        autograd.record(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"wrt\[0\]"):
        autograd.record(Value(1.0) * 2, wrt=[3.0])  # type: ignore[list-item]
    product = Value(1.0) * 2
    with pytest.raises(ValueError, match=r"wrt\[0\] was made by op '\*', so it is not a leaf"):
        autograd.record(product + 1, wrt=[product])
    a = Value(1.0)
    with pytest.raises(ValueError, match="op table does not know"):
        autograd.record(Value(2.0, (a,), "cube"))


def test_a_deep_graph_and_a_wide_sum() -> None:
    x = Value(0.5)
    y = x
    for _ in range(3000):
        y = y * 1.0001 + 0.0
    wide = autograd.sum([x * float(i) for i in range(5000)])
    for out in (y, wide):
        tape = autograd.record(out)
        x.grad = 0.0
        value = tape.replay()
        got = x.grad
        x.grad = 0.0
        out.backward()
        assert (value, got) == (out.data, x.grad)


def test_a_graph_too_large_to_record_is_refused_naming_the_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from autograd import tape as tape_module

    x = Value(0.5)
    y = x
    for _ in range(100):
        y = y * 1.0001
    monkeypatch.setattr(tape_module, "MAX_LINES", 300)
    with pytest.raises(ValueError, match=r"of 4\d\d lines of Python, more than the limit of 300"):
        autograd.record(y)
    monkeypatch.setattr(tape_module, "MAX_LINES", 500)
    recorded = autograd.record(y)
    assert recorded.replay() == y.data
    with pytest.raises(ValueError, match="more than the limit of 500"):
        recorded.replay(refresh=True)  # writes every node back: more lines


@pytest.mark.slow
def test_a_200000_node_graph_is_refused_in_bounded_memory() -> None:
    import resource

    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.000001
        y = y + 0.000001
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ValueError, match="more than the limit of 200,000"):
        autograd.record(y)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KB on Linux
    assert grown < 400_000


# A repeated computation (a network on each sample) is recorded as one loop body.


def repeated(  # type: ignore[no-untyped-def]
    program: list,
    shared: list[Value],
    samples: list[list[Value]],
    scale: list[float],
    gates: list[float] | None = None,
):
    """``program`` on each sample beside the shared leaves (times the sample's
    own constant), the results summed: the same nodes once per sample. With
    ``gates``, each result goes through ``relu(result · gate)`` after all of
    them are made (outside the loop, like a hinge loss's margins), so the
    samples whose gate is 0 or whose relu is off receive a gradient of 0."""
    outputs = [
        build(program, [*shared, *sample]) * factor for sample, factor in zip(samples, scale)
    ]
    if gates is not None:
        outputs = [(out * gate).relu() for out, gate in zip(outputs, gates)]
    return autograd.sum(outputs)


def check_loop(
    program: list,
    data: list[float],
    grads: list[float],
    instances: int,
    gates: list[float] | None = None,
) -> str:
    """A replay of ``repeated`` equals backward(), with the loop written for
    any run of two instances or more; returns the replay's source."""
    from autograd import tape as tape_module

    def leaves() -> tuple[list[Value], list[list[Value]]]:
        shared = [Value(x) for x in data[:2]]
        samples = [[Value(x + m), Value(x - m)] for m, x in enumerate(data[2 : 2 + instances])]
        return shared, samples

    scale = [1.0 + m % 3 for m in range(instances)]
    shared, samples = leaves()
    every = [*shared, *(leaf for sample in samples for leaf in sample)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tape_module, "LOOP_AT_LEAST", 2)
        tape = autograd.record(repeated(program, shared, samples, scale, gates))
    for leaf, g in zip(every, grads * 20):
        leaf.grad = g
    value = tape.replay()
    fresh_shared, fresh_samples = leaves()
    fresh = [*fresh_shared, *(leaf for sample in fresh_samples for leaf in sample)]
    for leaf, g in zip(fresh, grads * 20):
        leaf.grad = g
    expected = repeated(program, fresh_shared, fresh_samples, scale, gates)
    expected.backward()
    assert bits(value) == bits(expected.data)
    assert [bits(leaf.grad) for leaf in every] == [bits(leaf.grad) for leaf in fresh]
    return tape.source


@settings(max_examples=150, deadline=None)
@given(
    st.lists(instruction(), min_size=1, max_size=8),
    st.lists(floats, min_size=8, max_size=8),
    st.lists(floats, min_size=4, max_size=4),
    st.integers(2, 6),
)
def test_a_repeated_computation_replays_as_a_loop_bit_for_bit(
    program, data, grads, instances
) -> None:
    check_loop(program, data, grads, instances)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(
    st.data(), st.lists(floats, min_size=8, max_size=8), st.lists(floats, min_size=4, max_size=4)
)
def test_every_op_replays_in_a_loop_bit_for_bit(name: str, data, values, grads) -> None:
    program = data.draw(st.lists(instruction(), max_size=3))
    program.append(data.draw(instruction(name)))
    check_loop(program, values, grads, 4)


gates = st.lists(st.one_of(st.sampled_from([0.0, -0.0, 1.0, -1.0]), floats), min_size=6, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(instruction(), min_size=1, max_size=8),
    st.lists(floats, min_size=8, max_size=8),
    st.lists(floats, min_size=4, max_size=4),
    st.integers(2, 6),
    gates,
)
def test_instances_that_receive_zero_replay_bit_for_bit(
    program, data, grads, instances, gates
) -> None:
    # Samples gated off (relu off, a gate of ±0) receive exactly 0: the loop
    # skips them when backward() would skip all their nodes, and not when
    # one of their values is inf or nan (backward() does not skip those).
    check_loop(program, data, grads, instances, gates)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30, deadline=None)
@given(
    st.data(),
    st.lists(floats, min_size=8, max_size=8),
    st.lists(floats, min_size=4, max_size=4),
    gates,
)
def test_every_op_replays_in_a_gated_loop_bit_for_bit(
    name: str, data, values, grads, gates
) -> None:
    program = data.draw(st.lists(instruction(), max_size=3))
    program.append(data.draw(instruction(name)))
    check_loop(program, values, grads, 4, gates)


def test_an_instance_receiving_zero_is_skipped_only_when_its_values_are_finite() -> None:
    from autograd import tape as tape_module

    def loss(w: Value, xs: list[Value]) -> Value:
        squares = [(w * x) * (w * x) for x in xs]
        return autograd.sum([(1.0 - s).relu() for s in squares])

    for big, grad in ((2.0, 0.0), (2.0, -0.0), (1e200, 0.0), (1e200, -0.0)):
        # x = 2.0 is past the margin (its square 4 > 1): it receives 0 and is
        # skipped. x = 1e200 squares to inf: 0 · inf is nan, as in backward().
        def leaves(big: float, grad: float) -> tuple[Value, list[Value]]:
            w = Value(1e200 if big > 2.0 else 0.5)
            w.grad = grad
            return w, [Value(0.5), Value(big), Value(0.25)]

        w, xs = leaves(big, grad)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tape_module, "LOOP_AT_LEAST", 2)
            tape = autograd.record(loss(w, xs), wrt=[w])
        assert "in _table:" in tape.source and "_finite(_values)" in tape.source
        value = tape.replay()
        fresh_w, fresh_xs = leaves(big, grad)
        expected = loss(fresh_w, fresh_xs)
        expected.backward()
        assert bits(value) == bits(expected.data)
        assert bits(w.grad) == bits(fresh_w.grad)
    assert math.isnan(w.grad)


def test_a_loop_with_an_op_without_finite_locals_never_skips_an_instance() -> None:
    from autograd import tape as tape_module

    w = Value(0.5)
    xs = [Value(float(i)) for i in range(1, 6)]
    out = autograd.sum([((w * x).log() * 1.0).relu() for x in xs])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tape_module, "LOOP_AT_LEAST", 2)
        tape = autograd.record(out)
    assert "log" not in autograd.ops.FINITE_LOCALS  # its derivative 1/a is inf at a = 0
    assert "in _table:" in tape.source and "_finite(_values)" not in tape.source


def test_a_network_on_a_batch_is_one_loop_body_and_records_fast() -> None:
    import time

    import nn

    model = nn.MLP(2, [16, 16, 1], ["relu", "relu", "linear"], seed=1337)
    X, y = nn.data.moons(100, noise=0.1, seed=1)
    features = [[Value(v) for v in x] for x in X]
    signs = [Value(1.0 if label > 0 else -1.0) for label in y]
    loss = nn.losses.signed_hinge([model(x) for x in features], signs)
    start = time.perf_counter()
    tape = autograd.record(loss, wrt=model.parameters())
    seconds = time.perf_counter() - start
    assert "in _table:" in tape.source
    # One line per node would be about 88,000 lines; the loop body is one sample's.
    assert tape.source.count("\n") < 10_000
    assert seconds < 2.0  # about 0.05 s here; generous for a loaded machine
    model.zero_grad()
    value = tape.replay()
    got = [p.grad for p in model.parameters()]
    model.zero_grad()
    fresh = nn.losses.signed_hinge([model(x) for x in X], [s.data for s in signs])
    fresh.backward()
    assert bits(value) == bits(fresh.data)
    assert list(map(bits, got)) == [bits(p.grad) for p in model.parameters()]


def test_a_loop_keeps_what_it_must_not_share() -> None:
    from autograd import tape as tape_module

    # A sample's leaf used by another sample, or outside its own: no loop (the
    # gradients' order would differ); the replay is still exact.
    w = Value(0.5)
    xs = [Value(float(i)) for i in range(6)]
    out = autograd.sum([(w * x).tanh() * xs[(i + 1) % 6] for i, x in enumerate(xs)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tape_module, "LOOP_AT_LEAST", 2)
        tape = autograd.record(out)
    assert "_table" not in tape.source
    value = tape.replay()
    got = [w.grad, *(x.grad for x in xs)]
    for leaf in (w, *xs):
        leaf.grad = 0.0
    out.backward()
    assert bits(value) == bits(out.data)
    assert list(map(bits, got)) == [bits(leaf.grad) for leaf in (w, *xs)]


def test_a_loop_reports_the_nodes_asked_for_even_a_samples_leaf() -> None:
    from autograd import tape as tape_module

    w = Value(0.5)
    xs = [Value(float(i)) for i in range(6)]
    outs = [(w * x).tanh() for x in xs]
    for index, also, looped in ((2, [outs[2], w], True), (4, [outs[4], xs[3]], False)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tape_module, "LOOP_AT_LEAST", 2)
            tape = autograd.record(autograd.sum(outs), also=also)
        assert ("in _table:" in tape.source) is looped
        w.data = 0.25
        tape.replay()
        assert tape.values == [math.tanh(0.25 * index), also[1].data]
        w.data = 0.5
