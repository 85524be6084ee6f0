"""Hooks: a method of a lower layer calls the view a higher layer plugged in."""

from __future__ import annotations

import pytest

from autograd import Value, hooks


def test_a_hook_calls_the_view_plugged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "VIEWS", {})
    hooks.plug_in("Thing.show", lambda thing, size=1: f"{thing} at size {size}")
    assert hooks.call("Thing.show", "a thing", size=2) == "a thing at size 2"
    hooks.plug_in("Thing.show", lambda thing, size=1: "replaced")
    assert hooks.call("Thing.show", "a thing") == "replaced"


def test_a_hook_with_nothing_plugged_in_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "VIEWS", {})
    with pytest.raises(LookupError, match=r"Value\._repr_mimebundle_ needs a view"):
        Value(1.0)._repr_mimebundle_()


def test_the_faces_plug_the_displays_in() -> None:
    import nn

    assert {"Value._repr_mimebundle_", "MLP.stepper", "MLP._repr_mimebundle_"} <= set(hooks.VIEWS)
    bundle = nn.seed_network()._repr_mimebundle_()
    assert "MLP(2 inputs -> 3 relu, 1 sigmoid)" in bundle["text/plain"]  # a picture, with viz
