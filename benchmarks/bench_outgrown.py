"""When glassgrad is outgrown: the same training step in PyTorch, and in numpy by hand.

    .venv/bin/python benchmarks/bench_outgrown.py

Workload: micrograd's demo, as in ``bench_training.py``: ``MLP(2, [16, 16,
1])`` (337 parameters), 100 two-moons points with labels ±1, mean hinge
loss plus 1e-4 times the sum of squared parameters, full batch, SGD with
micrograd's learning-rate decay. Every contender starts from the same
parameters, in float64, so their losses after each step must agree; the
largest difference is printed.

Contenders: glassgrad's step recorded once and replayed (``autograd.record``,
what ``nn.fit(compiled=True)`` runs), glassgrad building the graph each step
(``nn.fit``'s default), PyTorch on tensors (the whole batch as one matrix
product per layer, on one thread; ``nn.export.to_torch`` gives the model),
and numpy with the backward pass written out by hand: the article's closed
forms, over a batch. Reported: milliseconds per step, the median of the steps (the
fastest beside it), and how many times faster than glassgrad recorded.
Each contender takes a few steps in a row, as in a training loop, then the
next one does (see ``run``).

PyTorch and numpy are optional: a contender that is not installed is
skipped with what to install.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

import autograd
import nn
from nn.losses import hinge, signed_hinge

STEPS = 60
ROUND = 10  # steps in a row per contender
ALPHA = 1e-4


def dataset() -> tuple[list[list[float]], list[float]]:
    X, y = nn.data.moons(100, noise=0.1, seed=1)
    return X, [1.0 if label > 0 else -1.0 for label in y]


def make_model() -> nn.MLP:
    return nn.MLP(2, [16, 16, 1], ["relu", "relu", "linear"], seed=1337)


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def glassgrad_step(model: nn.MLP) -> Callable[[int], float]:
    """glassgrad building the graph every step, as ``nn.fit`` does."""
    X, y = dataset()

    def step(k: int) -> float:
        with autograd.collector_paused():
            scores = [model(x) for x in X]
            loss = hinge(scores, y) + ALPHA * autograd.sum([p * p for p in model.parameters()])
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= learning_rate(k) * p.grad
        return loss.data

    return step


def recorded_step(model: nn.MLP) -> Callable[[int], float]:
    """glassgrad's step recorded once and replayed (``nn.fit(compiled=True)``)."""
    X, y = dataset()
    parameters = model.parameters()
    features = [[autograd.Value(v) for v in x] for x in X]
    signs = [autograd.Value(s) for s in y]
    with autograd.collector_paused():
        scores = [model(x) for x in features]
        loss = signed_hinge(scores, signs) + ALPHA * autograd.sum([p * p for p in parameters])
        tape = autograd.record(loss, wrt=parameters)

    def step(k: int) -> float:
        for p in parameters:
            p.grad = 0.0
        value = tape.replay()
        for p in parameters:
            p.data -= learning_rate(k) * p.grad
        return value

    return step


def torch_step(model: nn.MLP) -> Callable[[int], float]:
    """PyTorch on tensors: the batch as a matrix, one product per layer.

    On one thread (``torch.set_num_threads(1)``, for this process): on
    matrices this small, threads only wait for each other, and on a busy
    machine a thread that is not scheduled stalls the others (with
    PyTorch's default of one thread per core, a run on the shared 2-core
    reference machine gave a median step of 51 ms instead of 0.5).
    """
    import torch

    torch.set_num_threads(1)

    torch_model = nn.export.to_torch(model)
    X, y = dataset()
    inputs = torch.tensor(X, dtype=torch.float64)
    signs = torch.tensor(y, dtype=torch.float64)
    optimizer = torch.optim.SGD(torch_model.parameters(), lr=1.0)

    def step(k: int) -> float:
        scores = torch_model(inputs).squeeze(1)
        loss = torch.relu(1 - signs * scores).mean()
        loss = loss + ALPHA * sum((p * p).sum() for p in torch_model.parameters())
        optimizer.zero_grad()
        loss.backward()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(k)
        optimizer.step()
        return loss.item()

    return step


