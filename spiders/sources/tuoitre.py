"""Tuổi Trẻ (tuoitre.vn) and its English edition Tuổi Trẻ News (tuoitrenews.vn).

tuoitre.vn runs the VCCorp-built CMS it shares with Thanh Niên (``spiders.extract.vccms``). Layout
generations and page kinds read here:

- current ``detail-*`` layout (2023–2026): articles at ``/<slug>-<id>.htm``, ids ``100yyMMddHHmmss…``
  (17 digits ``yyyyMMddHHmmss…`` before 2026), plain, photo, video and live-sport pages;
- e-magazine/longform (``div.sp-detail-content``: no ``h1``, title and sapo inside the body, credits
  "Thực hiện: …" at its end);
- Tuổi Trẻ Sao previews (body cut before a ``data-atc="atc-nonstar"`` members-only notice): not stored;
- the AMP twin at ``/amp/<slug>-<id>.htm`` (canonicalised to the article);
- the pre-2023 layout (``h1.article-title``, ``h2.sapo``, ``#main-detail-body``, ``div.date-time``),
  which tuoitrenews.vn still uses, with URLs ``/news/<section>/<yyyyMMdd>/<slug>/<id>.html``.

Discovery: RSS ``/rss/<zone>.rss`` (``pubDate`` written as ``11/26/2026 8:30:00 AM``, site time), the
monthly ``/StaticSitemaps/sitemaps-<yyyy>-<m>.xml``, and zone listings ``/<zone>.htm`` whose further pages
come from ``/timeline/<zone id>/trang-<n>.htm`` (an empty answer ends the zone).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, ClassVar

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from warehouse.record import Block, ExtractionLayer

from ..base import NewsSpider, failed_request
from ..extract.article import Extraction, Page
from ..extract.fields import people, select, text_of
from ..extract.leaks import AGENCY_ALIASES, is_organisation_name, normalize_attribution
from ..extract.text import split_authors
from ..extract.vccms import (
    DetailLayoutParser,
    Rule,
    next_timeline_page,
    render_detail_article,
    render_zone_listing,
)
from ..source import Edition, Listing, Source

_CREDITS_AUTHOR = re.compile(r"^(?:thực hiện|bài|nội dung)\s*:\s*(?P<names>.+)$", re.I)
_CREDITS_LINE = re.compile(r"^(?:thực hiện|bài|nội dung|ảnh|đồ họa|video|thiết kế|trình bày)\s*:", re.I)
_FEED_TIME = re.compile(
    r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<meridiem>[AP]M)?$",
    re.I,
)
_MONTHLY_SITEMAP = re.compile(r"sitemaps-\d{4}-\d{1,2}\.xml$")
_ARTICLE_ID_TIME = re.compile(r"-(?:100(?P<short>\d{12})|(?P<long>20\d{12}))\d+\.htm")


class TuoitreParser(DetailLayoutParser):
    MARKUP: ClassVar[dict[str, tuple[Rule, ...]]] = {
        **DetailLayoutParser.MARKUP,
        "title": (
            *DetailLayoutParser.MARKUP["title"],
            ("h2", "class", "sp-title"),
            ("h1", "class", "article-title"),
        ),
        "lead": (*DetailLayoutParser.MARKUP["lead"], ("p", "class", "sp-sapo"), ("h2", "class", "sapo")),
        "content": (*DetailLayoutParser.MARKUP["content"], ("div", "id", "main-detail-body")),
        "date": (*DetailLayoutParser.MARKUP["date"], ("div", "class", "date-time")),
        "section": (
            *DetailLayoutParser.MARKUP["section"],
            ("div", "class", "bread-crumbs"),
            ("ul", "class", "breadcrumbs"),
        ),
        "tags": (
            ("div", "id", "tuoitre-tag-detail"),
            *DetailLayoutParser.MARKUP["tags"],
            ("ul", "class", "tags-wrapper"),
            ("div", "class", "tags"),
        ),
        "byline": (("div", "class", "author"),),
        "credits": (("div", "class", "sp-credit"),),
    }
    IMAGE_HOLDER_CLASSES = frozenset({"sp-cover"})
    NOISE_CLASSES = DetailLayoutParser.NOISE_CLASSES | {
        "sp-cover",
        "sp-credit",
        "box_tiso_all",
        "tuoitre-relatenews",
        "box-paystar",
        "follow-us",
    }
    NOISE_IDS: ClassVar[frozenset[str]] = frozenset({"pnlInfomationBeforeMatch", "tab-3"})
    own_name = "Tuổi Trẻ"

    def read_page(self, html: str, url: str) -> Page | Extraction:
        page = super().read_page(html, url)
        if isinstance(page, Page):
            content = self.content(page)
            if content is not None and any(
                element.get("data-atc") == "atc-nonstar" for element in content.iter("div")
            ):
                return Extraction("not_article", "Tuổi Trẻ Sao preview: the article is for members only")
        return page

    def prepare(self, content: etree._Element) -> None:
        """Live-sport timelines become a heading ("78' - Bàn thắng") followed by the event's own markup,
        which the block collector then reads like the rest of the body."""
        super().prepare(content)
        for live in [div for div in content.iter("div") if "live-zone" in (div.get("class") or "").split()]:
            events = etree.Element("div")
            for row in select(live, "div.timeline-row"):
                minute = " ".join(text_of(e) for e in select(row, "span.minute"))
                event = " ".join(text_of(e) for e in select(row, ".evt_match"))
                heading = etree.SubElement(events, "h3")
                heading.text = " - ".join(part for part in (minute, event) if part)
                for description in select(row, ".timeline-des"):
                    if description.text and description.text.strip():
                        etree.SubElement(events, "p").text = description.text
                    events.extend(list(description))
            events.tail = live.tail
            parent = live.getparent()
            if parent is not None:
                parent.replace(live, events)

    def is_noise(self, element: etree._Element) -> bool:
        return element.get("id") in self.NOISE_IDS or super().is_noise(element)

    def layered_body(self, page: Page) -> tuple[list[Block], ExtractionLayer]:
        """Every layer's body without the title and sapo repeated in it (e-magazines put both inside
        the body; the generic layer reads them from an unknown template's cover)."""
        body, layer = super().layered_body(page)
        repeated = {self.title(page), self.lead(page)}
        return [block for block in body if block.text not in repeated], layer

    def shown_authors(self, page: Page) -> list[str]:
        return super().shown_authors(page) or self._credited_authors(page) or self._legacy_byline(page)

    def _credited_authors(self, page: Page) -> list[str]:
        """E-magazine credits at the end of the body: "Thực hiện: CHÍ QUỐC"."""
        credits = self.first(page, "credits")
        for line in select(credits, "p") if credits is not None else ():
            match = _CREDITS_AUTHOR.match(text_of(line))
            if match:
                return self.people_in(split_authors(match.group("names")))
        return []

    def _legacy_byline(self, page: Page) -> list[str]:
        return self.people_in(self._legacy_byline_names(page))

    def _legacy_byline_names(self, page: Page) -> list[str]:
        byline = self.first(page, "byline")
        if byline is None:
            return []
        return [name for name in split_authors(text_of(byline)) if not _CREDITS_LINE.match(name)]

    def attributions(self, page: Page) -> list[str]:
        """A tuoitrenews.vn byline that names a wire agency ("Reuters") credits it, not a person."""
        credited = []
        for name in self._legacy_byline_names(page):
            if name.casefold() in AGENCY_ALIASES and normalize_attribution(name) != self.own_name:
                credited.append(normalize_attribution(name))
        return credited

    def people_in(self, names: list[str]) -> list[str]:
        return [name for name in people(names, self.organisations) if not is_organisation_name(name)]


