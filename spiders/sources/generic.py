"""Any news site, without site-specific selectors: discovery from the RSS/Atom feeds given as arguments,
extraction from structured metadata (JSON-LD ``articleBody``) or else the generic extractor.

    scrapy crawl generic -a source=example_news -a feeds=https://example.org/rss.xml \\
        -a language=en -a timezone=Europe/Paris

Records carry ``extraction_layer`` "metadata" or "generic": check them before trusting them like a
source with its own parser. The warehouse only accepts sources it knows (``sources`` table).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy

from ..base import NewsSpider
from ..extract.article import ArticleParser
from ..extract.text import SiteNoise
from ..source import Edition


class GenericParser(ArticleParser):
    """The layered extractor with no site layer: metadata first, then trafilatura."""

    def __init__(self, source: str, domains: list[str], language: str, site_timezone: tzinfo):
        hosts = "|".join(re.escape(domain) for domain in domains)
        self.spec = None
        self.configure(
            name=source,
            site_timezone=site_timezone,
            article_url=re.compile(rf"^https?://(?:[a-z0-9-]+\.)*(?:{hosts})/(?P<path>[^?#]+)"),
            default_language=language,
            noise=SiteNoise(),
        )

    def source_article_id(self, canonical_url: str) -> str | None:
        return None


class GenericSpider(NewsSpider):
    name = "generic"

    def __init__(
        self,
        *,
        source: str = "generic",
        feeds: str = "",
        domains: str | None = None,
        language: str = "und",
        timezone: str = "UTC",
        **kwargs: Any,
    ):
        self.editions = {"default": Edition("default", "", "und")}
        super().__init__(**kwargs)
        self.feeds = [feed.strip() for feed in feeds.split(",") if feed.strip()]
        if not self.feeds and not self.start_urls_override:
            raise ValueError("the generic spider needs -a feeds=URL[,URL...] (RSS or Atom) or -a urls=...")
        hosts = [urlsplit(url).hostname or "" for url in [*self.feeds, *self.start_urls_override]]
        self.allowed_domains = [d.strip() for d in (domains or ",".join(hosts)).split(",") if d.strip()]
        self.parser = GenericParser(source, self.allowed_domains, language, ZoneInfo(timezone))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls_override:
            request = self.article_request(url, listed_at=None)
            if request is not None:
                yield request
        for feed in self.feeds:
            yield scrapy.Request(feed, self.parse_feed, errback=self.discovery_failed)
