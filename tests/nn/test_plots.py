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


def test_demo_writes_its_pictures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autograd.names import fmt
    from nn.__main__ import main

    assert main(["--quiet", "--epochs", "5", "--out", str(tmp_path)]) == 0
    for name in ("loss.png", "boundary.png", "graph.svg", "graph.png", "network.svg"):
        assert (tmp_path / name).stat().st_size > 500, name
    # The sample's graph names nodes as the article does and shows the printed gradients.
    graph = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    for name in ("x1 = ", "z1[0] = ", "a1[2] = ", "z2 = ", "ŷ = ", "L = ", "W1·x + b1"):
        assert name in graph, name
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    rows = [row for row in printed if row and row[0].startswith(("W1[", "W2[", "b1[", "b2["))]
    assert len(rows) == 13
    for row in rows:
        name, engine = row[0], float(row[1])
        if name.startswith("W2["):  # printed as a vector, drawn as the 1×3 matrix it is
            name = f"W2[0,{name[3]}]"
        assert f"{name} = " in graph and f"grad {fmt(engine)}" in graph, name
    assert "needs JavaScript" in (tmp_path / "stepper.html").read_text(encoding="utf-8")


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


def test_a_path_without_a_suffix_returns_the_png_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    model = nn.seed_network(seed=0)
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=3, progress=False)
    curve = plots.loss_curve(history, "curve")
    boundary = plots.decision_boundary(model, X, y, tmp_path / "boundary", resolution=10)
    assert curve == Path("curve.png") and boundary == tmp_path / "boundary.png"
    for path in (curve, boundary):
        assert path.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boundary.png", "curve.png"]


def test_loss_curve_takes_a_plain_list_of_losses(tmp_path: Path) -> None:
    history = nn.fit(nn.seed_network(seed=0), *nn.data.xor(), epochs=3, progress=False)
    path = plots.loss_curve(history.loss, tmp_path / "loss.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert plots.loss_curve([0.7, 0.5, 0.25], tmp_path / "list.svg").suffix == ".svg"
    for bad in (0.5, "loss", [0.7, "0.5"]):
        with pytest.raises(TypeError, match="the History that fit returns, or a list of losses"):
            plots.loss_curve(bad, tmp_path / "bad.png")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("model", "X", "y", "message"),
    [
        (nn.MLP(3, [4, 1]), [[0.0, 1.0, 2.0]], [1.0], "plane of 2 inputs; this model takes 3"),
        (nn.MLP(2, [4, 2]), [[0.0, 1.0]], [1.0], "one output .* this model has 2"),
        (nn.MLP(2, [4, 1]), [[0.0, 1.0], [1.0, 0.0]], [1.0], "X has 2 samples but y has 1"),
        (nn.MLP(2, [4, 1]), [[0.0, 1.0, 2.0]], [1.0], "sample 0 of X has 3 features"),
        (nn.MLP(2, [4, 1]), [], [], "X is empty"),
    ],
)
def test_decision_boundary_says_what_it_needs(
    tmp_path: Path, model: nn.MLP, X: list[list[float]], y: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plots.decision_boundary(model, X, y, tmp_path / "b.png", resolution=5)
    assert not (tmp_path / "b.png").exists()


def test_the_network_views_words_follow_the_language() -> None:
    model = nn.seed_network(seed=0)
    chinese = draw_network(model, sample=[1.0, 0.0], lang="zh")
    assert chinese.description.startswith("MLP(2 inputs -> 3 relu, 1 sigmoid) 的网络图")
    assert "  第 1 层第 0 个神经元：relu，w = [" in chinese.description
    assert chinese.source == draw_network(model, sample=[1.0, 0.0]).source


@pytest.mark.parametrize("font", ["a font with Chinese", "no such font"])
def test_chinese_plots_never_show_empty_boxes(
    font: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warnings

    if font == "no such font":
        monkeypatch.setattr(plots, "_chinese_family", lambda: None)
        assert plots._words("zh") == ("en", {})  # the words fall back to English
    elif plots._chinese_family() is None:
        pytest.skip("no font that draws Chinese on this machine (fonts-wqy-microhei has one)")
    else:
        lang, settings = plots._words("zh")
        assert lang == "zh" and settings["font.family"][0] == "DejaVu Sans"
    model = nn.seed_network(seed=0)
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=3, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would be one
        plots.loss_curve(history, tmp_path / "loss.png", lang="zh")
        plots.decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=10, lang="zh")
    assert plots._words("en") == ("en", {})
