"""Switches that change how ops behave: recording a graph, and anomaly checks.

Each thread has its own switches, as PyTorch has for its grad mode: a
``no_grad()`` block in one thread never turns recording off in another, and
a new thread starts with recording on and anomaly checks off. They change
only through the context managers ``no_grad()``, ``enable_grad()`` and
``detect_anomaly()``, which always restore the thread's old setting.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _ThreadModes(threading.local):
    """The switches of the current thread.

    The defaults are class attributes, so a thread that never changed a
    switch reads them without having to set anything up.
    """

    recording = True  # ops record their operands (build a graph)
    anomaly = False  # raise at the first inf or nan produced


#: This thread's switches (each thread sees its own attributes).
modes = _ThreadModes()


class _Switches:
    """What every op reads first, from any thread: are all switches at their defaults?

    A thread-local attribute costs several times a plain one, and ops read
    the switches millions of times. So the ops read ``at_defaults`` first:
    True while no mode block is open in any thread (``open_blocks`` counts
    them, in all threads together). Then every thread has the defaults
    (record, no checks) and nothing more is read; otherwise the op reads its
    own thread's ``modes``. A thread's own block is always counted before it
    changes anything, and uncounted only after it has restored its switches,
    so a True read by a thread is always true for that thread. (A bool, not
    the count itself: Python tests True and False faster than an int.)
    """

    __slots__ = ("at_defaults", "open_blocks")

    def __init__(self) -> None:
        self.at_defaults = True
        self.open_blocks = 0

    def count(self, change: int) -> None:
        """Add ``change`` to the open blocks (under the lock: ``+=`` is not atomic)."""
        with _count_lock:
            self.open_blocks += change
            self.at_defaults = self.open_blocks == 0


_count_lock = threading.Lock()
switches = _Switches()


@contextmanager
def _switched(name: str, setting: bool) -> Iterator[None]:
    switches.count(+1)
    previous = getattr(modes, name)
    setattr(modes, name, setting)
    try:
        yield
    finally:
        setattr(modes, name, previous)
        switches.count(-1)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Compute without recording a graph, e.g. for evaluation or updates.

    Inside the block every op returns a plain leaf Value: nothing is kept
    for a backward pass, which saves time and memory. Only the current
    thread is affected.
    """
    return _switched("recording", False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Record a graph again inside a ``no_grad()`` block (in the current thread)."""
    return _switched("recording", True)


def is_recording() -> bool:
    """True when ops record a graph in the current thread (outside ``no_grad()``)."""
    return modes.recording


def detect_anomaly() -> contextlib.AbstractContextManager[None]:
    """Raise ``FloatingPointError`` at the first inf or nan that an op produces.

    Checks every op's output in the forward pass and every gradient
    contribution in the backward pass; the error names the op, its inputs
    and the node's label. Off by default because it costs time. Only the
    current thread is checked.
    """
    return _switched("anomaly", True)
