"""Neurons, layers, MLPs: shapes, seeds, parameter order, fused vs elementary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value


def test_seed_network_is_the_article_network() -> None:
    model = nn.seed_network(seed=0)
    assert model.nin == 2 and model.sizes == [3, 1]
    assert model.activations == ["relu", "sigmoid"]
    assert len(model.parameters()) == 3 * 2 + 3 + 3 + 1
    out = model([0.5, -1.0])
    assert out.op == "sigmoid" and 0.0 < out.data < 1.0


def test_same_seed_same_model_and_different_seed_different_model() -> None:
    a, b, c = nn.MLP(2, [4, 1], seed=7), nn.MLP(2, [4, 1], seed=7), nn.MLP(2, [4, 1], seed=8)
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != c.state_dict()


def test_parameter_names_and_order_are_fixed() -> None:
    names = [name for name, _ in nn.seed_network().named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(set(names)) == len(names)


def test_parameters_come_in_the_order_of_their_names() -> None:
    for module in (nn.MLP(3, [4, 2, 1], seed=1), nn.Layer(3, 2), nn.Neuron(5)):
        named = [p for _, p in module.named_parameters()]
        assert module.parameters() == named
        assert all(a is b for a, b in zip(module.parameters(), named, strict=True))


@pytest.mark.parametrize("activations", [["relu", "linear"], ["tanh", "sigmoid"]])
def test_fused_and_elementary_neurons_agree(activations: list[str]) -> None:
    fused = nn.MLP(3, [5, 1], activations, seed=4, fused=True)
    elementary = nn.MLP(3, [5, 1], activations, seed=4, fused=False)
    x = [0.2, -0.7, 1.1]
    out_f, out_e = fused(x), elementary(x)
    assert out_f.data == pytest.approx(out_e.data, abs=1e-14)
    out_f.backward()
    out_e.backward()
    for p, q in zip(fused.parameters(), elementary.parameters(), strict=True):
        assert p.grad == pytest.approx(q.grad, abs=1e-14)
    # The fused graph is smaller: one dot node per neuron.
    assert len(autograd.topological_order(out_f)) < len(autograd.topological_order(out_e))


def test_multi_output_and_bad_input() -> None:
    model = nn.MLP(2, [3, 2])
    assert isinstance(model([1.0, 2.0]), list)
    with pytest.raises(ValueError, match="takes 2 input features, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [1], ["swish"])
    with pytest.raises(ValueError, match="one activation per layer"):
        nn.MLP(2, [3, 1], ["relu"])
    with pytest.raises(ValueError, match="layer sizes"):
        nn.MLP(2, [0])


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: nn.MLP(2, 3), TypeError, r"sizes is a list .* write MLP\(2, \[3\]\)"),
        (lambda: nn.MLP(2, [3, 1], "relu"), TypeError, "got the string 'relu'"),
        (lambda: nn.MLP(True, [3]), TypeError, "nin .* must be a whole number, got True"),
        (lambda: nn.MLP(2, [3, 1.0]), TypeError, "layer sizes .* whole number, got 1.0"),
        (lambda: nn.MLP(2, []), ValueError, "at least one layer size"),
        (lambda: nn.Neuron(0), ValueError, "neuron's number of inputs must be at least 1"),
        (lambda: nn.Layer(2, 0), ValueError, "layer's number of neurons must be at least 1"),
    ],
)
def test_a_wrong_shape_is_a_clear_error(
    build: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build()


def test_numpy_integers_make_a_model_that_saves(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    model = nn.MLP(np.int64(2), [np.int64(3), np.int32(1)])
    assert model.nin == 2 and model.sizes == [3, 1] and type(model.nin) is int
    model.save(tmp_path / "model.json")  # plain ints: JSON can write them
    assert nn.MLP.from_file(tmp_path / "model.json").sizes == [3, 1]


def test_zero_grad_resets_parameters() -> None:
    model = nn.seed_network()
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# --- A learner's first guesses -------------------------------------------------------------


@pytest.mark.parametrize("method", ["__call__", "logits"])
def test_a_number_or_a_batch_says_what_the_model_takes(method: str) -> None:
    model = nn.MLP(2, [3, 1])
    run = getattr(model, method)
    with pytest.raises(TypeError, match=r"one sample: a list of 2 numbers, like model\(\[0\.5"):
        run(1.0)
    for batch in ([[0, 1], [1, 0]], [[0, 1], [1, 0], [1, 1]], ((0.0, 1.0), (1.0, 0.0))):
        with pytest.raises(TypeError, match="samples at once") as caught:
            run(batch)
        assert r"[model(x) for x in X]" in str(caught.value)
        assert "nn.predict(model, X)" in str(caught.value)
    with pytest.raises(TypeError, match="input 1 is str"):
        run([1.0, "2"])
    with pytest.raises(ValueError, match="takes 2 input features, got 3"):
        run([1.0, 2.0, 3.0])
    single = nn.MLP(1, [2, 1])
    with pytest.raises(TypeError, match=r"like model\(\[0\.5\]\)"):
        getattr(single, method)(1.0)


def test_a_numpy_batch_gets_the_same_advice() -> None:
    np = pytest.importorskip("numpy")
    model = nn.MLP(2, [3, 1])
    with pytest.raises(TypeError, match="2 samples at once"):
        model(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert model(np.array([0.0, 1.0])).data == model([0.0, 1.0]).data


def test_layers_and_neurons_explain_their_input_too() -> None:
    with pytest.raises(TypeError, match=r"layer takes one sample.*\[layer\(x\) for x in X\]"):
        nn.Layer(2, 3)([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match="neuron takes one sample"):
        nn.Neuron(2)(1.0)


def test_several_outputs_are_a_list_whose_backward_says_what_to_do() -> None:
    model = nn.MLP(2, [3, 2])
    for outputs in (model([1.0, 2.0]), model.logits([1.0, 2.0]), nn.Layer(2, 3)([1.0, 2.0])):
        assert isinstance(outputs, list) and isinstance(outputs, nn.Outputs)
        assert outputs[:1] == [outputs[0]] and len(outputs) == len(list(outputs))
        with pytest.raises(TypeError, match="starts from one scalar") as caught:
            outputs.backward()
        assert "nn.losses.mse(outputs, targets).backward()" in str(caught.value)
        assert "outputs[0].backward()" in str(caught.value)
    outputs = model([1.0, 2.0])
    nn.losses.mse(outputs, [0.0, 1.0]).backward()  # the advice works
    assert any(p.grad != 0.0 for p in model.parameters())


def test_micrograds_nonlin_argument() -> None:
    assert nn.Neuron(2, nonlin=True).activation == "relu"
    assert nn.Neuron(2, nonlin=False).activation == "linear"
    assert nn.Neuron(2).activation == "relu"
    layer = nn.Layer(2, 3, nonlin=False)
    assert layer.activation == "linear"
    assert all(neuron.activation == "linear" for neuron in layer.neurons)
    x = [0.5, -2.0]
    z = layer.pre_activation(x)
    assert [out.data for out in layer(x)] == [zi.data for zi in z]
    with pytest.raises(ValueError, match="activation= or nonlin=, not both"):
        nn.Neuron(2, "tanh", nonlin=True)
    with pytest.raises(ValueError, match="not both"):
        nn.Layer(2, 3, activation="relu", nonlin=False)
    with pytest.raises(ValueError, match="write nonlin=False"):
        nn.Neuron(2, False)  # type: ignore[arg-type]


def test_parameters_come_in_micrograds_order() -> None:
    micro_nn = pytest.importorskip("micrograd.nn")
    theirs = micro_nn.MLP(2, [16, 16, 1])
    ours = nn.MLP(2, [16, 16, 1])
    assert len(ours.parameters()) == len(theirs.parameters())
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        p.data = q.data
    # Copied in flat order, every weight and bias lands in the same place.
    for our_layer, their_layer in zip(ours.layers, theirs.layers, strict=True):
        for our_neuron, their_neuron in zip(our_layer.neurons, their_layer.neurons, strict=True):
            assert [w.data for w in our_neuron.w] == [w.data for w in their_neuron.w]
            assert our_neuron.b.data == their_neuron.b.data
    for x in ([0.5, -1.0], [2.0, 0.25]):
        assert ours(x).data == pytest.approx(theirs(x).data, rel=1e-12)


def test_fused_and_elementary_neurons_agree_bit_for_bit_on_every_python() -> None:
    # Weights whose products cancel: a compensated sum (Python 3.12+'s sum()
    # of floats) would keep the 1.0 that adding pair by pair loses.
    fused = nn.MLP(3, [2, 1], ["relu", "linear"], seed=4, fused=True)
    elementary = nn.MLP(3, [2, 1], ["relu", "linear"], seed=4, fused=False)
    for model in (fused, elementary):
        for neuron in model.layers[0].neurons:
            for w, value in zip(neuron.w, [1e16, 1.0, -1e16], strict=True):
                w.data = value
    x = [1.0, 1.0, 1.0]
    for model in (fused, elementary):  # 0.1 + 1e16 + 1 − 1e16, pair by pair
        assert [z.data for z in model.layers[0].pre_activation(x)] == [0.0, 0.0]
    out_f, out_e = fused(x), elementary(x)
    assert out_f.data == out_e.data
    out_f.backward()
    out_e.backward()
    assert [p.grad for p in fused.parameters()] == [p.grad for p in elementary.parameters()]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 1000),
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    activations=st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "linear"]), min_size=3),
    fused=st.booleans(),
    samples=st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    ),
    logits=st.booleans(),
)
def test_layer_outputs_on_floats_equal_the_forward_pass_bit_for_bit(
    seed: int,
    sizes: list[int],
    activations: list[str],
    fused: bool,
    samples: list[list[float]],
    logits: bool,
) -> None:
    model = nn.MLP(3, sizes, activations[: len(sizes)], seed=seed, fused=fused)
    on_floats = model.layer_outputs(samples, logits=logits)
    for sample, rows in zip(samples, on_floats, strict=True):
        x: list = sample
        for number, layer in enumerate(model.layers, start=1):
            top = number == len(model.layers)
            x = layer.pre_activation(x) if top and logits else layer(x)
            assert rows[number - 1] == [v.data for v in x]
    flat = [rows[-1][0] for rows in on_floats] if sizes[-1] == 1 else None
    if flat is not None and not logits:
        assert nn.predict(model, samples) == flat


def test_layer_outputs_check_each_sample() -> None:
    model = nn.seed_network()
    assert model.layer_outputs([[1, Value(2.0)]]) == model.layer_outputs([[1.0, 2.0]])
    with pytest.raises(ValueError, match="takes 2 input features, got 3"):
        model.layer_outputs([[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match="features are numbers, got str '1'"):
        model.layer_outputs([["1", 2.0]])


@pytest.mark.parametrize(
    ("make", "chinese"),
    [
        (lambda: nn.MLP(2, 3), "sizes 是由每层大小组成的列表"),
        (lambda: nn.MLP(2, [0, 1]), "至少要是 1，收到的是 0"),
        (lambda: nn.MLP(2, [3, 1], activations="relu"), "收到的是字符串 'relu'"),
        (lambda: nn.MLP(2, [3, 1], activations=["relu", "soft"]), "没有叫 'soft' 的激活函数"),
        (lambda: nn.MLP(2, [3, 1])(3), "model 接受一个样本：由 2 个数组成的列表"),
        (lambda: nn.MLP(2, [3, 1])([1, 2, 3]), "model 接受 2 个输入特征，收到的是 3 个"),
        (lambda: nn.MLP(2, [3, 1])([[1, 2], [3, 4]]), "却一次收到了 2 个样本"),
        (lambda: nn.Neuron(2)(["a", "b"]), "第 0 个输入是 str 'a'，不是数"),
        (lambda: nn.Layer(2, 3)([1.0, 2.0]).backward(), "backward() 要从一个标量 Value 开始"),
        (
            lambda: nn.fit(nn.MLP(2, [1]), [[1, 2]], [2]),
            "位置 0 的标签 2.0 不是有效的目标值",
        ),
        (lambda: nn.losses.mse([1.0], [1.0, 2.0]), "有 1 个预测值，却有 2 个目标值"),
        (lambda: nn.fit(nn.MLP(2, [1]), [[1, 2]], [1], loss="l1"), "没有叫 'l1' 的损失函数"),
        (lambda: nn.fit(nn.MLP(2, [1]), [[1, 2]], [1, 0]), "X 有 1 个样本，而 y 有 2 个标签"),
        (lambda: nn.fit(nn.MLP(2, [1]), [[1, 2]], [1], lr=-1), "学习速率必须是正数"),
    ],
)
def test_the_first_errors_a_learner_meets_speak_chinese(make, chinese) -> None:
    from autograd.language import using_language

    with using_language("zh"), pytest.raises((TypeError, ValueError)) as caught:
        make()
    assert chinese in str(caught.value)
