"""The article markup of the newsroom CMS that Tuổi Trẻ (tuoitre.vn) and Thanh Niên (thanhnien.vn) share,
built by VCCorp ("afcbc" body, the IMS editor's ``VCSortableInPreviewMode`` objects). Facts from saved
tuoitre.vn pages (July 2026) and public parsers (2023–2026), kept in the project's outlet notes:

- title ``h1.detail-title[data-role=title]``; lead ``.detail-sapo[data-role=sapo]`` (an ``h2``, lately a
  ``p``) outside the body; body ``div.detail-content.afcbc-body[data-role=content]`` in ``div.detail-cmain``;
  shown date ``[data-role=publishdate]`` ("26/11/2026 08:30 GMT+7") in ``div.detail-time``;
- bylines in ``div.detail-author[data-role=author]``: ``a.name`` in ``div.author-info`` and, with several
  authors, one ``div.author-item-name a.name`` per author (a "Theo dõi" follow button beside each name);
- editor objects inside the body, told apart by their ``type``: ``Photo`` (a ``figure``, or a ``div`` on
  older pages, caption ``.PhotoCMS_Caption`` ending "- Ảnh: X"), ``LayoutAlbum`` (a row of photos with one
  caption), ``VideoStream`` (player and ``.VideoCMS_Caption``), ``RelatedNewsBox`` / ``RelatedOneNews``
  (related articles inside the body), ``content`` (a boxed note that is part of the article);
- images: ``data-original`` is the full-size file; ``src``/``data-src`` a ``/thumb_w/<width>/`` resize of
  the same path, which is mapped back to the full-size URL so every variant of a page (desktop, lazy,
  AMP) yields the same images.

A source on this CMS subclasses ``DetailLayoutParser`` and adds its own generations and page kinds."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from lxml import etree

from warehouse.record import Block, Image

from ..source import SITE_TIMEZONE
from .article import EMBEDS, ArticleParser, Page, PublishedDate, per_page
from .dates import parse_site_datetime
from .fields import (
    BlockCollector,
    add_images,
    breadcrumb_section,
    people,
    select,
    tag_list,
    text_of,
)

_RESIZED_IMAGE = re.compile(r"^(https?://[^/]+)/thumb_w/\d+/(?=\d{6,}/)")

if TYPE_CHECKING:
    from ..source import ArticleContent


def full_size_image(src: str) -> str:
    """``https://cdn2.tuoitre.vn/thumb_w/730/<store>/2026/…jpg`` → ``https://cdn2.tuoitre.vn/<store>/2026/…jpg``."""
    resized = _RESIZED_IMAGE.match(src)  # not ``sub``: a replacement template is re-read on every call
    return f"{resized[1]}/{src[resized.end() :]}" if resized else src


Rule = tuple[str, str, str]
"""``(tag, attribute, value)``: an element with that tag whose ``class`` contains the value (for the
attribute ``class``) or whose attribute equals it (``id``, ``data-role``)."""


