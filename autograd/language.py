"""The words a learner reads, in English and in Simplified Chinese.

Every sentence a learner reads (a step's description, a button, a panel's
title, an error's message) is looked up here by a key, in
one message catalogue per language: ``autograd/messages/en.json`` and
``autograd/messages/zh.json``. The Chinese catalogue uses the article's own
terms: 正向传播 (forward propagation), 反向传播 (backpropagation), 链式法则
(the chain rule), 学习速率 (the learning rate).

    from autograd.language import text

    text("term.chain_rule")             # "chain rule"
    text("term.chain_rule", lang="zh")  # "链式法则"

A text's ``{placeholders}`` are filled with ``str.format``-style names and
nothing else (no format specs): numbers arrive already written as text, so
Python and the pages' JavaScript fill a text the same way.

Which language: the ``lang`` argument when one is given; else the language
set with ``set_language``; else the ``GLASSGRAD_LANG`` environment
variable; else the system's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``);
else English. Pages follow the browser's language and have a switch.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

#: The languages glassgrad speaks: code -> the language's own name for itself.
LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
#: What a page says its language is (``<html lang>``), for each language glassgrad speaks.
HTML_LANG: dict[str, str] = {"en": "en", "zh": "zh-Hans"}

_FOLDER = Path(__file__).with_name("messages")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_chosen: str | None = None  # set_language's choice, for the whole program


def normalize_language(name: str) -> str | None:
    """``"zh-CN"``, ``"zh_CN.UTF-8"``, ``"zh-Hans"`` -> ``"zh"``; ``"en_US"`` -> ``"en"``.

    None for a language glassgrad does not speak (or an empty name).
    """
    code = re.split(r"[-_.@]", name.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


def set_language(lang: str | None) -> None:
    """Choose the language of every text from now on (None: back to the environment's).

    Raises:
        ValueError: for a language glassgrad does not speak, listing those it does.
    """
    global _chosen
    _chosen = None if lang is None else _checked(lang)


@contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (None: the current language), then as before.

    For a command line's ``--lang``: every text made inside, errors included,
    is in that language. Yields the language chosen.

    Raises:
        ValueError: for a language glassgrad does not speak.
    """
    global _chosen
    chosen = current_language(lang)
    before, _chosen = _chosen, chosen
    try:
        yield chosen
    finally:
        _chosen = before


def current_language(lang: str | None = None) -> str:
    """The language a text is written in: ``lang``, else the program's choice,
    else ``GLASSGRAD_LANG``, else the system locale, else English.

    Raises:
        ValueError: if ``lang`` (given explicitly) is not a language glassgrad speaks.
    """
    if lang is not None:
        return _checked(lang)
    if _chosen is not None:
        return _chosen
    for variable in ("GLASSGRAD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            # An unknown GLASSGRAD_LANG falls through to the locale: a wrong
            # setting must not stop a program from running.
            found = normalize_language(value)
            if found is not None:
                return found
            if variable != "GLASSGRAD_LANG":
                break  # the locale decides, and it names a language we lack
    return DEFAULT_LANGUAGE


def text(key: str, lang: str | None = None, **fields: object) -> str:
    """The text ``key`` in the current language (or ``lang``), its placeholders filled.

    Raises:
        KeyError: naming the key, if no catalogue has it (a mistake in the code).
        ValueError: if ``lang`` is not a language glassgrad speaks.
    """
    template = catalogue(current_language(lang)).get(key)
    if template is None:
        raise KeyError(f"no text {key!r} in glassgrad's message catalogue")
    return fill(template, fields)


def fill(template: str, fields: dict[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by ``str(fields[name])``.

    The pages' JavaScript fills texts with the same rule.
    """

    def field(match: re.Match[str]) -> str:
        return str(fields[match.group(1)])

    return _PLACEHOLDER.sub(field, template)


@cache
def _load(lang: str) -> dict[str, str]:
    import json  # only once a text is asked for: importing the engine stays light

    with open(_FOLDER / f"{lang}.json", encoding="utf-8") as handle:
        return json.load(handle)


def catalogue(lang: str) -> dict[str, str]:
    """Every text of one language, by key: a copy, for pages that switch language themselves."""
    return dict(_load(_checked(lang)))


def placeholders(template: str) -> set[str]:
    """The names of a text's placeholders: ``{"name", "value"}`` for ``"{name} = {value}"``."""
    return set(_PLACEHOLDER.findall(template))


def _checked(lang: str) -> str:
    found = normalize_language(lang) if isinstance(lang, str) else None
    if found is None:
        spoken = ", ".join(f"{code!r} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(text("error.unknown_language", languages=spoken, given=repr(lang)))
    return found


def word_list(items: Sequence[str], lang: str | None = None) -> str:
    """Names as a sentence lists them: ``"a, b and c"``, ``"a、b 和 c"``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    separator = text("list.separator", lang)
    return separator.join(items[:-1]) + text("list.and", lang) + items[-1]


def display_width(line: str) -> int:
    """How many terminal columns ``line`` takes: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def right_aligned(line: str, width: int) -> str:
    """``line`` padded on the left to ``width`` terminal columns (a table's heading)."""
    return " " * max(0, width - display_width(line)) + line


_WIDE_CHARACTERS = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_WIDE = re.compile(f"[{_WIDE_CHARACTERS}]")
#: Punctuation that never starts a line (it stays with the character before).
_NO_BREAK_BEFORE = set("，。；：、）」』》！？,.;:)]}")


def wrap(line: str, width: int) -> list[str]:
    """``line`` in lines of at most ``width`` terminal columns.

    As ``textwrap`` breaks English at spaces, but Chinese may also break
    between any two characters (never before a closing mark such as ``，``),
    and a Chinese character counts two columns.
    """
    tokens: list[str] = []
    for piece in re.findall(
        r"\s+|[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+",
        line,
    ):
        if tokens and (piece[0] in _NO_BREAK_BEFORE) and not tokens[-1].isspace():
            tokens[-1] += piece
        else:
            tokens.append(piece)
    lines, current = [], ""
    for token in tokens:
        if current and display_width(current + token.rstrip()) > width:
            lines.append(current.rstrip())
            current = "" if token.isspace() else token
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


# Command lines: argparse's own words (usage, options, its errors) in the chosen language.

#: argparse's English messages (its own, unchanged across 3.11-3.13) -> our key.
_ARGPARSE_MESSAGES = {
    "argument %(argument_name)s: %(message)s": "cli.argument",
    "unrecognized arguments: %s": "cli.unrecognized",
    "the following arguments are required: %s": "cli.required",
    "expected one argument": "cli.expected_one",
    "invalid %(type)s value: %(value)r": "cli.invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.invalid_choice",
    "not allowed with argument %s": "cli.not_allowed_with",
    "ambiguous option: %(option)s could match %(matches)s": "cli.ambiguous",
}


def _argparse_pattern(message: str) -> re.Pattern[str]:
    """An argparse message template as a regex: ``%(name)s`` -> ``(?P<name>.+?)``.

    An unnamed ``%s`` is the field ``arguments``.
    """
    parts = re.split(r"%\((\w+)\)[sr]|%s", message)
    pattern = re.escape(parts[0])
    for name, rest in zip(parts[1::2], parts[2::2]):
        pattern += f"(?P<{name or 'arguments'}>.+?)" + re.escape(rest)
    return re.compile(pattern)


def translate_argparse(message: str, lang: str | None = None) -> str:
    """One of argparse's own error messages in ``lang``; any other message as it is.

    argparse speaks English only; its messages are matched against their
    templates and said again from the catalogue, so ``--dataset foo`` is
    answered in the learner's language too.
    """
    if current_language(lang) == DEFAULT_LANGUAGE:
        return message
    for template, key in _ARGPARSE_MESSAGES.items():
        found = _argparse_pattern(template).fullmatch(message)
        if found is not None:
            fields = found.groupdict()
            if key == "cli.argument":
                fields["message"] = translate_argparse(fields["message"], lang)
            return text(key, lang, **fields)
    return message


def argument_parser(lang: str | None = None, **options: Any) -> Any:
    """An ``argparse.ArgumentParser`` whose own words are in ``lang``, with ``--lang``.

    "usage:", the section titles, ``-h``'s help, "(default: ...)" and
    argparse's error messages come from the catalogue; the caller gives the
    description and the arguments' help in the same language. Its errors are
    written ``prog: error: message`` (``错误`` in Chinese). ``--lang`` takes
    any name ``normalize_language`` knows (``zh``, ``zh-CN``, ``en_US``); the
    command reads it first with ``language_asked`` to make its parser.
    """
    import argparse

    chosen = current_language(lang)
    base = options.pop("formatter_class", argparse.HelpFormatter)
    show_defaults = issubclass(base, argparse.ArgumentDefaultsHelpFormatter)

    class Formatter(argparse.HelpFormatter):
        # Text with Chinese in it is wrapped by columns; English as argparse wraps it.
        def _split_lines(self, text: str, width: int) -> list[str]:
            if not _WIDE.search(text):
                return super()._split_lines(text, width)
            return wrap(" ".join(text.split()), width)

        def _fill_text(self, text: str, width: int, indent: str) -> str:
            if not _WIDE.search(text):
                return super()._fill_text(text, width, indent)
            lines = wrap(" ".join(text.split()), width - len(indent))
            return "\n".join(indent + line for line in lines)

        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            super().add_usage(usage, actions, groups, prefix or text("cli.usage", chosen))

        def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
            # argparse indents the usage's later lines by len(prefix): "用法：" is wider.
            lines = super()._format_usage(usage, actions, groups, prefix).split("\n")
            extra = " " * (display_width(prefix or "") - len(prefix or ""))
            return "\n".join([lines[0], *(extra + line if line else line for line in lines[1:])])

        def _get_help_string(self, action: argparse.Action) -> str:
            help = action.help or ""
            # As argparse.ArgumentDefaultsHelpFormatter decides, in the chosen language.
            shown = action.option_strings or action.nargs in (argparse.OPTIONAL, "*")
            has_default = "%(default)" not in help and action.default is not argparse.SUPPRESS
            if show_defaults and has_default and shown:
                help += " " + text("cli.default", chosen, default="%(default)s")
            return help

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # type: ignore[override]
            self.print_usage(sys.stderr)
            said = translate_argparse(message, chosen)
            self.exit(2, text("cli.error_line", chosen, prog=self.prog, message=said) + "\n")

    parser = Parser(formatter_class=Formatter, add_help=False, **options)
    parser._positionals.title = text("cli.positionals", chosen)
    parser._optionals.title = text("cli.options", chosen)
    parser.add_argument("-h", "--help", action="help", help=text("cli.help", chosen))
    parser.add_argument(
        "--lang", type=_language_flag, metavar="{en,zh}", help=text("cli.lang", chosen)
    )
    return parser


def _language_flag(value: str) -> str:
    import argparse

    found = normalize_language(value)
    if found is None:
        spoken = ", ".join(f"{code!r} ({name})" for code, name in LANGUAGES.items())
        raise argparse.ArgumentTypeError(
            text("error.unknown_language", languages=spoken, given=repr(value))
        )
    return found


def language_asked(argv: Sequence[str]) -> str | None:
    """The language of ``--lang X`` or ``--lang=X`` in a command's ``argv``, if glassgrad
    speaks it: read before the parser is made, so that its help is in that language too.

    A language it does not speak is left for the parser to refuse.
    """
    for position, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and position + 1 < len(argv):
            return normalize_language(argv[position + 1])
        if arg.startswith("--lang="):
            return normalize_language(arg.partition("=")[2])
    return None
