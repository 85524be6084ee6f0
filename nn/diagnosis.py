"""Did training learn? If not, say what happened and what to try.

A run can end with finite numbers and still have learned nothing: a
learning rate so large that the loss climbed, one so small that it hardly
moved, ReLU units that went dead and pass no gradient. ``diagnose`` tells
these apart from the loss curve and the last gradients; ``nn.fit`` issues
its answer as a ``TrainingWarning`` and keeps it in ``History.warning``.

The yardstick is the loss of the best constant prediction, the one a model
gets that ignores its input (for bce and cross_entropy the class balance,
for mse the mean).
A model that does no better than that has not learned.
"""

from __future__ import annotations

import math
from typing import Any

from autograd.language import text
from autograd.names import fmt
from nn.layers import MLP
from nn.losses import LOSSES, ON_LOGITS

#: Fewer epochs tell nothing: a loss may well rise for a few steps and then fall.
MIN_EPOCHS = 10
#: A loss that changed by less than this fraction over the second half of
#: training has stalled.
STALL_CHANGE = 0.01

# What a learner reads is in the message catalogue (fit.diagnosis.*).


def diagnose(
    losses: list[float],
    model: MLP,
    samples: list[list[Any]],
    labels: list[float],
    loss: str,
    lr: float,
) -> str:
    """ "" if training learned; else one paragraph: diverged or stalled, and what to try.

    Args:
        losses: the loss of each epoch.
        model: the model as training left it (its ``.grad`` from the last batch).
        samples, labels, loss: what it was trained on, and the loss's name.
        lr: the learning rate.

    After at least ``MIN_EPOCHS`` epochs, training did not learn when the
    model does no better on its training data than the best constant
    prediction, and its loss either ended higher than it began (diverged)
    or hardly moved over the second half of training (stalled). The model's loss is
    computed only when the curve looks like that, so a run that learns pays
    nothing for the check.
    """
    if len(losses) < MIN_EPOCHS:
        return ""
    first, last = losses[0], losses[-1]
    middle = losses[len(losses) // 2]
    rose = last > first
    stalled = abs(last - middle) <= STALL_CHANGE * abs(middle)
    if not (rose or stalled):
        return ""
    floor = constant_loss(loss, labels)
    if not floor > 0 or model_loss(model, samples, labels, loss) < floor:
        return ""
    numbers = {
        "first": fmt(first),
        "last": fmt(last),
        "epochs": len(losses),
        "half": len(losses) - len(losses) // 2,
        "lr": f"{lr:g}",
        "smaller": f"{min(lr / 10, 0.1):g}",  # a tenth of a huge rate diverges too
        "larger": f"{lr * 10:g}",
        "no_better": text("fit.diagnosis.no_better", floor=fmt(floor)),
    }
    if rose:
        return text("fit.diagnosis.rose", **numbers)
    # The output biases learn the class balance even when everything before
    # them is dead.
    output_biases = {neuron.b for neuron in model.layers[-1].neurons}
    if all(p.grad == 0.0 for p in model.parameters() if p not in output_biases):
        return text("fit.diagnosis.stalled_dead", **numbers)
    if abs(last - first) <= STALL_CHANGE * abs(first):
        return text("fit.diagnosis.stalled_slow", **numbers)
    return text("fit.diagnosis.stalled", **numbers)


def constant_loss(loss: str, labels: list[float]) -> float:
    """The loss of the best constant prediction on ``labels``: what learning nothing gets.

    bce: the entropy of the class balance p, ``−(p·log p + (1−p)·log(1−p))``;
    mse: the labels' variance; hinge: ``2·min(p, 1−p)`` (a score of ±1);
    cross_entropy: the entropy of the classes' shares, ``−Σ p_k·log p_k``.
    """
    m = len(labels)
    if loss == "cross_entropy":
        shares = [labels.count(k) / m for k in sorted(set(labels))]
        return -sum(p * math.log(p) for p in shares)
    if loss == "mse":
        mean = sum(labels) / m
        return sum((label - mean) ** 2 for label in labels) / m
    share = sum(label > 0 for label in labels) / m  # of the positive class
    if loss == "hinge":
        return 2.0 * min(share, 1.0 - share)
    if share in (0.0, 1.0):
        return 0.0
    return -(share * math.log(share) + (1.0 - share) * math.log(1.0 - share))


def model_loss(model: MLP, samples: list[list[Any]], labels: list[float], loss: str) -> float:
    """The loss on every sample at the current parameters (without weight decay), on floats."""
    last = [layers[-1] for layers in model.layer_outputs(samples, loss in ON_LOGITS)]
    outputs = last if loss == "cross_entropy" else [out[0] for out in last]
    return LOSSES[loss](outputs, labels).data
