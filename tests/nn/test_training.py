"""Losses, optimizers, data and training: the article's loop learns."""

from __future__ import annotations

import copy
import gc
import math
import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import data, losses
from nn.__main__ import DEFAULTS
from nn.diagnosis import constant_loss
from nn.optim import SGD, Adam


def test_sgd_is_exactly_the_articles_update() -> None:
    w = Value(1.0)
    w.grad = 0.25
    SGD([w], lr=0.1).step()
    assert w.data == 1.0 - 0.1 * 0.25


def test_momentum_and_adam_move_against_the_gradient() -> None:
    for optimizer_class, kwargs in ((SGD, {"momentum": 0.9}), (Adam, {})):
        w = Value(2.0)
        optimizer = optimizer_class([w], lr=0.1, **kwargs)
        for _ in range(50):
            optimizer.zero_grad()
            (w * w).backward()
            optimizer.step()
        assert abs(w.data) < 1.0, optimizer_class


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: Adam(ps)])
def test_restore_undoes_a_step_and_the_optimizers_state(make: Any) -> None:
    w = [Value(2.0), Value(-1.0)]
    optimizer = make(w)
    for _ in range(2):  # some state to keep
        optimizer.zero_grad()
        (w[0] * w[0] + w[1] * w[0]).backward()
        optimizer.step()
    state = {k: copy.deepcopy(v) for k, v in vars(optimizer).items() if k != "parameters"}
    before = optimizer.snapshot()
    values = [p.data for p in w]
    optimizer.step()
    optimizer.restore(before)
    assert [p.data for p in w] == values
    assert {k: v for k, v in vars(optimizer).items() if k != "parameters"} == state


def test_schedule_sets_the_learning_rate() -> None:
    optimizer = SGD([Value(1.0)], lr=1.0, schedule=lambda epoch: 1.0 / (1 + epoch))
    optimizer.set_epoch(3)
    assert optimizer.lr == 0.25


