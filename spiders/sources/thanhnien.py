"""Thanh Niên (thanhnien.vn), the Vietnam Youth Federation's daily.

thanhnien.vn runs the VCCorp-built CMS it shares with Tuổi Trẻ (``spiders.extract.vccms``). Layout
generations and page kinds read here:

- current ``detail-*`` layout (2022 redesign–2026): articles at ``/<slug>-<id>.htm``, ids
  ``185yyMMddHHmmss…`` (18 digits), the title inside ``h1.detail-title > span[data-role=title]``, the
  writer also in ``article:author``, tags in ``div.detail-tags`` (on some pages filled by a script, then
  the keywords meta serves), related boxes ``div.box-relate`` and ad widgets ``[data-type=_mgwidget]``
  inside the body; plain, photo (``LayoutAlbum``) and video pages (a video-only page has no body: not
  stored);
- the pre-2022 layout (``h1.details__headline``, ``div.sapo``, ``div#abody.details__content``,
  ``time.meta__time`` "08:15 - 15/11/2021", ``div.breadcrumbs``, photos in ``table.imagefull``), URLs
  ``/<section>/<slug>-<7-digit id>.html``.

Discovery: RSS ``/rss/home.rss`` and ``/rss/<zone>.rss``; zone listings ``/<zone>.htm`` whose further
pages come from ``/timelinelist/<zone id>/<n>.htm`` (an empty answer ends the zone). No news sitemap is
known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from lxml import etree
from scrapy.http import Response

from warehouse.record import Image

from ..base import NewsSpider
from ..extract.article import Page
from ..extract.fields import add_images, has_class, select, text_of
from ..extract.vccms import (
    DetailLayoutParser,
    Rule,
    next_timeline_page,
    render_detail_article,
    render_zone_listing,
)
from ..source import Edition, Listing, Source


class ThanhnienParser(DetailLayoutParser):
    MARKUP: ClassVar[dict[str, tuple[Rule, ...]]] = {
        **DetailLayoutParser.MARKUP,
        "title": (*DetailLayoutParser.MARKUP["title"], ("h1", "class", "details__headline")),
        "lead": (*DetailLayoutParser.MARKUP["lead"], ("div", "class", "sapo")),
        "content": (*DetailLayoutParser.MARKUP["content"], ("div", "id", "abody")),
        "date": (*DetailLayoutParser.MARKUP["date"], ("time", "class", "meta__time")),
        "authors": (*DetailLayoutParser.MARKUP["authors"], ("span", "class", "meta__author")),
        "section": (*DetailLayoutParser.MARKUP["section"], ("div", "class", "breadcrumbs")),
        "tags": (("div", "class", "detail-tags"), ("div", "class", "details__tags")),
    }
    AUTHOR_LINKS = (*DetailLayoutParser.AUTHOR_LINKS, "a.cms-author")
    IMAGE_HOLDER_CLASSES = frozenset({"imagefull"})
    NOISE_CLASSES = DetailLayoutParser.NOISE_CLASSES | {"box-relate", "details__morenews", "imagefull"}
    own_name = "Thanh Niên"

    def is_noise(self, element: etree._Element) -> bool:
        return element.get("data-type") == "_mgwidget" or super().is_noise(element)

    def images(self, page: Page) -> list[Image]:
        """The pre-2022 layout's photo tables: the caption cell holds the caption and a ``p.source``
        credit."""
        images, content = super().images(page), self.content(page)
        if images or content is None:
            return images
        found: list[Image] = []
        for table in (t for t in content.iter("table") if has_class(t, "imagefull")):
            caption = " ".join(text_of(p) for p in select(table, "td.caption p:not(.source)"))
            credit = " ".join(text_of(p) for p in select(table, "td.caption p.source"))
            add_images(found, table, page.url, [f"{caption} - Ảnh: {credit}" if credit else caption])
        return found


class ThanhnienSpider(NewsSpider):
    """Zone listings paged through the AJAX timeline list."""

    def parse_listing(self, response: Response, page: int, category: str = "") -> Iterator[Any]:
        if not response.text.strip():
            self.crawler.stats.inc_value("news/discovery/listing_end")
            return
        yield from super().parse_listing(response, page, category)

    def next_page_links(self, tree: Any, page: int, category: str) -> list[str]:
        zone = TIMELINE_ZONES.get(category)
        if zone is None:
            return super().next_page_links(tree, page, category)
        path = f"/timelinelist/{zone}/{page + 1}.htm"
        return next_timeline_page(path, tree, self.listing.link, self.since, article_created)


def article_created(href: str) -> datetime | None:
    """Site time a current article was created, from its id (``185`` + ``yyMMddHHmmss``)."""
    match = _CREATED.search(href)
    return datetime.strptime(match["stamp"], "%y%m%d%H%M%S") if match else None


# Zone ids of the timeline list that pages a zone listing (public crawlers' URLs, 2024–2026).
TIMELINE_ZONES: dict[str, int] = {"thoi-su": 1854, "kinh-te": 18549, "chinh-tri": 185227, "cong-nghe": 185315}
_CREATED = re.compile(r"-185(?P<stamp>\d{12})\d*\.htm")


SOURCE = Source(
    name="thanhnien",
    display_name="Thanh Niên",
    description="Thanh Niên, the national daily of the Vietnam Youth Federation",
    editions=(Edition("vi", "thanhnien.vn", "vi", feeds=("/rss/home.rss",), categories=("chinh-tri",)),),
    article_url=re.compile(
        r"^https?://(?:(?:www|m)\.)?thanhnien\.vn/"
        r"(?!(?:video|podcast|tac-gia|timelinelist|su-kien)/)(?:[^?#]*/)?[a-z0-9-]+-(?P<id>\d{6,})\.html?(?:[?#]|$)"
    ),
    parser=ThanhnienParser,
    listing=Listing(
        path="/{category}.htm",
        feed_path="/rss/{category}.rss",
        entry="div.box-category-item",
        link="a.box-category-link-title",
        paging=".pagination a",
    ),
    boilerplate=(r"^theo dõi báo thanh niên trên google news$",),
    nicknames=("TNO", "Thanh Niên", "Báo Thanh Niên"),
    spider_base=ThanhnienSpider,
    render_article=partial(render_detail_article, site_title="Báo Thanh Niên"),
    render_listing=partial(render_zone_listing, site_title="Báo Thanh Niên"),
)
