"""The stepper's quiz in a real browser: right and wrong answers, hints, the score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("graphviz")

import nn
from autograd import Value
from autograd.stepper import Stepper
from tests.autograd.test_stepper import (  # the fixtures and helpers of the stepper's tests
    ARTIFACTS,
    DESKTOP,
    GRAPH_TOP,
    PHONE,
    browser,
    open_page,
    served,
)

__all__ = ["browser", "served"]  # fixtures, used by name


def asked(stepper: Stepper, forward: bool = False) -> list[int]:
    return [
        i
        for i, frame in enumerate(stepper.frames)
        if frame["quiz"] and (forward or frame["phase"] == "backward")
    ]


def state(page: Any) -> dict:
    return page.locator(".gg-stepper").evaluate(
        """(root) => ({
          current: Number(root.getAttribute('data-current')),
          asking: root.getAttribute('data-asking') === '1',
          score: root.getAttribute('data-score'),
          finished: root.getAttribute('data-finished') === '1',
          formula: root.querySelector('.gg-formula .gg-shown').textContent,
          marks: Array.from(root.querySelectorAll('.gg-q-row')).filter(
            (r) => r.style.visibility !== 'hidden').map(
            (r) => r.querySelector('.gg-q-mark .gg-shown').textContent),
          feedback: root.querySelector('.gg-q-feedback .gg-shown').textContent,
          rule: root.querySelector('.gg-q-rule .gg-shown').textContent,
          hint: root.querySelector('.gg-q-hint .gg-shown').textContent,
          score_text: root.querySelector('.gg-score .gg-shown').textContent,
        })"""
    )


def answer(page: Any, values: list[str]) -> None:
    inputs = page.locator(".gg-q-input")
    for k, value in enumerate(values):
        if inputs.nth(k).is_enabled():
            inputs.nth(k).fill(value)
    page.click("[data-quiz=check]")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_quiz_on_the_articles_network_right_wrong_hint_and_score(
    browser: Any, served: tuple[Path, str], viewport: dict
) -> None:
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0, quiz=True)
    (folder / "quiz.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/quiz.html", viewport)
    root = page.locator(".gg-stepper")
    assert "0.001" in page.inner_text(".gg-q-tolerance")  # the tolerance is stated
    questions = asked(stepper)
    first = questions[0]
    # Forward steps are not asked: Last stops at the first backward question.
    page.click("[data-act=last]")
    now = state(page)
    assert now["current"] == first and now["asking"]
    ask = stepper.frames[first]["quiz"]
    assert now["formula"] == ask["masked"] and "?" in now["formula"]
    # While asking, the picture is still as before the step: the parent's grad unknown.
    parent_box = stepper.picture.ids[
        next(n for n, name in stepper._names.items() if name == ask["parent"])
    ]
    texts = page.locator(f'.gg-view svg [id="{parent_box}"] text').all_text_contents()
    assert texts[1] == "grad ?"
    # Next does not skip the question.
    page.click("[data-act=next]")
    assert state(page)["current"] == first
    top = root.evaluate(GRAPH_TOP)
    # A wrong answer: marked wrong, no hint yet.
    wrong = [f"{q['answer'] + 1:.4g}" for q in ask["questions"]]
    answer(page, wrong)
    now = state(page)
    assert now["marks"] == [f"✗ not {w}" for w in wrong] and now["asking"]
    assert now["feedback"].startswith("Not quite") and now["hint"] == "" and now["rule"] == ""
    # A second miss: the hint.
    answer(page, wrong)
    now = state(page)
    assert now["hint"].count("Hint:") == len(ask["questions"])
    assert ask["questions"][0]["hint"] in now["hint"]
    # Right, with a typographic minus where the answer is negative.
    answer(page, [q["shown"] for q in ask["questions"]])
    now = state(page)
    assert now["marks"] == ["✓ right"] * len(ask["questions"]) and not now["asking"]
    assert now["rule"] == ask["rule"] and now["feedback"].startswith("All right")
    assert now["formula"] == stepper.frames[first]["text"]  # the step, now shown whole
    assert now["score"] == f"0/{len(ask['questions'])}"
    assert root.evaluate(GRAPH_TOP) == top  # nothing above the graph changed height
    # The rest, answered right at once (one revealed), step by step.
    total = sum(len(stepper.frames[i]["quiz"]["questions"]) for i in questions)
    revealed = questions[-1]
    for index in questions[1:]:
        page.click("[data-act=next]")
        while state(page)["current"] < index:
            page.click("[data-act=next]")
        now = state(page)
        assert now["current"] == index and now["asking"]
        assert root.evaluate(GRAPH_TOP) == top
        questions_here = stepper.frames[index]["quiz"]["questions"]
        if index == revealed:
            page.click("[data-quiz=reveal]")
            assert state(page)["feedback"].startswith("Here are the answers")
        else:
            answer(page, [q["shown"] for q in questions_here])
            assert state(page)["marks"] == ["✓ right"] * len(questions_here)
    now = state(page)
    right = total - len(ask["questions"]) - len(stepper.frames[revealed]["quiz"]["questions"])
    assert now["finished"] and now["score"] == f"{right}/{total}"
    assert now["score_text"] == f"Quiz finished: {right} of {total} right at the first try."
    name = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=str(ARTIFACTS / f"quiz-network-{name}.png"))
    assert errors == [] and foreign == []
    page.context.close()


def test_reuse_asks_for_the_running_sum_and_enter_checks(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    stepper = Stepper(y, quiz=True)
    (folder / "reuse.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/reuse.html", PHONE)
    page.click("[data-act=last]")
    labels = page.locator(".gg-q-row .gg-q-label .gg-shown").all_text_contents()
    assert labels[:3] == [
        "∂y/∂x, the local derivative",
        "what x receives",
        "∂y/∂x now (the running sum)",
    ]
    inputs = page.locator(".gg-q-input")
    inputs.nth(0).fill("3")
    inputs.nth(1).fill("3")
    inputs.nth(2).fill("9")  # x·x is not x², ... but the sum of two paths: 3 + 3
    inputs.nth(2).press("Enter")
    now = state(page)
    assert now["marks"] == ["✓ right", "✓ right", "✗ not 9"]
    page.locator(".gg-q-input").nth(2).fill("6")
    page.locator(".gg-q-input").nth(2).press("Enter")
    now = state(page)
    assert now["finished"] and now["score"] == "2/3"
    assert now["rule"].endswith("∂y/∂x = 3 + 3 = 6")
    assert errors == [] and foreign == []


def test_the_switch_turns_the_quiz_on_and_forward_steps_can_be_asked(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + a
    out.label = "out"
    stepper = Stepper(out)  # not a quiz page: the switch is there, off
    (folder / "plain.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/plain.html", DESKTOP)
    assert not page.locator(".gg-quiz").is_visible()
    page.click("[data-act=last]")
    assert state(page)["current"] == len(stepper.frames) - 1
    page.check(".gg-quiz-on")
    assert state(page)["current"] == 0  # the quiz starts from the first step
    page.click("[data-act=last]")
    assert state(page)["current"] == asked(stepper)[0]
    page.check(".gg-quiz-forward")
    page.click("[data-act=last]")
    now = state(page)
    assert now["current"] == 0 and now["asking"] and now["formula"].endswith("= ?")
    answer(page, ["-6"])
    assert state(page)["marks"] == ["✓ right"]
    page.uncheck(".gg-quiz-on")
    page.click("[data-act=last]")
    assert state(page)["current"] == len(stepper.frames) - 1
    assert errors == [] and foreign == []


def test_without_javascript_a_quiz_page_says_so_and_shows_its_answers(
    browser: Any, served: tuple[Path, str]
) -> None:
    folder, base = served
    stepper = nn.seed_network(seed=0).stepper(x=[0.5, 1.0], y=1.0, quiz=True)
    (folder / "quiz.html").write_text(stepper.page(), encoding="utf-8")
    page, errors, foreign = open_page(browser, f"{base}/quiz.html", PHONE, javascript=False)
    assert "The quiz needs JavaScript" in page.inner_text(".gg-quiz-nojs")
    rows = page.locator(".gg-answers tr")
    expected = [q for i in asked(stepper) for q in stepper.frames[i]["quiz"]["questions"]]
    assert rows.count() == len(expected) + 1
    assert rows.nth(1).locator("td").all_inner_texts()[1:] == [
        expected[0]["label"],
        expected[0]["shown"],
    ]
    assert errors == [] and foreign == []
    page.context.close()
    # With JavaScript the answers are not on the page.
    page, errors, foreign = open_page(browser, f"{base}/quiz.html", PHONE)
    assert page.locator(".gg-quiz-nojs").count() == 0
    page.context.close()
