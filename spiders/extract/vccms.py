"""The article markup of the newsroom CMS that Tuổi Trẻ (tuoitre.vn) and Thanh Niên (thanhnien.vn) share,
built by VCCorp ("afcbc" body, the IMS editor's ``VCSortableInPreviewMode`` objects). Facts from saved
tuoitre.vn pages (July 2026) and public parsers (2023–2026); see docs/sources/tuoitre.md:

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
from typing import ClassVar

from lxml import etree

from warehouse.record import Block, Image

from .article import ArticleParser, Page, PublishedDate
from .dates import parse_site_datetime
from .fields import (
    BlockCollector,
    add_images,
    breadcrumb_section,
    people,
    select,
    select_first,
    tag_list,
    text_of,
)

_RESIZED_IMAGE = re.compile(r"^(https?://[^/]+)/(?:thumb_w/\d+|zoom/\d+_\d+)/(?=\d{6,}/)")


def full_size_image(src: str) -> str:
    """``https://cdn2.tuoitre.vn/thumb_w/730/<store>/2026/…jpg`` → ``https://cdn2.tuoitre.vn/<store>/2026/…jpg``."""
    return _RESIZED_IMAGE.sub(r"\1/", src)


class DetailLayoutParser(ArticleParser):
    """Field selectors of the CMS's ``detail-*`` layout; each role lists its selectors in order of layout
    generation, newest first, so a subclass extends them with its older generations."""

    TITLE: ClassVar[tuple[str, ...]] = ("h1.detail-title", "h1[data-role='title']")
    LEAD: ClassVar[tuple[str, ...]] = (".detail-sapo", "[data-role='sapo']")
    CONTENT: ClassVar[tuple[str, ...]] = ("div.detail-content[data-role='content']", "div.detail-content")
    DATE: ClassVar[tuple[str, ...]] = ("[data-role='publishdate']", "div.detail-time")
    AUTHOR_NAMES: ClassVar[tuple[str, ...]] = (
        ".detail-author .author-item-name a.name",
        ".detail-author .author-info a.name",
    )
    SECTION: ClassVar[tuple[str, ...]] = (".detail-cate a",)
    TAGS: ClassVar[tuple[str, ...]] = ("#tuoitre-tag-detail a", ".detail-tab a")
    IMAGE_HOLDERS: ClassVar[str] = "figure, [type='Photo'], [type='LayoutAlbum']"
    CAPTIONS: ClassVar[str] = ".PhotoCMS_Caption, figcaption"
    NOISE_TYPES: ClassVar[frozenset[str]] = frozenset(
        {"Photo", "LayoutAlbum", "VideoStream", "RelatedNewsBox", "RelatedOneNews", "Poll", "Vote", "Quiz"}
    )
    NOISE_CLASSES: ClassVar[frozenset[str]] = frozenset(
        {
            "VCSortableInPreviewMode-relate",
            "kbwscwl-relatedbox",
            "tuoitre-relatenews",
            "relate-container",
            "readmore-body-box",
            "box-author-detail",
            "detail-author-bot",
            "adsbygoogle",
            "ads",
        }
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

    def first(self, page: Page, role: str, selectors: tuple[str, ...]) -> etree._Element | None:
        key = "first:" + role
        if key not in page.cache:
            page.cache[key] = select_first(page.tree, *selectors)
        return page.cache[key]

    def content(self, page: Page) -> etree._Element | None:
        if "content" not in page.cache:
            found = select_first(page.tree, *self.CONTENT)
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
        found = self.first(page, "title", self.TITLE)
        if found is not None and text_of(found):
            return text_of(found)
        # The CMS writes the JSON-LD headline with HTML character references ("ph&#250;t").
        return html.unescape(page.metadata.headline) if page.metadata.headline else None

    def lead(self, page: Page) -> str | None:
        found = self.first(page, "lead", self.LEAD)
        if found is not None and text_of(found):
            return text_of(found)
        return html.unescape(page.metadata.description) if page.metadata.description else None

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
        classes = element.get("class")
        return bool(classes) and not self.NOISE_CLASSES.isdisjoint(classes.split())

    def published_at(self, page: Page) -> PublishedDate:
        found = self.first(page, "date", self.DATE)
        if found is not None:
            shown = text_of(found)
            parsed = parse_site_datetime(shown, self.site_timezone)
            if parsed is not None:
                return PublishedDate(parsed)
            from_metadata = super().published_at(page)
            return from_metadata if from_metadata.value else PublishedDate(None, unparsable=bool(shown))
        return super().published_at(page)

    def authors(self, page: Page) -> list[str]:
        if "authors" not in page.cache:
            names: list[str] = []
            for selector in self.AUTHOR_NAMES:
                names = [text_of(link) for link in select(page.tree, selector)]
                if names:
                    break
            page.cache["authors"] = people(names, self.organisations)
        return page.cache["authors"]

    def section(self, page: Page) -> str | None:
        for selector in self.SECTION:
            found = select(page.tree, selector)
            if found:
                return breadcrumb_section(text_of(link) for link in found)
        return None

    def tags(self, page: Page) -> list[str]:
        for selector in self.TAGS:
            found = tag_list(select(page.tree, selector))
            if found:
                return found
        return []

    def images(self, page: Page) -> list[Image]:
        if "images" not in page.cache:
            page.cache["images"] = self._images(page)
        return page.cache["images"]

    def _images(self, page: Page) -> list[Image]:
        content = self.content(page)
        if content is None:
            return []
        found: list[Image] = []
        seen_holders: set[etree._Element] = set()
        for holder in select(content, self.IMAGE_HOLDERS):
            if any(ancestor in seen_holders for ancestor in holder.iterancestors()):
                continue
            seen_holders.add(holder)
            add_images(
                found, holder, page.url, [text_of(caption) for caption in select(holder, self.CAPTIONS)]
            )
        images: list[Image] = []
        for image in found:
            src = full_size_image(image.src)
            if all(kept.src != src for kept in images):
                images.append(Image(src, image.caption, image.credit))
        return images
