"""Switches that change how ops behave: recording a graph, and anomaly checks.

They are plain module state, changed only through the context managers
``no_grad()`` and ``detect_anomaly()``, which always restore the old setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _Switches:
    __slots__ = ("anomaly", "recording")

    def __init__(self) -> None:
        self.recording = True  # ops record their operands (build a graph)
        self.anomaly = False  # raise at the first inf or nan produced


switches = _Switches()


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute without recording a graph, e.g. for evaluation or updates.

    Inside the block every op returns a plain leaf Value: nothing is kept
    for a backward pass, which saves time and memory.
    """
    previous = switches.recording
    switches.recording = False
    try:
        yield
    finally:
        switches.recording = previous


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record a graph again inside a ``no_grad()`` block."""
    previous = switches.recording
    switches.recording = True
    try:
        yield
    finally:
        switches.recording = previous


def is_recording() -> bool:
    """True when ops record a graph (outside ``no_grad()``)."""
    return switches.recording


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``FloatingPointError`` at the first inf or nan that an op produces.

    Checks every op's output in the forward pass and every gradient
    contribution in the backward pass; the error names the op, its inputs
    and the node's label. Off by default because it costs time.
    """
    previous = switches.anomaly
    switches.anomaly = True
    try:
        yield
    finally:
        switches.anomaly = previous
