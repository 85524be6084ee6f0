"""``Module``: parameters, gradients, and saving to and loading from JSON.

The model file
--------------
A model file is one standard JSON object (any JSON parser reads it), UTF-8::

    {
     "format": "glassgrad-model",
     "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "sizes": [3, 1],
                      "activations": ["relu", "sigmoid"], "fused": true},
     "parameters": {"layers.0.neurons.0.w.0": 0.5, ..., "layers.1.neurons.0.b": "nan"}
    }

``parameters`` maps each name of ``named_parameters()`` to its value: a JSON
number, or for the values JSON has no number for, one of the strings
``"nan"``, ``"inf"`` and ``"-inf"``. (Files written before this rule hold
the non-standard tokens ``NaN``, ``Infinity`` and ``-Infinity``; they still
load.)

Saving writes a new file beside the target and renames it over the target,
so a reader sees the old file or the new one, never half of one, and two
saves to one path at once leave one of the two complete files. Saving
through a symbolic link replaces the file it points to.

Loading checks the whole file before anything changes, and raises
``ValueError`` for every file it cannot use: missing, not a regular file,
over ``MAX_MODEL_FILE_BYTES`` (pass ``max_bytes=`` to allow more), not UTF-8,
not JSON, nested deeper than Python's recursion limit, a number outside the
float range, another format or version, or parameters that do not fit the
architecture. A failed load leaves the model exactly as it was.

To get a saved model back, ``MLP.from_file(path)`` (or ``MLP.load(path)``)
builds it; ``model.load(path)`` loads into a model of the same shape.
"""

from __future__ import annotations

import errno
import functools
import json
import math
import numbers
import os
import reprlib
import secrets
import stat
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Self

from autograd import Value
from autograd.language import text

FORMAT_NAME = "glassgrad-model"
FORMAT_VERSION = 1

#: The largest model file ``load`` reads, in bytes: 16 MiB, about 300,000
#: parameters (some 50 bytes each), far more than a scalar engine trains in
#: reasonable time. Loading costs about ten times the file's size in memory,
#: so a bigger file is refused before it is read; pass ``max_bytes=`` to
#: ``load``, ``from_file`` or ``read_model_file`` to allow more.
MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024

