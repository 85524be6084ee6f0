"""The step-through as a web page: in a notebook, or as one self-contained file.

A ``Stepper`` shows one frame per step: the graph with the current node
highlighted and the gradients known so far, and the step's formula with
its numbers. Previous / next / play buttons, a slider and the arrow keys
move through the frames. Everything is inline: SVG frames and a little
plain JavaScript, no widget library and no network, so an exported file
opens offline in any browser. Needs the ``viz`` extra (for the SVGs).
"""

from __future__ import annotations

import html
import json
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd.draw import draw, to_svg
from autograd.engine import topological_order
from autograd.step import Step, names_of, steps
from autograd.value import Value

#: Web step-throughs refuse graphs bigger than this (each frame is a picture).
MAX_PAGE_NODES = 80


class Stepper:
    """A step-through of ``output``'s forward and backward pass, shown as HTML.

    Args:
        output: the Value to step through.
        title: a heading for the page.
        panels: extra ``(heading, rows)`` tables shown under the stepper,
            each row a ``(formula, numbers)`` pair (``nn`` adds the
            article's layer-level formulas this way).

    Raises:
        ValueError: if the graph has more than ``MAX_PAGE_NODES`` nodes (the
            message says how to step through a part of it).
    """

    def __init__(
        self,
        output: Value,
        title: str = "Step through a pass",
        panels: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
    ) -> None:
        order = topological_order(output)
        if len(order) > MAX_PAGE_NODES:
            raise ValueError(
                f"this graph has {len(order)} nodes, more than {MAX_PAGE_NODES} for a web "
                "step-through. Step through a part: pass an intermediate Value (one neuron's "
                "output, say), or use autograd.step.steps() for the text version"
            )
        self.output = output
        self.title = title
        self.panels = list(panels)
        self.steps: list[Step] = steps(output)
        ids = {node: f"v{i}" for i, node in enumerate(order)}
        self.highlighted = [ids[step.node] for step in self.steps]
        node_by_name = {name: node for node, name in names_of(order).items()}
        self.frames = [self._frame(step, node_by_name) for step in self.steps]

    def _frame(self, step: Step, node_by_name: dict[str, Value]) -> str:
        grads = {node_by_name[name]: value for name, value in step.grads.items()}
        graph = draw(self.output, highlight=[step.node], grads=grads, color_by_grad=True)
        svg = to_svg(graph)
        return svg[svg.index("<svg") :]  # drop the XML prologue: the SVG goes inline

    def html(self, uid: str | None = None) -> str:
        """The stepper as an HTML fragment (what a notebook shows).

        Args:
            uid: the element id its script looks itself up by. By default a
                new random one on every call, so a notebook that shows the
                same stepper twice (or two notebooks open side by side) gets
                two independent steppers.
        """
        uid = uid or "gg-" + secrets.token_hex(8)
        data = [
            {"phase": step.phase, "text": step.text, "node": node}
            for step, node in zip(self.steps, self.highlighted)
        ]
        payload = (
            json.dumps({"steps": data}, ensure_ascii=False)
            .replace("&", "\\u0026")
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
        )
        frames = "".join(
            f'<div class="gg-frame" data-node="{node}"{"" if i == 0 else " hidden"}>{svg}</div>'
            for i, (svg, node) in enumerate(zip(self.frames, self.highlighted))
        )
        panels = "".join(_panel(heading, rows) for heading, rows in self.panels)
        last = len(self.steps) - 1
        return (
            f'<div class="gg-stepper" id="{uid}">{_STYLE}'
            f'<div class="gg-title">{html.escape(self.title)}</div>'
            '<div class="gg-controls">'
            '<button type="button" data-act="prev">◀ Previous</button>'
            '<button type="button" data-act="play">▶ Play</button>'
            '<button type="button" data-act="next">Next ▶</button>'
            f'<input type="range" class="gg-slider" min="0" max="{last}" value="0" '
            'aria-label="step">'
            f'<span class="gg-count">1 / {last + 1}</span></div>'
            '<div class="gg-phase"></div><pre class="gg-formula"></pre>'
            f'<div class="gg-frames">{frames}</div>{panels}'
            f'<script type="application/json" class="gg-data">{payload}</script>'
            f"<script>{_SCRIPT.replace('__UID__', uid)}</script></div>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def page(self) -> str:
        """A complete, self-contained HTML page (the same bytes for the same graph)."""
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title></head>"
            '<body style="font-family: sans-serif; margin: 1.5em">'
            f"{self.html(uid='gg-stepper')}</body></html>\n"
        )


