"""The playground as a notebook widget (needs the ``widget`` extra: anywidget).

One ES module (``playground.js``, shared with the static site) and Python
traits as the only interface: the view sets ``settings``, ``running`` and
``request``; Python answers with ``setup``, ``frame`` and ``explanation``.
Training runs in the kernel, on a thread of its own, so that the notebook
stays responsive and pause is heard at once. Works wherever anywidget does:
JupyterLab, Notebook 7, VS Code, Colab.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from autograd.language import text
from autograd.names import fmt
from nn.layers import MLP
from nn.play import SCRIPT_FILE, Playground, Session


class PlaygroundWidget(anywidget.AnyWidget):
    """A live training view: see ``nn.playground``."""

    _esm = SCRIPT_FILE

    setup = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    explanation = traitlets.Dict().tag(sync=True)
    download = traitlets.Dict().tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    settings = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)

    def __init__(self, playground: Playground, **kwargs: Any) -> None:
        self.session = Session(playground)
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        state = self.session.state()
        super().__init__(**state, settings=state["setup"]["settings"], **kwargs)
        self.observe(self._on_settings, "settings")
        self.observe(self._on_running, "running")
        self.observe(self._on_request, "request")

    @property
    def playground(self) -> Playground:
        """The ``nn.play.Playground`` behind the view."""
        return self.session.playground

    @property
    def model(self) -> MLP:
        """The model being trained (a new one after the view changes the architecture)."""
        return self.session.playground.model

    # -- what the view asks for -----------------------------------------------------

    def _apply(self, changed: dict[str, Any]) -> None:
        with self.hold_sync():
            for name, value in changed.items():
                if name == "running":
                    self.set_trait("running", value)
                else:
                    setattr(self, name, value)
        if changed.get("download"):
            self.download = {}  # sent once, to be saved by the view; not kept in the widget

    def _on_settings(self, change: dict[str, Any]) -> None:
        if change["new"] == self.playground.settings:
            return
        self._handle("settings", change["new"])

    def _on_running(self, change: dict[str, Any]) -> None:
        if change["new"] == self.session.running:
            return
        self._handle("running", change["new"])
        if self.session.running:
            self._start()

    def _on_request(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self._handle("request", change["new"])

    def _handle(self, name: str, value: Any) -> None:
        with self._lock:
            try:
                changed = self.session.handle(name, value)
            except ValueError as error:
                frame = dict(self.frame, status=str(error))
                changed = {"frame": frame}
        self._apply(changed)

    # -- training, on a thread of its own ----------------------------------------------

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(
            target=self._train, name="glassgrad-playground", daemon=True
        )
        self._thread.start()

    def _train(self) -> None:
        while True:
            with self._lock:
                if not self.session.running:
                    return
                changed = self.session.tick()
            self._apply(changed)

    def play(self) -> None:
        """Start training (as the Play button does)."""
        self.running = True

    def pause(self, wait: bool = True) -> None:
        """Stop training (as the Pause button does); wait for the thread to stop."""
        self.running = False
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join()

    def export_html(self, path: str | Path, title: str = "glassgrad playground") -> Path:
        """Write the run as one self-contained page that replays it (see
        ``Playground.export_html``)."""
        with self._lock:
            return self.playground.export_html(path, title)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        text = _describe(self.playground)
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle[0]["text/plain"] = text
        elif isinstance(bundle, dict):
            bundle["text/plain"] = text
        return bundle


def _describe(pg: Playground) -> str:
    """The playground in words (what a notebook without the widget shows)."""
    s = pg.settings
    h = pg.history
    return text(
        "playground.describe",
        model=pg.model,
        dataset=s["dataset"],
        train=len(pg.X),
        test=len(pg.X_test),
        optimizer=s["optimizer"],
        lr=fmt(s["lr"]),
        epoch=pg.epoch,
        train_loss=fmt(h["train_loss"][-1]),
        test_loss=fmt(h["test_loss"][-1]),
    )
