"""Set up glassgrad on a fresh machine and run the demo or the tests.

    python3 dev.py demo [demo flags...]   # train the article's network
    python3 dev.py test [pytest flags...] # lint, then every test and notebook
    python3 dev.py bench                  # benchmarks against micrograd

Needs only Python 3.11+. The first run creates ``.venv`` beside this file and
installs glassgrad into it with the extras the task needs; later runs reuse it
and reinstall only when ``pyproject.toml`` changes.

``test`` also runs the suite (less the browser and notebook tests, which
check pages and lessons rather than arithmetic) under every other Python
glassgrad supports (3.11, 3.12, 3.13) that the machine has, on PATH or in
pyenv's versions folder, each in its own ``.venv-3.x`` with the ``test``
extra; a missing one is skipped with a note.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

EXTRAS = {"demo": "demo", "test": "dev", "bench": "dev,bench"}
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


def ensure_environment(extras: str, base: str = sys.executable, venv: Path = VENV) -> Path:
    """Create ``venv`` from the ``base`` interpreter and install glassgrad with ``extras``.

    Skips what is already done; returns the venv's python.
    """
    python = venv / PYTHON.relative_to(VENV)
    if not python.exists():
        print(f"Creating a virtual environment in {venv} ...", flush=True)
        run([base, "-m", "venv", venv])
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = venv / f".installed-{extras.replace(',', '-')}-{digest}"
    if not stamp.exists():
        print(f"Installing glassgrad[{extras}] into {venv} ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]"])
        stamp.touch()
    return python


def find_python(version: str) -> str | None:
    """An interpreter of ``version`` (e.g. "3.13"): pyenv's newest, else one on PATH."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    installed = (pyenv_root / "versions").glob(f"{version}.*/bin/python{version}")
    newest_first = sorted(installed, key=lambda path: _release(path.parts[-3]), reverse=True)
    for candidate in [*map(str, newest_first), f"python{version}"]:
        # A pyenv shim on PATH exists for every version but may refuse to run: ask it.
        try:
            answer = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
            )
        except OSError:
            continue
        if answer.returncode == 0 and answer.stdout.strip() == version:
            return candidate
    return None


def _release(name: str) -> list[int]:
    """ "3.13.0" -> [3, 13, 0], for sorting versions."""
    return [int(part) for part in name.split(".") if part.isdigit()]


def test_other_pythons(pytest_args: list[str]) -> None:
    """Run the suite under each supported Python other than this one, where present."""
    this = f"{sys.version_info.major}.{sys.version_info.minor}"
    for version in SUPPORTED_PYTHONS:
        if version == this:
            continue
        base = find_python(version)
        if base is None:
            print(f"\nPython {version} is not on this machine: its test run is skipped", flush=True)
            continue
        print(f"\nThe suite under Python {version} ({base}):", flush=True)
        python = ensure_environment("test", base, ROOT / f".venv-{version}")
        # Pages and notebooks are checked under this Python; under the others,
        # everything that computes (engine, nn, drawings, the step data).
        run([python, "-m", "pytest", "-n", "2", "-m", "not browser and not notebook", *pytest_args])


def run(command: list[object]) -> None:
    """Run a command from the repository root; stop with its exit code if it fails."""
    result = subprocess.run([str(part) for part in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in EXTRAS:
        sys.exit(__doc__)
    if sys.version_info < (3, 11):
        sys.exit(f"glassgrad needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    task, rest = argv[0], argv[1:]
    ensure_environment(EXTRAS[task])
    if task == "demo":
        run([PYTHON, "-m", "nn", *rest])
    elif task == "test":
        run([PYTHON, "-m", "ruff", "check", "."])
        run([PYTHON, "-m", "ruff", "format", "--check", "."])
        run([PYTHON, "-m", "pytest", "-n", "2", *rest])
        test_other_pythons(rest)
    elif task == "bench":
        for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            run([PYTHON, script, *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
