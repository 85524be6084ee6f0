"""Expressions from text: the grammar, the limits, refusals, and agreement with Python on Values."""

from __future__ import annotations

import ast
import math
import os
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, floatmath, topological_order
from autograd.expression import (
    FUNCTIONS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NESTING,
    build_expression,
)
from autograd.ops import OPS, Op
from autograd.step import build_expression as public_build_expression

ESCAPES = [
    "().__class__.__bases__[0].__subclasses__()",
    "a.__class__",
    "a.__class__.__init__.__globals__['os'].system('echo hacked')",
    "(g for g in [a]).gi_frame.f_back.f_globals",
    "[g.gi_frame.f_back.f_back.f_globals for g in [(h for h in [a])]]",
    "[*(g := (g.gi_frame.f_back.f_back.f_globals['os'].system('true') for _ in [1]))]",
    "(x for x in [a]).gi_frame.f_builtins",
    "a.exp.__globals__",
    "a.exp.__self__",
    "a.tanh.__func__",
    "__import__('os').system('true')",
    "getattr(a, 'data')",
    "vars()",
    "globals()",
    "exec('1')",
    "open('/etc/passwd')",
    "print(a)",
    "Value(1)",
    "a.__add__(a)",
    "lambda: a",
    "(lambda: 0)()",
    "[x for x in (a,)]",
    "{x for x in (a,)}",
    "{x: x for x in (a,)}",
    "(x for x in (a,))",
    "(1).real",
    "(1.5).hex()",
    "f'{a}'",
    "'a'",
    "b'a'",
    "True",
    "None",
    "...",
    "1j * a",
    "a.data",
    "a.grad",
    "a.operands",
    "a.backward()",
    "a.detach()",
    "a[0]",
    "a[0:1]",
    "(a, a)",
    "[a]",
    "{'a': a}",
    "a if a else a",
    "a < 1",
    "a and a",
    "not a",
    "~a",
    "a // 2",
    "a % 2",
    "a @ a",
    "a ^ 2",
    "a | a",
    "a << 1",
    "(y := a)",
    "await a",
    "(yield a)",
    "a()",
    "exp",
    "exp(a, a)",
    "exp()",
    "exp(x=a)",
    "exp(*[a])",
    "a.tanh(1)",
    "a.tanh(x=1)",
    "a.tanh(**{})",
    "a; a",
    "import os",
    "a\x00",
]


