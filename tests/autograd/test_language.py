"""The message catalogues: every key in every language, and how a language is chosen."""

from __future__ import annotations

import contextlib
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
    # A placeholder's name is no word: "{what}; {advice}" has none.
    words = [
        key
        for key, template in english.items()
        if re.search(r"[a-z]{4}", re.sub(r"\{\w*\}", "", template))
    ]
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
    for path in ROOT.glob("web/src/*.html"):  # a page's words: data-t="key", data-t-label="key"
        used.update(re.findall(r'\bdata-t(?:-label)?="([\w.]+)"', path.read_text("utf-8")))
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


def test_using_language_speaks_inside_and_restores_after():
    from autograd.language import using_language

    set_language("en")
    with using_language("zh") as chosen:
        assert chosen == "zh" and text("term.loss") == "损失"
        with using_language(None):  # None keeps the current language
            assert current_language() == "zh"
    assert current_language() == "en"
    with pytest.raises(RuntimeError), using_language("zh"):
        raise RuntimeError
    assert current_language() == "en"


def test_word_lists_join_as_each_language_writes():
    from autograd.language import word_list

    assert word_list(["a"], "en") == "a"
    assert word_list(["a", "b", "c"], "en") == "a, b and c"
    assert word_list(["a", "b", "c"], "zh") == "a、b 和 c"


@given(st.text(alphabet="正向传播反向链式法则，。（）ab c", max_size=80), st.integers(6, 30))
def test_wrapped_lines_fit_and_keep_every_character(line, width):
    from autograd.language import display_width, wrap

    lines = wrap(line, width)
    assert "".join(lines).replace(" ", "") == line.replace(" ", "")
    for row in lines:  # a line is over the width only when it cannot be broken
        assert display_width(row) <= width or wrap(row, width) == [row]
        if " " not in line:  # a closing mark stays with the character before it
            assert row[0] not in "，。）" or row is lines[0]


def _argparse_error(argv: list[str]) -> str:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--kind", choices=["a", "b"])
    parser.add_argument("--size", type=float)
    caught: list[str] = []
    parser.error = caught.append  # type: ignore[method-assign]
    with contextlib.suppress(TypeError, AttributeError):
        parser.parse_args(argv)  # it goes on after error(), which no longer exits
    return caught[0]


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [
        (["1", "--kind", "c"], "参数 --kind：无效的选择：'c'（可选："),
        (["x"], "参数 n：无效的 int 值：'x'"),
        (["1", "--size"], "参数 --size：需要给一个值"),
        (["1", "2"], "无法识别的参数：2"),
        ([], "缺少必需的参数：n"),
    ],
)
def test_argparse_errors_are_said_in_chinese(argv, chinese):
    from autograd.language import translate_argparse

    english = _argparse_error(argv)
    assert translate_argparse(english, "en") == english
    assert translate_argparse(english, "zh").startswith(chinese)


def test_a_parser_of_its_own_speaks_the_language_it_was_made_in(capsys):
    from autograd.language import argument_parser

    parser = argument_parser("zh", prog="demo", description="一个例子")
    parser.add_argument("--count", type=int, default=3, help="次数")
    with pytest.raises(SystemExit):
        parser.parse_args(["-h"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：demo") and "显示这段帮助并退出" in shown and "选项" in shown
    with pytest.raises(SystemExit):
        parser.parse_args(["--count", "x"])
    assert capsys.readouterr().err.endswith("demo：错误：参数 --count：无效的 int 值：'x'\n")
    assert parser.parse_args(["--lang", "zh_CN.UTF-8"]).lang == "zh"


def test_the_engines_and_nns_errors_speak_chinese_too():
    import autograd
    import nn
    from autograd.language import using_language
    from nn import export, plots

    model = nn.MLP(2, [3, 1])
    refusals = [
        (lambda: autograd.dot([1.0, 2.0], [1.0]), "2 个权重和 1 个输入"),
        (lambda: autograd.record(3), "record：output 必须是一个 Value"),
        (lambda: autograd.gradcheck(3, [1.0]), "gradcheck：f 必须是输入的函数"),
        (lambda: model([1.0, 2.0, 3.0]), "接受 2 个输入特征"),
        (lambda: nn.MLP.settings_from({"nin": 0}), "'nin' 必须是 >= 1 的整数"),
        (lambda: plots.decision_boundary(nn.MLP(3, [1]), [], [], "a.png"), "决策边界"),
        (lambda: export.torch_script(model, [[0.0, 1.0]], [1], loss="zzz"), "损失函数"),
        (lambda: nn.fit(model, [[0.0, 1.0]], [1], epochs=1, on_epoch=3), "on_epoch 必须是"),
    ]
    with using_language("zh"):
        for refuse, chinese in refusals:
            with pytest.raises((TypeError, ValueError), match=re.escape(chinese)):
                refuse()
