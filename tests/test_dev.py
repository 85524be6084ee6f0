"""``dev.py``, the one command a fresh machine needs: its help and its usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dev(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), *arguments], capture_output=True, text=True
    )


def test_help_lists_the_tasks_and_succeeds() -> None:
    for flag in ("--help", "-h", "help"):
        answer = dev(flag)
        assert answer.returncode == 0, answer.stderr
        for task in ("demo", "test", "bench", "site"):
            assert f"python3 dev.py {task}" in answer.stdout


def test_an_unknown_task_fails_with_the_usage() -> None:
    for arguments in ((), ("deploy",)):
        answer = dev(*arguments)
        assert answer.returncode != 0
        assert "python3 dev.py site" in answer.stderr
