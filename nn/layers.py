"""Neurons, layers and multi-layer perceptrons, built from engine Values.

One layer is the article's ``z = W·x + b``, ``a = σ(z)``: each neuron forms
the weighted sum of its inputs plus a bias, then applies its activation.
"""

from __future__ import annotations

import math
import numbers
import operator
import random
import reprlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import autograd
from autograd import Value, hooks
from autograd.language import text
from autograd.ops import OPS
from nn.module import Module, whole_number


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
#: The activations that bend (all but linear): each is an op of the graph, after ``z``.
NONLINEAR_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "linear")


def check_activation(activation: str) -> None:
    """Raise a ValueError naming the choices if ``activation`` is not one of them."""
    if isinstance(activation, bool):
        raise ValueError(
            text(
                "error.layers.activation_bool",
                choices=", ".join(ACTIVATIONS),
                given=repr(activation),
            )
        )
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(
            text(
                "error.layers.unknown_activation",
                given=repr(activation),
                choices=", ".join(ACTIVATIONS),
            )
        )


def count_of(value: Any, what: str) -> int:
    """``value`` as an int >= 1 (numpy's integers too), or a clear error.

    Raises:
        TypeError: if ``value`` is not a whole number (True is not one).
        ValueError: if it is less than 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(text("error.layers.whole_number", what=what, given=repr(value)))
    if value < 1:
        raise ValueError(text("error.layers.at_least_one", what=what, given=repr(value)))
    return int(value)


def resolve_activation(activation: str | None, nonlin: bool | None) -> str:
    """The activation name from glassgrad's ``activation`` or micrograd's ``nonlin``.

    ``nonlin=True`` is relu and ``nonlin=False`` linear, as in micrograd;
    neither given means relu.

    Raises:
        ValueError: if both are given, or the activation is unknown.
    """
    if nonlin is not None:
        if activation is not None:
            raise ValueError(
                text(
                    "error.layers.activation_and_nonlin",
                    activation=repr(activation),
                    nonlin=repr(nonlin),
                )
            )
        return "relu" if nonlin else "linear"
    activation = "relu" if activation is None else activation
    check_activation(activation)
    return activation


class Outputs(list):  # type: ignore[type-arg]
    """The outputs of a layer or model with several neurons: a list of Values.

    Everything a list does works. The one addition is a ``backward()`` that
    explains what to do instead: backpropagation starts from one number.
    """

    def backward(self) -> None:
        """Raise: a backward pass starts from one scalar, such as a loss.

        Raises:
            TypeError: always, saying how to get that scalar.
        """
        raise TypeError(text("error.layers.backward_on_outputs", count=len(self)))


def sample_error(x: Any, nin: int, who: str) -> Exception | None:
    """What is wrong with ``x`` as one sample of ``nin`` features, if anything.

    Called only after a forward pass failed, so that the usual path pays
    nothing for these checks.
    """
    example = "[" + ", ".join(["0.5"] * min(nin, 3)) + (", ..." if nin > 3 else "") + "]"
    one = text("error.layers.one_sample", who=who, nin=nin, example=example)
    try:
        length = len(x)
    except TypeError:
        return TypeError(text("error.layers.got", one=one, type=type(x).__name__, given=repr(x)))
    if isinstance(x, str):
        return TypeError(text("error.layers.got_a_string", one=one, given=repr(x)))
    items = list(x)
    for i, item in enumerate(items):
        if isinstance(item, Value | numbers.Real):
            continue
        if hasattr(item, "__len__") and not isinstance(item, str):
            key = "error.layers.got_a_batch_model" if who == "model" else "error.layers.got_a_batch"
            return TypeError(text(key, one=one, count=length, who=who))
        kind = type(item).__name__
        return TypeError(
            text("error.layers.not_a_number", one=one, index=i, type=kind, given=repr(item))
        )
    if length != nin:
        return ValueError(text("error.layers.features", who=who, nin=nin, count=length))
    return None


def _feature(v: Any) -> float:
    """One input feature as a float: a real number, or a Value's data."""
    if isinstance(v, Value):
        return v.data
    if isinstance(v, numbers.Real):
        return float(v)
    raise TypeError(text("error.layers.features_are_numbers", type=type(v).__name__, given=repr(v)))


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
        activation: relu (the default), tanh, sigmoid or linear.
        rng: the random source for the initial weights (see ``init_limit``).
        fused: compute ``w·x + b`` as one ``dot`` node (default). With False
            the same value is built from elementary ``*`` and ``+`` nodes, as
            a learner would write it by hand: identical numbers and
            gradients, a bigger graph.
        nonlin: micrograd's spelling: True is relu, False is linear. Give
            this or ``activation``, not both.

    Parameters come in micrograd's order: the weights, then the bias.
    """

    def __init__(
        self,
        nin: int,
        activation: str | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        *,
        nonlin: bool | None = None,
    ) -> None:
        activation = resolve_activation(activation, nonlin)
        nin = count_of(nin, text("error.layers.neuron_nin"))
        rng = rng or random.Random(0)
        limit = init_limit(nin, activation)
        self.w = [Value(rng.uniform(-limit, limit), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.1 if activation == "relu" else 0.0, label="b")
        self.activation = activation
        self.fused = fused

    def pre_activation(self, x: Sequence[Any]) -> Value:
        """``z = w·x + b``."""
        try:
            if len(x) != len(self.w):
                raise ValueError(text("error.layers.neuron_inputs", nin=len(self.w), count=len(x)))
            if self.fused:
                return autograd.dot(self.w, x, self.b)
            # sum(w * xi for ...) from b, as micrograd writes it; map makes
            # the same nodes in the same order without a generator's frame.
            return sum(map(operator.mul, self.w, x), self.b)
        except (TypeError, ValueError) as error:
            raise (sample_error(x, len(self.w), "neuron") or error) from None

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
    """A row of neurons that all see the same inputs.

    Args:
        nin: inputs of each neuron.
        nout: number of neurons.
        activation: relu (the default), tanh, sigmoid or linear.
        rng: the random source for the initial weights.
        fused: see ``Neuron``.
        nonlin: micrograd's spelling, as in ``Neuron``: ``Layer(2, 3,
            nonlin=False)`` is a linear layer.

    Calling a layer on one sample returns its outputs as ``Outputs`` (a list).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = None,
        rng: random.Random | None = None,
        fused: bool = True,
        *,
        nonlin: bool | None = None,
    ) -> None:
        activation = resolve_activation(activation, nonlin)
        nout = count_of(nout, text("error.layers.layer_nout"))
        rng = rng or random.Random(0)
        self.neurons = [Neuron(nin, activation, rng, fused) for _ in range(nout)]
        self.activation = activation
        self.fused = fused

    def pre_activation(self, x: Sequence[Any]) -> list[Value]:
        """The layer's ``z = W·x + b``, one Value per neuron."""
        nin = len(self.neurons[0].w)
        try:
            if len(x) != nin:
                raise ValueError(text("error.layers.layer_inputs", nin=nin, count=len(x)))
            if self.fused:  # one dot node per neuron, with the inputs read once
                weights = [neuron.w for neuron in self.neurons]
                return autograd.matvec(weights, x, [neuron.b for neuron in self.neurons])
            return [neuron.pre_activation(x) for neuron in self.neurons]
        except (TypeError, ValueError) as error:
            raise (sample_error(x, nin, "layer") or error) from None

    def __call__(self, x: Sequence[Any]) -> Outputs:
        function = ACTIVATION_FUNCTIONS[self.activation]
        return Outputs([function(z) for z in self.pre_activation(x)])

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

    Raises:
        TypeError: if ``nin`` or a size is not a whole number, ``sizes`` is
            not a list (``MLP(2, 3)``), or ``activations`` is one string.
        ValueError: for a size below 1, no layers, or an unknown activation
            or one per layer missing.

    Calling the model on one sample (a sequence of ``nin`` numbers or Values)
    returns the last layer's outputs: a Value if it has one neuron, else
    ``Outputs`` (a list). For a batch, ``[model(x) for x in X]``, or
    ``nn.predict(model, X)`` for plain floats.

    ``MLP(nin, nouts)`` works as in micrograd (relu hidden layers, a linear
    last layer), and ``parameters()`` come in micrograd's order: layer by
    layer, neuron by neuron, each neuron's weights then its bias.
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activations: Sequence[str] | None = None,
        seed: int = 0,
        fused: bool = True,
    ) -> None:
        if isinstance(sizes, numbers.Number) or not isinstance(sizes, Iterable):
            raise TypeError(text("error.layers.sizes_is_a_list", sizes=repr(sizes), nin=repr(nin)))
        nin = count_of(nin, text("error.layers.mlp_nin"))
        each = text("error.layers.each_size", sizes=repr(sizes))
        sizes = [count_of(size, each) for size in sizes]
        if not sizes:
            raise ValueError(text("error.layers.no_layers"))
        if isinstance(activations, str):
            raise TypeError(text("error.layers.activations_string", given=repr(activations)))
        if activations is None:
            activations = ["relu"] * (len(sizes) - 1) + ["linear"]
        activations = list(activations)
        if len(activations) != len(sizes):
            raise ValueError(
                text(
                    "error.layers.one_activation_per_layer",
                    layers=len(sizes),
                    activations=len(activations),
                )
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

    def logits(self, x: Sequence[Any]) -> Value | Outputs:
        """The last layer's pre-activation ``z`` (what a loss on logits needs).

        Raises:
            TypeError, ValueError: if ``x`` is not one sample of ``nin`` numbers.
        """
        return self._forward(x, last_activation=False)

    def __call__(self, x: Sequence[Any]) -> Value | Outputs:
        return self._forward(x, last_activation=True)

    def _forward(self, sample: Sequence[Any], last_activation: bool) -> Value | Outputs:
        try:
            if len(sample) != self.nin:
                raise ValueError(
                    text("error.layers.features", who="model", nin=self.nin, count=len(sample))
                )
            x = sample
            for layer in self.layers[:-1]:
                x = layer(x)
            last = self.layers[-1]
            out = last(x) if last_activation else last.pre_activation(x)
        except (TypeError, ValueError) as error:
            # Diagnose the sample only now: the usual path pays nothing.
            raise (sample_error(sample, self.nin, "model") or error) from None
        return out[0] if len(out) == 1 else Outputs(out)

    def layer_outputs(
        self, X: Sequence[Sequence[Any]], logits: bool = False
    ) -> list[list[list[float]]]:
        """Every neuron's output for each sample, on plain floats, with no graph.

        The numbers of the model's forward pass bit for bit (the op table's
        own forward functions, in the same order), much faster: for
        predictions, accuracies and pictures, where no gradient is needed.

        Args:
            X: the samples, each a sequence of ``nin`` numbers (or Values,
                whose data is read).
            logits: give the last layer's ``z`` instead of its activation.

        Returns:
            For each sample, one list of outputs per layer.

        Raises:
            TypeError, ValueError: if a sample is not ``nin`` numbers.
        """
        # The dot op's own sum, which adds left to right on every Python (a
        # plain sum() of floats compensates rounding from Python 3.12 on).
        combine = OPS["dot"].combine
        layers = [
            (
                [[w.data for w in neuron.w] for neuron in layer.neurons],
                [neuron.b.data for neuron in layer.neurons],
                OPS[layer.activation].forward if layer.activation in OPS else None,
            )
            for layer in self.layers
        ]
        if logits:  # no activation on the last layer
            layers[-1] = (*layers[-1][:2], None)
        out = []
        for sample in X:
            x = [v if type(v) is float else _feature(v) for v in sample]
            if len(x) != self.nin:
                raise ValueError(
                    text("error.layers.features", who="model", nin=self.nin, count=len(x))
                )
            rows = []
            for weights, biases, activation in layers:
                z = [combine(w, x, b) for w, b in zip(weights, biases)]
                x = z if activation is None else list(map(activation, z))
                rows.append(x)
            out.append(rows)
        return out

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
            "fused": self.fused,
        }

    def fits_architecture(self, architecture: dict[str, Any]) -> bool:
        """Whether parameters saved with ``architecture`` fit this model.

        ``fused`` is how the neurons compute, not their shape: a fused
        model's parameters load into an elementary one, and back.
        """
        shape = {key: value for key, value in architecture.items() if key != "fused"}
        mine = self.architecture()
        del mine["fused"]
        return shape == mine

    @classmethod
    def settings_from(cls, architecture: dict[str, Any]) -> dict[str, Any]:
        """``MLP``'s arguments from a saved architecture: ``nin``, ``sizes``,
        ``activations``, ``fused`` (``Module.from_file`` asks, before building).

        A file without ``fused`` (written before models saved it) holds a
        fused model, the default.

        Raises:
            ValueError: what is wrong with the architecture.
        """
        nin, sizes = architecture.get("nin"), architecture.get("sizes")
        activations = architecture.get("activations")
        if not whole_number(nin):
            raise ValueError(text("error.layers.file_nin", given=reprlib.repr(nin)))
        if not isinstance(sizes, list) or not sizes or not all(map(whole_number, sizes)):
            raise ValueError(text("error.layers.file_sizes", given=reprlib.repr(sizes)))
        if not isinstance(activations, list) or len(activations) != len(sizes):
            raise ValueError(
                text(
                    "error.layers.file_activations",
                    layers=len(sizes),
                    given=reprlib.repr(activations),
                )
            )
        for activation in activations:
            if not isinstance(activation, str):
                raise ValueError(
                    text("error.layers.file_activation", given=reprlib.repr(activation))
                )
            check_activation(activation)
        fused = architecture.get("fused", True)
        if type(fused) is not bool:
            raise ValueError(text("error.layers.file_fused", given=reprlib.repr(fused)))
        return {"nin": nin, "sizes": sizes, "activations": activations, "fused": fused}

    @staticmethod
    def parameter_count(nin: int, sizes: Sequence[int], **_: Any) -> int:
        """How many parameters ``MLP(nin, sizes, ...)`` has, worked out without building it."""
        widths = [nin, *sizes]
        return sum((widths[i] + 1) * widths[i + 1] for i in range(len(sizes)))

    def stepper(
        self,
        x: Sequence[float] = (0.0, 1.0),
        y: float = 1.0,
        quiz: bool = False,
        quiz_forward: bool = False,
        lang: str | None = None,
    ) -> Any:
        """A step-through of the loss on one sample ``(x, y)`` (needs the viz extra).

        The loss is binary cross-entropy on the output logit. For the
        article's network the page also shows the article's six backward
        formulas with this sample's numbers. With ``quiz=True`` it starts in
        quiz mode: before each backward step it asks the learner for the
        numbers (``quiz_forward=True``: the forward values too). The page is
        a view (``nn.steps.model_stepper``), plugged into this method's hook.
        ``lang`` is its language (``"en"`` or ``"zh"``; None: the current one).
        """
        return hooks.call(
            "MLP.stepper", self, x=x, y=y, quiz=quiz, quiz_forward=quiz_forward, lang=lang
        )

    def __repr__(self) -> str:
        inner = ", ".join(f"{s} {a}" for s, a in zip(self.sizes, self.activations))
        return f"MLP({self.nin} inputs -> {inner})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """In Jupyter, a model shows its network view (``nn.draw``, with the viz extra)."""
        return hooks.call("MLP._repr_mimebundle_", self)


def seed_network(seed: int = 0, fused: bool = True) -> MLP:
    """The article's network: 2 inputs, 3 ReLU neurons, 1 sigmoid output."""
    return MLP(2, [3, 1], activations=["relu", "sigmoid"], seed=seed, fused=fused)
