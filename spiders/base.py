"""Discovery and bookkeeping shared by every news spider: RSS feeds, category listings with paging, the
date window, ``max_articles``, incremental skipping of known articles, and one recorded outcome per page.
A source module declares its editions, feed/listing paths, listing selectors and its ``ArticleParser``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import lxml.html
import scrapy
from lxml.cssselect import CSSSelector
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from .extract.article import ArticleParser
from .extract.dates import parse_day, parse_iso_datetime, parse_rfc822_datetime, parse_site_datetime
from .extract.urls import canonicalize
from .known import KnownArticle, known_from_feed, known_from_warehouse
from .outcomes import OutcomeRecorder

_TRUE = frozenset({"1", "true", "yes", "on"})


def decode_page(response: TextResponse) -> tuple[str, bool]:
    """The page text, and whether its declared charset was wrong and had to be recovered: a body that
    is valid UTF-8 with non-ASCII bytes but was declared otherwise, or declared UTF-8 but is not
    (then it is read as Windows-1258, the legacy Vietnamese code page)."""
    body = response.body
    declared_utf8 = response.encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    try:
        as_utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        if declared_utf8:
            return body.decode("cp1258", errors="replace"), True
        return response.text, False
    if not declared_utf8 and not body.isascii():
        return as_utf8, True
    return response.text, False


class NewsSpider(scrapy.Spider):
    parser: ClassVar[ArticleParser]
    editions: ClassVar[dict[str, str]]
    default_categories: ClassVar[dict[str, tuple[str, ...]]]
    main_feed_path: ClassVar[str]
    category_feed_path: ClassVar[str]
    category_listing_path: ClassVar[str]
    listing_entry: ClassVar[CSSSelector]
    listing_link: ClassVar[CSSSelector]
    listing_time: ClassVar[CSSSelector]
    paging_link: ClassVar[CSSSelector]

    outcomes: OutcomeRecorder

    def __init__(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        max_articles: str | int | None = None,
        categories: str | None = None,
        incremental: str | bool = False,
        known_feed: str | None = None,
        editions: str | None = None,
        urls: str | None = None,
        max_listing_pages: str | int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.since: date | None = parse_day(since) if since else None
        self.until: date | None = parse_day(until) if until else None
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since={self.since} is after until={self.until}; swap them")
        self.max_articles = int(max_articles) if max_articles not in (None, "") else None
        self.incremental = str(incremental).lower() in _TRUE or bool(known_feed)
        self.known_feed = known_feed
        self.edition_names = [
            e.strip() for e in (editions or ",".join(self.editions)).split(",") if e.strip()
        ]
        unknown = sorted(set(self.edition_names) - set(self.editions))
        if unknown:
            raise ValueError(f"unknown edition(s) {unknown}; {self.name} has {sorted(self.editions)}")
        self.categories = self._qualified_categories(categories or "")
        self.start_urls_override = [url.strip() for url in (urls or "").split(",") if url.strip()]
        self.max_listing_pages_arg = int(max_listing_pages) if max_listing_pages else None
        self.known: dict[str, KnownArticle] = {}
        self.scheduled: set[str] = set()
        self.skipped_as_known: set[str] = set()
        self.article_requests = 0

    def _qualified_categories(self, categories: str) -> list[tuple[str, str]]:
        """``thoi-su,en:politics-diplomacy`` → ``[("vi", "thoi-su"), ("en", "politics-diplomacy")]``;
        a category without an edition prefix belongs to the first edition crawled."""
        qualified = []
        for item in (part.strip().strip("/") for part in categories.split(",")):
            edition, _, category = item.rpartition(":")
            edition = edition or self.edition_names[0]
            if edition not in self.editions:
                raise ValueError(
                    f"category {item!r} names unknown edition {edition!r}; use {sorted(self.editions)}"
                )
            if category:
                qualified.append((edition, category))
        return qualified

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.outcomes = OutcomeRecorder(crawler)
        spider.max_listing_pages = spider.max_listing_pages_arg or crawler.settings.getint(
            "NEWS_MAX_LISTING_PAGES"
        )
        if spider.incremental:
            spider.known = spider.load_known()
        return spider

    def load_known(self) -> dict[str, KnownArticle]:
        if self.known_feed:
            return known_from_feed(self.known_feed, self.parser.source)
        if os.environ.get("DATABASE_URL"):
            return known_from_warehouse(self.parser.source)
        raise ValueError(
            "incremental=true needs somewhere to learn known articles from: set DATABASE_URL "
            "(the warehouse) or pass -a known_feed=PATH (a previous feed)"
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.incremental:
            self.crawler.stats.set_value("news/known_articles", len(self.known))
        for url in self.start_urls_override:
            request = self.article_request(url, listed_at=None)
            if request is not None:
                yield request
        if self.start_urls_override:
            return
        if self.categories:
            for edition, category in self.categories:
                for request in self.category_requests(self.editions[edition], category):
                    yield request
            return
        for edition in self.edition_names:
            base = self.editions[edition]
            yield scrapy.Request(base + self.main_feed_path, self.parse_feed, errback=self.discovery_failed)
            for category in self.default_categories.get(edition, ()):
                for request in self.category_requests(base, category):
                    yield request

    def category_requests(self, base: str, category: str) -> list[scrapy.Request]:
        feed_url = base + self.category_feed_path.format(category=category)
        listing_url = base + self.category_listing_path.format(category=category)
        return [
            scrapy.Request(feed_url, self.parse_feed, errback=self.discovery_failed),
            scrapy.Request(
                listing_url, self.parse_listing, errback=self.discovery_failed, cb_kwargs={"page": 1}
            ),
        ]

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("news/discovery/feed_pages")
        for entry in response.xpath("//item | //*[local-name()='entry']"):
            link = entry.xpath("link/text() | *[local-name()='link']/@href").get("").strip()
            published = entry.xpath("pubDate/text() | *[local-name()='updated']/text()").get("")
            listed_at = parse_rfc822_datetime(published) or parse_iso_datetime(
                published, self.parser.site_timezone
            )
            request = self.article_request(response.urljoin(link), listed_at)
            if request is not None:
                yield request

    def parse_listing(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("news/discovery/listing_pages")
        tree = lxml.html.document_fromstring(response.text)
        listed_times = []
        for entry in self.listing_entry(tree):
            links = self.listing_link(entry)
            if not links or not links[0].get("href"):
                continue
            times = self.listing_time(entry)
            listed_at = (
                parse_site_datetime(times[0].text_content(), self.parser.site_timezone) if times else None
            )
            listed_times.append(listed_at)
            request = self.article_request(response.urljoin(links[0].get("href")), listed_at)
            if request is not None:
                yield request
        all_older = (
            self.since is not None
            and bool(listed_times)
            and all(t is not None and self._local_day(t) < self.since for t in listed_times)
        )
        if page >= self.max_listing_pages or all_older or self._limit_reached():
            return
        for link in self.paging_link(tree):
            href = link.get("href")
            if href and self._is_next_page(link, page):
                yield response.follow(
                    href, self.parse_listing, errback=self.discovery_failed, cb_kwargs={"page": page + 1}
                )

    @staticmethod
    def _is_next_page(link: Any, page: int) -> bool:
        label = link.text_content().strip()
        return label == str(page + 1) or "next" in (link.get("class") or "") or label in ("»", "›", "Sau")

    def article_request(self, url: str, listed_at: datetime | None) -> scrapy.Request | None:
        if not self.parser.article_url.search(url):
            self.crawler.stats.inc_value("news/discovery/not_article_link")
            return None
        canonical_url = canonicalize(url)
        if canonical_url in self.scheduled:
            self.crawler.stats.inc_value("news/discovery/duplicate_link")
            return None
        known = self.known.get(canonical_url)
        if known is not None and (
            listed_at is None or known.updated_at is None or listed_at <= known.updated_at
        ):
            self.skipped_as_known.add(canonical_url)
            return None
        self.skipped_as_known.discard(canonical_url)
        self.scheduled.add(canonical_url)
        if listed_at is not None and not self._in_window(listed_at):
            self.outcomes.record("out_of_window", canonical_url, f"listed at {listed_at.isoformat()}")
            return None
        if self._limit_reached():
            self.crawler.stats.inc_value("news/discovery/over_max_articles")
            return None
        self.article_requests += 1
        self.crawler.stats.inc_value("news/requests/article")
        return scrapy.Request(canonical_url, self.parse_article, errback=self.article_failed)

    def settle_outcomes(self) -> None:
        """Called once at close: a known article is only "skipped" if no later listing showed it as
        updated, so its outcome can be recorded only when discovery is over."""
        for canonical_url in sorted(self.skipped_as_known):
            self.outcomes.record("skipped_known", canonical_url)
        self.skipped_as_known.clear()

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self.outcomes.record("not_article", response.url, "response is not text")
            return
        html, charset_recovered = decode_page(response)
        flags: tuple[str, ...] = ("charset_recovered",) if charset_recovered else ()
        if b"</html>" not in response.body[-4096:].lower():
            flags += ("truncated_html",)
        extraction = self.parser.extract(html, response.url, datetime.now(UTC), flags)
        article = extraction.article
        if article is None:
            self.outcomes.record(extraction.outcome, response.url, extraction.reason)
            return
        if article.published_at is not None and not self._in_window(article.published_at):
            self.outcomes.record(
                "out_of_window", response.url, f"published {article.published_at.isoformat()}"
            )
            return
        yield article.to_dict()

    def article_failed(self, failure: Failure) -> None:
        url = failure.request.url
        if failure.check(HttpError):
            status = failure.value.response.status
            outcome = {404: "http_404", 410: "http_410"}.get(status, "http_error")
            self.outcomes.record(outcome, url, f"HTTP {status}")
        elif failure.check(DownloadTimeoutError, TwistedTimeoutError):
            self.outcomes.record("timeout", url, str(failure.value))
        elif failure.check(DownloadCancelledError):
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            self.outcomes.record(
                "too_large", url, str(failure.value) or f"over DOWNLOAD_MAXSIZE ({limit} bytes)"
            )
        elif failure.check(IgnoreRequest):
            self.outcomes.record("robots_disallowed", url, str(failure.value) or "forbidden by robots.txt")
        else:
            self.outcomes.record("fetch_error", url, f"{failure.type.__name__}: {failure.value}")

    def discovery_failed(self, failure: Failure) -> None:
        """A feed or listing page that could not be fetched: recorded (and written to the rejects) so a
        crawl whose discovery failed entirely is visible as such, not as an empty success."""
        self.outcomes.record(
            "discovery_failed", failure.request.url, f"{failure.type.__name__}: {failure.value}"
        )

    def _limit_reached(self) -> bool:
        return self.max_articles is not None and self.article_requests >= self.max_articles

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.parser.site_timezone).date()

    def _in_window(self, moment: datetime) -> bool:
        day = self._local_day(moment)
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)
