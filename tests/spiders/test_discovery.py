"""Discovery decisions without a network: which listed URLs become article requests and why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler

from spiders.known import KnownArticle
from spiders.sources.baoquocte import BaoquocteSpider

ARTICLE = "https://baoquocte.vn/quan-he-viet-nam-hoa-ky-buoc-vao-giai-doan-moi-235003.html"
STORED_AT = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def make_spider(**arguments: str) -> BaoquocteSpider:
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
