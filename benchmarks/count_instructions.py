"""Instruction counts of glassgrad's workloads, for comparing two versions of it.

    .venv/bin/python benchmarks/count_instructions.py

Wall times on a shared machine drift by tens of percent from minute to
minute; valgrind's callgrind counts the instructions a program runs, which
is the same on every run. Each workload runs twice under callgrind, with
two sizes, and the difference is reported per unit of work, so that
Python's start-up and the imports cancel out:

* chain: building, backpropagating and freeing the 100,000-op chain of
  ``bench_engine.py``, with Python's collector on and off;
* fused / elementary / recorded step: one training step of
  ``bench_training.py`` (micrograd's demo workload), after a first step;
  the recorded step is one replay of the tape (``autograd.record``);
* recording: recording that step once (``autograd.record``);
* article epoch: one epoch of ``nn.fit`` on the article's network and 200
  moons, as in ``bench_training.py``;
* micrograd's chain and step with Python's collector off, the peer the
  ratios are taken against: its step with the collector on varies with
  the heap, these counts do not move.

Needs valgrind (Debian: ``apt-get install valgrind``); it takes a few minutes.
"""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name: (what one unit is, the two sizes in units)
WORKLOADS = {
    "chain, collector on": ("chain of 100,000 ops", (0, 1)),
    "chain, collector off": ("chain of 100,000 ops", (0, 1)),
    "fused step": ("training step", (1, 3)),
    "elementary step": ("training step", (1, 3)),
    "recorded step": ("training step", (1, 5)),
    "recording": ("recording of the step", (1, 2)),
    "article epoch": ("epoch", (2, 12)),
    "micrograd chain, collector off": ("chain of 100,000 ops", (0, 1)),
    "micrograd step, collector off": ("training step", (1, 3)),
}

#: glassgrad's workload: the micrograd workload it is compared with.
PEERS = {
    "chain, collector on": "micrograd chain, collector off",
    "chain, collector off": "micrograd chain, collector off",
    "fused step": "micrograd step, collector off",
    "elementary step": "micrograd step, collector off",
    "recorded step": "micrograd step, collector off",
}


def run(workload: str, units: int) -> None:
    """The workload itself, ``units`` times (run inside valgrind)."""
    sys.path.insert(0, str(HERE))
    if workload.startswith("micrograd"):
        gc.disable()
        run_micrograd(workload, units)
    elif workload.startswith("chain"):
        import bench_engine

        if workload.endswith("off"):
            gc.disable()
        for _ in range(units):
            out = bench_engine.build_chain(bench_engine.GlassgradValue, bench_engine.CHAIN)
            out.backward()
            del out
    elif workload in ("recorded step", "recording"):
        import bench_training

        X, y = bench_training.dataset()
        model = bench_training.glassgrad_model(fused=True)
        if workload == "recording":
            for _ in range(units):
                bench_training.RecordedStep(model, X, y)
            return
        recorded = bench_training.RecordedStep(model, X, y)
        for k in range(units):
            recorded(model, X, y, k)
    elif workload.endswith("step"):
        import bench_training

        fused = workload.startswith("fused")
        X, y = bench_training.dataset()
        model = bench_training.glassgrad_model(fused)
        for k in range(units):
            bench_training.glassgrad_step(model, X, y, k, fused)
    else:
        import nn

        X, y = nn.data.moons(200, noise=0.1, seed=1)
        model = nn.seed_network(seed=0)
        nn.fit(model, X, y, loss="bce", optimizer="sgd", lr=0.5, epochs=units, progress=False)


def run_micrograd(workload: str, units: int) -> None:
    """micrograd's chain or training step, with the collector off (set by the caller)."""
    import threading

    import bench_engine
    import bench_training

    def chain() -> None:
        sys.setrecursionlimit(10 * bench_engine.CHAIN)  # micrograd sorts recursively
        for _ in range(units):
            out = bench_engine.build_chain(bench_engine.MicrogradValue, bench_engine.CHAIN)
            out.backward()
            del out

    if workload.endswith("chain, collector off"):
        threading.stack_size(512 * 1024 * 1024)
        thread = threading.Thread(target=chain)
        thread.start()
        thread.join()
        return
    X, y = bench_training.dataset()
    model = bench_training.micrograd_model(bench_training.glassgrad_model(True))
    for k in range(units):
        bench_training.micrograd_step(model, X, y, k)


def instructions(workload: str, units: int) -> int:
    """Instructions of this script running ``workload`` ``units`` times."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--run",
        workload,
        str(units),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"refs:\s+([\d,]+)", result.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{result.stderr}")
    return int(found.group(1).replace(",", ""))


def measure(chosen: list[str]) -> dict[str, float]:
    """Instructions per unit of each workload (printed as they come)."""
    counts = {}
    for workload in chosen:
        unit, (small, large) = WORKLOADS[workload]
        # Once without valgrind first: a source file changed since its last run is
        # compiled (and its bytecode cached) then, not inside one of the two counts,
        # where it would not cancel out.
        subprocess.run([sys.executable, __file__, "--run", workload, str(small)], check=True)
        difference = instructions(workload, large) - instructions(workload, small)
        counts[workload] = per_unit = difference / (large - small)
        print(f"  {workload:<32} {per_unit / 1e6:8.1f}M instructions per {unit}", flush=True)
    return counts


def print_ratios(counts: dict[str, float]) -> None:
    """glassgrad's workloads against micrograd's with its collector off."""
    ratios = [(ours, peer) for ours, peer in PEERS.items() if ours in counts and peer in counts]
    if ratios:
        print("glassgrad runs fewer instructions than micrograd with its collector off, by")
        for ours, peer in ratios:
            print(f"  {ours:<32} {counts[peer] / counts[ours]:8.1f}x")


def main() -> None:
    if "--run" in sys.argv:
        workload, units = sys.argv[2], int(sys.argv[3])
        run(workload, units)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    chosen = [name for name in WORKLOADS if name in sys.argv[1:]] or list(WORKLOADS)
    print(f"Python {sys.version.split()[0]}; instructions counted by callgrind")
    print_ratios(measure(chosen))


if __name__ == "__main__":
    main()
