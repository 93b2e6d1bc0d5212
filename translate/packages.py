"""Installed Argos Translate packages: where they live, what they hold, installing one from a file.

This deliberately does not import ``argostranslate`` (4.6 s and 430 MB for its stanza/torch imports):
a package is a folder with ``metadata.json``, a CTranslate2 ``model/`` and a SentencePiece model,
and the folder layout is all the engine needs. The packages folder is resolved exactly as
argostranslate resolves it, so both backends see the same installs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

log = logging.getLogger(__name__)

# what argostranslate decodes with (its translate_batch call): the defaults for packages that record none
ARGOS_BEAM_SIZE = 4
ARGOS_LENGTH_PENALTY = 0.2


class PackageError(RuntimeError):
    """A package file or an installed package that cannot be used; the message says what to do."""


class ModelNotInstalledError(PackageError):
    """No installed package (direct or through an English pivot) translates this language pair."""

    def __init__(self, from_code: str, to_code: str, installed: list[str]):
        pairs = ", ".join(installed) or "none"
        super().__init__(
            f"No translation model for {from_code}->{to_code} is installed (installed pairs: {pairs}; "
            f"packages folder: {packages_dir()}). Install one with:\n"
            f"  python -m translate install {from_code}_{to_code}.argosmodel\n"
            f"or build it from an OPUS-MT release first:\n"
            f"  python -m translate build-package --opus-mt RELEASE_DIR --from {from_code} --to {to_code} "
            f"--out {from_code}_{to_code}.argosmodel --install"
            + (
                f"\n(or install {from_code}->en and en->{to_code}: the engine pivots through English)"
                if "en" not in (from_code, to_code)
                else ""
            )
        )
        self.from_code = from_code
        self.to_code = to_code


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    """One installed translation package, read from its ``metadata.json``."""

    path: Path
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    package_version: str
    model_id: str
    model_version: str
    source_prefix: str
    target_prefix: str
    metadata: dict[str, Any]

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def source_tokenizer(self) -> Path:
        return self.path / self.metadata.get("source_tokenizer", "sentencepiece.model")

    @property
    def target_tokenizer(self) -> Path:
        return self.path / self.metadata.get("target_tokenizer", "sentencepiece.model")

    @property
    def beam_size(self) -> int:
        """The package's recorded beam size (an OPUS-MT release's decoder.yml), else argostranslate's."""
        return int(self.metadata.get("decoding", {}).get("beam_size", ARGOS_BEAM_SIZE))

    @property
    def length_penalty(self) -> float:
        return float(self.metadata.get("decoding", {}).get("length_penalty", ARGOS_LENGTH_PENALTY))


