"""Saving and loading: JSON with a version, clear errors, nothing half-changed."""

from __future__ import annotations

import errno
import json
import math
import os
import struct
import tempfile
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn.module import MAX_MODEL_FILE_BYTES, Module, read_model_file, whole_number


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
    # The first bias named twice: json would keep the second value without a word.
    text = (tmp_path / "good.json").read_text()
    first = '"layers.0.neurons.0.b": '
    at = text.index(first)
    repeated = text[:at] + first + "99.0,\n " + text[at:]
    return {
        "missing": (tmp_path / "nope.json", "no model file"),
        "corrupt": (write("corrupt.json", '{"format": "glassgrad-model", "ver'), "not valid JSON"),
        "not ours": (write("other.json", {"hello": 1}), "not a glassgrad model file"),
        "version": (write("v99.json", {**document, "version": 99}), "format version 99"),
        "shape": (tmp_path / "bigger.json", "another shape"),
        "value": (write("value.json", wrong_value), "must be a number"),
        "missing parameter": (write("missing.json", missing_one), "1 missing"),
        "repeated": (
            write("repeated.json", repeated),
            "'layers.0.neurons.0.b' appears twice in one object",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "corrupt",
        "not ours",
        "version",
        "shape",
        "value",
        "missing parameter",
        "repeated",
    ],
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


# --- saving: never torn, never beside the point ------------------------------


def same_state(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal state dicts, nan equal to nan."""
    return a.keys() == b.keys() and all(
        a[name] == b[name] or (math.isnan(a[name]) and math.isnan(b[name])) for name in a
    )


def test_concurrent_saves_to_one_path_leave_a_complete_file(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    models = [nn.MLP(3, [8, 1], seed=seed) for seed in range(4)]
    states = [model.state_dict() for model in models]
    models[0].save(path)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(models) + 1)
    done = threading.Event()

    def save_many(model: nn.MLP) -> None:
        try:
            barrier.wait()
            for _ in range(30):
                model.save(path)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    def load_many() -> None:
        try:
            barrier.wait()
            while not done.is_set():
                assert nn.MLP.from_file(path).state_dict() in states
        except BaseException as error:
            errors.append(error)

    savers = [threading.Thread(target=save_many, args=(model,)) for model in models]
    reader = threading.Thread(target=load_many)
    for thread in [*savers, reader]:
        thread.start()
    for thread in savers:
        thread.join()
    done.set()
    reader.join()
    assert errors == []
    assert nn.MLP.from_file(path).state_dict() in states
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary left


def test_saving_through_a_symlink_updates_the_target(tmp_path: Path) -> None:
    target = tmp_path / "real" / "model.json"
    target.parent.mkdir()
    nn.seed_network(seed=1).save(target)
    link = tmp_path / "latest.json"
    link.symlink_to(Path("real") / "model.json")  # relative, as people write them
    model = nn.seed_network(seed=2)
    model.save(link)
    assert link.is_symlink()
    assert nn.MLP.from_file(target).state_dict() == model.state_dict()


def test_a_255_byte_file_name_saves(tmp_path: Path) -> None:
    path = tmp_path / ("m" * 250 + ".json")
    model = nn.seed_network(seed=1)
    model.save(path)
    assert nn.MLP.from_file(path).state_dict() == model.state_dict()


@pytest.mark.parametrize("failing", ["fsync", "replace", "serialise"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "model.json"
    nn.seed_network(seed=1).save(path)
    before = path.read_bytes()
    model = nn.seed_network(seed=2)

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "serialise":
        monkeypatch.setattr(model, "architecture", lambda: {"type": "MLP", "odd": object()})
        expected: type[Exception] = TypeError
    else:
        monkeypatch.setattr(os, failing, disk_full)
        expected = OSError
    with pytest.raises(expected):
        model.save(path)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    assert path.read_bytes() == before


def test_save_errors_name_the_path_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = nn.seed_network()
    with pytest.raises(FileNotFoundError, match=r"cannot save to .*nowhere.*does not exist"):
        model.save(tmp_path / "nowhere" / "model.json")
    with pytest.raises(IsADirectoryError, match=r"is a directory: give a file name, such as"):
        model.save(tmp_path)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    monkeypatch.setenv("HOME", str(tmp_path))
    model.save("~/model.json")
    assert nn.MLP.from_file(tmp_path / "model.json").state_dict() == model.state_dict()


def test_a_state_dict_takes_any_real_number() -> None:
    np = pytest.importorskip("numpy")
    model = nn.seed_network()
    state = {name: np.float32(0.5) for name in model.state_dict()}
    model.load_state_dict(state)
    assert set(model.state_dict().values()) == {0.5}


# --- nan and inf: round trip, standard JSON ----------------------------------


def strict_json(text: str) -> object:
    """Parse as a strict JSON parser would: NaN and Infinity are not JSON."""

    def refuse(token: str) -> object:
        raise ValueError(f"{token} is not standard JSON")

    return json.loads(text, parse_constant=refuse)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=13, max_size=13))
def test_every_float_round_trips_through_standard_json(values: list[float]) -> None:
    model = nn.seed_network()
    for parameter, value in zip(model.parameters(), values):
        parameter.data = value
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.json"
        model.save(path)
        strict_json(path.read_text(encoding="utf-8"))
        loaded = nn.MLP.from_file(path).parameters()
    for parameter, value in zip(loaded, values):
        if math.isnan(value):
            assert math.isnan(parameter.data)
        else:  # bit for bit: -0.0 stays -0.0
            assert struct.pack("<d", parameter.data) == struct.pack("<d", value)


def test_non_finite_weights_are_written_as_strings(tmp_path: Path) -> None:
    model = nn.seed_network()
    w = model.layers[0].neurons[0].w
    w[0].data, w[1].data, model.layers[1].neurons[0].b.data = math.nan, math.inf, -math.inf
    model.save(tmp_path / "model.json")
    parameters = strict_json((tmp_path / "model.json").read_text())["parameters"]  # type: ignore[index]
    assert parameters["layers.0.neurons.0.w.0"] == "nan"
    assert parameters["layers.0.neurons.0.w.1"] == "inf"
    assert parameters["layers.1.neurons.0.b"] == "-inf"


def test_older_files_with_nan_tokens_still_load(tmp_path: Path) -> None:
    model = nn.seed_network()
    document = {
        "format": "glassgrad-model",
        "version": 1,
        "architecture": model.architecture(),
        "parameters": {**model.state_dict(), "layers.1.neurons.0.b": math.nan},
    }
    (tmp_path / "old.json").write_text(json.dumps(document))  # NaN, as version 1 once wrote
    model.load(tmp_path / "old.json")
    assert math.isnan(model.layers[1].neurons[0].b.data)


# --- loading is bounded before it allocates ----------------------------------


def test_a_file_declaring_a_huge_model_is_refused_before_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = {
        "format": "glassgrad-model",
        "version": 1,
        "architecture": {"type": "MLP", "nin": 10**9, "sizes": [1], "activations": ["linear"]},
        "parameters": {"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.b": 0.0},
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(document))

    def refuse_to_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("a layer was built before the file was checked")

    monkeypatch.setattr(nn.Layer, "__init__", refuse_to_build)
    with pytest.raises(ValueError, match=r"1000000001 parameters.*holds 2"):
        nn.MLP.from_file(path)


def test_a_mismatched_parameter_count_costs_no_memory(tmp_path: Path) -> None:
    document = {
        "format": "glassgrad-model",
        "version": 1,
        "architecture": {"type": "MLP", "nin": 10**5, "sizes": [2], "activations": ["tanh"]},
        "parameters": {"layers.0.neurons.0.b": 0.0},
    }
    path = tmp_path / "small.json"
    path.write_text(json.dumps(document))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="parameters"):
            nn.MLP.from_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_files_over_the_size_limit_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as file:  # sparse: no disk used, and nothing to read
        file.truncate(MAX_MODEL_FILE_BYTES + 1)
    model = nn.seed_network()
    with pytest.raises(ValueError, match=rf"{MAX_MODEL_FILE_BYTES} bytes.*max_bytes"):
        model.load(path)
    with pytest.raises(ValueError, match="max_bytes"):
        nn.MLP.from_file(path)


def test_max_bytes_raises_or_lowers_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    model = nn.seed_network(seed=1)
    model.save(path)
    size = path.stat().st_size
    other = nn.seed_network(seed=2)
    before = other.state_dict()
    with pytest.raises(ValueError, match=rf"over the limit of {size - 1} bytes"):
        other.load(path, max_bytes=size - 1)
    assert other.state_dict() == before
    with pytest.raises(ValueError, match="max_bytes"):
        nn.MLP.from_file(path, max_bytes=size - 1)
    other.load(path, max_bytes=size)
    assert other.state_dict() == model.state_dict()
    assert nn.MLP.from_file(path, max_bytes=size).state_dict() == model.state_dict()
    assert read_model_file(path, max_bytes=size)["parameters"] == model.state_dict()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_at_most_the_limit_is_read_when_the_size_is_unknown() -> None:
    # /proc files are regular files that report a size of 0 and hold more.
    with pytest.raises(ValueError, match="more than 10 bytes"):
        read_model_file("/proc/self/maps", max_bytes=10)


@pytest.mark.parametrize("kind", ["directory", "device", "fifo"])
def test_what_is_not_a_regular_file_is_refused_unread(tmp_path: Path, kind: str) -> None:
    if kind == "directory":
        path = tmp_path
    elif kind == "device":
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero here")
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "pipe"
        os.mkfifo(path)  # opening it to read would wait for a writer forever
    model = nn.seed_network()
    before = model.state_dict()
    with pytest.raises(ValueError, match="not a regular file"):
        model.load(path)
    with pytest.raises(ValueError, match="not a regular file"):
        nn.MLP.from_file(path)
    assert model.state_dict() == before


# --- every malformed file is a ValueError ------------------------------------


def valid_document() -> dict[str, object]:
    model = nn.MLP(2, [2, 1], ["tanh", "sigmoid"], seed=4)
    return {
        "format": "glassgrad-model",
        "version": 1,
        "architecture": model.architecture(),
        "parameters": model.state_dict(),
    }


def with_weight(token: str) -> str:
    """A valid file's text with one weight written as ``token``."""
    document = valid_document()
    document["parameters"]["layers.0.neurons.0.w.0"] = "\x00weight\x00"  # type: ignore[index]
    return json.dumps(document).replace(json.dumps("\x00weight\x00"), token)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        (with_weight("9" * 400 + ".5"), "too large"),
        (json.dumps({**valid_document(), "version": 10**400}), "too large"),
        (
            json.dumps(valid_document()).replace('"version": 1', '"version": ' + "9" * 5000),
            "too large",
        ),
        (json.dumps(valid_document()).replace('"nin": 2', '"nin": ' + "9" * 400), "too large"),
        (json.dumps(valid_document()).replace('"nin": 2', '"nin": 1e400'), "too large"),
        (json.dumps(valid_document()).replace('"nin": 2', '"nin": true'), "nin"),
        (json.dumps({**valid_document(), "version": True}), "format version"),
        (json.dumps(valid_document()).replace('"sizes": [2, 1]', '"sizes": 2'), "sizes"),
        (json.dumps(valid_document()).replace('"tanh"', '"swish"'), "swish"),
        (json.dumps(valid_document()).replace('"tanh"', "7"), "activation"),
        (
            json.dumps(valid_document()).replace('"tanh", ', ""),
            "one activation per layer|another shape",
        ),
        (with_weight('"Infinity"'), "must be a number"),
        (with_weight("[0.5]"), "must be a number"),
        (b'"\xff\xfe"'.decode("latin-1"), "not a glassgrad model file"),
    ],
)
def test_malformed_files_raise_value_error_and_change_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    model = nn.MLP(2, [2, 1], ["tanh", "sigmoid"], seed=5)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert model.state_dict() == before
    with pytest.raises(ValueError, match=message):
        nn.MLP.from_file(path)


