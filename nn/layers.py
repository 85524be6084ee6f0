"""Neurons, layers and multi-layer perceptrons, built from engine Values.

One layer is the article's ``z = W·x + b``, ``a = σ(z)``: each neuron forms
the weighted sum of its inputs plus a bias, then applies its activation.
"""

from __future__ import annotations

import math
import random
import reprlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import Value
from nn.module import Module, read_model_file


def _linear(z: Value) -> Value:
    return z


#: Each activation by name, as a function of one Value.
ACTIVATION_FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": _linear,
}
ACTIVATIONS = tuple(ACTIVATION_FUNCTIONS)


def check_activation(activation: str) -> None:
    """Raise a ValueError naming the choices if ``activation`` is not one of them."""
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )


def activate(z: Value, activation: str) -> Value:
    """Apply an activation by name: relu, tanh, sigmoid or linear (none)."""
    check_activation(activation)
    return ACTIVATION_FUNCTIONS[activation](z)


def init_limit(nin: int, activation: str) -> float:
    """Half-width of the uniform range weights are drawn from.

    ``sqrt(6/nin)`` for ReLU (He initialisation, which keeps the signal's
    size through ReLU layers) and ``sqrt(3/nin)`` otherwise (LeCun). Biases
    start at 0.
    """
    return math.sqrt((6.0 if activation == "relu" else 3.0) / nin)