#: How the values JSON has no number for are written.
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class instance_or_class_method:
    """A method that works on an instance, and differently on the class.

    ``model.load(path)`` loads a file into ``model``. ``MLP.load(path)`` has
    no model to load into, so it builds one. A plain method would fail on the
    class (``missing 1 required positional argument``) and a classmethod
    would lose the instance; this descriptor picks one of two functions by
    how it is reached::

        @instance_or_class_method
        def load(self, path): ...      # model.load(path)

        @load.on_class
        def load(cls, path): ...       # MLP.load(path)
    """

    def __init__(self, on_instance: Callable[..., Any]) -> None:
        self.on_instance = on_instance
        self.on_class_function: Callable[..., Any] | None = None
        functools.update_wrapper(self, on_instance)

    def on_class(self, function: Callable[..., Any]) -> instance_or_class_method:
        """Set the function called when the method is reached through the class."""
        self.on_class_function = function
        return self

    def __get__(self, instance: object, owner: type | None = None) -> Callable[..., Any]:
        if instance is None:
            if self.on_class_function is None:
                raise AttributeError(text("error.module.instances_only", name=self.__name__))
            return types.MethodType(self.on_class_function, owner)
        return types.MethodType(self.on_instance, instance)


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

    def fits_architecture(self, architecture: dict[str, Any]) -> bool:
        """Whether parameters saved with ``architecture`` fit this model (``load`` asks)."""
        return architecture == self.architecture()

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
            raise ValueError(text("error.model_file.state_not_a_dict", type=type(state).__name__))
        named = dict(self.named_parameters())
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if missing or unexpected:
            raise ValueError(
                text(
                    "error.model_file.state_does_not_fit",
                    missing=len(missing),
                    missing_names=_first(missing),
                    unexpected=len(unexpected),
                    unexpected_names=_first(unexpected),
                )
            )
        values = {}
        for name, raw in state.items():
            if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
                raise ValueError(
                    text(
                        "error.model_file.parameter_not_a_number",
                        name=repr(name),
                        type=type(raw).__name__,
                        given=_short(raw),
                    )
                )
            values[name] = float(raw)
        for name, parameter in named.items():
            parameter.data = values[name]

    def save(self, path: str | Path) -> None:
        """Write the architecture and parameters to ``path`` as JSON (never pickle).

        The file is written whole beside the target, then renamed over it:
        readers and other saves never see half a file. Saving through a
        symbolic link replaces the file it points to and keeps the link.

        Args:
            path: where to write (``~`` is your home directory); the
                directory must exist.

        Raises:
            TypeError: if the architecture holds something JSON cannot write.
            OSError: if the file cannot be written (the old file is kept, and
                no temporary file is left behind): ``IsADirectoryError`` for
                a directory, ``FileNotFoundError`` for a missing directory.
        """
        target = Path(os.path.realpath(Path(path).expanduser()))
        # Checked first, so that an error names the path given, not the
        # temporary file the data is written to.
        if target.is_dir():
            raise IsADirectoryError(
                errno.EISDIR,
                text("error.model_file.directory", path=path, example=Path(path) / "model.json"),
            )
        if not target.parent.is_dir():
            raise FileNotFoundError(
                errno.ENOENT,
                text("error.model_file.no_directory", path=path, directory=target.parent),
            )
        parameters = {
            name: value if math.isfinite(value) else _non_finite_name(value)
            for name, value in self.state_dict().items()
        }
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "architecture": self.architecture(),
            "parameters": parameters,
        }
        # allow_nan=False: NaN and Infinity are not JSON; other parsers reject them.
        data = json.dumps(document, indent=1, allow_nan=False).encode("utf-8")
        _write_atomically(target, data)

    @instance_or_class_method
    def load(self, path: str | Path, *, max_bytes: int | None = None) -> None:
        """Load parameters saved by ``save()`` into this model.

        Called on a class instead (``MLP.load(path)``), it builds the model
        from the file and returns it, like ``from_file``.

        Args:
            path: a file written by ``save()`` for a model of this architecture.
            max_bytes: the largest file to read (default ``MAX_MODEL_FILE_BYTES``).

        Raises:
            ValueError: for a missing or unreadable file, one over the size
                limit, corrupt JSON, another format or version, or parameters
                of another shape. The model is left exactly as it was.
        """
        document = read_model_file(path, max_bytes=max_bytes)
        if not self.fits_architecture(document["architecture"]):
            raise ValueError(
                text(
                    "error.model_file.another_shape",
                    path=path,
                    architecture=_short(document["architecture"]),
                    model=self.architecture(),
                )
            )
        self.load_state_dict(document["parameters"])

    @load.on_class
    def load(cls, path: str | Path, *, max_bytes: int | None = None) -> Module:
        """Build a model from a file written by ``save()``: ``cls.from_file(path)``."""
        return cls.from_file(path, max_bytes=max_bytes)

    @classmethod
    def from_file(cls, path: str | Path, *, max_bytes: int | None = None) -> Self:
        """Rebuild a model saved with ``save()``: its architecture and parameters.

        ``cls.load(path)`` does the same. The architecture is checked against
        the parameters in the file before anything is built, so a small file
        cannot ask for a huge model. A class can rebuild itself when it says
        how: ``settings_from(architecture)``, its constructor's arguments
        (checked), and ``parameter_count(**settings)``, worked out without
        building anything (``MLP`` does).

        Args:
            path: a file written by ``save()``.
            max_bytes: the largest file to read (default ``MAX_MODEL_FILE_BYTES``).

        Returns:
            The model, with the file's parameters.

        Raises:
            ValueError: if the file is missing, too big, corrupt, another
                kind of model, or its architecture does not fit its parameters.
            TypeError: for a class that cannot rebuild itself (``Module``).
        """
        settings_from = getattr(cls, "settings_from", None)
        parameter_count = getattr(cls, "parameter_count", None)
        if settings_from is None or parameter_count is None:
            raise TypeError(text("error.model_file.cannot_build", cls=cls.__name__))
        document = read_model_file(path, max_bytes=max_bytes)
        architecture = document["architecture"]
        kind = architecture.get("type")
        if kind != cls.__name__:
            raise ValueError(
                text(
                    "error.model_file.holds_another_kind",
                    path=path,
                    kind=_short(kind),
                    cls=cls.__name__,
                )
            )
        try:
            settings = settings_from(architecture)
        except ValueError as error:
            raise ValueError(text("error.model_file.in_file", path=path, reason=error)) from None
        expected, found = parameter_count(**settings), len(document["parameters"])
        if expected != found:
            raise ValueError(
                text("error.model_file.parameter_count", path=path, expected=expected, found=found)
            )
        model = cls(**settings)
        model.load_state_dict(document["parameters"])
        return model


