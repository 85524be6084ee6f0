"""The playground: watch a small network learn a 2-D dataset, pause, explain one sample.

``Playground`` holds everything a playground view shows, in plain Python:
the data (a train/test split of one of ``nn.data``'s datasets), the model
(the article's 2-3-1 network, or any small MLP with 2 inputs and 1 output),
the optimizer, and the training loop. It makes the views' data as *frames*:

* ``setup()``: what changes only when the data or the network change: the
  points, the layer sizes, the input plane's extent, the settings;
* ``frame()``: what changes as training goes: the epoch, the loss and
  accuracy curves, every weight and bias, and every neuron's output over
  the input plane (the last neuron's is the decision boundary), as bytes;
* ``explain(index)``: one sample's forward and backward pass on the current
  weights: the gradients ``backward()`` gives, and the step-through
  (``autograd.stepper.Stepper``) with the article's formulas filled in.

Views only show these (``nn/playground.js``, one small script shared by the
notebook widget, the static site and exported pages). ``Session`` turns a
view's requests (settings, play, pause, step, reset, explain) into new
frames; the notebook widget and the site's Web Worker both drive one.

The playground trains with the loop ``nn.fit`` uses (``nn.train.TrainingLoop``),
one batch at a time: forward, binary cross-entropy on the output logit,
``backward()``, update, with its recorded step (the default, from the first
epoch: the same numbers bit for bit, several times faster) and its guard
against nan and inf. The playground adds only what a live view needs: the
test split, the curves and maps of each frame, and a status line (why
training stopped, or the loop's warning that it is not learning).
Explaining a sample always builds the real graph.
"""

from __future__ import annotations

import base64
import html
import json
import math
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import collector_paused
from autograd.floatmath import bce_with_logits as bce_float
from autograd.language import HTML_LANG, catalogue, current_language, text, using_language
from autograd.names import fmt
from autograd.ops import cross_entropy_of
from autograd.stepper import json_for_script
from nn import checks
from nn import data as datasets
from nn.evaluate import argmax, probabilities
from nn.layers import MLP, NONLINEAR_ACTIVATIONS
from nn.losses import one_hot
from nn.optim import Optimizer
from nn.recorded import RecordedLayerOutputs
from nn.train import Diverged, Step, TrainingLoop

#: The choices a view offers, in the order it shows them.
#: The learner's own points (added, moved and erased on the plane, or loaded
#: from CSV) are the dataset "own".
OWN = "own"
DATASETS = (*datasets.DATASETS, OWN)
#: The most points of one's own (the CSV limit too: a scalar engine's size).
MAX_OWN_POINTS = 2000
ACTIVATIONS = NONLINEAR_ACTIVATIONS
OPTIMIZERS = ("sgd", "momentum", "adam")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
BATCH_SIZES = (1, 10, 30, None)  # None: the whole training set
#: λ of the L2 penalty λ·Σp² (``nn.fit``'s ``weight_decay``); 0 for none.
WEIGHT_DECAYS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
MAX_LAYERS, MAX_NEURONS = 3, 8
#: How many classes the points may have. Two: one sigmoid output and binary
#: cross-entropy, the article's network; more: one output per class and
#: cross-entropy on their softmax.
CLASS_COUNTS = (2, 3, 4)
#: The datasets that come in more than two classes (one's own points too).
MULTICLASS_DATASETS = ("blobs", "spirals", OWN)

#: The settings of a new playground: the article's network (3 ReLU, 1 sigmoid) and its
#: plain gradient descent, on XOR.
DEFAULTS: dict[str, Any] = {
    "dataset": "xor",
    "points": 200,
    "noise": 0.1,
    "test_fraction": 0.5,
    "hidden": [3],
    "activation": "relu",
    "lr": 0.3,
    "optimizer": "sgd",
    "batch_size": None,
    "weight_decay": 0.0,
    "classes": 2,
    "seed": 0,
    "compiled": True,
}

#: Curves keep at most this many points per frame (a long run is thinned evenly).
CURVE_POINTS = 250
#: Exported runs keep at most this many frames (a long run is thinned evenly).
MAX_RECORDED_FRAMES = 400