def test_from_file_wants_whole_numbers_for_the_architecture(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(valid_document()).replace('"nin": 2', '"nin": 2.0'))
    with pytest.raises(ValueError, match=r"'nin' must be a whole number >= 1, got 2\.0"):
        nn.MLP.from_file(path)


@pytest.mark.parametrize("fused", [True, False])
def test_a_model_comes_back_fused_or_elementary_as_it_was_saved(
    tmp_path: Path, fused: bool
) -> None:
    model = nn.seed_network(seed=3, fused=fused)
    model.save(tmp_path / "model.json")
    rebuilt = nn.MLP.from_file(tmp_path / "model.json")
    assert rebuilt.fused is fused
    assert all(layer.fused is fused for layer in rebuilt.layers)
    assert rebuilt.state_dict() == model.state_dict()
    # How neurons compute is not their shape: the parameters load either way.
    other = nn.seed_network(seed=4, fused=not fused)
    other.load(tmp_path / "model.json")
    assert other.state_dict() == model.state_dict() and other.fused is not fused


def test_a_file_without_fused_holds_a_fused_model(tmp_path: Path) -> None:
    document = valid_document()
    del document["architecture"]["fused"]  # type: ignore[attr-defined]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    assert nn.MLP.from_file(path).fused is True
    model = nn.MLP(2, [2, 1], ["tanh", "sigmoid"], seed=5, fused=False)
    model.load(path)
    assert model.state_dict() == document["parameters"]


