import psycopg
import pytest

from warehouse import sqlfile
from warehouse.loader import load_feed


def _translate(  # noqa: PLR0913 - one argument per translation row column
    conn, number, title, body, *, model_version="1", translated_at="2026-11-21T00:00:00+00:00"
):
    conn.execute(
        """
        INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
            source_content_hash, title, lead, body, captions, translated_at)
        SELECT article_id, 'en', 'opus-mt-vi-en', %s, 'vi', content_hash, %s, 'The ministry spoke.',
            %s::jsonb, '["Signing ceremony.", null]', %s
        FROM articles WHERE source_article_id = %s
        """,
        (model_version, title, body, translated_at, str(number)),
    )
    conn.commit()


@pytest.fixture
def searchable(warehouse_conn, feed_line):
    load_feed(
        warehouse_conn,
        [
            feed_line(1),
            feed_line(
                2,
                title="Bão lớn đổ bộ vào miền Trung",
                lead="Mưa to kéo dài.",
                body=[{"kind": "paragraph", "text": "Người dân Quảng Ngãi sơ tán khỏi vùng lũ."}],
            ),
            feed_line(
                3,
                title="Hội nghị thượng đỉnh về biến đổi khí hậu",
                lead=None,
                body=[{"kind": "paragraph", "text": "Các nước cam kết giảm phát thải."}],
            ),
        ],
    )
    _translate(
        warehouse_conn, 1, "Vietnam promotes peace", '["Negotiations were held.", "Trade", "More trade."]'
    )
    _translate(warehouse_conn, 2, "Storm hits the centre", '["Residents evacuated from flooded areas."]')
    _translate(
        warehouse_conn,
        2,
        "Typhoon makes landfall",
        '["Residents evacuated from flooded areas."]',
        model_version="2",
        translated_at="2026-11-22T00:00:00+00:00",
    )
    return warehouse_conn


def _ids(conn, where, *params):
    return [
        row[0]
        for row in conn.execute(f"SELECT article_id FROM analyst.articles WHERE {where} ORDER BY 1", params)
    ]


def test_vietnamese_search_ignores_diacritics(searchable):
    folded = "search_folded @@ phraseto_tsquery('simple', fold_diacritics(%s))"
    assert _ids(searchable, folded, "hoa binh") == [1]
    assert _ids(searchable, folded, "HÒA BÌNH") == [1]
    assert _ids(searchable, folded, "da nang") == [1]
    assert _ids(searchable, folded, "quang ngai") == [2]
    assert _ids(searchable, folded, "bien doi khi hau") == [3]
    assert _ids(searchable, folded, "binh hoa") == []


def test_english_search_uses_the_latest_translation_of_each_article(searchable):
    english = "search_en @@ websearch_to_tsquery('english', %s)"
    assert _ids(searchable, english, "negotiations") == [1]
    assert _ids(searchable, english, "evacuate") == [2]
    assert _ids(searchable, english, "typhoon") == [2]
    assert _ids(searchable, english, "storm") == []
    assert _ids(searchable, english, "signing ceremony") == [1, 2]
    rows = searchable.execute(
        "SELECT article_id, title_en, translation_model_version FROM analyst.articles ORDER BY 1"
    ).fetchall()
    assert rows == [(1, "Vietnam promotes peace", "1"), (2, "Typhoon makes landfall", "2"), (3, None, None)]


def test_paragraph_view_aligns_original_and_english(searchable):
    rows = searchable.execute(
        "SELECT position, kind, original, english FROM analyst.paragraphs"
        " WHERE article_id = 1 ORDER BY position"
    ).fetchall()
    assert rows == [
        (0, "paragraph", "Đoạn mở đầu của bài 1 tại Đà Nẵng.", "Negotiations were held."),
        (1, "heading", "Hợp tác kinh tế", "Trade"),
        (2, "paragraph", "Hai bên nhất trí tăng cường thương mại và đầu tư.", "More trade."),
    ]


def test_analyst_reads_views_and_is_denied_everything_else(searchable):
    conn = searchable
    with conn.transaction():
        conn.execute("SET LOCAL ROLE analyst")
        assert conn.execute("SELECT count(*) FROM analyst.articles").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM analyst.paragraphs").fetchone()[0] == 5
        assert conn.execute("SELECT sum(new_articles) FROM analyst.daily_ingest").fetchone()[0] == 3
        assert conn.execute("SELECT sum(pending) FROM analyst.translation_backlog").fetchone()[0] == 3
        assert conn.execute("SELECT sum(copy_count) FROM analyst.stories").fetchone()[0] == 3
    # The analyst's search_path starts with "$user", i.e. schema analyst: unqualified "articles" is the
    # view there, so the base tables are named with their schema.
    base_tables = [row[0] for row in conn.execute(sqlfile.statement("warehouse/tables.sql"))]
    assert len(base_tables) == 12, "the 8 core tables and the 4 story tables"
    denied = [f"SELECT * FROM public.{table}" for table in base_tables] + [
        "INSERT INTO public.sources (source, name) VALUES ('x_source', 'x')",
        "UPDATE public.articles SET title = 'x'",
        "DELETE FROM public.articles",
        "CREATE TABLE analyst.scratch (id int)",
    ]
    for statement in denied:
        with (
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
            conn.transaction(),
        ):
            conn.execute("SET LOCAL ROLE analyst")
            conn.execute(statement)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    # The views hold SELECT only (they are not updatable either, which PostgreSQL reports first).
    view_privileges = conn.execute(
        """
        SELECT viewname, privilege, has_table_privilege('analyst', 'analyst.' || viewname, privilege)
        FROM pg_views, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS privilege
        WHERE schemaname = 'analyst'
        """
    ).fetchall()
    assert len(view_privileges) == 25, "five views, five privileges each"
    assert {(privilege, allowed) for _, privilege, allowed in view_privileges} == {
        ("SELECT", True),
        ("INSERT", False),
        ("UPDATE", False),
        ("DELETE", False),
        ("TRUNCATE", False),
    }
