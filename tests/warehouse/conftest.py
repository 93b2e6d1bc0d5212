"""The warehouse tests' fixtures: feed lines (testkit.articles) and the warehouse CLI on the test database."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testkit.articles import feed_line as build_feed_line
from testkit.processes import run_python
from warehouse import db

FeedLine = Callable[..., str]


@pytest.fixture
def warehouse_cli(warehouse_url: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``warehouse_cli("load", "feed.jsonl", stdin=...)``: ``python -m warehouse`` on the test database
    (or on ``database_url=...``)."""

    def run(
        *args: str, database_url: str = warehouse_url, stdin: str | bytes = b""
    ) -> subprocess.CompletedProcess[str]:
        return run_python(["-m", "warehouse", *args], {"DATABASE_URL": database_url}, stdin=stdin)

    return run


@pytest.fixture
def feed_line() -> FeedLine:
    """``feed_line(7, title="...")``: one JSON line for article number 7 with the given fields changed."""
    return build_feed_line


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
