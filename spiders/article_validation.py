"""The last check before the feed: every item must load as ``warehouse.record.Article`` exactly as the
warehouse loader will read it, and appear once per canonical URL in a run."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from warehouse.record import Article, RecordError

from .base import NewsSpider
from .outcomes import item_outcome


class ArticleValidationPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.seen_canonical_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleValidationPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> dict[str, Any]:
        spider = self.crawler.spider
        if not isinstance(spider, NewsSpider):
            raise TypeError(f"ArticleValidationPipeline checks the items of a NewsSpider, not of {spider!r}")
        outcomes = spider.outcomes
        url = item.get("url", "") if isinstance(item, dict) else ""
        try:
            article = Article.from_dict(item)
        except RecordError as error:
            outcomes.record("invalid_record", url, str(error))
            raise DropItem(f"invalid article record from {url}: {error}") from None
        if article.canonical_url in self.seen_canonical_urls:
            outcomes.record("duplicate", url, f"canonical URL {article.canonical_url} already in this feed")
            raise DropItem(f"duplicate of {article.canonical_url}")
        self.seen_canonical_urls.add(article.canonical_url)
        outcomes.record(item_outcome(article.flags), url)
        return article.to_dict()
