import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from testkit.synthetic_models import write_opus_mt_release
from translate.cli import main
from translate.engine import Engine
from translate.opus_mt import build_package, read_release, readme_token_requirement
from translate.packages import PackageError, install_package, installed_packages
from translate.settings import EngineSettings
from warehouse.paths import PROJECT_ROOT


@pytest.fixture(scope="session")
def helsinki_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_opus_mt_release(tmp_path_factory.mktemp("releases") / "opus-mt-vi-en", seed=4)


@pytest.fixture(scope="session")
def tatoeba_multilingual_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_opus_mt_release(
        tmp_path_factory.mktemp("releases") / "opus-mt-tc-eng-mul",
        from_code="en",
        to_code="vi",
        seed=5,
        release_format="tatoeba-challenge",
        language_tokens=(">>vie<<", ">>fra<<", ">>zho_Hans<<", ">>zho_Hant<<"),
    )


@pytest.fixture(scope="session")
def tatoeba_aav_eng_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Like aav-eng opus4m+btTCv20210807-2021-09-30: many-to-English, yet its README requires >>eng<<."""
    return write_opus_mt_release(
        tmp_path_factory.mktemp("releases") / "aav-eng",
        from_code="vi",
        to_code="en",
        seed=6,
        release_format="tatoeba-challenge",
        dataset="opus4m+btTCv20210807",
        language_tokens=(">>eng<<", ">>eng_Khmr<<", ">>eng_Yiii<<"),
    )


def test_release_is_read_like_the_converter_reads_it(helsinki_release: Path) -> None:
    release = read_release(helsinki_release)
    assert release.release_format == "helsinki-opus-mt"
    assert release.model_files[0].name.startswith("opus.spm32k-spm32k")
    assert release.decoding == {"beam-size": 6, "normalize": 0.6, "word-penalty": 0}
    assert release.language_tokens == ()


def test_cli_builds_installs_and_translates(
    helsinki_release: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    packages = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    out = tmp_path / "vi_en.argosmodel"
    argv = [
        "build-package",
        "--opus-mt",
        str(helsinki_release),
        "--from",
        "vi",
        "--to",
        "en",
        "--out",
        str(out),
    ]
    assert main([*argv, "--install"]) == 0
    assert "installed vi->en opus-mt-vi-en 1.0+" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    top = "translate-vi_en-opus-mt-vi-en"
    for required in (
        "metadata.json",
        "model/model.bin",
        "sentencepiece.model",
        "target.spm",
        "spacy/meta.json",
    ):
        assert f"{top}/{required}" in names
    (package,) = installed_packages()
    metadata = package.metadata
    assert metadata["quantization"] == "int8" and metadata["source_prefix"] == ""
    assert metadata["opus_mt"]["decoding_in_release"]["beam-size"] == 6
    assert any("decoder.yml" in note for note in metadata["opus_mt"]["not_carried_by_converter"])
    config = json.loads((package.model_dir / "config.json").read_text(encoding="utf-8"))
    assert config["add_source_eos"] is True
    engine = Engine(EngineSettings.from_env({}), packages_dir=packages)
    (translated,) = engine.translate_paragraphs(["Bộ Ngoại giao công bố kế hoạch."], "vi")
    assert translated and engine.stats.model_calls == 1


def test_release_zip_is_accepted(helsinki_release: Path, tmp_path: Path) -> None:
    archive_path = tmp_path / "opus-2020-06-17.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for path in helsinki_release.iterdir():
            archive.write(path, path.name)
    package = install_package(
        build_package(archive_path, "vi", "en", tmp_path / "out.argosmodel", model_id="opus-mt-vi-en"),
        tmp_path / "packages",
    )
    assert package.model_id == "opus-mt-vi-en"


def test_same_release_builds_the_same_model_version(helsinki_release: Path, tmp_path: Path) -> None:
    versions = {
        install_package(
            build_package(helsinki_release, "vi", "en", tmp_path / f"{index}.argosmodel"),
            tmp_path / f"p{index}",
        ).model_version
        for index in range(2)
    }
    assert len(versions) == 1


def test_multilingual_target_model_gets_its_language_token(
    tatoeba_multilingual_release: Path, tmp_path: Path
) -> None:
    release = read_release(tatoeba_multilingual_release)
    assert release.release_format == "tatoeba-challenge"
    assert ">>vie<<" in release.language_tokens
    package = install_package(
        build_package(tatoeba_multilingual_release, "en", "vi", tmp_path / "en_vi.argosmodel"), tmp_path / "p"
    )
    assert package.source_prefix == ">>vie<<"
    engine = Engine(EngineSettings.from_env({}), packages_dir=tmp_path / "p")
    model = engine._model(engine.route("en", "vi")[0])
    assert model.tokenize("Hello world")[0] == ">>vie<<"
    assert model.key.model_id.endswith(">>vie<<")
    assert engine.translate_paragraphs(["The minister met the delegation."], "en", "vi")[0]


def test_many_to_english_release_whose_readme_requires_a_token_gets_eng(
    tatoeba_aav_eng_release: Path, tmp_path: Path
) -> None:
    release = read_release(tatoeba_aav_eng_release)
    assert release.readme_requires_token
    assert release.readme_labels == (">>eng<<", ">>eng_Khmr<<", ">>eng_Yiii<<")
    package = install_package(
        build_package(tatoeba_aav_eng_release, "vi", "en", tmp_path / "vi_en.argosmodel"), tmp_path / "p"
    )
    assert package.source_prefix == ">>eng<<"
    assert package.metadata["opus_mt"]["readme_requires_target_token"] is True
    engine = Engine(EngineSettings.from_env({}), packages_dir=tmp_path / "p")
    model = engine._model(engine.route("vi", "en")[0])
    assert model.tokenize("Bộ Ngoại giao công bố.")[0] == ">>eng<<"
    assert engine.translate_paragraphs(["Bộ Ngoại giao công bố kế hoạch."], "vi", "en")[0]


def test_readme_label_missing_from_the_vocabulary_is_explained(
    tatoeba_aav_eng_release: Path, tmp_path: Path
) -> None:
    """A README label the vocabulary lacks is an error naming the fix, not a package that silently
    feeds <unk> as every sentence's first token."""
    release_dir = tmp_path / "release"
    shutil.copytree(tatoeba_aav_eng_release, release_dir)
    readme = (release_dir / "README.md").read_text(encoding="utf-8")
    (release_dir / "README.md").write_text(readme.replace(">>eng<< ", ">>en<< "), encoding="utf-8")
    (vocabulary,) = release_dir.glob("*.vocab.yml")
    lines = vocabulary.read_text(encoding="utf-8").splitlines()
    vocabulary.write_text(
        "\n".join(line.replace(">>eng<<", ">>xyz<<") for line in lines) + "\n", encoding="utf-8"
    )
    with pytest.raises(PackageError, match="lists >>en<<, but its vocabulary has no such token"):
        build_package(release_dir, "vi", "en", tmp_path / "x.argosmodel")


