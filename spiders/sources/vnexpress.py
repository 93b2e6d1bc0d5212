"""VnExpress (vnexpress.net) and its English edition VnExpress International (e.vnexpress.net).

Article URLs end in ``-<numeric id>.html`` (no section in the path since about 2020; older URLs carry one,
``/thoi-su/<slug>-3880934.html``). Discovery: RSS at ``/rss/<category>.rss`` (``tin-moi-nhat`` is the main
feed; ``news`` on the English edition), category listings at ``/<category>`` paging as ``/<category>-p2``.
The site publishes no news sitemap that this project could verify.

Layout generations, tried in this order (the first whose title matches wins):

- ``current`` (2020 to 2026 at least): ``h1.title-detail``, ``p.description`` with a
  ``span.location-stamp`` dateline, ``article.fck_detail`` of ``p.Normal``, ``span.date``
  ("Thứ tư, 22/10/2025, 19:25 (GMT+7)"), the byline as the right-aligned last paragraph, lazy
  ``figure.tplCaption`` images with "Ảnh: <em>X</em>" credits; photo stories (``div.item_slide_show``)
  and longform pages (``fck_detail_longform``) share it.
- ``legacy`` (2019 and before): ``h1.title_news_detail``, ``span.time``, ``table.tplCaption`` images and
  ``p.author_mail`` bylines.
- ``english`` (e.vnexpress.net): ``h1.title_post``, ``span.lead_post_detail``, ``div.author``
  ("By X  November 26, 2026 | 09:14 pm GMT+7"), ``div.fck_detail``, "Photo by X" credits, ``div.tag_item``.

Then JSON-LD (which names the organisation, never the writer, as author) and the generic layer. Video
pages (``its_type`` video, a ``VideoObject`` and no text) are recorded as ``not_article``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import scrapy
from lxml import etree

from warehouse.record import Block, Image

from ..base import NewsSpider
from ..extract.article import ArticleParser, Extraction, Page, PublishedDate, per_page
from ..extract.dates import parse_iso_datetime, parse_site_datetime
from ..extract.fields import BlockCollector, add_images, has_class, text_of
from ..extract.leaks import (
    attribution_names,
    is_organisation_name,
    is_related_box,
    normalize_attribution,
    split_attribution_suffix,
)
from ..extract.text import clean_text, split_authors
from ..source import SITE_TIMEZONE, ArticleContent, Edition, Listing, Source

Mark = tuple[str, str]
"""An element's tag and one of its class tokens: ``("h1", "title-detail")``."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The markup of one layout generation: for each role, the (tag, class) marks that carry it, the
    preferred first. ``breadcrumb`` and ``tags`` name the containers of the crumb and tag links."""

    name: str
    title: tuple[Mark, ...]
    lead: tuple[Mark, ...]
    content: tuple[Mark, ...]
    date: tuple[Mark, ...]
    breadcrumb: tuple[Mark, ...] = ()
    byline: tuple[Mark, ...] = ()
    tags: tuple[Mark, ...] = ()
    top_image: tuple[Mark, ...] = ()


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="current",
        title=(("h1", "title-detail"),),
        lead=(("p", "description"),),
        content=(("article", "fck_detail"),),
        date=(("span", "date"),),
        breadcrumb=(("ul", "breadcrumb"),),
    ),
    Layout(
        name="legacy",
        title=(("h1", "title_news_detail"),),
        lead=(("p", "description"), ("h2", "description")),
        content=(("article", "content_detail"), ("article", "fck_detail")),
        date=(("span", "time"),),
        breadcrumb=(("ul", "breadcrumb"),),
    ),
    Layout(
        name="english",
        title=(("h1", "title_post"),),
        lead=(("span", "lead_post_detail"), ("div", "lead_news_photo_detail")),
        content=(("div", "fck_detail"),),
        date=(("div", "author"),),
        byline=(("div", "author"),),
        tags=(("div", "tag_item"),),
        top_image=(("div", "thumb_detail_top"),),
    ),
)
_ROLES = ("title", "lead", "content", "date", "breadcrumb", "byline", "tags", "top_image")
MARKS: frozenset[Mark] = frozenset(
    mark for layout in LAYOUTS for role in _ROLES for mark in getattr(layout, role)
)
MARKED_TAGS: tuple[str, ...] = tuple(sorted({tag for tag, _ in MARKS}))
PAGE_METAS = frozenset({"its_type", "pubdate", "lastmod"})

_ENGLISH_BYLINE = re.compile(r"^\s*By\s+(.+?)(?=\s{2,}|\s*[A-Z][a-z]+ \d{1,2}, \d{4}|$)")
_ENGLISH_DATE = re.compile(
    r"(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})\s*\|\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"\s*(?P<meridiem>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_RIGHT_ALIGNED = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: index + 1 for index, name in enumerate(_MONTH_NAMES)}

NOISE_CLASSES = frozenset(
    {
        "list-news",
        "box-tinlienquanv2",
        "box_img_video",
        "item_slide_show",
        "author_mail",
        "tplCaption",
        "banner-ads",
    }
)
GENERIC_KEYWORDS = re.compile(r"^(tin nóng|tin nhanh|tin tức|tin mới|vnexpress)\b", re.IGNORECASE)


def _descendants(root: etree._Element, tag: str, token: str | None = None) -> list[etree._Element]:
    """``root``'s descendants with this tag (and class token): a scan of one small subtree."""
    return [
        element
        for element in root.iter(tag)
        if element is not root and (token is None or has_class(element, token))
    ]