def test_bad_optimizer_settings() -> None:
    with pytest.raises(ValueError, match="learning rate"):
        SGD([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)


def test_losses_values() -> None:
    p = [Value(0.8), Value(0.3)]
    y = [1.0, 0.0]
    expected_bce = -(math.log(0.8) + math.log(0.7)) / 2
    assert losses.bce(p, y).data == pytest.approx(expected_bce)
    z = [Value(math.log(0.8 / 0.2)), Value(math.log(0.3 / 0.7))]
    assert losses.bce_with_logits(z, y).data == pytest.approx(expected_bce)
    assert losses.mse(p, y).data == pytest.approx((0.04 + 0.09) / 2)
    assert losses.hinge([Value(0.5), Value(-2.0)], [1.0, 0.0]).data == pytest.approx(0.25)
    saturated = losses.bce([Value(1.0)], [0.0])
    assert math.isfinite(saturated.data)
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        losses.mse(p, [1.0])


def test_bce_with_logits_gradient_is_mean_of_prediction_minus_target() -> None:
    z = [Value(0.3), Value(-1.2), Value(2.0)]
    y = [1.0, 0.0, 1.0]
    losses.bce_with_logits(z, y).backward()
    for zi, yi in zip(z, y):
        y_hat = 1 / (1 + math.exp(-zi.data))
        assert zi.grad == pytest.approx((y_hat - yi) / 3, abs=1e-16)


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_datasets_are_seeded(name: str) -> None:
    make = data.DATASETS[name]
    first, again, other = make(seed=1), make(seed=1), make(seed=2)
    assert first == again
    X, y = first
    assert len(X) == len(y) and set(y) <= {0.0, 1.0} and all(len(x) == 2 for x in X)
    if name != "xor":
        assert first != other


def test_split_and_batches() -> None:
    X, y = data.moons(40)
    (train_X, train_y), (test_X, test_y) = data.train_test_split(X, y, 0.25, seed=0)
    assert len(train_X) == 30 and len(test_X) == 10
    assert sorted(map(tuple, train_X + test_X)) == sorted(map(tuple, X))
    sizes = [len(b[0]) for b in data.batches(X, y, batch_size=16)]
    assert sizes == [16, 16, 8]
    with pytest.raises(ValueError, match="at least 4"):
        data.xor(2)


def train_default(dataset: str) -> tuple[nn.MLP, nn.History]:
    make = data.DATASETS[dataset]
    X, y = make() if dataset == "xor" else make(DEFAULTS["samples"])
    model = nn.seed_network(seed=0)
    history = nn.fit(
        model,
        X,
        y,
        epochs=DEFAULTS["epochs"],
        lr=DEFAULTS["lr"],
        optimizer=DEFAULTS["optimizer"],
        progress=False,
    )
    return model, history


def test_xor_reaches_full_accuracy_with_demo_defaults() -> None:
    model, history = train_default("xor")
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < history.loss[0]


@pytest.mark.slow
def test_moons_reaches_97_percent_with_demo_defaults() -> None:
    model, history = train_default("moons")
    assert history.accuracy[-1] >= 0.97
    X_test, y_test = data.moons(DEFAULTS["samples"], seed=1000)
    assert nn.accuracy(model, X_test, y_test) >= 0.9


def test_fit_rejects_bad_arguments() -> None:
    model = nn.seed_network()
    X, y = data.xor()
    with pytest.raises(ValueError, match="unknown loss"):
        nn.fit(model, X, y, loss="cross")
    with pytest.raises(ValueError, match="unknown optimizer"):
        nn.fit(model, X, y, optimizer="rmsprop")
    with pytest.raises(ValueError, match="epochs"):
        nn.fit(model, X, y, epochs=0)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"optimizer": None}, TypeError, r"optimizer must be a name .* or an nn\.Optimizer"),
        ({"seed": "a"}, ValueError, r"seed must be a whole number, got 'a'"),
        ({"seed": None}, ValueError, r"seed must be a whole number, got None"),
        ({"seed": 1.5}, ValueError, r"seed must be a whole number"),
        ({"epochs": 2.0}, ValueError, r"epochs must be a whole number, at least 1"),
        ({"epochs": True}, ValueError, r"epochs must be a whole number"),
        ({"on_epoch": 3}, TypeError, r"on_epoch must be a function"),
    ],
)
def test_fit_checks_every_argument_before_anything_changes(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    model = nn.seed_network()
    before = model.state_dict()
    X, y = data.xor()
    with pytest.raises(error, match=message):
        nn.fit(model, X, y, progress=False, **{"epochs": 2, **arguments})
    assert model.state_dict() == before


def test_an_optimizer_made_for_another_model_is_refused() -> None:
    model, other = nn.seed_network(seed=1), nn.seed_network(seed=2)
    before = model.state_dict()
    X, y = data.xor()
    with pytest.raises(
        ValueError, match=r"13 of the optimizer's 13 parameters are not this model's"
    ):
        nn.fit(model, X, y, optimizer=SGD(other.parameters(), 0.1), epochs=2, progress=False)
    assert model.state_dict() == before
    # An optimizer over some of the model's parameters (the rest frozen) is fine.
    frozen = model.layers[0].parameters()
    nn.fit(model, X, y, optimizer=SGD(model.layers[1].parameters(), 0.5), epochs=3, progress=False)
    assert [p.data for p in frozen] == [before[n] for n in list(before)[: len(frozen)]]
    assert model.state_dict() != before


def test_numpy_numbers_work_as_whole_numbers_and_learning_rates() -> None:
    np = pytest.importorskip("numpy")
    X, y = data.moons(20)
    expected = nn.fit(nn.seed_network(), X, y, epochs=3, batch_size=5, seed=2, progress=False)
    model = nn.seed_network()
    history = nn.fit(
        model,
        X,
        y,
        epochs=np.int64(3),
        batch_size=np.int32(5),
        seed=np.int64(2),
        lr=np.float64(0.1),
        progress=False,
    )
    assert history.loss == expected.loss
    assert SGD(model.parameters(), lr=np.float32(0.5)).lr == 0.5


# --- Data of any sequence type, batch sizes, labels ---------------------------------------


def test_fit_predict_and_accuracy_take_numpy_arrays() -> None:
    np = pytest.importorskip("numpy")
    X, y = data.moons(30)
    expected = nn.fit(nn.MLP(2, [4, 1], seed=3), X, y, epochs=3, progress=False)
    for labels in (np.array(y), np.array(y, dtype=np.int64), np.array(y, dtype=np.float32)):
        model = nn.MLP(2, [4, 1], seed=3)
        history = nn.fit(model, np.array(X), labels, epochs=3, progress=False)
        assert history.loss == expected.loss
        assert nn.predict(model, np.array(X)) == nn.predict(model, X)
        assert nn.accuracy(model, np.array(X), labels) == nn.accuracy(model, X, y)


def test_empty_or_mismatched_data_is_a_clear_error() -> None:
    model = nn.seed_network()
    with pytest.raises(ValueError, match="X is empty"):
        nn.fit(model, [], [])
    with pytest.raises(ValueError, match="X has 4 samples but y has 3 labels"):
        nn.accuracy(model, data.xor()[0], [0, 1, 1])
    with pytest.raises(TypeError, match=r"reshape\(-1, 1\)"):
        nn.fit(model, [0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="sample 1 of X has 3 features; the model takes 2"):
        nn.fit(model, [[0, 1], [1, 0, 1]], [0, 1])
    with pytest.raises(ValueError, match="sample 0, feature 1 of X is nan"):
        nn.fit(model, [[0, math.nan]], [0])


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_batch_size_must_be_at_least_one(size: object) -> None:
    model = nn.seed_network()
    before = model.state_dict()
    X, y = data.xor()
    with pytest.raises(ValueError, match="batch_size must be a whole number of samples"):
        nn.fit(model, X, y, batch_size=size)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size"):
        list(data.batches(X, y, batch_size=size))  # type: ignore[arg-type]
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("loss", "labels", "message"),
    [
        ("bce", [0, 1, 1, 2], r"label 2\.0 at index 3 .*takes 0/1 labels"),
        ("bce_prob", [0, 0.5, 1, 0], r"label 0\.5 at index 1"),
        ("bce", [1, -1, 1, -1], r"label -1\.0 at index 1 .*use loss='hinge'"),
        ("hinge", [1, 0, 3, 0], r"label 3\.0 at index 2 .*0/1 or -1/\+1"),
        ("hinge", [1, -1, 0, 1], r"label 0\.0 at index 2: .*mix both"),
        ("mse", [0.5, math.inf, 1, 0], r"label inf at index 1: mse needs finite"),
    ],
)
def test_labels_outside_the_losss_range_are_rejected_before_training(
    loss: str, labels: list[float], message: str
) -> None:
    model = nn.seed_network()
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        nn.fit(model, data.xor()[0], labels, loss=loss, epochs=2)
    assert model.state_dict() == before


def test_each_loss_takes_its_own_labels() -> None:
    X = data.xor()[0]
    nn.fit(nn.seed_network(), X, [0, 1, 1, 0], loss="bce_prob", epochs=1, progress=False)
    nn.fit(nn.MLP(2, [3, 1]), X, [-1, 1, 1, -1], loss="hinge", epochs=1, progress=False)
    nn.fit(nn.MLP(2, [3, 1]), X, [0, 1, 1, 0], loss="hinge", epochs=1, progress=False)
    nn.fit(nn.MLP(2, [3, 1]), X, [-2.5, 0.1, 7, 0], loss="mse", epochs=1, progress=False)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["bce", "bce_prob", "hinge"]),
    st.lists(st.one_of(st.sampled_from([0.0, 1.0, -1.0]), st.floats(allow_nan=True)), min_size=1),
)
def test_a_label_is_rejected_exactly_when_the_loss_cannot_use_it(
    loss: str, labels: list[float]
) -> None:
    allowed = {0.0, 1.0} | ({-1.0} if loss == "hinge" else set())
    bad = [i for i, v in enumerate(labels) if v not in allowed]
    mixed = loss == "hinge" and 0.0 in labels and -1.0 in labels
    if not bad and not mixed:
        losses.check_targets(loss, labels)
        return
    with pytest.raises(ValueError, match=r"at index (\d+)") as caught:
        losses.check_targets(loss, labels)
    index = int(re.search(r"at index (\d+)", str(caught.value)).group(1))  # type: ignore[union-attr]
    if bad:
        assert index == bad[0]
    else:
        assert labels[index] in (0.0, -1.0) and index == max(labels.index(0.0), labels.index(-1.0))


