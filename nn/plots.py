"""Training plots with matplotlib (needs the ``viz`` extra).

A plot's words (title, axes, legend) are in the language asked for with
``lang=`` (or the current one, ``autograd.language``). Chinese needs a font
that has it: where matplotlib finds none on the machine (a fresh one has
only DejaVu Sans), the words are English, so that a plot never shows empty
boxes.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd import binary_cross_entropy_with_logits
from autograd.draw import CHINESE_FONTS, MissingExtra, draw
from autograd.language import DEFAULT_LANGUAGE, current_language, text
from nn.draw import draw_network
from nn.evaluate import argmax
from nn.layers import MLP
from nn.train import History, decision_threshold, predict

__all__ = ["MissingExtra", "decision_boundary", "demo_pictures", "loss_curve"]

#: The colours of the two classes (the points, and the regions the model gives each).
CLASS_COLOURS = ("#e53935", "#1e88e5")
#: One colour per class for a model with several outputs (the two above first).
MANY_CLASS_COLOURS = (
    *CLASS_COLOURS,
    "#43a047",
    "#fb8c00",
    "#8e24aa",
    "#00acc1",
    "#6d4c41",
    "#d81b60",
    "#7cb342",
    "#546e7a",
)
# The pictures' words are in the message catalogue (plot.*).


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtra(text("error.plot.needs_matplotlib")) from None
    matplotlib.use("Agg")  # files only, no window
    import matplotlib.pyplot as plt

    return plt


#: Font families that draw Chinese, as matplotlib names them.
CHINESE_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
)


def _words(lang: str | None) -> tuple[str, dict[str, Any]]:
    """The language a plot can write, and the matplotlib settings that write it.

    Chinese when asked for and a font with Chinese is on the machine
    (DejaVu Sans first, for the Latin letters and digits); else English.
    """
    lang = current_language(lang)
    if lang != "zh":
        return lang, {}
    family = _chinese_family()
    if family is None:
        return DEFAULT_LANGUAGE, {}
    return lang, {"font.family": ["DejaVu Sans", family]}


def _chinese_family() -> str | None:
    """A font family matplotlib knows that draws Chinese, or None."""
    from matplotlib import font_manager

    known = {font.name for font in font_manager.fontManager.ttflist}
    for family in CHINESE_FAMILIES:
        if family in known:
            return family
    for name in CHINESE_FONTS:  # a system font file matplotlib has not listed
        if Path(name).is_file():
            font_manager.fontManager.addfont(name)
            return font_manager.FontProperties(fname=name).get_name()
    return None


def _save(plt: Any, figure: Any, path: str | Path) -> Path:
    figure.tight_layout()
    path = Path(path)
    if not path.suffix:  # matplotlib would add .png itself: return the name it writes
        path = path.with_suffix(".png")
    # No software version in the PNG: the same seed gives the same bytes.
    figure.savefig(path, metadata={"Software": None} if path.suffix == ".png" else None)
    plt.close(figure)
    return path


def loss_curve(
    history: History | Sequence[float], path: str | Path, lang: str | None = None
) -> Path:
    """Plot loss and accuracy per epoch to ``path`` (PNG or SVG by its suffix).

    Args:
        history: what ``fit`` returns, or a plain list of losses (no accuracy then).
        path: the file; without a suffix, ``.png`` is added.
        lang: the language of the plot's words (None: the current one; see
            the module's docstring for Chinese without a Chinese font).

    Returns:
        The path written.

    Raises:
        TypeError: if ``history`` is neither a History nor a list of numbers.
    """
    if isinstance(history, History):
        losses, accuracy = history.loss, history.accuracy
    else:
        losses, accuracy = _losses(history), None
    plt = _pyplot()
    lang, settings = _words(lang)
    with plt.rc_context(settings):
        figure, loss_axis = plt.subplots(figsize=(6, 3.5), dpi=100)
        epochs = range(1, len(losses) + 1)
        loss_axis.plot(epochs, losses, color="#1e88e5", label=text("plot.loss", lang))
        loss_axis.set_xlabel(text("plot.epoch", lang))
        loss_axis.set_ylabel(text("plot.loss", lang), color="#1e88e5")
        if accuracy is None:
            loss_axis.set_title(text("plot.title_loss", lang))
        else:
            accuracy_axis = loss_axis.twinx()
            accuracy_axis.plot(epochs, accuracy, color="#43a047", label=text("plot.accuracy", lang))
            accuracy_axis.set_ylabel(text("plot.accuracy", lang), color="#43a047")
            accuracy_axis.set_ylim(0, 1.05)
            loss_axis.set_title(text("plot.title_loss_and_accuracy", lang))
        return _save(plt, figure, path)


def _losses(values: Any) -> list[float]:
    """A plain list of losses, or a TypeError that says what loss_curve takes."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise TypeError(text("error.plot.loss_curve", type=type(values).__name__))
    losses = list(values)
    for i, loss in enumerate(losses):
        if not isinstance(loss, numbers.Real):
            raise TypeError(text("error.plot.loss_curve_item", index=i, given=repr(loss)))
    return [float(loss) for loss in losses]


