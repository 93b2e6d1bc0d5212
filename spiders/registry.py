"""The sources this project can crawl: what the ingestion DAG's Params form offers and what
``scrapy crawl <name>`` accepts. Adding a source is one module in ``spiders/sources`` plus one entry here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceInfo:
    name: str
    domain: str
    languages: tuple[str, ...]
    description: str


SOURCES: tuple[SourceInfo, ...] = (
    SourceInfo(
        name="baoquocte",
        domain="baoquocte.vn",
        languages=("vi", "en"),
        description="Báo Thế giới & Việt Nam (baoquocte.vn, en.baoquocte.vn): diplomacy and world news",
    ),
)


def source_names() -> list[str]:
    return [source.name for source in SOURCES]


def source_info(name: str) -> SourceInfo:
    for source in SOURCES:
        if source.name == name:
            return source
    raise KeyError(f"unknown source {name!r}; available sources: {', '.join(source_names())}")
