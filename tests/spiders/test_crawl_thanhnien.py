"""End to end: ``scrapy crawl thanhnien`` against the mirror (thanhnien.vn)."""

from __future__ import annotations

import pytest

from spiders.registry import source_info
from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow

EXPECTED = {
    page.record()["canonical_url"]: page.record()
    for page in article_pages()
    if page.expected_record() and page.source.name == "thanhnien"
}
OLD_LAYOUT = (
    "https://thanhnien.vn/thoi-su/thu-tuong-chi-dao-bao-dam-cung-ung-hang-hoa-dip-cuoi-nam-1465123.html"
)
VIDEO_ONLY = "185261126180000777.htm"


def test_crawl_in_a_window_yields_every_article_of_the_window_once(crawl) -> None:
    result = crawl("-a", "since=2026-11-20", "-a", "until=2026-11-27", spider="thanhnien")
    found = {article.canonical_url: article for article in result.articles}
    assert len(found) == len(result.articles), "no article twice"
    expected = {url: record for url, record in EXPECTED.items() if record["published_at"] >= "2026-11-19"}
    assert len(expected) == 5
    assert sorted(found) == sorted(expected)
    for url, article in found.items():
        record = article.to_dict()
        record["crawled_at"] = expected[url]["crawled_at"]
        assert record == expected[url], url
    rejected = {(reject["outcome"], reject["url"].rsplit("-", 1)[-1]) for reject in result.rejects}
    assert ("missing_body", VIDEO_ONLY) in rejected, "a video-only page is not stored"
    assert all(reject["reason"] for reject in result.rejects)
    assert result.outcomes["out_of_window"] == 1, "the 2021 article listed on the timeline's page 3"
    requests = result.mirror_requests
    assert "thanhnien.vn/rss/home.rss" in requests
    assert "thanhnien.vn/rss/chinh-tri.rss" in requests
    assert "thanhnien.vn/timelinelist/185227/2.htm" in requests
    # Page 3 lists only an archive article whose id says nothing of its time: paged on to the empty page 4.
    assert "thanhnien.vn/timelinelist/185227/4.htm" in requests, "the timeline is paged until an empty page"
    assert "thanhnien.vn/timelinelist/185227/5.htm" not in requests
    # Articles listed by several feeds and the listing are fetched once each.
    article_url = source_info("thanhnien").article_url
    article_requests = [path for path in requests if article_url.search("https://" + path)]
    assert len(article_requests) == len(set(article_requests))


def test_an_archive_article_of_the_old_layout_is_reached_through_the_timeline(crawl) -> None:
    result = crawl("-a", "categories=chinh-tri", spider="thanhnien")
    found = {article.canonical_url: article.to_dict() for article in result.articles}
    assert OLD_LAYOUT in found
    record = found[OLD_LAYOUT]
    record["crawled_at"] = EXPECTED[OLD_LAYOUT]["crawled_at"]
    assert record == EXPECTED[OLD_LAYOUT]
    assert "discovery_failed" not in result.outcomes, result.rejects


def test_since_stops_the_timeline_where_every_article_was_created_before_it(crawl) -> None:
    result = crawl("-a", "since=2026-11-27", "-a", "until=2026-11-27", spider="thanhnien")
    published = [article.published_at.isoformat() for article in result.articles]
    assert published and all(moment >= "2026-11-26T17:00:00" for moment in published)
    assert result.outcomes.get("out_of_window", 0) >= 1, "feed entries published before since are not stored"
    # Page 2 lists articles created on 25 and 24 November (ids 185261125…, 185261124…): page 3 is not asked.
    assert "thanhnien.vn/timelinelist/185227/2.htm" in result.mirror_requests
    assert "thanhnien.vn/timelinelist/185227/3.htm" not in result.mirror_requests
