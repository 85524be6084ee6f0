"""Moving on to PyTorch: the same model, a training script, and the proof that they agree.

A model trained on glassgrad's scalars can move to a framework without
starting over::

    import nn
    from nn import export

    model = nn.seed_network(seed=0)
    X, y = nn.data.moons(200)
    torch_model = export.to_torch(model)          # torch.nn.Sequential, float64, same weights
    export.torch_script(model, X, y, lr=0.5, epochs=300, path="train.py")
    print(export.compare(model, X, y, steps=20, lr=0.5))

``to_torch`` gives the same network as a ``torch.nn.Sequential`` (float64,
the same weights, one output per class for a multi-class model).
``torch_script`` writes a short, standalone training script (model, data,
loss, optimizer, loop) that reproduces ``nn.fit`` with the same arguments:
the same initial weights, the same batches in the same order (Python's own
``random``, seeded as ``fit`` seeds it), the same loss (for
``loss="cross_entropy"``, ``torch.nn.CrossEntropyLoss`` on the class
numbers as long integers) and the same optimizer. ``compare`` runs that
very script's training step beside glassgrad's, step by step, and reports
how far apart they are.

PyTorch is optional (``pip install 'glassgrad[torch]'``). Writing a script
needs nothing; ``to_torch`` and ``compare`` raise ``MissingTorch`` (an
ImportError) saying what to install. The command line writes a script too:
``python -m nn export model.json --torch train.py``.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
import pprint
import secrets
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import language
from nn.data import batches, check_batch_size
from nn.layers import MLP
from nn.losses import LOSSES, ON_LOGITS, check_outputs, check_targets
from nn.optim import SGD, Adam, Optimizer, make_optimizer
from nn.train import forward_batch

#: Each activation of glassgrad's layers as a ``torch.nn`` module's name.
TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Identity"}

#: The version the ``torch`` extra installs, and the tests check against.
TORCH_VERSION = "2.13.0"

#: The loss of each name of ``nn.losses.LOSSES`` in PyTorch, as the script
#: writes it: ``loss_function(outputs, targets)`` on a batch's outputs (the
#: logits for bce and cross_entropy) and labels, giving the batch mean. Each
#: is the same formula as glassgrad's (see ``nn.losses``).
TORCH_LOSSES = {
    "bce": (
        "# bce on logits: the mean of BCE(σ(z), y) over the batch, from the last layer's z\n"
        "# (before the sigmoid), stable for any z; its gradient at z is (ŷ − y)/m.\n"
        "loss_function = torch.nn.BCEWithLogitsLoss()\n"
    ),
    "bce_prob": (
        "def loss_function(probabilities, targets):\n"
        '    """glassgrad\'s bce on probabilities ŷ: clamped into [1e-12, 1 − 1e-12] so that\n'
        '    log never sees 0 (torch.nn.BCELoss clamps the log at -100 instead)."""\n'
        "    p = probabilities.clamp(1e-12, 1 - 1e-12)\n"
        "    return -(targets * p.log() + (1 - targets) * (1 - p).log()).mean()\n"
    ),
    "mse": "loss_function = torch.nn.MSELoss()  # the mean of (ŷ − y)² over the batch\n",
    "hinge": (
        "def loss_function(scores, targets):\n"
        '    """The mean of max(0, 1 − s·score), s = +1 for class 1 and −1 for the other."""\n'
        "    signs = torch.where(targets > 0, 1.0, -1.0).to(scores.dtype)\n"
        "    return torch.relu(1 - signs * scores).mean()\n"
    ),
    "cross_entropy": (
        "# cross_entropy on logits: the mean of −log softmax(z)[y] over the batch, from the last\n"
        "# layer's z (one per class), stable for any z; its gradient at z is (p − y)/m, y the\n"
        "# label's one-hot row. The targets are class numbers (long integers).\n"
        "loss_function = torch.nn.CrossEntropyLoss()\n"
    ),
}


class MissingTorch(ImportError):
    """PyTorch is needed and not installed; the message says what to install."""


def missing_torch_message(what: str = "this") -> str:
    """What to install to get PyTorch, for ``what`` needs it ("to_torch", a lesson's cells)."""
    return language.text("error.export.needs_torch", what=what, version=TORCH_VERSION)


