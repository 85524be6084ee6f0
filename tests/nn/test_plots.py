"""The network view, training plots, and the demo's pictures."""

from __future__ import annotations

import html
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
    assert source.count('[color="#e53935"') == negative  # one red edge per negative weight
    assert "<svg" in to_svg(draw_network(model))
    bundle = model._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and bundle["image/png"].startswith(b"\x89PNG")
    assert bundle["text/plain"].startswith("network view of MLP(2 inputs")


def test_the_network_view_has_a_key_and_each_weight_at_its_edge(renderer: str) -> None:
    import re

    from nn.draw import NEGATIVE_WEIGHT, POSITIVE_WEIGHT, THINNEST, WIDEST

    model = nn.seed_network(seed=0)
    svg = draw_network(model, sample=[1.0, 0.0]).svg()
    key = svg.split('<g id="gg-network-key">', 1)[1]
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", key)]
    weights = [w.data for layer in model.layers for n in layer.neurons for w in n.w]
    largest = max(abs(w) for w in weights)
    assert texts == [
        "colour: the weight's sign:",
        "w > 0",
        "w < 0",
        "width: its size, |w|:",
        "|w| = 0",
        f"|w| = {largest:.3g}",
        "the number at an edge's head is its weight (also shown on hover)",
        "each neuron: its activation, bias b and output a for x = [1, 0]",
    ]
    strokes = re.findall(r'<line [^>]*stroke="([^"]+)" stroke-width="([^"]+)"', key)
    middle = f"{(THINNEST + WIDEST) / 2:.2f}"
    assert strokes[:2] == [(POSITIVE_WEIGHT, middle), (NEGATIVE_WEIGHT, middle)]
    assert [float(width) for _, width in strokes[2:]] == [THINNEST, WIDEST]
    # Each weight at its edge, and in its tooltip.
    body = svg.split('<g id="gg-network-key">', 1)[0]
    edge_numbers = re.findall(r'font-size="9.00"[^>]*>([^<]*)</text>', body)
    assert sorted(html.unescape(n) for n in edge_numbers) == sorted(f"{w:.2f}" for w in weights)
    assert sorted(re.findall(r'xlink:title="w=([^"]+)"', body)) == sorted(
        f"{w:.3f}".replace("-", "&#45;") for w in weights
    )
    # The widest edge is the largest weight.
    assert max(float(w) for w in re.findall(r'<path [^>]*stroke-width="([^"]+)"', body)) == WIDEST
    height = float(re.search(r'height="([0-9.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    assert all(float(y) < height for y in re.findall(r'<text [^>]* y="([0-9.]+)"', key))


def test_the_network_key_reads_without_a_sample_and_in_the_png() -> None:
    drawing = draw_network(nn.MLP(2, [8, 8, 1], seed=1))
    svg = drawing.svg()
    assert "each neuron: its activation, bias b</text>" in svg  # no sample, no output
    # 88 weights: numbers at the edges would be a thicket; hover shows them.
    assert "hover over an edge to see its weight" in svg and 'font-size="9.00"' not in svg
    assert svg.count('xlink:title="w=') == 2 * 8 + 8 * 8 + 8
    numbered = draw_network(nn.MLP(2, [8, 8, 1], seed=1), numbers=True).svg()
    assert numbered.count('font-size="9.00"') == 88
    assert drawing.png().startswith(b"\x89PNG")


def test_plots_are_written(tmp_path: Path) -> None:
    model = nn.seed_network(seed=0)
    X, y = nn.data.xor()
    history = nn.fit(model, X, y, epochs=5, progress=False)
    for path in (
        plots.loss_curve(history, tmp_path / "loss.png"),
        plots.decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=20),
    ):
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 5000


@pytest.mark.parametrize(
    ("labels", "low"), [([0.0, 1.0, 1.0, 0.0], "0"), ([-1.0, 1.0, 1.0, -1.0], "-1")]
)
def test_the_decision_boundary_names_its_axes_and_its_classes(
    labels: list[float], low: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    real_save = plots._save

    def keep(plt: object, figure: object, path: object) -> Path:
        shown.append(figure)
        return real_save(plt, figure, path)  # type: ignore[arg-type]

    monkeypatch.setattr(plots, "_save", keep)
    model = nn.seed_network(seed=0)
    X, _ = nn.data.xor()
    plots.decision_boundary(model, X, labels, tmp_path / "b.png", resolution=10)
    (figure,) = shown
    axis, bar = figure.axes  # type: ignore[attr-defined]
    assert (axis.get_xlabel(), axis.get_ylabel()) == ("x1", "x2")
    legend = [text.get_text() for text in axis.get_legend().get_texts()]
    assert legend == [f"class y = {low}", "class y = 1", "boundary: output = 0.5"]
    # Each class's points in its colour, and the colour bar says which is which.
    red, blue = (collection.get_facecolor()[0] for collection in axis.collections[-2:])
    assert red[0] > red[2] and blue[2] > blue[0]
    assert bar.get_ylabel() == f"model output ŷ (red: class {low}, blue: class 1)"


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
        (nn.MLP(2, [4, 11]), [[0.0, 1.0]], [1.0], "one output .* this model has 11"),
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


def test_three_classes_colour_the_plane_by_the_largest_output(tmp_path: Path) -> None:
    X, y = nn.data.blobs(n=30, classes=3, seed=1)
    model = nn.MLP(2, [8, 3], seed=0)
    for _ in range(30):
        loss = nn.losses.cross_entropy([model(x) for x in X], y)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    svg = plots.decision_boundary(model, X, y, tmp_path / "three.svg", resolution=12)
    drawn = svg.read_text()
    for colour in plots.MANY_CLASS_COLOURS[:3]:
        assert colour in drawn.lower()
    assert plots.MANY_CLASS_COLOURS[3] not in drawn.lower()