def feed_time_us(text: str, site_timezone: Any) -> datetime | None:
    """Tuổi Trẻ's feed ``pubDate``: ``11/26/2026 8:30:00 AM`` (month first, 12-hour clock, site time)."""
    match = _FEED_TIME.match(text.strip())
    if match is None:
        return None
    hour = int(match["hour"])
    if match["meridiem"]:
        hour = hour % 12 + (12 if match["meridiem"].upper() == "PM" else 0)
    try:
        local = datetime(
            int(match["year"]), int(match["month"]), int(match["day"]), hour, int(match["minute"]),
            int(match["second"] or 0), tzinfo=site_timezone,
        )  # fmt: skip
    except ValueError:
        return None
    return local.astimezone(UTC)


# Zone ids of the AJAX timeline that pages a zone listing (verified 2026 for these zones).
TIMELINE_ZONES: dict[str, int] = {
    "phap-luat": 6,
    "kinh-doanh": 11,
    "suc-khoe": 12,
    "giao-duc": 13,
    "giai-tri": 10,
    "the-thao": 1209,
    "cong-nghe": 200029,
}


class TuoitreSpider(NewsSpider):
    """Tuổi Trẻ's discovery: US-style feed dates, zone listings paged through the AJAX timeline, and
    the English edition's ``/news/<section>`` listings (no category feeds)."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            if _MONTHLY_SITEMAP.search(request.url):
                for month in self._sitemap_months():
                    yield request.replace(
                        url=_MONTHLY_SITEMAP.sub(f"sitemaps-{month.year}-{month.month}.xml", request.url),
                        errback=self.monthly_sitemap_failed,
                    )
            else:
                yield request

    def monthly_sitemap_failed(self, failure: Failure) -> None:
        """A month's sitemap the site has not published (yet, on the first days of a month) is no
        discovery failure: feeds and listings carry the newest articles."""
        if failure.check(HttpError) and failure.value.response.status == 404:
            self.crawler.stats.inc_value("news/discovery/sitemap_missing")
            self.logger.info("No monthly sitemap at %s", failed_request(failure).url)
            return
        self.discovery_failed(failure)

    def _sitemap_months(self) -> list[date]:
        """The monthly sitemaps covering ``since``..``until``; without a window, the last three days'."""
        today = datetime.now(self.parser.site_timezone).date()
        first = (self.since or self.until or today - timedelta(days=3)).replace(day=1)
        last = (self.until or today).replace(day=1)
        months = []
        while first <= last:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months or [last]

    def feed_time(self, published: str) -> datetime | None:
        return super().feed_time(published) or feed_time_us(published, self.parser.site_timezone)

    def category_requests(self, edition: Edition, category: str) -> list[scrapy.Request]:
        if edition.key != "en":
            return super().category_requests(edition, category)
        return [
            scrapy.Request(
                f"{edition.base_url}/news/{category}",
                self.parse_listing,
                errback=self.discovery_failed,
                cb_kwargs={"page": 1, "category": category},
            )
        ]

    def parse_listing(self, response: Response, page: int, category: str = "") -> Iterator[scrapy.Request]:
        if not response.text.strip():
            self.crawler.stats.inc_value("news/discovery/listing_end")
            return
        timeline_headers = {"X-Requested-With": "XMLHttpRequest", "Referer": response.url}
        for request in super().parse_listing(response, page, category):
            is_timeline = request.callback == self.parse_listing and "/timeline/" in request.url
            yield request.replace(headers=timeline_headers) if is_timeline else request

    def next_page_links(self, tree: Any, page: int, category: str) -> list[str]:
        zone = TIMELINE_ZONES.get(category)
        if zone is None:
            return super().next_page_links(tree, page, category)
        path = f"/timeline/{zone}/trang-{page + 1}.htm"
        return next_timeline_page(path, tree, self.listing.link, self.since, article_created)