def test_fused_must_be_true_or_false(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(valid_document()).replace('"fused": true', '"fused": 1'))
    with pytest.raises(ValueError, match="'fused' must be true or false, got 1"):
        nn.MLP.from_file(path)


def test_invalid_utf8_is_a_value_error(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_bytes(b'{"format": "\xff"}')
    with pytest.raises(ValueError, match="UTF-8"):
        nn.seed_network().load(tmp_path / "bad.json")


# Replacements for one value of a valid file: other types, numbers that do
# not fit a float, deep nesting, long strings.
ODD_TOKENS = [
    "null",
    "true",
    "false",
    '"x"',
    '""',
    "[]",
    "{}",
    "-1",
    "0",
    "2.5",
    '"nan"',
    '"-inf"',
    "NaN",
    "-Infinity",
    "1e400",
    "-1e400",
    "9" * 400,
    "-" + "9" * 400,
    "9" * 5000,
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    '"' + "x" * 10_000 + '"',
    "[1, 2, 3]",
    '{"type": "MLP"}',
]


def value_paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """The path of every value in a JSON document, the root included."""
    paths = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            paths += value_paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            paths += value_paths(child, (*path, index))
    return paths


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    document = valid_document()
    original = json.dumps(document, indent=1).encode()
    kind = draw(st.sampled_from(["truncate", "flip", "swap", "delete", "wrap"]))
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original) - 1))]
    if kind == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "wrap":  # the whole document nested deeply
        depth = draw(st.sampled_from([1, 10, 999, 5000, 100_000]))
        return b"[" * depth + original + b"]" * depth
    path = draw(st.sampled_from(value_paths(document)))
    if not path:
        return draw(st.sampled_from(ODD_TOKENS)).encode()
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    if kind == "delete":
        del parent[path[-1]]
        return json.dumps(document).encode()
    marker = "\x00odd\x00"
    parent[path[-1]] = marker
    token = draw(st.sampled_from(ODD_TOKENS))
    return json.dumps(document).replace(json.dumps(marker), token).encode()


