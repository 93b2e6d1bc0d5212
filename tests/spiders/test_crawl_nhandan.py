"""End to end: ``scrapy crawl nhandan`` against the mirror (nhandan.vn and en.nhandan.vn, a video-only
page, category listings paging through ``trang<n>.html``), in a subprocess per crawl."""

from __future__ import annotations

import pytest

from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow

SPIDER = "nhandan"
EXPECTED = {
    page.record()["url"]: page.record()
    for page in article_pages()
    if page.source.name == SPIDER and page.expected_record()
}
VIDEO_ONLY = "https://nhandan.vn/toan-canh-le-khanh-thanh-cau-tu-lien-post1002200.html"


def article_paths(requests: list[str]) -> list[str]:
    return [path for path in requests if "-post" in path and path.split("?")[0].endswith(".html")]


def test_full_crawl_yields_exactly_the_expected_feed_and_reads_every_discovery_path(crawl) -> None:
    result = crawl(spider=SPIDER)
    assert result.outcomes == {"item": len(EXPECTED), "not_article": 1}
    crawled = {article.url: article.to_dict() for article in result.articles}
    assert sorted(crawled) == sorted(EXPECTED)
    for url, record in crawled.items():
        record["crawled_at"] = EXPECTED[url]["crawled_at"]
        assert record == EXPECTED[url], url
    assert {record["language"] for record in crawled.values()} == {"vi", "en"}
    assert [reject["url"] for reject in result.rejects if reject["outcome"] == "not_article"] == [VIDEO_ONLY]
    paths = article_paths(result.mirror_requests)
    assert len(paths) == len(set(paths)) == len(EXPECTED) + 1, "every article page fetched exactly once"
    for path in ("nhandan.vn/robots.txt", "en.nhandan.vn/robots.txt", "nhandan.vn/rss/home.rss"):
        assert path in result.mirror_requests
    assert "nhandan.vn/chinhtri/trang2.html" in result.mirror_requests, "listing paging followed"
    assert "en.nhandan.vn/politics/" in result.mirror_requests


def test_window_categories_and_max_articles(crawl) -> None:
    windowed = crawl(
        "-a", "since=2026-11-24", "-a", "until=2026-11-25", "-a", "categories=chinhtri", spider=SPIDER
    )
    assert sorted(windowed.by_id()) == ["1002150", "1002190"], "the 24/11 and 25/11 articles of the listing"
    assert windowed.outcomes["out_of_window"] == 1, "the 26/11 article is after the until day"
    assert "nhandan.vn/rss/home.rss" not in windowed.mirror_requests, "categories replace the feeds"
    assert not [path for path in windowed.mirror_requests if path.startswith("en.")]
    limited = crawl("-a", "max_articles=1", "-a", "editions=en", spider=SPIDER)
    assert len(article_paths(limited.mirror_requests)) == 1
    assert [article.language for article in limited.articles] == ["en"]


def test_incremental_rerun_fetches_only_the_page_rejected_last_time(crawl) -> None:
    first = crawl(spider=SPIDER)
    second = crawl("-a", "incremental=true", "-a", f"known_feed={first.feed}", spider=SPIDER)
    assert article_paths(second.mirror_requests) == [VIDEO_ONLY.removeprefix("https://")]
    assert second.articles == []
    assert second.outcomes["skipped_known"] == len(first.articles)


def test_a_vietnamese_section_feed_is_requested_only_under_its_zone_id_name(crawl) -> None:
    result = crawl(spider=SPIDER)
    assert "nhandan.vn/rss/kinhte-1185.rss" in result.mirror_requests
    assert "nhandan.vn/kinhte/" in result.mirror_requests
    assert not [path for path in result.mirror_requests if path.startswith("nhandan.vn/rss/chinhtri")]
    assert "nhandan.vn/chinhtri/" in result.mirror_requests, "a section without a known feed: its listing"
    assert "en.nhandan.vn/rss/politics.rss" in result.mirror_requests