def _marks(root: etree._Element) -> dict[Mark, list[etree._Element]]:
    """Every element under ``root`` that a layout names, by mark (lxml's tag-filtered ``iter`` runs in C;
    a CSS or XPath class test per role would walk the tree once per role)."""
    marked: dict[Mark, list[etree._Element]] = {}
    for element in root.iter(*MARKED_TAGS):
        classes = element.get("class")
        for token in classes.split() if classes else ():
            mark = (str(element.tag), token)
            if mark in MARKS:
                marked.setdefault(mark, []).append(element)
    return marked


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[str, ...]
    attributions: tuple[str, ...]


def read_byline(text: str) -> Byline:
    """``"Thanh Tâm (Theo Reuters, AFP)"``, ``"Theo TTXVN"``, ``"Bài: X - Ảnh: Y"``, ``"By Reuters"``:
    the people named, and the agencies credited (normalised, TTXVN = VNA)."""
    credited = attribution_names(text)
    if credited is not None:
        return Byline((), tuple(credited))
    before, credited = split_attribution_suffix(clean_text(text))
    people: list[str] = []
    for name in split_authors(before):
        if is_organisation_name(name):
            credited.append(normalize_attribution(name))
        else:
            people.append(name)
    return Byline(tuple(dict.fromkeys(people)), tuple(dict.fromkeys(credited)))