class DetailLayoutParser(ArticleParser):
    """The CMS's ``detail-*`` layout. ``MARKUP`` names, per role, the elements that hold it, in order of
    layout generation (newest first), so a subclass extends a role with its older generations; the page
    is scanned once for all of them (lxml's tag-filtered ``iter`` runs in C; a CSS selector per role
    over the whole page cost more than parsing the page). Roles whose element is a container
    (``authors``, ``section``, ``tags``) are read with a selector inside it (``*_LINKS``)."""

    MARKUP: ClassVar[dict[str, tuple[Rule, ...]]] = {
        "title": (("h1", "class", "detail-title"), ("h1", "data-role", "title")),
        "lead": (
            ("h2", "class", "detail-sapo"),
            ("p", "class", "detail-sapo"),
            ("h2", "data-role", "sapo"),
            ("p", "data-role", "sapo"),
        ),
        "content": (("div", "class", "detail-content"),),
        "date": (
            ("div", "data-role", "publishdate"),
            ("time", "data-role", "publishdate"),
            ("div", "class", "detail-time"),
        ),
        "authors": (("div", "class", "detail-author"),),
        "section": (("div", "class", "detail-cate"),),
        "tags": (("div", "class", "detail-tab"),),
    }
    AUTHOR_LINKS: ClassVar[tuple[str, ...]] = (".author-item-name a.name", ".author-info a.name")
    IMAGE_HOLDER_TYPES: ClassVar[frozenset[str]] = frozenset({"Photo", "LayoutAlbum"})
    IMAGE_HOLDER_CLASSES: ClassVar[frozenset[str]] = frozenset()
    CAPTION_CLASS: ClassVar[str] = "PhotoCMS_Caption"
    NOISE_TYPES: ClassVar[frozenset[str]] = frozenset(
        {"Photo", "LayoutAlbum", "VideoStream", "RelatedNewsBox", "RelatedOneNews", "Poll", "Vote", "Quiz"}
    )
    NOISE_CLASSES: ClassVar[frozenset[str]] = frozenset(
        {
            "kbwscwl-relatedbox",
            "relate-container",
            "readmore-body-box",
            "box-author-detail",
            "detail-author-bot",
            "adsbygoogle",
            "ads",
        }
    )
    STRIPPED_TAGS = EMBEDS

    @cached_property
    def _rules(self) -> dict[str, dict[str, dict[str, list[tuple[str, int]]]]]:
        """``MARKUP`` indexed for the scan: tag → attribute → value → [(role, rank)]."""
        rules: dict[str, dict[str, dict[str, list[tuple[str, int]]]]] = {}
        for role, role_rules in self.MARKUP.items():
            for rank, (tag, attribute, value) in enumerate(role_rules):
                rules.setdefault(tag, {}).setdefault(attribute, {}).setdefault(value, []).append((role, rank))
        return rules

    @cached_property
    def _marked_class(self) -> re.Pattern[str]:
        """A class attribute naming one of ``MARKUP``'s class tokens: one C-level test per element
        before its classes are split."""
        tokens = sorted(
            {
                value
                for _, role_rules in self.MARKUP.items()
                for _, kind, value in role_rules
                if kind == "class"
            }
        )
        return re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(token) for token in tokens) + r")(?:\s|$)")

    def marked(self, page: Page) -> dict[str, etree._Element]:
        """The element of every role ``MARKUP`` names: the earliest rule that matches wins, then the
        first such element in document order."""
        if "marked" not in page.cache:
            rules, wanted = self._rules, self._marked_class.search
            best: dict[str, tuple[int, etree._Element]] = {}
            for element in page.tree.iter(*rules):
                for attribute, values in rules[str(element.tag)].items():
                    found = element.get(attribute)
                    if not found or (attribute == "class" and not wanted(found)):
                        continue
                    for value in found.split() if attribute == "class" else (found,):
                        for role, rank in values.get(value, ()):
                            if role not in best or rank < best[role][0]:
                                best[role] = (rank, element)
            page.cache["marked"] = {role: element for role, (_, element) in best.items()}
        return page.cache["marked"]

    def first(self, page: Page, role: str) -> etree._Element | None:
        return self.marked(page).get(role)

    def content(self, page: Page) -> etree._Element | None:
        if "content" not in page.cache:
            found = self.first(page, "content")
            if found is not None:
                self.prepare(found)
            page.cache["content"] = found
        return page.cache["content"]

    def prepare(self, content: etree._Element) -> None:
        """Rewrite site widgets inside the body into plain markup before blocks and images are read
        (the page tree is this page's own copy). AMP pages name their images ``amp-img``."""
        for picture in content.iter("amp-img"):
            picture.tag = "img"

    def is_article(self, page: Page) -> bool:
        return self.content(page) is not None or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return self.content(page) is not None

    def title(self, page: Page) -> str | None:
        """The layout's title element; on a page built outside the layout (interactive stories) its one
        visible ``h1``; else the metadata headline, which the CMS writes with HTML character references
        ("ph&#250;t")."""
        if self.first(page, "title") is None and "text:title" not in page.cache:
            headings = [text_of(heading) for heading in page.tree.iter("h1")]
            if len(headings) == 1 and headings[0]:
                page.cache["text:title"] = headings[0]
        return self._shown_text(page, "title", page.metadata.headline)

    def lead(self, page: Page) -> str | None:
        return self._shown_text(page, "lead", page.metadata.description)

    def _shown_text(self, page: Page, role: str, declared: str | None) -> str | None:
        key = "text:" + role
        if key not in page.cache:
            found = self.first(page, role)
            shown = text_of(found) if found is not None else ""
            page.cache[key] = shown or (html.unescape(declared) if declared else None)
        return page.cache[key]

    def body(self, page: Page) -> list[Block]:
        content = self.content(page)
        if content is None:
            return []
        blocks = BlockCollector(self.is_noise).collect(content)
        captions = {image.caption for image in self.images(page) if image.caption}
        authors = set(self.authors(page))
        return [block for block in blocks if block.text not in captions and block.text not in authors]

    def is_noise(self, element: etree._Element) -> bool:
        if element.tag == "figure" or element.get("type") in self.NOISE_TYPES:
            return True
        classes = element.get("class") or ""
        return not self.NOISE_CLASSES.isdisjoint(classes.split())

    def published_at(self, page: Page) -> PublishedDate:
        found = self.first(page, "date")
        if found is not None:
            shown = text_of(found)
            parsed = parse_site_datetime(shown, self.site_timezone)
            if parsed is not None:
                return PublishedDate(parsed)
            from_metadata = super().published_at(page)
            return from_metadata if from_metadata.value else PublishedDate(None, unparsable=bool(shown))
        return super().published_at(page)

    @per_page
    def authors(self, page: Page) -> list[str]:
        """The people the page's byline names, else those of its metadata."""
        return self.shown_authors(page) or super().authors(page)

    def shown_authors(self, page: Page) -> list[str]:
        box = self.first(page, "authors")
        if box is None:
            return []
        for selector in self.AUTHOR_LINKS:
            names = people((text_of(link) for link in select(box, selector)), self.organisations)
            if names:
                return names
        return []

    def section(self, page: Page) -> str | None:
        box = self.first(page, "section")
        return breadcrumb_section(text_of(link) for link in box.iter("a")) if box is not None else None

    def tags(self, page: Page) -> list[str]:
        box = self.first(page, "tags")
        return tag_list(box.iter("a")) if box is not None else []

    def is_image_holder(self, element: etree._Element) -> bool:
        """A photo object of the editor (``figure``, ``type="Photo"``/``"LayoutAlbum"``)."""
        if element.tag == "figure" or element.get("type") in self.IMAGE_HOLDER_TYPES:
            return True
        classes = element.get("class") or ""
        return not self.IMAGE_HOLDER_CLASSES.isdisjoint(classes.split())

    @per_page
    def images(self, page: Page) -> list[Image]:
        content = self.content(page)
        if content is None:
            return super().images(page)
        found: list[Image] = []
        seen_holders: set[etree._Element] = set()
        for holder in content.iter("figure", "div"):
            if not self.is_image_holder(holder) or any(a in seen_holders for a in holder.iterancestors()):
                continue
            seen_holders.add(holder)
            captions = [
                text_of(caption)
                for caption in holder.iter("figcaption", "div")
                if caption.tag == "figcaption" or self.CAPTION_CLASS in (caption.get("class") or "").split()
            ]
            add_images(found, holder, page.url, captions)
        images: list[Image] = []
        for image in found:
            src = full_size_image(image.src)
            if all(kept.src != src for kept in images):
                images.append(Image(src, image.caption, image.credit))
        return images


