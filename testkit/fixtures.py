"""The recorded fixture sites and the expected records of their article pages, for every registered
source, shared by the tests, the mirror, the benchmark and ``scripts/regenerate_expected.py``.

    tests/fixtures/sites/<host>/<path>              a page of the site as the mirror serves it
    tests/fixtures/expected/<host>/<page>.json      what extracting that page must give: the whole record
                                                    (crawled_at fixed at FIXED_CRAWLED_AT), or, for a page
                                                    that must be rejected, {"outcome": "<outcome>"}

Every file under an edition host whose URL matches the source's ``article_url`` is an article page
(``.html``, or a site's own extension such as VietnamPlus' ``.vnp``/``.amp``); each must have its expected
file ``<page>.json`` (``.html`` dropped, any other extension kept), or the fixture test fails."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spiders.extract.article import Extraction
from spiders.registry import all_sources, source_for_host
from spiders.source import Source
from warehouse.paths import PROJECT_ROOT
from warehouse.record import Article

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
SITES = FIXTURES / "sites"
EXPECTED = FIXTURES / "expected"
FIXED_CRAWLED_AT = datetime(2026, 11, 27, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FixturePage:
    host: str
    path: str

    @property
    def source(self) -> Source:
        source = source_for_host(self.host)
        if source is None:
            raise LookupError(f"no registered source serves {self.host}")
        return source

    @property
    def file(self) -> Path:
        return SITES / self.host / self.path

    @property
    def url(self) -> str:
        return f"https://{self.host}/{self.path}"

    @property
    def expected_file(self) -> Path:
        return EXPECTED / self.host / (self.path.removesuffix(".html") + ".json")

    @property
    def id(self) -> str:
        return f"{self.host}/{self.path}"

    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    def extract(self, html: str | None = None) -> Extraction:
        html = self.html() if html is None else html
        return self.source.instance.extract(html, self.url, FIXED_CRAWLED_AT, self.flags(html))

    def article(self, html: str | None = None) -> Article:
        """The article extracted from a page (or from ``html`` served at its URL) that must give one."""
        extraction = self.extract(html)
        if extraction.article is None:
            raise AssertionError(f"{self.id} gave no article: {extraction.outcome} ({extraction.reason})")
        return extraction.article

    @staticmethod
    def flags(html: str) -> tuple[str, ...]:
        return () if "</html>" in html[-4096:] else ("truncated_html",)

    def expected(self) -> dict[str, Any] | None:
        """The expected record, or ``{"outcome": ...}`` for a page that must be rejected; None when the
        expected file is missing."""
        if not self.expected_file.exists():
            return None
        return json.loads(self.expected_file.read_text(encoding="utf-8"))

    def expected_record(self) -> dict[str, Any] | None:
        expected = self.expected()
        return expected if expected is not None and "outcome" not in expected else None

    def record(self) -> dict[str, Any]:
        """The expected record of a page that must give one."""
        record = self.expected_record()
        if record is None:
            raise LookupError(
                f"{self.id} has no expected record: it is a page that must be rejected, or "
                f"{self.expected_file} is missing (scripts/regenerate_expected.py writes it)"
            )
        return record

    def expected_outcome(self) -> str:
        """The outcome of a page that must be rejected."""
        outcome = (self.expected() or {}).get("outcome")
        if outcome is None:
            raise LookupError(
                f"{self.id} is not a page that must be rejected: {self.expected_file} names no outcome"
            )
        return outcome


def source_pages(source: Source) -> list[FixturePage]:
    """The article pages (items and rejects alike) of one source's fixture sites."""
    pages = []
    for host in source.hosts:
        for file in sorted(file for file in (SITES / host).rglob("*") if file.is_file()):
            page = FixturePage(host, file.relative_to(SITES / host).as_posix())
            if source.article_url.search(page.url):
                pages.append(page)
    return pages


def article_pages() -> list[FixturePage]:
    """Every registered source's fixture article pages."""
    return [page for source in all_sources() for page in source_pages(source)]


def site_files(source: Source) -> list[Path]:
    """Every fixture file of one source (pages, feeds, sitemaps, listings, robots.txt)."""
    return sorted(file for host in source.hosts for file in (SITES / host).rglob("*") if file.is_file())
