"""The demo: train the article's 2-3-1 network and check its gradients by hand.

python -m nn                      # XOR, default settings
python -m nn --dataset moons      # two moons
glassgrad --help                  # the same, as a console script
python -m nn export model.json --torch train.py   # a PyTorch training script
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import warnings
from pathlib import Path

import nn
from autograd.language import argument_parser, display_width, language_asked, text, using_language
from nn import reference
from nn.data import DATASETS
from nn.train import TrainingWarning, fit

DEFAULTS = {"epochs": 300, "lr": 0.2, "optimizer": "momentum", "samples": 200}

#: File suffixes that make an --out name look like a file rather than a folder.
FILE_SUFFIXES = {
    ".png", ".svg", ".pdf", ".html", ".htm", ".jpg", ".jpeg", ".gif", ".webp",
    ".json", ".txt", ".csv", ".dot", ".gv",
}  # fmt: skip
STEP_EXAMPLE = '-m autograd.step "(a*b + a).tanh()" a=2 b=-3'
# What the demo says is in the message catalogue (autograd/messages), under demo.*.


def build_parser() -> argparse.ArgumentParser:
    """The demo's flags, their help in the current language."""
    parser = argument_parser(
        prog="glassgrad",
        description=text("demo.description"),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--dataset", choices=sorted(DATASETS), default="xor", help=text("demo.help.dataset")
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=argparse.SUPPRESS,  # so that a --samples given with xor can be noticed
        help=text("demo.help.samples", samples=DEFAULTS["samples"]),
    )
    parser.add_argument(
        "--epochs", type=int, default=DEFAULTS["epochs"], help=text("demo.help.epochs")
    )
    parser.add_argument("--lr", type=float, default=DEFAULTS["lr"], help=text("demo.help.lr"))
    parser.add_argument(
        "--optimizer",
        choices=["sgd", "momentum", "adam"],
        default=DEFAULTS["optimizer"],
        help=text("demo.help.optimizer"),
    )
    parser.add_argument("--seed", type=int, default=0, help=text("demo.help.seed"))
    parser.add_argument("--out", type=Path, default=Path("out"), help=text("demo.help.out"))
    parser.add_argument("--quiet", action="store_true", help=text("demo.help.quiet"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the exit status.

    Returns:
        0, 1 if training diverged or the output stopped being read (as in
        ``python -m nn | head``), or 2 for a usage error (argparse's exit code).
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["export"]:
        return export(arguments[1:])
    try:
        try:
            with using_language(language_asked(arguments)):
                return run(arguments)
        finally:
            # A reader that stopped early shows here, not as a traceback at exit.
            sys.stdout.flush()
    except BrokenPipeError:
        # Python's recipe: send the rest of the output nowhere, so the
        # interpreter's own flush at exit cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def run(argv: list[str] | None = None) -> int:
    """The demo itself: check the flags, train, print the check, write the pictures."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(text("demo.epochs_at_least_one"))
    problem = learning_rate_problem(args.lr)
    if problem:
        parser.error(problem)
    samples = getattr(args, "samples", None)
    if args.dataset != "xor" and samples is not None and samples < 4:
        parser.error(text("demo.samples_at_least_four"))
    if args.dataset == "xor" and samples is not None:
        others = ", ".join(sorted(set(DATASETS) - {"xor"}))
        note(parser, text("demo.samples_for_xor", others=others, samples=samples))
    samples = DEFAULTS["samples"] if samples is None else samples
    if args.out.suffix.lower() in FILE_SUFFIXES and not args.out.is_dir():
        folder = args.out.with_suffix("")
        parser.error(text("demo.out_is_a_file", out=args.out, folder=folder))
    # Check the output folder now, not after a long training run.
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(text("demo.out_cannot_make", out=args.out, reason=error.strerror))
    if not os.access(args.out, os.W_OK | os.X_OK):
        parser.error(text("demo.out_cannot_write", out=args.out))

    make = DATASETS[args.dataset]
    X, y = make(seed=args.seed) if args.dataset == "xor" else make(samples, seed=args.seed)
    test_X, test_y = (X, y) if args.dataset == "xor" else make(samples, seed=args.seed + 1000)
    model = nn.seed_network(seed=args.seed)
    print(text("demo.training", model=model, dataset=args.dataset, count=len(X)))
    settings = {"optimizer": args.optimizer, "lr": args.lr, "epochs": args.epochs}
    print(text("demo.settings", **settings, seed=args.seed))
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
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
    except FloatingPointError as error:
        said = diverged(error, args.lr, args.epochs)
        print(text("cli.error_line", prog=parser.prog, message=said), file=sys.stderr)
        return 1
    print(text("demo.final_loss", loss=f"{history.loss[-1]:.6f}"))
    print(text("demo.train_accuracy", accuracy=f"{history.accuracy[-1]:.1%}"))
    if args.dataset != "xor":
        tested = nn.accuracy(model, test_X, test_y)
        print(text("demo.test_accuracy", accuracy=f"{tested:.1%}"))
    # fit says when a run did not learn (diverged, stalled, dead units) and what to try.
    for warning in said:
        if issubclass(warning.category, TrainingWarning):
            note(parser, str(warning.message), warning=True)

    # Show a sample whose features are not zero, so that every formula has work to do.
    sample = max(range(len(X)), key=lambda i: min(abs(v) for v in X[i]))
    print_gradient_check(model, X[sample], y[sample])
    written = write_pictures(model, history, X, y, sample, args.out)
    print_next_steps(written)
    return 0


def note(parser: argparse.ArgumentParser, message: str, warning: bool = False) -> None:
    """One line on stderr, as argparse writes its errors: ``glassgrad: note: ...``
    (or ``glassgrad: warning: ...``), in the current language."""
    key = "cli.warning_line" if warning else "cli.note_line"
    print(text(key, prog=parser.prog, message=message), file=sys.stderr)


def learning_rate_problem(lr: float) -> str | None:
    """What is wrong with a learning rate, or None for a good one (finite and positive)."""
    if math.isnan(lr):  # float() accepts "nan" and "inf"
        reason = text("demo.lr.nan")
    elif math.isinf(lr):
        reason = text("demo.lr.inf", lr=lr)
    elif lr == 0:
        reason = text("demo.lr.zero")
    elif lr < 0:
        reason = text("demo.lr.negative", lr=f"{lr:g}")
    else:
        return None
    return text("demo.lr_not_positive", default=f"{DEFAULTS['lr']:g}", reason=reason)


def diverged(error: FloatingPointError, lr: float, epochs: int) -> str:
    """One line for a run whose loss or parameters became nan or inf, with an --lr to try.

    A tenth of a huge rate (1e5, 1e308) diverges too, so the advice is a
    tenth of the rate or the default rate, whichever is smaller.
    """
    finished = len(getattr(error, "history", nn.History()).loss)
    smaller = min(lr / 10, DEFAULTS["lr"])
    return text(
        "demo.diverged", epoch=finished + 1, epochs=epochs, lr=f"{lr:g}", smaller=f"{smaller:g}"
    )


def print_gradient_check(model: nn.MLP, x: list[float], target: float) -> None:
    """One sample: the engine's gradients beside the article's closed forms."""
    from nn.losses import bce_with_logits

    model.zero_grad()
    loss = bce_with_logits([model.logits(x)], [target])
    loss.backward()
    engine = reference.engine_gradients(model)
    closed = reference.backward(reference.Weights.of(model), x, target)
    print("\n" + text("demo.check_heading", x=x, y=target))
    columns = [text(f"demo.column.{name}") for name in ("parameter", "engine", "closed_form")]
    print(
        f"  {_padded(columns[0], 10)} {_padded(columns[1], 14, right=True)} "
        f"{_padded(columns[2], 14, right=True)}   {text('demo.column.formula')}"
    )
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
    print(text("demo.largest_difference", difference=f"{worst:.1e}"))
    model.zero_grad()


def _padded(word: str, width: int, right: bool = False) -> str:
    """``word`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    space = " " * max(0, width - display_width(word))
    return space + word if right else word + space


def print_next_steps(written: list[Path]) -> None:
    """Where to go from here: the stepper page, the lessons, the site, the step command."""
    steps: list[tuple[str, str]] = []
    stepper = next((path for path in written if path.name == "stepper.html"), None)
    if stepper is not None:
        steps.append((str(stepper), text("demo.next.stepper")))
    dev = Path(__file__).resolve().parents[1] / "dev.py"
    if dev.exists():  # a copy of the repository: its tasks are here
        steps.append((f"python3 {_shown_path(dev)} notebooks", text("demo.next.notebooks")))
        steps.append((f"python3 {_shown_path(dev)} site", text("demo.next.site")))
    steps.append((f"{_python_command()} {STEP_EXAMPLE}", text("demo.next.step_command")))
    print("\n" + text("demo.next_heading"))
    for command, what in steps:
        print(f"  {command}\n      {what}")


def _shown_path(path: Path) -> str:
    """``path`` as short as it can be written from here (relative when below this folder)."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _python_command() -> str:
    """How to run this Python from here: ``python`` if that is it, else its path."""
    on_path = shutil.which("python")
    if on_path and Path(on_path).absolute() == Path(sys.executable).absolute():
        return "python"
    return _shown_path(Path(sys.executable).absolute())


def write_pictures(model: nn.MLP, history: nn.History, X, y, sample: int, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """Loss curve, decision boundary and one sample's graph, when the viz extra is here.

    Returns:
        The files written (none without the viz extra).
    """
    try:
        from nn import plots
    except ImportError:
        print("\n" + text("demo.no_viz"))
        return []
    try:
        written = plots.demo_pictures(model, history, X, y, out, sample=sample)
    except plots.MissingExtra as error:
        print("\n" + text("demo.no_pictures", reason=error))
        return []
    print("\n" + text("demo.pictures"))
    for path in written:
        print(f"  {path}")
    return written


EXPORT_DEFAULTS = {"loss": "bce", "optimizer": "sgd", "lr": 0.1, "epochs": 100, "samples": 200}
#: The datasets that make any number of classes (``classes=k``).
CLASSES_DATASETS = ("blobs", "spirals")


def build_export_parser() -> argparse.ArgumentParser:
    """The flags of ``python -m nn export``: the model, the script, and fit's arguments."""
    from nn.losses import LOSSES

    parser = argument_parser(
        prog="glassgrad export",
        description=text("demo.export.description"),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("model", type=Path, help=text("demo.export.help.model"))
    parser.add_argument(
        "--torch",
        type=Path,
        required=True,
        metavar="SCRIPT",
        default=argparse.SUPPRESS,  # required: no default to show
        help=text("demo.export.help.torch"),
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument(
        "--dataset", choices=sorted(DATASETS), default="xor", help=text("demo.help.dataset")
    )
    data.add_argument(
        "--data",
        type=Path,
        metavar="CSV",
        default=argparse.SUPPRESS,
        help=text("demo.export.help.data"),
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=EXPORT_DEFAULTS["samples"],
        help=text("demo.export.help.samples"),
    )
    parser.add_argument(
        "--loss",
        choices=list(LOSSES),
        default=EXPORT_DEFAULTS["loss"],
        help=text("demo.export.help.loss"),
    )
    parser.add_argument(
        "--optimizer",
        choices=["sgd", "momentum", "adam"],
        default=EXPORT_DEFAULTS["optimizer"],
        help=text("demo.export.help.as_fit"),
    )
    parser.add_argument(
        "--lr", type=float, default=EXPORT_DEFAULTS["lr"], help=text("demo.help.lr")
    )
    parser.add_argument(
        "--epochs", type=int, default=EXPORT_DEFAULTS["epochs"], help=text("demo.help.epochs")
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help=text("demo.export.help.batch_size")
    )
    parser.add_argument(
        "--weight-decay", type=float, default=0.0, help=text("demo.export.help.weight_decay")
    )
    parser.add_argument("--seed", type=int, default=0, help=text("demo.export.help.seed"))
    return parser


def export(argv: list[str]) -> int:
    """``python -m nn export``: write a PyTorch training script; returns the exit status.

    Returns:
        0, 1 if the script could not be written, or 2 for a usage error (a
        bad flag, or a model or data file that cannot be used).
    """
    with using_language(language_asked(argv)):
        return _export(argv)


def _export(argv: list[str]) -> int:
    import importlib.util

    from nn import export as exporting
    from nn.data import from_csv

    parser = build_export_parser()
    args = parser.parse_args(argv)
    args.data = getattr(args, "data", None)
    if args.dataset != "xor" and args.data is None and args.samples < 4:
        parser.error(text("demo.samples_at_least_four"))
    try:
        model = nn.MLP.from_file(args.model)
        # cross_entropy learns one class per output: the data has as many.
        per_output: dict[str, int] = {}
        if args.loss == "cross_entropy" and model.sizes[-1] > 1:
            per_output = {"classes": model.sizes[-1]}
        if args.data is not None:
            X, y = from_csv(args.data, **per_output)
            source = text("demo.export.source", source=args.data, count=len(X))
        else:
            make = DATASETS[args.dataset]
            if args.dataset == "xor":
                X, y = make(seed=args.seed)
            elif args.dataset in CLASSES_DATASETS:
                X, y = make(args.samples, seed=args.seed, **per_output)
            else:
                X, y = make(args.samples, seed=args.seed)
            source = text("demo.export.source", source=args.dataset, count=len(X))
        exporting.torch_script(
            model,
            X,
            y,
            loss=args.loss,
            optimizer=args.optimizer,
            lr=args.lr,
            epochs=args.epochs,
            batch_size=args.batch_size,
            weight_decay=args.weight_decay,
            seed=args.seed,
            path=args.torch,
        )
    except OSError as error:  # writing the script
        print(text("cli.error_line", prog=parser.prog, message=error), file=sys.stderr)
        return 1
    except (ValueError, TypeError) as error:
        parser.error(str(error))
    print(text("demo.export.wrote", script=args.torch, model=model, source=source))
    print(text("demo.export.run_it", script=args.torch))
    if importlib.util.find_spec("torch") is None:
        print(text("demo.export.needs_torch", version=exporting.TORCH_VERSION))
    return 0


if __name__ == "__main__":
    sys.exit(main())
