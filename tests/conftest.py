"""Shared fixtures: the two Graphviz renderers, and the machine without `dot`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# The tests read English unless they ask for another language: a developer's
# locale (LANG=zh_CN.UTF-8) must not change what they read, here or in the
# programs and notebook kernels they start.
os.environ["GLASSGRAD_LANG"] = "en"


def path_without_dot() -> str:
    """This process's PATH minus every folder that holds a ``dot`` program."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(
        folder for folder in folders if folder and not (Path(folder) / "dot").exists()
    )


def need(what: str, reason: str) -> None:
    """Skip for want of ``what``, except in CI, whose set-up (.ci/run) installs it."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what} (.ci/run installs it): {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["dot", "no dot"])
def renderer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with Graphviz's ``dot`` and once as on a machine without it.

    "no dot" takes every folder holding ``dot`` off PATH (for this process and
    any kernel or program it starts), so rendering must fall back to the
    WebAssembly Graphviz of the ``viz`` extra.
    """
    if request.param == "dot":
        if shutil.which("dot") is None:
            need("Graphviz's dot", "Graphviz's dot program is not installed")
    else:
        monkeypatch.setenv("PATH", path_without_dot())
        assert shutil.which("dot") is None
    return request.param


def refuse_other_origins(target: Any, allowed: tuple[str, ...]) -> list[str]:
    """Let a Playwright page or context load only URLs that start with ``allowed``.

    Every other request is aborted and its URL appended to the returned list,
    which a test asserts is empty: a page must load nothing from elsewhere.
    """
    refused: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(allowed):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    target.route("**/*", route)
    return refused


def run_with_reader_gone(arguments: list[str]) -> tuple[int, str]:
    """Run ``python -m <arguments>`` with its output closed at once, as ``| head`` does.

    Returns:
        The exit status and what the command wrote to stderr.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    return process.wait(), err


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that drive Chromium ``browser`` (they use the ``browser`` fixture)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
