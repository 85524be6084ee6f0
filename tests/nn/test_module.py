"""Saving and loading: JSON with a version, clear errors, nothing half-changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nn


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = nn.seed_network(seed=1)
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["format"] == "glassgrad-model" and document["version"] == 1
    other = nn.seed_network(seed=2)
    other.load(path)
    assert other.state_dict() == model.state_dict()
    rebuilt = nn.MLP.from_file(str(path))
    assert rebuilt.state_dict() == model.state_dict()
    assert rebuilt.activations == ["relu", "sigmoid"]


def broken_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = nn.seed_network(seed=1)
    good.save(tmp_path / "good.json")
    document = json.loads((tmp_path / "good.json").read_text())

    def write(name: str, content: object) -> Path:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return path

    bigger = nn.MLP(2, [4, 1], ["relu", "sigmoid"])
    bigger.save(tmp_path / "bigger.json")
    wrong_value = json.loads(json.dumps(document))
    wrong_value["parameters"]["layers.1.neurons.0.b"] = "oops"
    missing_one = json.loads(json.dumps(document))
    del missing_one["parameters"]["layers.0.neurons.0.b"]
    return {
        "missing": (tmp_path / "nope.json", "no model file"),
        "corrupt": (write("corrupt.json", '{"format": "glassgrad-model", "ver'), "not valid JSON"),
        "not ours": (write("other.json", {"hello": 1}), "not a glassgrad model file"),
        "version": (write("v99.json", {**document, "version": 99}), "format version 99"),
        "shape": (tmp_path / "bigger.json", "another shape"),
        "value": (write("value.json", wrong_value), "must be a number"),
        "missing parameter": (write("missing.json", missing_one), "1 missing"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "corrupt", "not ours", "version", "shape", "value", "missing parameter"]
)
def test_bad_files_raise_clear_errors_and_change_nothing(tmp_path: Path, case: str) -> None:
    path, message = broken_files(tmp_path)[case]
    model = nn.seed_network(seed=3)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert model.state_dict() == before


def test_load_state_dict_checks_everything_first() -> None:
    model = nn.seed_network(seed=3)
    before = model.state_dict()
    state = dict(before)
    state = {name: 9.0 for name in state}
    state["layers.1.neurons.0.b"] = None  # the last one is bad
    with pytest.raises(ValueError, match="must be a number"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    with pytest.raises(ValueError, match="unexpected"):
        model.load_state_dict({**before, "extra": 1.0})
