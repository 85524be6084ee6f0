"""Small seeded 2-D datasets, points of your own from CSV, splitting and batching.

Every generator returns ``(X, y)``: X a list of ``[x1, x2]`` feature pairs,
y a list of labels: 0/1, or 0, 1, 2, ... for ``classes=3`` and more. The
same seed always gives the same points.
``from_csv(path)`` and ``parse_csv(text)`` read points of your own, one
``x1,x2,label`` row each, into the same shape. What a learner reads when
something cannot be used is in the message catalogue (``error.data.*``).
"""

from __future__ import annotations

import math
import numbers
import os
import random
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from autograd.language import text

Dataset = tuple[list[list[float]], list[float]]


def xor(n: int = 4, noise: float = 0.0, seed: int = 0) -> Dataset:
    """The XOR problem: label 1 when exactly one coordinate is 1.

    With the defaults, the four corners of the unit square. A larger ``n``
    repeats the corners with Gaussian ``noise``.
    """
    _check_size(n, 4)
    _check_scale(noise, "noise")
    rng = random.Random(seed)
    corners = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]
    X, y = [], []
    for i in range(n):
        (a, b), label = corners[i % 4]
        X.append([a + rng.gauss(0, noise), b + rng.gauss(0, noise)] if noise else [a, b])
        y.append(label)
    return X, y


def moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles."""
    _check_size(n, 2)
    _check_scale(noise, "noise")
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        t = math.pi * rng.random()
        if label == 0:
            point = [math.cos(t), math.sin(t)]
        else:
            point = [1.0 - math.cos(t), 0.5 - math.sin(t)]
        X.append([point[0] + rng.gauss(0, noise), point[1] + rng.gauss(0, noise)])
        y.append(float(label))
    return X, y


def circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> Dataset:
    """A small circle (label 1) inside a big one (label 0)."""
    _check_size(n, 2)
    _check_scale(noise, "noise")
    _check_scale(factor, "factor")
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        radius = factor if label else 1.0
        t = 2 * math.pi * rng.random()
        X.append(
            [radius * math.cos(t) + rng.gauss(0, noise), radius * math.sin(t) + rng.gauss(0, noise)]
        )
        y.append(float(label))
    return X, y


def spirals(
    n: int = 100, noise: float = 0.05, turns: float = 1.5, seed: int = 0, classes: int = 2
) -> Dataset:
    """Interleaved spiral arms, one per class (two by default), labels 0, 1, ..."""
    _check_size(n, 2)
    _check_scale(noise, "noise")
    _check_scale(turns, "turns")
    classes = _check_classes(classes, n)
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % classes
        r = rng.random()
        # Arm k starts k/classes of a turn further round (two arms: 0 and π).
        t = turns * 2 * math.pi * r + (2 * math.pi * label / classes if label else 0.0)
        X.append([r * math.cos(t) + rng.gauss(0, noise), r * math.sin(t) + rng.gauss(0, noise)])
        y.append(float(label))
    return X, y


def blobs(n: int = 100, spread: float = 0.4, seed: int = 0, classes: int = 2) -> Dataset:
    """Gaussian clusters, one per class: linearly separable.

    Two classes sit around (−1, −1) and (1, 1); more sit evenly on a circle
    of radius 1.5 around the origin, class 0 at the top. Labels 0, 1, ...
    """
    _check_size(n, 2)
    _check_scale(spread, "spread")
    classes = _check_classes(classes, n)
    rng = random.Random(seed)
    if classes == 2:
        centers = [(-1.0, -1.0), (1.0, 1.0)]
    else:
        angles = [math.pi / 2 + 2 * math.pi * k / classes for k in range(classes)]
        centers = [(1.5 * math.cos(a), 1.5 * math.sin(a)) for a in angles]
    X, y = [], []
    for i in range(n):
        label = i % classes
        cx, cy = centers[label]
        X.append([cx + rng.gauss(0, spread), cy + rng.gauss(0, spread)])
        y.append(float(label))
    return X, y


#: The most classes a generator makes: more than a small network shows well.
MAX_CLASSES = 10


def _check_classes(classes: int, n: int) -> int:
    """``classes`` as an int from 2 to ``MAX_CLASSES``, and at most ``n``."""
    whole = isinstance(classes, int) and not isinstance(classes, bool)
    if not whole or not 2 <= classes <= min(MAX_CLASSES, n):
        raise ValueError(text("error.data.classes", most=min(MAX_CLASSES, n), given=repr(classes)))
    return classes


DATASETS = {"xor": xor, "moons": moons, "circles": circles, "spirals": spirals, "blobs": blobs}


# Points of your own: one ``x1,x2,label`` row per point.

#: The most data rows ``parse_csv`` and ``from_csv`` read unless told
#: otherwise: ten thousand points, far more than a scalar engine trains on
#: in reasonable time.
MAX_CSV_ROWS = 10_000
#: The largest CSV file (in bytes) or text (in characters) read unless told
#: otherwise: 1 MiB, room for the rows above with long numbers.
MAX_CSV_BYTES = 1024 * 1024
#: The columns of a row, in order.
CSV_COLUMNS = ("x1", "x2", "label")


class CSVError(ValueError):
    """Points in CSV that cannot be used: which row, and what is wrong with it.

    Attributes:
        row: the line number of the bad row, counted from 1 as an editor
            counts lines (a header and blank lines included); None when the
            trouble is the whole text or file (too big, missing, no rows).
        reason: what is wrong, in a sentence (without the row and source),
            for a page that shows it beside the row.
        source: where the text came from: a file's path, or "the text"
            (in the learner's language) when None is given.
    """

    def __init__(self, reason: str, row: int | None = None, source: str | None = None) -> None:
        if source is None:
            source = text("error.data.csv.the_text")
        self.row, self.reason, self.source = row, reason, source
        if row is None:
            said = text("error.data.csv.in_source", source=source, reason=reason)
        else:
            said = text("error.data.csv.at_row", source=source, row=row, reason=reason)
        super().__init__(said)


def parse_csv(
    text: str,
    *,
    max_rows: int = MAX_CSV_ROWS,
    max_bytes: int = MAX_CSV_BYTES,
    classes: int = 2,
) -> Dataset:
    """Points from CSV text: one ``x1,x2,label`` row per point.

    Blank lines and lines starting with ``#`` are skipped, as is a first
    row of three names (such as ``x1,x2,label``). Values may be padded with
    spaces or wrapped in double quotes. Features are finite numbers; a
    label is 0 or 1, or with ``classes=k`` a class from 0 to k − 1. The
    whole text is checked before anything is returned: a bad row anywhere
    gives an error, never part of the points.

    Args:
        text: the CSV text (pasted points, say).
        max_rows: the most data rows to accept.
        max_bytes: the longest text to accept, in characters.
        classes: how many classes the labels may name, from 2 (0/1, the
            default) to ``MAX_CLASSES`` (for ``loss="cross_entropy"``).

    Returns:
        ``(X, y)``: X a list of ``[x1, x2]`` pairs, y a list of labels
        (0.0, 1.0, ...), as the generators above give them.

    Raises:
        CSVError (a ValueError): naming the first bad row (its line number,
            ``error.row``) and what is wrong with it (``error.reason``); or
            the text is too long, over ``max_rows`` rows, or has no rows.
        ValueError: for a limit or a number of classes that is not one.
    """
    rows, limit = _limit(max_rows, "max_rows"), _limit(max_bytes, "max_bytes")
    return _parse_csv(text, rows, limit, _check_classes(classes, MAX_CLASSES))


def from_csv(
    path: str | Path,
    *,
    max_rows: int = MAX_CSV_ROWS,
    max_bytes: int = MAX_CSV_BYTES,
    classes: int = 2,
) -> Dataset:
    """Points from a CSV file: one ``x1,x2,label`` row per point (see ``parse_csv``).

    Args:
        path: a UTF-8 text file (a spreadsheet's CSV export works: its
            byte order mark is skipped).
        max_rows: the most data rows to accept.
        max_bytes: the largest file to read, in bytes; a bigger one is
            refused before it is read.
        classes: how many classes the labels may name (2, 0/1, by default).

    Returns:
        ``(X, y)``, ready for ``nn.fit(model, X, y)``.

    Raises:
        CSVError (a ValueError): for a missing, unreadable or too big file,
            one that is not UTF-8, or a bad row (its line number and what is
            wrong). Nothing is returned unless every row is good.
    """
    rows = _limit(max_rows, "max_rows")
    limit = _limit(max_bytes, "max_bytes")
    classes = _check_classes(classes, MAX_CLASSES)
    csv_text = _read_csv_file(Path(path), limit)
    return _parse_csv(csv_text, rows, None, classes, source=str(path))


def _parse_csv(
    csv_text: str, max_rows: int, max_chars: int | None, classes: int, source: str | None = None
) -> Dataset:
    if not isinstance(csv_text, str):
        kind = type(csv_text).__name__
        raise CSVError(text("error.data.csv.not_text", kind=kind), source=source)
    if max_chars is not None and len(csv_text) > max_chars:
        raise CSVError(text("error.data.csv.too_long", limit=max_chars), source=source)
    X: list[list[float]] = []
    y: list[float] = []
    first = True
    for number, line in enumerate(csv_text.removeprefix("\ufeff").split("\n"), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [_unquoted(field) for field in line.split(",")]
        if first and len(fields) == 3 and not any(_is_number(field) for field in fields):
            first = False
            continue  # a header row of names
        first = False
        if len(X) == max_rows:
            raise CSVError(text("error.data.csv.rows", limit=max_rows), number, source)
        try:
            point, label = _csv_row(fields, line, classes)
        except ValueError as error:
            raise CSVError(str(error), number, source) from None
        X.append(point)
        y.append(label)
    if not X:
        raise CSVError(text("error.data.csv.empty"), source=source)
    return X, y


def _csv_row(fields: list[str], line: str, classes: int) -> tuple[list[float], float]:
    """One row's point and label, or a ValueError saying what is wrong with it."""
    if len(fields) != len(CSV_COLUMNS):
        raise ValueError(text("error.data.csv.fields", count=len(fields), text=repr(line)))
    x1, x2 = (_csv_feature(column, field) for column, field in zip(CSV_COLUMNS[:2], fields))
    try:
        label = float(fields[2])
    except ValueError:
        label = math.nan
    if label not in range(classes):  # 1.5 and nan too
        if classes == 2:
            raise ValueError(text("error.data.csv.label", text=repr(fields[2])))
        raise ValueError(text("error.data.csv.class", text=repr(fields[2]), last=classes - 1))
    return [x1, x2], label + 0.0  # + 0.0: a label of -0 is 0


def _csv_feature(column: str, field: str) -> float:
    try:
        value = float(field)
    except ValueError:
        raise ValueError(text("error.data.csv.number", column=column, text=repr(field))) from None
    if not math.isfinite(value):
        raise ValueError(text("error.data.csv.finite", column=column, text=repr(field)))
    return value


def _unquoted(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].strip()
    return field


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _limit(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(text("error.data.csv.limit", name=name, given=repr(value)))
    return int(value)


def _read_csv_file(path: Path, limit: int) -> str:
    """The text of a regular file of at most ``limit`` bytes, or a CSVError."""
    source = str(path)
    try:
        # Look before opening: opening a FIFO to read waits for a writer.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise CSVError(text("error.data.csv.not_a_file"), source=source)
        if info.st_size > limit:
            size = text("error.data.csv.bytes", count=info.st_size)
            raise CSVError(text("error.data.csv.too_big", size=size, limit=limit), source=source)
        # O_NONBLOCK: should the path be swapped for a FIFO meanwhile, do not wait.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(path, flags), "rb") as file:
            data = file.read(limit + 1)  # a file that grew meanwhile is still bounded
    except FileNotFoundError:
        raise CSVError(text("error.data.csv.missing"), source=source) from None
    except OSError as error:
        reason = text("error.data.csv.unreadable", error=error.strerror or error)
        raise CSVError(reason, source=source) from None
    if len(data) > limit:
        size = text("error.data.csv.more_than_bytes", limit=limit)
        raise CSVError(text("error.data.csv.too_big", size=size, limit=limit), source=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CSVError(text("error.data.csv.not_utf8", error=error), source=source) from None


def train_test_split(
    X: Sequence[Sequence[float]], y: Sequence[float], test_fraction: float = 0.25, seed: int = 0
) -> tuple[Dataset, Dataset]:
    """Shuffle with ``seed`` and split into ``(train, test)`` datasets."""
    if len(X) != len(y):
        raise ValueError(text("error.fit.one_label_per_sample", samples=len(X), labels=len(y)))
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(text("error.data.test_fraction", given=repr(test_fraction)))
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    cut = len(X) - max(1, round(len(X) * test_fraction))
    if cut < 1:
        raise ValueError(text("error.data.too_few_to_split", count=len(X)))
    train, test = order[:cut], order[cut:]
    return ([list(X[i]) for i in train], [y[i] for i in train]), (
        [list(X[i]) for i in test],
        [y[i] for i in test],
    )


def batches(
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
) -> Iterator[Dataset]:
    """Yield ``(X_batch, y_batch)``; the last batch may be smaller.

    Args:
        batch_size: samples per batch, at least 1; None gives one full batch.

    Raises:
        ValueError: if ``batch_size`` is not None or a whole number >= 1, or
            X and y differ in length (when the first batch is asked for).
    """
    check_batch_size(batch_size)
    if len(X) != len(y):
        raise ValueError(text("error.fit.one_label_per_sample", samples=len(X), labels=len(y)))
    order = list(range(len(X)))
    if shuffle:
        random.Random(seed).shuffle(order)
    size = len(order) if batch_size is None else batch_size
    for start in range(0, len(order), size):
        chunk = order[start : start + size]
        yield [list(X[i]) for i in chunk], [y[i] for i in chunk]


def check_batch_size(batch_size: int | None) -> None:
    """Raise a ValueError unless ``batch_size`` is None (full batch) or a whole number >= 1."""
    if batch_size is None:
        return
    whole = isinstance(batch_size, numbers.Integral) and not isinstance(batch_size, bool)
    if not whole or batch_size < 1:
        raise ValueError(text("error.data.batch_size", given=repr(batch_size)))


def _check_scale(value: float, name: str) -> None:
    """Raise a ValueError unless ``value`` is a finite real number >= 0."""
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not (real and math.isfinite(value) and value >= 0):
        raise ValueError(text("error.data.scale", name=name, given=repr(value)))


def _check_size(n: int, minimum: int) -> None:
    if not isinstance(n, int) or n < minimum:
        raise ValueError(text("error.data.size", minimum=minimum, given=repr(n)))
