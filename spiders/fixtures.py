"""The recorded fixture site (``tests/fixtures/sites/<host>/<path>``) and the expected records of its
article pages (``tests/fixtures/expected/<host>/<page>.json``), shared by the tests, the mirror, the
benchmark and ``scripts/regenerate_expected.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .extract.article import ArticleParser, Extraction
from .sources.baoquocte import BaoquocteParser

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SITES = FIXTURES / "sites"
EXPECTED = FIXTURES / "expected"
FIXED_CRAWLED_AT = datetime(2026, 11, 27, tzinfo=UTC)
PARSERS: dict[str, ArticleParser] = {"baoquocte.vn": BaoquocteParser(), "en.baoquocte.vn": BaoquocteParser()}


@dataclass(frozen=True, slots=True)
class FixturePage:
    host: str
    path: str

    @property
    def file(self) -> Path:
        return SITES / self.host / self.path

    @property
    def url(self) -> str:
        return f"https://{self.host}/{self.path}"

    @property
    def expected_file(self) -> Path:
        return EXPECTED / self.host / (self.path.removesuffix(".html") + ".json")

    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    def extract(self) -> Extraction:
        return PARSERS[self.host].extract(self.html(), self.url, FIXED_CRAWLED_AT, self.flags())

    def flags(self) -> tuple[str, ...]:
        return () if "</html>" in self.html()[-4096:] else ("truncated_html",)

    def expected(self) -> dict[str, Any] | None:
        if not self.expected_file.exists():
            return None
        return json.loads(self.expected_file.read_text(encoding="utf-8"))


def article_pages() -> list[FixturePage]:
    """Every fixture page whose URL has the article pattern (``-<id>.html``), items and rejects alike."""
    pages = []
    for host, parser in sorted(PARSERS.items()):
        for file in sorted((SITES / host).rglob("*.html")):
            page = FixturePage(host, file.relative_to(SITES / host).as_posix())
            if parser.article_url.search(page.url):
                pages.append(page)
    return pages
