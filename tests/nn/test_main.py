"""The demo's command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nn.__main__ import main
from tests.conftest import run_with_reader_gone


def test_help_explains_the_flags() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nn", "--help"], capture_output=True, text=True, check=True
    )
    for flag in ("--dataset", "--epochs", "--lr", "--optimizer", "--seed", "--out"):
        assert flag in result.stdout


def test_bad_flag_is_a_usage_error_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nn", "--dataset", "mnist"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "nn", "--epochs", "0"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "--epochs must be at least 1" in result.stderr


@pytest.mark.parametrize("lr", ["inf", "-inf", "nan", "0", "-1"])
def test_learning_rate_must_be_a_finite_positive_number(
    lr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--quiet", f"--lr={lr}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--lr must be a positive number" in err and "Traceback" not in err


def test_demo_prints_results_and_the_gradient_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "train accuracy  100.0%" in out
    assert "∂L/∂W2" in out and "closed form" in out
    worst = float(out.split("largest difference: ")[1].split()[0])
    assert worst <= 1e-12


def test_console_script_is_installed() -> None:
    import shutil

    script = shutil.which("glassgrad", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("glassgrad is not installed in this environment (pip install -e .)")
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert "article's network" in result.stdout


def test_demo_without_the_viz_extra_says_how_to_get_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    assert main(["--quiet", "--epochs", "2", "--out", str(tmp_path)]) == 0
    assert "glassgrad[viz]" in capsys.readouterr().out


@pytest.mark.parametrize(("lr", "advice"), [("1e5", "--lr 0.2"), ("1e308", "--lr 0.2")])
def test_diverged_training_is_one_line_with_a_sensible_smaller_lr(
    lr: str, advice: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "nn", "--dataset", "moons", "--lr", lr, "--quiet"]
    result = subprocess.run(
        [*command, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("glassgrad: error: training diverged in epoch ")
    assert f"try a smaller one, such as {advice}\n" in result.stderr


def test_a_small_learning_rate_that_diverges_is_advised_a_tenth() -> None:
    from nn.__main__ import diverged

    assert diverged(FloatingPointError("nan"), 1.5, 300).endswith("such as --lr 0.15")


def test_a_bad_output_folder_is_a_usage_error_before_training(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("not a folder", encoding="utf-8")
    for out in (file, file / "x"):
        result = subprocess.run(
            [sys.executable, "-m", "nn", "--quiet", "--out", str(out)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2 and result.stdout == ""  # nothing trained
        assert result.stderr.splitlines()[-1].startswith(f"glassgrad: error: --out {out}: ")
        assert "Traceback" not in result.stderr


def test_output_folder_is_made_if_missing(tmp_path: Path) -> None:
    out = tmp_path / "new" / "pictures"
    assert main(["--quiet", "--epochs", "2", "--out", str(out)]) == 0
    assert out.is_dir()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    # As python -m nn | head: the pipe closes before the demo has printed everything.
    code, err = run_with_reader_gone(["nn", "--quiet", "--epochs", "2", "--out", str(tmp_path)])
    assert code == 1 and err == ""