def numpy_step(model: nn.MLP) -> Callable[[int], float]:
    """numpy with the backward pass by hand: the article's formulas over a batch.

    For each layer ``Z = A·Wᵀ + b`` (one row per sample); backward
    ``∂L/∂W = (∂L/∂Z)ᵀ·A`` and ``∂L/∂b`` the column sums of ``∂L/∂Z`` (the
    1/m is already in ``∂L/∂Z``), ``∂L/∂A = ∂L/∂Z·W``, and through a ReLU
    ``∂L/∂Z = ∂L/∂A ⊙ ReLU'(Z)``; the penalty adds ``2·α·W``.
    """
    import numpy as np

    X, y = dataset()
    inputs = np.array(X)
    signs = np.array(y)
    weights = [
        np.array([[w.data for w in neuron.w] for neuron in layer.neurons]) for layer in model.layers
    ]
    biases = [np.array([neuron.b.data for neuron in layer.neurons]) for layer in model.layers]
    count = len(X)

    def step(k: int) -> float:
        # Forward: keep every layer's input and pre-activation for the way back.
        activations, pre_activations = [inputs], []
        for i, (W, b) in enumerate(zip(weights, biases)):
            Z = activations[-1] @ W.T + b
            pre_activations.append(Z)
            activations.append(np.maximum(Z, 0.0) if i < len(weights) - 1 else Z)
        scores = activations[-1][:, 0]
        margins = 1.0 - signs * scores
        penalty = sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(weights, biases))
        loss = float(np.maximum(margins, 0.0).mean()) + ALPHA * penalty
        # Backward: ∂L/∂score = −s/m where the margin is positive, else 0.
        dZ = np.where(margins > 0.0, -signs / count, 0.0)[:, None]
        lr = learning_rate(k)
        for i in reversed(range(len(weights))):
            W, b = weights[i], biases[i]
            dW = dZ.T @ activations[i] + 2 * ALPHA * W
            db = dZ.sum(axis=0) + 2 * ALPHA * b
            if i:
                dZ = (dZ @ W) * (pre_activations[i - 1] > 0.0)
            W -= lr * dW
            b -= lr * db
        return loss

    return step


CONTENDERS: dict[str, tuple[Callable[[nn.MLP], Callable[[int], float]], str | None]] = {
    # name: (make the step, the module it needs)
    "glassgrad, recorded": (recorded_step, None),
    "glassgrad, graph each step": (glassgrad_step, None),
    "PyTorch, batched": (torch_step, "torch"),
    "numpy, backward by hand": (numpy_step, "numpy"),
}
INSTALL = {
    "torch": "pip install 'glassgrad[torch]'",
    "numpy": "pip install numpy",
}


def available(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def run(steps: dict[str, Callable[[int], float]]) -> dict[str, tuple[list[float], list[float]]]:
    """Step every contender in turns of ``ROUND`` steps each, interleaved so that a slow
    spell of the machine hits all alike. Within a turn the steps follow each other as
    in a training loop: a collection of Python's garbage before every step would empty
    the processor's caches and add about a millisecond to PyTorch's step."""
    losses: dict[str, list[float]] = {name: [] for name in steps}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for first in range(0, STEPS, ROUND):
        for name, step in steps.items():
            gc.collect()
            for k in range(first, first + ROUND):
                start = time.perf_counter()
                losses[name].append(step(k))
                times[name].append(time.perf_counter() - start)
    return {name: (losses[name], times[name]) for name in steps}


def main() -> None:
    steps: dict[str, Callable[[int], float]] = {}
    for name, (make, module) in CONTENDERS.items():
        if not available(module):
            assert module is not None
            print(f"skipped {name}: {module} is not installed ({INSTALL[module]})")
            continue
        steps[name] = make(make_model())
    print(f"MLP(2, [16, 16, 1]), 100 moons, hinge + {ALPHA}·Σp², full batch, {STEPS} SGD steps")
    results = run(steps)
    reference = results["glassgrad, recorded"][0]
    print("\nlargest difference in the loss from glassgrad's, over all steps (float64)")
    for name, (losses, _) in results.items():
        worst = max(abs(a - b) / abs(b) for a, b in zip(losses, reference))
        print(f"  {name:<28} {worst:.1e} relative")
    base = statistics.median(results["glassgrad, recorded"][1])
    print(f"\ntime per training step: the median of {STEPS} (the fastest)")
    for name, (_, times) in results.items():
        median = statistics.median(times)
        print(
            f"  {name:<28} {median * 1000:8.3f} ms  ({min(times) * 1000:.3f} ms)  "
            f"{base / median:6.2g}x the speed of glassgrad recorded"
        )


if __name__ == "__main__":
    main()