class Playground:
    """A 2-D classification playground: data, model, optimizer and the training loop.

    Args:
        model: an ``nn.MLP`` with 2 inputs to train: with 1 output, read as a
            logit (the loss is binary cross-entropy on it), or one output per
            class (3 or 4; the loss is cross-entropy on their softmax). By
            default the article's 2-3-1 network, built from ``hidden``,
            ``activation`` and ``classes``. Reset puts a given model back to
            the parameters it had here.
        resolution: the input plane's grid, ``resolution × resolution``
            points, for the boundary and the neuron maps.
        redraw_every: epochs between two frames while playing.
        settings: any of ``DEFAULTS``: dataset (xor, moons, circles,
            spirals, blobs), points, noise (for blobs, 4× noise is the
            spread), test_fraction, hidden (neurons per hidden layer: 1-3
            layers of 1-8), activation (of the hidden layers), lr,
            optimizer (sgd, momentum, adam), batch_size (None for all),
            weight_decay (λ of an L2 penalty λ·Σp² on every weight and
            bias, as ``nn.fit``'s: the same numbers; 0 for none), classes
            (2, 3 or 4; more than two for blobs, spirals and one's own points),
            seed (data, weights and shuffling: the same seed, the same run),
            compiled (train with the recorded step: the same numbers, bit
            for bit, several times faster; False builds every graph).

    Raises:
        ValueError: for a setting outside its choices, or a model that is
            not an MLP with 2 inputs and 1 output or one per class.
    """

    def __init__(
        self,
        model: MLP | None = None,
        *,
        resolution: int = 40,
        redraw_every: int = 5,
        **settings: Any,
    ) -> None:
        if not isinstance(resolution, int) or not 4 <= resolution <= 200:
            raise ValueError(
                text(
                    "playground.error.whole",
                    name="resolution",
                    low=4,
                    high=200,
                    given=repr(resolution),
                )
            )
        if not isinstance(redraw_every, int) or redraw_every < 1:
            raise ValueError(text("playground.error.redraw_every", given=repr(redraw_every)))
        self.resolution = resolution
        self.redraw_every = redraw_every
        base = dict(DEFAULTS)
        if model is not None:
            outputs = model.sizes[-1] if isinstance(model, MLP) else 0
            if outputs not in (1, *CLASS_COUNTS[1:]) or model.nin != 2:
                raise ValueError(text("playground.error.model", given=repr(model)))
            base["hidden"] = list(model.sizes[:-1])
            base["classes"] = max(2, outputs)
            base["activation"] = model.activations[0] if model.sizes[:-1] else "relu"
        self.settings = check_settings({**base, **settings})
        # The learner's own points: {"train": (X, y), "test": (X, y)} and their plane.
        self.own: dict[str, tuple[list[list[float]], list[float]]] | None = None
        self.own_extent: list[float] = []
        if self.settings["dataset"] == OWN:
            raise ValueError(text("playground.error.no_own_points"))
        self._use_model(model if model is not None else self._new_model())
        self.recorded: list[dict[str, Any]] = []
        self._make_data()
        self.loop = self._new_loop(reuse=None)
        self._start_run()

    # -- settings, data, model --------------------------------------------------

    def update(self, **changes: Any) -> None:
        """Change settings, then start over (data, weights and run, from the seed).

        Raises:
            ValueError: for a setting outside its choices; nothing changes then.
        """
        new = check_settings({**self.settings, **changes})
        if new["dataset"] == OWN and self.own is None:
            raise ValueError(text("playground.error.no_own_points"))
        if new["dataset"] == OWN and self.own is not None:
            labels = [label for _, y in self.own.values() for label in y]
            if max(labels) >= new["classes"]:
                raise ValueError(
                    text(
                        "playground.error.own_classes", given=new["classes"], most=int(max(labels))
                    )
                )
        old, self.settings = self.settings, new
        data_keys = ("dataset", "points", "noise", "test_fraction", "classes", "seed")
        if any(old[k] != new[k] for k in data_keys):
            self._make_data()
        model_keys = ("hidden", "activation", "classes", "seed")
        if any(old[k] != new[k] for k in model_keys):
            self._use_model(self._new_model())  # a given model is set aside
        self.reset()

    def _use_model(self, model: MLP) -> None:
        self.model = model
        self._start = model.state_dict()  # what reset puts back
        self._outputs: dict[tuple[int, bool], tuple[Any, Any]] = {}  # see forward

    @property
    def classes(self) -> int:
        """How many classes the points have (``settings["classes"]``)."""
        return self.settings["classes"]

    @property
    def loss(self) -> str:
        """The loss trained on: binary cross-entropy for two classes, cross-entropy for more."""
        return "bce" if self.classes == 2 else "cross_entropy"

    def _new_model(self) -> MLP:
        s = self.settings
        # Two classes: one sigmoid output (ŷ); more: one output per class, their
        # softmax taken by the loss.
        outputs, last = (1, "sigmoid") if self.classes == 2 else (self.classes, "linear")
        activations = [s["activation"]] * len(s["hidden"]) + [last]
        return MLP(2, [*s["hidden"], outputs], activations, seed=s["seed"])

    def _make_data(self) -> None:
        s = self.settings
        self._outputs = {}  # recorded on the old samples (see forward)
        if s["dataset"] == OWN and self.own is not None:
            (self.X, self.y), (self.X_test, self.y_test) = (
                ([list(x) for x in X], list(y)) for X, y in (self.own["train"], self.own["test"])
            )
            self.extent = list(self.own_extent)  # the plane stays put while points are edited
        else:
            make = datasets.DATASETS[s["dataset"]]
            options: dict[str, Any] = {"seed": s["seed"]}
            if self.classes > 2:
                options["classes"] = self.classes
            if s["dataset"] == "blobs":
                X, y = make(s["points"], spread=4 * s["noise"], **options)
            else:
                X, y = make(s["points"], noise=s["noise"], **options)
            (self.X, self.y), (self.X_test, self.y_test) = datasets.train_test_split(
                X, y, s["test_fraction"], seed=s["seed"]
            )
            self.extent = _square_around(X)
        r = self.resolution
        # Row 0 is the top of the picture (largest x2), as a canvas draws it.
        self.grid = [
            [
                self.extent[0] + (self.extent[1] - self.extent[0]) * (i + 0.5) / r,
                self.extent[3] - (self.extent[3] - self.extent[2]) * (j + 0.5) / r,
            ]
            for j in range(r)
            for i in range(r)
        ]

    # -- points of one's own ----------------------------------------------------------

    def edit_points(
        self,
        do: str,
        *,
        split: str = "train",
        index: int = 0,
        x: Sequence[float] = (),
        label: float = 0.0,
    ) -> None:
        """Add, move or erase one point, then start the run over on the points as they are.

        The first edit makes the current points one's own (the dataset "own"),
        on the same plane. ``do`` is "add" (a training point ``x`` of class
        ``label``), "move" (the point ``index`` of ``split`` to ``x``) or
        "erase" (that point; each split keeps at least one).

        Raises:
            ValueError: for a bad point or index; nothing changes then.
        """
        own = self.own if self.settings["dataset"] == OWN and self.own is not None else None
        if own is None:
            own = {"train": (self.X, self.y), "test": (self.X_test, self.y_test)}
        points = {k: ([list(p) for p in X], list(y)) for k, (X, y) in own.items()}
        if do == "add":
            if sum(len(y) for _, y in points.values()) >= MAX_OWN_POINTS:
                raise ValueError(text("playground.error.too_many_points", most=MAX_OWN_POINTS))
            points["train"][0].append(_on_the_plane(x))
            points["train"][1].append(_checked_label(label, self.classes))
        elif do in ("move", "erase"):
            if split not in points or not (
                isinstance(index, int) and 0 <= index < len(points[split][1])
            ):
                raise ValueError(
                    text(
                        "playground.error.no_sample",
                        index=repr(index),
                        split=repr(split),
                        count=len(points.get(split, ((), ()))[1]),
                    )
                )
            if do == "move":
                points[split][0][index] = _on_the_plane(x)
            elif len(points[split][1]) == 1:
                raise ValueError(
                    text("playground.error.last_point", split=text(f"playground.split.{split}"))
                )
            else:
                del points[split][0][index], points[split][1][index]
        else:
            raise ValueError(text("playground.error.unknown_edit", given=repr(do)))
        extent = self.own_extent if self.settings["dataset"] == OWN else self.extent
        self._own_points(points, extent)

    def load_csv(self, csv_text: str) -> None:
        """One's own points from CSV text (``x1,x2,label`` rows, ``nn.data.parse_csv``),
        split by ``test_fraction`` and ``seed``, on a plane around them; the run starts over,
        with as many classes as the labels name (0 to 3).

        Raises:
            nn.data.CSVError: naming the first bad row and what is wrong, or a
                text too long; nothing changes then.
        """
        X, y = datasets.parse_csv(csv_text, max_rows=MAX_OWN_POINTS, classes=CLASS_COUNTS[-1])
        if len(y) < 2:
            raise datasets.CSVError(text("playground.error.too_few_points"))
        s = self.settings
        train, test = datasets.train_test_split(X, y, s["test_fraction"], seed=s["seed"])
        # As many classes as the labels name (two at least): the network follows.
        classes = max(2, int(max(y)) + 1)
        self._own_points({"train": train, "test": test}, _square_around(X), classes)

    def _own_points(
        self,
        points: dict[str, tuple[list[list[float]], list[float]]],
        extent: list[float],
        classes: int | None = None,
    ) -> None:
        self.own, self.own_extent = points, list(extent)
        if classes is not None and classes != self.classes:
            self.settings = {**self.settings, "classes": classes}
            self._use_model(self._new_model())
        self.settings = {**self.settings, "dataset": OWN}
        self._make_data()
        self.reset()

    def share(self) -> dict[str, Any]:
        """The run as a link carries it: the settings, and one's own points if any
        (each ``[x1, x2, label]``, by split, and their plane)."""
        run: dict[str, Any] = {"settings": dict(self.settings)}
        if self.settings["dataset"] == OWN and self.own is not None:
            run["points"] = {
                split: [[*x, label] for x, label in zip(*self.own[split])] for split in self.own
            }
            run["extent"] = list(self.own_extent)
        return run

    def load_share(self, run: Any) -> None:
        """Take a run from a link (``share``'s form): every value is checked, and
        anything else in it refused; nothing changes unless all of it is good.

        Raises:
            ValueError: saying what in the link is wrong.
        """
        if not isinstance(run, dict) or set(run) - {"settings", "points", "extent"}:
            raise ValueError(text("playground.error.bad_link"))
        settings = run.get("settings")
        if not isinstance(settings, dict):
            raise ValueError(text("playground.error.bad_link"))
        new = check_settings({**DEFAULTS, **settings})
        if new["dataset"] != OWN:
            if "points" in run:
                raise ValueError(text("playground.error.bad_link"))
            self.own = None
            self.update(**new)
            return
        # Every value is checked before anything changes.
        points = run.get("points")
        extent = run.get("extent")
        if not (isinstance(points, dict) and set(points) == {"train", "test"}):
            raise ValueError(text("playground.error.bad_link"))
        if not (isinstance(extent, list) and len(extent) == 4):
            raise ValueError(text("playground.error.bad_link"))
        extent = [_checked_number(v) for v in extent]
        if not (extent[0] < extent[1] and extent[2] < extent[3]):
            raise ValueError(text("playground.error.bad_link"))
        own: dict[str, tuple[list[list[float]], list[float]]] = {}
        total = 0
        for split in ("train", "test"):
            rows = points[split]
            if not isinstance(rows, list) or not rows:
                raise ValueError(text("playground.error.bad_link"))
            total += len(rows)
            if total > MAX_OWN_POINTS:
                raise ValueError(text("playground.error.too_many_points", most=MAX_OWN_POINTS))
            if any(not isinstance(row, list) or len(row) != 3 for row in rows):
                raise ValueError(text("playground.error.bad_link"))
            own[split] = (
                [_checked_point(row[:2]) for row in rows],
                [_checked_label(row[2], new["classes"]) for row in rows],
            )
        self.own, self.own_extent = own, extent
        self.update(**new)
        self._make_data()  # the link's points, even where the settings are the same
        self.reset()

    def reset(self) -> None:
        """Start the run over: the initial weights, epoch 0, no history (the same seed,
        the same numbers)."""
        self.model.load_state_dict(self._start)
        # The old loop's recorded steps still fit the model: none is made again.
        self.loop = self._new_loop(reuse=self.loop)
        self._start_run()

    def _new_loop(self, reuse: TrainingLoop | None) -> TrainingLoop:
        s = self.settings
        return TrainingLoop(
            self.model,
            self.X,
            self.y,
            loss=self.loss,
            optimizer=s["optimizer"],
            lr=s["lr"],
            batch_size=s["batch_size"],
            weight_decay=s["weight_decay"],
            seed=s["seed"],
            compiled=s["compiled"],
            track_accuracy=False,
            reuse=reuse,
        )

    def _start_run(self) -> None:
        # Loss and accuracy at the current weights, on both splits, each time a
        # ``train`` call ends (every frame while playing, every step), by epoch.
        self.history: dict[str, list[float]] = {
            "epoch": [],
            "train_loss": [],
            "test_loss": [],
            "train_accuracy": [],
            "test_accuracy": [],
        }
        self.status = ""
        self.recorded = []
        self._record_metrics()

    @property
    def epoch(self) -> int:
        """Epochs trained since the last reset."""
        return self.loop.epoch

    @property
    def optimizer(self) -> Optimizer:
        """The optimizer of the run (a new one at each reset)."""
        return self.loop.optimizer

    # -- training -----------------------------------------------------------------

    def step(self, X: list[list[float]], y: list[float]) -> float:
        """The article's loop for one batch: forward, loss, backward, update.

        Returns the batch's mean loss before the update.
        """
        with collector_paused():  # the graph has no cycles: see collector_paused
            return self.loop.built_step(X, y)

    def recorded_step(self, X: list[list[float]], y: list[float]) -> float:
        """``step`` replayed from a recording (``autograd.record``): the same numbers."""
        return self.loop.recorded_step(X, y)

    def train(self, epochs: int = 1, step: Step | None = None) -> None:
        """Train ``epochs`` epochs: every batch once, shuffled with ``seed + epoch``.

        Args:
            step: a replacement for the loop's own step (for example a faster one).

        If the loss or a weight becomes nan or inf (a learning rate too
        large), the bad update is undone, training stops until reset and
        ``status`` says why.
        """
        if self.status:
            return
        try:
            self.loop.train(epochs, step=step)
        except Diverged as error:
            what = {"the loss": "error.fit.the_loss", "a parameter": "error.fit.a_parameter"}
            self.status = text(
                "playground.status.diverged",
                epoch=error.epoch,
                what=text(what[error.what]) if error.what in what else error.what,
                lr=f"{error.lr:g}",
            )
        finally:
            if self.epoch != self.history["epoch"][-1]:
                self._record_metrics()

    def _record_metrics(self) -> None:
        self.history["epoch"].append(self.epoch)
        for split, X, y in (("train", self.X, self.y), ("test", self.X_test, self.y_test)):
            logits = [layers[-1] for layers in self.forward(X, logits=True)]
            if self.classes == 2:
                loss = sum(bce_float(z, label) for (z,), label in zip(logits, y)) / len(y)
                right = sum((z > 0.0) == (label > 0.5) for (z,), label in zip(logits, y))
            else:
                loss = sum(ce_float(z, label) for z, label in zip(logits, y)) / len(y)
                right = sum(argmax(z) == label for z, label in zip(logits, y))
            self.history[f"{split}_loss"].append(loss)
            self.history[f"{split}_accuracy"].append(right / len(y))

    # -- views ------------------------------------------------------------------

    def forward(
        self, X: Sequence[Sequence[float]], logits: bool = False
    ) -> list[list[list[float]]]:
        """Every neuron's output for each sample, on plain floats
        (``MLP.layer_outputs``): for each sample, one list of outputs per
        layer; the last is ``ŷ``, or the logit ``z`` with ``logits=True``.

        With ``compiled`` the passes over the same samples (the grid of the
        maps, each split) are recorded the second time they are asked for
        and replayed from then on: the same numbers, bit for bit."""
        if not self.settings["compiled"]:
            return self.model.layer_outputs(X, logits)
        key = (id(X), logits)
        seen = self._outputs.get(key)
        if seen is None or seen[0] is not X:
            self._outputs[key] = (X, None)  # the first time: no recording yet
            return self.model.layer_outputs(X, logits)
        if seen[1] is None:
            seen = self._outputs[key] = (X, RecordedLayerOutputs(self.model, X, logits))
        return seen[1].outputs()

    def maps(self, outputs: list[list[list[float]]] | None = None) -> list[list[float]]:
        """Each neuron's output over the input plane, layer by layer, as numbers in
        [−1, 1]: hidden outputs clipped to that range, the output as ``2ŷ − 1``
        (so 0 is the decision boundary, ŷ = 0.5); for more than two classes
        each class's probability ``p`` as ``2p − 1``. ``outputs``: the grid's
        ``forward(self.grid, logits=True)``, if already made."""
        per_point = self.forward(self.grid, logits=True) if outputs is None else outputs
        count = sum(self.model.sizes)
        neurons: list[list[float]] = [[] for _ in range(count)]
        for rows in per_point:
            k = 0
            for layer in rows[:-1]:
                for v in layer:
                    neurons[k].append(-1.0 if v < -1.0 else 1.0 if v > 1.0 else v)
                    k += 1
            for p in probabilities(rows[-1]):
                neurons[k].append(2.0 * p - 1.0)
                k += 1
        return neurons

    def plane(self, outputs: list[list[list[float]]] | None = None) -> str:
        """For more than two classes, what the plane is painted with, as base64: two
        bytes per grid point (rows from the top), the likeliest class and how
        sure, ``(p − 1/k) / (1 − 1/k) · 255`` for its probability ``p`` of ``k``
        classes ("" for two classes: the output's map is the plane). ``outputs``
        as for ``maps``."""
        if self.classes == 2:
            return ""
        k = self.classes
        painted = bytearray()
        for rows in self.forward(self.grid, logits=True) if outputs is None else outputs:
            p = probabilities(rows[-1])
            best = argmax(p)
            painted += bytes((best, round(255 * (p[best] - 1 / k) / (1 - 1 / k))))
        return base64.b64encode(bytes(painted)).decode("ascii")

    def _input_maps(self) -> list[list[float]]:
        """Each input feature over the plane, from −1 at one edge to 1 at the other."""
        x0, x1, y0, y1 = self.extent
        return [
            [2.0 * (p[0] - x0) / (x1 - x0) - 1.0 for p in self.grid],
            [2.0 * (p[1] - y0) / (y1 - y0) - 1.0 for p in self.grid],
        ]

    def setup(self) -> dict[str, Any]:
        """What a view lays out once: settings, choices, points, layer sizes, extent."""
        model = self.model
        return {
            "settings": dict(self.settings),
            "choices": {
                "dataset": [d for d in DATASETS if d != OWN or self.own is not None],
                "activation": list(ACTIVATIONS),
                "optimizer": list(OPTIMIZERS),
                "lr": list(LEARNING_RATES),
                "batch_size": list(BATCH_SIZES),
                "weight_decay": list(WEIGHT_DECAYS),
                "classes": list(CLASS_COUNTS),
                "multiclass_datasets": list(MULTICLASS_DATASETS),
                "max_layers": MAX_LAYERS,
                "max_neurons": MAX_NEURONS,
            },
            "layers": [model.nin, *model.sizes],
            "activations": list(model.activations),
            "names": _layer_names(model),
            "extent": self.extent,
            "resolution": self.resolution,
            "input_maps": _encode(self._input_maps()),
            "train": {"x": self.X, "y": self.y},
            "test": {"x": self.X_test, "y": self.y_test},
            "explainable": _stepper_size(model) <= _max_stepper_nodes(),
            "words": words(),
            "rule": self.update_rule(),
            "classes": self.classes,
            "probability_ticks": self._probability_ticks(),
        }

    def _probability_ticks(self) -> list[list[Any]]:
        """The tint's scale, ``[place from 0 to 1, text]``: for two classes ŷ from 0
        (class 0's colour) to 1 (class 1's); for ``k`` classes the likeliest
        class's probability, from ``1/k`` (no better than a guess: no tint) to 1."""
        if self.classes == 2:
            return [[v, fmt(v)] for v in (0.0, 0.5, 1.0)]
        return [[0.0, f"1/{self.classes}"], [1.0, "1"]]

    def update_rule(self) -> str:
        """The update each batch makes, with this run's numbers: the article's
        ``W ← W − η·∂L/∂W``, its optimizer's form, and the L2 penalty's ``2·λ·W``
        in the gradient when there is one."""
        s = self.settings
        decay = s["weight_decay"]
        if decay:
            gradient = text("playground.rule.gradient_l2", decay=fmt(decay))
        else:
            gradient = text("playground.rule.gradient")
        optimizer = self.optimizer
        fields: dict[str, object] = {"lr": fmt(s["lr"]), "gradient": gradient}
        if s["optimizer"] == "momentum":
            fields["mu"] = fmt(optimizer.momentum)  # type: ignore[attr-defined]
        rule = text(f"playground.rule.{s['optimizer']}", **fields)
        if decay:
            rule += text("playground.rule.l2", decay=fmt(decay))
        return rule

    def frame(self) -> dict[str, Any]:
        """What a view redraws: epoch, curves, weights, biases and the neuron maps.

        ``maps`` is base64 of one byte per grid point per neuron (neurons
        layer by layer, grid rows from the top): ``(v + 1) · 127.5``, rounded,
        for the value ``v`` in [−1, 1] of ``maps()``.
        """
        h = self.history
        grid = self.forward(self.grid, logits=True)  # one pass for the maps and the plane
        keep = _thinned(len(h["epoch"]), CURVE_POINTS)
        return {
            "epoch": self.epoch,
            "curves": {k: [h[k][i] for i in keep] for k in h},
            "axes": curve_axes(h["epoch"], h["train_loss"] + h["test_loss"]),
            "loss": {"train": h["train_loss"][-1], "test": h["test_loss"][-1]},
            "accuracy": {"train": h["train_accuracy"][-1], "test": h["test_accuracy"][-1]},
            "weights": [
                [[w.data for w in n.w] for n in layer.neurons] for layer in self.model.layers
            ],
            "biases": [[n.b.data for n in layer.neurons] for layer in self.model.layers],
            "maps": _encode(self.maps(grid)),
            "plane": self.plane(grid),
            "summary": text(
                "playground.summary",
                train_loss=fmt(h["train_loss"][-1]),
                test_loss=fmt(h["test_loss"][-1]),
                train_accuracy=round(100 * h["train_accuracy"][-1]),
                test_accuracy=round(100 * h["test_accuracy"][-1]),
            ),
            "status": self.status,
            "warning": self.loop.history.warning,
        }

    def record(self) -> dict[str, Any]:
        """``frame()``, also kept for ``export_html`` (a long run is thinned evenly)."""
        frame = self.frame()
        if self.recorded and self.recorded[-1]["epoch"] == frame["epoch"]:
            self.recorded[-1] = frame
        else:
            self.recorded.append(frame)
        if len(self.recorded) > MAX_RECORDED_FRAMES:
            self.recorded = self.recorded[::2] + ([] if len(self.recorded) % 2 else [frame])
        return frame

    # -- explain ----------------------------------------------------------------

    def explain(self, index: int, split: str = "train", stepper: bool = True) -> dict[str, Any]:
        """One sample's forward and backward pass on the current weights.

        Args:
            index: the sample's place in its split.
            split: "train" or "test".
            stepper: also make the step-through page (needs the ``viz``
                extra, and a network small enough to step through).

        Returns:
            ``x``, ``y``, ``prediction`` (ŷ; for more than two classes the
            list of each class's probability), ``loss``; ``grads`` and
            ``weights``: every parameter's gradient (from ``backward()``) and
            value, by its article name (``W1[0,1]``, ``b2[0]``); ``stepper``:
            the step-through as HTML ("" when not made, ``note`` says why);
            ``text``: the pass as text.

        The parameters' ``.grad`` are 0 again afterwards, as training leaves them.
        """
        X, y = (self.X, self.y) if split == "train" else (self.X_test, self.y_test)
        if split not in ("train", "test") or not (isinstance(index, int) and 0 <= index < len(X)):
            raise ValueError(
                text(
                    "playground.error.no_sample", index=repr(index), split=repr(split), count=len(X)
                )
            )
        x, label = X[index], y[index]
        model = self.model
        model.zero_grad()
        if self.classes == 2:
            loss = autograd.binary_cross_entropy_with_logits(model.logits(x), label)
        else:
            loss = autograd.cross_entropy(model.logits(x), int(label))
        loss.backward()
        params = list(model.parameters())
        grads = {p.label: p.grad for p in params}
        weights = {p.label: p.data for p in params}
        model.zero_grad()
        logits = [z.data for z in loss.operands[: len(model.layers[-1].neurons)]]  # type: ignore[union-attr]
        predicted = probabilities(logits)
        result: dict[str, Any] = {
            "index": index,
            "split": split,
            "epoch": self.epoch,
            "x": list(x),
            "y": label,
            "prediction": predicted[0] if self.classes == 2 else predicted,
            "loss": loss.data,
            "grads": grads,
            "weights": weights,
            "stepper": "",
            "note": "",
            "text": "",
        }
        said = {
            "index": index,
            "split": text(f"playground.split.{split}"),
            "epoch": self.epoch,
            "x1": fmt(x[0]),
            "x2": fmt(x[1]),
            "y": fmt(label),
            "prediction": fmt(predicted[0])
            if self.classes == 2
            else "[" + ", ".join(fmt(p) for p in predicted) + "]",
            "loss": fmt(loss.data),
        }
        result["title"] = text("playground.explain.title", **said)
        lines = [
            text("playground.explain.line", **said),
            text("playground.explain.gradients"),
            *(f"  ∂L/∂{name} = {fmt(g)}" for name, g in grads.items()),
        ]
        result["text"] = "\n".join(lines)
        if not stepper:
            return result
        if _stepper_size(model) > _max_stepper_nodes():
            result["note"] = text(
                "playground.explain.too_big",
                nodes=_stepper_size(model),
                most=_max_stepper_nodes(),
            )
            return result
        try:
            from autograd.draw import MissingExtra
        except ImportError:  # pragma: no cover - draw needs only the standard library
            return result
        try:
            page = model.stepper(x=x, y=label if self.classes == 2 else int(label))
        except MissingExtra as error:
            result["note"] = text("playground.explain.no_stepper", error=error)
            return result
        page.title = text("playground.explain.page_title", **said)
        result["stepper"] = page.html("gg-" + secrets.token_hex(8))
        result["text"] = lines[0] + "\n" + page.text()
        return result

    # -- export -----------------------------------------------------------------

    def export_html(self, path: str | Path, title: str = "glassgrad playground") -> Path:
        """Write the run so far as one self-contained HTML page that replays it offline.

        The page holds the recorded frames (``record()``; the current state
        is recorded first) and the playground's script, and loads nothing
        from anywhere: it can be mailed or put on any web server. A replay
        cannot train or explain: that needs Python.
        """
        path = Path(path)
        path.write_text(self.replay_html(title), encoding="utf-8")
        return path

    def replay_html(self, title: str = "glassgrad playground") -> str:
        """The page ``export_html`` writes, as text."""
        self.record()
        return replay_page(self.setup(), self.recorded, title)

    def replay_name(self) -> str:
        """A file name for the exported run: dataset, network and epoch."""
        s = self.settings
        network = "-".join(str(n) for n in [2, *self.model.sizes])
        return f"glassgrad-{s['dataset']}-{network}-{s['activation']}-epoch{self.epoch}.html"


