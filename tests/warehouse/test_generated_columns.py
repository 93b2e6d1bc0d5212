"""Stored generated columns are computed when their inputs change, not on every row update.

PostgreSQL recomputes every stored generated column of a row on any UPDATE when the table has a BEFORE
UPDATE row trigger. articles.search_folded folds and indexes the whole body, so such a trigger made
every queue claim, finish and last_seen refresh pay for it (migration 009)."""

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from testkit.migrations import migrate_through
from warehouse import db
from warehouse.loader import load_feed
from warehouse.migrate import migrate
from warehouse.sqlfile import statement

# Tables with a stored generated column and a BEFORE row trigger that fires on UPDATE.
GENERATED_COLUMNS_RECOMPUTED_ON_EVERY_UPDATE = """
    SELECT DISTINCT c.relname::text
    FROM pg_trigger AS t
    JOIN pg_class AS c ON c.oid = t.tgrelid
    JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attgenerated = 's' AND NOT a.attisdropped
    WHERE NOT t.tgisinternal
        AND t.tgtype & 2 = 2  -- BEFORE
        AND t.tgtype & 1 = 1  -- FOR EACH ROW
        AND t.tgtype & 16 = 16  -- UPDATE
    ORDER BY 1
"""
ENGLISH_SEARCH = """
    SELECT article_id, english_source FROM analyst.articles
    WHERE search_en @@ websearch_to_tsquery('english', %s) ORDER BY article_id
"""


def _unaccent_calls(conn: psycopg.Connection, write: str | sql.SQL) -> int:
    """How many times ``write`` called unaccent, the costly part of search_folded (rolled back)."""
    conn.execute("SET track_functions = 'all'")
    with conn.transaction(force_rollback=True):
        conn.execute(write)
        calls = db.one_value(
            conn.execute(
                "SELECT coalesce(sum(calls), 0)::integer FROM pg_stat_xact_user_functions"
                " WHERE funcname = 'unaccent'"
            )
        )
    conn.execute("RESET track_functions")
    assert isinstance(calls, int)
    return calls


def _translate(conn: psycopg.Connection, article_id: int, title: str) -> None:
    conn.execute(
        """INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
               source_content_hash, title, body)
           SELECT article_id, 'en', 'opus-mt-vi-en', '1', 'vi', content_hash, %s, '["Rain fell."]'
           FROM articles WHERE article_id = %s""",
        (title, article_id),
    )


@pytest.fixture
def loaded(warehouse_conn: psycopg.Connection, feed_line) -> Iterator[psycopg.Connection]:
    load_feed(
        warehouse_conn,
        [feed_line(1), feed_line(2), feed_line(3, language="en", title="Typhoon talks in Hanoi")],
    )
    warehouse_conn.commit()
    yield warehouse_conn


def test_no_table_recomputes_generated_columns_on_every_update(warehouse_conn: psycopg.Connection) -> None:
    assert warehouse_conn.execute(GENERATED_COLUMNS_RECOMPUTED_ON_EVERY_UPDATE).fetchall() == []


@pytest.mark.parametrize("write", ["refresh_last_seen_all.sql", "claim_all.sql", "translate_all.sql"])
def test_writes_that_leave_the_text_alone_do_not_fold_it_again(
    loaded: psycopg.Connection, write: str
) -> None:
    # The pipeline's small writes, as bench.bench_row_updates times them, each on every article.
    assert _unaccent_calls(loaded, statement(f"bench/{write}")) == 0


def test_a_changed_title_is_folded_again(loaded: psycopg.Connection) -> None:
    # Title, lead and body: three calls per row.
    assert _unaccent_calls(loaded, "UPDATE articles SET title = title || ' mới' WHERE article_id = 1") == 3


def test_english_search_follows_originals_and_translations_without_a_row_trigger(
    loaded: psycopg.Connection,
) -> None:
    assert loaded.execute(ENGLISH_SEARCH, ("typhoon",)).fetchall() == [(3, "original")]
    _translate(loaded, 1, "Typhoon warning issued")
    assert loaded.execute(ENGLISH_SEARCH, ("typhoon",)).fetchall() == [
        (1, "machine_translation"),
        (3, "original"),
    ]
    # An original changes language: its search vector follows the text the view shows.
    loaded.execute("UPDATE articles SET language = 'vi' WHERE article_id = 3")
    assert loaded.execute(ENGLISH_SEARCH, ("typhoon",)).fetchall() == [(1, "machine_translation")]
    loaded.execute("UPDATE articles SET language = 'en' WHERE article_id = 1")
    assert loaded.execute(ENGLISH_SEARCH, ("typhoon",)).fetchall() == []
    assert loaded.execute(ENGLISH_SEARCH, ("rain",)).fetchall() == []
    loaded.execute("UPDATE articles SET language = 'vi' WHERE article_id = 1")
    assert loaded.execute(ENGLISH_SEARCH, ("rain",)).fetchall() == [(1, "machine_translation")]
    loaded.execute("DELETE FROM translations WHERE article_id = 1")
    assert loaded.execute(ENGLISH_SEARCH, ("rain",)).fetchall() == []


def test_migration_009_keeps_what_english_search_finds(empty_database_url: str, feed_line) -> None:
    with db.connect(url=empty_database_url) as conn:
        migrate_through(conn, 8)
        assert conn.execute(GENERATED_COLUMNS_RECOMPUTED_ON_EVERY_UPDATE).fetchall() == [("articles",)]
        load_feed(
            conn,
            [feed_line(1), feed_line(2), feed_line(3, language="en", title="Typhoon talks in Hanoi")],
        )
        _translate(conn, 1, "Typhoon warning issued")
        conn.commit()

        assert "009_search_en_without_row_trigger.sql" in migrate(conn)
        assert conn.execute(GENERATED_COLUMNS_RECOMPUTED_ON_EVERY_UPDATE).fetchall() == []
        assert conn.execute(ENGLISH_SEARCH, ("typhoon",)).fetchall() == [
            (1, "machine_translation"),
            (3, "original"),
        ]
        columns = conn.execute(
            "SELECT article_id, search_en_original IS NOT NULL, search_en_translation IS NOT NULL"
            " FROM articles ORDER BY article_id"
        )
        assert columns.fetchall() == [(1, False, True), (2, False, False), (3, True, False)]