@settings(max_examples=300, deadline=None)
@given(data=mutated_files())
def test_mutated_files_raise_value_error_and_change_nothing(data: bytes) -> None:
    model = nn.MLP(2, [2, 1], ["tanh", "sigmoid"], seed=5)
    before = model.state_dict()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.json"
        path.write_bytes(data)
        try:
            model.load(path)
        except ValueError:
            assert same_state(model.state_dict(), before)
        try:
            rebuilt = nn.MLP.from_file(path)
        except ValueError:
            pass
        else:  # a harmless mutation (a digit of a weight): a whole model
            assert isinstance(rebuilt, nn.MLP)


# --- MLP.load on the class ----------------------------------------------------


def test_load_on_the_class_builds_the_model(tmp_path: Path) -> None:
    model = nn.MLP(3, [4, 2], ["tanh", "linear"], seed=7)
    model.save(tmp_path / "model.json")
    loaded = nn.MLP.load(tmp_path / "model.json")
    assert isinstance(loaded, nn.MLP)
    assert loaded.architecture() == model.architecture()
    assert loaded.state_dict() == model.state_dict()
    assert nn.MLP.load(tmp_path / "model.json", max_bytes=10**6).state_dict() == model.state_dict()


def test_load_on_a_model_loads_into_it(tmp_path: Path) -> None:
    model = nn.MLP(3, [4, 2], ["tanh", "linear"], seed=7)
    model.save(tmp_path / "model.json")
    other = nn.MLP(3, [4, 2], ["tanh", "linear"], seed=8)
    weight = other.parameters()[0]
    assert other.load(tmp_path / "model.json") is None
    assert other.state_dict() == model.state_dict()
    assert other.parameters()[0] is weight  # the same Values, new numbers