class VnexpressParser(ArticleParser):
    STRIPPED_TAGS = ("script", "style", "noscript", "iframe", "video", "audio", "form", "button", "svg")

    def read_page(self, html: str, url: str) -> Page | Extraction:
        page = super().read_page(html, url)
        if isinstance(page, Page) and self.is_video_page(page):
            return Extraction("not_article", "video page: a player and a caption, no article text")
        return page

    def is_video_page(self, page: Page) -> bool:
        kind = self.page_meta(page, "its_type").lower()
        return kind == "video" or (page.metadata.og_type or "").startswith("video")

    @staticmethod
    def page_meta(page: Page, name: str) -> str:
        """A site-specific ``<meta name=…>`` of the head (its_type, pubdate, lastmod)."""
        if "metas" not in page.cache:
            head = page.tree.find("head")
            page.cache["metas"] = {
                meta.get("name"): (meta.get("content") or "").strip()
                for meta in (head.iter("meta") if head is not None else ())
                if meta.get("name") in PAGE_METAS
            }
        return page.cache["metas"].get(name, "")

    def layout(self, page: Page) -> tuple[Layout, etree._Element] | None:
        """The page's layout generation and its title element (None: no known layout matches): the
        first ``<h1>`` whose class names a layout's title, in the order of ``LAYOUTS``."""
        if "layout" not in page.cache:
            page.cache["layout"] = None
            headings = [(heading, (heading.get("class") or "").split()) for heading in page.tree.iter("h1")]
            for layout in LAYOUTS:
                tokens = {token for tag, token in layout.title if tag == "h1"}
                found = next((heading for heading, classes in headings if tokens.intersection(classes)), None)
                if found is not None:
                    page.cache["layout"] = (layout, found)
                    break
        return page.cache["layout"]

    def marked(self, page: Page) -> dict[Mark, list[etree._Element]]:
        """The elements the page's layout names, by mark, in document order: one pass over the block
        around the title (every layout keeps breadcrumb, date, lead and body beside its ``<h1>``),
        the whole page when the body is not there."""
        if "marked" not in page.cache:
            matched = self.layout(page)
            marked: dict[Mark, list[etree._Element]] = {}
            if matched is not None:
                layout, title = matched
                around = title.getparent()
                marked = _marks(around if around is not None else page.tree)
                if not any(mark in marked for mark in layout.content):
                    marked = _marks(page.tree)
            page.cache["marked"] = marked
        return page.cache["marked"]

    def _first(self, page: Page, role: str) -> etree._Element | None:
        matched = self.layout(page)
        if matched is None:
            return None
        marked = self.marked(page)
        return next((marked[mark][0] for mark in getattr(matched[0], role) if mark in marked), None)

    def content(self, page: Page) -> etree._Element | None:
        if "content" not in page.cache:
            page.cache["content"] = self._first(page, "content")
        return page.cache["content"]

    def is_article(self, page: Page) -> bool:
        return self.layout(page) is not None or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return self.content(page) is not None

    def title(self, page: Page) -> str | None:
        matched = self.layout(page)
        return text_of(matched[1]) or None if matched else None

    def lead(self, page: Page) -> str | None:
        found = self._first(page, "lead")
        if found is None:
            return None
        text = text_of(found)
        for stamp in _descendants(found, "span", "location-stamp"):
            text = text.removeprefix(text_of(stamp)).lstrip(" -–")
        return text or None

    # --- body --------------------------------------------------------------------------------------

    def body(self, page: Page) -> list[Block]:
        content = self.content(page)
        if content is None:
            return []
        bylines = set(self.byline_paragraphs(page))
        return BlockCollector(lambda element: element in bylines or self._is_noise(element)).collect(content)

    @staticmethod
    def _is_noise(element: etree._Element) -> bool:
        """Figures and image tables (read as images), related boxes, script-filled and hidden boxes."""
        if element.tag == "figure" or _HIDDEN.search(element.get("style") or ""):
            return True
        return bool(element.get("data-component-type")) or has_class(element, *NOISE_CLASSES)

    def byline_paragraphs(self, page: Page) -> list[etree._Element]:
        """The right-aligned paragraphs that end the body: the byline and the source line."""
        if "byline_paragraphs" not in page.cache:
            trailing: list[etree._Element] = []
            content = self.content(page)
            for child in reversed(
                [c for c in content if isinstance(c.tag, str)] if content is not None else []
            ):
                if child.tag == "p" and _RIGHT_ALIGNED.search(child.get("style") or "") and text_of(child):
                    trailing.insert(0, child)
                elif child.tag not in ("p", "div", "span") or text_of(child):
                    break
            page.cache["byline_paragraphs"] = trailing
        return page.cache["byline_paragraphs"]

    # --- people and credited agencies ----------------------------------------------------------------

    def byline(self, page: Page) -> Byline:
        if "byline" not in page.cache:
            page.cache["byline"] = self._byline(page)
        return page.cache["byline"]

    def _byline(self, page: Page) -> Byline:
        authors: list[str] = []
        credited: list[str] = []
        lines: list[str] = []
        content = self.content(page)
        if content is not None:
            lines.extend(text_of(p) for p in self.byline_paragraphs(page))
            lines.extend(text_of(p) for p in _descendants(content, "p", "author_mail"))
        header = self._first(page, "byline")
        if header is not None:
            match = _ENGLISH_BYLINE.match(text_of(header))
            if match:
                lines.append(match.group(1))
        for line in lines:
            read = read_byline(line)
            authors.extend(name for name in read.authors if name not in authors)
            credited.extend(name for name in read.attributions if name not in credited)
        return Byline(tuple(authors), tuple(credited))

    def authors(self, page: Page) -> list[str]:
        return list(self.byline(page).authors) or (super().authors(page) if self.layout(page) is None else [])

    def attributions(self, page: Page) -> list[str]:
        return list(self.byline(page).attributions)

    # --- dates ---------------------------------------------------------------------------------------

    def published_at(self, page: Page) -> PublishedDate:
        shown_element = self._first(page, "date")
        shown = text_of(shown_element) if shown_element is not None else ""
        parsed = self._english_date(shown) if shown else None
        parsed = parsed or (parse_site_datetime(shown, self.site_timezone) if shown else None)
        if parsed is not None:
            return PublishedDate(parsed)
        declared = self.page_meta(page, "pubdate")
        if declared:
            from_meta = parse_iso_datetime(declared, self.site_timezone)
            if from_meta is not None:
                return PublishedDate(from_meta)
        from_metadata = super().published_at(page)
        return from_metadata if from_metadata.value else PublishedDate(None, unparsable=bool(shown))

    def _english_date(self, shown: str) -> datetime | None:
        """``November 26, 2026 | 09:14 pm GMT+7`` in site time (12-hour clock)."""
        match = _ENGLISH_DATE.search(shown)
        month = _MONTHS.get(match["month"].lower()) if match else None
        if match is None or month is None:
            return None
        hour = int(match["hour"]) % 12 if match["meridiem"] else int(match["hour"])
        if (match["meridiem"] or "").lower().startswith("p"):
            hour += 12
        try:
            local = datetime(
                int(match["year"]),
                month,
                int(match["day"]),
                hour,
                int(match["minute"]),
                tzinfo=self.site_timezone,
            )
        except ValueError:
            return None
        return local.astimezone(UTC)

    def updated_at(self, page: Page, published_at: datetime | None) -> datetime | None:
        declared = self.page_meta(page, "lastmod")
        modified = parse_iso_datetime(declared, self.site_timezone) if declared else None
        if modified is None:
            return super().updated_at(page, published_at)
        return modified if published_at is not None and modified > published_at else None

    # --- section, tags, images -----------------------------------------------------------------------

    def section(self, page: Page) -> str | None:
        crumbs = [text_of(link) for link in self._links(page, "breadcrumb")]
        crumbs = [crumb for crumb in crumbs if crumb and crumb not in ("Trang chủ", "Home")]
        return crumbs[-1] if crumbs else None

    def _links(self, page: Page, role: str) -> list[etree._Element]:
        container = self._first(page, role)
        return list(container.iter("a")) if container is not None else []

    def tags(self, page: Page) -> list[str]:
        shown = [text_of(link).lstrip("#") for link in self._links(page, "tags")]
        candidates = shown or list(page.metadata.keywords)
        tags: list[str] = []
        for tag in candidates:
            if tag and not GENERIC_KEYWORDS.match(tag) and tag not in tags:
                tags.append(tag)
        return tags

    @per_page
    def images(self, page: Page) -> list[Image]:
        images: list[Image] = []
        top = self._first(page, "top_image")
        if top is not None:
            self._add(images, top, page.url, ("p", None))
        content = self.content(page)
        if content is None:
            return images
        for holder in content.iter("figure", "table", "div"):
            if holder.tag in ("table", "div") and is_related_box(holder):
                continue
            if holder.tag == "figure":
                self._add(images, holder, page.url, ("figcaption", None))
            elif holder.tag == "table" and has_class(holder, "tplCaption"):
                self._add(images, holder, page.url, ("p", "Image"))
            elif holder.tag == "div" and has_class(holder, "item_slide_show"):
                self._add(images, holder, page.url, ("div", "desc_cation"))
        return images

    @staticmethod
    def _add(
        images: list[Image], holder: etree._Element, page_url: str, caption: tuple[str, str | None]
    ) -> None:
        """The holder's pictures, captioned by its descendants with the ``caption`` tag (and class)."""
        add_images(images, holder, page_url, (text_of(element) for element in _descendants(holder, *caption)))