def test_family_readme_section_of_another_release_does_not_count() -> None:
    family = (
        "# aav-eng\n\n# opus2m-2020-08-12.zip\n\n* dataset: opus2m\n* target language(s): eng\n\n"
        "# opus4m+btTCv20210807-2021-09-30.zip\n\n* dataset: opus4m+btTCv20210807\n"
        "* a sentence initial language token is required in the form of `>>id<<` "
        "(id = valid target language ID)\n* valid language labels: >>eng<< >>eng_Khmr<< >>eng_Yiii<<\n"
    )
    assert readme_token_requirement(family, "opus2m") == (False, ())
    assert readme_token_requirement(family, "opus4m+btTCv20210807") == (
        True,
        (">>eng<<", ">>eng_Khmr<<", ">>eng_Yiii<<"),
    )
    assert readme_token_requirement("# opus-2020-06-17.zip\n\n* target language(s): eng\n", "opus") == (
        False,
        (),
    )


def test_ambiguous_language_token_asks_for_one(tatoeba_multilingual_release: Path, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="--target-token") as raised:
        build_package(tatoeba_multilingual_release, "en", "zh", tmp_path / "en_zh.argosmodel")
    assert ">>zho_Hans<<" in str(raised.value)
    package = install_package(
        build_package(
            tatoeba_multilingual_release,
            "en",
            "zh",
            tmp_path / "en_zh.argosmodel",
            target_token=">>zho_Hant<<",
        ),
        tmp_path / "p",
    )
    assert package.source_prefix == ">>zho_Hant<<"


def test_missing_decoder_yml_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"decoder\.yml"):
        build_package(tmp_path, "vi", "en", tmp_path / "x.argosmodel")


