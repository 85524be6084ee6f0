"""glassgrad's neural-network library, built on the public ``autograd`` API.

The article's network in one line::

    import nn
    model = nn.seed_network(seed=0)      # 2 inputs -> 3 ReLU -> 1 sigmoid
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=300, lr=0.5)

Watch it learn, live, in a notebook (pause, click a point, step through it)::

    nn.playground(model, dataset="moons")

Move on to PyTorch with the same network and numbers (``nn.export``)::

    torch_model = nn.export.to_torch(model)
    print(nn.export.compare(model, X, y, steps=20))
"""

from __future__ import annotations

from typing import Any

from autograd import hooks
from nn import data, export, losses, names, optim, reference  # names: the article's, plugged in
from nn.layers import MLP, Layer, Neuron, Outputs, seed_network
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer
from nn.train import History, TrainingLoop, TrainingWarning, accuracy, fit, predict


def playground(model: MLP | None = None, dataset: str = "xor", **options: Any) -> Any:
    """A live training view in a notebook: play, pause, step, reset, explain a sample.

    Watch ``model`` (by default the article's 2-3-1 network) learn a 2-D
    dataset: the decision boundary with the points, the train and test loss,
    the network with its weights as coloured edges and each neuron's output
    over the input plane. Pause at any moment and click a point: its
    forward and backward pass on the current weights opens in the stepper,
    with the article's formulas in numbers. Training runs in the kernel.

    Args:
        model: an ``MLP`` with 2 inputs and 1 output (see ``nn.play.Playground``).
        dataset: xor, moons, circles, spirals or blobs.
        options: any other setting of ``nn.play.Playground`` (noise,
            hidden, activation, lr, optimizer, batch_size, seed, ...).

    Returns:
        The widget (needs the ``widget`` extra: ``pip install 'glassgrad[widget]'``).
        ``.play()``, ``.pause()``, ``.export_html(path)``; ``.model``, ``.playground``.
    """
    try:
        from nn.widget import PlaygroundWidget
    except ImportError as error:
        from autograd.language import text

        raise ImportError(text("error.widget.needs_anywidget", error=error)) from None
    from nn.play import Playground

    return PlaygroundWidget(Playground(model, dataset=dataset, **options))


#: The views, reachable as ``nn.draw``, ``nn.plots``, ``nn.steps`` and ``nn.play``
#: once ``nn`` is imported, each imported on first use (they need the viz extra).
_VIEWS = ("draw", "plots", "play", "steps")


def __getattr__(name: str) -> object:
    if name == "draw":
        import nn.draw

        return nn.draw
    if name == "plots":
        import nn.plots

        return nn.plots
    if name == "play":
        import nn.play

        return nn.play
    if name == "steps":
        import nn.steps

        return nn.steps
    raise AttributeError(f"module 'nn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_VIEWS])


def _model_stepper(model: MLP, x: Any = (0.0, 1.0), y: float = 1.0, **quiz: bool) -> Any:
    import nn.steps

    return nn.steps.model_stepper(model, x, y, **quiz)


def _network_bundle(model: MLP, include: Any = None, exclude: Any = None, **_: Any) -> dict:
    import nn.draw

    return nn.draw.notebook_bundle(model)


# A model's displays are views: they reach it through hooks (see autograd.hooks).
hooks.plug_in("MLP.stepper", _model_stepper)
hooks.plug_in("MLP._repr_mimebundle_", _network_bundle)
hooks.plug_in("exercises.model", MLP)  # an exercise set's network (autograd.stepper.exercises)


__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "Outputs",
    "TrainingLoop",
    "TrainingWarning",
    "accuracy",
    "data",
    "export",
    "fit",
    "losses",
    "names",
    "optim",
    "playground",
    "predict",
    "reference",
    "seed_network",
]
