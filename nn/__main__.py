"""The demo: train the article's 2-3-1 network and check its gradients by hand.

python -m nn                      # XOR, default settings
python -m nn --dataset moons      # two moons
glassgrad --help                  # the same, as a console script
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import nn
from nn import reference
from nn.data import DATASETS
from nn.train import fit

DEFAULTS = {"epochs": 300, "lr": 0.2, "optimizer": "momentum", "samples": 200}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glassgrad",
        description=(
            "Train the article's network (2 inputs -> 3 ReLU -> 1 sigmoid) with glassgrad's "
            "scalar autograd engine, then compare the engine's gradients for one sample with "
            "the article's closed-form backward formulas."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="xor", help="training data")
    parser.add_argument(
        "--samples", type=int, default=DEFAULTS["samples"], help="points (not for xor)"
    )
    parser.add_argument("--epochs", type=int, default=DEFAULTS["epochs"], help="passes over data")
    parser.add_argument("--lr", type=float, default=DEFAULTS["lr"], help="learning rate η")
    parser.add_argument(
        "--optimizer",
        choices=["sgd", "momentum", "adam"],
        default=DEFAULTS["optimizer"],
        help="sgd is the article's W ← W − η·∂L/∂W; momentum adds a velocity",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for data and weights")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the pictures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    if not (math.isfinite(args.lr) and args.lr > 0):  # float() accepts "inf" and "nan"
        parser.error("--lr must be a positive number, not inf or nan")
    if args.dataset != "xor" and args.samples < 4:
        parser.error("--samples must be at least 4")

    make = DATASETS[args.dataset]
    X, y = make(seed=args.seed) if args.dataset == "xor" else make(args.samples, seed=args.seed)
    test_X, test_y = (X, y) if args.dataset == "xor" else make(args.samples, seed=args.seed + 1000)
    model = nn.seed_network(seed=args.seed)
    print(f"glassgrad: training {model} on {args.dataset} ({len(X)} samples)")
    print(f"  {args.optimizer}, learning rate {args.lr}, {args.epochs} epochs, seed {args.seed}")
    history = fit(
        model,
        X,
        y,
        loss="bce",
        optimizer=args.optimizer,
        lr=args.lr,
        epochs=args.epochs,
        seed=args.seed,
        progress=False if args.quiet else None,
    )
    print(f"final loss      {history.loss[-1]:.6f}")
    print(f"train accuracy  {history.accuracy[-1]:.1%}")
    if args.dataset != "xor":
        print(f"test accuracy   {nn.accuracy(model, test_X, test_y):.1%}  (fresh points)")

    # Show a sample whose features are not zero, so that every formula has work to do.
    sample = max(range(len(X)), key=lambda i: min(abs(v) for v in X[i]))
    print_gradient_check(model, X[sample], y[sample])
    write_pictures(model, history, X, y, sample, args.out)
    return 0


def print_gradient_check(model: nn.MLP, x: list[float], target: float) -> None:
    """One sample: the engine's gradients beside the article's closed forms."""
    from nn.losses import bce_with_logits

    model.zero_grad()
    loss = bce_with_logits([model.logits(x)], [target])
    loss.backward()
    engine = reference.engine_gradients(model)
    closed = reference.backward(reference.Weights.of(model), x, target)
    print(f"\nOne sample, x = {x}, y = {target}: engine vs the article's formulas")
    print(f"  {'parameter':<10} {'engine':>14} {'closed form':>14}   formula")
    rows = [
        ("W2", engine.dW2, closed.dW2, "∂L/∂W2 = (ŷ − y) · a1ᵀ"),
        ("b2", [engine.db2], [closed.db2], "∂L/∂b2 = ŷ − y"),
        ("W1", engine.dW1, closed.dW1, "∂L/∂W1 = ((W2ᵀ·∂L/∂z2) ⊙ ReLU'(z1)) · Xᵀ"),
        ("b1", [engine.db1], [closed.db1], "∂L/∂b1 = ∂L/∂z1"),
    ]
    worst = 0.0
    for name, ours, theirs, formula in rows:
        for j, (our_row, their_row) in enumerate(zip(ours, theirs)):
            for k, (a, b) in enumerate(zip(our_row, their_row)):
                worst = max(worst, abs(a - b))
                index = f"[{k}]" if len(ours) == 1 else f"[{j},{k}]"
                shown = formula if j == k == 0 else ""
                # "+ 0.0" prints -0.0 as 0.0
                print(f"  {name + index:<10} {a + 0.0:>14.10f} {b + 0.0:>14.10f}   {shown}")
    print(f"  largest difference: {worst:.1e}")
    model.zero_grad()


def write_pictures(model: nn.MLP, history: nn.History, X, y, sample: int, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Loss curve, decision boundary and one sample's graph, when the viz extra is here."""
    try:
        from nn import plots
    except ImportError:
        print("\nPictures need the visualization extra: pip install 'glassgrad[viz]'")
        return
    try:
        written = plots.demo_pictures(model, history, X, y, out, sample=sample)
    except plots.MissingExtra as error:
        print(f"\nNo pictures: {error}")
        return
    print("\nPictures:")
    for path in written:
        print(f"  {path}")


if __name__ == "__main__":
    sys.exit(main())