def replay_page(setup: dict[str, Any], frames: list[dict[str, Any]], title: str) -> str:
    """A self-contained page that replays ``frames`` (see ``Playground.export_html``)."""
    payload = json_for_script({"setup": setup, "frames": frames})
    module = SCRIPT_FILE.read_text(encoding="utf-8")
    marker = "export default { render };"
    if marker not in module:  # pragma: no cover - the script's last line
        raise RuntimeError(f"{SCRIPT_FILE.name} does not end with {marker!r}")
    script = module.replace(marker, "window.glassgradPlayground = { render };")
    host = REPLAY_HOST_FILE.read_text(encoding="utf-8")
    lang = HTML_LANG[current_language()]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family: sans-serif; margin: 8px">'
        f"<h1 style='font-size: 20px'>{html.escape(title)}</h1>"
        '<div id="playground"></div>'
        f'<script type="application/json" id="run">{payload}</script>'
        f"<script>{script}</script>"
        f"<script>{host}</script></body></html>\n"
    )


#: The playground's script: shared by the notebook widget, the site and exported pages.
SCRIPT_FILE = Path(__file__).with_name("playground.js")

#: The host of a replay page: the recorded frames, shown one after another.
REPLAY_HOST_FILE = Path(__file__).with_name("replay.js")


