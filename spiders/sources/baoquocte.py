"""baoquocte.vn (Báo Thế giới & Việt Nam), Vietnamese and English editions, on the MasterCMS platform.

Article URLs end in ``-<numeric id>.html``; RSS lives at ``/rss_feed/`` and ``/rss_feed/<category>``;
category listings (``/<category>``) page through ``div.__MB_ARTICLE_PAGING``. Older articles use the
previous layout (``#__MB_MASTERCMS_EL_3`` body, ``span.format_time`` date, byline in ``span.cms-author``).
"""

from __future__ import annotations

import html
import re
from typing import ClassVar

from lxml import etree

from warehouse.record import Block, Image

from ..extract.article import EMBEDS, ArticleParser, Page, PublishedDate, per_page
from ..extract.dates import parse_site_datetime
from ..extract.fields import BlockCollector, add_images, tag_list, text_of
from ..extract.leaks import is_related_box
from ..extract.text import split_authors, split_caption_credit
from ..source import ArticleContent, Edition, Listing, Source

_text = text_of
_MENU_ALIAS = etree.XPath(
    ".//li[contains(concat(' ', normalize-space(@class), ' '), ' menu-alias ')]"
    " | .//a[contains(concat(' ', normalize-space(@class), ' '), ' menu-alias ')]"
)