# --- Ctrl-C and divergence -----------------------------------------------------------------


def trained(epochs: int, **kwargs: object) -> tuple[nn.MLP, nn.History]:
    """The reference run: the same model and data, ``epochs`` epochs, uninterrupted."""
    model = nn.MLP(2, [4, 1], seed=5)
    X, y = data.moons(20)
    history = nn.fit(model, X, y, epochs=epochs, progress=False, **kwargs)  # type: ignore[arg-type]
    return model, history


def test_ctrl_c_in_a_callback_returns_the_finished_epochs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def stop_after_third(epoch: int, history: nn.History) -> None:
        if epoch == 2:
            raise KeyboardInterrupt

    model, history = trained(10, on_epoch=stop_after_third, optimizer="momentum")
    reference, expected = trained(3, optimizer="momentum")
    assert history.interrupted and not expected.interrupted
    assert history.loss == expected.loss and history.accuracy == expected.accuracy
    assert model.state_dict() == reference.state_dict()
    assert "interrupted: 3 of 10 epochs finished" in capsys.readouterr().err


class StoppedMidUpdate(SGD):
    """SGD with momentum that, on its third update, is stopped halfway through."""

    def __init__(self, parameters: list[Value]) -> None:
        super().__init__(parameters, lr=0.1, momentum=0.9)
        self.updates = 0

    def step(self) -> None:
        self.updates += 1
        if self.updates == 3:
            half = len(self.parameters) // 2
            for i, p in enumerate(self.parameters[:half]):
                self.velocity[i] = self.momentum * self.velocity[i] + p.grad
                p.data -= self.lr * self.velocity[i]
            raise KeyboardInterrupt
        super().step()


