"""The network view, training plots, and the demo's pictures."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

import nn
from autograd.draw import to_svg
from nn import plots
from nn.draw import draw_network


def test_network_view_of_the_article_network() -> None:
    model = nn.seed_network(seed=0)
    source = draw_network(model, sample=[1.0, 0.0]).source
    assert source.count(" -> ") == 2 * 3 + 3 * 1
    assert source.count("relu") == 3 and source.count("sigmoid") == 1
    assert "a=" in source  # activations of the sample
    negative = sum(w.data < 0 for w in model.parameters() if w.label.startswith("W"))
    assert source.count("#e53935") == negative
    assert "<svg" in to_svg(draw_network(model))
    bundle = model._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and bundle["image/png"].startswith(b"\x89PNG")
    assert bundle["text/plain"].startswith("network view of MLP(2 inputs")


def test_plots_are_written(tmp_path: Path) -> None:
    model = nn.seed_network(seed=0)
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=5, progress=False)
    for path in (
        plots.loss_curve(history, tmp_path / "loss.png"),
        plots.decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=20),
    ):
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 5000


def test_demo_writes_its_pictures(tmp_path: Path) -> None:
    from nn.__main__ import main

    assert main(["--quiet", "--epochs", "5", "--out", str(tmp_path)]) == 0
    for name in ("loss.png", "boundary.png", "graph.svg", "graph.png", "network.svg"):
        assert (tmp_path / name).stat().st_size > 500, name


def test_same_seed_same_pictures(tmp_path: Path) -> None:
    pictures = []
    for run in ("a", "b"):
        model = nn.seed_network(seed=0)
        X, y = nn.data.moons(40, seed=3)
        history = nn.fit(model, X, y, epochs=5, progress=False)
        pictures.append(plots.loss_curve(history, tmp_path / f"loss-{run}.png").read_bytes())
        path = plots.decision_boundary(model, X, y, tmp_path / f"b-{run}.png", resolution=20)
        pictures.append(path.read_bytes())
    assert pictures[0] == pictures[2] and pictures[1] == pictures[3]
