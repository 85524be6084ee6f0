"""gradcheck passes on correct gradients and reports a readable mismatch."""

from __future__ import annotations

import re

import pytest

from autograd import GradcheckError, Value, gradcheck


def test_gradcheck_passes_on_a_composite_function() -> None:
    assert gradcheck(lambda a, b: (a * b).tanh() / b + a**b + (a - b).sigmoid(), [0.3, 1.7])


def test_gradcheck_reports_a_wrong_gradient() -> None:
    def wrong(x: Value) -> Value:
        # detach() hides part of the dependence on x: analytic != numeric.
        return x * x.detach()

    with pytest.raises(GradcheckError) as error:
        gradcheck(wrong, [Value(3.0, label="x")])
    report = str(error.value)
    assert "x" in report and "analytic" in report and "numeric" in report
    assert "MISMATCH" in report and "3" in report and "6" in report


def test_gradcheck_needs_a_value() -> None:
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 1.0, [1.0])  # type: ignore[arg-type, return-value]


def test_arguments_the_wrong_way_round_are_clear_errors() -> None:
    with pytest.raises(TypeError, match=r"f must be a function of the inputs, such as lambda"):
        gradcheck(3, [1.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"inputs is a list of numbers, such as \[2\.0\]"):
        gradcheck(lambda a: a * a, 2.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_failure_table_is_in_the_language_and_its_columns_line_up(lang: str) -> None:
    from autograd.language import display_width, text, using_language

    with using_language(lang), pytest.raises(GradcheckError) as failure:
        gradcheck(lambda a, b: a.relu() * b, [0.0, 2.0])  # ReLU's kink: 0 against 1
    header, first, _ = str(failure.value).splitlines()[1:]
    assert text("gradcheck.column.analytic", lang) in header
    assert first.rstrip().endswith(text("gradcheck.mismatch", lang))
    # Each heading ends where its column's numbers end (a Chinese character is two columns).
    ends = [display_width(header[: m.end()]) for m in re.finditer(r"\S+", header)]
    numbers = [display_width(first[: m.end()]) for m in re.finditer(r"\S+", first)][:4]
    assert ends == numbers
