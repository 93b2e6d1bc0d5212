"""Feeds are stored under the data URI: a local folder or any fsspec URI."""

from pathlib import Path

from upath import UPath

from pipeline.storage import fetch, raw_feed_uri, run_file_stem, upload


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
