"""Moving on to PyTorch: ``nn.export`` and ``python -m nn export``.

The tests that run PyTorch skip when it is not installed
(``pip install 'glassgrad[torch]'``); writing scripts and every refusal
are tested without it.
"""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from nn import export
from nn.__main__ import main
from nn.export import MissingTorch, relative_difference

#: float64 agreement the issue asks for; what we get is a few 1e-16.
TOLERANCE = 1e-12


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch", reason="PyTorch is not installed")


@pytest.fixture
def no_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without PyTorch: ``import torch`` fails."""
    monkeypatch.setitem(sys.modules, "torch", None)


def moons() -> tuple[list[list[float]], list[float]]:
    return nn.data.moons(40, seed=3)


# Without PyTorch.


def test_without_torch_each_function_says_what_to_install(no_torch: None) -> None:
    model = nn.seed_network()
    X, y = moons()
    assert not export.torch_available()
    with pytest.raises(MissingTorch, match=r"to_torch needs PyTorch.*glassgrad\[torch\]"):
        export.to_torch(model)
    with pytest.raises(MissingTorch, match=r"compare needs PyTorch.*torch==2\.13\.0"):
        export.compare(model, X, y, steps=2)
    assert isinstance(MissingTorch(), ImportError)
    # Writing a script needs no PyTorch.
    assert "import torch" in export.torch_script(model, X, y)


def test_the_script_is_python_with_the_model_data_and_settings() -> None:
    model = nn.seed_network(seed=4)
    X, y = moons()
    text = export.torch_script(model, X, y, loss="mse", optimizer="adam", lr=0.03, epochs=7)
    tree = ast.parse(text)
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported == {"argparse", "json", "math", "random", "torch"}  # no glassgrad
    assert not any(isinstance(node, ast.ImportFrom) for node in ast.walk(tree))
    for number, layer in enumerate(model.layers, start=1):
        for neuron in layer.neurons:
            assert "[" + ", ".join(repr(w.data) for w in neuron.w) + "]" in text
        assert f"W{number} = [" in text and f"b{number} = [" in text
    assert repr(X[17][1]) in text
    assert "torch.nn.MSELoss()" in text and "torch.optim.Adam(" in text and "lr=0.03" in text
    assert "EPOCHS = 7" in text and "logits" not in text
    assert "nn.fit(model, X, y, loss='mse', optimizer='adam', lr=0.03, epochs=7" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_script_is_written_whole(tmp_path: Path) -> None:
    model = nn.seed_network()
    X, y = nn.data.xor()
    target = tmp_path / "train.py"
    target.write_text("old", encoding="utf-8")
    text = export.torch_script(model, X, y, path=target)
    assert target.read_text(encoding="utf-8") == text
    assert "python train.py --save" in text
    with pytest.raises(FileNotFoundError, match="does not exist"):
        export.torch_script(model, X, y, path=tmp_path / "missing" / "train.py")
    with pytest.raises(IsADirectoryError, match="is a directory"):
        export.torch_script(model, X, y, path=tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["train.py"]


def refusals(model: nn.MLP) -> dict[str, tuple[dict[str, Any], type[Exception], str]]:
    """Arguments fit would refuse (or export cannot write), for ``model``, by name."""
    used = nn.SGD(model.parameters(), 0.1, momentum=0.9)
    used.velocity[0] = 0.5
    adam = nn.Adam(model.parameters(), 0.1)
    adam.t = 3

    class Halving(nn.SGD):
        pass

    return {
        "unknown loss": ({"loss": "cross"}, ValueError, "unknown loss 'cross'"),
        "bad label": ({"y": [0.0, 1.0, 2.0, 0.0]}, ValueError, "label 2.0 at index 2"),
        "labels": ({"y": [0.0, 1.0]}, ValueError, "X has 4 samples but y has 2"),
        "features": ({"X": [[0.0, 0.0], [1.0], [0.0, 1.0], [1.0, 1.0]]}, ValueError, "sample 1"),
        "nan feature": ({"X": [[0.0, math.nan]] * 4}, ValueError, "feature 1 of X is nan"),
        "empty": ({"X": [], "y": []}, ValueError, "X is empty"),
        "epochs": ({"epochs": 0}, ValueError, "epochs must be a whole number, at least 1"),
        "batch size": ({"batch_size": 0}, ValueError, "batch_size must be"),
        "weight decay": ({"weight_decay": -1.0}, ValueError, "weight_decay must be"),
        "lr": ({"lr": math.inf}, ValueError, "learning rate must be a positive number"),
        "optimizer name": ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer"),
        "subclass": ({"optimizer": Halving(model.parameters())}, TypeError, "Halving"),
        "used sgd": ({"optimizer": used}, ValueError, "velocity is not zero"),
        "used adam": ({"optimizer": adam}, ValueError, "step count is not zero"),
        "another model's": (
            {"optimizer": nn.SGD(nn.seed_network().parameters())},
            ValueError,
            "not this model's",
        ),
    }


@pytest.mark.parametrize("name", list(refusals(nn.seed_network())))
def test_what_fit_would_refuse_is_refused(name: str, tmp_path: Path) -> None:
    model = nn.seed_network()
    change, error, message = refusals(model)[name]
    X, y = nn.data.xor()
    arguments = {"X": X, "y": y, **change}
    target = tmp_path / "train.py"
    with pytest.raises(error, match=message):
        export.torch_script(model, arguments.pop("X"), arguments.pop("y"), path=target, **arguments)
    assert not target.exists()


def test_models_the_script_cannot_train_are_refused() -> None:
    X, y = nn.data.xor()
    with pytest.raises(ValueError, match=r"loss='bce' needs a model with one output .* has 2"):
        export.torch_script(nn.MLP(2, [3, 2]), X, y)
    with pytest.raises(ValueError, match=r"compare: loss='cross_entropy' needs .* has 1 output"):
        export.compare(nn.MLP(2, [3, 1]), X, y, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"label 3\.0 at index 3 is not a class of this model"):
        export.torch_script(nn.MLP(2, [3, 3]), X, [0, 1, 2, 3], loss="cross_entropy")
    broken = nn.seed_network()
    broken.layers[1].neurons[0].b.data = math.nan
    with pytest.raises(ValueError, match=r"parameter layers\.1\.neurons\.0\.b is nan"):
        export.torch_script(broken, X, y)
    with pytest.raises(TypeError, match=r"takes an nn\.MLP, got Neuron"):
        export.torch_script(nn.Neuron(2), X, y)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"to_torch takes an nn\.MLP"):
        export.to_torch(nn.Layer(2, 3))  # type: ignore[arg-type]


def test_relative_difference() -> None:
    assert relative_difference([1.0, 2.0], [1.0, 2.0 + 2e-6]) == pytest.approx(1e-6, rel=1e-5)
    # Relative to the largest magnitude: 1e-20 against 0 is rounding noise.
    assert relative_difference([4.0, 1e-20], [4.0, 0.0]) == pytest.approx(2.5e-21)
    assert relative_difference([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert math.isnan(relative_difference([math.nan], [1.0]))
    assert relative_difference([math.inf, 1.0], [math.inf, 1.0]) == 0.0
    assert relative_difference([math.inf], [1.0]) == math.inf
    with pytest.raises(ValueError, match="2 numbers against 1"):
        relative_difference([1.0, 2.0], [1.0])


# The command line.


def test_the_command_line_writes_a_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = nn.seed_network(seed=2)
    model.save(tmp_path / "model.json")
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", encoding="utf-8")
    out = tmp_path / "train.py"
    arguments = ["export", str(tmp_path / "model.json"), "--torch", str(out)]
    assert main([*arguments, "--data", str(points), "--lr", "0.5", "--epochs", "12"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    X, y = nn.data.xor()
    expected = export.torch_script(model, X, y, lr=0.5, epochs=12, path=tmp_path / "train.py")
    assert out.read_text(encoding="utf-8") == expected
    flags = ["--dataset", "moons", "--samples", "30", "--optimizer", "adam", "--batch-size", "8"]
    assert main([*arguments, *flags, "--seed", "3"]) == 0
    X, y = nn.data.moons(30, seed=3)
    expected = export.torch_script(
        model, X, y, optimizer="adam", batch_size=8, seed=3, path=tmp_path / "again.py"
    )
    assert out.read_text(encoding="utf-8") == expected.replace("again.py", "train.py")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--data", "{bad}"], "bad.csv, row 3: label is '2'"),
        (["--epochs", "0"], "epochs must be a whole number, at least 1"),
        (["--lr", "nan"], "learning rate must be a positive number"),
        (["--loss", "hinge", "--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
        (["--dataset", "moons", "--samples", "3"], "--samples must be at least 4"),
    ],
)
def test_the_command_line_explains_bad_input(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nn.seed_network().save(tmp_path / "model.json")
    (tmp_path / "bad.csv").write_text("x1,x2,label\n0,0,0\n0,1,2\n", encoding="utf-8")
    flags = [flag.replace("{bad}", str(tmp_path / "bad.csv")) for flag in flags]
    out = tmp_path / "train.py"
    with pytest.raises(SystemExit) as stop:
        main(["export", str(tmp_path / "model.json"), "--torch", str(out), *flags])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_the_command_line_explains_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", str(tmp_path / "model.json"), "--torch", str(tmp_path / "t.py")])
    assert stop.value.code == 2
    assert "no model file at" in capsys.readouterr().err
    nn.seed_network().save(tmp_path / "model.json")
    status = main(["export", str(tmp_path / "model.json"), "--torch", str(tmp_path / "no" / "t")])
    assert status == 1
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["export", str(tmp_path / "model.json")])
    assert stop.value.code == 2
    assert "--torch" in capsys.readouterr().err


def test_export_has_its_own_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nn", "export", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for flag in ("--torch", "--data", "--dataset", "--loss", "--optimizer", "--batch-size"):
        assert flag in result.stdout


# With PyTorch.

architectures = st.tuples(
    st.integers(1, 4),
    st.lists(st.integers(1, 5), min_size=1, max_size=3),
    st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "linear"]), min_size=3, max_size=3),
    st.integers(0, 2**16),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(architectures, st.data())
def test_to_torch_is_the_same_network(torch: Any, architecture: Any, data: Any) -> None:
    nin, sizes, activations, seed = architecture
    model = nn.MLP(nin, sizes, activations[: len(sizes)], seed=seed)
    torch_model = export.to_torch(model)
    assert isinstance(torch_model, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in torch_model.parameters())
    # The same weights, bit for bit, in the documented places.
    for i, layer in enumerate(model.layers):
        weight = torch_model[2 * i].weight.tolist()
        bias = torch_model[2 * i].bias.tolist()
        assert weight == [[w.data for w in neuron.w] for neuron in layer.neurons]
        assert bias == [neuron.b.data for neuron in layer.neurons]
    X = data.draw(
        st.lists(st.lists(st.floats(-3, 3), min_size=nin, max_size=nin), min_size=1, max_size=8)
    )
    ours = nn.predict(model, X)
    theirs = torch_model(torch.tensor(X, dtype=torch.float64)).tolist()
    if sizes[-1] == 1:
        theirs = [row[0] for row in theirs]
    if sizes[-1] > 1:
        ours = [v for row in ours for v in row]
        theirs = [v for row in theirs for v in row]
    assert relative_difference(ours, theirs) <= TOLERANCE
    # The logits: every layer but the last activation.
    logits = [model.logits(x) for x in X]
    our_logits = [z.data for z in logits] if sizes[-1] == 1 else [z.data for o in logits for z in o]
    their_logits = torch_model[:-1](torch.tensor(X, dtype=torch.float64)).flatten().tolist()
    assert relative_difference(our_logits, their_logits) <= TOLERANCE


def test_to_torch_copies_the_weights(torch: Any) -> None:
    model = nn.seed_network()
    before = model.state_dict()
    torch_model = export.to_torch(model)
    with torch.no_grad():
        for p in torch_model.parameters():
            p.add_(1.0)
    assert model.state_dict() == before


RUNS = [
    # (name, model, fit's arguments)
    ("bce sgd full batch", ["relu", "sigmoid"], {"lr": 0.5}),
    ("bce adam batches", ["tanh", "sigmoid"], {"optimizer": "adam", "lr": 0.05, "batch_size": 16}),
    ("mse momentum decay", ["relu", "sigmoid"], {"loss": "mse", "optimizer": "momentum",
                                                 "lr": 0.1, "batch_size": 7,
                                                 "weight_decay": 1e-3, "seed": 5}),
    ("hinge", ["relu", "linear"], {"loss": "hinge", "lr": 0.2, "weight_decay": 1e-4}),
    ("bce_prob", ["relu", "sigmoid"], {"loss": "bce_prob", "optimizer": "adam", "lr": 0.02}),
]  # fmt: skip


def make_run(activations: list[str], arguments: dict[str, Any], schedule: bool = False):  # type: ignore[no-untyped-def]
    model = nn.MLP(2, [5, 1], activations, seed=7)
    arguments = dict(arguments)
    if schedule:
        arguments["optimizer"] = nn.SGD(
            model.parameters(), 0.3, momentum=0.5, schedule=lambda epoch: 0.3 / (1 + epoch)
        )
    return model, arguments


def run_script(script: Path, folder: Path) -> list[list[str]]:
    """Run a written training script on its own (``-I``: no glassgrad on its path), saving
    its trained model in ``folder``; its printed lines, split into words."""
    result = subprocess.run(
        [sys.executable, "-I", str(script), "--save", str(folder / "trained.json")],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    return [line.split() for line in result.stdout.splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("activations", "arguments", "schedule"),
    [(run[1], run[2], False) for run in RUNS] + [(["relu", "sigmoid"], {}, True)],
    ids=[run[0] for run in RUNS] + ["sgd with a schedule"],
)
def test_the_script_reproduces_fit(
    torch: Any, activations: list[str], arguments: dict[str, Any], schedule: bool, tmp_path: Path
) -> None:
    X, y = moons()
    model, arguments = make_run(activations, arguments, schedule)
    script = tmp_path / "train.py"
    export.torch_script(model, X, y, epochs=25, path=script, **arguments)
    # The script runs alone (it imports no glassgrad: see the test above).
    lines = run_script(script, tmp_path)
    assert [line[:1] + line[2:3] + line[4:5] for line in lines] == [
        ["epoch", "loss", "accuracy"]
    ] * 25
    history = nn.fit(model, X, y, epochs=25, **arguments)
    assert relative_difference(history.loss, [float(line[3]) for line in lines]) <= TOLERANCE
    assert [float(line[5]) for line in lines] == history.accuracy
    trained = nn.MLP.load(tmp_path / "trained.json")
    assert trained.architecture() == model.architecture()
    ours, theirs = [p.data for p in model.parameters()], [p.data for p in trained.parameters()]
    assert ours != [p.data for p in make_run(activations, arguments)[0].parameters()]  # it trained
    assert relative_difference(ours, theirs) <= TOLERANCE


@pytest.mark.slow
@pytest.mark.parametrize(
    ("activations", "arguments", "schedule"),
    [(run[1], run[2], False) for run in RUNS] + [(["relu", "sigmoid"], {}, True)],
    ids=[run[0] for run in RUNS] + ["sgd with a schedule"],
)
def test_compare_agrees_within_float64_rounding(
    torch: Any, activations: list[str], arguments: dict[str, Any], schedule: bool
) -> None:
    X, y = moons()
    model, arguments = make_run(activations, arguments, schedule)
    before = model.state_dict()
    comparison = export.compare(model, X, y, steps=30, **arguments)
    assert model.state_dict() == before  # copies were trained
    assert comparison.steps == 30
    assert comparison.within(TOLERANCE), str(comparison)
    largest = comparison.largest()
    assert set(largest) == {"loss", "gradients", "parameters"}
    assert all(0.0 <= value <= TOLERANCE for value in largest.values())
    assert "30 steps, largest relative differences: loss" in str(comparison)
    # glassgrad's side is fit's training, bit for bit.
    size = arguments.get("batch_size") or len(X)
    per_epoch = -(-len(X) // size)
    if 30 % per_epoch == 0:
        _, fit_arguments = make_run(activations, arguments, schedule)
        twin = nn.MLP(2, [5, 1], activations, seed=7)
        if schedule:
            fit_arguments["optimizer"] = nn.SGD(
                twin.parameters(), 0.3, momentum=0.5, schedule=lambda epoch: 0.3 / (1 + epoch)
            )
        nn.fit(twin, X, y, epochs=30 // per_epoch, **fit_arguments)
        assert comparison.glassgrad_model is not None
        assert comparison.glassgrad_model.state_dict() == twin.state_dict()
    # The PyTorch side trained too, and its model is there to use.
    theirs = [p.detach().clone() for p in comparison.torch_model.parameters()]
    assert (
        relative_difference(
            [v for p in theirs for v in p.flatten().tolist()],
            [v for p in export.to_torch(model).parameters() for v in p.flatten().tolist()],
        )
        > 1e-6
    )


def test_compare_reports_step_by_step(torch: Any) -> None:
    X, y = moons()
    comparison = export.compare(nn.seed_network(), X, y, steps=25, lr=0.5)
    table = comparison.table(rows=10).splitlines()
    assert table[0].split()[:2] == ["step", "glassgrad"]
    assert [line.split()[0] for line in table[1:]] == [
        "1", "2", "3", "4", "5", "...", "21", "22", "23", "24", "25",
    ]  # fmt: skip
    assert len(comparison.glassgrad_loss) == len(comparison.torch_loss) == 25
    assert comparison.glassgrad_loss[-1] < comparison.glassgrad_loss[0]
    assert "Comparison(25 steps" in repr(comparison)


def test_compare_stops_where_training_diverges(torch: Any) -> None:
    X, y = moons()
    with pytest.raises(FloatingPointError, match="diverged at step"):
        export.compare(nn.MLP(2, [4, 1], ["relu", "linear"]), X, y, loss="mse", lr=1e3, steps=50)


def test_compare_checks_its_steps(torch: Any) -> None:
    X, y = moons()
    with pytest.raises(ValueError, match="steps must be a whole number, at least 1"):
        export.compare(nn.seed_network(), X, y, steps=0)


def test_the_saved_model_is_a_glassgrad_model_file(torch: Any, tmp_path: Path) -> None:
    X, y = nn.data.xor()
    script = tmp_path / "train.py"
    export.torch_script(nn.seed_network(), X, y, epochs=2, path=script)
    subprocess.run(
        [sys.executable, str(script), "--save", "out.json"], check=True, cwd=tmp_path,
        capture_output=True,
    )  # fmt: skip
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["format"] == "glassgrad-model"
    assert list(document["parameters"]) == list(nn.seed_network().state_dict())


# More than two classes: one output per class, cross_entropy, class numbers as labels.

MULTI_CLASS_RUNS = [
    ("sgd full batch", ["relu", "linear"], {"lr": 0.5}),
    ("adam batches", ["tanh", "linear"], {"optimizer": "adam", "lr": 0.05, "batch_size": 16}),
    ("momentum decay", ["relu", "linear"], {"optimizer": "momentum", "lr": 0.1, "batch_size": 7,
                                            "weight_decay": 1e-3, "seed": 5}),
]  # fmt: skip


def three_spiral_arms() -> tuple[list[list[float]], list[float]]:
    return nn.data.spirals(40, classes=3, seed=3)


def test_a_multi_class_script_takes_class_numbers() -> None:
    X, y = three_spiral_arms()
    text = export.torch_script(nn.MLP(2, [5, 3], seed=7), X, y, loss="cross_entropy")
    ast.parse(text)
    assert "loss_function = torch.nn.CrossEntropyLoss()" in text
    assert "dtype=torch.long" in text and "[0, 1, 2, 0, 1, 2," in text  # y as whole numbers
    assert "loss_function(logits(X[batch]), y[batch])" in text  # z, no squeeze
    assert "model(X).argmax(1)" in text and "THRESHOLD" not in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("activations", "arguments"),
    [run[1:] for run in MULTI_CLASS_RUNS],
    ids=[run[0] for run in MULTI_CLASS_RUNS],
)
def test_the_multi_class_script_reproduces_fit(
    torch: Any, activations: list[str], arguments: dict[str, Any], tmp_path: Path
) -> None:
    X, y = three_spiral_arms()
    model = nn.MLP(2, [5, 3], activations, seed=7)
    script = tmp_path / "train.py"
    export.torch_script(model, X, y, loss="cross_entropy", epochs=10, path=script, **arguments)
    lines = run_script(script, tmp_path)
    history = nn.fit(model, X, y, loss="cross_entropy", epochs=10, **arguments)
    assert relative_difference(history.loss, [float(line[3]) for line in lines]) <= TOLERANCE
    assert [float(line[5]) for line in lines] == history.accuracy
    trained = nn.MLP.load(tmp_path / "trained.json")
    ours, theirs = [p.data for p in model.parameters()], [p.data for p in trained.parameters()]
    assert relative_difference(ours, theirs) <= TOLERANCE


@pytest.mark.slow
@pytest.mark.parametrize(
    ("activations", "arguments"),
    [run[1:] for run in MULTI_CLASS_RUNS],
    ids=[run[0] for run in MULTI_CLASS_RUNS],
)
def test_multi_class_compare_agrees_within_float64_rounding(
    torch: Any, activations: list[str], arguments: dict[str, Any]
) -> None:
    X, y = three_spiral_arms()
    model = nn.MLP(2, [5, 3], activations, seed=7)
    before = model.state_dict()
    comparison = export.compare(model, X, y, steps=30, loss="cross_entropy", **arguments)
    assert model.state_dict() == before
    assert comparison.steps == 30
    assert comparison.within(TOLERANCE), str(comparison)
    assert comparison.glassgrad_loss[-1] < comparison.glassgrad_loss[0]


def test_to_torch_gives_every_class_its_output(torch: Any) -> None:
    X, _ = three_spiral_arms()
    model = nn.MLP(2, [5, 4], seed=1)
    torch_model = export.to_torch(model)
    assert torch_model[-2].out_features == 4
    theirs = torch_model(torch.tensor(X, dtype=torch.float64))
    assert theirs.shape == (len(X), 4)
    ours = nn.predict(model, X)
    flat = [v for row in ours for v in row]
    assert relative_difference(flat, theirs.flatten().tolist()) <= TOLERANCE
    assert theirs.argmax(1).tolist() == nn.evaluate.classify(model, X)


def test_the_command_line_exports_a_multi_class_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = nn.MLP(2, [6, 3], seed=1)
    model.save(tmp_path / "model.json")
    out = tmp_path / "train.py"
    arguments = ["export", str(tmp_path / "model.json"), "--torch", str(out)]
    flags = ["--loss", "cross_entropy", "--dataset", "spirals", "--samples", "30", "--seed", "2"]
    assert main([*arguments, *flags]) == 0
    X, y = nn.data.spirals(30, seed=2, classes=3)  # one class per output
    expected = export.torch_script(model, X, y, loss="cross_entropy", seed=2)
    assert out.read_text(encoding="utf-8") == expected
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n0,0,0\n0,1,2\n1,0,1\n", encoding="utf-8")
    assert main([*arguments, "--loss", "cross_entropy", "--data", str(points)]) == 0
    expected = export.torch_script(
        model, [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]], [0, 2, 1], loss="cross_entropy"
    )
    assert out.read_text(encoding="utf-8") == expected
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(arguments)  # bce on three outputs
    assert stop.value.code == 2
    assert "use loss='cross_entropy'" in capsys.readouterr().err
