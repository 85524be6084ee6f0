"""Neurons, layers, MLPs: shapes, seeds, parameter order, fused vs elementary."""

from __future__ import annotations

import pytest

import autograd
import nn


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


def test_zero_grad_resets_parameters() -> None:
    model = nn.seed_network()
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


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