def test_ctrl_c_during_an_update_leaves_no_half_applied_step() -> None:
    model = nn.MLP(2, [4, 1], seed=5)
    X, y = data.moons(20)
    optimizer = StoppedMidUpdate(model.parameters())
    history = nn.fit(model, X, y, optimizer=optimizer, epochs=10, progress=False)
    reference_model = nn.MLP(2, [4, 1], seed=5)
    reference = SGD(reference_model.parameters(), lr=0.1, momentum=0.9)
    expected = nn.fit(reference_model, X, y, optimizer=reference, epochs=2, progress=False)
    assert history.interrupted and history.loss == expected.loss
    assert model.state_dict() == reference_model.state_dict()
    assert optimizer.velocity == reference.velocity


def test_ctrl_c_during_the_loss_keeps_the_last_finished_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0

    def mse_then_stop(predictions: list[Value], targets: list[float]) -> Value:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        return losses.mse(predictions, targets)

    monkeypatch.setitem(losses.LOSSES, "mse", mse_then_stop)
    # Built graphs: a recorded step would not call the replaced loss again.
    model, history = trained(10, loss="mse", compiled=False)
    monkeypatch.undo()
    reference, expected = trained(3, loss="mse")
    assert history.interrupted and len(history.loss) == 3
    assert history.loss == pytest.approx(expected.loss, rel=1e-15)
    assert model.state_dict() == reference.state_dict()


