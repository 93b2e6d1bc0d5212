"""Discovery and bookkeeping shared by every news spider: RSS/Atom feeds, news sitemaps (and sitemap
indexes), category listings with paging, the date window, ``max_articles``, incremental skipping of known
articles, and one recorded outcome per page. What to discover comes from the source's declaration
(``spiders.source.Source``); ``spiders.crawlers`` makes one spider class per registered source."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import lxml.html
import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from .downloader import (
    OffsiteRedirectError,
    RedirectDuplicateError,
    RedirectError,
    ResponseTooLargeError,
)
from .extract.article import ArticleParser
from .extract.dates import parse_day, parse_iso_datetime, parse_rfc822_datetime, parse_site_datetime
from .extract.fields import select
from .extract.text import raw_text
from .extract.urls import canonicalize
from .known import KnownArticle, known_from_feed, known_from_warehouse
from .outcomes import OutcomeRecorder
from .source import Edition, Listing, Source

_TRUE = frozenset({"1", "true", "yes", "on"})


# A page whose non-ASCII bytes are more than this share invalid UTF-8 is in a legacy code page; below
# it, the page is UTF-8 with a few damaged bytes (a page cut mid-character, a stray byte).
LEGACY_INVALID_SHARE = 0.2
LEGACY_ENCODING = "cp1258"  # Windows-1258, the legacy Vietnamese code page
_ASCII_BYTES = bytes(range(128))
_REPLACEMENT_BYTES = "\ufffd".encode()


def decode_page(response: TextResponse) -> tuple[str, tuple[str, ...]]:
    """The page text and the flags its decoding earned. UTF-8 is tried first, whatever the page
    declares: a body that is valid UTF-8 but was declared otherwise is read as UTF-8
    (``charset_recovered``); a UTF-8 body with a few invalid bytes is read as UTF-8 with U+FFFD in their
    place (``invalid_utf8``), never re-read wholesale in a legacy code page. Only a body whose
    non-ASCII bytes are mostly invalid UTF-8 really is in a legacy code page: the declared one when it
    declares one, else Windows-1258 (``charset_recovered``)."""
    body = response.body
    if body.isascii():
        return response.text, ()
    declared_utf8 = response.encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    as_utf8 = body.decode("utf-8", errors="replace")
    invalid = as_utf8.count("\ufffd") - body.count(_REPLACEMENT_BYTES)
    if invalid == 0:
        return as_utf8, () if declared_utf8 else ("charset_recovered",)
    non_ascii = len(body.translate(None, _ASCII_BYTES))
    if invalid / non_ascii <= LEGACY_INVALID_SHARE:
        return as_utf8, ("invalid_utf8",)
    if not declared_utf8:
        return response.text, ()
    return body.decode(LEGACY_ENCODING, errors="replace"), ("charset_recovered",)


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about: Scrapy attaches it to the Failure it passes."""
    return failure.request  # type: ignore[attr-defined]  # set by Scrapy, not declared by Twisted's Failure