class BaoquocteParser(ArticleParser):
    MARKUP: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("title", "h1", "article-detail-title"),
        ("lead", "div", "article-detail-desc"),
        ("content", "div", "__MASTERCMS_CONTENT"),
        ("date", "div", "article-date"),
        ("date", "span", "article-date"),
        ("date", "span", "format_time"),
        ("byline", "div", "article-member"),
        ("byline", "span", "cms-author"),
        ("breadcrumb", "div", "breadcrumb"),
        ("tags", "div", "article-tags"),
    )
    OLD_LAYOUT_CONTENT_ID = "__MB_MASTERCMS_EL_3"
    MARKED_TAGS: ClassVar[tuple[str, ...]] = tuple(dict.fromkeys(tag for _, tag, _ in MARKUP))
    MARKED_CLASSES: ClassVar[frozenset[str]] = frozenset(token for _, _, token in MARKUP)
    _MARKED_CLASS: ClassVar[re.Pattern[str]] = re.compile(
        r"(?:^|\s)(?:" + "|".join(re.escape(token) for token in sorted(MARKED_CLASSES)) + r")(?:\s|$)"
    )
    """A class attribute naming one of the tokens: one C-level test per element before splitting."""
    NOISE_CLASSES = frozenset(
        {
            "ads",
            "adsbygoogle",
            "box-related",
            "article-relate",
            "related-news",
            "social-share",
            "article-tools",
            "follow-google",
            "cms-author",
            "MASTERCMS_TPL_TABLE",
        }
    )
    STRIPPED_TAGS = EMBEDS

    def marked(self, page: Page) -> dict[str, list[etree._Element]]:
        """Every element the site's markup names, by role, in document order: one pass over the page
        (lxml's tag-filtered ``iter`` runs in C; an XPath with class tests is ten times slower here)."""
        if "marked" not in page.cache:
            marked: dict[str, list[etree._Element]] = {}
            wanted = self._MARKED_CLASS.search
            for element in page.tree.iter(*self.MARKED_TAGS):
                if element.get("id") == self.OLD_LAYOUT_CONTENT_ID:
                    marked.setdefault("content", []).append(element)
                    continue
                found = element.get("class")
                if not found or not wanted(found):
                    continue
                classes = found.split()
                for role, tag, token in self.MARKUP:
                    if element.tag == tag and token in classes:
                        marked.setdefault(role, []).append(element)
            page.cache["marked"] = marked
        return page.cache["marked"]

    def _first(self, page: Page, role: str) -> etree._Element | None:
        found = self.marked(page).get(role)
        return found[0] if found else None

    def is_article(self, page: Page) -> bool:
        marked = self.marked(page)
        return "content" in marked or "title" in marked or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return "content" in self.marked(page)

    def title(self, page: Page) -> str | None:
        found = self._first(page, "title")
        return _text(found) or None if found is not None else None

    def lead(self, page: Page) -> str | None:
        found = self._first(page, "lead")
        return _text(found) or None if found is not None else None

    def body(self, page: Page) -> list[Block]:
        content = self._first(page, "content")
        if content is None:
            return []
        blocks = BlockCollector(self._is_noise).collect(content)
        images = self.images(page)
        captions = {(image.caption, image.credit) for image in images}
        signatures = set(self.authors(page))
        return [
            block
            for block in blocks
            if block.text not in signatures and not self._is_caption(block.text, captions)
        ]

    @staticmethod
    def _is_caption(text: str, captions: set[tuple[str | None, str | None]]) -> bool:
        """A caption repeated as body text, or a bare photo credit line."""
        if ":" not in text:
            return (text, None) in captions
        caption, credit = split_caption_credit(text)
        return (
            (caption, credit) in captions
            or (caption, None) in captions
            or (credit is not None and not caption)
        )

    def _is_noise(self, element: etree._Element) -> bool:
        """Ads, share bars, related boxes, bylines and image tables (read separately as images)."""
        if element.tag == "figure" or self._is_image_table(element):
            return True
        classes = element.get("class") or ""
        return not self.NOISE_CLASSES.isdisjoint(classes.split())

    @staticmethod
    def _is_image_table(element: etree._Element) -> bool:
        """A MasterCMS photo table, or any table that is a picture and its caption: the first body table
        repeats the lead photo whatever its class, and must not become a table block."""
        if element.tag != "table":
            return False
        if "MASTERCMS_TPL_TABLE" in (element.get("class") or "").split():
            return True
        return element.find(".//img") is not None and len(element.findall(".//tr")) <= 3

    def published_at(self, page: Page) -> PublishedDate:
        """The date line: one "dd/mm/yyyy HH:MM" (``div.article-date`` or ``span.format_time``), or
        ``span.format_time`` "HH:MM" beside ``span.format_date`` "dd/mm/yyyy" in a span or div wrapper."""
        found = self.marked(page).get("date", [])
        if not found:
            return super().published_at(page)
        shown = ""
        for element in found:
            parent = element.getparent()
            for text in (_text(element), _text(parent) if parent is not None else ""):
                parsed = parse_site_datetime(text, self.site_timezone)
                if parsed is not None:
                    return PublishedDate(parsed)
                shown = shown or text
        from_metadata = super().published_at(page)
        return from_metadata if from_metadata.value else PublishedDate(None, unparsable=bool(shown))

    @per_page
    def authors(self, page: Page) -> list[str]:
        names: list[str] = []
        for byline in self.marked(page).get("byline", ()):
            names.extend(name for name in split_authors(_text(byline)) if name not in names)
        return names or super().authors(page)

    def section(self, page: Page) -> str | None:
        """The breadcrumb's category: ``menu-alias`` sits on the ``<li>`` (older pages: on the link),
        looked for in the breadcrumb, else anywhere (a scan of every ``<li>`` only on such pages)."""
        holders = self.marked(page).get("breadcrumb") or [page.tree]
        crumbs = [_text(element) for holder in holders for element in _MENU_ALIAS(holder)]
        crumbs = [crumb for crumb in crumbs if crumb]
        return crumbs[-1] if crumbs else None

    def tags(self, page: Page) -> list[str]:
        container = self._first(page, "tags")
        return tag_list(container.iter("a")) if container is not None else []

    @per_page
    def images(self, page: Page) -> list[Image]:
        content = self._first(page, "content")
        if content is None:
            return []
        images: list[Image] = []
        for holder in content.iter("table", "figure"):
            if holder.tag == "table" and not self._is_image_table(holder):
                continue
            if is_related_box(holder):
                continue
            add_images(images, holder, page.url, [_text(cell) for cell in self._caption_cells(holder)])
        return images

    @staticmethod
    def _caption_cells(holder: etree._Element) -> list[etree._Element]:
        if holder.tag == "figure":
            return list(holder.iter("figcaption"))
        return [cell for cell in holder.iter("td") if next(cell.iter("img"), None) is None]


