"""Engine benchmark: glassgrad against micrograd 0.1.0, measured in the same run.

    python3 dev.py bench            # sets up the environment, runs every benchmark
    .venv/bin/python benchmarks/bench_engine.py

Workload: a chain of 100,000 elementary ops (``x * c`` and ``x + c`` in turn),
built and then backpropagated. Reports:

* time, the median of several runs (the best beside it), against micrograd
  as shipped and against micrograd with Python's garbage collector
  disabled. micrograd's time depends on when its collector happens to run,
  so its best run is a lucky one; the median is a typical run. glassgrad
  is also timed with the collector off, to show how much of the gap to
  micrograd without its collector is glassgrad's own collector cost;
* memory per graph node after building (tracemalloc, on a chain of
  20,000 ops: the figure does not depend on the length), and after backward;
* depth: backward on a 1,000,000-op chain at the default recursion limit.

The chain is built as user code builds it, with Python's garbage collector
on: each node is one object for the collector to track (see ``Value``).

Targets: at least 12x faster than micrograd as shipped, 4x faster than
micrograd without its collector, at most 150 bytes per node.
"""

from __future__ import annotations

import gc
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable

from micrograd.engine import Value as MicrogradValue

from autograd import Value as GlassgradValue

CHAIN = 100_000
REPEATS = 7
# Bytes per node do not depend on the chain's length, and micrograd's graph
# under tracemalloc takes minutes at CHAIN ops (its time grows faster than
# the chain), so memory is measured on a shorter chain, the same for both.
MEMORY_CHAIN = 20_000


def build_chain(value_class: type, length: int) -> object:
    x = value_class(0.5)
    for _ in range(length // 2):
        x = x * 1.000001
        x = x + 0.000001
    return x


def time_once(value_class: type, collector: bool) -> float:
    """Seconds to build and backpropagate the chain once."""
    gc.collect()
    if not collector:
        gc.disable()
    start = time.perf_counter()
    out = build_chain(value_class, CHAIN)
    out.backward()
    elapsed = time.perf_counter() - start
    del out
    gc.enable()
    return elapsed


def bytes_per_node(value_class: type) -> tuple[float, float]:
    """Traced bytes per op of a chain, after building and after backward."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    out = build_chain(value_class, MEMORY_CHAIN)
    built = tracemalloc.get_traced_memory()[0]
    out.backward()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del out
    return (built - before) / MEMORY_CHAIN, (after - before) / MEMORY_CHAIN


def survives_depth(value_class: type, depth: int) -> str:
    """Backward on a chain ``depth`` ops deep at the default recursion limit."""
    x = value_class(1.0)
    y = x
    for _ in range(depth):
        y = y * 1.0
    try:
        y.backward()
    except RecursionError:
        return "RecursionError"
    return "ok"


def in_big_thread(function: Callable[[], None]) -> None:
    # micrograd sorts recursively: give it room for a 100,000-deep chain.
    threading.stack_size(512 * 1024 * 1024)
    thread = threading.Thread(target=function)
    thread.start()
    thread.join()


def main() -> None:
    print(f"Python {sys.version.split()[0]}; chain of {CHAIN:,} ops, {REPEATS} runs each")
    times: dict[str, list[float]] = {}

    def timed() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(10 * CHAIN)  # micrograd needs it; glassgrad does not recurse
        try:
            # Interleaved, so that a slow spell of the machine hits all three alike.
            contenders = {
                "glassgrad": (GlassgradValue, True),
                "micrograd": (MicrogradValue, True),
                "micrograd, gc off": (MicrogradValue, False),
                "glassgrad, gc off": (GlassgradValue, False),
            }
            for _ in range(REPEATS):
                for name, (value_class, collector) in contenders.items():
                    times.setdefault(name, []).append(time_once(value_class, collector))
        finally:
            sys.setrecursionlimit(limit)

    in_big_thread(timed)
    median = {name: statistics.median(runs) for name, runs in times.items()}
    best = {name: min(runs) for name, runs in times.items()}
    print("\nbuild + backward: the median run (the best run)")
    for name in times:
        ratio = ""
        if name.startswith("micrograd"):
            ratio = (
                f"  glassgrad is {median[name] / median['glassgrad']:.1f}x faster "
                f"({best[name] / best['glassgrad']:.1f}x)"
            )
        print(f"  {name:<20} {median[name] * 1000:8.1f} ms ({best[name] * 1000:.1f} ms){ratio}")
    # Both without the collector: what is left is each engine's own work per node.
    both_off = median["micrograd, gc off"] / median["glassgrad, gc off"]
    print(f"  with the collector off in both, glassgrad is {both_off:.1f}x faster")

    memory: dict[str, tuple[float, float]] = {}

    def measured() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(10 * CHAIN)
        try:
            memory["glassgrad"] = bytes_per_node(GlassgradValue)
            memory["micrograd"] = bytes_per_node(MicrogradValue)
        finally:
            sys.setrecursionlimit(limit)

    in_big_thread(measured)
    print(f"\nmemory per graph node (tracemalloc, a chain of {MEMORY_CHAIN:,} ops)")
    for name, (built, after) in memory.items():
        print(f"  {name:<20} {built:6.0f} bytes built, {after:6.0f} bytes after backward")
    print(f"  micrograd uses {memory['micrograd'][0] / memory['glassgrad'][0]:.1f}x more")

    print(f"\ndepth, at the default recursion limit ({sys.getrecursionlimit()})")
    for depth in (900, 1_000, 1_000_000):
        ours_result = survives_depth(GlassgradValue, depth)
        theirs = survives_depth(MicrogradValue, depth) if depth < 100_000 else "not tried"
        if depth >= 100_000:
            theirs = survives_depth(MicrogradValue, 2_000)  # already fails far earlier
            theirs = f"{theirs} (already at 2,000)"
        print(f"  {depth:>9,} ops: glassgrad {ours_result}, micrograd {theirs}")


if __name__ == "__main__":
    main()
