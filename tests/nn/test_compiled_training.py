"""fit(compiled=True): the recorded step gives the uncompiled run's numbers bit for bit."""

from __future__ import annotations

import math
import struct

import pytest

import autograd
import nn
from autograd import Value
from nn import losses


def bits(numbers: list[float]) -> list[bytes]:
    return [struct.pack("<d", x) for x in numbers]


def run(compiled: bool, make, **settings):  # type: ignore[no-untyped-def]
    model = make()
    X, y = settings.pop("data")
    history = nn.fit(model, X, y, compiled=compiled, **settings)
    parameters = model.parameters()
    return (
        bits(history.loss),
        history.accuracy,
        bits([p.data for p in parameters]),
        bits([p.grad for p in parameters]),
    )


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("loss", ["bce", "mse", "hinge"])
def test_compiled_fit_equals_fit_bit_for_bit(loss: str, optimizer: str) -> None:
    X, y = nn.data.moons(37, seed=4)  # batches of 10, 10, 10 and 7
    if loss == "hinge":
        y = [1.0 if label else -1.0 for label in y]

    def make() -> nn.MLP:
        if loss == "bce":
            return nn.seed_network(seed=5)
        return nn.MLP(2, [5, 4, 1], ["relu", "tanh", "linear"], seed=5)

    settings = dict(
        data=(X, y),
        loss=loss,
        optimizer=optimizer,
        lr=0.05,
        epochs=4,
        batch_size=10,
        weight_decay=1e-3,
    )
    assert run(True, make, **dict(settings)) == run(False, make, **dict(settings))


def test_compiled_fit_full_batch_without_weight_decay() -> None:
    X, y = nn.data.xor()
    settings = dict(data=(X, y), epochs=30, lr=0.5, optimizer="momentum")
    assert run(True, nn.seed_network, **dict(settings)) == run(
        False, nn.seed_network, **dict(settings)
    )


def test_bce_on_probabilities_cannot_be_compiled() -> None:
    model = nn.seed_network()
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="cannot be recorded"):
        nn.fit(model, *nn.data.xor(), loss="bce_prob", compiled=True)
    assert [p.data for p in model.parameters()] == before
    assert set(losses.RECORDABLE) == set(losses.LOSSES) - {"bce_prob"}


def test_compiled_fit_stops_at_nan_as_fit_does() -> None:
    X, y = nn.data.moons(40, seed=1)
    outcomes = []
    for compiled in (False, True):
        model = nn.MLP(2, [8, 1], seed=0)
        with pytest.raises(FloatingPointError, match="diverged") as caught:
            nn.fit(model, X, y, loss="mse", lr=1e6, epochs=20, compiled=compiled)
        outcomes.append((caught.value.history.loss, [p.data for p in model.parameters()]))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("name", list(losses.RECORDABLE))
def test_recordable_losses_equal_their_plain_forms(name: str) -> None:
    if name == "cross_entropy":  # three logits per sample, class labels
        rows = [[Value(x), Value(x / 3 - 1), Value(1 - x)] for x in (-2.0, 0.5, 3.0, -0.0)]
        scores, predictions = [z for row in rows for z in row], rows
        labels, relabelled = [0.0, 2.0, 1.0, 0.0], [1.0, 0.0, 2.0, 2.0]
    else:
        scores = predictions = [Value(x) for x in (-2.0, 0.5, 3.0, -0.0)]
        labels, relabelled = [0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]
    recordable, target = losses.RECORDABLE[name][0], losses.recorded_target(name, 3)
    plain = losses.LOSSES[name](predictions, labels)
    # One leaf per sample, or for a one-hot row one per class.
    leaves = [
        [Value(v) for v in target(label)] if name == "cross_entropy" else Value(target(label))
        for label in labels
    ]
    recorded = recordable(predictions, leaves)
    assert bits([recorded.data]) == bits([plain.data])
    tape = autograd.record(recorded, wrt=scores)
    for leaf, label in zip(leaves, relabelled):  # new labels, no new recording
        if name == "cross_entropy":
            for each, v in zip(leaf, target(label)):
                each.data = v
        else:
            leaf.data = target(label)
    for s in scores:
        s.grad = 0.0
    value = tape.replay()
    got = [s.grad for s in scores]
    for s in scores:
        s.grad = 0.0
    fresh = losses.LOSSES[name](predictions, relabelled)
    fresh.backward()
    assert bits([value, *got]) == bits([fresh.data, *(s.grad for s in scores)])


def test_a_hinge_recorded_with_its_labels_keeps_their_signs() -> None:
    # The limitation every tracer has: hinge's label-to-sign is decided in Python.
    score = Value(0.5)
    label = Value(1.0)
    tape = autograd.record(losses.hinge([score], [label]))
    label.data = 0.0
    assert tape.replay() == 0.5  # still the positive class's loss, 1 − 0.5
    assert math.isclose(losses.hinge([score], [0.0]).data, 1.5)


def test_ctrl_c_in_a_compiled_fit_keeps_the_finished_epochs() -> None:
    def stop(epoch: int, history: nn.train.History) -> None:
        if epoch == 2:
            raise KeyboardInterrupt

    outcomes = []
    for compiled in (False, True):
        model = nn.seed_network(seed=2)
        history = nn.fit(model, *nn.data.xor(), epochs=9, on_epoch=stop, compiled=compiled)
        assert history.interrupted and len(history.loss) == 3
        outcomes.append((history.loss, [p.data for p in model.parameters()]))
    assert outcomes[0] == outcomes[1]


def nested_bits(outputs: list[list[list[float]]]) -> list[list[list[bytes]]]:
    return [[bits(layer) for layer in sample] for sample in outputs]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("logits", [True, False])
def test_recorded_layer_outputs_equal_layer_outputs_bit_for_bit(
    activation: str, logits: bool
) -> None:
    from nn.recorded import RecordedLayerOutputs

    model = nn.MLP(2, [4, 3, 1], [activation, activation, "sigmoid"], seed=5)
    X, _ = nn.data.moons(200, noise=0.2, seed=3)
    X = [*X, [0.0, -0.0], [1e300, -1e300]]
    recorded = RecordedLayerOutputs(model, X, logits)
    assert "in _table:" in recorded.tape.source  # the samples, one loop
    for step in range(3):
        assert nested_bits(recorded.outputs()) == nested_bits(model.layer_outputs(X, logits))
        for p in model.parameters():
            p.data = p.data * 1.5 - 0.25 * step  # new parameters: the replay reads them


def test_the_playground_records_its_maps_and_splits_with_the_same_numbers() -> None:
    from nn.play import Playground

    pg = Playground(dataset="moons", points=60, hidden=[3], resolution=12)
    for _ in range(3):  # the first pass computed afresh, then recorded, then replayed
        pg.train(2)
        for X in (pg.grid, pg.X, pg.X_test):
            for logits in (True, False):
                expected = pg.model.layer_outputs(X, logits)
                assert nested_bits(pg.forward(X, logits)) == nested_bits(expected)
    plain = Playground(dataset="moons", points=60, hidden=[3], resolution=12, compiled=False)
    for _ in range(3):
        plain.train(2)
    assert pg.maps() == plain.maps() and pg.history == plain.history
