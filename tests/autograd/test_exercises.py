"""Exercise sets: the shipped ones, and clear errors for a teacher's bad file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("graphviz")

from autograd.engine import topological_order
from autograd.stepper import SHIPPED_EXERCISES, exercise_sets, exercises

GOOD_MODEL = {"inputs": 2, "sizes": [3, 1], "activations": ["relu", "sigmoid"], "seed": 0}


def write(tmp_path: Path, data: Any, name: str = "set.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def a_set(*entries: Any, **fields: Any) -> dict:
    return {"glassgrad": "exercises", "version": 1, "exercises": list(entries), **fields}


def test_the_three_shipped_sets_open_and_each_exercise_is_a_quiz() -> None:
    sets = exercise_sets(lang="en")
    assert [s.name for s in sets] == list(SHIPPED_EXERCISES) == ["article", "reuse", "neuron"]
    article, reuse, neuron = sets
    assert article.title == "The article's network"
    for exercise_set in sets:
        assert len(exercise_set) >= 3
        for exercise in exercise_set:
            stepper = exercise.stepper()
            assert stepper.quiz and any(ask is not None for ask in stepper.asks)
            assert stepper.quiz_forward == exercise.forward
    # The article's network, as nn builds it; its gradients are backward()'s.
    first = article[0].stepper()
    assert first.panels and first.output.op == "bce_logits"
    # Reuse: x*x asks for the running sum, 3 + 3 = 6.
    (ask,) = [a for a in reuse[0].stepper().asks[1:] if a is not None]
    assert [q.answer for q in ask.questions] == [3.0, 3.0, 6.0]

    # The neuron and tanh written as exp give the same gradients to the weights.
    def weight_grads(exercise: Any) -> dict[str, float]:
        out = exercise.output
        out.backward()
        return {v.label: v.grad for v in topological_order(out) if v.label in ("w1", "w2")}

    plain, as_exp = weight_grads(neuron[0]), weight_grads(neuron[2])
    assert plain == pytest.approx(as_exp) and plain["w1"] == pytest.approx(1.0)


def test_titles_follow_the_language(tmp_path: Path) -> None:
    assert exercises("reuse", lang="zh").title == "梯度累加与重复使用"
    path = write(
        tmp_path,
        a_set(
            {"title": {"en": "Square", "zh": "平方"}, "expression": "x*x", "values": {"x": 2}},
            title="Mine",
        ),
    )
    assert exercises(path, lang="zh")[0].title == "平方"
    assert exercises(path, lang="en").title == "Mine"
    assert exercises(path, lang="en")[0].title == "Square"


BAD_SETS = [
    ("{not json", "is not JSON"),
    ([1, 2], "an exercise file is one JSON object"),
    ({"glassgrad": "exercises", "version": 2, "exercises": []}, "version 2 is not one"),
    ({"glassgrad": "exercises", "version": 1, "exercises": []}, '"exercises" must be a list'),
    (a_set({"expression": "x"}, colour="red"), 'no field "colour"'),
    (a_set({"expression": "x*x", "values": {"x": 3}}, title=3), '"title" must be text'),
]


@pytest.mark.parametrize(("data", "said"), BAD_SETS)
def test_a_bad_file_says_what_is_wrong(tmp_path: Path, data: Any, said: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match="exercise file") as caught:
        exercises(path, lang="en")
    assert str(path) in str(caught.value) and said in str(caught.value)


BAD_ENTRIES = [
    ({"expression": "x*x", "values": {"x": 3}, "model": GOOD_MODEL}, 'either "expression"'),
    ({"values": {"x": 3}}, 'either "expression"'),
    ({"expression": "x*x", "values": {"x": "three"}}, '"values" must give each variable'),
    ({"expression": "x*y", "values": {"x": 3}}, "y"),  # the parser's own message
    ({"expression": "__import__('os').system('ls')", "values": {}}, "not one of the"),  # never run
    ({"expression": "x*x", "values": {"x": 3}, "forward": "yes"}, '"forward" must be true'),
    ({"expression": "x*x", "values": {"x": 3}, "answer": 6}, 'no field "answer"'),
    ({"model": "big", "x": [1, 2], "y": 1}, '"model" must say the network'),
    ({"model": {**GOOD_MODEL, "seed": 1.5}, "x": [1, 2], "y": 1}, '"seed" must be'),
    ({"model": GOOD_MODEL, "x": [1], "y": 1}, "one number per input of the model (2)"),
    ({"model": GOOD_MODEL, "x": "1, 2", "y": 1}, '"x" must be'),
    ({"model": GOOD_MODEL, "x": [1, 2], "y": 5}, '"y" must be the sample\'s label'),
    ({"model": {**GOOD_MODEL, "sizes": [3, 2]}, "x": [1, 2], "y": 1}, "one output"),
    ({"model": {**GOOD_MODEL, "activations": ["relu", "soft"]}, "x": [1, 2], "y": 1}, "soft"),
    ({"model": {"inputs": 2, "sizes": [20, 1]}, "x": [1, 2], "y": 1}, "more than 80"),
    (7, "an exercise is a JSON object"),
]


@pytest.mark.parametrize(("entry", "said"), BAD_ENTRIES)
def test_a_bad_exercise_is_named_by_its_number_and_title(
    tmp_path: Path, entry: Any, said: str
) -> None:
    good = {"title": "fine", "expression": "a*b", "values": {"a": 1, "b": 2}}
    if isinstance(entry, dict):
        entry = {"title": "the broken one", **entry}
    path = write(tmp_path, a_set(good, entry))
    with pytest.raises(ValueError) as caught:
        exercises(path, lang="en")
    message = str(caught.value)
    assert message.startswith(f"the exercise file {path}, exercise 2")
    if isinstance(entry, dict):
        assert "(the broken one)" in message
    assert said in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot read the exercise file .*nowhere\.json"):
        exercises(tmp_path / "nowhere.json")


def test_model_exercises_need_nn_and_say_so() -> None:
    import subprocess
    import sys

    code = (
        "from autograd.stepper import exercises\n"
        "print(len(exercises('reuse')))\n"  # expressions need the engine alone
        "try:\n    exercises('article')\nexcept ValueError as error:\n    print(error)\n"
        "import nn\nprint(len(exercises('article')))\n"
    )
    said = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"GLASSGRAD_LANG": "en", "PATH": ""},
    ).stdout.splitlines()
    assert said[0] == "4" and said[2] == "3"
    assert "import nn before opening the set" in said[1] and "exercise 1" in said[1]
