"""Feeds are stored under the data URI: a local folder or any fsspec URI."""

import errno
import os
from pathlib import Path

import pytest
from upath import UPath

from pipeline.storage import StorageError, fetch, raw_feed_uri, run_file_stem, upload
from testkit.filesystems import FilesystemUnavailableError, mounted_tmpfs


def test_run_ids_become_portable_file_names():
    assert run_file_stem("scheduled__2026-11-28T05:00:00+00:00") == "scheduled__2026-11-28T05_00_00_00_00"
    assert run_file_stem("../../etc/passwd") == "etc_passwd"


def test_a_feed_round_trips_through_a_local_folder(tmp_path):
    local = tmp_path / "feed.jsonl"
    local.write_text('{"a": 1}\n', encoding="utf-8")
    target = raw_feed_uri(str(tmp_path / "data"), "baoquocte", "manual__1")

    upload(local, target)

    assert target == UPath(tmp_path / "data" / "raw" / "baoquocte" / "manual__1.jsonl")
    assert fetch(str(target), tmp_path) == Path(str(target))
    assert not list(target.parent.glob("*.partial"))


def test_a_feed_round_trips_through_an_object_store(tmp_path):
    local = tmp_path / "feed.jsonl"
    local.write_text('{"a": 1}\n', encoding="utf-8")
    target = raw_feed_uri("memory://news-feeds/prod", "baoquocte", "manual__2")

    upload(local, target)
    (tmp_path / "downloads").mkdir()
    copy = fetch(str(target), tmp_path / "downloads")

    assert str(target) == "memory://news-feeds/prod/raw/baoquocte/manual__2.jsonl"
    assert copy.read_text(encoding="utf-8") == '{"a": 1}\n'
    assert copy.parent == tmp_path / "downloads"


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb", buffering=0) as filler:
        try:
            while filler.write(b"x" * 4096):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("fault", ["full", "read_only"])
def test_a_failed_store_leaves_nothing_partial_and_says_why_in_one_line(tmp_path, monkeypatch, fault):
    local = tmp_path / "feed.jsonl"
    local.write_bytes(b'{"a": 1}\n' * 20_000)
    try:
        with mounted_tmpfs(64, read_only=fault == "read_only") as folder:
            if fault == "full":
                _fill(folder)
            target = UPath(folder / "feed.jsonl")
            with pytest.raises(StorageError) as failure:
                upload(local, target)
            left = sorted(path.name for path in folder.rglob("*") if path.name != "filler")
    except FilesystemUnavailableError:
        # No mount rights here: the same failure injected at the copy, after partial bytes are written.
        errno_code = {"full": errno.ENOSPC, "read_only": errno.EROFS}[fault]

        def copy_then_fail(source, destination):
            Path(destination).write_bytes(b"partial")
            raise OSError(errno_code, os.strerror(errno_code))

        monkeypatch.setattr("pipeline.storage.shutil.copyfile", copy_then_fail)
        target = UPath(tmp_path / "data" / "feed.jsonl")
        with pytest.raises(StorageError) as failure:
            upload(local, target)
        left = [path.name for path in (tmp_path / "data").rglob("*")]
    message = str(failure.value)
    expected = {"full": "No space left on device", "read_only": "Read-only file system"}[fault]
    assert expected in message and "feed.jsonl" in message and "\n" not in message
    assert not [name for name in left if name.endswith(".partial") or name == "feed.jsonl"]
