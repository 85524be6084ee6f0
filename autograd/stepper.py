"""The step-through as a web page: in a notebook, or as one self-contained file.

A ``Stepper`` draws the graph ONCE, sized for the final values, and then
shows one frame per step by changing text, fills and highlights only: no
node ever moves, so the eye can follow a gradient from step to step.

* Forward, the inputs and parameters are known from the start and every
  other value appears at its step ("?" until then); the operands it reads
  and the edges they travel are marked.
* Backward, the node passing its gradient on, the edges the gradient
  travels and the parents receiving it are marked; a parent that receives
  a second time shows the running sum, on the graph and in the text.

The frames are data made here in Python (``Stepper.frames``); a small
plain-JavaScript file in this package only shows them. Everything is
inline, nothing is loaded from anywhere, so an exported page works
offline. Without JavaScript (or in an untrusted notebook) the picture of
the finished pass and a table of every step are shown instead.
Needs the ``viz`` extra (Graphviz, to lay the graph out).
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd import hooks
from autograd.draw import (
    OUTPUT_FILL,
    MissingExtra,
    Picture,
    add_key,
    grad_colour,
    picture,
    prediction_of,
    svg_to_png,
    to_svg,
)
from autograd.engine import topological_order
from autograd.expression import build_expression
from autograd.language import (
    HTML_LANG,
    LANGUAGES,
    catalogue,
    current_language,
    text,
    using_language,
)
from autograd.names import fmt, prediction_name, sum_text
from autograd.quiz import (
    ABSOLUTE_TOLERANCE,
    RELATIVE_TOLERANCE,
    answers_table,
    questions,
    tolerance_text,
)
from autograd.step import Step, steps, table
from autograd.value import Value, binary_cross_entropy_with_logits

#: Web step-throughs refuse graphs bigger than this.
MAX_PAGE_NODES = 80

#: The JavaScript that shows the frames (shipped in this package, inlined in every page).
SCRIPT_FILE = Path(__file__).with_name("stepper.js")
#: The language switch of a stepper's own page (``Stepper.page``).
PAGE_SCRIPT_FILE = Path(__file__).with_name("stepper_page.js")


@dataclass
class Panel:
    """A table shown under the stepper that fills in as the pass goes.

    Attributes:
        heading: the table's title.
        formulas: one formula per row.
        numbers: for each frame, the numbers of every row ("" while unknown).
        current: for each frame, the rows that frame's step works on.
    """

    heading: str
    formulas: list[str]
    numbers: list[list[str]]
    current: list[list[int]]


@dataclass
class View:
    """A view shown beside the graph, made by a layer above (``nn``'s matrices, say).

    The engine knows nothing of it: the view and the stepper talk only
    through two DOM events on the stepper's element: ``gg-frame`` (sent
    when a frame is shown; ``detail.index``, ``detail.name``) and
    ``gg-mark`` (sent by the view; ``detail.name`` marks that node).

    Attributes:
        html: its markup, shown under the picture (without JavaScript: as it is).
        data: its data, put in the view as ``<script type="application/json">``.
        script: its JavaScript, run after the stepper's; ``__UID__`` in it
            becomes the stepper element's id.
    """

    html: str
    data: Any = None
    script: str = ""


#: What ``Stepper(panels=...)`` takes: a fixed ``(heading, [(formula, numbers)])``
#: table, a Panel, or a function that makes a Panel from the steps.
PanelSpec = tuple[str, Sequence[tuple[str, str]]] | Panel | Callable[[list[Step]], Panel]


class Stepper:
    """A step-through of ``output``'s forward and backward pass, shown as HTML.

    Args:
        output: the Value to step through.
        title: a heading for the page.
        views: views shown beside the graph (``View``: ``nn`` adds the
            article's formulas as matrices this way).
        panels: tables shown under the graph (``nn`` adds the article's six
            backward formulas this way, filling in as the pass reaches them).
        quiz: start in quiz mode: before each backward step the page pauses
            and asks for the local derivative and the gradient the parent
            receives (and the running sum, for a parent reached twice),
            checks the answers against the engine's numbers, and keeps a
            score. The page has a switch for it either way.
        quiz_forward: ask for each forward step's value too (also a switch).
        lang: the language of the page's words (``"en"`` or ``"zh"``; None:
            the current language, ``autograd.language``).

    Attributes:
        steps: the steps (``autograd.step.steps``).
        frames: one dict per step: what each box says, its fill, and which
            boxes and edges are marked, and what the quiz asks there
            (``autograd.quiz``). The page's script only shows these.
        svg: the one picture every frame restyles.

    Raises:
        ValueError: if the graph has more than ``MAX_PAGE_NODES`` nodes (the
            message says how to step through a part of it).
    """

    def __init__(
        self,
        output: Value,
        title: str | None = None,
        views: Sequence[View] = (),
        panels: Sequence[PanelSpec] = (),
        quiz: bool = False,
        quiz_forward: bool = False,
        lang: str | None = None,
    ) -> None:
        self.lang = current_language(lang)
        order = topological_order(output)
        if len(order) > MAX_PAGE_NODES:
            raise ValueError(
                text(
                    "error.stepper.too_many_nodes",
                    self.lang,
                    count=len(order),
                    limit=MAX_PAGE_NODES,
                )
            )
        self.output = output
        self.title = text("stepper.title", self.lang) if title is None else title
        #: Makes this step-through in another language (``in_language``); whoever
        #: adds views or panels of their own may set it to make theirs too.
        self.maker: Callable[[str], Stepper] = lambda lang: Stepper(
            output, title, views, panels, quiz, quiz_forward, lang
        )
        # Every word made from here on (steps, questions, the picture's key) is in self.lang.
        with using_language(self.lang):
            self._make(order, views, panels, quiz, quiz_forward)

    def _make(
        self,
        order: list[Value],
        views: Sequence[View],
        panels: Sequence[PanelSpec],
        quiz: bool,
        quiz_forward: bool,
    ) -> None:
        output = self.output
        self.views = list(views)
        self.steps: list[Step] = steps(output, self.lang)
        self.panels = [_panel_of(spec, self.steps) for spec in panels]
        self.quiz, self.quiz_forward = bool(quiz), bool(quiz_forward)
        #: What each step asks in quiz mode (None: nothing), in the page's language.
        self.asks = questions(self.steps, forward=True)
        self._start: dict[str, list[str]] = {}  # the boxes before the first step
        #: Why there is no picture ("" when there is one).
        self.missing = ""
        try:
            self._frames_and_picture(order)
        except MissingExtra as error:  # no Graphviz to lay the graph out: the steps alone
            self._frames_without_picture(str(error))

    # -- frames: made once, here ------------------------------------------------

    def _frames_and_picture(self, order: list[Value]) -> None:
        output = self.output
        final: dict[Value, float] = {}
        for step in self.steps:
            for c in step.contributions:
                final[c.parent] = c.grad_after
        final[output] = 1.0
        scale = max((abs(g) for n, g in final.items() if n is not output), default=0.0)
        self.scale = scale
        # Pass 1 makes the frames' texts; the picture is then laid out with the
        # longest text each line ever has, so no box needs to grow later.
        data: dict[Value, str | None] = {n: None if n.operands else fmt(n.data) for n in order}
        grads: dict[Value, float] = {}
        sums: dict[Value, list[float]] = {}
        predicted: dict[Value, bool] = {}
        states = []
        for step in self.steps:
            if step.phase == "forward":
                data[step.node] = fmt(step.node.data)
                if step.node.op == "bce_logits":
                    predicted[step.node] = True
            elif not step.contributions:  # the seed
                grads[output] = 1.0
            else:
                for c in step.contributions:
                    grads[c.parent] = c.grad_after
                    sums.setdefault(c.parent, []).append(c.amount)
            states.append((dict(data), dict(grads), {n: list(v) for n, v in sums.items()}))
        several = {node for node, amounts in sums.items() if len(amounts) > 1}
        probe = picture(output, {n: ["x"] for n in order}, {})  # names and ids only
        self._names, self._ids = probe.names, probe.ids
        texts = [self._box_texts(order, *state, several) for state in states]
        widest = {
            node: [max((t[node][k] for t in texts), key=len) for k in range(len(texts[0][node]))]
            for node in order
        }
        prediction_texts = [self._prediction_texts(state[0], state[1]) for state in states]
        before = {n: None if n.operands else fmt(n.data) for n in order}
        start = self._box_texts(order, before, {}, {}, several)
        start_predictions = self._prediction_texts(before, {})
        widest_prediction = {
            loss: [max((t[loss][k] for t in prediction_texts), key=len) for k in range(2)]
            for loss in prediction_texts[0]
        }
        shown = picture(
            output,
            widest,
            {},
            prediction_fields=widest_prediction,
        )
        self.picture: Picture = shown
        self.svg = _centred(_inline(add_key(to_svg(shown.graph), scale, self._names[output])))
        self.frames = [
            self._frame(i, step, texts[i], prediction_texts[i], states[i][1])
            for i, step in enumerate(self.steps)
        ]
        self._start = {self._ids[n]: lines for n, lines in start.items()}
        for loss, lines in start_predictions.items():
            self._start[shown.predictions[loss][0]] = lines
        # The picture for untrusted notebooks and pages without JavaScript: the finished pass.
        last_texts, last_prediction = texts[-1], prediction_texts[-1]
        self.final_svg = self._finished_svg(last_texts, last_prediction, final)

    def _frames_without_picture(self, reason: str) -> None:
        """The frames' words and tables, for a machine that cannot draw the graph."""
        self.missing = text("stepper.no_picture", self.lang, reason=reason)
        self.picture = None  # type: ignore[assignment]
        self.svg = self.final_svg = ""
        self.frames = [
            {
                "phase": step.phase,
                "node": "",
                "name": step.name,
                "text": step.text,
                "active": [],
                "marked": [],
                "edges": [],
                "boxes": {},
                "fills": {},
                "rows": [panel.current[index] for panel in self.panels],
                "numbers": [panel.numbers[index] for panel in self.panels],
                "quiz": self._ask(index),
            }
            for index, step in enumerate(self.steps)
        ]

    def _box_texts(
        self,
        order: list[Value],
        data: dict[Value, str | None],
        grads: dict[Value, float],
        sums: dict[Value, list[float]],
        several: set[Value],
    ) -> dict[Value, list[str]]:
        names = self._names
        texts = {}
        for node in order:
            lines = [
                f"{names[node]} = {'?' if data[node] is None else data[node]}",
                text("draw.grad", self.lang, grad=fmt(grads[node]) if node in grads else "?"),
            ]
            if node in several:  # the gradient arrives by more than one path
                amounts = sums.get(node, [])
                shown = sum_text(amounts) if amounts else "?"
                lines.append(text("stepper.sum", self.lang, sum=shown))
            texts[node] = lines
        return texts

    def _prediction_texts(
        self, data: dict[Value, str | None], grads: dict[Value, float]
    ) -> dict[Value, list[str]]:
        texts = {}
        for loss in self._ids:
            if loss.op != "bce_logits":
                continue
            y_hat, d_y_hat = prediction_of(loss)
            name = prediction_name(loss, self._names)
            known = data[loss] is not None
            grad = fmt(grads[loss] * d_y_hat) if loss in grads and loss in _received(grads) else "?"
            texts[loss] = [
                f"{name} = {fmt(y_hat) if known else '?'}",
                text("draw.grad", self.lang, grad=grad),
            ]
        return texts

    def _fills(self, grads: dict[Value, float]) -> dict[str, str]:
        fills = {}
        for node, grad in grads.items():
            fill = OUTPUT_FILL if node is self.output else grad_colour(grad, self.scale)
            fills[self._ids[node]] = fill
        for loss, (box, _, _) in self.picture.predictions.items():
            if loss in grads and loss in _received(grads):
                _, d_y_hat = prediction_of(loss)
                fills[box] = grad_colour(grads[loss] * d_y_hat, self.scale)
        return fills

    def _frame(
        self,
        index: int,
        step: Step,
        texts: dict[Value, list[str]],
        prediction_texts: dict[Value, list[str]],
        grads: dict[Value, float],
    ) -> dict[str, Any]:
        shown, ids = self.picture, self.picture.ids
        node = step.node
        boxes = {ids[n]: lines for n, lines in texts.items()}
        for loss, lines in prediction_texts.items():
            boxes[shown.predictions[loss][0]] = lines
        marked: list[str] = []
        edges: list[str] = []
        if node in shown.edges and (step.phase == "forward" or step.contributions):
            edges = [edge for _, edge in shown.edges[node]]
            operands = [x for x in node.operands if isinstance(x, Value)]
            marked = [ids[x] for x in operands]
            if node in shown.predictions:
                box, _, path = shown.predictions[node]
                edges += path
                marked.append(box)
        active = [ids[node]] + ([shown.ops[node]] if node in shown.ops else [])
        if node in shown.predictions and (step.phase == "forward" or step.contributions):
            active.append(shown.predictions[node][1])
        return {
            "phase": step.phase,
            "node": ids[node],
            "name": step.name,
            "text": step.text,
            "active": active,
            "marked": marked,
            "edges": edges,
            "boxes": boxes,
            "fills": self._fills(grads) if step.phase == "backward" else {},
            "rows": [panel.current[index] for panel in self.panels],
            "numbers": [panel.numbers[index] for panel in self.panels],
            "quiz": self._ask(index),
        }

    def _ask(self, index: int) -> dict[str, Any] | None:
        ask = self.asks[index]
        return None if ask is None else ask.as_data()

    def _finished_svg(
        self,
        texts: dict[Value, list[str]],
        prediction_texts: dict[Value, list[str]],
        final: dict[Value, float],
    ) -> str:
        """The picture with every value and gradient filled in (the last frame, unmarked)."""
        svg = self.svg
        boxes = {self._ids[n]: lines for n, lines in texts.items()}
        for loss, lines in prediction_texts.items():
            boxes[self.picture.predictions[loss][0]] = lines
        fills = self._fills(final)
        return _restyle(svg, boxes, fills)

    # -- pages ----------------------------------------------------------------

    def text(self) -> str:
        """The whole pass as text (what a terminal or a plain-text display shows)."""
        return f"{self.title}\n{table(self.steps, lang=self.lang)}"

    def html(self, uid: str | None = None) -> str:
        """The stepper as an HTML fragment (what a notebook shows).

        Args:
            uid: the element id its script looks itself up by. By default a
                new random one on every call, so a notebook that shows the
                same stepper twice (or two notebooks open side by side) gets
                two independent steppers.
        """
        uid = uid or "gg-" + secrets.token_hex(8)
        nodes = {self._names[n]: i for n, i in self._ids.items()} if self.final_svg else {}
        lang = self.lang
        words = {
            k: v
            for k, v in catalogue(lang).items()
            if k.startswith(("quiz.", "stepper.", "step.phase."))
        }
        quiz = {
            "on": self.quiz,
            "forward": self.quiz_forward,
            "tolerance": [ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE],
            "stated": tolerance_text(lang),
            "start": self._start,
        }
        payload = json_for_script(
            {
                "frames": self.frames,
                "panels": len(self.panels),
                "nodes": nodes,
                "quiz": quiz,
                "words": words,
            }
        )
        panels = "".join(_panel_html(panel, i) for i, panel in enumerate(self.panels))
        script = SCRIPT_FILE.read_text(encoding="utf-8")
        return (
            f'<div class="gg-stepper" id="{uid}" data-current="{len(self.steps) - 1}">{_STYLE}'
            f'<div class="gg-title">{html.escape(self.title)}</div>'
            '<div class="gg-ui"></div>'
            '<div class="gg-now" aria-live="polite"></div>'
            '<div class="gg-quiz"></div>'
            f"{self._quiz_fallback()}"
            f"{self._view_html()}{self._views_html()}"
            f'<div class="gg-panels">{panels}</div>'
            '<details class="gg-all" open>'
            f"<summary>{html.escape(words['stepper.whole_pass'])}</summary>"
            f'<p class="gg-nojs">{html.escape(words["stepper.needs_js"])}</p>'
            f"{_steps_table(self.steps, words)}</details>"
            f'<script type="application/json" class="gg-data">{payload}</script>'
            f"<script>{script.replace('__UID__', uid)}</script>"
            + "".join(f"<script>{v.script.replace('__UID__', uid)}</script>" for v in self.views)
            + "</div>"
        )

    def _views_html(self) -> str:
        return "".join(
            f'<div class="gg-beside">{view.html}<script type="application/json" '
            f'class="gg-beside-data">{json_for_script(view.data)}</script></div>'
            for view in self.views
        )

    def _quiz_fallback(self) -> str:
        """Without JavaScript, a quiz page says the quiz needs it and shows its answers."""
        if not self.quiz:
            return ""
        words = catalogue(self.lang)
        rows = "".join(
            f"<tr><td>{number}</td><td>{html.escape(label)}</td><td>{html.escape(shown)}</td></tr>"
            for number, label, shown in answers_table(self.asks)
            if self.quiz_forward or self.steps[number - 1].phase == "backward"
        )
        head = "".join(
            f"<th>{html.escape(words[f'quiz.column.{k}'])}</th>"
            for k in ("step", "question", "answer")
        )
        return (
            f'<div class="gg-quiz-nojs"><p>{html.escape(words["quiz.needs_js"])}</p>'
            f'<div class="gg-scroll"><table class="gg-answers"><tr>{head}</tr>{rows}'
            "</table></div></div>"
        )

    def _view_html(self) -> str:
        """The picture of the finished pass (its script makes it live), or why there is none."""
        if not self.final_svg:
            return f'<div class="gg-view gg-missing">{html.escape(self.missing)}</div>'
        encoded = base64.b64encode(self.final_svg.encode("utf-8")).decode("ascii")
        width, height = _size_px(self.final_svg)
        alt = html.escape(text("stepper.picture_alt", self.lang, name=self._names[self.output]))
        return (
            f'<div class="gg-view"><img class="gg-still" alt="{alt}" width="{width}" '
            f'height="{height}" src="data:image/svg+xml;base64,{encoded}"></div>'
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        """What Jupyter shows: the interactive stepper when the notebook is trusted;
        otherwise the picture of the finished pass and the steps as text.

        Without the viz extra's PNG converter the PNG is left out, and
        without Graphviz the picture: the steps are all there either way.
        """
        bundle = {"text/html": self.html(), "text/plain": self.text()}
        if self.final_svg:
            bundle["image/svg+xml"] = self.final_svg
            # No PNG converter: a trusted notebook shows the SVG, an untrusted one the text.
            with contextlib.suppress(MissingExtra):
                bundle["image/png"] = svg_to_png(self.final_svg)  # type: ignore[assignment]
        return bundle

    def in_language(self, lang: str) -> Stepper:
        """The same step-through with its words in ``lang`` (``"en"`` or ``"zh"``)."""
        return self if current_language(lang) == self.lang else self.maker(lang)

    def page(self) -> str:
        """A complete, self-contained HTML page (the same bytes for the same graph).

        It opens in the stepper's language; a switch shows it in the others
        (each kept in the page, made in Python like the first).
        """
        options = "".join(
            f'<option value="{code}"{" selected" if code == self.lang else ""}>{name}</option>'
            for code, name in LANGUAGES.items()
        )
        others = "".join(
            f'<template data-lang="{code}" data-html-lang="{HTML_LANG[code]}" '
            f'data-title="{html.escape(version.title)}" '
            f'data-switch="{html.escape(text("language.switch", code))}">'
            f"{version.html(uid='gg-stepper')}</template>"
            for code in LANGUAGES
            if code != self.lang
            for version in [self.in_language(code)]
        )
        script = PAGE_SCRIPT_FILE.read_text(encoding="utf-8")
        return (
            f'<!DOCTYPE html>\n<html lang="{HTML_LANG[self.lang]}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.title)}</title></head>"
            '<body style="font-family: sans-serif; margin: 8px">'
            f'<label class="gg-language" data-lang="{self.lang}" '
            'style="display: block; text-align: right; margin-bottom: 4px">'
            f"<span>{html.escape(text('language.switch', self.lang))}</span> "
            f"<select>{options}</select></label>"
            f"{self.html(uid='gg-stepper')}{others}<script>{script}</script></body></html>\n"
        )


def _received(grads: dict[Value, float]) -> set[Value]:
    """The fused losses whose gradient has been passed on (their ŷ has a gradient)."""
    return {n for n in grads for c in n.operands if isinstance(c, Value) and c in grads}


def _panel_of(spec: PanelSpec, all_steps: list[Step]) -> Panel:
    if isinstance(spec, Panel):
        return spec
    if callable(spec):
        return spec(all_steps)
    heading, rows = spec
    numbers = [numbers for _, numbers in rows]
    return Panel(
        heading,
        [formula for formula, _ in rows],
        [numbers for _ in all_steps],
        [[] for _ in all_steps],
    )


def _panel_html(panel: Panel, index: int) -> str:
    body = "".join(
        f'<tr data-row="{row}"><td>{html.escape(formula)}</td><td>{html.escape(numbers)}</td></tr>'
        for row, (formula, numbers) in enumerate(zip(panel.formulas, panel.numbers[-1]))
    )
    return (
        f'<div class="gg-panel" data-panel="{index}">'
        f'<div class="gg-title">{html.escape(panel.heading)}</div>'
        f'<div class="gg-scroll"><table>{body}</table></div></div>'
    )


def _steps_table(all_steps: list[Step], words: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><td>{number}</td><td>{html.escape(words[f'step.phase.{step.phase}'])}</td>"
        f'<td class="gg-text">{html.escape(step.text)}</td></tr>'
        for number, step in enumerate(all_steps, start=1)
    )
    head = "".join(
        f"<th>{html.escape(words[f'stepper.column.{k}'])}</th>" for k in ("number", "pass", "step")
    )
    return f'<div class="gg-scroll"><table class="gg-table"><tr>{head}</tr>{rows}</table></div>'


def json_for_script(data: Any) -> str:
    """``data`` as JSON to put inside a ``<script>`` block of a page.

    ``</script>`` or ``<!--`` in a label must not end the block, so ``<``,
    ``>`` and ``&`` are escaped; nan and inf are refused (``ValueError``):
    JSON has no such numbers, and a browser's ``JSON.parse`` would fail.
    Every page glassgrad writes (the stepper, the playground) uses it.
    """
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
    )