def test_load_on_a_class_that_cannot_rebuild_itself_says_what_to_do(tmp_path: Path) -> None:
    nn.seed_network().save(tmp_path / "model.json")
    with pytest.raises(TypeError, match=r"model\.load\(path\)"):
        nn.Module.load(tmp_path / "model.json")


class Scale(Module):
    """A model of ``size`` weights that says how to rebuild itself: loading is Module's."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.w = [Value(float(i)) for i in range(size)]

    def named_parameters(self):  # type: ignore[no-untyped-def]
        yield from ((f"w.{i}", w) for i, w in enumerate(self.w))

    def architecture(self) -> dict[str, object]:
        return {"type": "Scale", "size": self.size}

    @classmethod
    def settings_from(cls, architecture: dict[str, object]) -> dict[str, object]:
        if not whole_number(architecture.get("size")):
            raise ValueError("'size' must be a whole number >= 1")
        return {"size": architecture["size"]}

    @staticmethod
    def parameter_count(size: int) -> int:
        return size


def test_any_module_that_says_how_rebuilds_itself_from_a_file(tmp_path: Path) -> None:
    model = Scale(3)
    model.w[1].data = -2.5
    model.save(tmp_path / "scale.json")
    rebuilt = Scale.from_file(tmp_path / "scale.json")
    assert isinstance(rebuilt, Scale) and rebuilt.state_dict() == model.state_dict()
    with pytest.raises(ValueError, match=r"holds a 'Scale', not an MLP"):
        nn.MLP.from_file(tmp_path / "scale.json")
    document = json.loads((tmp_path / "scale.json").read_text())
    document["architecture"]["size"] = 10**9  # a small file asking for a huge model
    (tmp_path / "huge.json").write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"declares a model of 1000000000 parameters but holds 3"):
        Scale.from_file(tmp_path / "huge.json")
    document["architecture"]["size"] = 0
    (tmp_path / "zero.json").write_text(json.dumps(document))
    with pytest.raises(ValueError, match=r"zero\.json: 'size' must be a whole number"):
        Scale.from_file(tmp_path / "zero.json")


def test_model_file_errors_speak_chinese(tmp_path: Path) -> None:
    from autograd.language import using_language

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    with using_language("zh"):
        with pytest.raises(ValueError, match="没有模型文件：请检查路径"):
            nn.MLP.from_file(tmp_path / "missing.json")
        with pytest.raises(ValueError, match="不是有效的 JSON"):
            nn.MLP.from_file(broken)
        with pytest.raises(ValueError, match="不是普通文件"):
            nn.MLP.from_file(tmp_path)
        nn.MLP(2, [3, 1]).save(tmp_path / "model.json")
        with pytest.raises(ValueError, match="里是另一种形状的模型"):
            nn.MLP(2, [4, 1]).load(tmp_path / "model.json")