SITE_ZONE = ZoneInfo(SITE_TIMEZONE)
_LAZY_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def render_article(article: ArticleContent) -> str:
    """A generated article in the current layout (the mirror's ``--synthetic`` articles)."""
    e = html.escape
    local = article.published_at.astimezone(SITE_ZONE)
    shown = f"{_WEEKDAYS[local.weekday()]}, {local.day}/{local.month}/{local.year}, {local:%H:%M} (GMT+7)"
    figure = (
        '<figure class="tplCaption action_thumb_added"><div class="fig-picture"><picture>'
        f'<img class="lazy" src="{_LAZY_GIF}" data-src="{e(article.image_src)}" alt=""></picture></div>'
        f'<figcaption itemprop="description"><p class="Image">{e(article.image_caption)} Ảnh: '
        f"<em>{e(article.image_credit)}</em></p></figcaption></figure>"
    )
    paragraphs = [f'<p class="Normal">{e(text)}</p>' for text in article.paragraphs]
    middle = len(paragraphs) // 2
    byline = (
        f'<p class="Normal" style="text-align:right;"><strong>{e(" - ".join(article.authors))}</strong></p>'
    )
    body = "".join([*paragraphs[:middle], figure, *paragraphs[middle:], byline])
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
<title>{e(article.title)} - VnExpress</title>
<meta name="description" content="{e(article.lead)}">
<meta charset="utf-8">
<link rel="canonical" href="{article.url}"/>
<meta name="its_type" content="text"/>
<meta content="{local.isoformat()}" itemprop="datePublished" name="pubdate"/>
<meta property="og:type" content="article"/>
<script>var article_id={article.article_id};</script>
</head>
<body class="page-detail">
<nav class="main-nav"><ul class="parent"><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/the-gioi">Thế giới</a></li></ul></nav>
<section class="section page-detail top-detail"><div class="container"><div class="sidebar-1">
<div class="header-content width_common"><ul class="breadcrumb">
<li><a href="/{article.section_slug}">{e(article.section)}</a></li></ul>
<span class="date">{shown}</span></div>
<h1 class="title-detail">{e(article.title)}</h1>
<p class="description">{e(article.lead)}</p>
<article class="fck_detail ">{body}</article>
<span id="article-end"></span>
<div data-component-type="tin_xemthem" data-component-value="{article.article_id}"></div>
<div class="footer-content width_common"><div class="social"><span class="txt">Chia sẻ</span></div></div>
</div></div></section>
<footer class="footer"><p class="follow">Theo dõi VnExpress trên Facebook</p></footer>
</body>
</html>
"""


def render_listing(articles: list[ArticleContent], page: int, pages: int, category: str) -> str:
    """Page ``page`` of ``pages`` of a generated category listing in the current layout."""
    e = html.escape
    entries = "".join(
        f'<article class="item-news"><h3 class="title-news"><a href="{a.url}">{e(a.title)}</a>'
        f'</h3><p class="description"><a href="{a.url}">{e(a.lead)}</a></p></article>'
        for a in articles
    )
    following = (
        f'<a href="/{category}-p{page + 1}" class="btn-page next-page "></a>'
        if page < pages
        else '<a href="javascript:;" class="btn-page next-page disable"></a>'
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(category)} - VnExpress</title></head>
<body><div class="width_common list-news-subfolder">{entries}</div>
<div class="width_common pagination flexbox"><div class="button-page flexbox">{following}</div></div>
</body></html>
"""