def render_detail_article(article: ArticleContent, *, site_title: str, dateline: str = "") -> str:
    """A generated article in the family's current ``detail-*`` layout (the mirror's ``--synthetic``
    articles): ``site_title`` ends the ``<title>`` and names the outlet in the Google News follow line
    under the body, ``dateline`` ("TTO - ") starts the sapo."""
    e = html.escape
    paragraphs = [f"<p>{e(text)}</p>" for text in article.paragraphs]
    middle = len(paragraphs) // 2
    photo = (
        '<figure class="VCSortableInPreviewMode" type="Photo"><div>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        f'data-src="{e(article.image_src)}" alt=""></div><figcaption class="PhotoCMS_Caption"><p>'
        f"{e(article.image_caption)} - Ảnh: {e(article.image_credit)}</p></figcaption></figure>"
    )
    content = "\n".join([*paragraphs[:middle], photo, *paragraphs[middle:]])
    authors = "".join(
        f'<div class="author-item-name"><a class="name">{e(name)}</a></div>' for name in article.authors
    )
    shown = article.published_at.astimezone(ZoneInfo(SITE_TIMEZONE)).strftime("%d/%m/%Y %H:%M")
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{e(article.title)} - {e(site_title)}</title>
<meta property="og:type" content="article" />
<meta property="og:title" content="{e(article.title)}" />
<meta property="article:section" content="{e(article.section)}" />
<meta name="keywords" content="{e(article.section)}" />
<meta property="article:published_time" content="{article.published_at.isoformat()}" />
<link rel="canonical" href="{article.url}" />
</head>
<body>
<div class="header"><ul class="header__nav-list"><li><a href="/thoi-su.htm">Thời sự</a></li></ul></div>
<div class="detail-container" data-layout="1">
<div class="detail-top">
<div class="detail-cate"><a href="/{article.section_slug}.htm">{e(article.section)}</a></div>
<div class="detail-time"><div data-role="publishdate">{shown} GMT+7</div></div>
</div>
<h1 class="detail-title" data-role="title">{e(article.title)}</h1>
<div class="detail-author multiauthor" data-role="author">{authors}</div>
<h2 class="detail-sapo" data-role="sapo">{e(dateline)}{e(article.lead)}</h2>
<div class="detail-cmain"><div class="detail-content afcbc-body" data-role="content">
{content}
</div></div>
<div class="detail-google-news"><a>Theo dõi {e(site_title)} trên Google News</a></div>
</div>
</body>
</html>
"""


def next_timeline_page(
    path: str, tree: etree._Element, link: str, since: date | None, created: Callable[[str], datetime | None]
) -> list[str]:
    """``[path]``, the zone's next timeline page, unless the crawl has a ``since`` day and every article
    the listing page links (``link``: their selector) was created more than a day before it: listings
    show no times, but the family's article ids start with their creation time (``created`` reads that
    site-time moment from a link, None when it carries no such id), so the older pages cannot hold
    newer articles."""
    if since is None:
        return [path]
    limit = datetime.combine(since, time.min) - timedelta(days=1)
    moments = []
    for element in select(tree, link):
        moment = created(element.get("href") or "")
        if moment is None:
            return [path]
        moments.append(moment)
    return [] if moments and all(moment < limit for moment in moments) else [path]


def render_zone_listing(
    articles: list[ArticleContent], page: int, pages: int, category: str, *, site_title: str
) -> str:
    """Page ``page`` of ``pages`` of a generated zone listing in the family's markup (the mirror's
    synthetic pages; each outlet passes its own ``site_title``)."""
    entries = "\n".join(
        f'<div class="box-category-item"><h3 class="box-title-text"><a class="box-category-link-title" '
        f'href="{a.url}">{html.escape(a.title)}</a></h3></div>'
        for a in articles
    )
    following = (
        f'<div class="pagination"><a href="/{category}.htm/p{page + 1}">{page + 1}</a></div>'
        if page < pages
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{category} - {site_title}</title></head>
<body><div class="list__listing-main">
{entries}
</div>{following}</body></html>
"""