def test_a_diverging_loss_stops_training_and_keeps_the_last_good_parameters() -> None:
    model = nn.MLP(2, [8, 1], seed=0)
    X, y = data.moons(40)
    targets = [10.0 * label for label in y]
    with pytest.raises(
        FloatingPointError, match=r"epoch \d+ of 50.*smaller one, such as 0\.1\."
    ) as caught:
        nn.fit(model, X, targets, loss="mse", lr=5.0, epochs=50, progress=False)
    history = caught.value.history  # type: ignore[attr-defined]
    assert 0 < len(history.loss) < 50 and all(map(math.isfinite, history.loss))
    assert all(math.isfinite(p.data) for p in model.parameters())
    # Full batch: the model holds the parameters at which the last finite loss was computed.
    loss_now = losses.mse([model(x) for x in X], targets).data
    assert loss_now == pytest.approx(history.loss[-1], rel=1e-12)


def test_a_loss_that_is_inf_from_the_start_says_so() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(FloatingPointError, match="before any update"):
        nn.fit(model, [[1e200, 1e200]], [1.0], loss="mse", progress=False)
    assert model.state_dict() == before


def test_huge_but_finite_parameters_are_not_taken_for_divergence() -> None:
    # Their sum overflows to inf; each of them is finite, and so is the loss.
    model = nn.MLP(2, [4, 1], seed=0)
    for neuron in model.layers[0].neurons:
        neuron.w = [Value(1e308), Value(1e308)]
    history = nn.fit(model, [[0.0, 0.0]], [1.0], loss="mse", lr=0.01, epochs=2, progress=False)
    assert len(history.loss) == 2 and all(map(math.isfinite, history.loss))
    assert [w.data for n in model.layers[0].neurons for w in n.w] == [1e308] * 8


# --- Weight decay (L2) ---------------------------------------------------------------------


def test_one_fit_step_with_weight_decay_is_micrograds_demo_step() -> None:
    X, labels = data.moons(30, seed=1)
    y = [1.0 if label else -1.0 for label in labels]
    model = nn.MLP(2, [16, 16, 1], seed=1337)
    history = nn.fit(
        model, X, y, loss="hinge", weight_decay=1e-4, optimizer="sgd", lr=1.0, epochs=1
    )
    # micrograd's demo, written out: hinge + 1e-4·Σp², then p ← p − η·∂L/∂p.
    by_hand = nn.MLP(2, [16, 16, 1], seed=1337)
    scores = [by_hand(x) for x in X]
    data_loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(y))
    total = data_loss + 1e-4 * sum(p * p for p in by_hand.parameters())
    by_hand.zero_grad()
    total.backward()
    for p in by_hand.parameters():
        p.data -= 1.0 * p.grad
    assert history.loss[0] == pytest.approx(total.data, rel=1e-12)
    for ours, theirs in zip(model.parameters(), by_hand.parameters(), strict=True):
        assert ours.data == pytest.approx(theirs.data, rel=1e-9, abs=1e-12)


def test_weight_decay_shrinks_the_parameters_and_is_checked() -> None:
    plain, _ = trained(20)
    decayed, _ = trained(20, weight_decay=0.05)
    size = sum(p.data**2 for p in decayed.parameters())
    assert size < sum(p.data**2 for p in plain.parameters())
    for bad in (-1e-4, math.nan, "0.1"):
        with pytest.raises(ValueError, match="weight_decay must be a number >= 0"):
            trained(1, weight_decay=bad)


# --- micrograd's demo, with glassgrad's classes ----------------------------------------------

DEMO_STEPS = 3