def test_spm_listed_as_vocabulary_is_explained(helsinki_release: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(helsinki_release, release)
    decoder = yaml.safe_load((release / "decoder.yml").read_text(encoding="utf-8"))
    decoder["vocabs"] = ["source.spm", "target.spm"]
    (release / "decoder.yml").write_text(yaml.safe_dump(decoder), encoding="utf-8")
    with pytest.raises(PackageError, match="not a YAML vocabulary"):
        build_package(release, "vi", "en", tmp_path / "x.argosmodel")
    assert not (tmp_path / "x.argosmodel").exists()


def test_unsupported_architecture_is_explained(helsinki_release: Path, tmp_path: Path) -> None:
    import numpy as np

    release = tmp_path / "release"
    shutil.copytree(helsinki_release, release)
    (model_file,) = release.glob("*.npz")
    weights = dict(np.load(model_file))
    config = yaml.safe_load(weights["special:model.yml"][:-1].tobytes())
    config["transformer-decoder-autoreg"] = "rnn"
    weights["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", dtype=np.int8)
    np.savez(model_file, **weights)
    with pytest.raises(PackageError, match="converter rejected"):
        build_package(release, "vi", "en", tmp_path / "x.argosmodel")


PREPROCESS_SH = r"""#!/bin/bash
# USAGE preprocess.sh langid spmodel < input > output (written for this test in the releases' form)
sed -e 's/，/,/g' \
    -e 's/。 */. /g' \
    -e 's/“/"/g' \
    -e 's/”/"/g' \
    -e 's/…/\.\.\./g' \
    -e 's/（/\(/g' \
    -e 's/[[:space:]]x/y/g' |
perl -C -pe  's/(?!\n)\p{C}/ /g;' |
perl -CIOE -pe 's/[\x{2060}\x{200B}\x{feff}]//g' |
sed 's/  */ /g;s/^ *//g;s/ *$//g' |
${SPMENCODE} --model $2
"""


@pytest.fixture
def release_with_own_decoding(helsinki_release: Path, tmp_path: Path) -> Path:
    """A release whose decoder.yml differs from both the synthetic default (6, 0.6) and argos's (4, 0.2),
    with a preprocess.sh."""
    release = tmp_path / "release"
    shutil.copytree(helsinki_release, release)
    decoder = yaml.safe_load((release / "decoder.yml").read_text(encoding="utf-8"))
    decoder.update({"beam-size": 3, "normalize": 1.0, "word-penalty": 0.5})
    (release / "decoder.yml").write_text(yaml.safe_dump(decoder), encoding="utf-8")
    (release / "preprocess.sh").write_text(PREPROCESS_SH, encoding="utf-8")
    return release


class _RecordingTranslator:
    """Stands between the engine and its ctranslate2.Translator and records what it is asked."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.calls: list[tuple[list[list[str]], dict]] = []

    def translate_batch(self, tokens, **options):
        self.calls.append((tokens, options))
        return self.translator.translate_batch(tokens, **options)


def test_release_decoding_settings_are_recorded_mapped_and_used(
    release_with_own_decoding: Path, tmp_path: Path
) -> None:
    package = install_package(
        build_package(release_with_own_decoding, "vi", "en", tmp_path / "vi_en.argosmodel"), tmp_path / "p"
    )
    assert package.metadata["decoding"] == {
        "beam_size": 3,
        "length_penalty": 1.0,
        "not_applied": {"word-penalty": 0.5},
        "from": "decoder.yml",
    }
    assert (package.beam_size, package.length_penalty) == (3, 1.0)
    engine = Engine(EngineSettings.from_env({}), packages_dir=tmp_path / "p")
    model = engine._model(engine.route("vi", "en")[0])
    model.translator = recorder = _RecordingTranslator(model.translator)
    engine.translate_paragraphs(["Bộ Ngoại giao công bố kế hoạch."], "vi")
    (_, options), *_ = recorder.calls
    assert (options["beam_size"], options["length_penalty"]) == (3, 1.0)
    assert model.key.model_version == package.model_version

    overridden = Engine(
        EngineSettings.from_env({"TRANSLATE_BEAM_SIZE": "2"}, length_penalty=0.2), packages_dir=tmp_path / "p"
    )
    model = overridden._model(overridden.route("vi", "en")[0])
    model.translator = recorder = _RecordingTranslator(model.translator)
    overridden.translate_paragraphs(["Bộ Ngoại giao công bố kế hoạch."], "vi")
    (_, options), *_ = recorder.calls
    assert (options["beam_size"], options["length_penalty"]) == (2, 0.2)
    # the same weights decoded otherwise are another cache identity
    assert model.key.model_version == f"{package.model_version}+beam2+lp0.2"


def test_marian_defaults_and_flags_map_to_ctranslate2() -> None:
    from translate.opus_mt import ctranslate2_decoding

    assert ctranslate2_decoding({}) == {"beam_size": 12, "length_penalty": 0.0, "not_applied": {}}
    assert ctranslate2_decoding({"beam-size": 6, "normalize": True})["length_penalty"] == 1.0
    with pytest.raises(PackageError, match="beam-size"):
        ctranslate2_decoding({"beam-size": "wide"})


def test_packages_without_recorded_decoding_use_argos_settings(vi_en_dir: Path) -> None:
    engine = Engine(EngineSettings.from_env({}), packages_dir=vi_en_dir)
    (package,) = engine.packages
    package.metadata.pop("decoding", None)
    assert (package.beam_size, package.length_penalty) == (4, 0.2)


def test_release_preprocessing_is_recorded_and_applied(
    release_with_own_decoding: Path, tmp_path: Path
) -> None:
    package = install_package(
        build_package(release_with_own_decoding, "vi", "en", tmp_path / "vi_en.argosmodel"), tmp_path / "p"
    )
    recorded = package.metadata["preprocess"]
    assert [(item["from"], item["to"]) for item in recorded["replacements"]] == [
        ("，", ","),
        ("。", ". "),
        ("“", '"'),
        ("”", '"'),
        ("…", "..."),
        ("（", "("),
    ]
    assert recorded["other_characters_to_space"] is True
    assert recorded["deleted_characters"] == ["U+200B", "U+2060", "U+FEFF"]
    engine = Engine(EngineSettings.from_env({}), packages_dir=tmp_path / "p")
    model = engine._model(engine.route("vi", "en")[0])
    assert model.normalise("“Tốt”，ông nói。  Chào…") == '"Tốt",ông nói. Chào...'
    assert model.normalise("Hà\u200bNội\u00adxa") == "HàNội xa"
    model.translator = recorder = _RecordingTranslator(model.translator)
    engine.translate_paragraphs(["Ông nói “tốt”…"], "vi")
    (tokens, _), *_ = recorder.calls
    assert model.source_tokenizer.decode_pieces(tokens[0]) == 'Ông nói "tốt"...'


NO_NETWORK = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


def test_plain_argostranslate_runs_offline_after_install_without_environment_variables(
    helsinki_release: Path, tmp_path: Path
) -> None:
    """`python -m translate install`, then plain argostranslate.translate with no ARGOS_* variable:
    no download attempt (sockets refuse), a translation comes back."""
    package_file = build_package(helsinki_release, "vi", "en", tmp_path / "vi_en.argosmodel")
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ARGOS_", "XDG_", "TRANSLATE_"))
    }
    environment |= {
        "PYTHONPATH": str(PROJECT_ROOT),
        **{
            name: str(tmp_path / name.lower())
            for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")
        },
    }

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *argv],
            check=False,
            env=environment,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    installed = run("-m", "translate", "install", str(package_file))
    assert installed.returncode == 0, installed.stderr
    settings = json.loads((tmp_path / "xdg_config_home/argos-translate/settings.json").read_text("utf-8"))
    assert settings == {"ARGOS_CHUNK_TYPE": "SPACY"}
    script = NO_NETWORK + (
        "import argostranslate.translate as t\n"
        "print(repr(t.translate('Bộ Ngoại giao công bố kế hoạch. Thủ tướng phát biểu.', 'vi', 'en')))\n"
    )
    translated = run("-c", script)
    assert translated.returncode == 0, translated.stderr
    assert "network access attempted" not in translated.stdout + translated.stderr
    assert translated.stdout.strip() not in ("", "''")


def test_backend_argos_prepends_the_required_source_token(
    tatoeba_aav_eng_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.stock import StockArgosTranslator

    packages = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    install_package(build_package(tatoeba_aav_eng_release, "vi", "en", tmp_path / "vi_en.argosmodel"))
    stock = StockArgosTranslator("vi", "en")
    assert stock._translation.underlying.pkg.tokenizer.encode("Bộ Ngoại giao")[0] == ">>eng<<"
    sentences = ["Bộ Ngoại giao công bố kế hoạch.", "Thủ tướng phát biểu tại hội nghị."]
    engine = Engine(EngineSettings.from_env({}, beam_size=4, length_penalty=0.2))
    assert stock.translate_paragraphs(sentences) == engine.translate_paragraphs(sentences, "vi", "en")


def test_backend_argos_refuses_when_it_cannot_add_the_token() -> None:
    from translate.stock import _prepend_source_token

    with pytest.raises(PackageError, match=r">>eng<< in front of every source sentence.*--backend engine"):
        _prepend_source_token(object(), ">>eng<<")
