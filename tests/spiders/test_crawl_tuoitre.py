"""End to end: ``scrapy crawl tuoitre`` against the mirror (tuoitre.vn and tuoitrenews.vn)."""

from __future__ import annotations

import pytest

from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow

EXPECTED = {
    page.record()["canonical_url"]: page.record()
    for page in article_pages()
    if page.expected_record() and page.source.name == "tuoitre"
}
WINDOW = ("-a", "since=2026-11-20", "-a", "until=2026-11-27")


def test_crawl_of_both_editions_yields_every_discoverable_article_once(crawl) -> None:
    result = crawl(*WINDOW, spider="tuoitre")
    found = {article.canonical_url: article for article in result.articles}
    assert len(found) == len(result.articles), "no article twice"
    # Every recorded article of the window is discovered (the 2022 archive page only through its URL).
    expected = {url: record for url, record in EXPECTED.items() if record["published_at"] >= "2026-11-19"}
    assert sorted(found) == sorted(expected)
    for url, article in found.items():
        record = article.to_dict()
        record["crawled_at"] = expected[url]["crawled_at"]
        record["url"] = expected[url]["url"]
        assert record == expected[url], url
    rejected = {(reject["outcome"], reject["url"].rsplit("-", 1)[-1]) for reject in result.rejects}
    assert ("not_article", "100261126200000742.htm") in rejected, "Tuổi Trẻ Sao preview is not stored"
    assert ("missing_body", "100261125081000311.htm") in rejected, "video-only page is not stored"
    assert all(reject["reason"] for reject in result.rejects)
    assert result.outcomes["out_of_window"] == 1, "the English listing's 1 November entry is not fetched"
    assert result.outcomes["item"] == len(expected)
    requests = result.mirror_requests
    assert "tuoitre.vn/StaticSitemaps/sitemaps-2026-11.xml" in requests
    assert "tuoitre.vn/timeline/6/trang-2.htm" in requests
    assert "tuoitre.vn/timeline/6/trang-3.htm" in requests, "the timeline is paged until an empty page"
    assert "tuoitre.vn/timeline/6/trang-4.htm" not in requests
    assert "tuoitrenews.vn/news/society/page/2" in requests
    # The pháp luật feed also lists the AMP twin of an article: fetched once, as the article.
    assert not [path for path in requests if "/video/" in path or "/amp/" in path]
    assert (
        requests.count(
            "tuoitre.vn/cong-an-tp-hcm-triet-pha-duong-day-lam-gia-giay-to-xe-100261126083015482.htm"
        )
        == 1
    )


def test_since_stops_the_timeline_and_drops_older_feed_entries(crawl) -> None:
    result = crawl("-a", "since=2026-11-26", "-a", "until=2026-11-27", "-a", "editions=vi", spider="tuoitre")
    published = sorted(article.published_at.isoformat() for article in result.articles)
    assert published and all(moment >= "2026-11-25T17:00:00" for moment in published)
    assert result.outcomes.get("out_of_window", 0) >= 1, "feed entries listed before since are not fetched"
    # The first timeline page lists an article created on 20 November: older pages are not requested.
    assert "tuoitre.vn/timeline/6/trang-3.htm" not in result.mirror_requests


def test_a_month_whose_sitemap_is_not_published_is_no_discovery_failure(crawl) -> None:
    result = crawl("-a", "since=2026-10-28", "-a", "until=2026-11-27", "-a", "editions=vi", spider="tuoitre")
    assert "tuoitre.vn/StaticSitemaps/sitemaps-2026-10.xml" in result.mirror_requests
    assert "discovery_failed" not in result.outcomes, result.rejects
    assert "No monthly sitemap at" in result.log
    assert result.articles