# -- sessions: what a view's requests do ---------------------------------------


class Session:
    """A playground as a view drives it: requests in, state to show out.

    Both hosts use this: the notebook widget (its traits) and the site's Web
    Worker (its messages). State is plain data: ``setup``, ``frame``,
    ``explanation``, ``running`` (see ``Playground``).

    ``handle(name, value)`` takes a view's change:

    * ``settings``: a dict of new settings (the run starts over);
    * ``running``: True to play, False to pause;
    * ``language``: the language of the view's words and of every text
      made from then on ("en", "zh"; None: the environment's);
    * ``request``: ``{"do": "step"}`` (one epoch), ``{"do": "reset"}``,
      ``{"do": "explain", "index": i, "split": "train"}``, ``{"do":
      "export"}`` (the run as a replay page, for the view to download:
      ``download`` holds its file name and text); one's own points:
      ``{"do": "add", "x": [x1, x2], "label": 0}``, ``{"do": "move",
      "split": "train", "index": i, "x": [x1, x2]}``, ``{"do": "erase",
      "split": "train", "index": i}``, ``{"do": "csv", "text": "..."}``; a
      link: ``{"do": "link"}`` (``link`` holds ``Playground.share()``) and
      ``{"do": "open", "run": {...}}`` (``Playground.load_share``). A bad
      point, CSV or link changes nothing: the frame's status says why.

    It returns the state that changed, by name. While running, the host
    calls ``tick()`` again and again: each trains ``redraw_every`` epochs and
    returns the new frame.
    """

    def __init__(self, playground: Playground, lang: str | None = None) -> None:
        self.playground = playground
        self.running = False
        self.lang = lang if lang is None else current_language(lang)

    def state(self) -> dict[str, Any]:
        """Everything a newly opened view needs."""
        pg = self.playground
        with using_language(self.lang):
            return {"setup": pg.setup(), "frame": pg.record(), "running": self.running}

    def handle(self, name: str, value: Any) -> dict[str, Any]:
        """A view's change (see the class): the state that changed, by name.

        Raises:
            ValueError: for an unknown state or request, or a language glassgrad
                does not speak.
        """
        if name == "language":
            self.lang = None if value is None else current_language(value)
            name, value = "relabel", None
        with using_language(self.lang):
            return self._handle(name, value)

    def _handle(self, name: str, value: Any) -> dict[str, Any]:
        pg = self.playground
        if name == "relabel":  # the same run in other words
            return {"setup": pg.setup(), "frame": pg.record(), "explanation": {}}
        if name == "settings":
            self.running = False
            try:
                pg.update(**_from_view(value))
            except ValueError as error:
                frame = pg.frame()
                frame["status"] = str(error)
                return {"frame": frame, "running": False}
            return {"setup": pg.setup(), "frame": pg.record(), "running": False, "explanation": {}}
        if name == "running":
            self.running = bool(value) and not pg.status
            return {"running": self.running}
        if name == "request":
            do = value.get("do")
            if do == "step":
                self.running = False
                pg.train(1)
                return {"frame": pg.record(), "running": False}
            if do == "reset":
                self.running = False
                pg.reset()
                return {"frame": pg.record(), "running": False, "explanation": {}}
            if do == "export":
                return {"download": {"name": pg.replay_name(), "html": pg.replay_html()}}
            if do == "link":
                return {"link": pg.share()}
            if do in ("add", "move", "erase", "csv", "open"):
                self.running = False
                try:
                    if do == "csv":
                        pg.load_csv(value.get("text"))
                    elif do == "open":
                        pg.load_share(value.get("run"))
                    else:
                        pg.edit_points(
                            do,
                            split=value.get("split", "train"),
                            index=value.get("index", 0),
                            x=value.get("x", ()),
                            label=value.get("label", 0),
                        )
                except ValueError as error:
                    frame = pg.frame()
                    frame["status"] = str(error)
                    return {"frame": frame, "running": False}
                return {
                    "setup": pg.setup(),
                    "frame": pg.record(),
                    "running": False,
                    "explanation": {},
                }
            if do == "explain":
                self.running = False
                explanation = pg.explain(int(value.get("index", 0)), value.get("split", "train"))
                return {"explanation": explanation, "running": False}
            raise ValueError(text("playground.error.unknown_request", given=repr(do)))
        raise ValueError(text("playground.error.unknown_state", given=repr(name)))

    def tick(self) -> dict[str, Any]:
        """Train ``redraw_every`` epochs if running; the new frame (and ``running``)."""
        pg = self.playground
        if not self.running:
            return {}
        with using_language(self.lang):
            pg.train(pg.redraw_every)
            changed: dict[str, Any] = {"frame": pg.record()}
        if pg.status:
            self.running = False
            changed["running"] = False
        return changed

    def handle_json(self, name: str, value: str) -> str:
        """``handle`` with JSON in and out (for a Web Worker)."""
        return json.dumps(self.handle(name, json.loads(value)))

    def tick_json(self) -> str:
        """``tick`` as JSON (for a Web Worker)."""
        return json.dumps(self.tick())

    def state_json(self) -> str:
        """``state`` as JSON (for a Web Worker)."""
        return json.dumps(self.state())


