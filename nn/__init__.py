"""glassgrad's neural-network library, built on the public ``autograd`` API.

The article's network in one line::

    import nn
    model = nn.seed_network(seed=0)      # 2 inputs -> 3 ReLU -> 1 sigmoid
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=300, lr=0.5)

Watch it learn, live, in a notebook (pause, click a point, step through it)::

    nn.playground(model, dataset="moons")
"""

from __future__ import annotations

from typing import Any

from nn import data, losses, optim, reference
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
        raise ImportError(
            f"the playground widget needs anywidget ({error}): pip install 'glassgrad[widget]'"
        ) from None
    from nn.play import Playground

    return PlaygroundWidget(Playground(model, dataset=dataset, **options))


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
    "fit",
    "losses",
    "optim",
    "playground",
    "predict",
    "reference",
    "seed_network",
]
