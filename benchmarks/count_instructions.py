"""Instruction counts of glassgrad's workloads, for comparing two versions of it.

    .venv/bin/python benchmarks/count_instructions.py

Wall times on a shared machine drift by tens of percent from minute to
minute; valgrind's callgrind counts the instructions a program runs, which
is the same on every run. Each workload runs twice under callgrind, with
two sizes, and the difference is reported per unit of work, so that
Python's start-up and the imports cancel out:

* chain: building, backpropagating and freeing the 100,000-op chain of
  ``bench_engine.py``, with Python's collector on and off;
* fused / elementary step: one training step of ``bench_training.py``
  (micrograd's demo workload), after a first step;
* article epoch: one epoch of ``nn.fit`` on the article's network and 200
  moons, as in ``bench_training.py``.

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
    "article epoch": ("epoch", (2, 12)),
}


def run(workload: str, units: int) -> None:
    """The workload itself, ``units`` times (run inside valgrind)."""
    sys.path.insert(0, str(HERE))
    if workload.startswith("chain"):
        import bench_engine

        if workload.endswith("off"):
            gc.disable()
        for _ in range(units):
            out = bench_engine.build_chain(bench_engine.GlassgradValue, bench_engine.CHAIN)
            out.backward()
            del out
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


def main() -> None:
    if "--run" in sys.argv:
        workload, units = sys.argv[2], int(sys.argv[3])
        run(workload, units)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    print(f"Python {sys.version.split()[0]}; instructions counted by callgrind")
    for workload, (unit, (small, large)) in WORKLOADS.items():
        difference = instructions(workload, large) - instructions(workload, small)
        per_unit = difference / (large - small)
        print(f"  {workload:<22} {per_unit / 1e6:8.0f}M instructions per {unit}")


if __name__ == "__main__":
    main()
