"""A Scrapy extension: when the spider closes, it writes Scrapy's own network counters to
``NEWS_CRAWL_COUNTERS_FILE`` (the pipeline's crawl step sets it). The spiders' outcome stats count pages; only
these counters tell a site that is down (no response at all) from a run with nothing new."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from warehouse.env import EnvReader


class CrawlCounters:
    def __init__(self, crawler: Crawler, path: Path):
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlCounters:
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("NEWS_CRAWL_COUNTERS_FILE") or EnvReader().string(
            "NEWS_CRAWL_COUNTERS_FILE", ""
        )
        if not path:
            raise NotConfigured("NEWS_CRAWL_COUNTERS_FILE is not set")
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        counters = {
            "responses": stats.get("response_received_count", 0),
            "download_errors": stats.get("downloader/exception_count", 0),
            "finish_reason": reason,
        }
        self.path.write_text(json.dumps(counters, sort_keys=True), encoding="utf-8")