def _inline(svg: str) -> str:
    """Drop the XML prologue and comments: the SVG goes inside a page."""
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)


def _centred(svg: str) -> str:
    # Text that changes frame by frame stays centred in its box (Graphviz
    # centres each line already; this makes sure no renderer anchors it left).
    return svg.replace('text-anchor="start"', 'text-anchor="middle"')


def _size_px(svg: str) -> tuple[int, int]:
    match = re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    if match is None:
        return 800, 600
    return round(float(match.group(1)) * 4 / 3), round(float(match.group(2)) * 4 / 3)


def _restyle(svg: str, boxes: dict[str, list[str]], fills: dict[str, str]) -> str:
    """The SVG with new text lines and fills in the given boxes (by Graphviz id)."""

    def box(match: re.Match[str]) -> str:
        group, node_id = match.group(0), match.group(1)
        if node_id in fills:
            group = re.sub(
                r'(<(?:polygon|path) fill=")[^"]*"', rf'\g<1>{fills[node_id]}"', group, count=1
            )
        lines = iter(boxes.get(node_id, []))

        def line(text: re.Match[str]) -> str:
            new = next(lines, None)
            return text.group(0) if new is None else text.group(1) + html.escape(new) + "</text>"

        return re.sub(r"(<text[^>]*>)[^<]*</text>", line, group)

    return re.sub(r'<g id="([^"]+)" class="node">.*?</g>', box, svg, flags=re.S)


