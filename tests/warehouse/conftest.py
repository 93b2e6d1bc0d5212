"""Builders for feed lines: valid article records with overridable fields, as the spiders write them."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from warehouse import db

CRAWLED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

FeedLine = Callable[..., str]


def article_record(number: int, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "baoquocte",
        "url": f"https://baoquocte.vn/bai-viet-{number}.html?utm_source=rss",
        "canonical_url": f"https://baoquocte.vn/bai-viet-{number}.html",
        "source_article_id": str(number),
        "title": f"Việt Nam thúc đẩy hòa bình và hợp tác khu vực, bài {number}",
        "lead": "Bộ Ngoại giao khẳng định lập trường nhất quán về hòa bình.",
        "body": [
            {"kind": "paragraph", "text": f"Đoạn mở đầu của bài {number} tại Đà Nẵng."},
            {"kind": "heading", "text": "Hợp tác kinh tế"},
            {"kind": "paragraph", "text": "Hai bên nhất trí tăng cường thương mại và đầu tư."},
        ],
        "authors": ["Minh Anh"],
        "section": "Thời sự",
        "tags": ["ngoại giao", "ASEAN"],
        "images": [
            {"src": f"https://media.baoquocte.vn/{number}.jpg", "caption": "Lễ ký kết.", "credit": "TTXVN"},
            {"src": f"https://media.baoquocte.vn/{number}-b.jpg", "caption": None, "credit": None},
        ],
        "language": "vi",
        "published_at": (CRAWLED_AT - timedelta(hours=number % 48)).isoformat(),
        "updated_at": None,
        "crawled_at": CRAWLED_AT.isoformat(),
        "extraction_layer": "selector",
        "flags": [],
    }
    record.update(overrides)
    return record


@pytest.fixture
def feed_line() -> FeedLine:
    """``feed_line(7, title="...")``: one JSON line for article number 7 with the given fields changed."""

    def build(number: int, **overrides: Any) -> str:
        return json.dumps(article_record(number, **overrides), ensure_ascii=False)

    return build


TableDump = Callable[[Any], dict[str, list[tuple[Any, ...]]]]

DUMPED_TABLES = {
    "sources": "source",
    "articles": "article_id",
    "article_revisions": "revision_id",
    "translations": "article_id, target_language, model_id, model_version",
    "translation_cache": "model_id, model_version, source_hash",
    "ingest_runs": "run_id",
    "quarantine": "quarantine_id",
    "article_signatures": "article_id, language",
    "story_buckets": "bucket, article_id",
    "story_links": "article_id, linked_article_id",
    "story_members": "article_id",
}


@pytest.fixture
def table_dump() -> TableDump:
    """``table_dump(conn)``: every row of every warehouse table, in key order, with system columns
    ``xmin`` so that a rewritten-but-equal row also shows up as a difference."""

    def dump(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
        return {
            table: conn.execute(f"SELECT xmin::text, * FROM {table} ORDER BY {key}").fetchall()
            for table, key in DUMPED_TABLES.items()
        }

    return dump


@pytest.fixture
def empty_database_url() -> Iterator[str]:
    """A brand-new database with nothing applied, dropped after the test."""
    url = db.with_database(db.database_url(), f"news_test_{os.getpid()}_{secrets.token_hex(4)}_empty")
    db.create_database(url)
    try:
        yield url
    finally:
        db.drop_database(url)
