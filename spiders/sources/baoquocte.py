"""baoquocte.vn (Báo Thế giới & Việt Nam), Vietnamese and English editions, on the MasterCMS platform.

Article URLs end in ``-<numeric id>.html``; RSS lives at ``/rss_feed/`` and ``/rss_feed/<category>``;
category listings (``/<category>``) page through ``div.__MB_ARTICLE_PAGING``. Older articles use the
previous layout (``#__MB_MASTERCMS_EL_3`` body, ``span.format_time`` date, byline in ``span.cms-author``).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from lxml import etree
from lxml.cssselect import CSSSelector

from warehouse.record import Block, Image, normalize_text

from ..base import NewsSpider
from ..extract.article import ArticleParser, Page, PublishedDate
from ..extract.dates import parse_site_datetime
from ..extract.text import is_boilerplate, split_authors, split_caption_credit
from ..extract.urls import host_of

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = frozenset({"div", "section", "article", "center", "span", "font"})
_LEAD_DATELINE = re.compile(r"^(TGVN|WVR)\s*[.:-]\s*")
_PLACEHOLDER_IMAGE = re.compile(r"^data:|/(grey|blank|lazy|placeholder)\.(gif|png|jpg)$")


def _text(element: etree._Element) -> str:
    return normalize_text(element.text_content())


class BaoquocteParser(ArticleParser):
    source = "baoquocte"
    site_timezone = ZoneInfo("Asia/Ho_Chi_Minh")
    article_url = re.compile(r"^https?://(?:[a-z]+\.)?baoquocte\.vn/(?:[^?#]*/)?[^/?#]+-(?P<id>\d+)\.html")
    default_language = "vi"

    TITLE = CSSSelector("h1.article-detail-title")
    LEAD = CSSSelector("div.article-detail-desc")
    CONTENT = CSSSelector("div.__MASTERCMS_CONTENT, #__MB_MASTERCMS_EL_3")
    DATE = CSSSelector("div.article-date, span.format_time")
    BYLINE = CSSSelector("div.article-member, span.cms-author")
    BREADCRUMB = CSSSelector(".breadcrumb .menu-alias")
    TAGS = CSSSelector("div.article-tags a")
    IMAGE_TABLES = CSSSelector("table.MASTERCMS_TPL_TABLE, figure")
    IMAGE = CSSSelector("img")
    CAPTION = CSSSelector("td:not(:has(img)), figcaption")
    NOISE = CSSSelector(
        ".ads, .adsbygoogle, .box-related, .article-relate, .related-news, .social-share, "
        ".article-tools, .follow-google, .cms-author, table.MASTERCMS_TPL_TABLE, figure"
    )
    STRIPPED_TAGS = (
        "script",
        "style",
        "noscript",
        "iframe",
        "ins",
        "video",
        "audio",
        "form",
        "button",
        "svg",
    )

    def is_article(self, page: Page) -> bool:
        return bool(self.TITLE(page.tree) or self.CONTENT(page.tree)) or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return bool(self.CONTENT(page.tree))

    def title(self, page: Page) -> str | None:
        found = self.TITLE(page.tree)
        return _text(found[0]) or None if found else None

    def lead(self, page: Page) -> str | None:
        found = self.LEAD(page.tree)
        return _LEAD_DATELINE.sub("", _text(found[0])) or None if found else None

    def body(self, page: Page) -> list[Block]:
        found = self.CONTENT(page.tree)
        if not found:
            return []
        blocks: list[Block] = []
        self._collect_blocks(found[0], blocks, set(self.NOISE(found[0])))
        images = self.images(page)
        captions = {(image.caption, image.credit) for image in images}
        signatures = set(self.authors(page))
        return [
            block
            for block in blocks
            if not is_boilerplate(block.text)
            and block.text not in signatures
            and not self._is_caption(block.text, captions)
        ]

    @staticmethod
    def _is_caption(text: str, captions: set[tuple[str | None, str | None]]) -> bool:
        """A caption repeated as body text, or a bare photo credit line."""
        caption, credit = split_caption_credit(text)
        return (
            (caption, credit) in captions
            or (caption, None) in captions
            or (credit is not None and not caption)
        )

    def _collect_blocks(self, container: etree._Element, blocks: list[Block], noise: set) -> None:
        if container.text and container.text.strip():
            blocks.append(Block("paragraph", normalize_text(container.text)))
        for child in container:
            if isinstance(child.tag, str) and child not in noise:
                self._collect_element(child, blocks, noise)
            if child.tail and child.tail.strip():
                self._append(blocks, "paragraph", normalize_text(child.tail))

    def _collect_element(self, element: etree._Element, blocks: list[Block], noise: set) -> None:
        tag = element.tag
        if tag in _HEADINGS:
            self._append(blocks, "heading", _text(element))
        elif tag == "p":
            self._append(blocks, "heading" if self._is_bold_heading(element) else "paragraph", _text(element))
        elif tag == "blockquote":
            paragraphs = element.findall(".//p")
            for text in [_text(p) for p in paragraphs] if paragraphs else [_text(element)]:
                self._append(blocks, "quote", text)
        elif tag in ("ul", "ol"):
            for item in element.iterfind(".//li"):
                self._append(blocks, "list_item", _text(item))
        elif tag == "table":
            self._append(blocks, "table", self._table_text(element))
        elif tag in _CONTAINERS:
            if any(isinstance(child.tag, str) and child.tag != "br" for child in element):
                self._collect_blocks(element, blocks, noise)
            else:
                self._append(blocks, "paragraph", _text(element))

    @staticmethod
    def _append(blocks: list[Block], kind: str, text: str) -> None:
        if text:
            blocks.append(Block(kind, text))  # type: ignore[arg-type]

    @staticmethod
    def _is_bold_heading(paragraph: etree._Element) -> bool:
        """MasterCMS editors mark sub-headings as a paragraph that is one short bold run."""
        children = [child for child in paragraph if isinstance(child.tag, str)]
        if len(children) != 1 or children[0].tag not in ("strong", "b"):
            return False
        if (paragraph.text or "").strip() or (children[0].tail or "").strip():
            return False
        text = _text(paragraph)
        return 0 < len(text) <= 150 and not text.endswith((".", ":"))

    @staticmethod
    def _table_text(table: etree._Element) -> str:
        rows = []
        for row in table.iterfind(".//tr"):
            cells = [_text(cell) for cell in row if cell.tag in ("td", "th")]
            if any(cells):
                rows.append(" | ".join(cells))
        return "\n".join(rows)

    def published_at(self, page: Page) -> PublishedDate:
        found = self.DATE(page.tree)
        if found:
            shown = _text(found[0])
            parsed = parse_site_datetime(shown, self.site_timezone)
            if parsed is not None:
                return PublishedDate(parsed)
            from_metadata = super().published_at(page)
            return from_metadata if from_metadata.value else PublishedDate(None, unparsable=bool(shown))
        return super().published_at(page)

    def authors(self, page: Page) -> list[str]:
        names: list[str] = []
        for byline in self.BYLINE(page.tree):
            names.extend(name for name in split_authors(_text(byline)) if name not in names)
        return names or super().authors(page)

    def section(self, page: Page) -> str | None:
        crumbs = [_text(crumb) for crumb in self.BREADCRUMB(page.tree)]
        crumbs = [crumb for crumb in crumbs if crumb]
        return crumbs[-1] if crumbs else None

    def tags(self, page: Page) -> list[str]:
        tags: list[str] = []
        for link in self.TAGS(page.tree):
            tag = _text(link).lstrip("#").strip()
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def images(self, page: Page) -> list[Image]:
        found = self.CONTENT(page.tree)
        if not found:
            return []
        images: list[Image] = []
        for holder in self.IMAGE_TABLES(found[0]):
            pictures = self.IMAGE(holder)
            captions = [text for text in (_text(cell) for cell in self.CAPTION(holder)) if text]
            caption, credit = split_caption_credit(" ".join(captions)) if captions else (None, None)
            for index, picture in enumerate(pictures):
                src = self._image_src(picture, page.url)
                if src and all(image.src != src for image in images):
                    last = index == len(pictures) - 1
                    images.append(Image(src, caption if last else None, credit if last else None))
        return images

    @staticmethod
    def _image_src(picture: etree._Element, page_url: str) -> str | None:
        for attribute in ("data-src", "data-original", "src"):
            value = (picture.get(attribute) or "").strip()
            if value and not _PLACEHOLDER_IMAGE.search(value):
                return urljoin(page_url, value)
        return None

    def language(self, page: Page) -> str:
        return "en" if host_of(page.url) == "en.baoquocte.vn" else super().language(page)


class BaoquocteSpider(NewsSpider):
    name = "baoquocte"
    allowed_domains = ("baoquocte.vn",)
    parser = BaoquocteParser()
    editions: ClassVar[dict[str, str]] = {"vi": "https://baoquocte.vn", "en": "https://en.baoquocte.vn"}
    default_categories: ClassVar[dict[str, tuple[str, ...]]] = {
        "vi": ("thoi-su", "the-gioi"),
        "en": ("politics-diplomacy",),
    }
    main_feed_path = "/rss_feed/"
    category_feed_path = "/rss_feed/{category}"
    category_listing_path = "/{category}"
    listing_entry = CSSSelector("div.bx-listing div.article, div.bx-listing h3.article-title")
    listing_link = CSSSelector("h3.article-title a, a")
    listing_time = CSSSelector(".time, .article-date, span.format_time")
    paging_link = CSSSelector("div.__MB_ARTICLE_PAGING a")
