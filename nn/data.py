"""Small seeded 2-D datasets, splitting and batching.

Every generator returns ``(X, y)``: X a list of ``[x1, x2]`` feature pairs,
y a list of 0/1 labels. The same seed always gives the same points.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterator, Sequence

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


def spirals(n: int = 100, noise: float = 0.05, turns: float = 1.5, seed: int = 0) -> Dataset:
    """Two interleaved spiral arms."""
    _check_size(n, 2)
    _check_scale(noise, "noise")
    _check_scale(turns, "turns")
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        r = rng.random()
        t = turns * 2 * math.pi * r + (math.pi if label else 0.0)
        X.append([r * math.cos(t) + rng.gauss(0, noise), r * math.sin(t) + rng.gauss(0, noise)])
        y.append(float(label))
    return X, y


def blobs(n: int = 100, spread: float = 0.4, seed: int = 0) -> Dataset:
    """Two Gaussian clusters around (−1, −1) and (1, 1): linearly separable."""
    _check_size(n, 2)
    _check_scale(spread, "spread")
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        center = 1.0 if label else -1.0
        X.append([center + rng.gauss(0, spread), center + rng.gauss(0, spread)])
        y.append(float(label))
    return X, y


DATASETS = {"xor": xor, "moons": moons, "circles": circles, "spirals": spirals, "blobs": blobs}


def train_test_split(
    X: Sequence[Sequence[float]], y: Sequence[float], test_fraction: float = 0.25, seed: int = 0
) -> tuple[Dataset, Dataset]:
    """Shuffle with ``seed`` and split into ``(train, test)`` datasets."""
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    cut = len(X) - max(1, round(len(X) * test_fraction))
    if cut < 1:
        raise ValueError(f"{len(X)} samples are too few to split")
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
        raise ValueError(
            f"need one label per sample: X has {len(X)} samples but y has {len(y)} labels"
        )
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
        raise ValueError(
            f"batch_size must be a whole number of samples, at least 1, got {batch_size!r}; "
            "use batch_size=None for the full batch"
        )


def _check_scale(value: float, name: str) -> None:
    """Raise a ValueError unless ``value`` is a finite real number >= 0."""
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not (real and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _check_size(n: int, minimum: int) -> None:
    if not isinstance(n, int) or n < minimum:
        raise ValueError(f"need at least {minimum} samples, got {n!r}")
