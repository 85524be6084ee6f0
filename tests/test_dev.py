"""dev.py, the one command a fresh machine needs: its help, usage errors and notebooks task."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import dev
from tests.conftest import need

LESSONS = sorted(path.name for path in (dev.ROOT / "notebooks").glob("*.ipynb"))


def test_the_lab_command_opens_the_notebooks_folder() -> None:
    command = dev.lab_command("python", ["--port=9999"], as_root=False)
    root = f"--ServerApp.root_dir={dev.ROOT / 'notebooks'}"
    assert command == ["python", "-m", "jupyterlab", root, "--port=9999"]
    assert LESSONS and all(name[:2].isdigit() for name in LESSONS)
    # As root JupyterLab refuses to start unless told it may.
    assert dev.lab_command("python", [], as_root=True)[-1] == "--allow-root"


def test_jupyterlab_comes_from_the_dev_extras_pin() -> None:
    pyproject = (dev.ROOT / "pyproject.toml").read_text("utf-8")
    requirement = dev.jupyterlab_requirement()
    assert requirement.startswith("jupyterlab") and f'"{requirement}"' in pyproject


@pytest.mark.parametrize("installed", [True, False])
def test_the_notebooks_task_sets_up_the_extra_and_jupyterlab_then_opens_the_lessons(
    installed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, object]] = []

    class Lab:
        def __init__(self, command: list[str], cwd: Path) -> None:
            calls.append(("lab", command))

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(dev, "ensure_environment", lambda extras: calls.append(("env", extras)))
    monkeypatch.setattr(dev, "has_module", lambda python, name: installed)
    monkeypatch.setattr(dev, "run", lambda command: calls.append(("run", command)))
    monkeypatch.setattr(dev.subprocess, "Popen", Lab)
    with pytest.raises(SystemExit) as stop:
        dev.main(["notebooks", "--no-browser"])
    assert stop.value.code == 0
    expected: list[tuple[str, object]] = [("env", "notebooks")]
    if not installed:
        pip = [dev.PYTHON, "-m", "pip", "install", "--quiet", dev.jupyterlab_requirement()]
        expected.append(("run", pip))
    expected.append(("lab", dev.lab_command(dev.PYTHON, ["--no-browser"])))
    assert calls == expected


def test_ctrl_c_leaves_jupyterlab_to_shut_itself_down(monkeypatch: pytest.MonkeyPatch) -> None:
    # JupyterLab gets the Ctrl-C too: it asks, then stops its kernels. dev.py waits for it.
    waits = iter([KeyboardInterrupt(), KeyboardInterrupt(), 0])

    class Lab:
        def __init__(self, command: list[str], cwd: Path) -> None:
            pass

        def wait(self) -> int:
            answer = next(waits)
            if isinstance(answer, BaseException):
                raise answer
            return answer

    monkeypatch.setattr(dev, "has_module", lambda python, name: True)
    monkeypatch.setattr(dev.subprocess, "Popen", Lab)
    assert dev.open_notebooks("python", []) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.notebook
def test_the_lab_command_serves_the_lessons(tmp_path: Path) -> None:
    if not dev.has_module(sys.executable, "jupyterlab"):
        need("jupyterlab", "jupyterlab is not installed (pip install 'glassgrad[dev]')")
    port, token = free_port(), "glassgrad-test"
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{name}_DIR"] = str(tmp_path / name.lower())
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")
    flags = ["--no-browser", f"--port={port}", f"--IdentityProvider.token={token}"]
    lab = subprocess.Popen(
        dev.lab_command(sys.executable, flags),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/contents?token={token}"
        deadline = time.monotonic() + 90
        listing = None
        while listing is None and time.monotonic() < deadline and lab.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    listing = json.load(answer)
            except OSError:
                time.sleep(0.5)
        assert listing is not None, f"JupyterLab did not answer (exit code {lab.poll()})"
        # The lessons, and the folder of their Chinese editions.
        assert sorted(item["name"] for item in listing["content"]) == sorted([*LESSONS, "zh"])
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
            lab.wait()


def dev_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(dev.ROOT / "dev.py"), *arguments], capture_output=True, text=True
    )


def test_help_lists_the_tasks_and_succeeds() -> None:
    for flag in ("--help", "-h", "help"):
        answer = dev_command(flag)
        assert answer.returncode == 0, answer.stderr
        for task in ("demo", "test", "bench", "site", "notebooks"):
            assert f"python3 dev.py {task}" in answer.stdout


def test_an_unknown_task_fails_with_the_usage() -> None:
    for arguments in ((), ("deploy",)):
        answer = dev_command(*arguments)
        assert answer.returncode != 0
        assert "python3 dev.py site" in answer.stderr