def decision_boundary(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    path: str | Path,
    resolution: int = 60,
    lang: str | None = None,
) -> Path:
    """Plot the model's decision regions over a grid, with the data points.

    Args:
        model: a model with 2 inputs (the plane drawn): with 1 output the
            regions are shaded by the output, with one output per class
            each point of the plane takes its class's colour (the argmax).
        X: the samples, 2 features each.
        y: one label per sample: the points' colours.
        path: the file (PNG or SVG by its suffix; without one, ``.png`` is added).
        resolution: grid points along each axis.
        lang: the language of the title (None: the current one).

    Returns:
        The path written.

    Raises:
        ValueError: for a model that is not 2 inputs to 1 output, or X and y
            that do not match it.
    """
    # Checked here: the grid the model sees is internal, so its errors would not make sense.
    if model.nin != 2:
        raise ValueError(text("error.plot.boundary_inputs", nin=model.nin))
    classes = model.sizes[-1]
    if classes > len(MANY_CLASS_COLOURS):
        raise ValueError(
            text("error.plot.boundary_outputs", most=len(MANY_CLASS_COLOURS), classes=classes)
        )
    if len(X) == 0:
        raise ValueError(text("error.fit.empty"))
    for i, point in enumerate(X):
        if len(point) != 2:
            raise ValueError(text("error.fit.sample_features", index=i, count=len(point), nin=2))
    if len(y) != len(X):
        raise ValueError(text("error.fit.one_label_per_sample", samples=len(X), labels=len(y)))
    plt = _pyplot()
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    margin = 0.5
    x_min, x_max = min(xs) - margin, max(xs) + margin
    y_min, y_max = min(ys) - margin, max(ys) + margin
    grid_x = [x_min + (x_max - x_min) * i / (resolution - 1) for i in range(resolution)]
    grid_y = [y_min + (y_max - y_min) * j / (resolution - 1) for j in range(resolution)]
    outputs = predict(model, [[gx, gy] for gy in grid_y for gx in grid_x])
    if classes > 1:
        regions = [argmax(out) for out in outputs]
        rows = [regions[j * resolution : (j + 1) * resolution] for j in range(resolution)]
        return _class_regions(plt, (grid_x, grid_y, rows), xs, ys, y, classes, path, lang)
    rows = [outputs[j * resolution : (j + 1) * resolution] for j in range(resolution)]
    lang, settings = _words(lang)
    with plt.rc_context(settings):
        figure, axis = plt.subplots(figsize=(6, 4.5), dpi=100)
        threshold = decision_threshold(model)
        shading = axis.contourf(grid_x, grid_y, rows, levels=20, cmap="RdBu", alpha=0.6)
        axis.contour(grid_x, grid_y, rows, levels=[threshold], colors="black", linewidths=1.5)
        low, high = _class_names(y)
        for name, colour, side in ((low, CLASS_COLOURS[0], False), (high, CLASS_COLOURS[1], True)):
            chosen = [i for i, label in enumerate(y) if (label > 0) == side]
            axis.scatter(
                [xs[i] for i in chosen],
                [ys[i] for i in chosen],
                c=colour,
                edgecolors="black",
                s=30,
                label=text("plot.class_label", lang, label=name),
            )
        boundary = text("plot.boundary_label", lang, threshold=f"{threshold:g}")
        axis.plot([], [], color="black", linewidth=1.5, label=boundary)
        axis.set_xlabel("x1")
        axis.set_ylabel("x2")
        axis.set_title(text("plot.decision_boundary", lang))
        axis.legend(loc="best", fontsize=8, framealpha=0.9)
        bar = figure.colorbar(shading, ax=axis, fraction=0.046, pad=0.04)
        bar.set_label(text("plot.output_label", lang, low=low, high=high), fontsize=8)
        return _save(plt, figure, path)


