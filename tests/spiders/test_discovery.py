"""Decisions made without a network: which listed URLs become article requests, which arguments are
refused, and which items the validation pipeline lets into the feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from spiders.article_validation import ArticleValidationPipeline
from spiders.base import NewsSpider
from spiders.crawlers import SPIDERS
from spiders.known import KnownArticle
from testkit.fixtures import article_pages

BaoquocteSpider = SPIDERS["baoquocte"]
ARTICLE = "https://baoquocte.vn/quan-he-viet-nam-hoa-ky-buoc-vao-giai-doan-moi-235003.html"
STORED_AT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def make_spider(**arguments: str) -> NewsSpider:
    crawler = get_crawler(BaoquocteSpider)
    spider = BaoquocteSpider.from_crawler(crawler, **arguments)
    spider.known = {ARTICLE: KnownArticle(ARTICLE, "hash", STORED_AT)}
    return spider


def test_known_article_is_fetched_when_any_listing_shows_it_newer() -> None:
    spider = make_spider()
    assert spider.article_request(ARTICLE + "#comments", listed_at=None) is None
    assert spider.article_request(ARTICLE, listed_at=STORED_AT) is None
    request = spider.article_request(
        ARTICLE + "?utm_source=rss", listed_at=datetime(2026, 11, 25, tzinfo=UTC)
    )
    assert request is not None and request.url == ARTICLE
    assert spider.article_request(ARTICLE, listed_at=datetime(2026, 11, 26, tzinfo=UTC)) is None, "once"
    spider.settle_outcomes()
    assert spider.crawler.stats.get_value("news/outcome/skipped_known") is None


def test_known_article_never_listed_as_newer_is_skipped_once() -> None:
    spider = make_spider()
    for _ in range(3):
        assert spider.article_request(ARTICLE, listed_at=None) is None
    spider.settle_outcomes()
    assert spider.crawler.stats.get_value("news/outcome/skipped_known") == 1


def test_links_that_are_not_articles_are_ignored() -> None:
    spider = make_spider()
    assert spider.article_request("https://baoquocte.vn/thoi-su", listed_at=None) is None
    assert spider.crawler.stats.get_value("news/discovery/not_article_link") == 1


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"since": "2026-11-26", "until": "2026-11-20"}, "swap them"),
        ({"since": "last week"}, "YYYY-MM-DD"),
        ({"editions": "fr"}, "unknown edition"),
        ({"categories": "fr:actualites"}, "unknown edition"),
    ],
)
def test_bad_arguments_fail_with_an_instructive_message(arguments: dict[str, str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        BaoquocteSpider(**arguments)


def test_categories_belong_to_an_edition() -> None:
    spider = BaoquocteSpider(categories="thoi-su, en:politics-diplomacy")
    assert spider.categories == [("vi", "thoi-su"), ("en", "politics-diplomacy")]


def test_every_variant_host_of_an_article_is_an_article_link() -> None:
    spider = BaoquocteSpider()
    path = "vietnam-and-japan-deepen-comprehensive-strategic-partnership-248130.html"
    for host in ("en.baoquocte.vn", "m.en.baoquocte.vn", "m.baoquocte.vn", "www.baoquocte.vn"):
        assert spider.parser.article_url.search(f"https://{host}/{path}"), host
    assert not spider.parser.article_url.search(f"https://baoquocte.vn.example.com/{path}")


def test_validation_pipeline_drops_invalid_and_duplicate_records_with_a_reason(tmp_path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    crawler = get_crawler(BaoquocteSpider, {"NEWS_REJECTS_FILE": str(rejects)})
    crawler.spider = spider = BaoquocteSpider.from_crawler(crawler)
    pipeline = ArticleValidationPipeline.from_crawler(crawler)
    record = next(page for page in article_pages() if page.expected_record()).record()
    assert pipeline.process_item(dict(record)) == record
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(dict(record))
    with pytest.raises(DropItem, match="title: is missing"):
        pipeline.process_item({**record, "canonical_url": record["canonical_url"] + "?v=2", "title": ""})
    with pytest.raises(DropItem, match="language"):
        pipeline.process_item({**record, "canonical_url": record["canonical_url"] + "?v=3", "language": "??"})
    assert spider.outcomes.rejects is not None, "NEWS_REJECTS_FILE opens the rejects file"
    spider.outcomes.rejects.close()
    stats = crawler.stats
    assert stats.get_value("news/outcome/item") == 1
    assert stats.get_value("news/outcome/duplicate") == 1
    assert stats.get_value("news/outcome/invalid_record") == 2
    assert [line.count('"outcome": "invalid_record"') for line in rejects.read_text().splitlines()] == [1, 1]


def _xml_response(url: str, body: str):
    from scrapy.http import XmlResponse

    return XmlResponse(url=url, body=body.encode(), encoding="utf-8")


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://baoquocte.vn/bai-moi-300001.html</loc>
    <news:news><news:publication_date>2026-11-26T08:00:00+07:00</news:publication_date></news:news></url>
  <url><loc>https://baoquocte.vn/bai-cu-300002.html</loc>
    <news:news><news:publication_date>2026-10-01T08:00:00+07:00</news:publication_date></news:news></url>
  <url><loc>https://baoquocte.vn/thoi-su</loc><lastmod>2026-11-26</lastmod></url>
</urlset>"""