def demo_data() -> tuple[Any, Any]:
    """The demo's data as it has it: numpy arrays, labels −1/+1 as integers."""
    np = pytest.importorskip("numpy")
    X, y = data.moons(30, noise=0.1, seed=1)
    return np.array(X), np.array(y, dtype=np.int64) * 2 - 1


def micrograd_demo(value_class: Any, mlp_class: Any, start: list[float]) -> list[float]:
    """micrograd's demo training loop, as its notebook writes it; the loss per step.

    Only ``Value`` and ``MLP`` come from outside, and the starting parameters
    (set in ``parameters()`` order, which glassgrad shares with micrograd).
    """
    Value, MLP = value_class, mlp_class
    X, y = demo_data()
    model = MLP(2, [16, 16, 1])
    for p, start_value in zip(model.parameters(), start, strict=True):
        p.data = start_value

    def loss() -> tuple[Any, float]:
        Xb, yb = X, y
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    history = []
    for k in range(DEMO_STEPS):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(total_loss.data)
    return history


@pytest.fixture(scope="module")
def micrograd_run() -> tuple[list[float], list[float]]:
    """micrograd's own start (its demo's seed) and its losses per step."""
    micro_engine = pytest.importorskip("micrograd.engine")
    micro_nn = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    start = [p.data for p in micro_nn.MLP(2, [16, 16, 1]).parameters()]
    gc.disable()  # micrograd's graphs are cycles: its steps are much faster without the collector
    try:
        return start, micrograd_demo(micro_engine.Value, micro_nn.MLP, start)
    finally:
        gc.enable()
        gc.collect()


@pytest.mark.slow
def test_micrograds_demo_runs_on_glassgrad_with_only_the_imports_changed(
    micrograd_run: tuple[list[float], list[float]],
) -> None:
    start, theirs = micrograd_run
    ours = micrograd_demo(Value, nn.MLP, start)
    assert ours == pytest.approx(theirs, rel=1e-12)


@pytest.mark.slow
def test_fit_with_weight_decay_and_micrograds_schedule_is_micrograds_demo(
    micrograd_run: tuple[list[float], list[float]],
) -> None:
    start, theirs = micrograd_run
    model = nn.MLP(2, [16, 16, 1])
    for p, start_value in zip(model.parameters(), start, strict=True):
        p.data = start_value
    X, y = demo_data()
    schedule = SGD(model.parameters(), lr=1.0, schedule=lambda k: 1.0 - 0.9 * k / 100)
    history = nn.fit(
        model, X, y, loss="hinge", weight_decay=1e-4, optimizer=schedule, epochs=DEMO_STEPS
    )
    assert history.loss == pytest.approx(theirs, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20),
)
def test_parameters_finite_is_true_exactly_when_every_parameter_is(numbers: list[float]) -> None:
    optimizer = SGD([Value(x) for x in numbers], lr=0.1)
    assert optimizer.parameters_finite() == all(map(math.isfinite, numbers))


