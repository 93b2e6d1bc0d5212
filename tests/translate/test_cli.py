import json
import re
import subprocess
from pathlib import Path

import pytest

from testkit.flores import flores_dir
from testkit.processes import run_python
from translate.cli import main

FLORES = flores_dir()
SENTENCES = [
    "Bộ Ngoại giao đã tiếp đoàn đại biểu cấp cao tại Hà Nội.",
    "Thủ tướng Chính phủ khẳng định kế hoạch phát triển kinh tế.",
    "Ngân hàng Nhà nước công bố thỏa thuận thương mại tự do.",
    "Đại sứ quán Việt Nam chúc mừng lễ kỷ niệm quốc khánh.",
]


def run_cli(args: list[str], packages: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_python(["-m", "translate", *args], {"ARGOS_PACKAGES_DIR": str(packages)}, stdin=stdin)


def test_help_lists_every_command() -> None:
    result = run_python(["-m", "translate", "--help"])
    assert result.returncode == 0, result.stderr
    for command in ("install", "list", "build-package", "translate", "eval"):
        assert command in result.stdout


def test_install_and_list(
    package_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    assert main(["list"]) == 0
    assert "no packages installed" in capsys.readouterr().out
    assert main(["install", str(package_files["vi-en"])]) == 0
    assert main(["install", str(package_files["en-fr"])]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["from"], row["to"], row["model_id"]) for row in listed] == [
        ("en", "fr", "synthetic-tiny-en-fr"),
        ("vi", "en", "synthetic-tiny-vi-en"),
    ]


def test_install_of_a_missing_file_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    assert main(["install", str(tmp_path / "nope.argosmodel")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_translate_stdin_to_stdout_matches_the_stock_argos_path(installed_dir: Path, tmp_path: Path) -> None:
    text = "\n".join([*SENTENCES, "", "15/3/2024"]) + "\n"
    cache = tmp_path / "cache.sqlite"
    # argostranslate always decodes with length penalty 0.2 (and beam 4 by default): the engine is
    # given the same settings instead of the package's decoder.yml ones
    argos_decoding = ["--beam-size", "4", "--length-penalty", "0.2"]
    engine = run_cli(
        ["translate", "--from", "vi", "--cache", str(cache), *argos_decoding], installed_dir, stdin=text
    )
    assert engine.returncode == 0, engine.stderr
    lines = engine.stdout.split("\n")[:-1]
    assert len(lines) == len(SENTENCES) + 2
    assert lines[-2:] == ["", "15/3/2024"]
    assert cache.is_file()
    stock = run_cli(["translate", "--from", "vi", "--backend", "argos"], installed_dir, stdin=text)
    assert stock.returncode == 0, stock.stderr
    assert "HTTPS" not in stock.stdout + stock.stderr, "the stock path must not try the network"
    assert stock.stdout.split("\n")[: len(SENTENCES)] == lines[: len(SENTENCES)]


def test_translate_file_shows_progress_on_long_input(installed_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "long.vi"
    source.write_text("\n".join(SENTENCES * 40) + "\n", encoding="utf-8")
    result = run_cli(["translate", str(source), "--from", "vi"], installed_dir)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split("\n")[:-1]) == 160
    assert "160/160" in result.stderr


def test_translate_without_a_model_names_the_fix(vi_en_dir: Path) -> None:
    result = run_cli(["translate", "--from", "km", "--to", "en"], vi_en_dir, stdin="ព័ត៌មាន\n")
    assert result.returncode == 2
    assert "python -m translate install km_en.argosmodel" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_translates_and_scores(
    installed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(installed_dir))
    source, reference = tmp_path / "s.vi", tmp_path / "s.en"
    source.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    reference.write_text("\n".join(["The ministry received a delegation."] * 4) + "\n", encoding="utf-8")
    out, hypotheses = tmp_path / "scores.json", tmp_path / "hyp.en"
    argv = ["eval", "--src", str(source), "--ref", str(reference), "--from", "vi", "--out", str(out)]
    assert main([*argv, "--save-hyp", str(hypotheses)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["sentences"] == 4 and 0 <= scores["chrf"] < 50
    assert f"chrF {scores['chrf']:.2f}" in capsys.readouterr().out
    assert len(hypotheses.read_text(encoding="utf-8").split("\n")[:-1]) == 4


def test_eval_without_src_or_hyp_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = tmp_path / "s.en"
    reference.write_text("The ministry received a delegation.\n", encoding="utf-8")
    assert main(["eval", "--ref", str(reference), "--out", str(tmp_path / "x.json")]) == 2
    assert "needs --src" in capsys.readouterr().err
    hypothesis = tmp_path / "h.en"
    hypothesis.write_text("The ministry received a delegation.\n", encoding="utf-8")
    assert (
        main(["eval", "--ref", str(reference), "--hyp", str(hypothesis), "--out", str(tmp_path / "x.json")])
        == 0
    )
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["chrf"] == 100.0


def published_scores() -> list[tuple[str, float, float]]:
    readme = (FLORES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z-]+)[^|]*\| ([\d.]+) \| ([\d.]+) \|$", readme, flags=re.MULTILINE)
    return [(system, float(bleu), float(chrf)) for system, bleu, chrf in rows]


@pytest.mark.skipif(not (FLORES / "README.md").is_file(), reason="FLORES vi-en data not present")
def test_eval_reproduces_the_published_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    systems = published_scores()
    assert len(systems) == 5
    for system, bleu, chrf in systems:
        out = tmp_path / f"{system}.json"
        argv = ["eval", "--ref", str(FLORES / "devtest.en")]  # scoring a system output needs no --src
        assert main([*argv, "--hyp", str(FLORES / f"devtest.{system}.en"), "--out", str(out)]) == 0
        scores = json.loads(out.read_text(encoding="utf-8"))
        assert (scores["bleu"], scores["chrf"], scores["sentences"]) == (bleu, chrf, 1012), system
    assert "BLEU 25.29  chrF 52.94" in capsys.readouterr().out