def export_html(target: Any, path: str | Path, **options: Any) -> Path:
    """Write the stepper for a Value, or for a model, as one self-contained HTML file.

    Args:
        target: a Value, or an object with a ``stepper(**options)`` method
            (an ``nn.MLP``: its loss on one sample, with the article's
            layer-by-layer formulas).
        path: the file to write.
        options: passed to ``target.stepper`` (for a model: ``x``, ``y``).
    """
    if isinstance(target, Value):
        stepper = Stepper(target)
    elif hasattr(target, "stepper"):
        stepper = target.stepper(**options)
    else:
        raise TypeError(text("error.stepper.export_html", type=type(target).__name__))
    path = Path(path)
    path.write_text(stepper.page(), encoding="utf-8")
    return path


# Exercise sets: a teacher's list of expressions and models, each a quiz.

#: The exercise sets shipped with glassgrad (in ``autograd/exercises/``), by name.
SHIPPED_EXERCISES = ("article", "reuse", "neuron")
_EXERCISE_FOLDER = Path(__file__).with_name("exercises")
_SET_FIELDS = ("glassgrad", "version", "title", "description", "exercises")
_EXERCISE_FIELDS = ("title", "expression", "values", "model", "x", "y", "forward")
_MODEL_FIELDS = ("inputs", "sizes", "activations", "seed")