@pytest.mark.parametrize("text", ESCAPES)
def test_escape_patterns_are_refused_and_run_nothing(text: str, monkeypatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(os, "popen", lambda *args: calls.append(args))
    with pytest.raises(ValueError):
        build_expression(text, ["a=1"])
    assert calls == []


def test_refusals_name_what_is_not_allowed() -> None:
    for text, named in [
        ("a.data", "attribute access, in a.data"),
        ("a[0]", "indexing, in a[0]"),
        ("[x for x in (a,)]", "comprehensions"),
        ("lambda: a", "lambda"),
        ("f'{a}' ", "f-strings"),
        ("'a'", "strings"),
        ("True * a", "True/False"),
        ("(y := a)", "assignment (:=)"),
        ("a ^ 2", "the operator ^ (for a power write **)"),
        ("a.backward()", "backward is not one of the functions exp, log, relu, sigmoid, tanh"),
        ("print(a)", "print is not one of the functions"),
        ("tanh(x=a)", "write tanh(x), with no other arguments"),
        ("a.exp(2)", "write x.exp(), with no other arguments"),
    ]:
        with pytest.raises(ValueError) as caught:
            build_expression(text, ["a=1"])
        assert named in str(caught.value), (text, str(caught.value))
        assert "\n" not in str(caught.value)


def test_the_functions_are_the_one_input_ops_of_the_table_with_a_method() -> None:
    expected = {
        name
        for name, op in OPS.items()
        if isinstance(op, Op) and len(op.rules) == 1 and hasattr(Value, name)
    }
    assert set(FUNCTIONS) == expected == {"exp", "log", "relu", "sigmoid", "tanh"}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_works_as_a_method_and_as_a_function(name: str) -> None:
    a = Value(0.7)
    reference = getattr(a, name)()
    reference.backward()
    for text in (f"{name}(a)", f"a.{name}()", f"({name}(a))", f"(a).{name}()"):
        out = build_expression(text, ["a=0.7"])
        assert out.op == name and out.data == reference.data
        out.backward()
        (leaf,) = out.parents
        assert leaf.label == "a" and leaf.grad == a.grad


def test_the_public_name_in_step_is_this_function() -> None:
    assert public_build_expression is build_expression


def test_missing_variables_are_named_with_the_assignment_to_add() -> None:
    with pytest.raises(ValueError, match=r"uses b, which has no value: add b=<number>$"):
        build_expression("a*b", ["a=2"])
    with pytest.raises(ValueError, match=r"uses b and c, .*: add b=<number> c=<number>$"):
        build_expression("a*b + c*b", ["a=2"])
    with pytest.raises(ValueError, match=r"exp is a function: call it"):
        build_expression("exp + a", ["a=2"])


def test_assignments_are_checked() -> None:
    for assignments, message in (
        (["a=x"], "not a number"),
        (["a"], "name=number"),
        (["lambda=1"], "name=number"),
        (["a=1", "a=2"], "a is given twice"),
        (["exp=1"], "exp is the name of a function"),
    ):
        with pytest.raises(ValueError, match=message):
            build_expression("a", assignments)


@pytest.mark.parametrize(
    ("expression", "assignment"),
    [("ﬁ*2", "ﬁ=3"), ("fi*2", "ﬁ=3"), ("ﬁ*2", "fi=3"), ("ｘ*2", "x=3"), ("x*2", "ｘ=3")],
)
def test_names_are_read_in_nfkc_form_as_python_reads_them(expression: str, assignment: str) -> None:
    # Python's parser reads "ﬁ" (a ligature) as the name "fi", so must the assignments.
    out = build_expression(expression, [assignment])
    assert out.data == 6.0
    (leaf,) = out.parents
    assert leaf.label == unicodedata.normalize("NFKC", assignment.split("=")[0])


def test_one_name_written_two_ways_is_given_twice() -> None:
    with pytest.raises(ValueError, match=r"fi is given twice \(as ﬁ, which Python reads as fi\)"):
        build_expression("fi", ["fi=1", "ﬁ=2"])
    with pytest.raises(ValueError, match="tanh is the name of a function"):
        build_expression("a", ["ｔａｎｈ=1"])


def test_syntax_errors_and_numbers_only_are_usage_errors() -> None:
    with pytest.raises(ValueError, match="not valid"):
        build_expression("a*", ["a=1"])
    with pytest.raises(ValueError, match="at least one variable"):
        build_expression("2 * 3", ["a=1"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1/0 + a", r"1/0 divides by zero"),
        ("a * (0/0)", r"0/0 divides by zero"),
        ("a * 10**400", r"10\*\*400 is inf"),
        ("a * (10.0**300 * 10.0**300)", r"is inf, not a finite number"),
        ("a * log(0)", r"log\(0\) is -inf"),
        ("a * (-8)**(1/3)", r"is nan, not a finite number"),
        ("a * 1e999", r"1e999 is inf"),
        ("a * " + "9" * 400, r"is too large"),
        ("a * 9**9**9", rf"the exponent 387420489 is too large; the limit is ±{MAX_EXPONENT}"),
        ("a ** 2000", r"the exponent 2000 is too large"),
        ("2 ** -1001 * a", r"the exponent -1001 is too large"),
    ],
)
def test_plain_number_arithmetic_never_blows_up(text: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError, match=message):
        build_expression(text, ["a=1"])
    assert time.perf_counter() - started < 1.0


def test_parts_with_a_variable_follow_the_engine() -> None:
    assert build_expression("a/0", ["a=1"]).data == math.inf
    assert math.isnan(build_expression("a**0.5", ["a=-1"]).data)
    assert build_expression("a**1000", ["a=1"]).data == 1.0


def test_limits_answer_at_once() -> None:
    for text, message in (
        ("+".join(["a"] * 20_000), f"characters long; the limit is {MAX_LENGTH}"),
        ("(" * 10_000 + "a" + ")" * 10_000, "characters long"),
        ("(" * (MAX_NESTING + 1) + "a" + ")" * (MAX_NESTING + 1), f"the limit is {MAX_NESTING}"),
        ("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "nests brackets"),
    ):
        started = time.perf_counter()
        with pytest.raises(ValueError, match=message):
            build_expression(text, ["a=1"])
        assert time.perf_counter() - started < 1.0


def test_the_longest_and_deepest_expressions_allowed_work() -> None:
    deep = "(" * MAX_NESTING + "a" + ")" * MAX_NESTING
    assert build_expression(deep, ["a=1"]).label == "a"
    chain = "-" * (MAX_LENGTH - 1) + "a"  # a deep tree without brackets
    assert build_expression(chain, ["a=2"]).data == -2.0
    terms = "+".join(["a"] * (MAX_LENGTH // 2))  # left-nested, 500 deep
    out = build_expression(terms, ["a=1"])
    out.backward()
    assert out.data == MAX_LENGTH // 2


def test_a_parser_that_gives_up_is_a_usage_error(monkeypatch) -> None:
    for error in (RecursionError, MemoryError):

        def give_up(*args, error=error, **kwargs):
            raise error

        monkeypatch.setattr(ast, "parse", give_up)
        with pytest.raises(ValueError, match="too complex"):
            build_expression("a", ["a=1"])


# Random expressions from the grammar, as (text, the same built with Python on Values).

NAMES = ["a", "b", "c"]
BINARY = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y}
BINARY |= {"/": lambda x, y: x / y, "**": lambda x, y: x**y}


class Invalid(Exception):
    """A part made only of numbers that the grammar refuses (not finite, too big)."""


def plain(result: object) -> float:
    """A plain-number part as the grammar requires it: a finite float."""
    if not isinstance(result, float) or not math.isfinite(result):
        raise Invalid
    return result


def leaves() -> st.SearchStrategy:
    numbers = st.one_of(
        st.integers(0, 12).map(str),
        st.sampled_from([0.0, 0.5, 1.5, 2.0, 3.25, 1e-3]).map(repr),
    )
    return st.one_of(
        st.sampled_from(NAMES).map(lambda name: (name, lambda env, name=name: env[name])),
        numbers.map(lambda text: (text, lambda env, text=text: float(text))),
    )


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    def binary(symbol, left, right):
        (lt, lf), (rt, rf) = left, right

        def build(env):
            x, y = lf(env), rf(env)
            if symbol == "**" and not isinstance(y, Value) and abs(y) > MAX_EXPONENT:
                raise Invalid
            if isinstance(x, Value) or isinstance(y, Value):
                return BINARY[symbol](x, y)
            try:
                return plain(BINARY[symbol](x, y))
            except (ZeroDivisionError, OverflowError):
                raise Invalid from None

        return f"({lt}) {symbol} ({rt})", build

    def unary(symbol, child):
        text, f = child
        return f"{symbol}({text})", (lambda env: -f(env)) if symbol == "-" else f

    def call(name, as_method, child):
        text, f = child

        def build(env):
            x = f(env)
            if isinstance(x, Value):
                return getattr(x, name)()
            return plain(getattr(floatmath, name)(x))

        return (f"({text}).{name}()" if as_method else f"{name}({text})"), build

    return st.one_of(
        st.builds(binary, st.sampled_from(sorted(BINARY)), children, children),
        st.builds(unary, st.sampled_from(["-", "+"]), children),
        st.builds(call, st.sampled_from(sorted(FUNCTIONS)), st.booleans(), children),
    )


expressions = st.recursive(leaves(), extend, max_leaves=8)


def same(x: float, y: float) -> bool:
    return x == y or (math.isnan(x) and math.isnan(y))


@settings(max_examples=300, deadline=None)
@given(expression=expressions, point=st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=3))
def test_random_expressions_equal_python_on_values(expression, point) -> None:
    text, build = expression
    assignments = [f"{name}={x!r}" for name, x in zip(NAMES, point)]
    env = {name: Value(x, label=name) for name, x in zip(NAMES, point)}
    try:
        expected = build(env)
    except Invalid:
        expected = None
    if not isinstance(expected, Value) or len(text) > MAX_LENGTH or nesting(text) > MAX_NESTING:
        with pytest.raises(ValueError):
            build_expression(text, assignments)
        return
    out = build_expression(text, assignments)
    assert same(out.data, expected.data), text
    out.backward()
    expected.backward()
    built = {node.label: node.grad for node in topological_order(out) if node.is_leaf}
    for name in NAMES:
        assert same(built.get(name, 0.0), env[name].grad), (text, name)


def nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def test_variables_can_be_a_dict_or_one_string() -> None:
    expected = build_expression("a*b + a", ["a=2", "b=-3"]).data
    assert build_expression("a*b + a", {"a": 2, "b": -3}).data == expected
    assert build_expression("a*b + a", "a=2 b=-3").data == expected
    with pytest.raises(ValueError, match="write variables as name=number"):
        build_expression("a*b", [("a", 2)])  # type: ignore[list-item]


def test_every_refusal_has_its_words_in_every_language() -> None:
    import autograd.expression as expression
    from autograd.language import LANGUAGES, catalogue

    keys = {*expression._CONSTANTS.values(), *expression._SYMBOLS.values()}
    keys |= {*expression._KINDS.values()}
    for lang in LANGUAGES:
        assert keys - set(catalogue(lang)) == set(), lang


@pytest.mark.parametrize(
    ("expression", "assignments", "chinese"),
    [
        ("a*c", ["a=1"], "表达式用到了 c，但它没有值：请加上 c=<数字>"),
        ("a*b*c", ["a=1"], "表达式用到了 b 和 c，但它们没有值"),
        ("a.data", ["a=1"], "不允许使用属性访问（在 a.data 中）"),
        ("a // 2", ["a=1"], "不允许使用运算符 //"),
        ("a*", ["a=1"], "表达式写得不对"),
        ("a", ["a=x"], "'x' 不是数字"),
        ("1/0 + a", ["a=1"], "1/0 除以了零"),
        ("exp + a", ["a=1"], "exp 是一个函数"),
        ("a", ["a=1", "a=2"], "a 给了两次"),
    ],
)
def test_refusals_speak_chinese_when_asked(expression: str, assignments, chinese: str) -> None:
    from autograd.language import using_language

    with using_language("zh"), pytest.raises(ValueError) as refused:
        build_expression(expression, assignments)
    assert chinese in str(refused.value)
    with pytest.raises(ValueError) as english:
        build_expression(expression, assignments)
    assert not any("\u4e00" <= char <= "\u9fff" for char in str(english.value))
