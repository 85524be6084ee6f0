"""More than two classes: three-class data, cross-entropy training, accuracy by argmax."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from nn import data, diagnosis, evaluate, losses

logit_floats = st.floats(-5.0, 5.0)


def train(X, y, epochs: int = 60, lr: float = 0.5, seed: int = 0):  # type: ignore[no-untyped-def]
    """Full-batch gradient descent on the mean cross-entropy."""
    model = nn.MLP(2, [8, 3], seed=seed)
    curve = []
    for _ in range(epochs):
        loss = losses.cross_entropy([model(x) for x in X], y)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        curve.append(loss.data)
    return model, curve


def test_three_blobs_are_learned() -> None:
    X, y = data.blobs(n=90, classes=3, seed=1)
    assert sorted(set(y)) == [0.0, 1.0, 2.0]
    model, curve = train(X, y)
    assert curve[-1] < 0.2 * curve[0]
    assert evaluate.accuracy(model, X, y) >= 0.95
    assert nn.accuracy(model, X, y) == evaluate.accuracy(model, X, y)


def test_three_spiral_arms_are_learned_better_than_a_guess() -> None:
    X, y = data.spirals(n=90, classes=3, noise=0.02, turns=0.5, seed=0)
    model, _ = train(X, y, epochs=150, lr=0.5)
    assert evaluate.accuracy(model, X, y) >= 0.8


def test_training_is_the_same_for_the_same_seed() -> None:
    X, y = data.blobs(n=30, classes=3, seed=4)
    first, curve = train(X, y, epochs=5, seed=3)
    again, curve_again = train(X, y, epochs=5, seed=3)
    assert curve == curve_again
    assert [p.data for p in first.parameters()] == [p.data for p in again.parameters()]
    assert data.spirals(classes=3, seed=2) == data.spirals(classes=3, seed=2)


@pytest.mark.parametrize("make", [data.blobs, data.spirals])
def test_two_classes_stay_as_they_were(make) -> None:  # type: ignore[no-untyped-def]
    assert make(seed=5) == make(seed=5, classes=2)
    assert set(make(seed=5)[1]) == {0.0, 1.0}


@pytest.mark.parametrize("classes", [1, 11, 2.0, True, "3"])
def test_a_bad_number_of_classes_is_refused(classes: object) -> None:
    with pytest.raises(ValueError, match="classes"):
        data.blobs(classes=classes)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.floats(-4, 4), min_size=3, max_size=3), min_size=1, max_size=4), st.data()
)
def test_the_batch_loss_is_the_mean_and_its_gradient_p_minus_y_over_m(rows, draw) -> None:  # type: ignore[no-untyped-def]
    labels = [draw.draw(st.integers(0, 2)) for _ in rows]
    leaves = [[autograd.Value(z) for z in row] for row in rows]
    loss = losses.cross_entropy(leaves, labels)
    loss.backward()
    m = len(rows)
    for row, label, values in zip(rows, labels, leaves):
        total = math.fsum(math.exp(z) for z in row)
        for i, z in enumerate(row):
            assert values[i].grad == pytest.approx(
                (math.exp(z) / total - (i == label)) / m, abs=1e-12
            )
    expected = sum(
        -math.log(math.exp(r[k]) / math.fsum(map(math.exp, r))) for r, k in zip(rows, labels)
    )
    assert loss.data == pytest.approx(expected / m, rel=1e-12)


def test_classify_and_predict() -> None:
    X, y = data.blobs(n=30, classes=3, seed=1)
    model, _ = train(X, y, epochs=40)
    outputs = evaluate.predict(model, X)
    assert all(len(out) == 3 for out in outputs)
    classes = evaluate.classify(model, X)
    assert classes == [max(range(3), key=out.__getitem__) for out in outputs]
    two = nn.MLP(2, [4, 1], seed=0)
    assert evaluate.classify(two, X) == [int(p > 0.0) for p in evaluate.predict(two, X)]


def test_mistakes_are_explained() -> None:
    model = nn.MLP(2, [4, 3], seed=0)
    with pytest.raises(ValueError, match="0 to 2"):
        evaluate.accuracy(model, [[0.0, 0.0]], [3])
    with pytest.raises(TypeError, match="list of the model's logits"):
        losses.cross_entropy([autograd.Value(1.0)], [0])
    with pytest.raises(ValueError, match="cross_entropy"):
        losses.cross_entropy([], [])
    assert evaluate.argmax([1.0, 3.0, 3.0, 2.0]) == 1


def test_an_mlps_cross_entropy_is_named_as_the_article_names_its_loss() -> None:
    import autograd.draw
    from autograd.step import steps

    model = nn.MLP(2, [3, 3])
    loss = nn.losses.cross_entropy([model([0.5, -1.0])], [2])
    names = [s.name for s in steps(loss) if s.phase == "forward"]
    assert names[-1] == "L" and "ℓ" in names and "z2[2]" in names
    assert "CE(softmax(z2), y)" in autograd.draw.draw(loss).source


# nn.fit with loss="cross_entropy": one output per class, labels 0, 1, ..., k − 1.


def bits(numbers: list[float]) -> list[bytes]:
    return [struct.pack("<d", x) for x in numbers]


def test_fit_learns_three_blobs() -> None:
    X, y = data.blobs(n=90, classes=3, seed=1)
    model = nn.MLP(2, [8, 3], seed=0)
    history = nn.fit(model, X, y, loss="cross_entropy", lr=0.5, epochs=60)
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert history.accuracy[-1] >= 0.95
    assert history.accuracy[-1] == nn.accuracy(model, X, y)
    assert history.warning == ""


def test_the_step_is_recorded_where_it_is_exact() -> None:
    X, y = data.blobs(n=12, classes=3, seed=2)
    loop = nn.TrainingLoop(nn.MLP(2, [4, 3]), X, y, loss="cross_entropy")
    assert loop.compiled  # recorded by default, as bce is
    as_values = [[autograd.Value(v) for v in x] for x in X]
    loop = nn.TrainingLoop(nn.MLP(2, [4, 3]), as_values, y, loss="cross_entropy")
    assert not loop.compiled  # gradients into Value features need the graph
    assert loop.train(2).loss[-1] < loop.history.loss[0]


@settings(max_examples=15, deadline=None)
@given(
    classes=st.integers(2, 4),
    seed=st.integers(0, 2**16),
    batch_size=st.sampled_from([None, 1, 4, 7]),
    optimizer=st.sampled_from(["sgd", "momentum", "adam"]),
    weight_decay=st.sampled_from([0.0, 1e-3]),
)
def test_recorded_fit_equals_built_fit_bit_for_bit(
    classes: int, seed: int, batch_size: int | None, optimizer: str, weight_decay: float
) -> None:
    X, y = data.spirals(n=17, classes=classes, seed=seed)
    runs = []
    for compiled in (True, False):
        model = nn.MLP(2, [5, classes], seed=seed)
        history = nn.fit(
            model,
            X,
            y,
            loss="cross_entropy",
            optimizer=optimizer,
            lr=0.05,
            epochs=3,
            batch_size=batch_size,
            weight_decay=weight_decay,
            seed=seed,
            compiled=compiled,
        )
        parameters = model.parameters()
        runs.append(
            (
                bits(history.loss),
                history.accuracy,
                bits([p.data for p in parameters]),
                bits([p.grad for p in parameters]),
            )
        )
    assert runs[0] == runs[1]


@pytest.mark.parametrize("compiled", [True, False])
def test_the_history_accuracy_is_the_share_whose_largest_output_is_their_class(
    compiled: bool,
) -> None:
    X, y = data.spirals(n=30, classes=3, seed=3)
    model = nn.MLP(2, [6, 3], seed=1)
    each_epoch = []

    def measure(epoch: int, history: nn.History) -> None:
        outputs = nn.predict(model, X)
        right = sum(evaluate.argmax(out) == label for out, label in zip(outputs, y))
        each_epoch.append(right / len(X))

    history = nn.fit(
        model, X, y, loss="cross_entropy", epochs=8, lr=0.3, on_epoch=measure, compiled=compiled
    )
    assert history.accuracy == each_epoch
    assert len(set(each_epoch)) > 1  # it moved: the check saw more than one number


MISTAKES = [
    # (name, outputs, loss, labels, error, what the message says)
    ("class too large", 3, "cross_entropy", [0, 1, 3], ValueError,
     r"label 3\.0 at index 2 is not a class of this model: it has 3 outputs.*labels are 0 to 2"
     r".*give the model 4 outputs"),
    ("class below 0", 3, "cross_entropy", [0, -1, 2], ValueError,
     r"label -1\.0 at index 1 .* 0 to 2\. Number the classes from 0"),
    ("not a whole number", 3, "cross_entropy", [0, 1.5, 2], ValueError,
     r"label 1\.5 at index 1 is not a class: cross_entropy takes .* whole number from 0 to 2"),
    ("nan", 3, "cross_entropy", [0, math.nan, 2], ValueError, r"label nan at index 1 is not"),
    ("a one-hot row", 3, "cross_entropy", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], TypeError,
     r"label 0 of y is \[1, 0, 0\]; labels are numbers"),
    ("cross_entropy on one output", 1, "cross_entropy", [0, 1, 0], ValueError,
     r"fit: loss='cross_entropy' needs a model with one output per class, at least 2; this "
     r"model has 1 output\. For two classes with labels 0/1 use loss='bce'"),
    ("bce on three outputs", 3, "bce", [0, 1, 0], ValueError,
     r"fit: loss='bce' needs a model with one output .*; this model has 3 outputs\. For 3 "
     r"classes, with labels 0 to 2, use loss='cross_entropy'"),
    ("mse on two outputs", 2, "mse", [0, 1, 0], ValueError,
     r"loss='mse' needs a model with one output .* use loss='cross_entropy'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("outputs", "loss", "labels", "error", "message"),
    [mistake[1:] for mistake in MISTAKES],
    ids=[mistake[0] for mistake in MISTAKES],
)
@pytest.mark.parametrize("compiled", [None, False])
def test_fit_explains_what_is_wrong_and_changes_nothing(
    outputs: int, loss: str, labels: list, error: type, message: str, compiled: bool | None
) -> None:
    model = nn.MLP(2, [4, outputs], seed=0)
    before = model.state_dict()
    X = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]
    with pytest.raises(error, match=message):
        nn.fit(model, X, labels, loss=loss, epochs=2, compiled=compiled)
    assert model.state_dict() == before


def test_the_mistakes_are_told_in_chinese_too() -> None:
    from autograd.language import using_language

    X = [[0.0, 1.0], [1.0, 0.0]]
    with using_language("zh"):
        with pytest.raises(ValueError, match=r"位置 1 的标签 3\.0 不是这个模型的类别"):
            nn.fit(nn.MLP(2, [4, 3]), X, [0, 3], loss="cross_entropy")
        with pytest.raises(ValueError, match="不是类别：cross_entropy 要求"):
            nn.fit(nn.MLP(2, [4, 3]), X, [0, 0.5], loss="cross_entropy")
        with pytest.raises(ValueError, match="这个模型只有 1 个输出"):
            nn.fit(nn.MLP(2, [4, 1]), X, [0, 1], loss="cross_entropy")
        with pytest.raises(ValueError, match="这个模型有 3 个输出"):
            nn.fit(nn.MLP(2, [4, 3]), X, [0, 1], loss="bce")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=2, max_size=20),
    st.lists(logit_floats, min_size=4, max_size=4),
)
def test_the_constant_loss_is_the_best_a_constant_prediction_gets(
    labels: list[int], constant: list[float]
) -> None:
    # A model that learns nothing gives every sample the same logits; the
    # best such logits are the log of each class's share: the entropy of the shares.
    floor = diagnosis.constant_loss("cross_entropy", [float(k) for k in labels])
    everyone = losses.cross_entropy([constant] * len(labels), labels).data
    assert everyone >= floor * (1 - 1e-12) - 1e-15
    shares = [max(labels.count(k), 1e-300) / len(labels) for k in range(4)]
    best = losses.cross_entropy([[math.log(p) for p in shares]] * len(labels), labels).data
    assert best == pytest.approx(floor, rel=1e-12, abs=1e-15)


def test_a_multi_class_run_that_did_not_learn_says_so() -> None:
    X, y = data.blobs(n=30, classes=3, seed=1)
    model = nn.MLP(2, [4, 3], seed=2)  # its first loss, 1.72, is worse than a guess's, 1.1
    with pytest.warns(nn.TrainingWarning, match=r"stalled.*no better than predicting .*1\.099"):
        nn.fit(model, X, y, loss="cross_entropy", lr=1e-7, epochs=20)


def test_a_model_with_a_class_per_output_steps_through_its_cross_entropy() -> None:
    pytest.importorskip("graphviz")
    model = nn.MLP(2, [3, 3], ["relu", "linear"], seed=2)
    stepper = model.stepper([0.5, -1.0], 1, quiz=True)
    assert stepper.output.op == "cross_entropy" and stepper.steps[-1].phase == "backward"
    assert stepper.output.data == autograd.cross_entropy(model.logits([0.5, -1.0]), 1).data
    assert any(ask is not None for ask in stepper.asks)  # the quiz asks about it too
    for bad in (3, 1.5, -1, True):
        with pytest.raises(ValueError, match="class, a whole number from 0 to 2"):
            model.stepper([0.5, -1.0], bad)