def import_torch(what: str = "this") -> Any:
    """The ``torch`` module, or ``MissingTorch`` saying what to install.

    Args:
        what: what needs PyTorch, for the message ("to_torch", "compare").
    """
    try:
        import torch
    except ImportError:
        raise MissingTorch(missing_torch_message(what)) from None
    return torch


def torch_available() -> bool:
    """Whether PyTorch can be imported here (it is imported to find out)."""
    try:
        import_torch()
    except MissingTorch:
        return False
    return True


def to_torch(model: MLP) -> Any:
    """The same network in PyTorch: a float64 ``torch.nn.Sequential`` with the same weights.

    Layer ``i`` of the model becomes ``torch.nn.Linear`` at index ``2·i``,
    followed by its activation at ``2·i + 1`` (``torch.nn.Identity`` for
    linear). Row ``j`` of a Linear's ``weight`` holds neuron ``j``'s weights
    (the article's ``W1[j, k]``), its ``bias[j]`` the neuron's bias. The
    weights are copied, so training one model leaves the other as it was.
    ``torch_model(X)`` on a batch of rows gives ``nn.predict(model, X)``
    (a row of one output per class for a multi-class model);
    ``torch_model[:-1]`` is the same layers without the last activation (the
    logits, what ``torch.nn.BCEWithLogitsLoss`` and ``CrossEntropyLoss`` take).

    Raises:
        MissingTorch: if PyTorch is not installed (saying what to install).
        TypeError: if ``model`` is not an ``nn.MLP``.
    """
    _check_model(model, "to_torch")
    torch = import_torch("to_torch")
    modules = []
    for layer, activation in zip(model.layers, model.activations):
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        weight, bias = _layer_weights(layer)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weight, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(bias, dtype=torch.float64))
        modules += [linear, getattr(torch.nn, TORCH_ACTIVATIONS[activation])()]
    return torch.nn.Sequential(*modules)


def torch_script(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    loss: str = "bce",
    optimizer: str | Optimizer = "sgd",
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    weight_decay: float = 0.0,
    seed: int = 0,
    path: str | Path | None = None,
) -> str:
    """A standalone PyTorch script that trains ``model`` as ``nn.fit`` with these arguments would.

    The script holds the model (``torch.nn.Sequential``, float64), its
    current weights, the data, the loss, the optimizer and the loop, and
    needs nothing but PyTorch. It makes the same batches in the same order
    as ``fit`` (Python's ``random.Random(seed + epoch)`` shuffles the
    samples of each epoch) and prints each epoch's loss and training
    accuracy as ``fit``'s History holds them: equal to glassgrad's to about
    1e-15 (rounding, not maths: see ``compare``). ``python train.py --save
    trained.json`` also writes the trained model as a glassgrad model file,
    which ``nn.MLP.load("trained.json")`` reads back.

    The arguments are ``fit``'s (see ``nn.fit``); an optimizer given as an
    object must be a fresh ``nn.SGD`` or ``nn.Adam`` (a schedule becomes one
    learning rate per epoch in the script). Writing the script needs no
    PyTorch.

    Args:
        path: also write the script there (whole or not at all).

    Returns:
        The script's text.

    Raises:
        ValueError, TypeError: for arguments ``fit`` would refuse, a model
            with nan or inf weights, or an optimizer export cannot write;
            checked before anything is written.
        OSError: if ``path`` cannot be written (nothing is left behind).
    """
    plan = _plan(
        "torch_script", model, X, y, loss, optimizer, lr, epochs, batch_size, weight_decay, seed
    )
    text = _script(plan, "train.py" if path is None else Path(path).name)
    if path is not None:
        _write_whole(Path(path), text)
    return text