def _from_view(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(text("playground.error.settings", type=type(value).__name__))
    return {k: v for k, v in value.items() if k in DEFAULTS}


def check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings, checked and normalised (numbers as floats, hidden as a list).

    Raises:
        ValueError: naming the first setting outside its choices.
    """
    unknown = set(settings) - set(DEFAULTS)
    if unknown:
        raise ValueError(
            text(
                "playground.error.unknown_setting",
                given=repr(sorted(unknown)[0]),
                choices=", ".join(DEFAULTS),
            )
        )
    s = dict(settings)
    for key, choices in (
        ("dataset", DATASETS),
        ("activation", ACTIVATIONS),
        ("optimizer", OPTIMIZERS),
    ):
        if s[key] not in choices:
            raise ValueError(
                text(
                    "playground.error.unknown_choice",
                    name=key,
                    given=repr(s[key]),
                    choices=", ".join(choices),
                )
            )
    hidden = s["hidden"]
    if (
        not isinstance(hidden, list | tuple)
        or not 1 <= len(hidden) <= MAX_LAYERS
        or any(isinstance(n, bool) or not isinstance(n, int) for n in hidden)
        or any(not 1 <= n <= MAX_NEURONS for n in hidden)
    ):
        raise ValueError(
            text(
                "playground.error.hidden",
                layers=MAX_LAYERS,
                neurons=MAX_NEURONS,
                given=repr(hidden),
            )
        )
    s["hidden"] = list(hidden)
    for key, low, high in (("noise", 0.0, 1.0), ("test_fraction", 0.05, 0.95)):
        value = s[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValueError(
                text("playground.error.number", name=key, low=low, high=high, given=repr(value))
            )
        s[key] = float(value)
    lr = s["lr"]
    if isinstance(lr, bool) or not isinstance(lr, int | float) or not 0 < lr <= 10:
        raise ValueError(text("playground.error.lr", given=repr(lr)))
    s["lr"] = float(lr)
    for key, low, high in (("points", 8, 2000), ("seed", 0, 2**31)):
        value = s[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                text("playground.error.whole", name=key, low=low, high=high, given=repr(value))
            )
    datasets.check_batch_size(s["batch_size"])
    s["weight_decay"] = checks.weight_decay(s["weight_decay"])
    classes = s["classes"]
    if isinstance(classes, bool) or classes not in CLASS_COUNTS:
        raise ValueError(
            text(
                "playground.error.unknown_choice",
                name="classes",
                given=repr(classes),
                choices=", ".join(map(str, CLASS_COUNTS)),
            )
        )
    if classes > 2 and s["dataset"] not in MULTICLASS_DATASETS:
        raise ValueError(
            text(
                "playground.error.two_classes",
                dataset=s["dataset"],
                given=classes,
                choices=", ".join(MULTICLASS_DATASETS),
            )
        )
    if not isinstance(s["compiled"], bool):
        raise ValueError(text("playground.error.compiled", given=repr(s["compiled"])))
    return s


#: The catalogue's texts that the playground's view shows (its buttons, keys, hints).
WORDS_PREFIX = "playground."


def words(lang: str | None = None) -> dict[str, str]:
    """The view's texts in the current language (or ``lang``), by key: its
    script has no sentence of its own, only these keys."""
    every = catalogue(current_language(lang))
    return {key: value for key, value in every.items() if key.startswith(WORDS_PREFIX)}


def _nice_step(at_least: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is ``>= at_least``."""
    power = 10.0 ** math.floor(math.log10(at_least))
    for factor in (1, 2, 5, 10):
        if factor * power >= at_least * (1 - 1e-12):
            return factor * power
    return 10 * power  # pragma: no cover - the loop's last factor always fits


def _tick_text(value: float) -> str:
    return fmt(round(value, 12))  # 0.30000000000000004 is read as 0.3


def curve_axes(epochs: Sequence[int], losses: Sequence[float], ticks: int = 4) -> dict[str, Any]:
    """The curve's axes: each one's range, scale and labelled ticks ``[value, text]``.

    Epochs run from 0 to the last (at least 1). The loss axis is linear from
    0 when the losses lie within one decade, and logarithmic, with a tick at
    each power of ten, when the largest is 10 times the smallest or more.
    Accuracy runs from 0 to 100%.
    """
    last = max(1, max(epochs, default=0))
    step = max(1, int(_nice_step(last / ticks)))
    epoch_ticks = [[e, str(e)] for e in range(0, last + 1, step)]
    finite = [v for v in losses if math.isfinite(v) and v > 0]
    low, high = (min(finite), max(finite)) if finite else (1.0, 1.0)
    if high >= 10 * low:
        bottom, top = math.floor(math.log10(low)), math.ceil(math.log10(high))
        every = max(1, math.ceil((top - bottom) / ticks))
        loss = {
            "scale": "log",
            "range": [10.0**bottom, 10.0**top],
            "ticks": [[10.0**k, _tick_text(10.0**k)] for k in range(bottom, top + 1, every)],
        }
    else:
        size = _nice_step(high / ticks) if high > 0 else 0.25
        count = math.ceil(high / size * (1 - 1e-12)) if high > 0 else 4
        # Rounded once, so that the top tick and the axis's end are the same number.
        values = [round(k * size, 12) for k in range(count + 1)]
        loss = {
            "scale": "linear",
            "range": [0.0, values[-1]],
            "ticks": [[v, _tick_text(v)] for v in values],
        }
    return {
        "epoch": {"scale": "linear", "range": [0, last], "ticks": epoch_ticks},
        "loss": loss,
        "accuracy": {
            "scale": "linear",
            "range": [0.0, 1.0],
            "ticks": [[0.0, "0%"], [0.5, "50%"], [1.0, "100%"]],
        },
    }


def _square_around(X: Sequence[Sequence[float]]) -> list[float]:
    """A square plane around the points, so that the maps are not stretched."""
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 0.3
    return [cx - half, cx + half, cy - half, cy + half]


def _checked_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(text("playground.error.point", given=repr(value)))
    return float(value)


def _checked_point(x: Any) -> list[float]:
    """``[x1, x2]`` as two finite floats, or a ValueError."""
    if not isinstance(x, list | tuple) or len(x) != 2:
        raise ValueError(text("playground.error.point", given=repr(x)))
    return [_checked_number(v) for v in x]


def _on_the_plane(x: Any) -> list[float]:
    """A point placed by hand: to 3 decimals (a pixel is about 0.01), short in a link."""
    return [round(v, 3) for v in _checked_point(x)]


def _checked_label(label: Any, classes: int = 2) -> float:
    """A class, 0 to ``classes − 1``, as a float, or a ValueError."""
    if isinstance(label, bool) or label not in range(classes):
        key = "playground.error.label" if classes == 2 else "playground.error.class"
        raise ValueError(text(key, given=repr(label), last=classes - 1))
    return float(label)


def ce_float(logits: Sequence[float], label: float) -> float:
    """Cross-entropy of one sample's logits and its class, on floats (the op's forward)."""
    return cross_entropy_of(*logits, *one_hot(label, len(logits)))


def _layer_names(model: MLP) -> list[list[str]]:
    """The article's name of every neuron's output: x1, x2; a1[j]; ŷ (ŷ[k] for each class)."""
    names = [[f"x{k + 1}" for k in range(model.nin)]]
    for number, size in enumerate(model.sizes, start=1):
        if number == len(model.sizes):
            names.append(["ŷ"] if size == 1 else [f"ŷ[{k}]" for k in range(size)])
        else:
            names.append([f"a{number}[{j}]" for j in range(size)])
    return names


def _stepper_size(model: MLP) -> int:
    """How many nodes a step-through of one sample's loss has: every parameter, one
    ``dot`` and one activation per hidden neuron, the outputs' ``dot``, the loss."""
    hidden = sum(model.sizes[:-1])
    return len(model.parameters()) + 2 * hidden + model.sizes[-1] + 1


def _max_stepper_nodes() -> int:
    from autograd.stepper import MAX_PAGE_NODES

    return MAX_PAGE_NODES


def _encode(maps: list[list[float]]) -> str:
    """Maps of numbers in [−1, 1] as base64, one byte each: ``(v + 1) · 127.5``, rounded."""
    encoded = bytearray()
    for values in maps:
        encoded.extend([int((v + 1.0) * 127.5 + 0.5) if v == v else 128 for v in values])
    return base64.b64encode(bytes(encoded)).decode("ascii")


def _thinned(count: int, most: int) -> list[int]:
    """At most ``most`` indices from ``range(count)``, evenly spread, the last included."""
    if count <= most:
        return list(range(count))
    stride = math.ceil(count / most)
    keep = list(range(0, count, stride))
    if keep[-1] != count - 1:
        keep.append(count - 1)
    return keep