def article_created(href: str) -> datetime | None:
    """Site time an article was created, from its id (``100`` + ``yyMMddHHmmss``, or ``yyyyMMddHHmmss``
    before 2026)."""
    match = _ARTICLE_ID_TIME.search(href)
    if match is None:
        return None
    return datetime.strptime((match["short"] and "20" + match["short"]) or match["long"], "%Y%m%d%H%M%S")


SOURCE = Source(
    name="tuoitre",
    display_name="Tuổi Trẻ",
    description="Tuổi Trẻ, the Ho Chi Minh City daily, and its English edition Tuổi Trẻ News",
    editions=(
        Edition(
            "vi",
            "tuoitre.vn",
            "vi",
            feeds=("/rss/tin-moi-nhat.rss",),
            news_sitemaps=("/StaticSitemaps/sitemaps-2026-11.xml",),
            categories=("phap-luat", "kinh-doanh"),
        ),
        Edition("en", "tuoitrenews.vn", "en", feeds=("/rss/home.rss",), categories=("society",)),
    ),
    article_url=re.compile(
        r"^https?://(?:(?:www|m|amp)\.)?"
        r"(?:tuoitre\.vn/(?!(?:video|podcast|media|tac-gia|timeline|su-kien)/)(?:[^?#]*/)?[a-z0-9-]+-(?=\d{6,}\.htm)|tuoitrenews\.vn/news/[a-z0-9-]+/\d{8}/[a-z0-9-]+/)"
        r"(?P<id>\d+)\.html?(?:[?#]|$)"
    ),
    parser=TuoitreParser,
    listing=Listing(
        path="/{category}.htm",
        feed_path="/rss/{category}.rss",
        entry="div.box-category-item, li.news-item",
        link="a.box-category-link-title, a.title",
        time="span.time",
        paging=".pagination a",
    ),
    boilerplate=(
        r"^thực hiện\s*:.{0,80}\s[-–]\s(ảnh|đồ họa|video|thiết kế)\s*:",
        r"^like us on facebook\b.{0,40}\bfollow us\b",
        r"^(bài viết|nội dung) dành cho thành viên tuổi trẻ sao\b",
    ),
    nicknames=("TTO", "Tuổi Trẻ Online", "Tuổi Trẻ", "Tuoi Tre Online", "TUOI TRE ONLINE", "Tuoi Tre News"),
    spider_base=TuoitreSpider,
    render_article=partial(render_detail_article, site_title="Tuổi Trẻ Online", dateline="TTO - "),
    render_listing=partial(render_zone_listing, site_title="Tuổi Trẻ Online"),
    synthetic_path="{slug}-{id}.htm",
)