class VnexpressSpider(NewsSpider):
    """Category feeds are named by the category's last path segment on both editions:
    ``/thoi-su`` → ``/rss/thoi-su.rss``, ``/news/news`` (English) → ``/rss/news.rss``."""

    def category_requests(self, edition: Edition, category: str) -> list[scrapy.Request]:
        requests = super().category_requests(edition, category)
        leaf = category.rstrip("/").rsplit("/", 1)[-1]
        feed_url = edition.base_url + self.listing.feed_path.format(category=category)
        return [
            request.replace(url=edition.base_url + self.listing.feed_path.format(category=leaf))
            if request.url == feed_url
            else request
            for request in requests
        ]


SOURCE = Source(
    name="vnexpress",
    display_name="VnExpress",
    description="VnExpress, the most-read Vietnamese daily, and VnExpress International",
    editions=(
        Edition(
            "vi", "vnexpress.net", "vi", feeds=("/rss/tin-moi-nhat.rss",), categories=("thoi-su", "the-gioi")
        ),
        Edition("en", "e.vnexpress.net", "en", feeds=("/rss/news.rss",), categories=("news/news",)),
    ),
    article_url=re.compile(r"^https?://(?:[a-z]+\.)*vnexpress\.net/(?:[^?#]*/)?[^/?#]+-(?P<id>\d{6,})\.html"),
    parser=VnexpressParser,
    listing=Listing(
        path="/{category}",
        entry="div.list-news-subfolder article.item-news, div.list_news_folder div.item_list_folder",
        link="h3.title-news a, h2.title_news_site a",
        paging="div.button-page a.next-page:not(.disable), div.pagination_news a.next",
        feed_path="/rss/{category}.rss",
    ),
    spider_base=VnexpressSpider,
    render_article=render_article,
    render_listing=render_listing,
    nicknames=("VnExpress", "VnExpress International", "VNE"),
)