def _class_regions(
    plt: Any,
    grid: tuple[list[float], list[float], list[list[int]]],
    xs: list[float],
    ys: list[float],
    y: Sequence[float],
    classes: int,
    path: str | Path,
    lang: str | None,
) -> Path:
    """The plane coloured by the class the model picks (its largest output), and the points."""
    colours = MANY_CLASS_COLOURS[:classes]
    lang, settings = _words(lang)
    with plt.rc_context(settings):
        figure, axis = plt.subplots(figsize=(6, 4.5), dpi=100)
        levels = [k - 0.5 for k in range(classes + 1)]  # one band per class
        axis.contourf(*grid, levels=levels, colors=colours, alpha=0.35)
        # Each class's region drawn round on its own: a boundary between classes 0
        # and 2 is one line (a contour of the class numbers would cross 0.5 and 1.5 there).
        grid_x, grid_y, picked = grid
        for k in range(classes):
            inside = [[1.0 if c == k else 0.0 for c in row] for row in picked]
            axis.contour(grid_x, grid_y, inside, levels=[0.5], colors="black", linewidths=1.0)
        for k, colour in enumerate(colours):
            chosen = [i for i, label in enumerate(y) if label == k]
            axis.scatter(
                [xs[i] for i in chosen],
                [ys[i] for i in chosen],
                c=[colour],
                edgecolors="black",
                s=30,
                label=text("plot.class_label", lang, label=k),
            )
        axis.plot([], [], color="black", linewidth=1.0, label=text("plot.argmax_label", lang))
        axis.set_xlabel("x1")
        axis.set_ylabel("x2")
        axis.set_title(text("plot.decision_boundary", lang))
        axis.legend(loc="best", fontsize=8, framealpha=0.9)
        return _save(plt, figure, path)


def _class_names(y: Sequence[float]) -> tuple[str, str]:
    """How the labels write the two classes: ``("0", "1")``, or ``("-1", "1")`` for hinge."""
    negative = any(label < 0 for label in y)
    return ("-1" if negative else "0"), "1"


def demo_pictures(
    model: MLP,
    history: History,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    out: Path,
    sample: int = 0,
) -> list[Path]:
    """The demo's pictures: loss curve, decision boundary, one sample's graph with its
    loss and gradients, the network, and that sample's step-through page."""
    out.mkdir(parents=True, exist_ok=True)
    written = [
        loss_curve(history, out / "loss.png"),
        decision_boundary(model, X, y, out / "boundary.png"),
    ]
    # The sample's loss after backward: the article's names and the gradients
    # the demo prints (the fused BCE's gradient at z2 is ŷ − y, as in the article).
    loss = binary_cross_entropy_with_logits(model.logits(X[sample]), y[sample])
    model.zero_grad()
    loss.backward()
    graph = draw(loss)
    model.zero_grad()
    network = draw_network(model, X[sample])
    written += [
        graph.save(out / "graph.svg"),
        graph.save(out / "graph.png"),
        network.save(out / "network.svg"),
    ]
    if model.sizes[-1] == 1:
        page = model.stepper(x=X[sample], y=y[sample]).page()
        stepper = out / "stepper.html"
        stepper.write_text(page, encoding="utf-8")
        written.append(stepper)
    return written