def packages_dir() -> Path:
    """The folder argostranslate installs into: ``ARGOS_PACKAGES_DIR``, else the XDG data folder."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def _argos_folder(variable: str, default: Path) -> Path:
    return Path(os.environ.get(variable) or default) / "argos-translate"


def prepare_stock_argos(package: InstalledPackage) -> str | None:
    """Make plain ``argostranslate.translate`` work offline with this package, without environment
    variables. Its default sentence splitter (MiniSBD) downloads a model on first use, and with
    ``ARGOS_CHUNK_TYPE=SPACY`` importing ``argostranslate.sbd`` downloads spaCy's ``xx_sent_ud_sm``
    unless its cache folder exists. So: record ``ARGOS_CHUNK_TYPE=SPACY`` in argostranslate's own
    ``settings.json`` (unless it names a chunk type already) and seed its spaCy cache with the package's
    ``spacy/`` splitter (a blank multilingual pipeline; a package's own ``spacy/`` still wins at
    translation time). Returns a warning when the settings file chose another splitter."""
    config = _argos_folder("XDG_CONFIG_HOME", Path.home() / ".config") / "settings.json"
    try:
        settings = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    except json.JSONDecodeError:
        return f"{config} is not valid JSON; the stock argostranslate path may try to download a splitter"
    chosen = settings.get("ARGOS_CHUNK_TYPE")
    if chosen is None:
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(json.dumps({**settings, "ARGOS_CHUNK_TYPE": "SPACY"}, indent=2) + "\n", "utf-8")
    cache = _argos_folder("XDG_CACHE_HOME", Path.home() / ".local" / "cache") / "spacy"
    if (package.path / "spacy").is_dir() and not (cache / "senter" / "model").exists():
        shutil.copytree(package.path / "spacy", cache, dirs_exist_ok=True)
        (cache / "senter" / "model").mkdir(parents=True, exist_ok=True)
    if chosen not in (None, "SPACY"):
        return (
            f"{config} sets ARGOS_CHUNK_TYPE={chosen}: the stock argostranslate path may download a "
            "sentence splitter; set it to SPACY to use the package's offline one"
        )
    return None


def model_fingerprint(model_dir: Path) -> str:
    """First 12 hex digits of the SHA-256 of ``model.bin``: a rebuilt model gets a new version."""
    digest = hashlib.sha256()
    with (model_dir / "model.bin").open("rb") as weights:
        for chunk in iter(lambda: weights.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def read_package(path: Path) -> InstalledPackage:
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PackageError(f"{metadata_path} is not readable JSON ({error}); reinstall the package") from None
    if metadata.get("type", "translate") != "translate":
        raise PackageError(f"{path} is a {metadata.get('type')!r} package, not a translation package")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str):
            raise PackageError(f"{metadata_path} has no {key!r}; it is not an Argos translation package")
    if not (path / "model" / "model.bin").is_file():
        raise PackageError(f"{path} has no model/model.bin (a CTranslate2 model); reinstall the package")
    package_version = str(metadata.get("package_version", "0"))
    model_id = metadata.get("model_id") or f"argos-{metadata['from_code']}-{metadata['to_code']}"
    model_version = metadata.get("model_version") or f"{package_version}+{model_fingerprint(path / 'model')}"
    return InstalledPackage(
        path=path,
        from_code=metadata["from_code"],
        to_code=metadata["to_code"],
        from_name=metadata.get("from_name", ""),
        to_name=metadata.get("to_name", ""),
        package_version=package_version,
        model_id=model_id,
        model_version=model_version,
        source_prefix=metadata.get("source_prefix", ""),
        target_prefix=metadata.get("target_prefix", ""),
        metadata=metadata,
    )


def installed_packages(directory: Path | None = None) -> list[InstalledPackage]:
    """Every translation package in the packages folder, sorted by pair; unreadable folders are skipped
    here and reported by ``python -m translate list``."""
    root = directory or packages_dir()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and (path / "metadata.json").is_file():
            try:
                found.append(read_package(path))
            except PackageError:
                continue
    return sorted(found, key=lambda package: (package.from_code, package.to_code, package.path.name))


def _top_folder(archive: zipfile.ZipFile, package_file: Path) -> str:
    tops = set()
    for name in archive.namelist():
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or ".." in parts:
            raise PackageError(f"{package_file} holds an unsafe path {name!r}; refusing to install it")
        tops.add(parts[0])
    if len(tops) != 1:
        raise PackageError(
            f"{package_file} must hold exactly one top-level folder (found {sorted(tops)[:5]}); "
            "rebuild it with `python -m translate build-package`"
        )
    return tops.pop()


def install_package(package_file: Path, directory: Path | None = None) -> InstalledPackage:
    """Unzip an ``.argosmodel`` into the packages folder, offline. The archive is checked before
    anything is written, and an existing install of the same folder is replaced atomically."""
    package_file = Path(package_file)
    if not package_file.is_file():
        raise PackageError(f"{package_file} does not exist")
    if not zipfile.is_zipfile(package_file):
        raise PackageError(f"{package_file} is not an .argosmodel (a zip archive)")
    root = directory or packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package_file) as archive:
        top = _top_folder(archive, package_file)
        names = set(archive.namelist())
        for required in ("metadata.json", "model/model.bin"):
            if f"{top}/{required}" not in names:
                raise PackageError(f"{package_file} has no {top}/{required}; it is not a translation package")
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
        try:
            archive.extractall(staging)
            read_package(staging / top)
            target = root / top
            if target.exists():
                shutil.rmtree(target)
            (staging / top).rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    package = read_package(target)
    if directory is None or Path(directory) == packages_dir():
        warning = prepare_stock_argos(package)
        if warning:
            log.warning("%s", warning)
    return package
