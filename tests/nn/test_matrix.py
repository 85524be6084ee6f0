"""The article's formulas as matrices beside the stepper: the engine's numbers, cell by cell."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd.engine import topological_order
from autograd.names import fmt, names_of
from autograd.step import steps
from nn.matrix import matrix_view
from tests.autograd.test_stepper import DESKTOP, PHONE, browser, open_page, served  # noqa: F401

#: Networks the playground allows: the article's, and deeper and wider ones.
NETWORKS = [
    ([3, 1], ["relu", "sigmoid"]),
    ([4, 3, 1], ["tanh", "relu", "sigmoid"]),
    ([2, 2, 2, 1], ["sigmoid", "linear", "relu", "sigmoid"]),
    # One output per class: cross-entropy on the softmax.
    ([3, 3], ["relu", "linear"]),
    ([4, 2, 4], ["tanh", "relu", "linear"]),
]


def loss_of(model: nn.MLP, x: list[float], y: float) -> autograd.Value:
    if model.sizes[-1] > 1:
        return autograd.cross_entropy(model.logits(x), int(y))
    return autograd.binary_cross_entropy_with_logits(model.logits(x), y)


def check_cells(model: nn.MLP, x: list[float], y: float) -> dict[str, Any]:
    """Every cell against the engine: its value, its gradient from ``backward()``, its frames."""
    loss = loss_of(model, x, y)
    all_steps = steps(loss)
    view = matrix_view(model, x, loss, all_steps)
    loss.backward()  # the engine's own gradients, on the same graph
    order = topological_order(loss)
    by_name = {name: node for node, name in names_of(order).items()}
    forward_at = {s.node: i for i, s in enumerate(all_steps) if s.phase == "forward"}
    filled_at: dict[autograd.Value, list[int]] = {}
    for i, step in enumerate(all_steps):
        for c in step.contributions:
            filled_at.setdefault(c.parent, []).append(i)
    logits = [z.data for z in loss.operands[: model.sizes[-1]]]
    if len(logits) == 1:
        y_hats = [1.0 / (1.0 + math.exp(-logits[0]))]
    else:
        y_hats = [math.exp(z) / sum(math.exp(v) for v in logits) for z in logits]
    seen_grads = set()
    predictions = []
    for cell in view["cells"]:
        final = cell["texts"][-1][1]
        if cell["kind"] == "number":  # a feature, or the label (one-hot for classes)
            assert final in {fmt(v) for v in [*x, y, 0.0, 1.0]}
            continue
        if cell["kind"] == "slope":
            continue  # checked below, against the closed forms
        node = by_name[cell["name"]]
        if cell["kind"] == "value":
            assert final == fmt(node.data)
            assert cell["lit"] in ([], [forward_at.get(node)])
        elif cell["kind"] == "prediction":
            assert node is loss
            predictions.append(float(final.replace("−", "-")))
        else:
            assert final == fmt(node.grad)
            assert cell["lit"] == filled_at[node] == [t[0] for t in cell["texts"]]
            seen_grads.add(cell["name"])
    # ŷ twice (computed, then in δ = ŷ − y), each class's in its order.
    assert len(predictions) == 2 * len(y_hats)
    assert all(math.isclose(p, q, rel_tol=1e-3) for p, q in zip(predictions, 2 * y_hats))
    # Every parameter's gradient is in the panel.
    assert {p.label for p in model.parameters()} <= seen_grads
    # f′(z) beside each hidden δ: the closed forms of ReLU′, tanh′, σ′.
    slopes = iter(c for c in view["cells"] if c["kind"] == "slope")
    for layer in range(len(model.sizes) - 1, 0, -1):
        activation = model.activations[layer - 1]
        if activation == "linear":
            continue
        for j in range(model.sizes[layer - 1]):
            a = by_name[f"a{layer}[{j}]"].data
            expected = {"relu": 1.0 if a > 0 else 0.0, "tanh": 1 - a * a, "sigmoid": a * (1 - a)}
            assert next(slopes)["texts"][0][1] == fmt(expected[activation])
    return view


@settings(max_examples=25, deadline=None)
@given(
    network=st.sampled_from(NETWORKS),
    seed=st.integers(0, 10_000),
    x=st.lists(st.floats(-3, 3, allow_nan=False), min_size=2, max_size=2),
    y=st.sampled_from([0.0, 1.0]),
)
def test_every_cell_is_the_engines_number(network: Any, seed: int, x: list, y: float) -> None:
    sizes, activations = network
    check_cells(nn.MLP(2, sizes, activations, seed=seed), x, y)


def test_the_articles_network_has_the_articles_formulas() -> None:
    view = check_cells(nn.seed_network(seed=0), [0.5, 1.0], 1.0)
    formulas = [row["formula"] for row in view["rows"] if "formula" in row]
    for formula in ("z¹ = W¹x + b¹", "a¹ = ReLU(z¹)", "δ² = ŷ − y", "∂L/∂W² = δ² (a¹)ᵀ"):
        assert formula in formulas
    assert "δ¹ = (W²)ᵀδ² ⊙ ReLU′(z¹)" in formulas and "∂L/∂W¹ = δ¹ (x)ᵀ" in formulas


def test_a_network_with_a_class_per_output_has_the_softmax_formulas() -> None:
    view = check_cells(nn.MLP(2, [3, 3], ["relu", "linear"], seed=1), [0.5, -1.0], 2)
    formulas = [row["formula"] for row in view["rows"] if "formula" in row]
    assert "ŷ = softmax(z²)" in formulas and "δ² = ŷ − y" in formulas
    (delta,) = [row for row in view["rows"] if row.get("formula") == "δ² = ŷ − y"]
    y_column = delta["terms"][2]
    assert [view["cells"][i]["texts"][-1][1] for (i,) in y_column] == ["0", "0", "1"]  # class 2
    assert "δ¹ = (W²)ᵀδ² ⊙ ReLU′(z¹)" in formulas


def test_a_deeper_network_has_a_delta_per_layer() -> None:
    view = check_cells(nn.MLP(2, [4, 3, 1], ["tanh", "relu", "sigmoid"], seed=3), [1.0, -2.0], 0.0)
    formulas = [row["formula"] for row in view["rows"] if "formula" in row]
    assert "δ²" in " ".join(formulas) and "δ² = (W³)ᵀδ³ ⊙ ReLU′(z²)" in formulas
    assert "δ¹ = (W²)ᵀδ² ⊙ tanh′(z¹)" in formulas
    grads = [c for c in view["cells"] if c["kind"] == "grad" and c["name"].startswith("W1[")]
    assert len({c["name"] for c in grads}) == 8  # ∂L/∂W¹ is 4×2


def test_the_words_come_from_the_catalogue() -> None:
    from autograd.language import text, using_language

    model = nn.seed_network(seed=0)
    for lang in ("en", "zh"):
        with using_language(lang):
            loss = loss_of(model, [0.5, 1.0], 1.0)
            view = matrix_view(model, [0.5, 1.0], loss, steps(loss))
            assert view["heading"] == text("matrix.heading")
            assert view["rows"][0]["heading"] == text("term.forward_pass")
    assert text("matrix.heading", lang="en") != text("matrix.heading", lang="zh")


LIT = """(root) => Array.from(root.querySelectorAll('td.ggm-lit')).map(
  (td) => parseInt(td.getAttribute('data-cell'), 10)).sort((a, b) => a - b)"""


def test_stepping_lights_the_cells_and_a_click_marks_the_node(
    browser: Any,  # noqa: F811
    served: tuple[Path, str],  # noqa: F811
) -> None:
    folder, base = served
    model = nn.MLP(2, [3, 2, 1], ["relu", "tanh", "sigmoid"], seed=1)
    stepper = model.stepper(x=[0.5, -1.0], y=1.0)
    cells = [dict(zip(("name", "texts", "lit", "kind"), c)) for c in stepper.views[0].data["cells"]]
    (folder / "matrix.html").write_text(stepper.page(), encoding="utf-8")
    for viewport in (DESKTOP, PHONE):
        page, errors, foreign = open_page(browser, f"{base}/matrix.html", viewport)
        root = page.locator(".gg-stepper")
        for index in range(len(stepper.frames)):
            assert root.get_attribute("data-current") == str(index)
            expected = sorted(i for i, c in enumerate(cells) if index in c["lit"])
            assert root.evaluate(LIT) == expected
            frame_name = stepper.frames[index]["name"]
            if stepper.steps[index].phase == "forward" and expected:
                # Forward, the lit cell is the value of the node this step computes.
                assert {cells[i]["name"] for i in expected} == {frame_name}
            for i in expected:  # a lit cell shows its number, not "?"
                assert page.inner_text(f'td[data-cell="{i}"]') != "?"
            page.click("[data-act=next]")
        # Clicking a cell marks its node in the graph; clicking it again unmarks it.
        names = names_of(topological_order(stepper.output))
        nodes = {names[node]: node_id for node, node_id in stepper.picture.ids.items()}
        picked = "() => Array.from(document.querySelectorAll('.gg-picked')).map((el) => el.id)"
        for i in (
            next(i for i, c in enumerate(cells) if c["kind"] == "grad" and c["name"] == "W1[2,1]"),
            next(i for i, c in enumerate(cells) if c["kind"] == "value" and c["name"] == "a2[1]"),
        ):
            cell = page.locator(f'td[data-cell="{i}"]')
            cell.scroll_into_view_if_needed()
            cell.click()
            assert page.evaluate(picked) == [nodes[cells[i]["name"]]]
            assert "ggm-picked" in (cell.get_attribute("class") or "")
        cell.click()
        assert page.evaluate(picked) == []
        page.screenshot(path=str(folder / f"matrix-{viewport['width']}.png"), full_page=True)
        assert errors == [] and foreign == []
        page.context.close()


def test_without_javascript_the_panel_shows_the_finished_pass(
    browser: Any,  # noqa: F811
    served: tuple[Path, str],  # noqa: F811
) -> None:
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0)
    cells = stepper.views[0].data["cells"]
    (folder / "still.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/still.html", PHONE, javascript=False)
    # Folded, so that the picture and the steps stay in view; one click unfolds it.
    fold = page.locator(".ggm-fold")
    assert fold.evaluate("(d) => d.open") is False
    fold.locator("summary").click()
    shown = page.locator("td[data-cell]").all_inner_texts()
    assert shown == [
        cells[int(i)][1][-1][1]
        for i in page.locator("td[data-cell]").evaluate_all(
            "(tds) => tds.map((td) => td.getAttribute('data-cell'))"
        )
    ]
    assert "?" not in shown and errors == [] and foreign == []


def test_the_playgrounds_explain_shows_the_matrices_for_its_sample() -> None:
    from nn.play import Playground

    pg = Playground(points=40, resolution=8, hidden=[4, 2], activation="tanh")
    explained = pg.explain(3)
    x, y = explained["x"], explained["y"]
    loss = loss_of(pg.model, x, y)
    view = matrix_view(pg.model, x, loss, steps(loss))
    assert 'class="ggm"' in explained["stepper"]
    assert (
        Path(nn.__file__).with_name("matrix.js").read_text(encoding="utf-8")[:60]
        in explained["stepper"]
    )
    for cell in view["cells"]:  # the page holds this sample's numbers, cell by cell
        assert (cell["texts"][-1][1] if cell["texts"] else "?") in explained["stepper"]


def test_while_the_quiz_asks_the_cells_keep_the_answer_back(
    browser: Any,  # noqa: F811
    served: tuple[Path, str],  # noqa: F811
) -> None:
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0, quiz=True)
    cells = stepper.views[0].data["cells"]
    (folder / "quiz.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/quiz.html", DESKTOP)
    root = page.locator(".gg-stepper")
    # The step that passes the loss's gradient to z²: it fills δ² = ŷ − y.
    index = next(
        i for i, s in enumerate(stepper.steps) if s.contributions and s.node is stepper.output
    )
    page.locator(".gg-slider").fill(str(index))
    assert root.get_attribute("data-asking") == "1"
    lit = root.evaluate(LIT)
    assert lit and all(index in cells[i][2] for i in lit)
    assert {page.inner_text(f'td[data-cell="{i}"]') for i in lit} == {"?"}
    assert errors == [] and foreign == []
