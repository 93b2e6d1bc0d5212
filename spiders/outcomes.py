"""Every page a crawl touches ends as exactly one outcome: counted in the crawl stats as
``news/outcome/<name>``, summarised in one log line at close, optionally written as JSON
(``NEWS_STATS_FILE``) and, for rejected pages, as JSON Lines (``NEWS_REJECTS_FILE``) that the load step
puts into the warehouse quarantine."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import IO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spiders import Spider

from warehouse.env import EnvReader

logger = logging.getLogger(__name__)

STAT_PREFIX = "news/outcome/"
ITEM_OUTCOMES: frozenset[str] = frozenset(
    {
        "item",
        "bad_charset_recovered",
        "invalid_utf8_replaced",
        "truncated_recovered",
        "future_date_flagged",
        "unparsable_date_flagged",
        "unexpected_language_routed",
    }
)
REJECTED_OUTCOMES: frozenset[str] = frozenset(
    {
        "not_article",
        "missing_title",
        "missing_body",
        "invalid_record",
        "http_404",
        "http_410",
        "http_error",
        "timeout",
        "too_large",
        "redirect_error",
        "offsite_redirect",
        "extraction_error",
        "fetch_error",
        "discovery_failed",
        "redirected_away",
    }
)
# Outcomes of pages the crawl decided on without fetching them (not counted as article requests).
UNFETCHED_STAT = "news/outcomes_unfetched"
ARTICLE_REQUESTS_STAT = "news/requests/article"
ITEM_FLAG_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("invalid_utf8", "invalid_utf8_replaced"),
    ("charset_recovered", "bad_charset_recovered"),
    ("truncated_html", "truncated_recovered"),
    ("future_date", "future_date_flagged"),
    ("unparsable_date", "unparsable_date_flagged"),
    ("unexpected_language", "unexpected_language_routed"),
)


def item_outcome(flags: list[str] | tuple[str, ...]) -> str:
    """The outcome of a page that became an item: its most notable flag, or plain ``item``."""
    for flag, outcome in ITEM_FLAG_OUTCOMES:
        if flag in flags:
            return outcome
    return "item"


class OutcomeRecorder:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        env = EnvReader()
        self.stats_path = settings.get("NEWS_STATS_FILE") or env.string("NEWS_STATS_FILE", "")
        rejects_path = settings.get("NEWS_REJECTS_FILE") or env.string("NEWS_REJECTS_FILE", "")
        self.rejects: IO[str] | None = None
        if rejects_path:
            Path(rejects_path).parent.mkdir(parents=True, exist_ok=True)
            self.rejects = Path(rejects_path).open("w", encoding="utf-8")  # noqa: SIM115
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def record(self, outcome: str, url: str, reason: str = "", *, fetched: bool = True) -> None:
        """Count one page's outcome; ``fetched=False`` for a page decided on without requesting it
        (known, out of the date window by its listing), so that every article request can be matched
        with exactly one fetched outcome."""
        self.crawler.stats.inc_value(STAT_PREFIX + outcome)
        if not fetched:
            self.crawler.stats.inc_value(UNFETCHED_STAT)
        if outcome in REJECTED_OUTCOMES:
            logger.info("Rejected %s: %s (%s)", url, outcome, reason)
            if self.rejects is not None:
                line = json.dumps({"url": url, "reason": reason, "outcome": outcome}, ensure_ascii=False)
                self.rejects.write(line + "\n")
                self.rejects.flush()

    def counts(self) -> dict[str, int]:
        stats = self.crawler.stats.get_stats()
        return {
            key[len(STAT_PREFIX) :]: value
            for key, value in sorted(stats.items())
            if key.startswith(STAT_PREFIX)
        }

    def unaccounted_requests(self) -> int:
        """Article requests minus the outcomes of fetched article pages: 0 when every requested page
        ended in exactly one outcome (``discovery_failed`` belongs to feed and listing pages)."""
        stats = self.crawler.stats
        fetched = sum(self.counts().values()) - self.counts().get("discovery_failed", 0)
        fetched -= stats.get_value(UNFETCHED_STAT, 0)
        return stats.get_value(ARTICLE_REQUESTS_STAT, 0) - fetched

    def spider_closed(self, spider: Spider, reason: str) -> None:
        settle = getattr(spider, "settle_outcomes", None)
        if settle is not None:
            settle()
        counts = self.counts()
        items = sum(count for outcome, count in counts.items() if outcome in ITEM_OUTCOMES)
        unaccounted = self.unaccounted_requests()
        if unaccounted:
            logger.error("%d article requests ended without an outcome", unaccounted)
        summary = ", ".join(f"{outcome}={count}" for outcome, count in counts.items()) or "no pages"
        logger.info(
            "%s crawl %s: %d pages, %d items (%s)", spider.name, reason, sum(counts.values()), items, summary
        )
        if self.stats_path:
            Path(self.stats_path).parent.mkdir(parents=True, exist_ok=True)
            Path(self.stats_path).write_text(
                json.dumps(counts, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
        if self.rejects is not None:
            self.rejects.close()


class ExtractionErrorMiddleware:
    """A spider callback that raises (a date Python cannot represent, markup a parser chokes on) ends its
    page as ``extraction_error`` with the exception as reason, and the crawl goes on."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> list:
        logger.warning("Extraction failed on %s: %r", response.url, exception)
        outcomes: OutcomeRecorder | None = getattr(self.crawler.spider, "outcomes", None)
        if outcomes is not None:
            outcome = "extraction_error" if response.meta.get("article_page") else "discovery_failed"
            outcomes.record(outcome, response.url, f"{type(exception).__name__}: {exception}")
        return []