class NewsSpider(scrapy.Spider):
    """A spider crawling one declared source (``spec``); ``spiders.crawlers`` builds one per source."""

    spec: ClassVar[Source | None] = None
    parser: ArticleParser
    editions: dict[str, Edition]
    listing: Listing = Listing()
    NEXT_PAGE_LABELS: ClassVar[frozenset[str]] = frozenset({"»", "›", "Sau", "Trang sau", "Next", ">"})

    outcomes: OutcomeRecorder
    max_listing_pages: int
    allowed_domains: list[str]

    def __init__(  # noqa: PLR0913 - one keyword per spider argument (scrapy crawl -a NAME=VALUE)
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
        if self.spec is not None:
            self.parser = self.spec.instance
            self.editions = {edition.key: edition for edition in self.spec.editions}
            self.listing = self.spec.listing
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
        from warehouse.db import configured_by

        if configured_by() is not None:
            return known_from_warehouse(self.parser.source)
        raise ValueError(
            "incremental=true needs somewhere to learn known articles from: set DATABASE_URL or "
            "AIRFLOW_CONN_NEWS_DB (the warehouse) or pass -a known_feed=PATH (a previous feed)"
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
            for edition_key, category in self.categories:
                for request in self.category_requests(self.editions[edition_key], category):
                    yield request
            return
        for key in self.edition_names:
            edition = self.editions[key]
            for feed in edition.feeds:
                yield scrapy.Request(edition.base_url + feed, self.parse_feed, errback=self.discovery_failed)
            for sitemap in edition.news_sitemaps:
                yield scrapy.Request(
                    edition.base_url + sitemap, self.parse_sitemap, errback=self.discovery_failed
                )
            for category in edition.categories:
                for request in self.category_requests(edition, category):
                    yield request

    def category_requests(self, edition: Edition, category: str) -> list[scrapy.Request]:
        """The category's feed (when the source has category feeds) and the first page of its listing."""
        requests = []
        if self.listing.feed_path:
            feed_url = edition.base_url + self.listing.feed_path.format(category=category)
            requests.append(scrapy.Request(feed_url, self.parse_feed, errback=self.discovery_failed))
        listing_url = edition.base_url + self.listing.path.format(category=category)
        requests.append(
            scrapy.Request(
                listing_url,
                self.parse_listing,
                errback=self.discovery_failed,
                cb_kwargs={"page": 1, "category": category},
            )
        )
        return requests

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("news/discovery/feed_pages")
        for entry in response.xpath("//item | //*[local-name()='entry']"):
            link = entry.xpath("link/text() | *[local-name()='link']/@href").get("").strip()
            published = entry.xpath("pubDate/text() | *[local-name()='updated']/text()").get("")
            request = self.article_request(response.urljoin(link), self.feed_time(published))
            if request is not None:
                yield request

    def feed_time(self, published: str) -> datetime | None:
        """An entry's ``pubDate`` (RFC 822) or Atom ``updated`` (ISO 8601); a source whose feed writes
        dates another way overrides this in its ``spider_base``."""
        return parse_rfc822_datetime(published) or parse_iso_datetime(published, self.parser.site_timezone)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A (news) sitemap: its URLs with their publication time (``news:publication_date``, else
        ``lastmod``), or, for a sitemap index, its child sitemaps. A sitemap whose every URL carries the
        same ``lastmod`` says nothing about when each changed: those times are ignored."""
        self.crawler.stats.inc_value("news/discovery/sitemap_pages")
        selector = scrapy.Selector(text=response.text, type="xml")
        for child in selector.xpath("//*[local-name()='sitemap']/*[local-name()='loc']/text()").getall():
            yield scrapy.Request(
                response.urljoin(child.strip()), self.parse_sitemap, errback=self.discovery_failed
            )
        entries = []
        for url in selector.xpath("//*[local-name()='url']"):
            loc = url.xpath("*[local-name()='loc']/text()").get("").strip()
            published = url.xpath(".//*[local-name()='publication_date']/text()").get("").strip()
            modified = url.xpath("*[local-name()='lastmod']/text()").get("").strip()
            if loc:
                entries.append((loc, published, modified))
        modified_times = {modified for _, _, modified in entries}
        uniform = len(entries) > 1 and len(modified_times) == 1
        if uniform:
            self.crawler.stats.inc_value("news/discovery/sitemap_uniform_lastmod")
        for loc, published, modified in entries:
            shown = published or ("" if uniform else modified)
            listed_at = parse_iso_datetime(shown, self.parser.site_timezone) if shown else None
            request = self.article_request(response.urljoin(loc), listed_at)
            if request is not None:
                yield request

    def parse_listing(self, response: Response, page: int, category: str = "") -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("news/discovery/listing_pages")
        tree = lxml.html.document_fromstring(response.text)
        listed_times = []
        for entry in select(tree, self.listing.entry):
            links = select(entry, self.listing.link) if self.listing.link else []
            link = links[0] if links else (entry if entry.tag == "a" else None)
            href = link.get("href") if link is not None else None
            if not href:
                continue
            times = select(entry, self.listing.time)
            listed_at = parse_site_datetime(raw_text(times[0]), self.parser.site_timezone) if times else None
            listed_times.append(listed_at)
            request = self.article_request(response.urljoin(href), listed_at)
            if request is not None:
                yield request
        all_older = (
            self.since is not None
            and bool(listed_times)
            and all(t is not None and self._local_day(t) < self.since for t in listed_times)
        )
        if page >= self.max_listing_pages or all_older or self._limit_reached() or not listed_times:
            return
        for href in self.next_page_links(tree, page, category):
            yield response.follow(
                href,
                self.parse_listing,
                errback=self.discovery_failed,
                cb_kwargs={"page": page + 1, "category": category},
            )

    def next_page_links(self, tree: Any, page: int, category: str) -> list[str]:
        """The next listing page: built from ``Listing.page_path``, else the paging link that names it."""
        if self.listing.page_path:
            return [self.listing.page_path.format(category=category, page=page + 1)]
        for link in select(tree, self.listing.paging):
            href = link.get("href")
            if href and self._is_next_page(link, page):
                return [href]
        return []

    @classmethod
    def _is_next_page(cls, link: Any, page: int) -> bool:
        label = link.text_content().strip()
        return label == str(page + 1) or "next" in (link.get("class") or "") or label in cls.NEXT_PAGE_LABELS

    def article_request(self, url: str, listed_at: datetime | None) -> scrapy.Request | None:
        if not self.parser.article_url.search(url):
            self.crawler.stats.inc_value("news/discovery/not_article_link")
            return None
        canonical_url = self.spec.canonical_url(url) if self.spec is not None else canonicalize(url)
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
            self.outcomes.record(
                "out_of_window", canonical_url, f"listed at {listed_at.isoformat()}", fetched=False
            )
            return None
        if self._limit_reached():
            self.crawler.stats.inc_value("news/discovery/over_max_articles")
            return None
        self.article_requests += 1
        self.crawler.stats.inc_value("news/requests/article")
        return scrapy.Request(
            canonical_url, self.parse_article, errback=self.article_failed, meta={"article_page": True}
        )

    def settle_outcomes(self) -> None:
        """Called once at close: a known article is only "skipped" if no later listing showed it as
        updated, so its outcome can be recorded only when discovery is over."""
        for canonical_url in sorted(self.skipped_as_known):
            self.outcomes.record("skipped_known", canonical_url, fetched=False)
        self.skipped_as_known.clear()

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self.outcomes.record("not_article", response.url, "response is not text")
            return
        redirected_from = response.meta.get("redirect_urls")
        if redirected_from and not self.parser.article_url.search(response.url):
            self.outcomes.record(
                "redirected_away",
                redirected_from[0],
                f"redirected to {response.url}, not an article (a consent, login or home page)",
            )
            return
        html, flags = decode_page(response)
        if "</html>" not in html[-4096:].lower():
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
        # The page's outcome goes under the URL the crawl asked for, not the last hop of its redirects.
        request = failed_request(failure)
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        if failure.check(HttpError):
            status = failure.value.response.status
            outcome = {404: "http_404", 410: "http_410"}.get(status, "http_error")
            self.outcomes.record(outcome, url, f"HTTP {status}")
        elif failure.check(DownloadTimeoutError, TwistedTimeoutError):
            self.outcomes.record("timeout", url, str(failure.value))
        elif failure.check(DownloadCancelledError, ResponseTooLargeError):
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            self.outcomes.record(
                "too_large", url, str(failure.value) or f"over DOWNLOAD_MAXSIZE ({limit} bytes)"
            )
        elif failure.check(RedirectError):
            self.outcomes.record("redirect_error", url, str(failure.value))
        elif failure.check(OffsiteRedirectError):
            self.outcomes.record("offsite_redirect", url, str(failure.value))
        elif failure.check(RedirectDuplicateError):
            self.outcomes.record("duplicate", url, str(failure.value))
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.outcomes.record("robots_disallowed", url, str(failure.value) or "forbidden by robots.txt")
        else:
            self.outcomes.record("fetch_error", url, f"{failure.type.__name__}: {failure.value}")

    def discovery_failed(self, failure: Failure) -> None:
        """A feed or listing page that could not be fetched: recorded (and written to the rejects) so a
        crawl whose discovery failed entirely is visible as such, not as an empty success."""
        self.outcomes.record(
            "discovery_failed", failed_request(failure).url, f"{failure.type.__name__}: {failure.value}"
        )

    def _limit_reached(self) -> bool:
        return self.max_articles is not None and self.article_requests >= self.max_articles

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.parser.site_timezone).date()

    def _in_window(self, moment: datetime) -> bool:
        day = self._local_day(moment)
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)
