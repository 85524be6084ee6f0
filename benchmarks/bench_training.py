"""Training benchmark: micrograd's own demo workload, glassgrad against micrograd 0.1.0.

    python3 dev.py bench
    .venv/bin/python benchmarks/bench_training.py
    .venv/bin/python benchmarks/bench_training.py --instructions  # and in callgrind's units

Workload (micrograd's demo): ``MLP(2, [16, 16, 1])`` (337 parameters), 100
two-moons points with labels ±1, mean hinge loss plus 1e-4 times the sum of
squared parameters, full batch, SGD with micrograd's learning-rate decay.
Both engines start from the same parameters, so their losses after each
step must agree; they are printed side by side.

glassgrad's step runs inside ``autograd.collector_paused()``, as ``nn.fit``
runs every step: its graphs hold no reference cycles, so Python's cyclic
collector has nothing to find in them.

Reported: milliseconds per training step (forward, backward, update) for
glassgrad with fused neurons (default), glassgrad's fused step recorded
once and replayed (``autograd.record``; the samples and labels are leaves
set before each replay, as ``nn.fit(..., compiled=True)`` does; the one-off
recording is timed apart), glassgrad with neurons from
elementary ops (the same graph micrograd builds), micrograd as shipped, and
micrograd with Python's garbage collector disabled; and the ratios. The
headline figure is the median step of each: a typical step. (micrograd's
steps vary with when its garbage collector happens to run, so its fastest
step is a lucky one; a slow spell of the machine moves a median of many
steps little.) The fastest steps are printed beside them.

glassgrad's backward pass skips nodes whose gradient is exactly 0 where that
provably changes nothing (see ``autograd.ops``): after the first steps most
samples are past the hinge margin and send back no gradient, so later steps
are faster than the first.

Targets: at least 60x micrograd's step with fused neurons, 12x with
neurons from elementary ops. ``--instructions`` adds the same steps in
callgrind's instruction counts against micrograd with its collector off
(``count_instructions.py``): the units that do not move between runs.

Then the article's network (``nn.seed_network()``: 2 inputs, 3 ReLU, 1
sigmoid) on 200 moons, full batch, bce loss, SGD, trained with ``nn.fit``:
epochs per second (each epoch one training step and the accuracy of the
epoch), the median of several runs of 100 epochs, as ``fit`` runs by
default (the step recorded, the recording included in each run) and
building every graph (``compiled=False``).

micrograd's figure depends on what else lives in the process: most of its
step is its cyclic collector, whose scans cover the whole heap now and
then, so a bigger heap makes its steps slower, and glassgrad's ratio
larger. ``--import-torch`` imports PyTorch first (a heap of a few hundred
thousand objects), to measure that; the figures to quote are from a
process of its own.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

from micrograd import nn as micro_nn
from micrograd.engine import Value as MicroValue

import autograd
import nn
from nn.losses import hinge, signed_hinge

STEPS = 20
ALPHA = 1e-4


def dataset() -> tuple[list[list[float]], list[float]]:
    X, y = nn.data.moons(100, noise=0.1, seed=1)
    return X, [1.0 if label > 0 else -1.0 for label in y]


def glassgrad_model(fused: bool) -> nn.MLP:
    return nn.MLP(2, [16, 16, 1], ["relu", "relu", "linear"], seed=1337, fused=fused)


def micrograd_model(like: nn.MLP) -> micro_nn.MLP:
    """micrograd's MLP with the same parameters as ``like``."""
    model = micro_nn.MLP(2, [16, 16, 1])
    for ours, theirs in zip(like.layers, model.layers, strict=True):
        for our_neuron, their_neuron in zip(ours.neurons, theirs.neurons, strict=True):
            for w_ours, w_theirs in zip(our_neuron.w, their_neuron.w, strict=True):
                w_theirs.data = w_ours.data
            their_neuron.b.data = our_neuron.b.data
    return model


def glassgrad_step(model: nn.MLP, X, y, k: int, fused: bool) -> float:  # type: ignore[no-untyped-def]
    with autograd.collector_paused():  # as nn.fit runs each step
        return _glassgrad_step(model, X, y, k, fused)


def _glassgrad_step(model: nn.MLP, X, y, k: int, fused: bool) -> float:  # type: ignore[no-untyped-def]
    scores = [model(x) for x in X]
    if fused:
        loss = hinge(scores, y) + ALPHA * autograd.sum([p * p for p in model.parameters()])
    else:  # written exactly as micrograd's demo writes it
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


class RecordedStep:
    """glassgrad's fused step, recorded once and replayed.

    The samples and labels are leaf Values (set before every replay, though
    here they never change), the parameters the leaves that get gradients.
    """

    def __init__(self, model: nn.MLP, X: list[list[float]], y: list[float]) -> None:
        self.parameters = model.parameters()
        self.features = [[autograd.Value(v) for v in x] for x in X]
        self.signs = [autograd.Value(s) for s in y]
        start = time.perf_counter()
        with autograd.collector_paused():
            scores = [model(x) for x in self.features]
            loss = signed_hinge(scores, self.signs) + ALPHA * autograd.sum(
                [p * p for p in self.parameters]
            )
            self.tape = autograd.record(loss, wrt=self.parameters)
        self.seconds = time.perf_counter() - start
        self.lines = self.tape.source.count("\n")

    def __call__(self, model: nn.MLP, X, y, k: int) -> float:  # type: ignore[no-untyped-def]
        for row, x in zip(self.features, X):
            for leaf, v in zip(row, x):
                leaf.data = v
        for leaf, s in zip(self.signs, y):
            leaf.data = s
        for p in self.parameters:
            p.grad = 0.0
        loss = self.tape.replay()
        lr = 1.0 - 0.9 * k / 100
        for p in self.parameters:
            p.data -= lr * p.grad
        return loss