def _panel(heading: str, rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td>{html.escape(formula)}</td><td>{html.escape(numbers)}</td></tr>"
        for formula, numbers in rows
    )
    return (
        f'<div class="gg-panel"><div class="gg-title">{html.escape(heading)}</div>'
        f"<table>{body}</table></div>"
    )


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
        raise TypeError(f"export_html needs a Value or a model, got {type(target).__name__}")
    path = Path(path)
    path.write_text(stepper.page(), encoding="utf-8")
    return path


_STYLE = """<style>
.gg-stepper { font-family: sans-serif; border: 1px solid #cfd8dc; border-radius: 6px;
  padding: 10px; max-width: 100%; }
.gg-stepper .gg-title { font-weight: bold; margin: 4px 0 8px; }
.gg-stepper .gg-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.gg-stepper button { padding: 4px 10px; cursor: pointer; }
.gg-stepper .gg-slider { flex: 1; min-width: 120px; }
.gg-stepper .gg-phase { margin-top: 8px; color: #607d8b; font-size: 90%; }
.gg-stepper .gg-formula { background: #f5f7f8; padding: 8px; margin: 4px 0 8px;
  white-space: pre-wrap; font-size: 110%; }
.gg-stepper .gg-frames svg { max-width: 100%; height: auto; }
.gg-stepper .gg-panel table { border-collapse: collapse; margin-top: 6px; }
.gg-stepper .gg-panel td { border: 1px solid #cfd8dc; padding: 4px 8px;
  font-family: monospace; }
</style>"""

_SCRIPT = """
(function () {
  var root = document.getElementById("__UID__");
  var data = JSON.parse(root.querySelector(".gg-data").textContent).steps;
  var frames = root.querySelectorAll(".gg-frame");
  var slider = root.querySelector(".gg-slider");
  var count = root.querySelector(".gg-count");
  var formula = root.querySelector(".gg-formula");
  var phase = root.querySelector(".gg-phase");
  var play = root.querySelector("[data-act=play]");
  var current = 0, timer = null;
  function show(i) {
    current = Math.max(0, Math.min(data.length - 1, i));
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = (k !== current); }
    slider.value = String(current);
    count.textContent = (current + 1) + " / " + data.length;
    formula.textContent = data[current].text;
    phase.textContent = data[current].phase === "forward"
      ? "Forward pass: compute this node from its inputs"
      : "Backward pass: the chain rule, ∂L/∂input += ∂L/∂node · local derivative";
    root.setAttribute("data-current", String(current));
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "▶ Play"; }
  }
  function on(act, f) { root.querySelector("[data-act=" + act + "]").addEventListener("click", f); }
  on("prev", function () { stop(); show(current - 1); });
  on("next", function () { stop(); show(current + 1); });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  on("play", function () {
    if (timer) { stop(); return; }
    if (current === data.length - 1) { show(0); }
    play.textContent = "❚❚ Pause";
    timer = setInterval(function () {
      if (current >= data.length - 1) { stop(); return; }
      show(current + 1);
    }, 900);
  });
  root.tabIndex = 0;
  root.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { stop(); show(current + 1); }
    if (e.key === "ArrowLeft") { stop(); show(current - 1); }
  });
  show(0);
})();
"""
