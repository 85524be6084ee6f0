"""The article's network trained with ``nn.fit``: epochs per second, built and recorded.

    .venv/bin/python benchmarks/bench_article.py

Workload: ``nn.seed_network()`` (2 inputs, 3 ReLU, 1 sigmoid), 200 two-moons
points, full batch, binary cross-entropy on logits, SGD. ``nn.fit`` as is
(building the graph and calling ``backward()`` every step) against
``nn.fit(..., compiled=True)`` (the step recorded once and replayed). Both
runs start from the same parameters and must end with the same losses and
parameters, bit for bit; that is checked.

Each epoch is one step plus the epoch's accuracy. Reported: epochs per
second from the median epoch (the two runs interleaved, a few epochs at a
time, so that a slow spell of the machine hits both alike), and the
one-off cost of recording (the first compiled epoch's extra time).
"""

from __future__ import annotations

import itertools
import statistics
import time

import nn

EPOCHS = 200
ROUND = 20  # epochs per turn


def main() -> None:
    X, y = nn.data.moons(200)
    models = {False: nn.seed_network(seed=0), True: nn.seed_network(seed=0)}
    times: dict[bool, list[float]] = {False: [], True: []}
    losses: dict[bool, list[float]] = {False: [], True: []}
    first: dict[bool, float] = {}
    for turn in range(EPOCHS // ROUND):
        for compiled in (False, True):
            stamps = [time.perf_counter()]

            def tick(epoch: int, history: nn.train.History) -> None:
                stamps.append(time.perf_counter())  # noqa: B023 (read at once)

            # A fit per turn with the same seed per epoch as one long fit would use.
            history = nn.fit(
                models[compiled], X, y, loss="bce", optimizer="sgd", lr=0.1,
                epochs=ROUND, seed=turn * ROUND, on_epoch=tick, compiled=compiled,
            )  # fmt: skip
            steps = [b - a for a, b in itertools.pairwise(stamps)]
            if turn == 0:
                first[compiled] = steps[0]
            times[compiled] += steps[1:]
            losses[compiled] += history.loss
    same = losses[False] == losses[True] and [p.data for p in models[False].parameters()] == [
        p.data for p in models[True].parameters()
    ]
    print(f"the article's network, 200 moons, full batch, bce, sgd: {EPOCHS} epochs each")
    print(f"losses and parameters identical: {same}")
    for compiled, name in ((False, "nn.fit"), (True, "nn.fit(compiled=True)")):
        median = statistics.median(times[compiled])
        print(f"  {name:<22} {1 / median:8.0f} epochs/s  ({median * 1000:.2f} ms per epoch)")
    speedup = statistics.median(times[False]) / statistics.median(times[True])
    print(f"  recorded is {speedup:.1f}x faster per epoch")
    extra = first[True] - statistics.median(times[True])
    print(f"  recording (once per fit and batch size): {extra * 1000:.0f} ms")


if __name__ == "__main__":
    main()