def micrograd_step(model, X, y, k: int) -> float:  # type: ignore[no-untyped-def]
    inputs = [list(map(MicroValue, x)) for x in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def run_all(contenders: dict) -> dict[str, tuple[list[float], list[float]]]:  # type: ignore[type-arg]
    """Step every contender in turn (interleaved, so that a slow spell of the
    machine hits all alike); return each one's losses and step times."""
    X, y = dataset()
    losses: dict[str, list[float]] = {name: [] for name in contenders}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for k in range(STEPS):
        for name, (step, model, collector) in contenders.items():
            gc.collect()
            if not collector:
                gc.disable()
            start = time.perf_counter()
            losses[name].append(step(model, X, y, k))
            times[name].append(time.perf_counter() - start)
            gc.enable()
    return {name: (losses[name], times[name]) for name in contenders}


ARTICLE_EPOCHS = 100
ARTICLE_RUNS = 5


def article_epochs_per_second(compiled: bool | None = None) -> list[float]:
    """Epochs per second of ``nn.fit`` on the article's network, 200 moons, one per run."""
    X, y = nn.data.moons(200, noise=0.1, seed=1)
    rates = []
    for _ in range(ARTICLE_RUNS):
        model = nn.seed_network(seed=0)
        gc.collect()
        start = time.perf_counter()
        nn.fit(
            model, X, y, loss="bce", optimizer="sgd", lr=0.5, epochs=ARTICLE_EPOCHS,
            progress=False, compiled=compiled,
        )  # fmt: skip
        rates.append(ARTICLE_EPOCHS / (time.perf_counter() - start))
    return rates


def main() -> None:
    if "--import-torch" in sys.argv[1:]:
        import torch  # noqa: F401  (only to share the process with its heap)

        print(f"torch imported first: {len(gc.get_objects()):,} objects tracked by the collector")
    fused = glassgrad_model(fused=True)
    print(f"MLP(2, [16, 16, 1]): {len(fused.parameters())} parameters, 100 moons, {STEPS} steps")
    recorded_model = glassgrad_model(fused=True)
    recorded = RecordedStep(recorded_model, *dataset())
    print(f"recording the step: {recorded.seconds:.2f} s once ({recorded.lines} lines of Python)")
    results = run_all(
        {
            "glassgrad (fused)": (
                lambda m, X, y, k: glassgrad_step(m, X, y, k, True),
                fused,
                True,
            ),
            "glassgrad (recorded)": (recorded, recorded_model, True),
            "glassgrad (elementary)": (
                lambda m, X, y, k: glassgrad_step(m, X, y, k, False),
                glassgrad_model(fused=False),
                True,
            ),
            "micrograd": (micrograd_step, micrograd_model(glassgrad_model(True)), True),
            "micrograd, gc off": (micrograd_step, micrograd_model(glassgrad_model(True)), False),
        }
    )
    print("\nloss after each step (the same start, so they must agree)")
    names = list(results)
    print("  step  " + "  ".join(f"{name:>22}" for name in names))
    for k in range(STEPS):
        print(f"  {k:>4}  " + "  ".join(f"{results[n][0][k]:>22.12f}" for n in names))
    worst = max(
        abs(results[n][0][k] - results["micrograd"][0][k]) for n in names for k in range(STEPS)
    )
    print(f"  largest difference from micrograd: {worst:.1e}")
    same = results["glassgrad (recorded)"][0] == results["glassgrad (fused)"][0]
    print(f"  recorded equals fused bit for bit: {same}")

    median = {name: statistics.median(times) for name, (_, times) in results.items()}
    fastest = {name: min(times) for name, (_, times) in results.items()}
    print(f"\ntime per training step: the median of {STEPS} (the fastest)")
    for name in names:
        print(f"  {name:<24} {median[name] * 1000:8.1f} ms  ({fastest[name] * 1000:.1f} ms)")
    print("\nglassgrad is faster by: median against median (fastest against fastest)")
    for peer in ("micrograd", "micrograd, gc off"):
        ratios = [
            f"{kind} {median[peer] / median[ours]:5.1f}x ({fastest[peer] / fastest[ours]:.1f}x)"
            for kind, ours in (
                ("fused", "glassgrad (fused)"),
                ("recorded", "glassgrad (recorded)"),
                ("elementary", "glassgrad (elementary)"),
            )
        ]
        print(f"  vs {peer:<20} " + ", ".join(ratios))

    if "--instructions" in sys.argv[1:]:
        # Wall ratios move with micrograd's collector and the machine; these do not.
        import shutil

        import count_instructions

        if shutil.which("valgrind") is None:
            print("\n(--instructions needs valgrind: apt-get install valgrind)")
        else:
            print("\nthe same steps in instructions (callgrind), micrograd's collector off:")
            steps = ["fused step", "recorded step", "elementary step"]
            counts = count_instructions.measure([*steps, "micrograd step, collector off"])
            count_instructions.print_ratios(counts)

    print("\nthe article's network (2-3-1), 200 moons, full batch, bce, sgd, nn.fit:")
    for compiled, how in ((None, "recorded (the default)"), (False, "compiled=False")):
        rates = article_epochs_per_second(compiled)
        print(
            f"  {how:<24} {statistics.median(rates):5.0f} epochs per second, the median of "
            f"{ARTICLE_RUNS} runs of {ARTICLE_EPOCHS} (the fastest {max(rates):.0f})"
        )


if __name__ == "__main__":
    main()