def whole_number(value: Any) -> bool:
    """Whether a value read from a model file is a whole number >= 1 (not True, not 2.0)."""
    return type(value) is int and value >= 1


def read_model_file(path: str | Path, *, max_bytes: int | None = None) -> dict[str, Any]:
    """Read and check a model file written by ``Module.save``.

    Nothing is read from what is not a regular file, and at most
    ``max_bytes + 1`` bytes are read from one that is.

    Args:
        path: the model file.
        max_bytes: the largest file to read (default ``MAX_MODEL_FILE_BYTES``).

    Returns:
        The document, its ``parameters`` as floats (non-finite ones decoded).

    Raises:
        ValueError: with what is wrong with the file.
    """
    limit = MAX_MODEL_FILE_BYTES if max_bytes is None else max_bytes
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(text("error.model_file.max_bytes", given=repr(limit)))
    content = _read_text(Path(path), limit)
    try:
        document = json.loads(
            content,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=float,
            object_pairs_hook=_object_without_repeated_names,
        )
    except json.JSONDecodeError as error:
        raise ValueError(text("error.model_file.not_json", path=path, reason=error)) from None
    except RecursionError:
        raise ValueError(text("error.model_file.too_deep", path=path)) from None
    except ValueError as error:  # from _parse_int or _parse_float
        raise ValueError(text("error.model_file.in_file", path=path, reason=error)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValueError(text("error.model_file.not_a_model_file", path=path, format=FORMAT_NAME))
    version = document.get("version")
    if type(version) is not int or version != FORMAT_VERSION:  # not True, not 1.0
        raise ValueError(
            text(
                "error.model_file.version", path=path, found=_short(version), version=FORMAT_VERSION
            )
        )
    if not isinstance(document.get("architecture"), dict) or not isinstance(
        document.get("parameters"), dict
    ):
        raise ValueError(text("error.model_file.sections", path=path))
    parameters = {}
    for name, raw in document["parameters"].items():
        if isinstance(raw, float | int) and not isinstance(raw, bool):
            parameters[name] = float(raw)
        elif isinstance(raw, str) and raw in NON_FINITE:
            parameters[name] = NON_FINITE[raw]
        else:
            raise ValueError(
                text(
                    "error.model_file.parameter_in_file",
                    name=repr(name),
                    path=path,
                    type=type(raw).__name__,
                    given=_short(raw),
                )
            )
    document["parameters"] = parameters
    return document


def _object_without_repeated_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refused if it names a key twice.

    Python's json keeps the last value of a repeated name without a word, so
    a file that names a parameter twice would load whichever came last.
    """
    document: dict[str, Any] = {}
    for name, value in pairs:
        if name in document:
            raise ValueError(text("error.model_file.twice", name=repr(name)))
        document[name] = value
    return document


def _read_text(path: Path, limit: int) -> str:
    """The text of a regular file of at most ``limit`` bytes, or a ValueError."""
    try:
        # Look before opening: opening a FIFO to read waits for a writer.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(text("error.model_file.not_regular", path=path))
        if info.st_size > limit:
            size = text("error.model_file.bytes", count=info.st_size)
            raise ValueError(_too_big(path, size, limit))
        # O_NONBLOCK: should the path be swapped for a FIFO meanwhile, do not wait.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(path, flags), "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise ValueError(text("error.model_file.not_regular_short", path=path))
            data = _read_at_most(file, limit + 1)
    except FileNotFoundError:
        raise ValueError(text("error.model_file.missing", path=path)) from None
    except OSError as error:
        raise ValueError(text("error.model_file.cannot_read", path=path, reason=error)) from None
    if len(data) > limit:
        raise ValueError(_too_big(path, text("error.model_file.more_than", limit=limit), limit))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(text("error.model_file.not_utf8", path=path, reason=error)) from None


def _read_at_most(file: BinaryIO, size: int) -> bytearray:
    """Up to ``size`` bytes of ``file``, in pieces.

    ``file.read(size)`` would allocate all ``size`` bytes up front, even for a
    small file. Reading one byte more than the limit tells a file at the limit
    from a bigger one (a file can grow after ``stat``, and files in ``/proc``
    report a size of 0).
    """
    data = bytearray()
    while len(data) < size:
        piece = file.read(min(1 << 16, size - len(data)))
        if not piece:
            break
        data += piece
    return data


def _too_big(path: Path, size: str, limit: int) -> str:
    return text("error.model_file.too_big", path=path, size=size, limit=limit)


def _parse_int(digits: str) -> int:
    # float() of a digit string has no length limit and never raises; int() of a
    # few hundred digits is quick. So a number is checked as a float first.
    _parse_float(digits)
    return int(digits)


def _parse_float(written: str) -> float:
    value = float(written)
    if not math.isfinite(value):
        shown = written if len(written) <= 24 else f"{written[:12]}...({len(written)} characters)"
        raise ValueError(text("error.model_file.number_too_large", number=shown))
    return value


def _non_finite_name(value: float) -> str:
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` with a file holding ``data``, all at once.

    The data goes to a new file in the same directory (a rename is atomic only
    within one file system), is flushed to disk, then renamed over the target.
    """
    file_descriptor, temporary = _create_temporary(target.parent)
    try:
        with open(file_descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename makes it the model
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


def _create_temporary(directory: Path) -> tuple[int, Path]:
    """A new empty file in ``directory`` with a short random name, open for writing.

    Not ``tempfile.mkstemp``: it makes files readable by their owner only, and
    the saved model would keep that. ``os.open`` gives the usual permissions
    (0o666 less the umask), as writing the file directly would. The name is
    short so that it fits wherever the target's name fits (255 bytes).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = directory / f".{secrets.token_hex(6)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:  # 2**48 names: practically never
            continue
    raise FileExistsError(text("error.model_file.temporary", directory=directory))


def _sync_directory(directory: Path) -> None:
    # The rename itself survives a power cut only once the directory is synced.
    # POSIX only; where a directory cannot be opened, the rename stands unsynced.
    if os.name != "posix":
        return
    try:
        file_descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(file_descriptor)
    except OSError:
        pass
    finally:
        os.close(file_descriptor)


def _short(value: object) -> str:
    """A repr short enough for an error message, however big the value."""
    return reprlib.repr(value)


def _first(names: list[str], shown: int = 3) -> str:
    if not names:
        return ""
    more = f", ... {len(names) - shown} more" if len(names) > shown else ""
    cut = [name if len(name) <= 60 else name[:57] + "..." for name in names[:shown]]
    return "(" + ", ".join(cut) + more + ")"
