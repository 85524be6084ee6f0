"""Modes belong to a thread, and backward passes from several threads lose nothing."""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

import autograd
from autograd import Value, detect_anomaly, enable_grad, grad, is_recording, no_grad


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads as often as the interpreter allows, to expose races."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@contextmanager
def held_open_in_another_thread(
    mode: Callable[[], AbstractContextManager[object]],
) -> Iterator[None]:
    """Run the block while another thread sits inside ``with mode():``."""
    entered, release = threading.Event(), threading.Event()

    def hold_open() -> None:
        with mode():
            entered.set()
            release.wait()

    thread = threading.Thread(target=hold_open)
    thread.start()
    entered.wait()
    try:
        yield
    finally:
        release.set()
        thread.join()


def run_in_thread(function: Callable[[], object]) -> object:
    """Run ``function`` in a new thread and return (or raise) what it did."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = function()
        except BaseException as error:  # handed back to the test's thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]


def test_interleaved_no_grad_blocks_in_two_threads_leave_recording_on() -> None:
    # A enters, B enters, A leaves, B leaves: with one process-wide switch B
    # would restore A's "off" and leave recording off for everyone.
    a_entered, b_entered, a_left = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with no_grad():
            a_entered.set()
            b_entered.wait()
        a_left.set()

    def second() -> None:
        a_entered.wait()
        with no_grad():
            b_entered.set()
            a_left.wait()
            seen["inside"] = is_recording()
        seen["after"] = is_recording()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"inside": False, "after": True}
    assert is_recording()
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_a_no_grad_block_in_one_thread_does_not_reach_another() -> None:
    def other() -> tuple[bool, str]:
        return is_recording(), (Value(2.0) * 3.0).op

    with no_grad():
        assert not is_recording()
        assert (Value(2.0) * 3.0).op == ""
        assert run_in_thread(other) == (True, "*")  # a new thread starts recording
    with held_open_in_another_thread(no_grad):
        x = Value(2.0)
        y = x * 3.0
        assert is_recording() and y.op == "*" and y.operands == (x, 3.0)
        y.backward()
        assert x.grad == 3.0


def test_enable_grad_in_one_thread_does_not_reach_another() -> None:
    def recording_inside_enable_grad() -> bool:
        with enable_grad():
            return is_recording()

    with no_grad():
        assert run_in_thread(recording_inside_enable_grad)
        assert not is_recording()


def test_detect_anomaly_in_another_thread_does_not_make_ordinary_code_raise() -> None:
    with held_open_in_another_thread(detect_anomaly):
        x = Value(0.0)
        y = x.log()  # -inf: an anomaly only where anomalies are checked
        assert y.data == -math.inf
        y.backward()  # d log(x)/dx = inf at 0: no error here either
        assert x.grad == math.inf

    def raises_in_its_own_thread() -> str:
        with detect_anomaly(), pytest.raises(FloatingPointError) as error:
            Value(0.0).log()
        return str(error.value)

    assert "op 'log' produced -inf" in str(run_in_thread(raises_in_its_own_thread))


def test_a_new_thread_starts_with_the_default_modes() -> None:
    def modes() -> tuple[bool, str]:
        return is_recording(), Value(0.0).log().op

    with no_grad(), detect_anomaly():
        assert run_in_thread(modes) == (True, "log")


def test_concurrent_backward_passes_on_a_shared_leaf_lose_no_gradient(
    fast_switching: None,
) -> None:
    threads, passes, uses = 4, 1_000, 20
    x = Value(0.5)
    start = threading.Barrier(threads)

    def train() -> None:
        # Each thread has its own graph; every graph uses x `uses` times.
        out = x * 1.0
        for _ in range(uses - 1):
            out = out + x
        start.wait()
        for _ in range(passes):
            out.backward()

    workers = [threading.Thread(target=train) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert x.grad == float(threads * passes * uses)  # exact: small integers


def test_backward_and_grad_from_several_threads_on_one_graph(fast_switching: None) -> None:
    # grad() reads the graph only, so it needs no lock; it still gives the
    # right answer while other threads run backward() through the same nodes.
    x, y = Value(1.5), Value(-2.0)
    out = (x * y).tanh() + x * x
    expected = grad(out, [x, y])
    start = threading.Barrier(3)
    results: list[list[float]] = []

    def backward_many() -> None:
        start.wait()
        for _ in range(500):
            out.backward()

    def grad_many() -> None:
        start.wait()
        results.extend(grad(out, [x, y]) for _ in range(500))

    workers = [threading.Thread(target=f) for f in (backward_many, backward_many, grad_many)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(r == expected for r in results)
    assert x.grad == pytest.approx(1000 * expected[0], rel=1e-12)
    assert y.grad == pytest.approx(1000 * expected[1], rel=1e-12)
    autograd.zero_grad([x, y])


def test_a_block_left_by_an_exception_restores_its_thread_and_the_count() -> None:
    from autograd.mode import switches

    with pytest.raises(ZeroDivisionError), no_grad(), detect_anomaly():
        assert switches.open_blocks == 2 and not switches.at_defaults
        1 / 0  # noqa: B018
    assert switches.open_blocks == 0 and switches.at_defaults
    assert is_recording()
    assert Value(0.0).log().data == -math.inf  # no anomaly check any more
