"""The mcms.one ("zce") CMS family that VietnamPlus and Nhân Dân (and other Vietnamese outlets) run on.

Its article template marks every field with a ``cms-*`` hook besides its layout classes, which is what
survives from one template of the family to the next: ``h1.article__title.cms-title``, the lead in
``div.article__sapo.cms-desc``, the date in ``div.article__meta > time.time[datetime]`` (plus
``meta.cms-date[itemprop=datePublished]``), the lead photo in ``figure.article__avatar``, the body in
``div.article__body.zce-content-body.cms-body[itemprop=articleBody]`` with in-body photos written by the
zce editor as ``table.picture`` (``td.pic > img.cms-photo`` lazy through ``data-src``, ``td.caption``),
ad slots ``div.sda_middle``/``div.rennab`` and related boxes ``div.article-relate`` inside the body, and
the tags in ``div.article__tag``. AMP twins keep the same classes with ``amp-img``.

A source of the family subclasses ``McmsParser`` and lists its ``LAYOUTS``: each known layout generation
as one ``Layout`` of CSS selectors, tried in order (the first whose body container is on the page wins),
and overrides the few hooks its site needs (``caption_credit``, ``byline_names``, ``attribution_names``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from lxml import etree

from warehouse.record import Block, Image

from .article import ArticleParser, Page, PublishedDate
from .dates import parse_iso_datetime, parse_site_datetime
from .fields import BlockCollector, breadcrumb_section, has_class, image_src, select, select_first, text_of
from .text import split_authors, split_caption_credit


@dataclass(frozen=True, slots=True)
class Layout:
    """The selectors of one layout generation (comma-separated CSS alternatives, first match wins)."""

    name: str
    body: str
    title: str
    lead: str = ""
    time: str = ""
    byline: str = ""
    tags: str = ""
    breadcrumb: str = ""
    avatar: str = ""
    photos: str = "figure"


ZCE_ARTICLE = Layout(
    name="zce-article",
    body="div.article__body",
    title="h1.article__title, h1.cms-title",
    lead="div.article__sapo, h2.article__sapo, .cms-desc",
    time="div.article__meta time[datetime], meta.cms-date[itemprop=datePublished]",
    byline="div.article__author .name, div.article__author",
    tags="div.article__tag a",
    breadcrumb="div.breadcrumb div.main a, div.breadcrumb h2.main a",
    avatar="figure.article__avatar",
    photos="table.picture, figure",
)

CMS_HOOKS = Layout(
    name="cms-hooks",
    body="div.cms-body, [itemprop=articleBody]",
    title=".cms-title, h1",
    lead=".cms-desc",
    time="meta.cms-date[itemprop=datePublished], time[datetime]",
    byline=".cms-author",
    photos="table.picture, figure",
)
"""Any other template of the family, through the ``cms-*`` hooks every template keeps: the last resort
before the metadata layer."""

_NOISE_CLASSES = frozenset(
    {
        "sda_middle",
        "rennab",
        "article-relate",
        "related-news",
        "box-related",
        "article__source",
        "article__author",
        "article__social",
        "wrap-social",
        "picture",
    }
)
_BOX_CLASSES = frozenset({"article-relate", "related-news", "box-related", "sda_middle", "rennab"})
_NOISE_TAGS = frozenset({"figure", "amp-ad", "amp-img", "amp-video", "amp-analytics"})
_RELATED_LINK_LABEL = re.compile(
    r"^\s*(xem thêm|đọc thêm|tin liên quan|bài liên quan|read more|see also|related)\s*:", re.IGNORECASE
)
_RIGHT_ALIGNED = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_BYLINE_WITH_CREDIT = re.compile(r"^(?P<names>[^()]{2,80}?)\s*\((?P<credit>[^()]{2,40})\)\.?$")
_ATTRIBUTION_LINE = re.compile(
    r"^\(?\s*(?:theo|nguồn|source|according to)\s*:?\s+(?P<names>[^()]{2,60}?)\s*\)?\.?$", re.IGNORECASE
)
_SENTENCE_PUNCTUATION = re.compile(r"[.!?;:]\s|,\s\S+\s\S+\s\S+\s")
_WIRE_NAMES = {
    "ttxvn": "VNA",
    "vna": "VNA",
    "thông tấn xã việt nam": "VNA",
    "tân hoa xã": "Xinhua",
    "thx": "Xinhua",
    "xinhua": "Xinhua",
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "AP",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "越通社": "VNA",
}


class McmsParser(ArticleParser):
    """Field extraction shared by the mcms.one sites; the first matching ``LAYOUTS`` entry is used."""

    LAYOUTS: ClassVar[tuple[Layout, ...]] = (ZCE_ARTICLE, CMS_HOOKS)
    OWN_NAMES: ClassVar[frozenset[str]] = frozenset()
    """Lowercased names the outlet credits itself with ("vietnam+"): not a wire attribution."""
    STRIPPED_TAGS = ("script", "style", "noscript", "iframe", "video", "audio", "button", "svg")
    """Not ``form``: the pre-2023 ASP.NET pages wrap the whole page in one."""

    def layout(self, page: Page) -> tuple[Layout, etree._Element] | None:
        """The page's layout generation and its body container (cached on the page)."""
        if "layout" not in page.cache:
            page.cache["layout"] = None
            for layout in self.LAYOUTS:
                container = select_first(page.tree, *layout.body.split(","))
                if container is not None:
                    page.cache["layout"] = (layout, container)
                    break
        return page.cache["layout"]

    def _first(self, page: Page, selectors: str) -> etree._Element | None:
        return select_first(page.tree, *selectors.split(",")) if selectors else None

    def is_article(self, page: Page) -> bool:
        return self.layout(page) is not None or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return self.layout(page) is not None

    def title(self, page: Page) -> str | None:
        found = self.layout(page)
        layouts = (found[0],) if found else self.LAYOUTS
        for layout in layouts:
            element = self._first(page, layout.title)
            if element is not None and text_of(element):
                return text_of(element)
        return None

    def lead(self, page: Page) -> str | None:
        found = self.layout(page)
        element = self._first(page, found[0].lead) if found else None
        return (text_of(element) or None) if element is not None else None

    # body -------------------------------------------------------------------------------------------

    def body(self, page: Page) -> list[Block]:
        found = self.layout(page)
        if found is None:
            return []
        blocks = BlockCollector(self.is_noise).collect(found[1])
        signatures = self.signature_lines(page)
        captions = {(image.caption, image.credit) for image in self.images(page)}
        lead = self.lead(page)
        kept = []
        for index, block in enumerate(blocks):
            if block.text in signatures or self._is_caption(block.text, captions):
                continue
            if index == 0 and lead and block.text == lead:
                continue
            kept.append(block)
        return [self.clean_block(block) for block in kept if self.clean_block(block).text]

    def clean_block(self, block: Block) -> Block:
        """A site's per-block text clean-up (end-of-article markers); unchanged by default."""
        return block

    def is_noise(self, element: etree._Element) -> bool:
        """Ad slots, related boxes and "Xem thêm: <link>" lines, the source/author boxes, share bars and
        photos (read as images)."""
        if element.tag in _NOISE_TAGS:
            return True
        if (
            element.tag == "p"
            and element.find(".//a") is not None
            and _RELATED_LINK_LABEL.match(text_of(element))
        ):
            return True
        classes = element.get("class")
        return bool(classes) and not _NOISE_CLASSES.isdisjoint(classes.split())

    def _is_caption(self, text: str, captions: set[tuple[str | None, str | None]]) -> bool:
        caption, credit = self.caption_credit(text)
        return (caption, credit) in captions or (credit is not None and not caption)

    # bylines and wire credits at the end of the body ------------------------------------------------

    def signature_lines(self, page: Page) -> dict[str, tuple[list[str], list[str]]]:
        """Lines of the body that sign the article rather than tell it, each with the people and the
        agencies it names: the source box, a right-aligned or bold "Name (Vietnam+)" byline, a
        "(Theo Reuters)" credit."""
        if "signatures" in page.cache:
            return page.cache["signatures"]
        signatures: dict[str, tuple[list[str], list[str]]] = {}
        found = self.layout(page)
        for element in found[1].iterchildren("p", "div") if found is not None else ():
            text = text_of(element)
            if not text or len(text) > 120 or text in signatures:
                continue
            if has_class(element, "article__source"):
                signatures[text] = ([], self.attribution_names(text))
            elif element.tag == "p":
                parsed = self.parse_signature(text, self._is_set_apart(element))
                if parsed is not None:
                    signatures[text] = parsed
        page.cache["signatures"] = signatures
        return signatures

    def parse_signature(self, text: str, set_apart: bool) -> tuple[list[str], list[str]] | None:
        """``(people, agencies)`` when ``text`` is a byline or credit line, else None."""
        credit = _ATTRIBUTION_LINE.match(text)
        if credit and (set_apart or text.startswith("(") or not _SENTENCE_PUNCTUATION.search(text)):
            if not text.startswith("(") and not set_apart and len(credit.group("names").split()) > 4:
                return None
            return [], self.attribution_names(credit.group("names"))
        if not set_apart:
            return None
        byline = _BYLINE_WITH_CREDIT.match(text)
        if byline:
            return self.byline_names(byline.group("names")), self.attribution_names(byline.group("credit"))
        if not _SENTENCE_PUNCTUATION.search(text) and len(text.split()) <= 8:
            return self.byline_names(text), []
        return None

    @staticmethod
    def _is_set_apart(paragraph: etree._Element) -> bool:
        """Right-aligned, or one bold/italic run: how editors set a byline or credit off the text."""
        if _RIGHT_ALIGNED.search(paragraph.get("style") or ""):
            return True
        children = [child for child in paragraph if isinstance(child.tag, str)]
        return (
            len(children) == 1
            and children[0].tag in ("strong", "b", "em", "i")
            and not (paragraph.text or "").strip()
            and not (children[0].tail or "").strip()
        )

    def byline_names(self, text: str) -> list[str]:
        return split_authors(text)

    def attribution_names(self, text: str) -> list[str]:
        """The agencies or outlets a credit names, normalised (TTXVN = VNA); the outlet itself left out."""
        names: list[str] = []
        for raw in re.split(r"\s*[/,;]\s*|\s+(?:và|and)\s+", text.strip("()（） .")):
            part = raw.strip("()（） .")
            if not part or part.casefold() in self.OWN_NAMES:
                continue
            name = _WIRE_NAMES.get(part.casefold(), part)
            if name not in names:
                names.append(name)
        return names

    def attributions(self, page: Page) -> list[str]:
        names: list[str] = []
        for _, agencies in self.signature_lines(page).values():
            names.extend(name for name in agencies if name not in names)
        return names

    # other fields -----------------------------------------------------------------------------------

    def authors(self, page: Page) -> list[str]:
        found = self.layout(page)
        names: list[str] = []
        if found is not None and found[0].byline:
            element = self._first(page, found[0].byline)
            if element is not None:
                names.extend(self.byline_names(text_of(element)))
        for people, _ in self.signature_lines(page).values():
            names.extend(name for name in people if name not in names)
        return names or super().authors(page)

    def published_at(self, page: Page) -> PublishedDate:
        found = self.layout(page)
        element = self._first(page, found[0].time) if found else None
        if element is not None:
            stamp = (element.get("datetime") or element.get("content") or "").strip()
            parsed = parse_iso_datetime(stamp, self.site_timezone) if stamp else None
            parsed = parsed or parse_site_datetime(stamp or text_of(element), self.site_timezone)
            if parsed is not None:
                return PublishedDate(parsed)
        return super().published_at(page)

    def section(self, page: Page) -> str | None:
        from_trail = breadcrumb_section(page.metadata.breadcrumbs)
        if from_trail:
            return from_trail
        found = self.layout(page)
        element = self._first(page, found[0].breadcrumb) if found else None
        if element is not None and text_of(element):
            return text_of(element)
        listed = (page.metadata.section or "").split(",")[0].strip()
        return listed or None

    def tags(self, page: Page) -> list[str]:
        found = self.layout(page)
        tags: list[str] = []
        for link in select(page.tree, found[0].tags) if found and found[0].tags else ():
            if "/region/" in (link.get("href") or ""):
                continue
            tag = text_of(link).lstrip("#").strip()
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    # images -----------------------------------------------------------------------------------------

    def images(self, page: Page) -> list[Image]:
        if "images" not in page.cache:
            page.cache["images"] = self._images(page)
        return page.cache["images"]

    def _images(self, page: Page) -> list[Image]:
        found = self.layout(page)
        if found is None:
            return []
        layout, container = found
        holders = select(page.tree, layout.avatar) if layout.avatar else []
        for holder in select(container, layout.photos):
            in_noise = any(
                has_class(ancestor, *_BOX_CLASSES)
                for ancestor in holder.iterancestors()
                if ancestor is not container
            )
            if not in_noise and not has_class(holder, "story__thumb"):
                holders.append(holder)
        images: list[Image] = []
        for holder in holders:
            captions = [text_of(element) for element in select(holder, "figcaption, td.caption")]
            caption, credit = self.caption_credit(" ".join(text for text in captions if text))
            pictures = [p for p in holder.iter("img", "amp-img") if image_src(p, page.url)]
            for index, picture in enumerate(pictures):
                src = image_src(picture, page.url)
                if src and all(image.src != src for image in images):
                    last = index == len(pictures) - 1
                    images.append(Image(src, caption if last else None, credit if last else None))
        return images

    def caption_credit(self, caption: str) -> tuple[str | None, str | None]:
        """A caption split into its text and the photo credit written inside it."""
        return split_caption_credit(caption) if caption else (None, None)
