"""The crawl step runs scrapy in its own process and stores the feed under the data URI."""

import socket
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipeline.crawl import CrawlError, CrawlRequest, crawl_source, scrapy_command
from warehouse.record import Article

RUN = "manual__2026-11-28T05:00:00+00:00"


def test_a_crawl_of_the_mirror_stores_its_feed_and_rejects(settings, warehouse_conn):
    before = datetime.now(UTC)
    reference = crawl_source(CrawlRequest("baoquocte", RUN, incremental=False), settings)
    after = datetime.now(UTC)

    feed = Path(settings.data_uri) / "raw" / "baoquocte" / "manual__2026-11-28T05_00_00_00_00.jsonl"
    assert reference.feed_uri == str(feed)
    lines = feed.read_text(encoding="utf-8").splitlines()
    assert reference.items == len(lines) >= 12
    assert {Article.from_json(line).source for line in lines} == {"baoquocte"}
    assert reference.rejects >= 1 and reference.rejects_uri.endswith(".rejects.jsonl")
    assert reference.outcome_counts["item"] >= 12
    assert not reference.reused
    started, finished = (
        datetime.fromisoformat(moment) for moment in (reference.started_at, reference.finished_at)
    )
    assert before <= started < finished <= after
    assert (finished - started).total_seconds() >= reference.crawl_seconds


def test_a_second_crawl_of_the_same_run_reuses_the_stored_feed(settings, warehouse_conn):
    first = crawl_source(CrawlRequest("baoquocte", RUN, max_articles=3, incremental=False), settings)
    again = crawl_source(CrawlRequest("baoquocte", RUN, max_articles=3, incremental=False), settings)

    assert again.reused and not first.reused
    assert again == replace(first, reused=True)
    assert first.crawl_seconds > 0


def test_a_site_that_does_not_answer_fails_the_crawl(settings):
    dead_site = replace(settings, mirror_url="http://127.0.0.1:9")
    with pytest.raises(CrawlError, match="received no response"):
        crawl_source(CrawlRequest("baoquocte", RUN, incremental=False), dead_site)
    assert not list(Path(settings.data_uri).rglob("*.jsonl"))


def test_a_crawl_that_exits_with_an_error_fails_with_its_output(settings):
    with pytest.raises(CrawlError, match=r"(?s)exited with status 1\..*Spider not found: nosuchsource"):
        crawl_source(CrawlRequest("nosuchsource", RUN, incremental=False), settings)


def test_a_crawl_that_overruns_its_timeout_is_killed(settings):
    # A site that accepts connections and never answers: the crawl cannot finish on its own.
    with socket.create_server(("127.0.0.1", 0)) as silent_site:
        port = silent_site.getsockname()[1]
        impatient = replace(settings, crawl_timeout_seconds=1, mirror_url=f"http://127.0.0.1:{port}")
        with pytest.raises(CrawlError, match="did not finish within 1 s"):
            crawl_source(CrawlRequest("baoquocte", RUN, incremental=False), impatient)


def test_the_command_carries_the_run_arguments(tmp_path):
    command = scrapy_command(
        CrawlRequest("baoquocte", RUN, since=date(2026, 11, 1), until=date(2026, 11, 2), max_articles=5),
        tmp_path / "feed.jsonl",
    )
    assert command[1:5] == ["-m", "scrapy", "crawl", "baoquocte"]
    arguments = [command[index + 1] for index, part in enumerate(command) if part == "-a"]
    assert arguments == ["since=2026-11-01", "until=2026-11-02", "max_articles=5", "incremental=1"]
