"""Nhân Dân (nhandan.vn, the Communist Party of Vietnam's daily) and its English edition en.nhandan.vn, on
the mcms.one CMS it shares with VietnamPlus (``spiders/extract/mcms.py``).

Articles live at ``https://nhandan.vn/<slug>-post<id>.html`` (id 976641 in July 2026) on both hosts; tags at
``/tu-khoa/<Tag>-tag<id>.html``, sections at ``/<section>/`` paging through ``div.pagination`` links
(``/<section>/trang<n>.html``), the print view at ``/print.html?id=<id>``. Feeds: ``/rss/home.rss`` on both
hosts; a Vietnamese section's feed carries its zone id (``/rss/kinhte-1185.rss``,
``/rss/chungkhoan-1191.rss``, public feed lists of 2025-2026), so only the sections in ``SECTION_FEEDS`` get
one; English sections are ``/rss/<section>.rss`` (``/rss/politics.rss``). No news sitemap could be
verified, so none is declared.

Layout generations tried in order: the current article template (``zce-article``, seen July 2026: the
``article__*``/``cms-*`` classes, a ``div.notebox.cms-note`` that may open the body, ad slots
``div.sda_middle``, an ``iframe`` embed, the byline ``div.article__author > p.name`` at the end of the body,
the breadcrumb as one ``h2.main`` per level), the older ``detail-content-body``/``detail__body`` bodies a
2026 public parser still tries, and the family's ``cms-*`` hooks; then JSON-LD/OpenGraph, then generic.
Leads open with the "NDO -" dateline. Video pages whose body holds no text are not stored.
"""

from __future__ import annotations

import html
import re
from typing import ClassVar

import scrapy

from ..base import NewsSpider
from ..extract.article import Extraction, Page
from ..extract.fields import has_class, text_of
from ..extract.leaks import is_organisation_name
from ..extract.mcms import CMS_HOOKS, ZCE_ARTICLE, Layout, McmsParser
from ..source import ArticleContent, Edition, Listing, Source

SECTION_FEEDS = {
    "kinhte": "kinhte-1185",
    "chungkhoan": "chungkhoan-1191",
    "xay-dung-dang": "xay-dung-dang-553",
    "khoahoc-congnghe": "khoahoc-congnghe-1292",
}
"""Vietnamese sections whose feed name (with its zone id) is known; other sections are crawled through
their listing only, never through a guessed feed URL."""

OLDER_DETAIL = Layout(
    name="detail-body",
    body=(("div", "detail-content-body"), ("div", "detail__body")),
    title=(("h1", "detail-title"), ("h1", "detail__title"), ("h1", "cms-title")),
    lead=(("div", "detail-sapo"), ("div", "detail__sapo"), ("div", "cms-desc")),
    time=(("meta", "cms-date"),),
    byline=(("div", "box-author"), ("div", "detail__author")),
    tags=(("div", "detail-tag"), ("div", "article__tag")),
    breadcrumb=(("div", "breadcrumb"),),
)


_SOURCE_LINE = re.compile(
    r"^\(?\s*(?:nguồn|source|theo)\s*:?\s+(?P<credit>[^()]{2,60}?)\s*\)?\.?$", re.IGNORECASE
)
"""A trailing "(Source: VNA)" / "(Nguồn: TTXVN)" line: the English edition's way of crediting wire copy."""


class NhandanParser(McmsParser):
    LAYOUTS: ClassVar[tuple[Layout, ...]] = (ZCE_ARTICLE, OLDER_DETAIL, CMS_HOOKS)
    OWN_NAMES = frozenset({"nhân dân", "báo nhân dân", "nhan dan", "ndo", "nhandan.vn"})

    def read_page(self, html: str, url: str) -> Page | Extraction:
        page = super().read_page(html, url)
        if isinstance(page, Page) and self.is_video_only(page):
            return Extraction("not_article", "video-only page: a player and a title, no article text")
        return page

    def is_video_only(self, page: Page) -> bool:
        """A video page (``body.detail-video``) whose body holds no text."""
        found = self.layout(page)
        body = page.tree.find("body")
        if found is None or body is None or not has_class(body, "detail-video"):
            return False
        return not text_of(found[1])

    def parse_signature(self, text: str, set_apart: bool) -> tuple[list[str], list[str]] | None:
        """The family's set-apart "Name (TTXVN)" byline, or a "(Source: VNA)" line crediting an agency."""
        credited = _SOURCE_LINE.match(text)
        if credited is not None and is_organisation_name(credited.group("credit")):
            return [], self.attribution_names(credited.group("credit"))
        return super().parse_signature(text, set_apart)

    def section(self, page: Page) -> str | None:
        """JSON-LD ``BreadcrumbList``, else the breadcrumb's deepest level (one ``h2.main`` per level,
        the current one ``.active``), else the family's reading."""
        breadcrumb = self.element(page, "breadcrumb")
        if breadcrumb is not None and not page.metadata.breadcrumbs:
            levels = [
                text_of(link)
                for level in breadcrumb.iter("h2")
                if has_class(level, "main")
                for link in level.iter("a")
            ]
            levels = [level for level in levels if level and level not in ("Trang chủ", "Home")]
            if levels:
                return levels[-1]
        return super().section(page)