# --- Clear errors for the data, losses and accuracy ---------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: losses.bce_with_logits(Value(0.3), 1), TypeError, "takes a list of predictions"),
        (lambda: losses.mse([Value(0.3)], 1.0), TypeError, "takes a list of targets"),
        (lambda: losses.hinge([Value(0.3), "x"], [1, 0]), TypeError, "prediction 1 is 'x'"),
        (lambda: data.moons(noise=math.nan), ValueError, "noise must be a finite number >= 0"),
        (lambda: data.blobs(spread=-1.0), ValueError, "spread must be a finite number >= 0"),
        (lambda: data.circles(factor=math.inf), ValueError, "factor must be a finite number"),
        (lambda: next(data.batches([[0.0]], [1.0, 0.0])), ValueError, "X has 1 samples but y"),
        (
            lambda: nn.accuracy(nn.seed_network(), [[1.0, 2.0], [3.0, 4.0]], [2, 5]),
            ValueError,
            r"label 2\.0 at index 0: accuracy takes class labels",
        ),
        (
            lambda: nn.accuracy(nn.seed_network(), [[1.0, 2.0]], [math.nan]),
            ValueError,
            "label nan at index 0",
        ),
    ],
)
def test_bad_data_and_labels_are_clear_errors(
    call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_every_loss_takes_plain_numbers_as_constant_predictions() -> None:
    for name, loss in losses.LOSSES.items():
        if name == "cross_entropy":  # a prediction per sample is a list of logits
            on_numbers = loss([[0.25, 1.0], [-0.5, 0.0]], [1.0, 0.0])
            on_values = loss([[Value(0.25), Value(1.0)], [Value(-0.5), Value(0.0)]], [1.0, 0.0])
        else:
            on_numbers = loss([0.25, -0.5], [1.0, 0.0])
            on_values = loss([Value(0.25), Value(-0.5)], [1.0, 0.0])
        assert on_numbers.data == on_values.data, name


def test_fits_words_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    from autograd.language import using_language

    model = nn.MLP(2, [8, 1], seed=0)
    X, y = data.moons(40)
    with using_language("zh"), pytest.raises(FloatingPointError) as caught:
        nn.fit(model, X, [10.0 * v for v in y], loss="mse", lr=5.0, epochs=50, progress=False)
    assert "发散了：损失变成了 nan 或 inf。学习速率 5 可能太大了：试试更小的，例如 0.1。" in str(
        caught.value
    )

    def stop(epoch: int, history: nn.History) -> None:
        raise KeyboardInterrupt

    with using_language("zh"):
        nn.fit(nn.MLP(2, [3, 1], seed=0), X, y, epochs=5, progress=False, on_epoch=stop)
    assert "训练被中断：5 轮中完成了 1 轮" in capsys.readouterr().err


# --- One loop: recorded by default, and a warning when training did not learn ------------


def test_fit_records_by_default_where_exact_with_the_built_graphs_numbers() -> None:
    X, y = data.moons(30, seed=2)
    runs = {}
    for compiled in (None, False):
        model = nn.MLP(2, [4, 1], seed=3)
        history = nn.fit(model, X, y, epochs=12, batch_size=8, lr=0.3, compiled=compiled)
        runs[compiled] = (history.loss, history.accuracy, model.state_dict())
    assert runs[None] == runs[False]  # bit for bit
    assert nn.train.TrainingLoop(nn.MLP(2, [4, 1]), X, y).compiled is True
    assert nn.train.TrainingLoop(nn.MLP(2, [4, 1]), X, y, compiled=False).compiled is False


def test_fit_falls_back_to_building_where_recording_is_not_exact() -> None:
    X, y = data.xor()
    # bce_prob's clamp is a Python decision; Value features want their gradients.
    assert nn.train.TrainingLoop(nn.seed_network(), X, y, loss="bce_prob").compiled is False
    features = [[Value(a), Value(b)] for a, b in X]
    loop = nn.train.TrainingLoop(nn.seed_network(), features, y)
    assert loop.compiled is False
    loop.train(1)
    assert any(v.grad != 0.0 for row in features for v in row)
    nn.fit(nn.seed_network(), X, y, loss="bce_prob", epochs=2)  # no error


def test_a_loop_trained_in_parts_is_fit_in_one_go() -> None:
    X, y = data.circles(40, seed=1)
    model = nn.MLP(2, [5, 1], seed=4)
    expected = nn.fit(model, X, y, optimizer="momentum", epochs=9, batch_size=16, seed=3)
    loop = nn.train.TrainingLoop(
        nn.MLP(2, [5, 1], seed=4), X, y, optimizer="momentum", batch_size=16, seed=3
    )
    for epochs in (2, 3, 4):
        loop.train(epochs)
    assert loop.epoch == 9 and loop.history.loss == expected.loss
    assert loop.history.accuracy == expected.accuracy
    assert loop.model.state_dict() == model.state_dict()


def test_divergence_is_a_floating_point_error_with_what_happened() -> None:
    X, y = data.moons(40)
    with pytest.raises(nn.train.Diverged) as caught:
        nn.fit(nn.MLP(2, [8, 1], seed=0), X, [10.0 * v for v in y], loss="mse", lr=5.0, epochs=50)
    error = caught.value
    assert isinstance(error, FloatingPointError) and error.what in ("the loss", "a parameter")
    assert error.lr == 5.0 and error.suggested_lr == 0.1 and error.epochs == 50
    assert error.epoch == len(error.history.loss) + 1 and not error.before_any_update


@pytest.mark.parametrize(
    ("lr", "optimizer", "says"),
    [
        (1e6, "momentum", r"diverged: the loss rose from 0\.7598 to 8\.666e\+05 .*such as 0\.1\."),
        (10.0, "momentum", r"stalled: .* every gradient but the output bias's is 0"),
        (1e-6, "sgd", r"stalled: in 300 epochs .*too small: try a larger one, such as 1e-05"),
    ],
)
def test_training_that_did_not_learn_warns_and_says_what_to_try(
    lr: float, optimizer: str, says: str
) -> None:
    X, y = data.xor()
    with pytest.warns(nn.TrainingWarning, match=says) as caught:
        history = nn.fit(nn.seed_network(seed=0), X, y, lr=lr, optimizer=optimizer, epochs=300)
    assert "no better than predicting the same for every sample (loss 0.6931)" in history.warning
    assert [str(w.message) for w in caught] == [history.warning]
    assert history.accuracy[-1] == 0.5


def test_training_that_learned_does_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    X, y = data.xor()
    history = nn.fit(nn.seed_network(seed=0), X, y, lr=0.2, optimizer="momentum", epochs=300)
    assert history.warning == "" and not recwarn.list
    # A few epochs tell nothing, however they go.
    history = nn.fit(nn.seed_network(seed=0), X, y, lr=1e6, optimizer="momentum", epochs=5)
    assert history.warning == "" and not recwarn.list


def best_constant(loss: str, labels: list[float]) -> float:
    """The constant prediction with the lowest loss: a logit for bce, a score for hinge."""
    share = sum(labels) / len(labels)
    if loss == "bce":
        return math.log(share / (1.0 - share))
    if loss == "mse":
        return share
    return 1.0 if share >= 0.5 else -1.0


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["bce", "mse", "hinge"]),
    st.lists(st.sampled_from([0.0, 1.0]), min_size=2, max_size=30).filter(
        lambda labels: 0.0 in labels and 1.0 in labels
    ),
    st.floats(-3.0, 3.0),
)
def test_the_constant_loss_is_the_best_a_constant_prediction_gets(
    loss: str, labels: list[float], constant: float
) -> None:
    floor = constant_loss(loss, labels)
    loss_function = losses.LOSSES[loss]
    assert loss_function([constant] * len(labels), labels).data >= floor * (1 - 1e-12)
    reached = loss_function([best_constant(loss, labels)] * len(labels), labels).data
    assert reached == pytest.approx(floor, rel=1e-12)


def test_a_run_that_did_not_learn_is_told_in_chinese_too() -> None:
    from autograd.language import using_language

    X, y = data.xor()
    with using_language("zh"), pytest.warns(nn.TrainingWarning) as caught:
        history = nn.fit(nn.seed_network(seed=0), X, y, lr=1e-6, optimizer="sgd", epochs=300)
    assert history.warning.startswith("训练停滞了：300 轮里损失只从 0.7598 变到了")
    assert "学习速率 1e-06 可能太小了：试试更大的，例如 1e-05" in history.warning
    assert "并不比对每个样本都给出同一个预测更好（损失 0.6931）" in history.warning
    assert [str(w.message) for w in caught] == [history.warning]
