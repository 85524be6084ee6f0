"""``Module``: parameters, gradients, and saving to and loading from JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograd import Value

FORMAT_NAME = "glassgrad-model"
FORMAT_VERSION = 1


class Module:
    """Base class of everything with parameters.

    A subclass implements ``named_parameters()``; everything else here
    (``parameters``, ``zero_grad``, state dicts, files) is built on it.
    """

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """``(name, parameter)`` pairs in a fixed, documented order."""
        yield from ()

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0 before the next backward pass."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def architecture(self) -> dict[str, Any]:
        """What is needed to rebuild this model (saved beside its parameters)."""
        return {"type": type(self).__name__}

    def state_dict(self) -> dict[str, float]:
        """The parameter values by name (plain floats: a snapshot)."""
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Set every parameter from ``state`` (as made by ``state_dict()``).

        The whole state is checked before anything changes: on any error the
        model is left exactly as it was.

        Raises:
            ValueError: if names are missing or unexpected, or a value is not
                a real number.
        """
        if not isinstance(state, dict):
            raise ValueError(f"a state dict must be a dict, got {type(state).__name__}")
        named = dict(self.named_parameters())
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if missing or unexpected:
            raise ValueError(
                "the state does not fit this model (is it from another architecture?): "
                f"{len(missing)} missing {_first(missing)}, "
                f"{len(unexpected)} unexpected {_first(unexpected)}"
            )
        values = {}
        for name, raw in state.items():
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ValueError(
                    f"parameter {name!r} must be a number, got {type(raw).__name__}: {raw!r}"
                )
            values[name] = float(raw)
        for name, parameter in named.items():
            parameter.data = values[name]

    def save(self, path: str | Path) -> None:
        """Write the architecture and parameters to ``path`` as JSON (never pickle)."""
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "architecture": self.architecture(),
            "parameters": self.state_dict(),
        }
        path = Path(path)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(document, indent=1), encoding="utf-8")
        temporary.replace(path)  # a crash mid-write never leaves half a file

    def load(self, path: str | Path) -> None:
        """Load parameters saved by ``save()`` into this model.

        Raises:
            ValueError: for a missing or unreadable file, corrupt JSON, another
                format or version, or parameters of another shape. The model
                is left exactly as it was.
        """
        document = read_model_file(path)
        if document["architecture"] != self.architecture():
            raise ValueError(
                f"{path} holds a model of another shape: {document['architecture']}; "
                f"this model is {self.architecture()}"
            )
        self.load_state_dict(document["parameters"])


def read_model_file(path: str | Path) -> dict[str, Any]:
    """Read and check a model file written by ``Module.save``.

    Raises:
        ValueError: with what is wrong with the file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"no model file at {path}: check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read model file {path}: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); was it cut short?") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValueError(f"{path} is not a glassgrad model file (no 'format': '{FORMAT_NAME}')")
    if document.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"{path} has format version {document.get('version')!r}; this glassgrad reads "
            f"version {FORMAT_VERSION}"
        )
    if not isinstance(document.get("architecture"), dict) or not isinstance(
        document.get("parameters"), dict
    ):
        raise ValueError(f"{path} lacks its 'architecture' or 'parameters' section")
    return document


def _first(names: list[str], shown: int = 3) -> str:
    if not names:
        return ""
    more = f", ... {len(names) - shown} more" if len(names) > shown else ""
    return "(" + ", ".join(names[:shown]) + more + ")"
