"""Keeping Python's cyclic garbage collector out of the way of a training step.

CPython frees most objects by reference counting, the moment they are no
longer used. Its *cyclic* collector exists for objects that refer to each
other in a loop, which reference counting cannot free. It is generational:
new container objects (a Value is one) join the young generation, and once
more than 700 of them have been made (net of those freed), it scans the
whole young generation. A glassgrad graph holds no reference cycles, so
these scans never find anything in it; yet they are paid for every node.

``collector_paused()`` pauses the collector while a graph is built and used.
This module is the whole of that trick, and what it promises is in the
docstring of ``collector_paused``.
"""

from __future__ import annotations

import gc
import sys
import sysconfig
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether leaving a block can move its survivors to the oldest generation
#: with ``gc.freeze(); gc.unfreeze()`` (see ``_settle``). Checked on the
#: CPythons where both are O(1) list moves that also zero the young
#: generation's count: 3.11 to 3.13 with the GIL. (A free-threaded build's
#: freeze visits every object of the heap; 3.14's collector is incremental.)
_CAN_SETTLE = (
    sys.implementation.name == "cpython"
    and (3, 11) <= sys.version_info[:2] < (3, 14)
    and not sysconfig.get_config_var("Py_GIL_DISABLED")
)


#: How many objects Python itself keeps frozen: CPython 3.12 starts with a
#: few hundred immortal objects (statically allocated tuples) in the
#: permanent generation, and each full collection puts them back there, so
#: thawing them is harmless. Any more than these were frozen by a program
#: (``gc.freeze()`` freezes every object there is, thousands).
_FROZEN_BY_PYTHON = gc.get_freeze_count() if sys.version_info[:2] == (3, 12) else 0


class _Pause:
    """The open blocks, in all threads together, and what the first one found."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_blocks = 0
        self.enable_at_end = False


_pause = _Pause()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block.

    glassgrad graphs hold no reference cycles (reference counting frees
    them), so the cyclic collector finds nothing in them; yet as a graph
    grows it scans the whole graph again and again. Backward passes always
    run with it paused; wrap a training step (forward, loss, backward,
    update) in this too, as ``nn.fit`` does, and the step gets faster.

    What the block promises:

    * inside it the collector never starts on its own (``gc.collect()``
      still runs when called);
    * blocks nest, and count across threads: the collector comes back on
      when the last open block ends, and only if it was on when the first
      one began (a block never turns on a collector that was off);
    * leaving the block starts no scan of what survives it: the young
      generation's count is 0 afterwards (``gc.get_count()[0] == 0``). Without
      this, the first object made after the block would start a scan of the
      whole young generation, that is of every node of a graph still in use
      (a loss kept to print its value): a tenth of a training step. The
      survivors are moved, unscanned, to the oldest generation, as if they
      had lived through collections; a graph is freed by reference counting
      all the same once it is dropped. (On CPython 3.11 to 3.13 with the GIL.
      Elsewhere, and while objects frozen with ``gc.freeze()`` exist, which
      the block leaves frozen, it only pauses and resumes the collector.)

    What it does not promise: that reference cycles made since the last
    collection (glassgrad makes none; other code may) are found when the
    block ends. They wait in the oldest generation for Python's next full
    collection, or for a ``gc.collect()``. So code that makes many cycles
    should not run long inside the block.
    """
    with _pause.lock:
        if _pause.open_blocks == 0:
            _pause.enable_at_end = gc.isenabled()
            gc.disable()
        _pause.open_blocks += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.open_blocks -= 1
            if _pause.open_blocks == 0 and _pause.enable_at_end:
                _settle()
                gc.enable()


def _settle() -> None:
    """Move every object the collector tracks to its oldest generation, unscanned.

    ``gc.freeze()`` moves all of them to a "permanent" generation that the
    collector ignores and zeroes the young generation's count;
    ``gc.unfreeze()`` moves them all back, into the oldest generation. Each
    is a constant-time splice of linked lists. Objects a program froze on
    purpose (say before a fork, to keep memory pages shared) must stay
    frozen, and unfreeze would thaw them: then nothing is moved.
    """
    if _CAN_SETTLE and gc.get_freeze_count() <= _FROZEN_BY_PYTHON:
        gc.freeze()
        gc.unfreeze()
