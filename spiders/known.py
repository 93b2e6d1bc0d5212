"""Articles a source already has, for incremental crawls: from the warehouse (``DATABASE_URL`` set) or
from a previous feed. A known article is fetched again only when a listing shows a newer update time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.record import Article

KNOWN_ARTICLES_SQL = Path(__file__).with_name("known_articles.sql").read_text(encoding="utf-8")


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
    try:
        from warehouse.db import connect
    except ImportError:
        import psycopg

        def connect() -> psycopg.Connection:
            return psycopg.connect(os.environ["DATABASE_URL"])

    with connect() as connection:
        rows = connection.execute(KNOWN_ARTICLES_SQL, (source,)).fetchall()
    return {row[0]: KnownArticle(row[0], row[1], row[2]) for row in rows}
