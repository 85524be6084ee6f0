"""The playground's Python core: frames, reset, explain, sessions and the replay page."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd.engine import topological_order
from autograd.names import fmt
from nn.play import (
    DEFAULTS,
    REPLAY_HOST_FILE,
    Playground,
    Session,
    _stepper_size,
    check_settings,
    curve_axes,
    words,
)


def small(**settings: Any) -> Playground:
    return Playground(points=40, resolution=8, **settings)


def test_the_default_is_the_articles_network_on_xor() -> None:
    pg = small()
    assert pg.model.sizes == [3, 1] and pg.model.activations == ["relu", "sigmoid"]
    assert pg.settings["dataset"] == "xor" and pg.settings["optimizer"] == "sgd"
    assert len(pg.X) + len(pg.X_test) == 40


def test_forward_on_floats_is_the_models_forward() -> None:
    pg = small(dataset="moons", hidden=[4, 3], activation="tanh")
    pg.train(3)
    with autograd.no_grad():
        for x in pg.X[:10]:
            expected = pg.model(x).data
            assert pg.forward([x])[0][-1][0] == expected  # the op table's own forward
            assert pg.forward([x], logits=True)[0][-1][0] == pg.model.logits(x).data


def test_frames_hold_every_neurons_map_as_bytes() -> None:
    pg = small(hidden=[3, 2])
    frame = pg.frame()
    maps = base64.b64decode(frame["maps"])
    assert len(maps) == (3 + 2 + 1) * 8 * 8
    # The last map is the boundary: 2ŷ − 1 at each grid point, as a byte.
    y_hat = [rows[-1][0] for rows in pg.forward(pg.grid)]
    assert list(maps[-64:]) == [int(2 * p * 127.5 + 0.5) for p in y_hat]
    setup = pg.setup()
    assert setup["layers"] == [2, 3, 2, 1]
    assert setup["names"][1] == ["a1[0]", "a1[1]", "a1[2]"] and setup["names"][-1] == ["ŷ"]
    assert len(base64.b64decode(setup["input_maps"])) == 2 * 64
    json.dumps(frame, allow_nan=False)
    json.dumps(setup, allow_nan=False)


def test_training_lowers_the_loss_and_reset_repeats_the_run() -> None:
    pg = small(dataset="blobs", lr=1.0)
    start = pg.history["train_loss"][0]
    pg.train(20)
    first = pg.frame()
    assert pg.epoch == 20 and first["loss"]["train"] < start
    pg.reset()
    assert pg.epoch == 0 and pg.history["train_loss"] == [start] and pg.history["epoch"] == [0]
    pg.train(20)
    assert pg.frame() == first  # the same seed, the same numbers


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_minibatches_and_optimizers_reproduce(optimizer: str) -> None:
    runs = []
    for _ in range(2):
        pg = small(dataset="circles", optimizer=optimizer, batch_size=10, lr=0.1)
        pg.train(4)
        runs.append(pg.frame())
    assert runs[0] == runs[1]


def test_explain_gives_the_gradients_backward_gives() -> None:
    pg = small(dataset="moons")
    pg.train(5)
    explained = pg.explain(3, "test")
    x, y = pg.X_test[3], pg.y_test[3]
    loss = autograd.binary_cross_entropy_with_logits(pg.model.logits(x), y)
    loss.backward()
    for p in pg.model.parameters():
        assert explained["grads"][p.label] == p.grad
        assert explained["weights"][p.label] == p.data
    pg.model.zero_grad()
    assert explained["x"] == x and explained["y"] == y and explained["loss"] == loss.data
    # The article's formulas are in the stepper, with this sample's numbers.
    assert "∂L/∂z2 = ŷ − y" in explained["stepper"] and "gg-stepper" in explained["stepper"]


def test_explain_leaves_training_untouched() -> None:
    a, b = small(), small()
    a.train(3)
    a.explain(0, stepper=False)
    a.train(3)
    b.train(6)
    assert a.model.state_dict() == b.model.state_dict()
    assert a.frame()["maps"] == b.frame()["maps"] and a.frame()["loss"] == b.frame()["loss"]


def test_the_stepper_size_is_the_graphs() -> None:
    for hidden in ([3], [2, 2], [1, 1, 1]):
        pg = small(hidden=hidden)
        loss = autograd.binary_cross_entropy_with_logits(pg.model.logits(pg.X[0]), pg.y[0])
        assert _stepper_size(pg.model) == len(topological_order(loss))


def test_a_network_too_big_to_step_through_lists_its_gradients() -> None:
    pg = small(hidden=[8, 8])
    explained = pg.explain(0)
    assert explained["stepper"] == "" and "more than" in explained["note"]
    assert "∂L/∂W2[7,7] = " in explained["text"]
    assert pg.setup()["explainable"] is False


def test_a_given_model_is_trained_and_reset_to_its_start() -> None:
    model = nn.MLP(2, [4, 1], ["tanh", "sigmoid"], seed=3)
    start = model.state_dict()
    pg = Playground(model, points=40, resolution=8, dataset="moons")
    assert pg.settings["hidden"] == [4] and pg.settings["activation"] == "tanh"
    pg.train(2)
    assert model.state_dict() != start
    pg.reset()
    assert model.state_dict() == start and pg.model is model


def test_bad_settings_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="unknown dataset"):
        small(dataset="iris")
    with pytest.raises(ValueError, match="1 to 3 layers of 1 to 8"):
        small(hidden=[9])
    with pytest.raises(ValueError, match="batch_size"):
        small(batch_size=0)
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        Playground(nn.MLP(3, [2, 1]))
    assert check_settings(dict(DEFAULTS)) == DEFAULTS


def test_a_step_that_diverges_stops_training_with_a_reason() -> None:
    pg = small(dataset="blobs")
    start = pg.model.state_dict()

    def overflowing(X: list[list[float]], y: list[float]) -> float:
        pg.step(X, y)
        pg.model.layers[0].neurons[0].w[0].data = float("inf")  # as a huge update would
        return 0.0

    pg.train(3, step=overflowing)
    assert "diverged" in pg.status and "smaller learning rate" in pg.status and pg.epoch == 0
    assert pg.model.state_dict() == start  # the bad epoch is undone
    pg.train(1)
    assert pg.epoch == 0  # stopped until reset
    pg.reset()
    pg.train(1)
    assert pg.epoch == 1 and pg.status == ""


def test_a_session_plays_steps_resets_and_explains() -> None:
    session = Session(small(dataset="moons"))
    state = session.state()
    assert set(state) == {"setup", "frame", "running"} and state["running"] is False
    assert session.tick() == {}  # paused: nothing happens
    assert session.handle("running", True) == {"running": True}
    frame = session.tick()["frame"]
    assert frame["epoch"] == session.playground.redraw_every
    changed = session.handle("request", {"do": "step"})
    assert changed["running"] is False and changed["frame"]["epoch"] == frame["epoch"] + 1
    reset = session.handle("request", {"do": "reset"})["frame"]
    assert reset["epoch"] == 0
    changed = session.handle("settings", {**DEFAULTS, "dataset": "spirals", "hidden": [2, 2]})
    assert changed["setup"]["layers"] == [2, 2, 2, 1]
    changed = session.handle("settings", {**DEFAULTS, "hidden": [0]})
    assert "1 to 3 layers" in changed["frame"]["status"]
    explained = json.loads(session.handle_json("request", '{"do": "explain", "index": 1}'))
    assert explained["explanation"]["index"] == 1
    assert json.loads(session.tick_json()) == {}
    download = session.handle("request", {"do": "export"})["download"]
    assert download["name"] == "glassgrad-spirals-2-2-2-1-relu-epoch0.html"
    assert download["html"].startswith("<!DOCTYPE html>")


def test_the_replay_page_is_self_contained(tmp_path: Path) -> None:
    pg = small(dataset="moons")
    for _ in range(4):
        pg.train(5)
        pg.record()
    page = pg.export_html(tmp_path / "run.html", title="</script> moons").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<\\/script>" not in page
    assert "</script> moons" not in page and "&lt;/script&gt; moons" in page
    assert "https://" not in page and "import " not in page and "src=" not in page
    data = page.split('id="run">', 1)[1].split("</script>", 1)[0]
    run = json.loads(data)
    assert [f["epoch"] for f in run["frames"]] == [5, 10, 15, 20]


@pytest.mark.parametrize("batch_size", [None, 7])
def test_the_recorded_step_gives_the_built_graphs_numbers(batch_size: int | None) -> None:
    built = small(dataset="moons", optimizer="adam", lr=0.03, batch_size=batch_size, compiled=False)
    recorded = small(dataset="moons", optimizer="adam", lr=0.03, batch_size=batch_size)
    assert recorded.settings["compiled"] is True
    built.train(6)
    recorded.train(6)
    assert recorded.model.state_dict() == built.model.state_dict()  # bit for bit
    assert recorded.frame() == built.frame()
    recorded.reset()
    recorded.train(6)
    assert recorded.model.state_dict() == built.model.state_dict()


def test_the_playground_trains_with_fits_loop() -> None:
    pg = small(dataset="moons", optimizer="momentum", lr=0.1, batch_size=7, seed=3)
    pg.train(4)
    pg.train(2)
    model = nn.MLP(2, [3, 1], ["relu", "sigmoid"], seed=3)
    history = nn.fit(
        model, pg.X, pg.y, optimizer="momentum", lr=0.1, batch_size=7, seed=3, epochs=6
    )
    assert pg.loop.history.loss == history.loss  # bit for bit
    assert pg.model.state_dict() == model.state_dict()
    assert pg.loop.compiled and isinstance(pg.loop, nn.TrainingLoop)


def test_starting_over_records_no_step_again(monkeypatch: pytest.MonkeyPatch) -> None:
    recordings = []
    record = autograd.record

    def counted(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("wrt"):  # a step (the maps' forward passes have no gradients)
            recordings.append(args[0])
        return record(*args, **kwargs)

    monkeypatch.setattr(autograd, "record", counted)
    pg = small(dataset="moons")
    pg.train(2)
    assert len(recordings) == 1
    first = pg.frame()
    pg.reset()
    pg.update(lr=0.03)
    pg.update(lr=DEFAULTS["lr"], dataset="moons")
    pg.train(2)
    assert len(recordings) == 1 and pg.frame() == first
    pg.update(hidden=[2])  # a new model: a new recording
    pg.train(1)
    assert len(recordings) == 2


def test_a_run_that_does_not_learn_says_so_and_goes_on() -> None:
    session = Session(small(lr=0.001))
    session.handle("running", True)
    for _ in range(12):
        frame = session.tick()["frame"]
    assert "stalled" in frame["warning"] and "try a larger one, such as 0.01" in frame["warning"]
    assert frame["status"] == "" and session.running


def test_numbers_come_to_the_view_as_text() -> None:
    pg = small(dataset="moons")
    pg.train(3)
    frame = pg.frame()
    loss = frame["loss"]
    assert frame["summary"].startswith(f"loss {fmt(loss['train'])} train, {fmt(loss['test'])} test")
    explained = pg.explain(2, stepper=False)
    assert explained["title"] == (
        f"Sample 2 (train) at epoch 3: ŷ = {fmt(explained['prediction'])}, "
        f"y = {fmt(explained['y'])}, L = {fmt(explained['loss'])}"
    )


def test_the_replay_host_is_a_script_file_not_a_python_string(tmp_path: Path) -> None:
    source = Path(nn.play.__file__).read_text("utf-8")
    assert "function (" not in source and "=>" not in source
    page = small().export_html(tmp_path / "run.html").read_text("utf-8")
    assert REPLAY_HOST_FILE.read_text("utf-8") in page


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 100_000),
    st.lists(st.floats(1e-9, 1e3, allow_nan=False), min_size=1, max_size=40),
)
def test_the_curves_axes_hold_their_data_with_labelled_ticks(last: int, losses: list) -> None:
    axes = curve_axes([*range(0, last, max(1, last // 7)), last], losses)
    epoch, loss = axes["epoch"], axes["loss"]
    assert epoch["range"] == [0, max(1, last)]
    assert epoch["ticks"][0][0] == 0 and 2 <= len(epoch["ticks"]) <= 5
    assert all(e <= max(1, last) and label == str(e) for e, label in epoch["ticks"])
    low, high = loss["range"]
    assert low <= min(losses) and max(losses) <= high * (1 + 1e-9)  # 0.6 for 0.6000000000000001
    assert all(low <= v <= high and label == fmt(v) for v, label in loss["ticks"])
    assert 2 <= len(loss["ticks"]) <= 6
    # Logarithmic exactly when the losses span a decade or more: a tick at powers of ten.
    assert (loss["scale"] == "log") == (max(losses) >= 10 * min(losses))
    if loss["scale"] == "log":
        assert all(math.log10(v) == round(math.log10(v)) for v, _ in loss["ticks"])
    else:
        assert loss["ticks"][0][0] == 0 and loss["ticks"][-1][0] == high


def test_frames_carry_the_curves_axes() -> None:
    pg = small(dataset="blobs", optimizer="adam", lr=0.1)
    pg.train(60)
    frame = pg.frame()
    assert frame["axes"] == curve_axes(
        frame["curves"]["epoch"], frame["curves"]["train_loss"] + frame["curves"]["test_loss"]
    )
    assert frame["axes"]["epoch"]["range"] == [0, 60]


@pytest.mark.parametrize(("optimizer", "batch_size"), [("sgd", None), ("adam", 10)])
def test_l2_trains_as_fit_with_weight_decay(optimizer: str, batch_size: int | None) -> None:
    pg = small(dataset="moons", weight_decay=0.01, optimizer=optimizer, batch_size=batch_size)
    plain = small(dataset="moons", optimizer=optimizer, batch_size=batch_size)
    pg.train(5)
    plain.train(5)
    model = nn.MLP(2, [3, 1], ["relu", "sigmoid"], seed=0)
    nn.fit(model, pg.X, pg.y, optimizer=optimizer, lr=0.3, epochs=5, batch_size=batch_size,
           weight_decay=0.01, seed=0, progress=False)  # fmt: skip
    ours = [p.data for p in pg.model.parameters()]
    assert ours == [p.data for p in model.parameters()]
    assert ours != [p.data for p in plain.model.parameters()]


def test_the_update_rule_shows_the_l2_term() -> None:
    pg = small()
    assert pg.setup()["rule"] == "update each batch: W ← W − 0.3·∂L/∂W"
    pg.update(weight_decay=0.003, lr=0.1)
    rule = pg.setup()["rule"]
    assert rule.startswith("update each batch: W ← W − 0.1·(∂L/∂W + 2·0.003·W)")
    assert "0.003·Σp²" in rule
    pg.update(optimizer="momentum")
    assert "v ← 0.9·v + (∂L/∂W + 2·0.003·W), then W ← W − 0.1·v" in pg.setup()["rule"]
    with pytest.raises(ValueError, match="weight_decay must be a number >= 0"):
        pg.update(weight_decay=-1)
    assert pg.settings["weight_decay"] == 0.003  # nothing changed


def test_a_session_speaks_the_language_it_is_given() -> None:
    session = Session(small())
    assert session.state()["setup"]["words"]["playground.button.step"] == "Step"
    changed = session.handle("language", "zh-CN")
    assert changed["setup"]["words"]["playground.button.step"] == "单步"
    assert changed["frame"]["summary"].startswith("损失：训练 ")
    assert changed["setup"]["rule"].startswith("每个批次的更新")
    explained = session.handle("request", {"do": "explain", "index": 1, "split": "test"})
    assert explained["explanation"]["title"].startswith("第 0 轮时的样本 1（测试集）")
    session.handle("running", True)
    assert session.tick()["frame"]["summary"].startswith("损失")
    with pytest.raises(ValueError):
        session.handle("language", "klingon")
    assert session.lang == "zh"  # unchanged
    assert session.handle("language", "en")["frame"]["summary"].startswith("loss ")
    # Every text the view shows has a key in both catalogues.
    assert set(words("en")) == set(words("zh")) and all(words("zh").values())


def test_points_of_ones_own_are_added_moved_and_erased() -> None:
    pg = small()
    train, test = len(pg.X), len(pg.X_test)
    extent = list(pg.extent)
    pg.train(3)
    pg.edit_points("add", x=[0.12345, -0.5], label=1)
    assert pg.settings["dataset"] == "own" and pg.epoch == 0  # the run starts over
    assert pg.X[-1] == [0.123, -0.5] and pg.y[-1] == 1.0 and len(pg.X) == train + 1
    assert pg.extent == extent and "own" in pg.setup()["choices"]["dataset"]
    pg.edit_points("move", split="test", index=2, x=[1, 1])
    assert pg.X_test[2] == [1.0, 1.0]
    pg.edit_points("erase", split="train", index=0)
    assert len(pg.X) == train and len(pg.X_test) == test
    before = (pg.X, pg.y, pg.X_test, pg.y_test)
    for do, where in (
        ("add", {"x": [float("nan"), 0], "label": 1}),
        ("add", {"x": [0, 0], "label": 2}),
        ("move", {"split": "test", "index": 99, "x": [0, 0]}),
        ("erase", {"split": "nowhere", "index": 0}),
    ):
        with pytest.raises(ValueError):
            pg.edit_points(do, **where)
    assert (pg.X, pg.y, pg.X_test, pg.y_test) == before  # nothing half-changed
    pg.update(dataset="xor")
    assert len(pg.X) == train and before[0] != pg.X
    pg.update(dataset="own")  # back to one's own points
    assert (pg.X, pg.y, pg.X_test, pg.y_test) == before
    with pytest.raises(ValueError, match="no points of your own"):
        small().update(dataset="own")


def test_a_csv_loads_whole_or_not_at_all() -> None:
    pg = small(test_fraction=0.25)
    rows = "\n".join(f"{i / 10},{-i / 7},{i % 2}" for i in range(20))
    pg.load_csv("x1,x2,label\n" + rows)
    assert pg.settings["dataset"] == "own" and len(pg.X) == 15 and len(pg.X_test) == 5
    points = sorted(map(tuple, pg.X + pg.X_test))
    assert points == sorted((i / 10, -i / 7) for i in range(20))
    before = pg.share()
    with pytest.raises(nn.data.CSVError, match="row 3: label is '7'") as error:
        pg.load_csv("x1,x2,label\n0,0,1\n1,1,7\n2,2,0")
    assert error.value.row == 3
    with pytest.raises(ValueError, match="more than 2000 rows"):
        pg.load_csv("0,0,1\n" * 2001)
    assert pg.share() == before
    session = Session(pg)
    changed = session.handle("request", {"do": "csv", "text": "0,0,0\n1,x,1"})
    assert "row 2: x2 is 'x', not a number" in changed["frame"]["status"]
    assert pg.share() == before


def test_a_shared_run_reproduces_and_a_bad_link_changes_nothing() -> None:
    pg = small(dataset="moons", seed=3, lr=0.1)
    pg.edit_points("add", x=[0.5, 0.5], label=0)
    pg.update(weight_decay=0.001)
    pg.train(4)
    link = json.loads(json.dumps(pg.share()))  # as a URL carries it
    other = small()
    other.load_share(link)
    other.train(4)
    assert other.share() == pg.share()
    assert [p.data for p in other.model.parameters()] == [p.data for p in pg.model.parameters()]
    # A generated dataset travels as its settings alone.
    plain = small(dataset="circles", seed=5)
    assert "points" not in plain.share()
    again = small()
    again.load_share(json.loads(json.dumps(plain.share())))
    assert again.X == plain.X and again.settings == plain.settings
    before = other.share()
    bad = [
        "__import__('os')",
        [1, 2],
        {"settings": {"dataset": "moons"}, "code": "alert(1)"},
        {"settings": {"dataset": "moons", "evil": 1}},
        {"settings": {"lr": "0.1; drop"}},
        {"settings": {"dataset": "own"}},
        {**link, "points": {"train": [[0, 0, 5]], "test": link["points"]["test"]}},
        {**link, "points": {"train": [[0, "nan", 1]], "test": link["points"]["test"]}},
        {**link, "points": {"train": [[0, 0, 1]] * 2001, "test": [[0, 0, 1]]}},
        {**link, "extent": [1, 0, 0, 1]},
    ]
    for run in bad:
        with pytest.raises(ValueError):
            other.load_share(run)
        assert other.share() == before


# -- more than two classes ------------------------------------------------------------


@pytest.mark.parametrize(("dataset", "classes"), [("blobs", 3), ("spirals", 3), ("blobs", 4)])
def test_several_classes_train_one_output_each_as_fit_with_cross_entropy(
    dataset: str, classes: int
) -> None:
    pg = small(dataset=dataset, classes=classes, optimizer="adam", lr=0.1, batch_size=10)
    assert pg.model.sizes == [3, classes] and pg.model.activations == ["relu", "linear"]
    assert sorted(set(pg.y + pg.y_test)) == list(range(classes))
    pg.train(6)
    model = nn.MLP(2, [3, classes], ["relu", "linear"], seed=0)
    nn.fit(model, pg.X, pg.y, loss="cross_entropy", optimizer="adam", lr=0.1, epochs=6,
           batch_size=10, seed=0, progress=False)  # fmt: skip
    assert [p.data for p in pg.model.parameters()] == [p.data for p in model.parameters()]
    # The curves are the mean cross-entropy and the share whose largest output is right.
    outputs = [model.logits(x) for x in pg.X_test]
    loss = nn.losses.cross_entropy(outputs, pg.y_test).data
    right = sum(nn.evaluate.argmax([z.data for z in o]) == c for o, c in zip(outputs, pg.y_test))
    assert pg.history["test_loss"][-1] == pytest.approx(loss, rel=1e-12)
    assert pg.history["test_accuracy"][-1] == right / len(pg.y_test)


def test_several_classes_paint_the_plane_by_the_likeliest_class() -> None:
    pg = small(dataset="blobs", classes=3, optimizer="adam", lr=0.1)
    pg.train(20)
    frame, setup = pg.frame(), pg.setup()
    assert setup["classes"] == 3 and setup["names"][-1] == ["ŷ[0]", "ŷ[1]", "ŷ[2]"]
    assert setup["probability_ticks"] == [[0.0, "1/3"], [1.0, "1"]]
    painted = base64.b64decode(frame["plane"])
    maps = base64.b64decode(frame["maps"])
    r = pg.resolution
    assert len(painted) == 2 * r * r
    for i, point in enumerate(pg.grid):
        p = [softmax.data for softmax in autograd.softmax(pg.model.logits(point))]
        best = max(range(3), key=lambda k: (p[k], -k))
        assert painted[2 * i] == best
        assert painted[2 * i + 1] == round(255 * (p[best] - 1 / 3) / (2 / 3))
        for k in range(3):  # each output neuron's map: its class's probability, 2p − 1
            assert maps[(sum(pg.model.sizes) - 3 + k) * r * r + i] == round(
                (2 * p[k] - 1 + 1) * 127.5
            )
    assert small().frame()["plane"] == ""  # two classes: the output's map is the plane


def test_explaining_a_sample_of_several_classes_gives_backwards_gradients() -> None:
    pg = small(dataset="blobs", classes=3)
    pg.train(3)
    e = pg.explain(2, "test")
    x, label = pg.X_test[2], pg.y_test[2]
    loss = autograd.cross_entropy(pg.model.logits(x), int(label))
    loss.backward()
    assert e["grads"] == {p.label: p.grad for p in pg.model.parameters()}
    assert e["loss"] == loss.data and len(e["prediction"]) == 3
    assert sum(e["prediction"]) == pytest.approx(1.0)
    # The step-through is the graph of that loss, named as the article names it.
    assert e["stepper"].startswith('<div class="gg-stepper"')
    assert "ŷ = softmax(z²)" in e["stepper"]  # the matrices beside it
    assert "L = CE(softmax(z2[0], z2[1], z2[2]), " in e["text"]


def test_classes_are_checked_against_the_dataset_and_ones_own_points() -> None:
    with pytest.raises(ValueError, match="xor has two classes, not 3"):
        small(classes=3)
    with pytest.raises(ValueError, match="classes"):
        small(dataset="blobs", classes=5)
    pg = small(dataset="blobs", classes=3)
    with pytest.raises(ValueError, match="a class from 0 to 2, got 3"):
        pg.edit_points("add", x=[0.0, 0.0], label=3)
    pg.edit_points("add", x=[0.0, 0.0], label=2)
    assert pg.settings["dataset"] == "own" and pg.y[-1] == 2.0
    before = [p.data for p in pg.model.parameters()]
    with pytest.raises(ValueError, match="classes up to 2"):
        pg.update(classes=2)
    assert pg.classes == 3 and [p.data for p in pg.model.parameters()] == before
    # A link carries the classes with the points, and is checked against them.
    run = pg.share()
    other = small()
    other.load_share(run)
    assert other.classes == 3 and other.y == pg.y and other.model.sizes == [3, 3]
    run["points"]["train"][0][2] = 3
    with pytest.raises(ValueError):
        other.load_share(run)
    assert other.y == pg.y  # nothing changed


def test_a_csv_names_its_classes_and_the_network_follows() -> None:
    pg = small()
    rows = "\n".join(f"{i % 7 / 7},{i % 5 / 5},{i % 3}" for i in range(30))
    pg.load_csv("x1,x2,label\n" + rows)
    assert pg.classes == 3 and pg.model.sizes == [3, 3] and pg.loss == "cross_entropy"
    assert sorted(set(pg.y + pg.y_test)) == [0.0, 1.0, 2.0]
    pg.train(2)  # trains on them
    pg.load_csv("0,0,0\n1,1,1\n0,1,1\n1,0,0")
    assert pg.classes == 2 and pg.model.sizes == [3, 1]
    with pytest.raises(
        ValueError, match=r"row 2: label is .4.; a label is a class, a whole number from 0 to 3"
    ):
        pg.load_csv("0,0,0\n1,1,4")  # more classes than the playground has colours for
    assert pg.classes == 2 and len(pg.y) + len(pg.y_test) == 4  # nothing changed
