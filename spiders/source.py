"""What a news source declares: one ``SOURCE = Source(...)`` in its module under ``spiders/sources/``.
Everything else is derived from it (``spiders.registry``): the Scrapy spider, the DAG's source choices,
the mirror's hosts, fixture discovery, synthetic pages, the warehouse's display names and the README's
table of supported sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .extract.urls import canonicalize, host_of

if TYPE_CHECKING:
    from .base import NewsSpider
    from .extract.article import ArticleParser

SITE_TIMEZONE = "Asia/Ho_Chi_Minh"
_HOST_VARIANTS = ("m.", "amp.", "mobile.", "www.")


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of a source: its host and language, and where discovery starts.

    ``feeds`` and ``news_sitemaps`` are paths on the host (``/rss/home.rss``, ``/sitemap-news.xml``);
    a sitemap index is followed to its child sitemaps. ``categories`` are the category slugs crawled by
    default (their listing pages and, when the source has one, their category feed)."""

    key: str
    host: str
    language: str
    feeds: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def base_url(self) -> str:
        return f"https://{self.host}"


@dataclass(frozen=True, slots=True)
class Listing:
    """How a category is listed. ``path`` and ``feed_path`` are formatted with ``{category}``;
    ``page_path`` (``/{category}/p{page}``, ``/{category}-p{page}``, ``/{category}/trang{page}.html``)
    builds page ``n`` ≥ 2 directly; without it the spider follows ``paging`` links (a CSS selector) whose
    text is the next page number, ``»``/``›``/``Sau``/``Next`` or whose class says ``next``.
    ``entry`` selects one listed article, ``link`` its link inside the entry (the entry itself when it
    is an ``<a>`` and ``link`` is empty), ``time`` its shown time (optional)."""

    path: str = "/{category}"
    entry: str = "article"
    link: str = "a"
    time: str = ""
    paging: str = ""
    page_path: str = ""
    feed_path: str = ""


@dataclass(frozen=True, slots=True)
class ArticleContent:
    """The content of one article, rendered into a site's markup by its ``render_article`` hook: the
    mirror's generated articles (``--synthetic N``) and the noise tests use it."""

    url: str
    article_id: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    published_at: datetime
    section: str
    section_slug: str
    authors: tuple[str, ...]
    image_src: str
    image_caption: str
    image_credit: str
    language: str


@dataclass(frozen=True)
class Source:
    """A news source, declared once.

    - ``article_url``: matches the source's article URLs on every edition host (and its ``m.``/``amp.``
      variants); the named group ``id`` is the source's article id.
    - ``parser``: the ``ArticleParser`` subclass with the per-field extraction.
    - ``boilerplate``: regular expressions (case-insensitive, matched against a whole cleaned line) of
      lines the site adds to article bodies; ``datelines``: prefixes the site puts before the lead or first
      paragraph (``TTO -``); ``nicknames``: names the outlet calls itself ("TGVN", "Tuổi Trẻ Online"),
      used by the shared follow-line and dateline patterns.
    - ``render_article``: renders an ``ArticleContent`` as one of this site's article pages;
      ``render_listing(articles, page, pages, category)`` one page of a category listing of them (both
      for the mirror's generated articles; without ``render_article`` the source gets none);
      ``synthetic_path`` the path of a generated article (``{slug}``, ``{id}``).
    - ``spider_base``: a ``NewsSpider`` subclass for a site whose discovery needs more than the
      declarations (most need none).
    """

    name: str
    display_name: str
    description: str
    editions: tuple[Edition, ...]
    article_url: re.Pattern[str]
    parser: type[ArticleParser]
    listing: Listing = field(default_factory=Listing)
    timezone: str = SITE_TIMEZONE
    boilerplate: tuple[str, ...] = ()
    datelines: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    render_article: Callable[[ArticleContent], str] | None = None
    render_listing: Callable[[list[ArticleContent], int, int, str], str] | None = None
    synthetic_path: str = "{slug}-{id}.html"
    spider_base: type[NewsSpider] | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,62}", self.name):
            raise ValueError(f"source name {self.name!r} must be lowercase letters, digits and _")
        if not self.editions:
            raise ValueError(f"source {self.name!r} declares no edition")
        if "id" not in self.article_url.groupindex:
            raise ValueError(f"source {self.name!r}: article_url needs a named group 'id'")

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(edition.host for edition in self.editions)

    @property
    def domain(self) -> str:
        """The registrable domain every edition host ends with (``allowed_domains``)."""
        return self.editions[0].host

    @property
    def allowed_domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_registrable(host) for host in self.hosts))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edition.language for edition in self.editions))

    @property
    def base_url(self) -> str:
        return self.editions[0].base_url

    def edition(self, key: str) -> Edition:
        for edition in self.editions:
            if edition.key == key:
                return edition
        raise KeyError(f"{self.name} has no edition {key!r}; it has {[e.key for e in self.editions]}")

    def edition_for_host(self, host: str) -> Edition | None:
        """The edition of ``host``, also reached through its ``m.``/``amp.``/``www.`` variants."""
        host = host.lower()
        candidates = [host] + [
            host.removeprefix(prefix) for prefix in _HOST_VARIANTS if host.startswith(prefix)
        ]
        for candidate in candidates:
            for edition in self.editions:
                if candidate in (edition.host, "www." + edition.host, edition.host.removeprefix("www.")):
                    return edition
        return None

    def canonical_url(self, url: str) -> str:
        """``canonicalize(url)`` on the host of its edition: the variants ``canonicalize`` folds (``m.``,
        ``amp.``, ``www.``) come back to the host the source declares, so a ``www.``-only site
        (www.vietnamplus.vn) keeps its ``www.`` and the canonical URL is the one to fetch."""
        canonical = canonicalize(url)
        host = host_of(canonical)
        edition = self.edition_for_host(host)
        if edition is None or edition.host == host:
            return canonical
        return canonical.replace(f"://{host}", f"://{edition.host}", 1)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def instance(self) -> ArticleParser:
        """The source's parser, built once."""
        return self.parser(self)


def _registrable(host: str) -> str:
    """``en.vietnamplus.vn`` → ``vietnamplus.vn``; ``e.vnexpress.net`` → ``vnexpress.net``."""
    parts = host.removeprefix("www.").split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in ("com", "org", "net", "gov", "edu") else 2
    return ".".join(parts[-keep:])
