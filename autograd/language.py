"""The words a learner reads, in English and in Simplified Chinese.

Every sentence a learner reads (a step's description, a button, a panel's
title, the first errors a newcomer meets) is looked up here by a key, in
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

import json
import os
import re
from functools import cache
from pathlib import Path

#: The languages glassgrad speaks: code -> the language's own name for itself.
LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

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
