"""glassgrad's neural-network library, built on the public ``autograd`` API.

The article's network in one line::

    import nn
    model = nn.seed_network(seed=0)      # 2 inputs -> 3 ReLU -> 1 sigmoid
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=300, lr=0.5)
"""

from __future__ import annotations

from nn import data, losses, optim, reference
from nn.layers import MLP, Layer, Neuron, Outputs, seed_network
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer
from nn.train import History, accuracy, fit, predict

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
    "accuracy",
    "data",
    "fit",
    "losses",
    "optim",
    "predict",
    "reference",
    "seed_network",
]
