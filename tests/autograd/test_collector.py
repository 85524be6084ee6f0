"""collector_paused(): what the block promises about Python's cyclic collector."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator

import pytest

from autograd import Value, collector_paused
from autograd.collector import _CAN_SETTLE


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on, and leaves it as it found it."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()


def chain(length: int) -> Value:
    x = Value(0.5)
    for _ in range(length):
        x = x * 1.000001 + 0.000001
    return x


def test_the_collector_is_off_inside_and_on_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_on_after_an_error() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_block_never_turns_on_a_collector_that_was_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_blocks_nest() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still open
        chain(10).backward()  # backward() pauses the collector too
        assert not gc.isenabled()
    assert gc.isenabled()


def test_blocks_in_several_threads_end_together() -> None:
    inside = threading.Barrier(2)
    first_left = threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            inside.wait()
        first_left.set()

    def second() -> None:
        with collector_paused():
            inside.wait()
            first_left.wait()
            seen.append(gc.isenabled())  # the other thread's block ended, not this one

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.skipif(not _CAN_SETTLE, reason="only pauses and resumes on this Python")
def test_leaving_the_block_starts_no_scan_of_a_graph_kept_alive() -> None:
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        with collector_paused():
            kept = chain(5_000)  # 5,000 nodes: far past the young generation's threshold
            assert gc.get_count()[0] > 5_000
        assert gc.get_count()[0] == 0
        more = [Value(float(i)) for i in range(100)]  # would have started a scan
        assert collections == []
        assert gc.get_count()[0] <= len(more) + 10
        if sys.version_info < (3, 14):
            assert gc.is_tracked(kept) and not any(o is kept for o in gc.get_objects(0))
    finally:
        gc.callbacks.remove(count)


def test_objects_frozen_on_purpose_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = chain(1_000)
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled() and kept.data > 0
    finally:
        gc.unfreeze()


def test_cycles_made_in_the_block_are_found_by_a_full_collection() -> None:
    class Node:
        pass

    gc.collect()
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    assert gc.collect() >= 2  # not lost: the next full collection frees them