class NhandanSpider(NewsSpider):
    """A Vietnamese section's feed is named with its zone id (``SECTION_FEEDS``); without a known one the
    section is read from its listing alone."""

    def category_requests(self, edition: Edition, category: str) -> list[scrapy.Request]:
        requests = super().category_requests(edition, category)
        if edition.language != "vi":
            return requests
        guessed = edition.base_url + self.listing.feed_path.format(category=category)
        known = SECTION_FEEDS.get(category)
        return [
            request.replace(url=edition.base_url + self.listing.feed_path.format(category=known))
            if request.url == guessed and known
            else request
            for request in requests
            if request.url != guessed or known
        ]


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def render_article(article: ArticleContent) -> str:
    """A generated article in the current template (the mirror's ``--synthetic`` articles)."""
    e = html.escape
    stamp = article.published_at.isoformat()
    local = article.published_at
    shown = f"{_WEEKDAYS[local.weekday()]}, ngày {local:%d/%m/%Y - %H:%M}"
    figure = (
        f'<figure class="article__avatar"><img class="cms-photo" src="{e(article.image_src)}" alt="">'
        f"<figcaption>{e(article.image_caption)} (Ảnh: {e(article.image_credit)})</figcaption></figure>"
    )
    paragraphs = [f"<p>{e(text)}</p>" for text in article.paragraphs]
    paragraphs.insert(1, '<div class="sda_middle"><div class="rennab fyi"></div></div>')
    authors = e(", ".join(article.authors))
    return f"""<!DOCTYPE html>
<html lang="{article.language}"><head><title>{e(article.title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta property="og:type" content="article"/><meta property="og:title" content="{e(article.title)}"/>
<meta property="article:published_time" content="{stamp}"/>
<link rel="canonical" href="{article.url}" />
<script>var cmsConfig = {{ objectId: {article.article_id}, pageType: 1 }};</script></head>
<body class="detail-normal"><header class="site-header">
<ul class="menu"><li><a href="/">Trang chủ</a></li></ul></header>
<div class="container"><div class="breadcrumb breadcrumb-detail">
<h2 class="main"><a class="active" href="/{article.section_slug}/">{e(article.section)}</a></h2></div>
<div class="article"><div class="article__header">
<h1 class="article__title cms-title">{e(article.title)}</h1>
<div class="article__sapo cms-desc"><p>NDO - {e(article.lead)}</p></div></div>
<div class="article__meta"><time class="time" datetime="{stamp}" data-format="full">{shown}</time></div>
{figure}
<div class="article__body zce-content-body cms-body" itemprop="articleBody">
{chr(10).join(paragraphs)}
<div class="article__author"><p class="name">{authors}</p></div>
</div>
<div class="article__tag"><a class="link" href="/tu-khoa/{article.section_slug}-tag1.html">
{e(article.section)}</a></div>
<div class="wrap-comment" id="comment{article.article_id}"></div>
</div></div></body></html>
"""


def render_listing(articles: list[ArticleContent], page: int, pages: int, category: str) -> str:
    """Page ``page`` of ``pages`` of a generated category listing in the current template."""
    stories = "\n".join(
        f'<article class="story"><h3 class="story__heading"><a class="cms-link" href="{a.url}">'
        f'{html.escape(a.title)}</a></h3><time class="time">{a.published_at:%d/%m/%Y %H:%M}</time></article>'
        for a in articles
    )
    links = " ".join(
        f'<a class="page-item" href="/{category}/{"" if n == 1 else f"trang{n}.html"}">{n}</a>'
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{category} | Báo Nhân Dân điện tử</title></head>
<body><div class="box-content content-list" data-source="zone">
{stories}
</div>
<div class="pagination">{links}</div>
</body></html>
"""


SOURCE = Source(
    name="nhandan",
    display_name="Nhân Dân (Nhan Dan)",
    description="Nhân Dân, the Communist Party of Vietnam's daily, and its English edition",
    editions=(
        Edition("vi", "nhandan.vn", "vi", feeds=("/rss/home.rss",), categories=("chinhtri", "kinhte")),
        Edition("en", "en.nhandan.vn", "en", feeds=("/rss/home.rss",), categories=("politics",)),
    ),
    article_url=re.compile(
        r"^https?://(?:(?:www|en|m|amp)\.)?nhandan\.vn/(?!tu-khoa/|print)(?:[^?#]*/)?"
        r"[^/?#]+-post(?P<id>\d+)\.html(?=$|[?#])"
    ),
    parser=NhandanParser,
    listing=Listing(
        path="/{category}/",
        feed_path="/rss/{category}.rss",
        entry="div.box-content[data-source=zone] article.story, div.content-list article.story",
        link="h3.story__heading a, h2.story__heading a",
        time="time.time",
        paging="div.pagination a",
    ),
    boilerplate=(r"^(mời bạn đọc )?xem thêm( video)?[:.]?$",),
    nicknames=("Nhân Dân", "Báo Nhân Dân", "Nhân Dân điện tử", "Nhan Dan", "NDO", "NDĐT"),
    render_article=render_article,
    render_listing=render_listing,
    synthetic_path="{slug}-post{id}.html",
    spider_base=NhandanSpider,
)
