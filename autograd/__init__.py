"""glassgrad's autograd engine: scalar Values, an op table, and backpropagation.

Quick start::

    from autograd import Value

    a = Value(2.0, label="a")
    b = Value(3.0, label="b")
    z = a * b + a.exp()
    z.backward()
    a.grad  # ∂z/∂a = b + exp(a)

Everything public is listed in ``__all__`` below.
"""

from __future__ import annotations

from autograd.collector import collector_paused
from autograd.engine import (
    backward,
    grad,
    local_derivatives,
    topological_order,
    zero_grad,
)
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.mode import detect_anomaly, enable_grad, is_recording, no_grad
from autograd.ops import OPS
from autograd.tape import Tape, record
from autograd.value import Value, binary_cross_entropy_with_logits, dot, matvec
from autograd.value import sum_of as sum


def __getattr__(name: str) -> object:
    # ``autograd.draw`` is imported on first use, so that importing the engine
    # never imports drawing code (nor Graphviz).
    if name == "draw":
        import autograd.draw

        return autograd.draw
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


__all__ = [
    "OPS",
    "GradcheckError",
    "Tape",
    "Value",
    "backward",
    "binary_cross_entropy_with_logits",
    "collector_paused",
    "detect_anomaly",
    "dot",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_recording",
    "local_derivatives",
    "matvec",
    "no_grad",
    "record",
    "sum",
    "topological_order",
    "zero_grad",
]
