"""The first ``./run main`` translates: it downloads the configured release from a (here local) HTTP
server, checks it, builds and installs the package with a progress bar; offline it says so in one line
with the exact command and the README link."""

from __future__ import annotations

import re
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.first_run import README_LINK, ensure_translation_model
from pipeline.settings import RECOMMENDED_MODEL_RELEASE_URL, PipelineSettings
from tests.pipeline.conftest import RELEASE_NAME
from warehouse.paths import PROJECT_ROOT


@pytest.fixture
def no_packages(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def _settings(url: str, sha256: str | None = None) -> PipelineSettings:
    return replace(
        PipelineSettings(), model_release_url=url, model_release_sha256=sha256, model_id="opus-mt-test"
    )


def test_the_release_is_downloaded_checked_built_and_installed_once(
    release_server, no_packages, tmp_path, capfd
):
    from translate.packages import installed_packages

    url, sha256 = release_server
    said: list[str] = []
    assert ensure_translation_model(_settings(url, sha256), tmp_path / "downloads", said.append)

    packages = installed_packages(no_packages)
    assert [(package.pair, package.model_id) for package in packages] == [("vi->en", "opus-mt-test")]
    assert said == []
    progress = capfd.readouterr().err
    assert "download opus-2020-01-01.zip" in progress
    assert "install vi_en.argosmodel" in progress
    assert "100%" in progress

    again: list[str] = []
    assert ensure_translation_model(
        _settings("http://127.0.0.1:9/unreachable.zip"), tmp_path / "downloads", again.append
    )
    assert again == []


def test_without_a_pinned_checksum_the_downloaded_one_is_printed(release_server, no_packages, tmp_path):
    url, sha256 = release_server
    said: list[str] = []
    assert ensure_translation_model(_settings(url), tmp_path / "downloads", said.append)
    assert said == [f"downloaded {RELEASE_NAME}, sha256 {sha256} (set NEWS_MODEL_RELEASE_SHA256 to pin it)"]


def test_a_release_with_another_checksum_is_not_installed(release_server, no_packages, tmp_path):
    from translate.packages import installed_packages

    url, _ = release_server
    said: list[str] = []
    assert not ensure_translation_model(_settings(url, "0" * 64), tmp_path / "downloads", said.append)
    assert installed_packages(no_packages) == []
    assert len(said) == 1
    assert "not the configured NEWS_MODEL_RELEASE_SHA256" in said[0]
    assert not list((tmp_path / "downloads").glob("*.zip"))


def test_offline_it_says_so_in_one_line_with_the_command_and_the_readme_link(no_packages, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    said: list[str] = []
    settings = _settings(f"http://127.0.0.1:{closed_port}/opus4m+btTCv20210807-2021-09-30.zip")

    assert not ensure_translation_model(settings, tmp_path / "downloads", said.append)

    assert len(said) == 1 and "\n" not in said[0]
    assert said[0].startswith("translation model not installed (cannot download http://127.0.0.1:")
    assert (
        "./run translate build-package --opus-mt opus4m+btTCv20210807-2021-09-30.zip --from vi --to en "
        "--model-id opus-mt-test --out vi_en.argosmodel --install" in said[0]
    )
    assert README_LINK in said[0]
    heading = README_LINK.split("#")[1].replace("-", " ")
    assert re.search(
        rf"^## {heading}$", (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.I
    )


def test_the_main_job_and_run_translate_install_share_the_packages_folder(tmp_path):
    from pipeline.main import prepare_environment

    run_script = (PROJECT_ROOT / "run").read_text(encoding="utf-8")
    assert "export ARGOS_PACKAGES_DIR=${ARGOS_PACKAGES_DIR:-$PWD/var/argos/packages}" in run_script
    environment = prepare_environment({"AIRFLOW_HOME": str(tmp_path / "airflow")})
    assert environment["ARGOS_PACKAGES_DIR"] == str(PROJECT_ROOT / "var" / "argos" / "packages")
    assert PipelineSettings().model_release_url == RECOMMENDED_MODEL_RELEASE_URL
