"""Decisions made without a network: which listed URLs become article requests, which arguments are
refused, and which items the validation pipeline lets into the feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from spiders.crawlers import BaoquocteSpider
from spiders.known import KnownArticle
from spiders.pipelines import ArticleValidationPipeline
from testkit.fixtures import article_pages

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


def test_validation_pipeline_drops_invalid_and_duplicate_records_with_a_reason(tmp_path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    crawler = get_crawler(BaoquocteSpider, {"NEWS_REJECTS_FILE": str(rejects)})
    crawler.spider = BaoquocteSpider.from_crawler(crawler)
    pipeline = ArticleValidationPipeline.from_crawler(crawler)
    record = next(page for page in article_pages() if page.expected_record()).expected_record()
    assert pipeline.process_item(dict(record)) == record
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(dict(record))
    with pytest.raises(DropItem, match="title: is missing"):
        pipeline.process_item({**record, "canonical_url": record["canonical_url"] + "?v=2", "title": ""})
    with pytest.raises(DropItem, match="language"):
        pipeline.process_item({**record, "canonical_url": record["canonical_url"] + "?v=3", "language": "??"})
    crawler.spider.outcomes.rejects.close()
    stats = crawler.stats
    assert stats.get_value("news/outcome/item") == 1
    assert stats.get_value("news/outcome/duplicate") == 1
    assert stats.get_value("news/outcome/invalid_record") == 2
    assert [line.count('"outcome": "invalid_record"') for line in rejects.read_text().splitlines()] == [1, 1]
