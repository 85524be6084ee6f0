"""Set up glassgrad on a fresh machine and run the demo or the tests.

    python3 dev.py demo [demo flags...]   # train the article's network
    python3 dev.py test [pytest flags...] # lint, then every test and notebook

Needs only Python 3.11+. The first run creates ``.venv`` beside this file and
installs glassgrad into it with the extras the task needs; later runs reuse it
and reinstall only when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

EXTRAS = {"demo": "demo", "test": "dev", "bench": "dev,bench"}


def ensure_environment(extras: str) -> None:
    """Create the venv and install glassgrad with ``extras`` unless already done."""
    if sys.version_info < (3, 11):
        sys.exit(f"glassgrad needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{extras.replace(',', '-')}-{digest}"
    if stamp.exists():
        return
    print(f"Installing glassgrad[{extras}] into {VENV} ...", flush=True)
    run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]"])
    stamp.touch()


def run(command: list[object]) -> None:
    """Run a command from the repository root; stop with its exit code if it fails."""
    result = subprocess.run([str(part) for part in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in EXTRAS:
        sys.exit(__doc__)
    task, rest = argv[0], argv[1:]
    ensure_environment(EXTRAS[task])
    if task == "demo":
        run([PYTHON, "-m", "nn", *rest])
    elif task == "test":
        run([PYTHON, "-m", "ruff", "check", "."])
        run([PYTHON, "-m", "ruff", "format", "--check", "."])
        run([PYTHON, "-m", "pytest", "-n", "2", *rest])
    elif task == "bench":
        for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            run([PYTHON, script, *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
