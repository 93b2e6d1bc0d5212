"""The scale benchmark's bulk path for translations (COPY with the search trigger disabled, then one
set-based update) leaves exactly the rows the per-row trigger leaves."""

import argparse
from pathlib import Path

import psycopg

from bench.bench_scale import QUERIES_DIR, QUERY_PARAMETERS, translate_history, write_feeds
from warehouse import db
from warehouse.loader import load_feed
from warehouse.migrate import migrate

ARTICLES = 360

# Everything the translations_search_en trigger writes, and the translations themselves.
ARTICLE_STATE = """
    SELECT article_id, canonical_url, language, translation_status,
        search_en_original::text, search_en_translation::text
    FROM articles ORDER BY article_id
"""
TRANSLATION_STATE = "SELECT to_jsonb(t) FROM translations AS t ORDER BY article_id"
TRIGGERS = """
    SELECT tgname, tgenabled FROM pg_trigger
    WHERE tgrelid = 'translations'::regclass AND NOT tgisinternal
"""


def _load(url: str, feeds: list[list[Path]]) -> None:
    """One loader, feed after feed: the same article ids in every database."""
    with db.connect(url=url) as conn:
        for feed in sorted(path for share in feeds for path in share):
            load_feed(conn, feed, records_per_transaction=100)


def _state(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    with db.connect(url=url) as conn:
        return (
            conn.execute(ARTICLE_STATE).fetchall(),
            conn.execute(TRANSLATION_STATE).fetchall(),
            conn.execute(TRIGGERS).fetchall(),
        )


def test_bulk_translations_leave_the_rows_the_trigger_leaves(
    warehouse_conn: psycopg.Connection, warehouse_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    with db.connect(url=empty_database_url) as conn:
        migrate(conn)
    feeds = write_feeds(tmp_path, argparse.Namespace(articles=ARTICLES, loaders=2, body_bytes=(200, 400)))
    _load(warehouse_url, feeds)
    _load(empty_database_url, feeds)

    by_trigger = translate_history(warehouse_url, 2, ARTICLES)
    in_bulk = translate_history(empty_database_url, 2, 25)

    assert by_trigger.bulk_articles == 0
    assert by_trigger.trigger_articles > ARTICLES // 2
    assert (in_bulk.trigger_articles, in_bulk.bulk_articles) == (25, by_trigger.trigger_articles - 25)
    trigger_articles, trigger_translations, trigger_triggers = _state(warehouse_url)
    bulk_articles, bulk_translations, bulk_triggers = _state(empty_database_url)
    translated = [row for row in trigger_articles if row[3] == "done"]
    assert len(trigger_translations) == len(translated) == by_trigger.trigger_articles
    assert all(row[5] and not row[4] for row in translated), "translated articles are searchable in English"
    assert any(row[2] == "en" and row[4] for row in trigger_articles), "English originals too"
    assert bulk_translations == trigger_translations
    assert bulk_articles == trigger_articles
    assert bulk_triggers == trigger_triggers == [("translations_search_en", "O")], "trigger enabled again"


def test_every_example_query_has_benchmark_parameters() -> None:
    assert sorted(QUERY_PARAMETERS) == sorted(path.name for path in QUERIES_DIR.glob("*.sql"))
