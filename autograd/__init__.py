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

from typing import Any

from autograd import hooks, names
from autograd.collector import collector_paused
from autograd.define import define_op
from autograd.engine import (
    backward,
    grad,
    local_derivatives,
    topological_order,
    zero_grad,
)
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.language import set_language
from autograd.mode import detect_anomaly, enable_grad, is_recording, no_grad
from autograd.multiclass import cross_entropy, softmax
from autograd.ops import OPS
from autograd.tape import Tape, record
from autograd.value import Value, binary_cross_entropy_with_logits, dot, matvec
from autograd.value import sum_of as sum

#: The views, reachable as ``autograd.draw``, ``autograd.step`` and ``autograd.stepper``
#: once ``autograd`` is imported, each imported on first use: importing the
#: engine imports no drawing or stepping code (nor Graphviz).
_VIEWS = ("draw", "step", "stepper")


def __getattr__(name: str) -> object:
    if name == "draw":
        import autograd.draw

        return autograd.draw
    if name == "step":
        import autograd.step

        return autograd.step
    if name == "stepper":
        import autograd.stepper

        return autograd.stepper
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_VIEWS])


def _notebook_bundle(value: Value, include: Any = None, exclude: Any = None, **_: Any) -> dict:
    """A Value in Jupyter: its graph (``autograd.draw.notebook_bundle``), drawn on first use."""
    import autograd.draw

    return autograd.draw.notebook_bundle(value)


# The engine calls its views only through hooks (see autograd.hooks).
hooks.plug_in("Value._repr_mimebundle_", _notebook_bundle)


__all__ = [
    "OPS",
    "GradcheckError",
    "Tape",
    "Value",
    "backward",
    "binary_cross_entropy_with_logits",
    "collector_paused",
    "cross_entropy",
    "define_op",
    "detect_anomaly",
    "dot",
    "enable_grad",
    "grad",
    "gradcheck",
    "hooks",
    "is_recording",
    "local_derivatives",
    "matvec",
    "names",
    "no_grad",
    "record",
    "set_language",
    "softmax",
    "sum",
    "topological_order",
    "zero_grad",
]