@dataclasses.dataclass
class Comparison:
    """glassgrad and PyTorch trained side by side: how far apart they are at each step.

    Each difference is relative: the largest ``|ours − theirs|`` over the
    step's numbers, divided by the largest magnitude among them (so a
    gradient that is 0 in one and 1e-20 in the other counts as the rounding
    it is, not as an infinite relative error). float64's rounding unit is
    1.1e-16; a handful of them per step is rounding, not a different
    computation.

    Attributes:
        loss: the relative difference of the batch loss at each step.
        gradients: of the gradients of all parameters at each step.
        parameters: of all parameters after each step's update.
        glassgrad_loss, torch_loss: each step's batch loss.
        glassgrad_model: the glassgrad copy after the last step.
        torch_model: the PyTorch model after the last step.
    """

    loss: list[float] = dataclasses.field(default_factory=list)
    gradients: list[float] = dataclasses.field(default_factory=list)
    parameters: list[float] = dataclasses.field(default_factory=list)
    glassgrad_loss: list[float] = dataclasses.field(default_factory=list)
    torch_loss: list[float] = dataclasses.field(default_factory=list)
    glassgrad_model: MLP | None = None
    torch_model: Any = None

    @property
    def steps(self) -> int:
        """How many training steps were compared."""
        return len(self.loss)

    def largest(self) -> dict[str, float]:
        """The largest relative difference over all steps, of the loss, gradients and parameters."""
        return {
            "loss": max(self.loss, default=0.0),
            "gradients": max(self.gradients, default=0.0),
            "parameters": max(self.parameters, default=0.0),
        }

    def within(self, tolerance: float = 1e-12) -> bool:
        """Whether every difference is at most ``tolerance`` (relative)."""
        return all(value <= tolerance for value in self.largest().values())

    def table(self, rows: int = 20) -> str:
        """The differences step by step (the first and last ``rows // 2`` of a long run)."""
        header = "  ".join(
            language.right_aligned(language.text(key), width)
            for key, width in (
                ("compare.column.step", 5),
                ("compare.column.glassgrad_loss", 20),
                ("compare.column.torch_loss", 20),
                ("compare.loss", 8),
                ("compare.gradients", 9),
                ("compare.parameters", 10),
            )
        )
        lines = [header]
        shown = list(range(self.steps))
        if len(shown) > rows:
            shown = [*shown[: rows // 2], -1, *shown[-(rows - rows // 2) :]]
        for step in shown:
            if step == -1:
                lines.append(f"{'...':>5}")
                continue
            lines.append(
                f"{step + 1:>5}  {self.glassgrad_loss[step]:>20.15f}  "
                f"{self.torch_loss[step]:>20.15f}  {self.loss[step]:>8.1e}  "
                f"{self.gradients[step]:>9.1e}  {self.parameters[step]:>10.1e}"
            )
        return "\n".join(lines)

    def summary(self) -> str:
        """One sentence: the largest differences, in float64's rounding units."""
        largest = self.largest()
        unit = 2.0**-53
        names = {
            "loss": language.text("compare.loss"),
            "gradients": language.text("compare.gradients"),
            "parameters": language.text("compare.parameters"),
        }
        parts = language.text("list.separator").join(
            language.text(
                "compare.part", name=names[name], value=f"{value:.1e}", units=f"{value / unit:.0f}"
            )
            for name, value in largest.items()
        )
        return language.text("compare.summary", steps=self.steps, parts=parts, unit=f"{unit:.1e}")

    def __str__(self) -> str:
        return f"{self.table()}\n{self.summary()}"

    def __repr__(self) -> str:
        return f"Comparison({self.summary()})"


def compare(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    *,
    steps: int = 20,
    loss: str = "bce",
    optimizer: str | Optimizer = "sgd",
    lr: float = 0.1,
    batch_size: int | None = None,
    weight_decay: float = 0.0,
    seed: int = 0,
) -> Comparison:
    """Train ``model`` in glassgrad and in PyTorch side by side; how far apart are they?

    Both start from the model's weights (copies of it: ``model`` itself is
    not changed). glassgrad takes ``nn.fit``'s steps with these arguments;
    PyTorch takes the steps of the script ``torch_script`` writes for them
    (the script's own code runs here). After each step the loss, every
    gradient and every parameter are compared. In float64 they agree to a
    few rounding units: the same maths, added up in other orders (a
    matrix product sums its terms its own way).

    Args:
        steps: how many updates (batches) to compare; an epoch is
            ``ceil(len(X) / batch_size)`` of them.
        loss, optimizer, lr, batch_size, weight_decay, seed: as for ``nn.fit``.

    Returns:
        The ``Comparison``: print it for a table step by step.

    Raises:
        MissingTorch: if PyTorch is not installed (saying what to install).
        ValueError, TypeError: for arguments ``fit`` would refuse.
        FloatingPointError: if the loss becomes nan or inf (training diverged).
    """
    steps = _whole(steps, "steps", 1)
    plan = _plan("compare", model, X, y, loss, optimizer, lr, 1, batch_size, weight_decay, seed)
    size = plan.batch_size or len(plan.samples)
    per_epoch = -(-len(plan.samples) // size)
    plan = dataclasses.replace(plan, epochs=-(-steps // per_epoch))
    torch = import_torch("compare")
    script = _load_script(_script(plan, "train.py"))
    ours = MLP(model.nin, model.sizes, model.activations, fused=model.fused)
    ours.load_state_dict(model.state_dict())
    parameters = ours.parameters()
    ours_optimizer = plan.optimizer.make(parameters)
    theirs = script["model"]
    comparison = Comparison(glassgrad_model=ours, torch_model=theirs)
    samples, labels = plan.samples, plan.labels
    for epoch in range(plan.epochs):
        ours_optimizer.set_epoch(epoch)
        if "set_learning_rate" in script:
            script["set_learning_rate"](epoch)
        our_batches = batches(samples, labels, plan.batch_size, shuffle=True, seed=seed + epoch)
        for (X_batch, y_batch), batch in zip(our_batches, script["batches"](epoch), strict=True):
            with autograd.collector_paused():
                batch_loss = _batch_loss(ours, X_batch, y_batch, plan)
                if not math.isfinite(batch_loss.data):
                    raise FloatingPointError(
                        language.text(
                            "error.export.diverged", step=comparison.steps + 1, loss=batch_loss.data
                        )
                    )
                ours_optimizer.zero_grad()
                batch_loss.backward()
                our_gradients = [p.grad for p in parameters]
                ours_optimizer.step()
            their_loss = script["train_step"](batch)
            comparison.glassgrad_loss.append(batch_loss.data)
            comparison.torch_loss.append(their_loss)
            comparison.loss.append(relative_difference([batch_loss.data], [their_loss]))
            comparison.gradients.append(
                relative_difference(our_gradients, _flat(torch, theirs, "grad"))
            )
            comparison.parameters.append(
                relative_difference([p.data for p in parameters], _flat(torch, theirs, "data"))
            )
            if comparison.steps == steps:
                return comparison
    return comparison


def relative_difference(ours: Sequence[float], theirs: Sequence[float]) -> float:
    """The largest ``|a − b|`` over pairs, relative to the largest magnitude among them.

    0.0 when both are all zeros; nan when a number is nan; inf when one
    side is infinite and the other is not.
    """
    if len(ours) != len(theirs):
        raise ValueError(language.text("error.export.lengths", ours=len(ours), theirs=len(theirs)))
    scale = max((max(abs(a), abs(b)) for a, b in zip(ours, theirs)), default=0.0)
    worst = max((abs(a - b) for a, b in zip(ours, theirs)), default=0.0)
    if any(math.isnan(a) or math.isnan(b) for a, b in zip(ours, theirs)):
        return math.nan
    if math.isinf(scale):
        same = all(a == b for a, b in zip(ours, theirs))
        return 0.0 if same else math.inf
    return worst / scale if scale else 0.0


# How a training run is described, once checked: what the script and compare share.


@dataclasses.dataclass(frozen=True)
class _OptimizerPlan:
    """An optimizer both engines can make: glassgrad's maths and PyTorch's are the same."""

    kind: str  # "sgd" or "adam"
    lr: float
    momentum: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    schedule: Callable[[int], float] | None = None
    name: str | None = None  # the name it was given by, if any

    def make(self, parameters: Sequence[autograd.Value]) -> Optimizer:
        """glassgrad's optimizer, as ``fit`` makes it from the name, or a twin of the object."""
        if self.name is not None:
            return make_optimizer(self.name, parameters, self.lr)
        if self.kind == "sgd":
            return SGD(parameters, self.lr, momentum=self.momentum, schedule=self.schedule)
        return Adam(parameters, self.lr, betas=self.betas, eps=self.eps, schedule=self.schedule)

    def torch_source(self) -> str:
        """The line that makes PyTorch's optimizer, in the script."""
        lr = _number(self.lr)
        if self.kind == "sgd":
            momentum = f", momentum={_number(self.momentum)}" if self.momentum else ""
            return f"optimizer = torch.optim.SGD(model.parameters(), lr={lr}{momentum})\n"
        betas = f"({_number(self.betas[0])}, {_number(self.betas[1])})"
        return (
            f"optimizer = torch.optim.Adam(model.parameters(), lr={lr}, betas={betas}, "
            f"eps={_number(self.eps)})\n"
        )

    def describe(self) -> str:
        """How ``fit`` was given this optimizer, for the script's docstring."""
        if self.name is not None:
            return f"optimizer={self.name!r}, lr={_number(self.lr)}"
        if self.kind == "sgd":
            made = f"nn.SGD(model.parameters(), lr={_number(self.lr)}"
            made += f", momentum={_number(self.momentum)}" if self.momentum else ""
        else:
            betas = f"({_number(self.betas[0])}, {_number(self.betas[1])})"
            made = f"nn.Adam(model.parameters(), lr={_number(self.lr)}, betas={betas}, "
            made += f"eps={_number(self.eps)}"
        return f"optimizer={made}{', schedule=...' if self.schedule else ''})"


@dataclasses.dataclass(frozen=True)
class _Plan:
    """A model and a training run, checked as ``fit`` checks them."""

    model: MLP
    samples: list[list[float]]
    labels: list[float]
    loss: str
    optimizer: _OptimizerPlan
    epochs: int
    batch_size: int | None
    weight_decay: float
    seed: int


def _plan(
    what: str,
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    loss: str,
    optimizer: str | Optimizer,
    lr: float,
    epochs: int,
    batch_size: int | None,
    weight_decay: float,
    seed: int,
) -> _Plan:
    _check_model(model, what)
    if loss not in LOSSES:
        raise ValueError(
            language.text("error.fit.unknown_loss", given=repr(loss), choices=", ".join(LOSSES))
        )
    check_outputs(loss, model.sizes[-1], what)
    for name, value in model.state_dict().items():
        if not math.isfinite(value):
            raise ValueError(language.text("error.export.not_finite", name=name, value=value))
    samples = _samples(what, X, model.nin)
    labels = _labels(what, y, len(samples))
    check_targets(loss, labels, classes=model.sizes[-1])
    epochs = _whole(epochs, "epochs", 1)
    seed = _whole(seed, "seed")
    check_batch_size(batch_size)
    if isinstance(weight_decay, bool) or not (
        isinstance(weight_decay, numbers.Real) and math.isfinite(weight_decay) and weight_decay >= 0
    ):
        raise ValueError(language.text("error.fit.weight_decay", given=repr(weight_decay)))
    return _Plan(
        model=model,
        samples=samples,
        labels=labels,
        loss=loss,
        optimizer=_optimizer_plan(optimizer, lr, model),
        epochs=epochs,
        batch_size=None if batch_size is None else int(batch_size),
        weight_decay=float(weight_decay),
        seed=seed,
    )


def _optimizer_plan(optimizer: str | Optimizer, lr: float, model: MLP) -> _OptimizerPlan:
    if isinstance(optimizer, str):
        made = make_optimizer(optimizer, model.parameters(), lr)  # checks the name and lr
        return _plan_of(made, name=optimizer)
    if type(optimizer) not in (SGD, Adam):
        raise TypeError(language.text("error.export.optimizer_kind", kind=type(optimizer).__name__))
    own = set(model.parameters())
    if any(p not in own for p in optimizer.parameters):
        raise ValueError(language.text("error.export.optimizer_strangers"))
    if isinstance(optimizer, SGD) and any(optimizer.velocity):
        state = language.text("error.export.velocity")
        raise ValueError(language.text("error.export.optimizer_used", state=state))
    if isinstance(optimizer, Adam) and optimizer.t:
        state = language.text("error.export.step_count")
        raise ValueError(language.text("error.export.optimizer_used", state=state))
    return _plan_of(optimizer)


def _plan_of(optimizer: Optimizer, name: str | None = None) -> _OptimizerPlan:
    if isinstance(optimizer, SGD):
        return _OptimizerPlan(
            "sgd", optimizer.lr, momentum=optimizer.momentum, schedule=optimizer.schedule, name=name
        )
    assert isinstance(optimizer, Adam)
    return _OptimizerPlan(
        "adam",
        optimizer.lr,
        betas=(optimizer.beta1, optimizer.beta2),
        eps=optimizer.eps,
        schedule=optimizer.schedule,
        name=name,
    )


def _check_model(model: Any, what: str) -> None:
    if not isinstance(model, MLP):
        raise TypeError(
            language.text("error.export.not_an_mlp", what=what, kind=type(model).__name__)
        )


def _whole(value: Any, name: str, minimum: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or (minimum is not None and value < minimum)
    ):
        if minimum is None:
            raise ValueError(language.text("error.fit.whole_number", name=name, given=repr(value)))
        raise ValueError(
            language.text(
                "error.fit.whole_number_at_least", name=name, minimum=minimum, given=repr(value)
            )
        )
    return int(value)


def _sized(X: Any) -> bool:
    return hasattr(X, "__len__")


def _samples(what: str, X: Any, nin: int) -> list[list[float]]:
    if not _sized(X) or isinstance(X, str):
        raise TypeError(language.text("error.export.samples", what=what, kind=type(X).__name__))
    if len(X) == 0:
        raise ValueError(language.text("error.export.empty", what=what))
    samples = []
    for index, sample in enumerate(X):
        if not _sized(sample) or isinstance(sample, str) or len(sample) != nin:
            raise ValueError(
                language.text(
                    "error.export.sample", what=what, index=index, sample=repr(sample), nin=nin
                )
            )
        row = []
        for feature, value in enumerate(sample):
            real = isinstance(value, numbers.Real) and not isinstance(value, bool)
            if not real or not math.isfinite(value):
                raise ValueError(
                    language.text(
                        "error.export.feature",
                        what=what,
                        index=index,
                        feature=feature,
                        value=repr(value),
                    )
                )
            row.append(float(value))
        samples.append(row)
    return samples


def _labels(what: str, y: Any, count: int) -> list[float]:
    if not _sized(y) or isinstance(y, str):
        raise TypeError(language.text("error.export.targets", what=what, kind=type(y).__name__))
    if len(y) != count:
        raise ValueError(
            language.text("error.export.labels", what=what, samples=count, labels=len(y))
        )
    labels = []
    for index, label in enumerate(y):
        if isinstance(label, bool) or not isinstance(label, numbers.Real):
            raise TypeError(
                language.text("error.export.label", what=what, index=index, value=repr(label))
            )
        labels.append(float(label))
    return labels


def _batch_loss(model: MLP, X_batch: list[list[float]], y_batch: list[float], plan: _Plan) -> Any:
    """The loss ``fit`` minimises on one batch: the loss, plus ``λ·Σp²`` if any."""
    batch_loss = LOSSES[plan.loss](forward_batch(model, X_batch, plan.loss), y_batch)
    if plan.weight_decay:
        parameters = model.parameters()
        batch_loss = batch_loss + plan.weight_decay * autograd.dot(parameters, parameters)
    return batch_loss


def _layer_weights(layer: Any) -> tuple[list[list[float]], list[float]]:
    """A layer's weight matrix (row j: neuron j's weights) and bias vector, as floats."""
    return [[w.data for w in neuron.w] for neuron in layer.neurons], [
        neuron.b.data for neuron in layer.neurons
    ]


def _flat(torch: Any, module: Any, what: str) -> list[float]:
    """A Sequential's parameters (``data``) or gradients (``grad``) in glassgrad's order:
    layer by layer, neuron by neuron, each neuron's weights then its bias."""
    numbers_out: list[float] = []
    for linear in module:
        if not isinstance(linear, torch.nn.Linear):
            continue
        weight, bias = getattr(linear.weight, what), getattr(linear.bias, what)
        for row, b in zip(weight.tolist(), bias.tolist()):
            numbers_out += [*row, b]
    return numbers_out


# The script.


def _number(value: float) -> str:
    """A float as Python source that reads back as the same float."""
    return repr(float(value))


def _literal(value: Any, indent: int) -> str:
    """A list of numbers (or of lists of them) as Python source, packed, wrapped to fit."""
    text = pprint.pformat(value, width=WIDTH - indent, compact=True, sort_dicts=False)
    return text.replace("\n", "\n" + " " * indent)


def _matrix(rows: list[list[float]]) -> str:
    """A weight matrix as Python source, one neuron's row per line."""
    lines = "".join(f"    {_literal(row, 4)},\n" for row in rows)
    return f"[\n{lines}]"


#: The longest line the script aims for.
WIDTH = 99


def _script(plan: _Plan, name: str) -> str:
    model = plan.model
    widths = [model.nin, *model.sizes]
    described = " -> ".join(
        [f"{model.nin} inputs"] + [f"{s} {a}" for s, a in zip(model.sizes, model.activations)]
    )
    fit_call = textwrap.fill(
        f"nn.fit(model, X, y, loss={plan.loss!r}, {plan.optimizer.describe()}, "
        f"epochs={plan.epochs}, batch_size={plan.batch_size}, "
        f"weight_decay={_number(plan.weight_decay)}, seed={plan.seed})",
        width=WIDTH - 4,
        initial_indent="    ",
        subsequent_indent="           ",
        break_on_hyphens=False,
    )
    one_per_class = model.sizes[-1] > 1  # cross_entropy's outputs
    layers = "".join(
        f"    torch.nn.Linear({widths[i]}, {widths[i + 1]}, dtype=DTYPE),\n"
        f"    torch.nn.{TORCH_ACTIVATIONS[activation]}(),\n"
        for i, activation in enumerate(model.activations)
    )
    weights = ""
    copies = ""
    for number, layer in enumerate(model.layers, start=1):
        weight, bias = _layer_weights(layer)
        weights += f"W{number} = {_matrix(weight)}\n"
        weights += f"b{number} = {_literal(bias, 5 + len(str(number)))}\n"
        index = 2 * (number - 1)
        copies += f"    model[{index}].weight.copy_(torch.tensor(W{number}, dtype=DTYPE))\n"
        copies += f"    model[{index}].bias.copy_(torch.tensor(b{number}, dtype=DTYPE))\n"
    if plan.loss in ON_LOGITS:
        forward = (
            "logits = model[:-1]  # the same layers without the last activation: "
            f"{plan.loss} takes z\n"
        )
        outputs = "logits(X[batch])"
    else:
        forward = ""
        outputs = "model(X[batch])"
    if one_per_class:
        # A class number per sample; one output per class, and the largest is the class.
        labels = "y = torch.tensor(\n    " + _literal([int(v) for v in plan.labels], 4)
        labels += ",\n    dtype=torch.long,  # class numbers, as CrossEntropyLoss takes them\n)"
        rule = ""
        predicted = "predicted = model(X).argmax(1)  # the class of the largest output"
        right = "(predicted == y)"
    else:
        outputs += ".squeeze(1)"
        labels = f"y = torch.tensor(\n    {_literal(plan.labels, 4)},\n    dtype=DTYPE,\n)"
        threshold = 0.5 if model.activations[-1] == "sigmoid" else 0.0
        rule = f"THRESHOLD = {threshold}  # an output above this means class 1\n"
        predicted = "predicted = model(X).squeeze(1) > THRESHOLD"
        right = "(predicted == (y > 0))"
    decay = ""
    if plan.weight_decay:
        decay = (
            "    # glassgrad's weight_decay λ adds λ·Σp² to the loss (its gradient 2·λ·p), so the\n"
            "    # loss printed is glassgrad's. torch.optim's weight_decay=λ adds λ·p to the\n"
            "    # gradient instead: the same as this with λ/2, but left out of the loss.\n"
            "    loss = loss + WEIGHT_DECAY * sum((p * p).sum() for p in model.parameters())\n"
        )
    schedule = ""
    schedule_call = ""
    if plan.optimizer.schedule is not None:
        rates = [float(plan.optimizer.schedule(epoch)) for epoch in range(plan.epochs)]
        schedule = (
            "\n\n# glassgrad's schedule: the learning rate of each epoch.\n"
            f"LEARNING_RATES = {_literal(rates, 17)}\n\n\n"
            "def set_learning_rate(epoch):\n"
            '    """Set this epoch\'s learning rate, as glassgrad\'s schedule does."""\n'
            "    for group in optimizer.param_groups:\n"
            '        group["lr"] = LEARNING_RATES[epoch]\n'
        )
        schedule_call = "        set_learning_rate(epoch)\n"
    batch_size = "len(X)  # the full batch" if plan.batch_size is None else str(plan.batch_size)
    architecture = model.architecture()
    return f'''"""Train glassgrad's MLP ({described}) in PyTorch.

Written by glassgrad (nn.export.torch_script) to do what
{fit_call}
does: the same initial weights, the same data in the same batches, the same
loss and the same optimizer, in float64 as glassgrad computes. Each epoch's
loss and training accuracy equal glassgrad's History to about 1e-15.

    python {name}                      # train, printing each epoch
    python {name} --save trained.json  # and save it for nn.MLP.load("trained.json")

Needs only PyTorch.
"""

import argparse
import json
import math
import random

import torch

DTYPE = torch.float64  # glassgrad's numbers are Python floats: float64

# The model: each Linear is the article's z = W·x + b, followed by its activation.
model = torch.nn.Sequential(
{layers})
{forward}
# glassgrad's weights. Row j of W1 holds neuron j's weights (the article's
# W1[j, k]: from input k to neuron j of layer 1), b1[j] its bias.
{weights}
with torch.no_grad():
{copies}
# The data: one row of features per sample, and its label.
X = torch.tensor(
    {_literal(plan.samples, 4)},
    dtype=DTYPE,
)
{labels}

{TORCH_LOSSES[plan.loss]}
{plan.optimizer.torch_source()}EPOCHS = {plan.epochs}
BATCH_SIZE = {batch_size}
WEIGHT_DECAY = {_number(plan.weight_decay)}
SEED = {plan.seed}
{rule}ARCHITECTURE = {_literal(architecture, 15)}{schedule}


def batches(epoch):
    """This epoch's batches of sample numbers, as glassgrad's fit makes them:
    the samples shuffled by Python's random.Random(SEED + epoch), then cut."""
    order = list(range(len(X)))
    random.Random(SEED + epoch).shuffle(order)
    return [order[start : start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]


def train_step(batch):
    """One update on the samples numbered in batch: forward, loss, backward, update."""
    loss = loss_function({outputs}, y[batch])
{decay}    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def accuracy():
    """The fraction of samples classified right."""
    with torch.no_grad():
        {predicted}
    return {right}.sum().item() / len(X)


def train():
    """Every epoch's steps; prints the epoch's mean loss and accuracy, as in fit's History."""
    for epoch in range(EPOCHS):
{schedule_call}        total = 0.0
        for batch in batches(epoch):
            total += train_step(batch) * len(batch)
        print(f"epoch {{epoch + 1}}  loss {{total / len(X)!r}}  accuracy {{accuracy()!r}}")


def save_for_glassgrad(path):
    """Write the model as a glassgrad model file: nn.MLP.load(path) reads it."""
    parameters = {{}}
    for i, linear in enumerate(model[0::2]):
        weights, biases = linear.weight.tolist(), linear.bias.tolist()
        for j, (row, bias) in enumerate(zip(weights, biases, strict=True)):
            for k, weight in enumerate(row):
                parameters[f"layers.{{i}}.neurons.{{j}}.w.{{k}}"] = weight
            parameters[f"layers.{{i}}.neurons.{{j}}.b"] = bias
    for name, value in parameters.items():
        if not math.isfinite(value):
            parameters[name] = str(value)  # "nan", "inf" or "-inf", as glassgrad writes them
    document = {{
        "format": "glassgrad-model",
        "version": 1,
        "architecture": ARCHITECTURE,
        "parameters": parameters,
    }}
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--save", metavar="PATH", help="then write the trained model as a glassgrad model file"
    )
    arguments = parser.parse_args()
    train()
    if arguments.save:
        save_for_glassgrad(arguments.save)
'''


def _load_script(source: str) -> dict[str, Any]:
    """Run a script's definitions (not its training): its model, data, loss, optimizer, steps."""
    namespace: dict[str, Any] = {"__name__": "glassgrad_torch_script"}
    exec(compile(source, "<nn.export.torch_script>", "exec"), namespace)
    return namespace


def _write_whole(target: Path, text: str) -> None:
    """Write ``text`` to a new file beside ``target`` and rename it over: whole or not at all."""
    target = target.expanduser()
    if target.is_dir():
        raise IsADirectoryError(language.text("error.export.directory", path=target))
    if not target.parent.is_dir():
        raise FileNotFoundError(
            language.text("error.export.no_directory", path=target, folder=target.parent)
        )
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
