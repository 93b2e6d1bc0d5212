import json
import zipfile
from pathlib import Path

import pytest

from translate.engine import Engine
from translate.packages import ModelNotInstalledError, PackageError, install_package, installed_packages


def test_install_from_file_and_discover(tmp_path: Path, package_files: dict[str, Path]) -> None:
    folder = tmp_path / "packages"
    package = install_package(package_files["vi-en"], folder)
    assert (package.path / "model" / "model.bin").is_file()
    assert (package.path / "spacy").is_dir()
    assert package.pair == "vi->en"
    assert package.model_id == "synthetic-tiny-vi-en"
    assert package.model_version.startswith("1.0+")
    assert [found.pair for found in installed_packages(folder)] == ["vi->en"]


def test_reinstall_replaces_the_same_folder(tmp_path: Path, package_files: dict[str, Path]) -> None:
    folder = tmp_path / "packages"
    first = install_package(package_files["vi-en"], folder)
    (first.path / "stale-file").write_text("left over", encoding="utf-8")
    second = install_package(package_files["vi-en"], folder)
    assert second.path == first.path
    assert not (second.path / "stale-file").exists()
    assert len(installed_packages(folder)) == 1


def test_installed_folder_is_a_valid_argos_package(vi_en_dir: Path) -> None:
    (package_dir,) = list(vi_en_dir.iterdir())
    metadata = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["from_code"] == "vi" and metadata["to_code"] == "en"
    assert (package_dir / "sentencepiece.model").is_file()
    assert metadata["opus_mt"]["decoding_in_release"]["beam-size"] == 6


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("not a zip", encoding="utf-8")
    with pytest.raises(PackageError, match=r"not an \.argosmodel"):
        install_package(bogus, tmp_path / "packages")


def test_path_traversal_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../outside/metadata.json", "{}")
    with pytest.raises(PackageError, match="unsafe path"):
        install_package(evil, tmp_path / "packages")
    assert not (tmp_path / "outside").exists()


def test_archive_without_model_is_refused(tmp_path: Path) -> None:
    incomplete = tmp_path / "incomplete.argosmodel"
    with zipfile.ZipFile(incomplete, "w") as archive:
        archive.writestr("pkg/metadata.json", json.dumps({"from_code": "vi", "to_code": "en"}))
    with pytest.raises(PackageError, match=r"model/model\.bin"):
        install_package(incomplete, tmp_path / "packages")
    assert list((tmp_path / "packages").iterdir()) == []


def test_missing_model_error_names_the_fix(vi_en_dir: Path) -> None:
    engine = Engine(packages_dir=vi_en_dir)
    with pytest.raises(ModelNotInstalledError) as raised:
        engine.translate_paragraphs(["Xin chào các bạn."], "km", "en")
    message = str(raised.value)
    assert "python -m translate install km_en.argosmodel" in message
    assert "build-package --opus-mt" in message
    assert "vi->en" in message


def test_empty_packages_folder_lists_nothing(tmp_path: Path) -> None:
    assert installed_packages(tmp_path / "nothing-here") == []
