"""Points of your own from CSV: ``nn.data.parse_csv`` and ``nn.data.from_csv``."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn.data import CSVError, from_csv, parse_csv

finite = st.floats(allow_nan=False, allow_infinity=False)
points = st.lists(st.tuples(finite, finite, st.sampled_from([0.0, 1.0])), min_size=1, max_size=30)


@given(points, st.booleans())
def test_points_written_as_csv_read_back_exactly(rows, header) -> None:  # type: ignore[no-untyped-def]
    text = ("x1,x2,label\n" if header else "") + "".join(
        f"{a!r},{b!r},{label:g}\n" for a, b, label in rows
    )
    features, labels = parse_csv(text)
    assert features == [[a, b] for a, b, _ in rows]
    assert labels == [label for _, _, label in rows]


def test_spacing_quotes_blank_lines_comments_and_line_endings() -> None:
    text = '\ufeff# my points\r\n x1 , x2 , label \r\n\r\n"0.5", -1e-3 ,1\r\n# more\r\n2,3,0.0'
    assert parse_csv(text) == ([[0.5, -0.001], [2.0, 3.0]], [1.0, 0.0])


def test_a_csv_trains() -> None:
    X, y = parse_csv("0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    assert (X, y) == nn.data.xor()
    history = nn.fit(nn.seed_network(), X, y, epochs=3, lr=0.5)
    assert len(history.loss) == 3


BAD_ROWS = [
    # (text, row, what the reason says)
    ("x1,x2,label\n0,0,0\n0.5,abc,1\n", 3, "x2 is 'abc', not a number"),
    ("0,0\n", 1, "expected 3 values"),
    ("0,0,0\n\n1;2;1\n", 3, "got 1"),
    ("0,0,0,0\n", 1, "got 4"),
    ("1,2,2\n", 1, "label is '2'; a label is 0 or 1"),
    ("1,2,-1\n", 1, "For -1/+1 labels"),
    ("1,2,yes\n", 1, "label is 'yes'"),
    ("1,2,nan\n", 1, "label is 'nan'"),
    ("nan,2,1\n", 1, "x1 is 'nan'; features must be finite"),
    ("1,inf,1\n", 1, "x2 is 'inf'; features must be finite"),
    ("1,,1\n", 1, "x2 is '', not a number"),
    ("a,b\n1,2,1\n", 1, "expected 3 values"),  # a header must have three names
]


@pytest.mark.parametrize(("text", "row", "reason"), BAD_ROWS)
def test_a_bad_row_is_named_with_what_is_wrong(text: str, row: int, reason: str) -> None:
    with pytest.raises(CSVError) as caught:
        parse_csv(text)
    assert caught.value.row == row
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"the text, row {row}: ")
    assert isinstance(caught.value, ValueError)


def test_only_the_first_row_can_be_a_header() -> None:
    with pytest.raises(CSVError) as caught:
        parse_csv("x1,x2,label\n1,2,1\nx1,x2,label\n")
    assert caught.value.row == 3 and "x1 is 'x1'" in caught.value.reason


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "x1,x2,label\n"])
def test_no_rows_is_an_error(text: str) -> None:
    with pytest.raises(CSVError, match="no data rows") as caught:
        parse_csv(text)
    assert caught.value.row is None


def test_size_is_bounded() -> None:
    text = "0,0,0\n" * 5
    assert len(parse_csv(text, max_rows=5)[0]) == 5
    with pytest.raises(CSVError, match="more than 4 rows") as caught:
        parse_csv(text, max_rows=4)
    assert caught.value.row == 5
    with pytest.raises(CSVError, match=f"more than {len(text) - 1} characters"):
        parse_csv(text, max_bytes=len(text) - 1)
    with pytest.raises(ValueError, match="max_rows must be a whole number"):
        parse_csv(text, max_rows=-1)


def test_parse_csv_takes_text() -> None:
    with pytest.raises(CSVError, match="from_csv"):
        parse_csv(b"0,0,0\n")  # type: ignore[arg-type]


def test_from_csv_reads_a_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,label\n0.25,0.5,1\n-1,2,0\n", encoding="utf-8")
    assert from_csv(path) == ([[0.25, 0.5], [-1.0, 2.0]], [1.0, 0.0])
    path.write_text("x1,x2,label\n0.25,0.5,1\n-1,2,3\n", encoding="utf-8")
    with pytest.raises(CSVError) as caught:
        from_csv(path)
    assert str(caught.value).startswith(f"{path}, row 3: label is '3'")


def test_from_csv_refuses_files_it_cannot_use(tmp_path: Path) -> None:
    with pytest.raises(CSVError, match="no such file"):
        from_csv(tmp_path / "missing.csv")
    with pytest.raises(CSVError, match="not a regular file"):
        from_csv(tmp_path)
    big = tmp_path / "big.csv"
    big.write_text("0,0,0\n" * 100, encoding="utf-8")
    with pytest.raises(CSVError, match="600 bytes is more than the limit of 599"):
        from_csv(big, max_bytes=599)
    assert len(from_csv(big, max_bytes=600)[0]) == 100
    latin = tmp_path / "latin.csv"
    latin.write_bytes("x1,x2,étiquette\n0,0,0\n".encode("latin-1"))
    with pytest.raises(CSVError, match="not UTF-8"):
        from_csv(latin)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_from_csv_does_not_wait_on_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    with pytest.raises(CSVError, match="not a regular file"):
        from_csv(pipe)


def test_a_label_of_minus_zero_is_zero() -> None:
    _, y = parse_csv("1,2,-0\n")
    assert y == [0.0] and math.copysign(1.0, y[0]) == 1.0


def test_a_csv_of_several_classes() -> None:
    text = "x1,x2,label\n0,0,0\n1,1,2\n2,2,1\n"
    assert parse_csv(text, classes=3) == ([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [0.0, 2.0, 1.0])
    with pytest.raises(CSVError) as caught:
        parse_csv(text)  # two classes by default
    assert caught.value.row == 3 and "a label is 0 or 1" in caught.value.reason
    for label in ("3", "1.5", "-1"):
        with pytest.raises(CSVError, match=f"label is '{label}'; a label is a class, a whole"):
            parse_csv(f"0,0,{label}\n", classes=3)
    with pytest.raises(ValueError, match="classes is a whole number from 2 to 10"):
        parse_csv(text, classes=1)


def test_a_csv_is_explained_in_chinese_too(tmp_path: Path) -> None:
    from autograd.language import using_language

    with using_language("zh"):
        with pytest.raises(CSVError) as caught:
            parse_csv("x1,x2,label\n0,0,0\n0.5,abc,1\n")
        assert str(caught.value) == "这段文本，第 3 行：x2 是 'abc'，不是数"
        with pytest.raises(CSVError, match="没有这个文件"):
            from_csv(tmp_path / "missing.csv")
        with pytest.raises(ValueError, match="batch_size 必须是至少为 1 的整数"):
            list(nn.data.batches([[0.0, 0.0]], [0.0], batch_size=0))
