"""The main job's first run translates: with no vi->en package installed, download the recommended
OPUS-MT release (``NEWS_MODEL_RELEASE_URL``, checked against ``NEWS_MODEL_RELEASE_SHA256`` when set),
build the package from it and install it into the packages folder ``./run translate install`` uses.
Offline, say so in one line with the command that does it later, and go on without translation."""

from __future__ import annotations

import hashlib
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.settings import PipelineSettings

README_LINK = "README.md#translation-models"
DOWNLOAD_TIMEOUT_SECONDS = 30
CHUNK_BYTES = 1 << 20
SOURCE_LANGUAGE = "vi"


class ModelDownloadError(RuntimeError):
    """The release could not be fetched or is not the configured one."""


def install_command(settings: PipelineSettings, release_file: str) -> str:
    return (
        f"./run translate build-package --opus-mt {release_file} --from {SOURCE_LANGUAGE} "
        f"--to {settings.target_language} --model-id {settings.model_id} --out vi_en.argosmodel --install"
    )


def ensure_translation_model(
    settings: PipelineSettings, downloads: Path, say: Callable[[str], None] = print
) -> bool:
    """Make sure a vi->target package is installed; returns whether one is."""
    from translate.packages import installed_packages

    pair = f"{SOURCE_LANGUAGE}->{settings.target_language}"
    if any(package.pair == pair for package in installed_packages()):
        return True
    file_name = Path(urlsplit(settings.model_release_url).path).name or "release.zip"
    release = downloads / file_name
    try:
        digest = download(settings.model_release_url, release, settings.model_release_sha256)
    except ModelDownloadError as error:
        say(
            f"translation model not installed ({error}); articles wait as pending. With the release "
            f"zip at hand: {install_command(settings, file_name)} (see {README_LINK})"
        )
        return False
    if settings.model_release_sha256 is None:
        say(f"downloaded {file_name}, sha256 {digest} (set NEWS_MODEL_RELEASE_SHA256 to pin it)")
    build_and_install(
        settings, release, downloads / f"{SOURCE_LANGUAGE}_{settings.target_language}.argosmodel"
    )
    return True


def download(url: str, target: Path, sha256: str | None) -> str:
    """Fetch ``url`` into ``target`` with a progress bar (a file already there is reused when it
    matches the checksum); returns the file's sha256."""
    from tqdm import tqdm

    if target.exists() and sha256 and _sha256(target) == sha256:
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            with (
                partial.open("wb") as output,
                tqdm(
                    total=total, unit="B", unit_scale=True, desc=f"download {target.name}", file=sys.stderr
                ) as bar,
            ):
                while chunk := response.read(CHUNK_BYTES):
                    output.write(chunk)
                    bar.update(len(chunk))
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        partial.unlink(missing_ok=True)
        reason = getattr(error, "reason", error)
        raise ModelDownloadError(f"cannot download {url}: {reason}") from None
    digest = _sha256(partial)
    if sha256 and digest != sha256:
        partial.unlink()
        raise ModelDownloadError(
            f"{url} has sha256 {digest}, not the configured NEWS_MODEL_RELEASE_SHA256 {sha256}"
        )
    partial.replace(target)
    return digest


def build_and_install(settings: PipelineSettings, release: Path, package_file: Path) -> None:
    from tqdm import tqdm

    from translate.opus_mt import build_package
    from translate.packages import install_package

    with tqdm(total=2, desc=f"build {package_file.name}", unit="step", file=sys.stderr) as bar:
        build_package(
            release, SOURCE_LANGUAGE, settings.target_language, package_file, model_id=settings.model_id
        )
        bar.update(1)
        bar.set_description(f"install {package_file.name}")
        installed = install_package(package_file)
        bar.update(1)
    print(f"installed translation package {installed.pair} {installed.model_id} -> {installed.path}")
    package_file.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