class Neuron(Module):
    """One neuron: ``activation(w·x + b)``.

    Args:
        nin: number of inputs.
        activation: relu, tanh, sigmoid or linear.
        rng: the random source for the initial weights (see ``init_limit``).
        fused: compute ``w·x + b`` as one ``dot`` node (default). With False
            the same value is built from elementary ``*`` and ``+`` nodes, as
            a learner would write it by hand: identical numbers and
            gradients, a bigger graph.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        rng: random.Random | None = None,
        fused: bool = True,
    ) -> None:
        check_activation(activation)
        rng = rng or random.Random(0)
        limit = init_limit(nin, activation)
        self.w = [Value(rng.uniform(-limit, limit), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.1 if activation == "relu" else 0.0, label="b")
        self.activation = activation
        self.fused = fused

    def pre_activation(self, x: Sequence[Any]) -> Value:
        """``z = w·x + b``."""
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            return autograd.dot(self.w, x, self.b)
        return sum((w * xi for w, xi in zip(self.w, x)), self.b)

    def __call__(self, x: Sequence[Any]) -> Value:
        return activate(self.pre_activation(x), self.activation)

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, w in enumerate(self.w):
            yield f"w.{i}", w
        yield "b", self.b

    def parameters(self) -> list[Value]:
        # The order of named_parameters(), without making the names: a
        # training loop asks for the parameters every step.
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """A row of neurons that all see the same inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        rng: random.Random | None = None,
        fused: bool = True,
    ) -> None:
        rng = rng or random.Random(0)
        self.neurons = [Neuron(nin, activation, rng, fused) for _ in range(nout)]
        self.activation = activation
        self.fused = fused

    def pre_activation(self, x: Sequence[Any]) -> list[Value]:
        """The layer's ``z = W·x + b``, one Value per neuron."""
        nin = len(self.neurons[0].w)
        if len(x) != nin:
            raise ValueError(f"this layer takes {nin} inputs, got {len(x)}")
        if self.fused:  # one dot node per neuron, with the inputs read once
            weights = [neuron.w for neuron in self.neurons]
            return autograd.matvec(weights, x, [neuron.b for neuron in self.neurons])
        return [neuron.pre_activation(x) for neuron in self.neurons]

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        function = ACTIVATION_FUNCTIONS[self.activation]
        return [function(z) for z in self.pre_activation(x)]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, neuron in enumerate(self.neurons):
            for name, parameter in neuron.named_parameters():
                yield f"neurons.{i}.{name}", parameter

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons[0].w)}, {len(self.neurons)}, {self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron.

    Args:
        nin: number of input features.
        sizes: neurons per layer, e.g. ``[3, 1]`` for the article's network.
        activations: one per layer (relu, tanh, sigmoid, linear). By default
            relu for hidden layers and linear for the last.
        seed: the seed for the initial weights: the same seed gives the same
            model.
        fused: neurons compute ``w·x`` as one ``dot`` node (see ``Neuron``).

    Calling the model on one sample (a sequence of numbers or Values) returns
    the last layer's outputs: a Value if it has one neuron, else a list.
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activations: Sequence[str] | None = None,
        seed: int = 0,
        fused: bool = True,
    ) -> None:
        sizes = list(sizes)
        if nin < 1 or not sizes or any(not isinstance(s, int) or s < 1 for s in sizes):
            raise ValueError(f"MLP needs nin >= 1 and layer sizes >= 1, got {nin}, {sizes}")
        if activations is None:
            activations = ["relu"] * (len(sizes) - 1) + ["linear"]
        activations = list(activations)
        if len(activations) != len(sizes):
            raise ValueError(
                f"give one activation per layer: {len(sizes)} layers, {len(activations)} "
                "activations"
            )
        rng = random.Random(seed)
        widths = [nin, *sizes]
        self.layers = [
            Layer(widths[i], widths[i + 1], activations[i], rng, fused) for i in range(len(sizes))
        ]
        # The article's names: W1[j,k] is layer 1's weight from input k to neuron j.
        for number, layer in enumerate(self.layers, start=1):
            for j, neuron in enumerate(layer.neurons):
                for k, w in enumerate(neuron.w):
                    w.label = f"W{number}[{j},{k}]"
                neuron.b.label = f"b{number}[{j}]"
        self.nin, self.sizes, self.activations = nin, sizes, activations
        self.seed, self.fused = seed, fused

    def logits(self, x: Sequence[Any]) -> Value | list[Value]:
        """The last layer's pre-activation ``z`` (what a loss on logits needs)."""
        for layer in self.layers[:-1]:
            x = layer(x)
        out = self.layers[-1].pre_activation(x)
        return out[0] if len(out) == 1 else out

    def __call__(self, x: Sequence[Any]) -> Value | list[Value]:
        if len(x) != self.nin:
            raise ValueError(f"this model takes {self.nin} input features, got {len(x)}")
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, layer in enumerate(self.layers):
            for name, parameter in layer.named_parameters():
                yield f"layers.{i}.{name}", parameter

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def architecture(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "nin": self.nin,
            "sizes": self.sizes,
            "activations": self.activations,
        }

    @classmethod
    def from_file(cls, path: str | Path, *, max_bytes: int | None = None) -> MLP:
        """Rebuild a model saved with ``save()``: its architecture and parameters.

        ``MLP.load(path)`` does the same. The architecture is checked against
        the parameters in the file before anything is built, so a small file
        cannot ask for a huge model.

        Args:
            path: a file written by ``save()``.
            max_bytes: the largest file to read (default
                ``nn.module.MAX_MODEL_FILE_BYTES``).

        Returns:
            The model, with the file's parameters.

        Raises:
            ValueError: if the file is missing, too big, corrupt or not an MLP.
        """
        document = read_model_file(path, max_bytes=max_bytes)
        nin, sizes, activations = cls._checked_architecture(path, document)
        model = cls(nin, sizes, activations)
        model.load_state_dict(document["parameters"])
        return model

    @staticmethod
    def _checked_architecture(
        path: str | Path, document: dict[str, Any]
    ) -> tuple[int, list[int], list[str]]:
        """``nin``, ``sizes`` and ``activations`` from a model file, or a ValueError.

        The parameter count is worked out from the numbers, never by building
        the model, and must equal the count in the file (which the file size
        limit bounds).
        """
        arch = document["architecture"]

        def whole(number: Any) -> bool:
            return type(number) is int and number >= 1  # not True, not 2.0

        if arch.get("type") != "MLP":
            raise ValueError(f"{path} holds a {reprlib.repr(arch.get('type'))}, not an MLP")
        nin, sizes, activations = arch.get("nin"), arch.get("sizes"), arch.get("activations")
        if not whole(nin):
            raise ValueError(f"{path}: 'nin' must be a whole number >= 1, got {reprlib.repr(nin)}")
        if not isinstance(sizes, list) or not sizes or not all(whole(size) for size in sizes):
            raise ValueError(
                f"{path}: 'sizes' must be a list of whole numbers >= 1, got {reprlib.repr(sizes)}"
            )
        if not isinstance(activations, list) or len(activations) != len(sizes):
            raise ValueError(
                f"{path}: give one activation per layer: {len(sizes)} layers, "
                f"activations {reprlib.repr(activations)}"
            )
        for activation in activations:
            if not isinstance(activation, str):
                raise ValueError(
                    f"{path}: an activation must be a name, got {reprlib.repr(activation)}"
                )
            try:
                check_activation(activation)
            except ValueError as error:
                raise ValueError(f"{path}: {error}") from None
        widths = [nin, *sizes]
        expected = sum((widths[i] + 1) * widths[i + 1] for i in range(len(sizes)))
        found = len(document["parameters"])
        if expected != found:
            raise ValueError(
                f"{path} declares a model of {expected} parameters but holds {found}: "
                "the file is damaged or was edited"
            )
        return nin, sizes, activations

    def stepper(self, x: Sequence[float] = (0.0, 1.0), y: float = 1.0) -> Any:
        """A step-through of the loss on one sample ``(x, y)`` (needs the viz extra).

        The loss is binary cross-entropy on the output logit. For the
        article's network the page also shows the article's six backward
        formulas with this sample's numbers.
        """
        from autograd.stepper import Stepper
        from nn.steps import layer_view

        if self.sizes[-1] != 1:
            raise ValueError("the step-through needs a model with one output")
        inputs: list[Any] = list(x)
        for number, layer in enumerate(self.layers, start=1):
            zs = layer.pre_activation(inputs)
            for j, z in enumerate(zs):
                z.label = f"z{number}[{j}]" if len(zs) > 1 else f"z{number}"
            if number == len(self.layers):
                out = zs[0]
                break
            inputs = [activate(z, layer.activation) for z in zs]
            for j, (z, a) in enumerate(zip(zs, inputs)):
                if a is not z:  # a linear layer's output is its z
                    a.label = f"a{number}[{j}]"
        loss = autograd.binary_cross_entropy_with_logits(out, y)
        loss.label = "L"
        panels = []
        if self.activations == ["relu", "sigmoid"]:
            panels.append(("The article's formulas, layer by layer", layer_view(self, x, y)))
        return Stepper(loss, title=f"One sample: x = {list(x)}, y = {y}", panels=panels)

    def __repr__(self) -> str:
        inner = ", ".join(f"{s} {a}" for s, a in zip(self.sizes, self.activations))
        return f"MLP({self.nin} inputs -> {inner})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """In Jupyter, a model shows its network view (with the viz extra)."""
        from autograd.draw import MissingExtra
        from nn.draw import draw_network

        try:
            return draw_network(self)._repr_mimebundle_()
        except MissingExtra:  # no viz extra: the text form alone
            return {"text/plain": repr(self)}


def seed_network(seed: int = 0, fused: bool = True) -> MLP:
    """The article's network: 2 inputs, 3 ReLU neurons, 1 sigmoid output."""
    return MLP(2, [3, 1], activations=["relu", "sigmoid"], seed=seed, fused=fused)
