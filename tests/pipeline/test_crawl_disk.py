"""A crawl whose scratch disk fills up fails with one clear message instead of a half-written feed."""

import tempfile

import pytest

from pipeline.crawl import CrawlError, CrawlRequest, _raise_when_feed_incomplete, crawl_source
from testkit.filesystems import FilesystemUnavailableError, mounted_tmpfs


def test_a_full_scratch_disk_fails_the_crawl_with_one_clear_line(settings, monkeypatch):
    try:
        with mounted_tmpfs(48) as scratch:
            monkeypatch.setattr(tempfile, "tempdir", str(scratch))
            with pytest.raises(CrawlError) as failure:
                crawl_source(CrawlRequest("baoquocte", "full-scratch", incremental=False), settings)
    except FilesystemUnavailableError as error:
        pytest.skip(f"cannot mount a small file system here: {error}")
    message = str(failure.value)
    assert "\n" not in message and "bytes free" in message and "retry" in message


def test_a_feed_with_fewer_lines_than_extracted_articles_is_refused(tmp_path):
    with pytest.raises(CrawlError, match="holds 3 of the 5 articles"):
        _raise_when_feed_incomplete(
            "baoquocte", {"item": 4, "future_date_flagged": 1, "not_article": 9}, 3, tmp_path
        )
    _raise_when_feed_incomplete("baoquocte", {"item": 4, "not_article": 9}, 4, tmp_path)
