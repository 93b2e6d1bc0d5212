"""Tiny generated translation packages, built once per test session (about a second each), and
installed into a packages folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.synthetic_models import build_synthetic_package
from translate.packages import install_package


@pytest.fixture(scope="session")
def package_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """vi->en and en->fr packages (the pivot pair), with random weights."""
    folder = tmp_path_factory.mktemp("argosmodels")
    return {
        "vi-en": build_synthetic_package(folder / "vi_en.argosmodel", "vi", "en", seed=1),
        "en-fr": build_synthetic_package(folder / "en_fr.argosmodel", "en", "fr", seed=2),
    }


@pytest.fixture(scope="session")
def installed_dir(tmp_path_factory: pytest.TempPathFactory, package_files: dict[str, Path]) -> Path:
    """A packages folder holding vi->en and en->fr; tests must not install into it."""
    folder = tmp_path_factory.mktemp("argos-packages")
    for package_file in package_files.values():
        install_package(package_file, folder)
    return folder


@pytest.fixture
def vi_en_dir(tmp_path: Path, package_files: dict[str, Path]) -> Path:
    """A fresh packages folder holding only vi->en."""
    folder = tmp_path / "packages"
    install_package(package_files["vi-en"], folder)
    return folder
