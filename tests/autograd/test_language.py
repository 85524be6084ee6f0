"""The message catalogues: every key in every language, and how a language is chosen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import language
from autograd.language import (
    LANGUAGES,
    catalogue,
    current_language,
    fill,
    normalize_language,
    placeholders,
    set_language,
    text,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_chosen_language(monkeypatch):
    for variable in ("GLASSGRAD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    set_language(None)
    yield
    set_language(None)


def test_every_key_is_in_every_language():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    english = keys["en"]
    for lang, found in keys.items():
        assert found - english == set(), f"{lang} has keys English lacks"
        assert english - found == set(), f"{lang} lacks keys English has"


def test_every_text_has_the_same_placeholders_in_every_language():
    english = catalogue("en")
    for lang in LANGUAGES:
        for key, template in catalogue(lang).items():
            assert placeholders(template) == placeholders(english[key]), (lang, key)


def test_no_text_is_empty_or_left_untranslated():
    english = catalogue("en")
    chinese = catalogue("zh")
    for key, template in english.items():
        assert template.strip(), key
        assert chinese[key].strip(), key
    # Chinese texts with words in them are written in Chinese (formulas may be shared).
    words = [key for key, template in english.items() if re.search(r"[a-z]{4}", template)]
    untranslated = [key for key in words if not re.search(r"[\u4e00-\u9fff]", chinese[key])]
    assert untranslated == []


def test_the_article_terms_are_the_articles():
    assert text("term.forward_pass", lang="zh") == "正向传播"
    assert text("term.backward_pass", lang="zh") == "反向传播"
    assert text("term.chain_rule", lang="zh") == "链式法则"
    assert text("term.learning_rate", lang="zh") == "学习速率"


def _keys_used_in_code() -> set[str]:
    """Every literal key passed to text(...) in the packages (Python) and t(...) (JavaScript)."""
    used = set()
    for path in [*ROOT.glob("autograd/**/*.py"), *ROOT.glob("nn/**/*.py")]:
        used.update(re.findall(r"""\btext\(\s*["']([\w.]+)["']""", path.read_text("utf-8")))
    scripts = [*ROOT.glob("autograd/**/*.js"), *ROOT.glob("nn/**/*.js"), *ROOT.glob("web/src/*.js")]
    for path in scripts:
        used.update(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text("utf-8")))
    return used


def test_every_key_the_code_asks_for_exists():
    missing = _keys_used_in_code() - set(catalogue("en"))
    assert missing == set()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("ZH", "zh"),
        ("en", "en"),
        ("en_US.UTF-8", "en"),
        ("en-GB", "en"),
        ("fr_FR.UTF-8", None),
        ("C", None),
        ("", None),
    ],
)
def test_language_names_are_normalized(name, code):
    assert normalize_language(name) == code


def test_the_language_comes_from_the_argument_then_the_choice_then_the_environment(monkeypatch):
    assert current_language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert current_language() == "zh"
    monkeypatch.setenv("GLASSGRAD_LANG", "en")
    assert current_language() == "en"
    set_language("zh")
    assert current_language() == "zh"
    assert current_language("en") == "en"
    set_language(None)
    assert current_language() == "en"


def test_an_unknown_environment_language_falls_back(monkeypatch):
    monkeypatch.setenv("GLASSGRAD_LANG", "klingon")
    assert current_language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert current_language() == "zh"
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")  # the locale names a language we lack
    assert current_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "", "klingon", 3, None])
def test_an_unknown_language_asked_for_is_a_clear_error(bad):
    if bad is None:
        set_language(None)  # None is "back to the environment's", not an error
        return
    with pytest.raises(ValueError, match="'en' \\(English\\), 'zh' \\(简体中文\\)"):
        text("term.loss", lang=bad)
    with pytest.raises(ValueError, match="got"):
        set_language(bad)


def test_errors_follow_the_language_too():
    set_language("zh")
    with pytest.raises(ValueError, match="支持的语言"):
        current_language("fr")


def test_an_unknown_key_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        text("no.such.key")


@given(
    st.dictionaries(
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.text(max_size=10), min_size=1, max_size=4
    )
)
def test_fill_puts_each_field_where_its_placeholder_is(fields):
    template = " | ".join(f"{{{name}}}" for name in fields)
    assert fill(template, fields) == " | ".join(fields.values())


def test_fill_leaves_braces_in_fields_alone():
    # A field's own text is never read for placeholders (a formula may hold braces).
    assert fill("{a} and {b}", {"a": "{b}", "b": "x"}) == "{b} and x"


def test_catalogue_is_a_copy():
    copy = catalogue("en")
    copy["term.loss"] = "changed"
    assert text("term.loss", lang="en") == "loss"
    assert language.catalogue("en")["term.loss"] == "loss"
