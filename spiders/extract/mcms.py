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
as one ``Layout`` of ``(tag, class)`` markers per field, tried in order (the first whose body container is
on the page wins; ``CMS_HOOKS`` last), and overrides the few hooks its site needs (``caption_credit``,
``byline_names``, ``attribution_names``, ``clean_block``). Related boxes, "Xem thêm" lines, plain bylines
and "(Theo X)" credits are the base's (``spiders/extract/leaks.py``) for every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from lxml import etree

from warehouse.record import Block, Image

from .article import ArticleParser, Page, PublishedDate, per_page
from .dates import parse_iso_datetime, parse_site_datetime
from .fields import BlockCollector, add_images, breadcrumb_section, has_class, tag_list, text_of
from .leaks import is_organisation_name, normalize_attribution
from .text import split_authors, split_caption_credit

Marker = tuple[str, str]
"""``(tag, class token)`` of an element that plays a role in a layout."""


@dataclass(frozen=True, slots=True)
class Layout:
    """One layout generation: for each field, the markers of the elements that hold it, in order of
    preference. A marker names the element itself or a wrapper: the title is the wrapper's first
    ``h1``, the date its first ``time`` (or a ``meta[content]``), a byline its ``.name`` child, the
    breadcrumb its first link under ``.main``. Photos are found inside the body container: ``table``
    and ``figure`` elements whose class is in ``photo_classes`` (any ``figure`` when it holds ``*``)."""

    name: str
    body: tuple[Marker, ...]
    title: tuple[Marker, ...]
    lead: tuple[Marker, ...] = ()
    time: tuple[Marker, ...] = ()
    byline: tuple[Marker, ...] = ()
    tags: tuple[Marker, ...] = ()
    breadcrumb: tuple[Marker, ...] = ()
    avatar: tuple[Marker, ...] = ()
    photo_classes: frozenset[str] = frozenset({"picture", "*"})

    def roles(self) -> list[tuple[str, Marker]]:
        return [
            (role, marker)
            for role in ("body", "title", "lead", "time", "byline", "tags", "breadcrumb", "avatar")
            for marker in getattr(self, role)
        ]


ZCE_ARTICLE = Layout(
    name="zce-article",
    body=(("div", "article__body"),),
    title=(("h1", "article__title"), ("h1", "cms-title")),
    lead=(("div", "article__sapo"), ("h2", "article__sapo"), ("div", "cms-desc")),
    time=(("div", "article__meta"), ("meta", "cms-date")),
    byline=(("div", "article__author"),),
    tags=(("div", "article__tag"),),
    breadcrumb=(("div", "breadcrumb"),),
    avatar=(("figure", "article__avatar"),),
)