def render_article(article: ArticleContent) -> str:
    """A generated article in this site's markup (the mirror's ``--synthetic`` articles)."""
    e = html.escape
    shown = article.published_at.strftime("%d/%m/%Y %H:%M")
    image = (
        '<table class="MASTERCMS_TPL_TABLE"><tbody><tr><td>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        f'data-src="{e(article.image_src)}" alt=""></td></tr>'
        f"<tr><td><em>{e(article.image_caption)} (Ảnh: {e(article.image_credit)})</em></td></tr>"
        "</tbody></table>"
    )
    paragraphs = [f"<p>{e(text)}</p>" for text in article.paragraphs]
    middle = len(paragraphs) // 2
    content = "\n".join([*paragraphs[:middle], image, *paragraphs[middle:]])
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
<meta charset="utf-8">
<title>{e(article.title)} | Báo Thế giới và Việt Nam</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:description" content="{e(article.lead)}">
<meta property="article:published_time" content="{article.published_at.isoformat()}">
<link rel="canonical" href="{article.url}">
<script>var __MB_ARTICLE_ID={article.article_id};</script>
</head>
<body class="detail-page">
<header class="site-header"><nav class="menu-main"><ul><li><a href="/">Trang chủ</a></li>
<li><a href="/thoi-su">Thời sự</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></nav></header>
<main class="site-main"><div class="container">
<div class="breadcrumb"><a class="home" href="/">Trang chủ</a>
<a class="menu-alias" href="/{article.section_slug}">{e(article.section)}</a></div>
<div class="article-detail">
<h1 class="article-detail-title">{e(article.title)}</h1>
<div class="article-detail-info"><div class="article-date">{shown}</div>
<div class="article-member">{e(" - ".join(article.authors))}</div></div>
<div class="social-share"><a class="btn-share fb" href="#">Chia sẻ</a>
<a href="#comments">Bình luận (0)</a></div>
<div class="article-detail-desc">TGVN. {e(article.lead)}</div>
<div class="__MASTERCMS_CONTENT">
{content}
<p>Theo dõi Baoquocte.vn trên Google News</p>
</div>
<div class="article-tags"><a href="/tag/{article.section_slug}">{e(article.section)}</a></div>
</div>
</div></main>
<footer class="site-footer"><p>© Báo Thế giới &amp; Việt Nam</p></footer>
</body>
</html>
"""


def render_listing(articles: list[ArticleContent], page: int, pages: int, category: str) -> str:
    """Page ``page`` of ``pages`` of a generated category listing in this site's markup."""
    entries = "\n".join(
        f'<div class="article"><h3 class="article-title"><a href="{a.url}">{html.escape(a.title)}</a></h3>'
        f'<span class="time">{a.published_at.strftime("%d/%m/%Y %H:%M")}</span></div>'
        for a in articles
    )
    links = " ".join(
        f'<a href="/{category}{"" if n == 1 else f"/p{n}"}">{n}</a>' if n != page else f"<span>{n}</span>"
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{category} | Báo Thế giới và Việt Nam</title></head>
<body><div class="breadcrumb"><a class="menu-alias" href="/{category}">{category}</a></div>
<div class="bx-listing">
{entries}
</div>
<div class="__MB_ARTICLE_PAGING">{links}</div>
</body></html>
"""


SOURCE = Source(
    name="baoquocte",
    display_name="Báo Quốc tế (The World & Vietnam Report)",
    description="Báo Thế giới & Việt Nam, the Foreign Ministry's paper: diplomacy and world news",
    editions=(
        Edition("vi", "baoquocte.vn", "vi", feeds=("/rss_feed/",), categories=("thoi-su", "the-gioi")),
        Edition("en", "en.baoquocte.vn", "en", feeds=("/rss_feed/",), categories=("politics-diplomacy",)),
    ),
    article_url=re.compile(r"^https?://(?:[a-z]+\.)*baoquocte\.vn/(?:[^?#]*/)?[^/?#]+-(?P<id>\d+)\.html"),
    parser=BaoquocteParser,
    listing=Listing(
        path="/{category}",
        feed_path="/rss_feed/{category}",
        entry="div.bx-listing div.article",
        link="h3.article-title a",
        time=".time, .article-date, span.format_time",
        paging="div.__MB_ARTICLE_PAGING a",
    ),
    nicknames=(
        "Baoquocte.vn",
        "baoquocte",
        "TGVN",
        "TG&VN",
        "WVR",
        "Báo Thế giới và Việt Nam",
        "Báo Thế giới & Việt Nam",
        "The World and Vietnam Report",
        "The World & Vietnam Report",
    ),
    render_article=render_article,
    render_listing=render_listing,
)
