"""Articles a source already has, for incremental crawls: from the warehouse (``warehouse.db.database_url``,
when the environment names one) or from a previous feed. A known article is fetched again only when a
listing shows a newer update time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.record import Article
from warehouse.sqlfile import statement


@dataclass(frozen=True, slots=True)
class KnownArticle:
    canonical_url: str
    content_hash: str | None
    updated_at: datetime | None


def known_from_feed(path: str | Path, source: str) -> dict[str, KnownArticle]:
    known = {}
    with Path(path).open(encoding="utf-8") as feed:
        for line in feed:
            if not line.strip():
                continue
            article = Article.from_json(line)
            if article.source == source:
                known[article.canonical_url] = KnownArticle(
                    article.canonical_url, article.content_hash, article.updated_at or article.published_at
                )
    return known


def known_from_warehouse(source: str) -> dict[str, KnownArticle]:
    from warehouse.db import connect

    with connect() as connection:
        rows = connection.execute(statement("spiders/known_articles.sql"), (source,)).fetchall()
    return {row[0]: KnownArticle(row[0], row[1], row[2]) for row in rows}
