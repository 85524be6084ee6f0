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


@pytest.mark.parametrize(
    ("lr", "reason"),
    [
        ("inf", "inf is not a finite number"),
        ("-inf", "-inf is not a finite number"),
        ("nan", "nan is not a number"),
        ("0", "0 would never change the weights"),
        ("-1", "-1 is negative, which steps up the gradient and makes the loss grow"),
    ],
)
def test_learning_rate_must_be_a_finite_positive_number(
    lr: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--quiet", f"--lr={lr}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--lr must be a positive number, such as --lr 0.2: " in err and "Traceback" not in err
    assert err.endswith(f": {reason}\n") or f": {reason} (" in err, err


@pytest.mark.parametrize("name", ["x.png", "pictures/graph.SVG", "stepper.html", "out.pdf"])
def test_an_output_name_that_looks_like_a_file_is_refused(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["--quiet", "--out", name])
    assert stop.value.code == 2
    err = capsys.readouterr().err.splitlines()[-1]
    folder = str(Path(name).with_suffix(""))
    assert err.startswith(f"glassgrad: error: --out {name} looks like a file name, but --out ")
    assert err.endswith(f"try --out {folder}")
    assert list(tmp_path.iterdir()) == []  # no folder named like a file, nothing trained


def test_an_existing_folder_with_a_dot_in_its_name_is_still_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "run.png"  # odd, but a folder the user made
    folder.mkdir()
    assert main(["--quiet", "--epochs", "2", "--out", str(folder)]) == 0
    assert "looks like a file" not in capsys.readouterr().err


def test_samples_for_xor_gets_a_note_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", "--epochs", "2", "--samples", "50", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "on xor (4 samples)" in out
    assert (
        "glassgrad: note: --samples is for the other datasets (blobs, circles, moons, spirals); "
        "xor is always the 4 corners of the unit square, so --samples 50 changes nothing"
    ) in err
    assert main(["--quiet", "--epochs", "2", "--out", str(tmp_path)]) == 0
    assert "--samples" not in capsys.readouterr().err  # not given: no note
    assert main(["--quiet", "--epochs", "2", "--dataset", "moons", "--samples", "10"]) == 0
    out, err = capsys.readouterr()
    assert "on moons (10 samples)" in out and "--samples" not in err


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


def test_the_demo_ends_with_what_to_open_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", "--epochs", "2", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    after = out.split("What to open next:\n", 1)[1].splitlines()
    commands = after[0::2]
    assert commands[0].strip() == str(tmp_path / "stepper.html")
    assert (tmp_path / "stepper.html").exists()
    assert commands[1].strip().endswith("dev.py notebooks")
    assert commands[2].strip().endswith("dev.py site")
    assert commands[3].strip().endswith('-m autograd.step "(a*b + a).tanh()" a=2 b=-3')
    assert all(line.startswith("      ") for line in after[1::2])  # what each one is


def test_the_step_command_shown_next_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex

    assert main(["--quiet", "--epochs", "2", "--out", str(tmp_path)]) == 0
    line = capsys.readouterr().out.splitlines()[-2].strip()
    python, *arguments = shlex.split(line)
    assert Path(python).name.startswith("python")
    result = subprocess.run([sys.executable, *arguments], capture_output=True, text=True)
    assert result.returncode == 0 and "∂out/∂a" in result.stdout


def test_without_pictures_next_steps_leave_out_the_stepper_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    assert main(["--quiet", "--epochs", "2", "--out", str(tmp_path)]) == 0
    after = capsys.readouterr().out.split("What to open next:\n", 1)[1]
    assert "stepper.html" not in after and "dev.py notebooks" in after


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--lr", "10", "--optimizer", "sgd"],
            "training diverged: the loss rose from 0.7598 to ",
        ),
        (["--lr", "1e-6"], "training stalled: in 300 epochs the loss only went from 0.7598 to "),
    ],
)
def test_a_run_that_did_not_learn_says_so_and_what_to_try(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", *flags, "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    (line,) = err.splitlines()
    assert line.startswith("glassgrad: warning: " + message)  # fit's own words, one line
    if "10" in flags:
        assert "The learning rate 10 is probably too large: try a smaller one" in line
    else:
        assert "The learning rate 1e-06 is probably too small: try a larger one" in line


def test_a_run_that_learns_gets_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quiet", "--out", str(tmp_path)]) == 0
    assert "warning" not in capsys.readouterr().err


# --- Languages -----------------------------------------------------------------------------


def test_the_demo_speaks_chinese_with_lang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.language import current_language

    assert main(["--quiet", "--lang", "zh", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("glassgrad：在 xor（4 个样本）上训练 MLP(")
    assert "学习速率 0.2" in out and "训练准确率  100.0%" in out
    assert "引擎算出的梯度与文章中的公式对比" in out and "∂L/∂W2 = (ŷ − y) · a1ᵀ" in out
    worst = float(out.split("最大差值：")[1].split()[0])
    assert worst <= 1e-12
    assert "接下来可以打开：" in out and "正向传播和反向传播" in out
    assert current_language() == "en"  # the language is the command's only


def test_the_demos_columns_line_up_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.language import display_width

    assert main(["--quiet", "--epochs", "2", "--lang", "zh", "--out", str(tmp_path)]) == 0
    rows = capsys.readouterr().out.splitlines()
    header = next(i for i, row in enumerate(rows) if row.startswith("  参数"))
    heading, first = rows[header], rows[header + 1]
    # The engine column ends where the first row's number ends (a Chinese character is two wide).
    assert display_width(heading[: heading.index("引擎") + 2]) == len(first.split()[1]) + len(
        first[: first.index(first.split()[1])]
    )


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [
        (["--lr", "-1"], "glassgrad：错误：--lr 必须是正数，例如 --lr 0.2：-1 是负数"),
        (["--epochs", "0"], "glassgrad：错误：--epochs 至少要是 1"),
        (["--dataset", "mnist"], "glassgrad：错误：参数 --dataset：无效的选择：'mnist'"),
        (["--out", "x.png"], "看起来像文件名，但 --out 是演示程序存放图片的文件夹"),
    ],
)
def test_the_demos_usage_errors_speak_chinese(
    argv: list[str],
    chinese: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["--quiet", "--lang", "zh", *argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：glassgrad") and chinese in err


def test_the_demo_follows_glassgrad_lang() -> None:
    import os

    env = {**os.environ, "GLASSGRAD_LANG": "zh"}
    result = subprocess.run(
        [sys.executable, "-m", "nn", "--help"], capture_output=True, text=True, check=True, env=env
    )
    assert "文章中的网络" in result.stdout and "学习速率 η" in result.stdout
    assert "（默认：0.2）" in result.stdout


def test_a_diverged_run_and_fits_advice_speak_chinese(tmp_path: Path, capsys) -> None:
    argv = ["--quiet", "--dataset", "moons", "--lr", "1e5", "--lang", "zh", "--out", str(tmp_path)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("glassgrad：错误：训练在第 ") and "--lr 100000 太大" in err


def test_export_speaks_chinese_with_lang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import nn

    model_file = tmp_path / "model.json"
    nn.seed_network(seed=0).save(model_file)
    script = tmp_path / "train.py"
    assert main(["export", str(model_file), "--torch", str(script), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"已写出 {script}：PyTorch 在 xor（4 个样本）上训练 MLP(")
    assert f"  运行它：python {script}" in out
    with pytest.raises(SystemExit):
        main(["export", str(tmp_path / "missing.json"), "--torch", str(script), "--lang", "zh"])
    assert "glassgrad export：错误：" in capsys.readouterr().err
