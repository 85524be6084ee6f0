"""Step-through data: order, formulas, numbers, and agreement with backward()."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order
from autograd.step import (
    backward_steps,
    build_expression,
    fmt,
    forward_steps,
    main,
    steps,
    table,
)
from tests.conftest import run_with_reader_gone

from .test_properties import build, instruction


def small_graph() -> tuple[Value, Value, Value]:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    z = a * b
    z.label = "z"
    out = z * 0.5
    out.label = "L"
    return a, b, out


def test_forward_steps_show_symbols_and_numbers() -> None:
    _, _, out = small_graph()
    texts = [step.text for step in forward_steps(out)]
    assert texts == ["z = a · b = 2 · 3 = 6", "L = z · 0.5 = 6 · 0.5 = 3"]


def test_backward_steps_show_the_chain_rule() -> None:
    _, _, out = small_graph()
    texts = [step.text for step in backward_steps(out)]
    assert texts[0] == "∂L/∂L = 1"
    assert texts[1] == "∂L/∂z += ∂L/∂L · 0.5 = 1 · 0.5 = 0.5"
    assert texts[2].splitlines() == [
        "∂L/∂a += ∂L/∂z · b = 0.5 · 3 = 1.5",
        "∂L/∂b += ∂L/∂z · a = 0.5 · 2 = 1",
    ]


def test_unlabelled_nodes_get_short_generated_names() -> None:
    x = Value(1.0)
    y = (x * 2).exp()
    names = [step.name for step in forward_steps(y)]
    assert names == ["n1", "n2"]
    assert "∂n2/∂v1" in backward_steps(y)[-1].text  # x: an unlabelled input


def test_gradients_after_the_last_step_equal_backward() -> None:
    a, b, out = small_graph()
    last = backward_steps(out)[-1].grads
    out.backward()
    assert last["a"] == a.grad and last["b"] == b.grad


@settings(max_examples=60, deadline=None)
@given(
    point=st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3),
    program=st.lists(instruction, min_size=1, max_size=15),
)
def test_step_gradients_equal_backward_on_random_graphs(point, program) -> None:
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    out = build(program, leaves)
    if not isinstance(out, Value) or out.is_leaf:
        return
    last = backward_steps(out)[-1].grads
    out.backward()
    for node in topological_order(out):
        if node.is_leaf:
            assert last.get(node.label, 0.0) == node.grad


@settings(max_examples=60, deadline=None)
@given(
    point=st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3),
    program=st.lists(instruction, min_size=1, max_size=15),
)
def test_no_step_writes_a_sign_after_an_operator(point, program) -> None:
    # "+ -2.125", "+ (−2.125)", "2·−3" or an ASCII minus never appear: a
    # subtraction is "− 2.125" and a negative factor "(−3)".
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    out = build(program, leaves)
    if not isinstance(out, Value) or out.is_leaf:
        return
    for step in steps(out):
        assert not re.search(r"[-+·/^] ?[-−]\d|\+ \(−[\d.e−+]+\)(?![·/^])|-\d", step.text), (
            step.text
        )


def test_backward_step_order_is_reverse_topological() -> None:
    _, _, out = small_graph()
    order = topological_order(out)
    interior = [n for n in reversed(order) if n.operands]
    assert [s.node for s in backward_steps(out)[1:]] == interior


def test_table_numbers_each_step() -> None:
    _, _, out = small_graph()
    text = table(steps(out))
    assert text.splitlines()[0].startswith("  1  forward   z = a · b")
    assert "  3  backward  ∂L/∂L = 1" in text


def test_huge_graphs_are_refused_with_a_way_out() -> None:
    x = Value(1.0)
    for _ in range(300):
        x = x + 1.0
    with pytest.raises(ValueError, match="Step through a part"):
        steps(x)


def test_expression_builder() -> None:
    out = build_expression("(a*b + a).tanh()", ["a=2", "b=-3"])
    assert out.label == "out" and out.op == "tanh"
    for bad, message in (
        (("a*c", ["a=1"]), "the expression uses c, which has no value: add c=<number>"),
        (("a*", ["a=1"]), "not valid"),
        (("a", ["a=x"]), "not a number"),
        (("().__class__", ["a=1"]), "not allowed: attribute access"),
    ):
        with pytest.raises(ValueError, match=message):
            build_expression(*bad)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The command's exit code, stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exit:  # argparse's own errors
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_terminal_command_knows_the_functions_of_the_op_table(capsys) -> None:
    code, out, err = run(capsys, "exp(a) + a.tanh()", "a=1", "--all")
    assert code == 0 and err == ""
    assert "n1 = exp(a) = exp(1) = 2.718" in out
    assert "n2 = tanh(a) = tanh(1) = 0.7616" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["a*b", "a=2"], "the expression uses b, which has no value: add b=<number>"),
        (["exp(a)"], "the expression uses a, which has no value: add a=<number>"),
        (["a.backward()", "a=1"], "backward is not one of the functions"),
        (["a.data", "a=1"], "not allowed: attribute access, in a.data"),
        (["1/0 + a", "a=1"], "1/0 divides by zero"),
        (["a * 9**9**9", "a=1"], "the exponent 387420489 is too large"),
        (["+".join(["a"] * 20_000), "a=1"], "characters long; the limit is 1000"),
        (["(" * 100 + "a" + ")" * 100, "a=1"], "nests brackets 100 deep; the limit is 30"),
        (["[x for x in (a,)]\n", "a=1"], "not allowed: comprehensions"),
        (["a", "a=1", "a=2"], "a is given twice"),
    ],
)
def test_terminal_command_usage_errors_are_one_line(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("python -m autograd.step: error: ") and message in err
    assert "a=2" not in err or "a=2" in argv  # the example is the missing variable


@pytest.mark.parametrize("stop", [EOFError, KeyboardInterrupt])
def test_ctrl_d_or_ctrl_c_at_the_prompt_stops_with_one_line(capsys, monkeypatch, stop) -> None:
    def prompt(text: str) -> str:
        print(text, end="")
        raise stop

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", prompt)
    code, out, err = run(capsys, "a*b", "a=2", "b=3")
    assert code == 2
    assert out.splitlines() == ["  1  forward   out = a · b = 2 · 3 = 6", "  [Enter] next, q quit "]
    assert err == "python -m autograd.step: error: stopped at step 1 of 3\n"


def test_terminal_command_prints_every_step_when_piped() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograd.step", "a*b", "a=2", "b=3"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "1  forward   out = a · b = 2 · 3 = 6"
    assert any("∂out/∂a += ∂out/∂out · b = 1 · 3 = 3" in line for line in lines)
    bad = subprocess.run(
        [sys.executable, "-m", "autograd.step", "a*b", "a=2"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == (
        "python -m autograd.step: error: the expression uses b, which has no value: "
        "add b=<number>\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["-a*b", "a=2", "b=3"],
        ["-a*b", "a=2", "b=3", "--all"],
        ["--all", "-a*b", "a=2", "b=3"],
        ["--", "-a*b", "a=2", "b=3"],
    ],
)
def test_an_expression_may_start_with_a_minus_sign(capsys, argv) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert out.splitlines()[:2] == [
        "  1  forward   n1 = −a = −2 = −2",
        "  2  forward   out = n1 · b = (−2) · 3 = −6",
    ]


def test_a_negative_variable_and_help_still_work(capsys) -> None:
    code, out, _ = run(capsys, "a*b", "a=-2", "b=3")
    assert code == 0 and "out = a · b = (−2) · 3 = −6" in out
    code, out, _ = run(capsys, "-a", "a=1", "-h")
    assert code == 0 and out.startswith("usage: python -m autograd.step")


def test_too_big_an_expression_gets_advice_for_the_command_line(capsys) -> None:
    code, out, err = run(capsys, "+".join(["a"] * 250), "a=1")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "makes 250 nodes, more than 200" in err and "write a shorter one" in err
    assert "Value" not in err  # advice for code, not for a terminal


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_terminal_without_the_math_symbols_gets_ascii_ones(encoding: str) -> None:
    # Windows' cp1252 consoles and ASCII locales cannot show ∂, −, σ or ŷ.
    environment = {**os.environ, "PYTHONIOENCODING": encoding}

    def step_command(*argv: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "autograd.step", *argv], capture_output=True, env=environment
        )
        assert result.returncode == 0 and result.stderr == b"", result.stderr
        return result.stdout.decode(encoding)  # every byte is in the terminal's encoding

    out = step_command("a*b", "a=2", "b=-3")
    times = "*" if encoding == "ascii" else "·"  # cp1252 has the middle dot: it stays
    assert f"dout/da += dout/dout {times} b = 1 {times} (-3) = -3" in out  # − written -
    assert "∂" not in out
    assert ("+/-1000" if encoding == "ascii" else "±1000") in step_command("-h")
    out = step_command("α*a.sigmoid()", "α=2", "a=1")
    assert "sigmoid(a) = sigmoid(1) = 0.7311" in out and "σ" not in out
    assert "out = \\u03b1 " in out  # a letter it lacks, escaped as Python does


def test_the_ascii_fallback_is_undone_when_the_command_returns(monkeypatch) -> None:
    import io

    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["a*b", "a=2", "b=3"]) == 0
    assert stream.errors == "strict"
    stream.flush()
    text = stream.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
    assert "dout/da += dout/dout * b = 1 * 3 = 3" in text


def test_the_step_command_reads_names_as_python_does(capsys) -> None:
    code, out, err = run(capsys, "ﬁ*2", "ﬁ=3", "--all")
    assert code == 0 and err == "" and "out = fi · 2 = 3 · 2 = 6" in out


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # As python -m autograd.step ... | head: the pipe closes before the steps are printed.
    code, err = run_with_reader_gone(["autograd.step", "(a*b + a).tanh()", "a=2", "b=3"])
    assert code == 1 and err == ""


def test_forward_steps_carry_structured_data() -> None:
    _, _, out = small_graph()
    first = forward_steps(out)[0]
    assert (first.name, first.formula, first.inputs, first.node.data) == (
        "z",
        "a · b",
        [2.0, 3.0],
        6.0,
    )
    step = backward_steps(out)[2]
    assert step.upstream == 0.5
    assert [
        (c.parent_name, c.local_formula, c.local_value, c.amount) for c in step.contributions
    ] == [
        ("a", "b", 3.0, 1.5),
        ("b", "a", 2.0, 1.0),
    ]
    assert step.grads == {"a": 1.5, "b": 1.0, "z": 0.5, "L": 1.0}


def test_terminal_command_waits_for_enter_and_stops_at_q() -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "autograd.step", "a*b", "a=2", "b=3"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            chunk = os.read(leader, 1024)
            assert chunk, seen
            seen += chunk

    read_until(b"[Enter] next, q quit")
    assert b"forward" in seen and b"backward" not in seen  # it waits after step 1
    os.write(leader, b"\n")
    read_until(b"2  backward")
    os.write(leader, b"q\n")
    assert process.wait(timeout=10) == 0
    try:
        while chunk := os.read(leader, 1024):
            seen += chunk
    except OSError:
        pass
    os.close(leader)
    assert b"3  backward" not in seen  # quit before the last step


def test_every_running_total_adds_up_to_the_gradient_backward_gives() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    z = a * b
    z.label = "z"
    out = ((z + a).tanh() * a + b * b).exp()
    out.label = "L"
    all_steps = backward_steps(out)
    out.backward()
    last: dict[Value, float] = {}
    sums = 0
    for step in all_steps:
        for c in step.contributions:
            if c.grad_before is None:
                assert c.grad_after == c.amount
            else:
                sums += 1
                assert c.grad_after == c.grad_before + c.amount
                # A negative amount is a subtraction: "0.001341 − 0.004023".
                added = f"+ {fmt(c.amount)}" if c.amount >= 0 else f"− {fmt(-c.amount)}"
                line = f"∂L/∂{c.parent_name} = {fmt(c.grad_before)} {added} = {fmt(c.grad_after)}"
                assert line in step.text
            last[c.parent] = c.grad_after
    assert sums >= 3  # a (three uses) and b (twice)
    for node, total in last.items():
        assert total == node.grad  # exactly, not approximately


def test_the_articles_names_are_found_in_the_graph() -> None:
    import autograd
    import nn

    model = nn.seed_network(seed=0)
    loss = autograd.binary_cross_entropy_with_logits(model.logits([0.5, 1.0]), 1.0)
    names = [step.name for step in forward_steps(loss)]
    assert names == ["z1[0]", "z1[1]", "z1[2]", "a1[0]", "a1[1]", "a1[2]", "z2", "L"]
    first = forward_steps(loss)[0].text
    assert first.startswith("z1[0] = W1[0,0]·x1 + W1[0,1]·x2 + b1[0] = ")
    assert forward_steps(loss)[-1].text.splitlines()[0].startswith("ŷ = σ(z2) = σ(0.9026) = ")
    assert forward_steps(model([0.5, 1.0]))[-1].name == "ŷ"  # the model's own sigmoid


@pytest.mark.parametrize("inputs", ["numbers", "values"])
def test_a_network_of_elementary_ops_gets_the_articles_names_too(inputs: str) -> None:
    import autograd
    import nn

    model = nn.seed_network(seed=0, fused=False)  # b + w·x one op at a time, as micrograd
    x = [0.5, 1.0] if inputs == "numbers" else [Value(0.5), Value(1.0)]
    loss = autograd.binary_cross_entropy_with_logits(model.logits(x), 1.0)
    named = [step.name for step in forward_steps(loss) if not step.name.startswith("n")]
    assert named == ["z1[0]", "z1[1]", "z1[2]", "a1[0]", "a1[1]", "a1[2]", "z2", "L"]
    texts = "\n".join(step.text for step in forward_steps(loss))
    for product in ("W1[0,0] · x1", "W1[2,1] · x2", "W2[0,2] · a1[2]"):
        assert f"= {product} = " in texts
    # Products and the sums before a neuron's last + keep plain names: per
    # hidden neuron 2 products and 1 sum, at the top 3 products and 2 sums.
    plain = [step.name for step in forward_steps(loss) if step.name.startswith("n")]
    assert len(plain) == 3 * 3 + 5


def test_step_through_applies_masks_as_backward_does() -> None:
    # relu(x)·y at x = -1, y = inf: the ReLU's mask sends 0, not inf · 0 = nan.
    x, y = Value(-1.0, label="x"), Value(math.inf, label="y")
    r = x.relu()
    r.label = "r"
    out = r * y
    out.label = "L"
    relu_step = backward_steps(out)[-1]
    (contribution,) = relu_step.contributions
    assert contribution.local_value == 0.0 and contribution.amount == 0.0
    assert relu_step.text == "∂L/∂x += ∂L/∂r · (1 if x > 0 else 0) = inf · 0 = 0"
    last = relu_step.grads
    out.backward()
    assert last["x"] == x.grad == 0.0 and last["y"] == y.grad == 0.0
    a = Value(0.0, label="a")
    power = (a**0.0) * math.inf
    power.label = "L"
    last = backward_steps(power)[-1].grads
    power.backward()
    assert last["a"] == a.grad == 0.0


@pytest.mark.parametrize(
    ("expression", "positive", "negative"),
    [
        ("a + b", "2 + 3", "2 − 3"),
        ("a - b", "2 − 3", "2 − (−3)"),
        ("a * b", "2 · 3", "2 · (−3)"),
        ("b * a", "3 · 2", "(−3) · 2"),
        ("a / b", "2 / 3", "2 / (−3)"),
        ("b ** 2", "3^2", "(−3)^2"),
        ("-b", "−3", "−(−3)"),
        ("b.tanh()", "tanh(3)", "tanh(−3)"),
        ("b + a", "3 + 2", "−3 + 2"),
    ],
)
def test_formulas_with_numbers_write_each_sign(
    expression: str, positive: str, negative: str
) -> None:
    for b, numbers in (("3", positive), ("-3", negative)):
        (step,) = forward_steps(build_expression(expression, ["a=2", f"b={b}"]))
        assert step.text.split(" = ")[2] == numbers, step.text
        assert "-" not in step.text and "+ (−" not in step.text


def test_a_neurons_formula_subtracts_a_negative_bias_and_brackets_a_negative_weight() -> None:
    import autograd
    import nn

    model = nn.seed_network(seed=0)
    neuron = model.layers[0].neurons[0]
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = -0.5, 1.672, -2.125
    loss = autograd.binary_cross_entropy_with_logits(model.logits([0.25, 1.089]), 1.0)
    first = forward_steps(loss)[0].text
    assert first.startswith("z1[0] = W1[0,0]·x1 + W1[0,1]·x2 + b1[0] = ")
    assert "= (−0.5)·0.25 + 1.672·1.089 − 2.125 = " in first


def test_backward_lines_bracket_negative_factors() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b
    out.label = "L"
    lines = backward_steps(out)[1].text.splitlines()
    assert lines == ["∂L/∂a += ∂L/∂L · b = 1 · (−3) = −3", "∂L/∂b += ∂L/∂L · a = 1 · 2 = 2"]
    c = Value(1.0, label="c")
    twice = c * b + c * a  # backward reaches c * a first
    twice.label = "L"
    text = "\n".join(step.text for step in backward_steps(twice))
    assert "∂L/∂c += ∂L/∂n1 · b = 1 · (−3) = −3" in text
    assert "∂L/∂c = 2 − 3 = −1" in text  # a second path: the running sum subtracts


# Languages: the formulas are the same in every language, the words around them are not.


def test_steps_in_chinese_have_the_same_formulas_and_chinese_words() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + a
    out.label = "L"
    english, chinese = steps(out, lang="en"), steps(out, lang="zh")
    assert [s.text for s in english] == [s.text for s in chinese]
    assert {s.phase for s in chinese} == {"forward", "backward"}  # data, not words
    assert [s.phase_name for s in chinese[:2]] == ["正向传播", "正向传播"]
    assert chinese[2].phase_name == "反向传播" and english[2].phase_name == "backward"
    assert chinese[2].note == "反向传播：从 L 开始，它对自身的梯度是 1"
    assert chinese[-1].note.startswith(
        "链式法则：n1 的梯度乘以各自的局部导数，加到 a 和 b 的梯度上"
    )
    assert "a 已经从另一条路径得到过梯度" in chinese[-1].note
    assert english[-1].note.startswith("chain rule: n1's gradient times each local derivative")
    assert [s.seed for s in chinese] == [False, False, True, False, False]


def test_the_chinese_table_lines_up_its_columns() -> None:
    from autograd.language import display_width

    _, _, out = small_graph()
    rows = table(steps(out, lang="zh"), lang="zh").splitlines()
    assert rows[0] == "  1  正向传播  z = a · b = 2 · 3 = 6"
    assert rows[2] == "  3  反向传播  ∂L/∂L = 1   ← 从这里开始"
    english = table(steps(out)).splitlines()
    # Each formula starts in the same column as in English (a Chinese character is two wide).
    for step, zh_row, en_row in zip(steps(out), rows, english):
        formula = step.text.splitlines()[0]
        assert display_width(zh_row[: zh_row.index(formula)]) == en_row.index(formula) == 15


def test_a_running_total_is_noted_in_the_table() -> None:
    out = build_expression("a*b + a", ["a=2", "b=3"])
    rows = table(steps(out)).splitlines()
    assert " " * 19 + "∂out/∂a = 1 + 3 = 4   ← a second path: the gradients add up" in rows
    assert any(
        row.endswith("∂out/∂a = 1 + 3 = 4   ← 第二条路径：梯度相加")
        for row in table(steps(out), lang="zh").splitlines()
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["a*b", "a=2", "b=3", "--lang", "zh"],
        ["--lang", "zh", "a*b", "a=2", "b=3"],
        ["--lang=zh", "a*b", "a=2", "b=3"],
        ["a*b", "--lang", "zh-CN", "a=2", "b=3"],
    ],
)
def test_the_command_speaks_the_language_of_lang(capsys, argv) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "  1  正向传播  out = a · b = 2 · 3 = 6"
    code, out, _ = run(capsys, "a*b", "a=2", "b=3")  # and the language is back afterwards
    assert out.splitlines()[0] == "  1  forward   out = a · b = 2 · 3 = 6"


def test_lang_may_follow_an_expression_that_starts_with_a_minus(capsys) -> None:
    code, out, err = run(capsys, "-a*b", "--lang", "zh", "a=2", "b=3")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "  1  正向传播  n1 = −a = −2 = −2"


def test_the_commands_errors_and_help_speak_chinese(capsys) -> None:
    code, out, err = run(capsys, "a*b", "a=2", "--lang", "zh")
    assert code == 2 and out == ""
    assert err == "python -m autograd.step：错误：表达式用到了 b，但它没有值：请加上 b=<数字>\n"
    code, out, _ = run(capsys, "-h", "--lang", "zh")
    assert code == 0 and out.startswith("用法：python -m autograd.step")
    assert "逐个节点地演示" in out and "显示这段帮助并退出" in out and "选项" in out
    code, out, err = run(capsys, "a", "a=1", "--al", "--bogus", "--lang", "zh")
    assert code == 2 and "无法识别的参数：--bogus" in err and "错误" in err
    code, _, err = run(capsys, "a", "a=1", "--lang", "fr")
    assert (
        code == 2
        and "argument --lang: glassgrad speaks 'en' (English), 'zh' (简体中文); got 'fr'" in err
    )


@pytest.mark.parametrize("stop", [EOFError, KeyboardInterrupt])
def test_the_prompt_speaks_chinese(capsys, monkeypatch, stop) -> None:
    def prompt(text: str) -> str:
        print(text, end="")
        raise stop

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", prompt)
    code, out, err = run(capsys, "a*b", "a=2", "b=3", "--lang", "zh")
    assert code == 2
    assert out.splitlines()[1] == "  [Enter] 下一步，q 退出 "
    assert err == "python -m autograd.step：错误：停在第 1 步（共 3 步）\n"


@pytest.mark.parametrize(
    ("environment", "first"),
    [
        ({"GLASSGRAD_LANG": "zh"}, "正向传播"),
        ({"GLASSGRAD_LANG": "", "LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "正向传播"),
        ({"GLASSGRAD_LANG": "zh", "LANG": "en_US.UTF-8"}, "正向传播"),
        ({"GLASSGRAD_LANG": "en", "LANG": "zh_CN.UTF-8"}, "forward"),
    ],
)
def test_the_command_follows_glassgrad_lang_then_the_locale(environment, first) -> None:
    env = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", **environment}
    result = subprocess.run(
        [sys.executable, "-m", "autograd.step", "a*b", "a=2", "b=3"],
        capture_output=True,
        env=env,
        check=True,
    )
    assert result.stdout.decode("utf-8").split()[1] == first


def test_a_bad_language_for_the_steps_is_a_clear_error() -> None:
    _, _, out = small_graph()
    with pytest.raises(ValueError, match="'en' \\(English\\), 'zh' \\(简体中文\\)"):
        steps(out, lang="fr")
