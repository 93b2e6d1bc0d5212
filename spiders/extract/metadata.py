"""Structured metadata a page declares about itself: JSON-LD (schema.org NewsArticle and friends) and
OpenGraph / ``<meta>`` tags. The second extraction layer, and the source of dates and canonical URLs
when the visible markup lacks them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .text import clean_text

ARTICLE_TYPES: frozenset[str] = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "VideoObject"}
)
BREADCRUMB_TYPES: frozenset[str] = frozenset({"BreadcrumbList"})


@dataclass(slots=True)
class PageMetadata:
    headline: str | None = None
    description: str | None = None
    article_body: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    og_type: str | None = None
    canonical_url: str | None = None
    has_article_json_ld: bool = False
    breadcrumbs: list[str] = field(default_factory=list)
    """Names of a JSON-LD ``BreadcrumbList``'s items, in position order."""


def read_metadata(tree: etree._Element) -> PageMetadata:
    """Merge JSON-LD (preferred) and OpenGraph/meta tags of one parsed page."""
    metadata = PageMetadata()
    nodes = _json_ld_nodes(tree)
    for trail in (node for node in nodes if _is_type(node, BREADCRUMB_TYPES)):
        metadata.breadcrumbs = metadata.breadcrumbs or _breadcrumb_names(trail)
    for article in (node for node in nodes if _is_type(node, ARTICLE_TYPES)):
        metadata.has_article_json_ld = True
        metadata.headline = metadata.headline or _text(article.get("headline"))
        metadata.description = metadata.description or _text(article.get("description"))
        metadata.article_body = metadata.article_body or _raw_text(article.get("articleBody"))
        metadata.date_published = metadata.date_published or _text(
            article.get("datePublished") or article.get("uploadDate")
        )
        metadata.date_modified = metadata.date_modified or _text(article.get("dateModified"))
        metadata.authors = metadata.authors or _names(article.get("author"))
        metadata.section = metadata.section or _text(_first(article.get("articleSection")))
        metadata.keywords = metadata.keywords or _keywords(article.get("keywords"))
    meta: dict[str, str] = {}
    canonical = None
    head = tree.find("head")
    for element in head.iter("meta", "link") if head is not None else ():
        if element.tag == "link":
            if canonical is None and element.get("rel") == "canonical":
                canonical = element.get("href")
            continue
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content is not None:
            meta.setdefault(key.lower(), content)
    metadata.headline = metadata.headline or _text(meta.get("og:title"))
    metadata.description = metadata.description or _text(
        meta.get("og:description") or meta.get("description")
    )
    metadata.date_published = metadata.date_published or _text(
        meta.get("article:published_time") or meta.get("datepublished")
    )
    metadata.date_modified = metadata.date_modified or _text(
        meta.get("article:modified_time") or meta.get("datemodified")
    )
    metadata.section = metadata.section or _text(meta.get("article:section"))
    metadata.keywords = metadata.keywords or _keywords(meta.get("news_keywords") or meta.get("keywords"))
    if not metadata.authors and meta.get("author"):
        metadata.authors = [clean_text(meta["author"])]
    metadata.og_type = _text(meta.get("og:type"))
    metadata.canonical_url = canonical.strip() if canonical else _text(meta.get("og:url"))
    return metadata


def _json_ld_nodes(tree: etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, ``@graph`` members included."""
    nodes = []
    for element in tree.iter("script"):
        if element.get("type") != "application/ld+json":
            continue  # before reading the text: inline scripts can be large
        script = element.text
        if not script:
            continue
        try:
            decoded = json.loads(script)
        except ValueError:
            continue
        stack = decoded if isinstance(decoded, list) else [decoded]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack.extend(node.get("@graph", []) if isinstance(node.get("@graph"), list) else [])
            nodes.append(node)
    return nodes


def _is_type(node: dict[str, Any], types: frozenset[str]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(kind in types for kind in kinds)


def _breadcrumb_names(trail: dict[str, Any]) -> list[str]:
    items = [item for item in trail.get("itemListElement") or [] if isinstance(item, dict)]
    items.sort(key=lambda item: position if isinstance(position := item.get("position"), int) else 0)
    names = []
    for item in items:
        name = item.get("name")
        if not isinstance(name, str) and isinstance(item.get("item"), dict):
            name = item["item"].get("name")
        if isinstance(name, str) and clean_text(name):
            names.append(clean_text(name))
    return names


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    return clean_text(value) or None if isinstance(value, str) else None


def _raw_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    names = []
    for person in people:
        if isinstance(person, dict) and person.get("@type") == "Organization":
            continue
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and clean_text(name):
            names.append(clean_text(name))
    return names


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else (value or "").split(",")
    return [clean_text(item) for item in items if isinstance(item, str) and clean_text(item)]
