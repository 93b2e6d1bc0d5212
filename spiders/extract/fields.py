"""Building blocks a source parser assembles its fields from, so a source module only names its
selectors: body blocks from a content container, images (lazy ``data-src``/``data-srcset`` resolved,
captions and credits split), the section from a breadcrumb or JSON-LD ``BreadcrumbList``, tags from a
visible list or the keywords meta, and people's names rather than the organisation JSON-LD often names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree
from lxml.cssselect import CSSSelector

from warehouse.record import Block, Image

from .leaks import is_related_box, is_related_line
from .text import clean_text, raw_text, split_caption_credit

HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
CONTAINERS = frozenset({"div", "section", "article", "center", "span", "font", "main"})
BOX_TAGS = frozenset({"div", "section", "aside", "table", "ul", "ol", "figure", "center"})
LABEL_TAGS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span"})
PLACEHOLDER_IMAGE = re.compile(
    r"^data:|/(grey|gray|blank|lazy|placeholder|loading|default|1x1)[\w-]*\.(gif|png|jpg|svg|webp)$", re.I
)
LAZY_SRC_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "src")
LAZY_SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset", "srcset")
ORGANISATION_WORDS = re.compile(
    r"(^|\s)(báo|tạp chí|tòa soạn|toà soạn|online|newspaper|news|magazine|media|agency|thông tấn xã)(\s|$)"
    r"|\.(vn|com|net)\b|^(ttxvn|vna|vnexpress|tuổi trẻ|thanh niên|nhân dân|vietnamplus|tto|tno)$",
    re.IGNORECASE,
)


def text_of(element: etree._Element) -> str:
    """The element's text, cleaned like the record's text."""
    return clean_text(raw_text(element))


Step = tuple[str | None, str | None]
"""One compound of a simple selector: its tag (None: any) and class token (None: any)."""
_SIMPLE_STEP = re.compile(r"^(?P<tag>[a-z][a-z0-9-]*|\*)?(?:\.(?P<token>-?[_a-zA-Z][\w-]*))?$")
_CLASS_SEPARATORS = re.compile(r"[ \t\r\n]+")
"""How CSS (and XPath's ``normalize-space``) splits a ``class`` attribute."""


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector | tuple[Step, ...]:
    """A compiled CSS selector, cached: source modules name selectors as strings. A descendant chain of
    ``tag``, ``.class`` and ``tag.class`` compounds (most of the selectors sources name) becomes its
    steps, which ``select`` matches in Python on the small subtrees it is given: lxml's XPath evaluation
    of a selector costs ~10 µs before it visits a single element."""
    steps: list[Step] = []
    for part in selector.split():
        simple = _SIMPLE_STEP.match(part)
        if simple is None or part in ("", "*"):
            return CSSSelector(selector)
        steps.append((None if simple["tag"] in (None, "*") else simple["tag"], simple["token"]))
    return tuple(steps) if steps else CSSSelector(selector)


def select(root: etree._Element, selector: str) -> list[etree._Element]:
    """The elements under ``root`` (``root`` included) that ``selector`` matches, in document order."""
    if not selector:
        return []
    compiled = css(selector)
    if isinstance(compiled, CSSSelector):
        return compiled(root)
    *context, (tag, token) = compiled
    return [
        element
        for element in (root.iter(tag) if tag else root.iter(etree.Element))
        if (token is None or _has_token(element, token))
        and (not context or (element is not root and _inside(element, root, context)))
    ]


def _has_token(element: etree._Element, token: str) -> bool:
    classes = element.get("class")
    return classes is not None and token in _CLASS_SEPARATORS.split(classes)


def _inside(element: etree._Element, root: etree._Element, context: list[Step]) -> bool:
    """The ancestors of ``element`` up to ``root`` (included) match ``context``'s steps from the last
    outwards (the nearest match of each step is the one that leaves the most room for the others)."""
    remaining = len(context)
    for ancestor in element.iterancestors():
        tag, token = context[remaining - 1]
        if (tag is None or ancestor.tag == tag) and (token is None or _has_token(ancestor, token)):
            remaining -= 1
            if not remaining:
                return True
        if ancestor is root:
            return False
    return False


def has_class(element: etree._Element, *tokens: str) -> bool:
    classes = (element.get("class") or "").split()
    return any(token in classes for token in tokens)


class BlockCollector:
    """Body blocks of a content container in document order: paragraphs, sub-headings (``h2``–``h6``
    and a paragraph that is one short bold run), quotes, list items and tables. ``is_noise`` says which
    elements to skip entirely (related boxes, share bars, figures read separately as images)."""

    def __init__(self, is_noise: Callable[[etree._Element], bool]):
        self.site_noise = is_noise

    def is_noise(self, element: etree._Element) -> bool:
        """The site's noise, and related boxes (a related line in a paragraph is dropped later, as text)."""
        return self.site_noise(element) or (element.tag in BOX_TAGS and is_related_box(element))

    def collect(self, container: etree._Element) -> list[Block]:
        blocks: list[Block] = []
        self._children(container, blocks)
        return blocks

    def _children(self, container: etree._Element, blocks: list[Block]) -> None:
        if container.text and container.text.strip():
            _append(blocks, "paragraph", clean_text(container.text))
        after_related_label = False
        for child in container:
            if isinstance(child.tag, str) and not self.is_noise(child):
                if (
                    after_related_label
                    and child.tag in ("ul", "ol", "table")
                    and child.find(".//a") is not None
                ):
                    after_related_label = False
                    continue
                after_related_label = child.tag in LABEL_TAGS and _is_related_label(child)
                if not after_related_label:
                    self._element(child, blocks)
            if child.tail and child.tail.strip():
                _append(blocks, "paragraph", clean_text(child.tail))

    def _element(self, element: etree._Element, blocks: list[Block]) -> None:
        tag = element.tag
        if tag in HEADINGS:
            _append(blocks, "heading", text_of(element))
        elif tag == "p":
            _append(blocks, "heading" if is_bold_heading(element) else "paragraph", text_of(element))
        elif tag == "blockquote":
            paragraphs = element.findall(".//p")
            for text in [text_of(p) for p in paragraphs] if paragraphs else [text_of(element)]:
                _append(blocks, "quote", text)
        elif tag in ("ul", "ol"):
            for item in element.iterfind(".//li"):
                _append(blocks, "list_item", text_of(item))
        elif tag == "table":
            _append(blocks, "table", table_text(element))
        elif tag in CONTAINERS:
            if any(
                isinstance(child.tag, str) and child.tag not in ("br", "b", "strong", "em", "i", "a")
                for child in element
            ):
                self._children(element, blocks)
            else:
                _append(blocks, "paragraph", text_of(element))


def _is_related_label(element: etree._Element) -> bool:
    """A short "Tin liên quan" / "Xem thêm" line heading a list of links (its first words decide: the
    whole text is only computed for the few elements that start like one)."""
    first = next((piece for piece in element.itertext() if piece.strip()), "")
    return is_related_line(first) and len(text_of(element)) <= 40


def _append(blocks: list[Block], kind: str, text: str) -> None:
    if text:
        blocks.append(Block(kind, text))  # type: ignore[arg-type]


def is_bold_heading(paragraph: etree._Element) -> bool:
    """Editors often mark a sub-heading as a paragraph that is one short bold run."""
    children = [child for child in paragraph if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag not in ("strong", "b"):
        return False
    if (paragraph.text or "").strip() or (children[0].tail or "").strip():
        return False
    text = text_of(paragraph)
    return 0 < len(text) <= 150 and not text.endswith((".", ":"))


def table_text(table: etree._Element) -> str:
    rows = []
    for row in table.iterfind(".//tr"):
        cells = [text_of(cell) for cell in row if cell.tag in ("td", "th")]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def image_src(picture: etree._Element, page_url: str) -> str | None:
    """The real source of an ``<img>`` (or ``<source>``): lazy-loading attributes first, the largest
    candidate of a ``srcset``, never a placeholder."""
    for attribute in LAZY_SRC_ATTRIBUTES:
        value = (picture.get(attribute) or "").strip()
        if value and not PLACEHOLDER_IMAGE.search(value):
            return _absolute(value, page_url)
    for attribute in LAZY_SRCSET_ATTRIBUTES:
        best = _largest_candidate(picture.get(attribute) or "")
        if best and not PLACEHOLDER_IMAGE.search(best):
            return _absolute(best, page_url)
    return None


def _absolute(url: str, page_url: str) -> str:
    """``url`` resolved against the page; an absolute URL (nearly every image) skips ``urljoin``."""
    return url if url.startswith(("https://", "http://")) else urljoin(page_url, url)


def _largest_candidate(srcset: str) -> str | None:
    best, best_size = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = 0.0
        if len(parts) > 1 and re.fullmatch(r"\d+(\.\d+)?[wx]", parts[1]):
            size = float(parts[1][:-1])
        if size > best_size:
            best, best_size = parts[0], size
    return best


def figure_images(
    container: etree._Element, page_url: str, caption_selector: str = "figcaption"
) -> list[Image]:
    """Images of every ``<figure>`` (or element matched as a figure by the caller) under ``container``,
    each with its caption and the credit split out of it ("Ảnh: X", "(Nguồn: X)", "Photo: X")."""
    images: list[Image] = []
    for holder in container.iter("figure"):
        if is_related_box(holder):
            continue
        add_images(images, holder, page_url, [text_of(c) for c in select(holder, caption_selector)])
    return images


def add_images(
    images: list[Image],
    holder: etree._Element,
    page_url: str,
    captions: Iterable[str],
    split: Callable[[str], tuple[str | None, str | None]] = split_caption_credit,
) -> None:
    """Append the pictures of one image holder (``img`` or AMP ``amp-img``, lazy sources resolved), each
    once; the caption and the credit ``split`` out of it go to its last picture. ``captions`` (texts,
    joined) are only read when the holder has a picture."""
    sources = [src for picture in holder.iter("img", "amp-img") if (src := image_src(picture, page_url))]
    if not sources:
        return
    caption_text = " ".join(text for text in captions if text)
    caption, credit = split(caption_text) if caption_text else (None, None)
    for index, src in enumerate(sources):
        if all(image.src != src for image in images):
            last = index == len(sources) - 1
            images.append(Image(src, caption if last else None, credit if last else None))


def breadcrumb_section(crumbs: Iterable[str], skip: Iterable[str] = ("Trang chủ", "Home")) -> str | None:
    """The most specific crumb of a breadcrumb trail, the home link left out."""
    skipped = {name.casefold() for name in skip}
    names = [clean_text(crumb) for crumb in crumbs]
    names = [name for name in names if name and name.casefold() not in skipped]
    return names[-1] if names else None


def tag_list(links: Iterable[etree._Element]) -> list[str]:
    """Tags from a visible tag list: link texts without the ``#``, each once."""
    tags: list[str] = []
    for link in links:
        tag = text_of(link).lstrip("#").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def people(names: Iterable[str], organisations: Iterable[str] = ()) -> list[str]:
    """The names of people: organisation names (the outlet, an agency, "Báo …") left out."""
    known = {name.casefold() for name in organisations}
    kept: list[str] = []
    for raw in names:
        name = clean_text(raw)
        if name and name.casefold() not in known and not ORGANISATION_WORDS.search(name) and name not in kept:
            kept.append(name)
    return kept
