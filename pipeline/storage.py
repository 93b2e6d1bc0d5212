"""Where raw feeds live: ``$NEWS_DATA_URI/raw/<source>/<run>.jsonl`` on a local folder or any fsspec
URI (``s3://bucket/prefix``, ``gs://…``, ``memory://…`` in tests) through universal-pathlib.

Tasks exchange these URIs through XCom, never the feeds themselves, so a crawl and the load of its feed
may run on different workers that share no disk.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from upath import UPath

RAW_FOLDER = "raw"
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def data_root(data_uri: str) -> UPath:
    return UPath(data_uri)


def run_file_stem(run_key: str) -> str:
    """An Airflow run id (``scheduled__2026-11-28T05:00:00+00:00``) as a file name stem that is
    valid on every object store and file system."""
    return _UNSAFE_IN_NAME.sub("_", run_key).strip("._") or "run"


def raw_feed_uri(data_uri: str, source: str, run_key: str, suffix: str = ".jsonl") -> UPath:
    return data_root(data_uri) / RAW_FOLDER / source / f"{run_file_stem(run_key)}{suffix}"


class StorageError(OSError):
    """A file could not be stored (full disk, read-only folder, missing permission); the message is
    one line naming the target and the cause. Nothing partial is left behind."""


def upload(local_file: Path, target: UPath) -> None:
    """Copy a finished local file to its storage location; the target appears only when complete
    on local disks (write to a sibling then rename) and atomically on object stores (one PUT). On
    failure the sibling is removed and ``StorageError`` says why in one line."""
    partial = Path(str(target) + ".partial") if _is_local(target) else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if partial is not None:
            shutil.copyfile(local_file, partial)
            partial.replace(Path(str(target)))
            return
        with local_file.open("rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, length=1 << 20)
    except OSError as error:
        if partial is not None and partial.exists():
            partial.unlink()
        reason = error.strerror or str(error) or type(error).__name__
        failure = StorageError(f"cannot store {target}: {reason}")
        failure.errno = error.errno
        raise failure from None


def store_text(text: str, target: UPath) -> None:
    """Store a small text file (a summary, a reference) the way ``upload`` stores a feed: complete or
    not at all."""
    with tempfile.TemporaryDirectory(prefix="store-") as scratch:
        local = Path(scratch) / target.name
        local.write_text(text, encoding="utf-8")
        upload(local, target)


def fetch(uri: str, folder: Path) -> Path:
    """A local copy of a stored file: the file itself when it is already local."""
    path = UPath(uri)
    if _is_local(path):
        return Path(path.path)
    local = folder / path.name
    with path.open("rb") as source, local.open("wb") as sink:
        shutil.copyfileobj(source, sink, length=1 << 20)
    return local


def _is_local(path: UPath) -> bool:
    return path.protocol in {"", "file", "local"}
