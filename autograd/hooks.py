"""Hooks: where a view plugs in what a lower layer only calls.

A Value shows itself in a notebook as a picture of its graph, and an
``nn.MLP`` steps through a sample: the code for both lives in the views
(``autograd.draw``, ``nn.steps``), which import the engine and ``nn``. The
engine and ``nn`` must not import them back, not even inside a function
(that would be an import circle). So such a method is one line that calls
its hook here, by the method's own name::

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        return hooks.call("Value._repr_mimebundle_", self)

and the package face that owns the method (``autograd/__init__.py``,
``nn/__init__.py``) plugs the view in with a function that imports it on
first use, so that ``import autograd`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.language import text

#: Each hook's view, by the name of the method it serves.
VIEWS: dict[str, Callable[..., Any]] = {}


def plug_in(name: str, view: Callable[..., Any]) -> None:
    """Make ``view`` the function behind the method ``name`` (a later one replaces it)."""
    VIEWS[name] = view


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the view plugged into ``name`` with these arguments, and return its answer.

    Raises:
        LookupError: if no view is plugged in (say which package plugs it).
    """
    view = VIEWS.get(name)
    if view is None:
        raise LookupError(text("error.hooks.no_view", name=name))
    return view(*args, **kwargs)
