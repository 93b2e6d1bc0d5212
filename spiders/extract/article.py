"""Layered article extraction shared by every source: the source's own selectors first, then the
page's structured metadata (JSON-LD / OpenGraph), then the generic extractor. A source parser
subclasses ``ArticleParser`` and implements one small method per field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from lxml import etree

from warehouse.record import Article, Block, ExtractionLayer, Image, RecordError

from .dates import parse_iso_datetime
from .fields import breadcrumb_section, figure_images, people, text_of
from .generic import generic_body
from .language import detect_language
from .leaks import is_credit_line, is_related_line, peel_tail
from .metadata import PageMetadata, read_metadata
from .text import SiteNoise, clean_text, split_authors
from .urls import canonicalize, host_of

if TYPE_CHECKING:
    from ..source import Source

FUTURE_TOLERANCE = timedelta(hours=1)
EMBEDS: tuple[str, ...] = (
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
"""Scripts, styles, ad slots, embedded players and forms: what a parser strips before reading a page whose
article holds none of them (``ArticleParser.STRIPPED_TAGS``)."""
HTML_PARSER = etree.HTMLParser(collect_ids=False)
"""lxml's default HTML parser without the table of ``id`` attributes nothing here looks elements up in
(a few per cent of the parse)."""
GENERIC_BYLINE = etree.XPath(
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'author') or contains(@class, 'byline')]"
)
"""Where a page shows its byline on most sites; plain ``contains`` keeps the scan cheap (a CSS class
test costs ten times more on a large page)."""


@dataclass(slots=True)
class Page:
    """One fetched page, parsed once; field methods read from it."""

    url: str
    html: str
    tree: etree._Element
    metadata: PageMetadata
    cache: dict[str, Any] = field(default_factory=dict)


_Parser = TypeVar("_Parser", bound="ArticleParser")
_Value = TypeVar("_Value")


def per_page(method: Callable[[_Parser, Page], _Value]) -> Callable[[_Parser, Page], _Value]:
    """A field method computed once per page, kept in ``page.cache`` under its name: fields read each
    other (the body leaves out the images' captions and the bylines, the record takes both again)."""
    key = method.__name__

    @wraps(method)
    def once(parser: _Parser, page: Page) -> _Value:
        if key not in page.cache:
            page.cache[key] = method(parser, page)
        return page.cache[key]

    return once


@dataclass(frozen=True, slots=True)
class Extraction:
    """What became of a page: an article (outcome ``item``) or the outcome and reason it was rejected."""

    outcome: str
    reason: str = ""
    article: Article | None = None


@dataclass(frozen=True, slots=True)
class PublishedDate:
    value: datetime | None
    unparsable: bool = False


class ArticleParser:
    """The layered extractor of one source, built from its declaration (``Source.instance``). Subclasses
    override the field methods their site's markup serves better than the metadata layer."""

    STRIPPED_TAGS: ClassVar[tuple[str, ...]] = ("script", "style", "noscript")

    def __init__(self, source: Source):
        self.spec: Source | None = source
        self.configure(
            name=source.name,
            site_timezone=source.zone,
            article_url=source.article_url,
            default_language=source.editions[0].language,
            noise=SiteNoise(source.boilerplate, source.datelines, source.nicknames),
            organisations=(source.display_name, *source.nicknames),
        )

    def configure(  # noqa: PLR0913 - keyword-only: a source's declared parser settings
        self,
        *,
        name: str,
        site_timezone: tzinfo,
        article_url: re.Pattern[str],
        default_language: str,
        noise: SiteNoise,
        organisations: tuple[str, ...] = (),
    ) -> None:
        self.source = name
        self.site_timezone = site_timezone
        self.article_url = article_url
        self.default_language = default_language
        self.noise = noise
        self.organisations = organisations

    def extract(self, html: str, url: str, crawled_at: datetime, flags: tuple[str, ...] = ()) -> Extraction:
        page = self.read_page(html, url)
        if isinstance(page, Extraction):
            return page
        title = self.title(page) or page.metadata.headline
        if not title:
            return Extraction("missing_title", "article markup without a title")
        body, layer = self.layered_body(page)
        if not body:
            return Extraction(
                "missing_body", "no body text in site selectors, metadata or generic extraction"
            )
        published = self.published_at(page)
        flags = tuple(flags)
        if published.unparsable:
            flags += ("unparsable_date",)
        if published.value is not None and published.value > crawled_at + FUTURE_TOLERANCE:
            flags += ("future_date",)
        canonical_url = self.canonical_url(page)
        lead = self.lead(page) or page.metadata.description
        tail = peel_tail(self.clean_body(body))
        if not tail.body:
            return Extraction("missing_body", "the body held only boilerplate, bylines or attributions")
        authors = _merged(self.authors(page), tail.authors)
        if not authors and layer != "selector":
            authors = self.visible_byline(page)
        expected_language = self.language(page)
        paragraphs = [block.text for block in tail.body if block.kind == "paragraph"][:4]
        sample = " ".join([title, lead or "", *paragraphs])
        language = detect_language(sample, expected_language)
        if language != expected_language:
            flags += ("unexpected_language",)
        try:
            article = Article(
                source=self.source,
                url=url,
                canonical_url=canonical_url,
                title=title,
                body=tuple(tail.body),
                language=language,
                crawled_at=crawled_at,
                extraction_layer=layer,
                source_article_id=self.source_article_id(canonical_url),
                lead=self.noise.strip_dateline(lead) if lead else None,
                authors=tuple(authors),
                published_at=published.value,
                updated_at=self.updated_at(page, published.value),
                section=self.section(page)
                or page.metadata.section
                or breadcrumb_section(page.metadata.breadcrumbs),
                tags=tuple(self.tags(page) or page.metadata.keywords),
                images=tuple(self.images(page)),
                flags=flags,
                attributions=tuple(_merged(self.attributions(page), tail.attributions)),
            )
        except RecordError as error:
            return Extraction("invalid_record", str(error))
        return Extraction("item", article=article)

    def read_page(self, html: str, url: str) -> Page | Extraction:
        """The parsed page, or the ``not_article`` outcome when there is no article to read."""
        if not html or html.isspace():
            return Extraction("not_article", "empty document")
        try:
            tree = etree.HTML(html, HTML_PARSER)
        except (etree.ParserError, ValueError) as error:
            return Extraction("not_article", f"unparsable HTML: {error}")
        if tree is None:
            return Extraction("not_article", "no HTML document in the response")
        page = Page(url=url, html=html, tree=tree, metadata=read_metadata(tree))
        etree.strip_elements(tree, *self.STRIPPED_TAGS, with_tail=False)
        if not self.is_article(page):
            return Extraction("not_article", "no article markup (title, content or article metadata)")
        return page

    def layered_body(self, page: Page) -> tuple[list[Block], ExtractionLayer]:
        body = self.body(page)
        if body:
            return body, "selector"
        if page.metadata.article_body:
            paragraphs = (clean_text(line) for line in page.metadata.article_body.splitlines())
            return [Block("paragraph", text) for text in paragraphs if text], "metadata"
        if self.has_content_container(page):
            return [], "selector"
        return generic_body(page.html, page.url), "generic"

    def clean_body(self, body: list[Block]) -> list[Block]:
        """Every layer's body without boilerplate, related-article lines and bare photo-credit lines,
        and without the site's dateline prefix on the first block."""
        cleaned = [
            block
            for block in body
            if not self.noise.is_boilerplate(block.text)
            and not is_related_line(block.text)
            and not is_credit_line(block.text)
        ]
        if cleaned:
            first = self.noise.strip_dateline(cleaned[0].text)
            cleaned[0] = Block(cleaned[0].kind, first) if first else cleaned[0]
        return cleaned

    def has_content_container(self, page: Page) -> bool:
        """True when the site's own body container exists: an empty one means an empty article, and the
        generic layer must not go looking for text in the menus and footers instead."""
        return False

    def is_article(self, page: Page) -> bool:
        return page.metadata.has_article_json_ld or page.metadata.og_type == "article"

    def title(self, page: Page) -> str | None:
        return None

    def body(self, page: Page) -> list[Block]:
        return []

    def lead(self, page: Page) -> str | None:
        return None

    def authors(self, page: Page) -> list[str]:
        """The people among the metadata's authors (not the organisation JSON-LD often names)."""
        return people(page.metadata.authors, self.organisations)

    def visible_byline(self, page: Page) -> list[str]:
        """Generic layer: the people a byline element names, on a page whose own markup was not read."""
        for byline in GENERIC_BYLINE(page.tree):
            names = people(split_authors(text_of(byline)), self.organisations)
            if names:
                return names
        return []

    def attributions(self, page: Page) -> list[str]:
        """Agencies or outlets the page credits outside its body (a site's "Nguồn" box); the body's
        attribution lines are found for every source."""
        return []

    def published_at(self, page: Page) -> PublishedDate:
        if page.metadata.date_published:
            parsed = parse_iso_datetime(page.metadata.date_published, self.site_timezone)
            return PublishedDate(parsed, unparsable=parsed is None)
        return PublishedDate(None)

    def updated_at(self, page: Page, published_at: datetime | None) -> datetime | None:
        if not page.metadata.date_modified:
            return None
        modified = parse_iso_datetime(page.metadata.date_modified, self.site_timezone)
        if modified is None or published_at is None or modified <= published_at:
            return None
        return modified

    def section(self, page: Page) -> str | None:
        return None

    def tags(self, page: Page) -> list[str]:
        return []

    def images(self, page: Page) -> list[Image]:
        """Generic layer: every ``<figure>`` with its caption and credit."""
        return figure_images(page.tree, page.url)

    def language(self, page: Page) -> str:
        """The language the page should be in: its edition's, else its declared one. ``extract`` keeps
        it unless the text is confidently in another language (then flagged ``unexpected_language``)."""
        edition = self.spec.edition_for_host(host_of(page.url)) if self.spec is not None else None
        if edition is not None:
            return edition.language
        declared = (page.tree.get("lang") or "").split("-")[0].strip().lower()
        return declared if re.fullmatch(r"[a-z]{2,3}", declared) else self.default_language

    def canonical_url(self, page: Page) -> str:
        declared = page.metadata.canonical_url
        if declared and self.article_url.search(declared):
            return self.canonical_form(declared)
        return self.canonical_form(page.url)

    def canonical_form(self, url: str) -> str:
        """``url`` as the source's declaration canonicalizes it (generic rules without a declaration)."""
        return self.spec.canonical_url(url) if self.spec is not None else canonicalize(url)

    def source_article_id(self, canonical_url: str) -> str | None:
        match = self.article_url.search(canonical_url)
        return match.group("id") if match else None


def _merged(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(value for values in lists for value in values))


def utc_now() -> datetime:
    return datetime.now(UTC)