@dataclass
class Exercise:
    """One exercise of a set: an expression with its values, or a model on one sample.

    Attributes:
        title: its title, in the set's language.
        output: the Value to step through (built, checked, when the file was read).
        forward: whether the quiz asks for the forward values too.
        model: the model (an ``nn.MLP``) for a model exercise, else None.
        x, y: the model exercise's sample.
    """

    title: str
    output: Value
    forward: bool = False
    model: Any = None
    x: list[float] | None = None
    y: float | None = None

    def stepper(self) -> Stepper:
        """The exercise as a stepper in quiz mode."""
        if self.model is not None:
            return self.model.stepper(self.x, self.y, quiz=True, quiz_forward=self.forward)
        return Stepper(self.output, title=self.title, quiz=True, quiz_forward=self.forward)


@dataclass
class ExerciseSet:
    """A set of exercises read from a file (``exercises(path)``).

    Iterate over it for its ``Exercise`` objects; ``set[i].stepper()`` is a quiz.
    """

    name: str
    title: str
    description: str
    items: list[Exercise]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Exercise:
        return self.items[index]

    def __iter__(self) -> Any:
        return iter(self.items)

    def listing(self) -> dict[str, Any]:
        """The set as data for a page that lists it: name, title, description, titles."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "exercises": [item.title for item in self.items],
        }


def exercises(path: str | Path, lang: str | None = None) -> ExerciseSet:
    """Open an exercise set: a JSON file a teacher writes, or a shipped set by name.

    The file is one JSON object::

        {"glassgrad": "exercises", "version": 1,
         "title": "Reuse", "description": "...",
         "exercises": [
           {"title": "x times x", "expression": "x*x", "values": {"x": 3}},
           {"title": "The article's network",
            "model": {"inputs": 2, "sizes": [3, 1], "activations": ["relu", "sigmoid"],
                      "seed": 0},
            "x": [0.5, 1.0], "y": 1, "forward": true}]}

    A title or description may also be ``{"en": "...", "zh": "..."}``: the
    text in ``lang`` (or the current language) is taken. Expressions are
    parsed safely (``autograd.expression``), never run as code.

    Args:
        path: the file, or the name of a shipped set (``SHIPPED_EXERCISES``).
        lang: the language of the titles (None: the current one).

    Raises:
        ValueError: if the file is missing or not JSON, or an entry is wrong:
            the message names the file and the entry, and says what to change.
    """
    lang = current_language(lang)
    if isinstance(path, str) and path in SHIPPED_EXERCISES:
        path = _EXERCISE_FOLDER / f"{path}.json"
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ValueError(text("error.exercises.cannot_read", path=path, problem=problem)) from None
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise ValueError(text("error.exercises.not_json", path=path, problem=error)) from None
    return _exercise_set(data, path, lang)


def exercise_sets(lang: str | None = None) -> list[ExerciseSet]:
    """The exercise sets shipped with glassgrad, opened."""
    return [exercises(name, lang) for name in SHIPPED_EXERCISES]


def _exercise_set(data: Any, path: Path, lang: str) -> ExerciseSet:
    def wrong(key: str, **fields: Any) -> ValueError:
        return ValueError(text("error.exercises.in_file", path=path, problem=text(key, **fields)))

    if not isinstance(data, dict) or data.get("glassgrad") != "exercises":
        raise wrong("error.exercises.not_a_set")
    _known_fields(data, _SET_FIELDS, wrong)
    if data.get("version") != 1:
        raise wrong("error.exercises.version", version=json.dumps(data.get("version")))
    title = _words(data.get("title", path.stem), lang, "title", wrong)
    description = _words(data.get("description", ""), lang, "description", wrong)
    entries = data.get("exercises")
    if not isinstance(entries, list) or not entries:
        raise wrong("error.exercises.no_list")
    items = []
    for number, entry in enumerate(entries, start=1):
        try:
            items.append(_exercise(entry, lang))
        except (ValueError, TypeError) as error:
            named = entry.get("title") if isinstance(entry, dict) else None
            if isinstance(named, dict):
                named = named.get(lang) or next(iter(named.values()), None)
            shown = f" ({named})" if isinstance(named, str) else ""
            raise ValueError(
                text("error.exercises.entry", path=path, number=number, title=shown, problem=error)
            ) from None
    return ExerciseSet(path.stem, title, description, items)


def _known_fields(data: dict, known: Sequence[str], wrong: Callable[..., Exception]) -> None:
    for key in data:
        if key not in known:
            raise wrong(
                "error.exercises.unknown_field", field=json.dumps(key), known=", ".join(known)
            )


def _words(value: Any, lang: str, field: str, wrong: Callable[..., Exception]) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return value.get(lang) or value.get("en") or next(iter(value.values()))
    raise wrong("error.exercises.words", field=field)


def _problem(key: str, **fields: Any) -> ValueError:
    return ValueError(text(key, **fields))


def _exercise(entry: Any, lang: str) -> Exercise:
    if not isinstance(entry, dict):
        raise _problem("error.exercises.not_an_entry", got=type(entry).__name__)
    for key in entry:
        if key not in _EXERCISE_FIELDS:
            raise _problem(
                "error.exercises.unknown_field",
                field=json.dumps(key),
                known=", ".join(_EXERCISE_FIELDS),
            )
    forward = entry.get("forward", False)
    if not isinstance(forward, bool):
        raise _problem("error.exercises.forward")
    has_expression, has_model = "expression" in entry, "model" in entry
    if has_expression == has_model:
        raise _problem("error.exercises.kind")
    if has_expression:
        expression, values = entry["expression"], entry.get("values", {})
        if not isinstance(expression, str):
            raise _problem("error.exercises.expression")
        if not isinstance(values, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
        ):
            raise _problem("error.exercises.values")
        output = build_expression(expression, values)
        title = _title(entry, lang, expression)
        _small_enough(output)
        return Exercise(title, output, forward)
    model = _model(entry["model"])
    x, y = entry.get("x"), entry.get("y")
    if not isinstance(x, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in x
    ):
        raise _problem("error.exercises.sample_x")
    if len(x) != model.nin:
        raise _problem("error.exercises.sample_length", inputs=model.nin, got=len(x))
    if isinstance(y, bool) or not isinstance(y, int | float) or not 0 <= y <= 1:
        raise _problem("error.exercises.sample_y", got=json.dumps(y))
    if model.sizes[-1] != 1:
        raise _problem("error.exercises.one_output")
    sample = [float(v) for v in x]
    loss = binary_cross_entropy_with_logits(model.logits(sample), float(y))
    _small_enough(loss)
    return Exercise(_title(entry, lang, f"x = {x}, y = {y}"), loss, forward, model, sample, y)


def _model(spec: Any) -> Any:
    if not isinstance(spec, dict) or "inputs" not in spec or "sizes" not in spec:
        raise _problem("error.exercises.model")
    for key in spec:
        if key not in _MODEL_FIELDS:
            raise _problem(
                "error.exercises.unknown_field",
                field=json.dumps(key),
                known=", ".join(_MODEL_FIELDS),
            )
    seed = spec.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise _problem("error.exercises.seed")
    # The network is nn's (the layer above the engine, where this module must
    # not reach by import): nn plugs its MLP into this hook when it is imported.
    if "exercises.model" not in hooks.VIEWS:
        raise _problem("error.exercises.needs_nn")
    return hooks.call(
        "exercises.model",
        spec["inputs"],
        spec["sizes"],
        activations=spec.get("activations"),
        seed=seed,
    )


def _title(entry: dict, lang: str, default: str) -> str:
    def wrong(key: str, **fields: Any) -> ValueError:
        return _problem(key, **fields)

    return _words(entry.get("title", default), lang, "title", wrong)


def _small_enough(output: Value) -> None:
    count = len(topological_order(output))
    if count > MAX_PAGE_NODES:
        raise _problem("error.exercises.too_big", count=count, limit=MAX_PAGE_NODES)


_STYLE = """<style>
.gg-stepper { font-family: sans-serif; font-size: 15px; border: 1px solid #cfd8dc;
  border-radius: 6px; padding: 8px; max-width: 100%; box-sizing: border-box; }