CMS_HOOKS = Layout(
    name="cms-hooks",
    body=(("div", "cms-body"),),
    title=(("h1", "cms-title"),),
    lead=(("div", "cms-desc"), ("h2", "cms-desc")),
    time=(("meta", "cms-date"),),
    byline=(("div", "cms-author"), ("span", "cms-author")),
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
_RIGHT_ALIGNED = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_BYLINE_WITH_CREDIT = re.compile(r"^(?P<names>[^()]{2,80}?)\s*\((?P<credit>[^()]{2,40})\)\.?$")


class McmsParser(ArticleParser):
    """Field extraction shared by the mcms.one sites; the first matching ``LAYOUTS`` entry is used."""

    LAYOUTS: ClassVar[tuple[Layout, ...]] = (ZCE_ARTICLE, CMS_HOOKS)
    _MARKERS: ClassVar[dict[str, list[tuple[int, str, str]]]] = {}
    _MARKED_TAGS: ClassVar[tuple[str, ...]] = ()
    _MARKED_CLASS: ClassVar[re.Pattern[str]] = re.compile("$^")
    SIGNATURE_LINES: ClassVar[int] = 4
    """How many trailing paragraphs/boxes of the body may sign it (bylines, source box, credits)."""
    OWN_NAMES: ClassVar[frozenset[str]] = frozenset()
    """Lowercased names the outlet credits itself with ("vietnam+"): not a wire attribution."""
    STRIPPED_TAGS = ("script", "style", "noscript", "iframe", "video", "audio", "button", "svg")
    """Not ``form``: the pre-2023 ASP.NET pages wrap the whole page in one."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._index_markers()

    @classmethod
    def _index_markers(cls) -> None:
        """Per class token, the ``(layout index, role, tag)`` entries it marks; and the tags to visit."""
        index: dict[str, list[tuple[int, str, str]]] = {}
        for number, layout in enumerate(cls.LAYOUTS):
            for role, (tag, token) in layout.roles():
                index.setdefault(token, []).append((number, role, tag))
        cls._MARKERS = index
        cls._MARKED_TAGS = tuple(sorted({tag for entries in index.values() for _, _, tag in entries}))
        tokens = "|".join(re.escape(token) for token in sorted(index, key=len, reverse=True))
        cls._MARKED_CLASS = re.compile(rf"(?:^|\s)(?:{tokens})(?:\s|$)")

    def marked(self, page: Page) -> dict[tuple[int, str], list[etree._Element]]:
        """Every element a layout names, by ``(layout index, role)``, in document order: one pass over the
        page (lxml's tag-filtered ``iter`` runs in C; a CSS query per field costs ten times more)."""
        if "marked" not in page.cache:
            marked: dict[tuple[int, str], list[etree._Element]] = {}
            markers, wanted = self._MARKERS, self._MARKED_CLASS.search
            root = page.tree.find("body")
            for element in (root if root is not None else page.tree).iter(*self._MARKED_TAGS):
                classes = element.get("class")
                if not classes or not wanted(classes):
                    continue
                for token in classes.split():
                    for number, role, tag in markers.get(token, ()):
                        if tag == element.tag:
                            marked.setdefault((number, role), []).append(element)
            page.cache["marked"] = marked
        return page.cache["marked"]

    def layout(self, page: Page) -> tuple[int, etree._Element] | None:
        """The index of the page's layout generation (the first whose body is on the page) and its body
        container, cached on the page."""
        if "layout" not in page.cache:
            marked = self.marked(page)
            page.cache["layout"] = next(
                (
                    (number, marked[(number, "body")][0])
                    for number in range(len(self.LAYOUTS))
                    if (number, "body") in marked
                ),
                None,
            )
        return page.cache["layout"]

    def layout_name(self, page: Page) -> str | None:
        found = self.layout(page)
        return self.LAYOUTS[found[0]].name if found else None

    def element(self, page: Page, role: str) -> etree._Element | None:
        """The page's element for ``role`` in its layout: the first marker in order of preference."""
        found = self.layout(page)
        if found is None:
            return None
        marked = self.marked(page)
        for tag, token in getattr(self.LAYOUTS[found[0]], role):
            for element in marked.get((found[0], role), ()):
                if element.tag == tag and token in (element.get("class") or "").split():
                    return element
        return None

    def is_article(self, page: Page) -> bool:
        return self.layout(page) is not None or super().is_article(page)

    def has_content_container(self, page: Page) -> bool:
        return self.layout(page) is not None

    def title(self, page: Page) -> str | None:
        element = self.element(page, "title")
        if element is not None and element.tag != "h1":
            element = next(element.iter("h1"), element)
        return (text_of(element) or None) if element is not None else None

    def lead(self, page: Page) -> str | None:
        if "lead" not in page.cache:
            element = self.element(page, "lead")
            page.cache["lead"] = (text_of(element) or None) if element is not None else None
        return page.cache["lead"]

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
        cleaned = (self.clean_block(block) for block in kept)
        return [block for block in cleaned if block.text]

    def clean_block(self, block: Block) -> Block:
        """A site's per-block text clean-up (end-of-article markers); unchanged by default."""
        return block

    def is_noise(self, element: etree._Element) -> bool:
        """Ad slots, the source/author boxes, share bars and photos (read as images); related boxes and
        "Xem thêm: <link>" lines are dropped by the base for every source."""
        if element.tag in _NOISE_TAGS:
            return True
        classes = element.get("class") or ""
        return not _NOISE_CLASSES.isdisjoint(classes.split())

    def _is_caption(self, text: str, captions: set[tuple[str | None, str | None]]) -> bool:
        """A caption repeated as body text, or a bare photo credit line (every credit form has a colon)."""
        if ":" not in text and "：" not in text:
            return (text, None) in captions
        caption, credit = self.caption_credit(text)
        return (caption, credit) in captions or (credit is not None and not caption)

    # bylines and wire credits at the end of the body ------------------------------------------------

    def signature_lines(self, page: Page) -> dict[str, tuple[list[str], list[str]]]:
        """Lines at the end of the body that sign the article rather than tell it, each with the people
        and the agencies it names: the source box, a right-aligned or bold "Name (Vietnam+)" byline, a
        "(Theo Reuters)" credit."""
        if "signatures" in page.cache:
            return page.cache["signatures"]
        signatures: dict[str, tuple[list[str], list[str]]] = {}
        found = self.layout(page)
        trailing = list(found[1].iterchildren("p", "div"))[-self.SIGNATURE_LINES :] if found else []
        for element in trailing:
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
        """``(people, agencies)`` of a set-apart "Name (Vietnam+)" / "Name (TTXVN/Vietnam+)" byline: the
        family's way of signing copy, which the shared tail rules (bylines, "(Theo X)") do not read."""
        byline = _BYLINE_WITH_CREDIT.match(text) if set_apart else None
        if byline is None:
            return None
        credit = byline.group("credit")
        parts = [part.strip() for part in re.split(r"\s*/\s*", credit) if part.strip()]
        if not all(part.casefold() in self.OWN_NAMES or is_organisation_name(part) for part in parts):
            return None
        names = self.byline_names(byline.group("names"))
        return (names, self.attribution_names(credit)) if names else None

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
            name = normalize_attribution(part)
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
        """The byline box and the signed trailing lines; without them the base falls back to the
        metadata's people (not to the generic visible-byline search: the family's bylines are known)."""
        names: list[str] = []
        byline = self.element(page, "byline")
        if byline is not None:
            name = next((child for child in byline.iter() if has_class(child, "name")), byline)
            names.extend(self.byline_names(text_of(name)))
        for people, _ in self.signature_lines(page).values():
            names.extend(name for name in people if name not in names)
        return names

    def published_at(self, page: Page) -> PublishedDate:
        element = self.element(page, "time")
        if element is not None and element.tag not in ("time", "meta"):
            element = next(element.iter("time"), None)
        if element is not None:
            stamp = (element.get("datetime") or element.get("content") or "").strip()
            parsed = parse_iso_datetime(stamp, self.site_timezone) if stamp else None
            parsed = parsed or parse_site_datetime(stamp or text_of(element), self.site_timezone)
            if parsed is not None:
                return PublishedDate(parsed)
        return super().published_at(page)

    def section(self, page: Page) -> str | None:
        """JSON-LD ``BreadcrumbList``, else the breadcrumb's main link (its ``.sub`` list is the section
        menu, not the path), else the first of the ``article:section`` list."""
        from_trail = breadcrumb_section(page.metadata.breadcrumbs)
        if from_trail:
            return from_trail
        breadcrumb = self.element(page, "breadcrumb")
        if breadcrumb is not None:
            main = next((child for child in breadcrumb.iter() if has_class(child, "main")), breadcrumb)
            link = next(main.iter("a"), None)
            if link is not None and text_of(link):
                return text_of(link)
        listed = (page.metadata.section or "").split(",")[0].strip()
        return listed or None

    def tags(self, page: Page) -> list[str]:
        """The tag list's links, without the ``#`` and without the region (location) links."""
        container = self.element(page, "tags")
        links = container.iter("a") if container is not None else ()
        return tag_list(link for link in links if "/region/" not in (link.get("href") or ""))

    # images -----------------------------------------------------------------------------------------

    @per_page
    def images(self, page: Page) -> list[Image]:
        found = self.layout(page)
        if found is None:
            return []
        number, container = found
        photo_classes = self.LAYOUTS[number].photo_classes
        avatar = self.element(page, "avatar")
        holders = [avatar] if avatar is not None else []
        for holder in container.iter("table", "figure"):
            classes = (holder.get("class") or "").split()
            if holder.tag == "figure" and "*" in photo_classes:
                wanted = "story__thumb" not in classes
            else:
                wanted = not photo_classes.isdisjoint(classes)
            if wanted and not self._inside_box(holder, container):
                holders.append(holder)
        images: list[Image] = []
        for holder in holders:
            captions = (
                text_of(element)
                for element in holder.iter("figcaption", "td")
                if element.tag == "figcaption" or has_class(element, "caption")
            )
            add_images(images, holder, page.url, captions, self.caption_credit)
        return images

    @staticmethod
    def _inside_box(element: etree._Element, container: etree._Element) -> bool:
        """Inside a related box or an ad slot of the body (their thumbnails are not the article's)."""
        for ancestor in element.iterancestors():
            if ancestor is container:
                return False
            if has_class(ancestor, *_BOX_CLASSES):
                return True
        return False

    def caption_credit(self, caption: str) -> tuple[str | None, str | None]:
        """A caption split into its text and the photo credit written inside it."""
        return split_caption_credit(caption) if caption else (None, None)


McmsParser._index_markers()