def test_news_sitemap_urls_are_requested_with_their_publication_time() -> None:
    spider = make_spider(since="2026-11-20")
    requests = list(
        spider.parse_sitemap(_xml_response("https://baoquocte.vn/sitemap-news.xml", NEWS_SITEMAP))
    )
    assert [request.url for request in requests] == ["https://baoquocte.vn/bai-moi-300001.html"]
    assert spider.crawler.stats.get_value("news/outcome/out_of_window") == 1
    assert spider.crawler.stats.get_value("news/discovery/not_article_link") == 1


def test_sitemap_index_is_followed_to_its_child_sitemaps() -> None:
    index = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://baoquocte.vn/sitemaps/2026-11.xml</loc></sitemap>
  <sitemap><loc>/sitemaps/2026-10.xml</loc></sitemap>
</sitemapindex>"""
    spider = make_spider()
    requests = list(spider.parse_sitemap(_xml_response("https://baoquocte.vn/sitemap.xml", index)))
    assert [request.url for request in requests] == [
        "https://baoquocte.vn/sitemaps/2026-11.xml",
        "https://baoquocte.vn/sitemaps/2026-10.xml",
    ]
    assert all(request.callback == spider.parse_sitemap for request in requests)


def test_sitemap_with_one_lastmod_on_every_url_does_not_refetch_known_articles() -> None:
    urls = "".join(
        f"<url><loc>{url}</loc><lastmod>2026-11-27T00:00:00+07:00</lastmod></url>"
        for url in (ARTICLE, "https://baoquocte.vn/bai-moi-300001.html")
    )
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    spider = make_spider()
    requests = list(spider.parse_sitemap(_xml_response("https://baoquocte.vn/sitemap.xml", sitemap)))
    assert [request.url for request in requests] == ["https://baoquocte.vn/bai-moi-300001.html"]
    assert spider.crawler.stats.get_value("news/discovery/sitemap_uniform_lastmod") == 1
    spider.settle_outcomes()
    assert spider.crawler.stats.get_value("news/outcome/skipped_known") == 1


def test_listing_page_path_builds_the_next_page_and_stops_on_an_empty_page() -> None:
    from dataclasses import replace

    from scrapy.http import HtmlResponse

    spider = make_spider(max_listing_pages="5")
    spider.listing = replace(spider.listing, page_path="/{category}/trang{page}.html")
    listing = """<html><body><div class="bx-listing"><div class="article">
      <h3 class="article-title"><a href="/bai-moi-300001.html">Bài mới</a></h3></div></div></body></html>"""
    response = HtmlResponse(url="https://baoquocte.vn/thoi-su", body=listing.encode(), encoding="utf-8")
    requests = list(spider.parse_listing(response, page=1, category="thoi-su"))
    assert [request.url for request in requests] == [
        "https://baoquocte.vn/bai-moi-300001.html",
        "https://baoquocte.vn/thoi-su/trang2.html",
    ]
    assert requests[1].cb_kwargs == {"page": 2, "category": "thoi-su"}
    empty = HtmlResponse(
        url="https://baoquocte.vn/thoi-su/trang2.html", body=b"<html><body></body></html>", encoding="utf-8"
    )
    assert list(spider.parse_listing(empty, page=2, category="thoi-su")) == []