.gg-stepper:focus-within { outline: 2px solid #90caf9; }
.gg-stepper .gg-title { font-weight: bold; margin: 4px 0 8px; }
.gg-stepper .gg-ui { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.gg-stepper button, .gg-stepper select { min-height: 36px; min-width: 40px; font-size: 15px;
  padding: 4px 10px; cursor: pointer; }
.gg-stepper .gg-slider { flex: 1 1 160px; min-width: 120px; height: 32px; }
.gg-stepper .gg-count { min-width: 5em; }
.gg-stepper .gg-steady { display: inline-grid; align-items: center; justify-items: center; }
.gg-stepper .gg-now .gg-steady { display: grid; justify-items: start; }
.gg-stepper .gg-steady > span { grid-area: 1 / 1; }
.gg-stepper .gg-ghost { visibility: hidden; }
.gg-stepper .gg-now { margin: 8px 0; }
.gg-stepper .gg-phase { color: #455a64; font-size: 14px; }
.gg-stepper .gg-formula { background: #f5f7f8; padding: 8px; margin: 4px 0;
  white-space: pre-wrap; font-size: 15px; font-family: monospace; overflow-x: auto; }
.gg-stepper .gg-view { overflow: auto; max-height: 80vh; border: 1px solid #eceff1;
  touch-action: pan-x pan-y; }
.gg-stepper .gg-view img, .gg-stepper .gg-view svg { display: block; max-width: none; }
.gg-stepper .gg-view.gg-missing { padding: 8px; color: #455a64; }
.gg-stepper .gg-scroll { overflow-x: auto; }
.gg-stepper table { border-collapse: collapse; margin-top: 6px; }
.gg-stepper td, .gg-stepper th { border: 1px solid #cfd8dc; padding: 4px 8px;
  font-family: monospace; font-size: 14px; text-align: left; vertical-align: top; }
.gg-stepper .gg-text { white-space: pre-wrap; }
.gg-stepper tr.gg-row-now td { background: #fff3e0; font-weight: bold; }
.gg-stepper .gg-active > polygon, .gg-stepper .gg-active > ellipse,
.gg-stepper .gg-active > path { stroke: #e65100; stroke-width: 3px; }
.gg-stepper .gg-marked > polygon, .gg-stepper .gg-marked > ellipse,
.gg-stepper .gg-marked > path { stroke: #6a1b9a; stroke-width: 3px; }
.gg-stepper .gg-picked > polygon, .gg-stepper .gg-picked > ellipse,
.gg-stepper .gg-picked > path { stroke: #0277bd; stroke-width: 4px; stroke-dasharray: 6 3; }
.gg-stepper .gg-hot > path { stroke: #e65100; stroke-width: 2.5px; }
.gg-stepper .gg-hot > polygon { stroke: #e65100; fill: #e65100; }
.gg-stepper .gg-legend { font-size: 14px; color: #455a64; margin: 4px 0; }
.gg-stepper .gg-legend b.a { color: #e65100; } .gg-stepper .gg-legend b.m { color: #6a1b9a; }
.gg-stepper .gg-quizbar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap;
  margin: 6px 0; font-size: 15px; }
.gg-stepper .gg-quizbar input { width: 20px; height: 20px; vertical-align: middle; }
.gg-stepper .gg-score { font-weight: bold; }
.gg-stepper .gg-quiz { background: #fffde7; border: 1px solid #ffe082; border-radius: 4px;
  padding: 6px 8px; margin: 4px 0 8px; }
.gg-stepper .gg-quiz .gg-steady { justify-items: start; }
.gg-stepper .gg-quiz div.gg-steady { display: grid; }
.gg-stepper .gg-q-label { min-width: 12em; }
.gg-stepper .gg-q-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
  margin: 4px 0; font-family: monospace; }
.gg-stepper .gg-q-input { font-size: 16px; min-height: 36px; width: 9em; padding: 2px 6px; }
.gg-stepper .gg-q-right .gg-q-mark { color: #2e7d32; font-weight: bold; }
.gg-stepper .gg-q-wrong .gg-q-mark { color: #c62828; font-weight: bold; }
.gg-stepper .gg-q-buttons { display: flex; gap: 6px; margin: 4px 0; }
.gg-stepper .gg-q-rule { font-family: monospace; white-space: pre-wrap; }
.gg-stepper .gg-q-hint { white-space: pre-wrap; color: #4527a0; }
.gg-stepper .gg-q-tolerance { font-size: 13px; color: #546e7a; margin-top: 4px; }
.gg-stepper .gg-answers td:nth-child(2) { font-family: monospace; }
@media (max-width: 600px) {
  .gg-stepper button, .gg-stepper select { min-height: 44px; min-width: 44px; }
  .gg-stepper .gg-slider { flex-basis: 100%; }
}
</style>"""
