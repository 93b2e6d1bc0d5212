"""English-language articles are English for analysts: finished at load time as 'original' (no
translation package is installed in these tests), English in every view, found by English search."""

import psycopg
import pytest

from testkit.migrations import migrate_through
from warehouse import db
from warehouse.loader import load_feed
from warehouse.migrate import migrate

ENGLISH_ARTICLE = {
    "source": "baoquocte",
    "url": "https://en.baoquocte.vn/vietnam-and-japan-deepen-partnership-248130.html",
    "canonical_url": "https://en.baoquocte.vn/vietnam-and-japan-deepen-partnership-248130.html",
    "title": "Vietnam and Japan deepen Comprehensive Strategic Partnership",
    "lead": "The two prime ministers agreed to expand cooperation in semiconductors.",
    "body": [
        {"kind": "paragraph", "text": "Leaders met in Hanoi on Monday to review trade and investment."},
        {"kind": "heading", "text": "Green transition"},
        {"kind": "paragraph", "text": "Both sides pledged support for offshore wind projects."},
    ],
    "images": [{"src": "https://en.baoquocte.vn/i/1.jpg", "caption": "Welcome ceremony.", "credit": None}],
    "language": "en",
}
ENGLISH_QUERY = "search_en @@ websearch_to_tsquery('english', %s)"


def _translate(conn: psycopg.Connection, number: int, title: str, body: str) -> None:
    conn.execute(
        """
        INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
            source_content_hash, title, lead, body, captions)
        SELECT article_id, 'en', 'opus-mt-aav-eng', '2021-09-30', 'vi', content_hash, %s,
            'The ministry spoke.', %s::jsonb, '[]'
        FROM articles WHERE source_article_id = %s
        """,
        (title, body, str(number)),
    )
    conn.execute(
        "UPDATE articles SET translation_status = 'done' WHERE source_article_id = %s", (str(number),)
    )
    conn.commit()


@pytest.fixture
def warehouse(warehouse_conn, feed_line):
    load_feed(
        warehouse_conn,
        [
            feed_line(1, source_article_id="248130", **ENGLISH_ARTICLE),
            feed_line(2, title="Việt Nam và Nhật Bản làm sâu sắc quan hệ đối tác"),
            feed_line(3, title="Bão lớn đổ bộ vào miền Trung"),
        ],
    )
    _translate(
        warehouse_conn,
        2,
        "Vietnam and Japan deepen their partnership",
        '["Talks with Japan were held.", "Economic cooperation", "Trade will grow."]',
    )
    return warehouse_conn


def _articles(conn: psycopg.Connection, where: str = "true", *params: object) -> list[tuple]:
    return conn.execute(
        "SELECT article_id, language, translation_status, english_source, title_en, lead_en, body_text_en,"
        " translation_model_id, translation_model_version, translation_outdated"
        f" FROM analyst.articles WHERE {where} ORDER BY article_id",
        params,
    ).fetchall()


def test_an_english_article_is_finished_at_load_and_english_in_every_column(warehouse):
    english, translated, waiting = _articles(warehouse)
    assert english == (
        1,
        "en",
        "original",
        "original",
        ENGLISH_ARTICLE["title"],
        ENGLISH_ARTICLE["lead"],
        " ".join(block["text"] for block in ENGLISH_ARTICLE["body"]),
        None,
        None,
        False,
    )
    assert translated == (
        2,
        "vi",
        "done",
        "machine_translation",
        "Vietnam and Japan deepen their partnership",
        "The ministry spoke.",
        "Talks with Japan were held. Economic cooperation Trade will grow.",
        "opus-mt-aav-eng",
        "2021-09-30",
        False,
    )
    assert waiting == (3, "vi", "pending", None, None, None, None, None, None, True)


def test_paragraphs_of_an_english_article_are_their_own_english(warehouse):
    rows = warehouse.execute(
        "SELECT article_id, position, original, english, english_source, translation_model_id"
        " FROM analyst.paragraphs WHERE article_id IN (1, 2) ORDER BY article_id, position"
    ).fetchall()
    originals = [block["text"] for block in ENGLISH_ARTICLE["body"]]
    assert rows[:3] == [(1, index, text, text, "original", None) for index, text in enumerate(originals)]
    assert [(row[3], row[4], row[5]) for row in rows[3:]] == [
        ("Talks with Japan were held.", "machine_translation", "opus-mt-aav-eng"),
        ("Economic cooperation", "machine_translation", "opus-mt-aav-eng"),
        ("Trade will grow.", "machine_translation", "opus-mt-aav-eng"),
    ]


def test_english_search_finds_originals_and_translations_alike(warehouse):
    assert [row[:4] for row in _articles(warehouse, ENGLISH_QUERY, "Japan")] == [
        (1, "en", "original", "original"),
        (2, "vi", "done", "machine_translation"),
    ]
    # Stemming, the lead, the body and the captions of the original are all searched.
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "semiconductor")] == [1]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, '"offshore wind"')] == [1]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "ceremony")] == [1]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "trade -semiconductors")] == [2]
    # Vietnamese search still covers every original, English ones included.
    folded = "search_folded @@ phraseto_tsquery('simple', fold_diacritics(%s))"
    assert [row[0] for row in _articles(warehouse, folded, "nhat ban")] == [2]
    assert [row[0] for row in _articles(warehouse, folded, "hanoi")] == [1]


def test_english_search_is_one_index_scan_over_originals_and_translations(warehouse):
    with warehouse.transaction():
        warehouse.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            row[0]
            for row in warehouse.execute(
                f"EXPLAIN SELECT article_id FROM analyst.articles WHERE {ENGLISH_QUERY}", ("Japan",)
            )
        )
    assert "Bitmap Index Scan on articles_search_en_idx" in plan
    assert "Seq Scan" not in plan


def test_the_search_vector_follows_the_english_text_the_view_shows(warehouse):
    vectors_agree = """
        SELECT article_id, v.search_en = CASE
            WHEN english_source = 'original' THEN english_original_vector(a.title, a.lead, a.body, a.images)
            ELSE (SELECT search_en FROM translations t WHERE t.article_id = v.article_id
                  AND t.title = v.title_en AND t.model_version = v.translation_model_version)
        END
        FROM analyst.articles AS v JOIN articles AS a USING (article_id) ORDER BY 1
    """
    assert warehouse.execute(vectors_agree).fetchall() == [(1, True), (2, True), (3, None)]
    newer = "'Typhoon hits Japan'"
    warehouse.execute(
        f"""INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
                source_content_hash, title, body, translated_at)
            SELECT article_id, 'en', 'opus-mt-aav-eng', '2', 'vi', content_hash, {newer}, '["Rain."]',
                now() + interval '1 hour'
            FROM articles WHERE article_id IN (2, 3)"""
    )
    assert warehouse.execute(vectors_agree).fetchall() == [(1, True), (2, True), (3, True)]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "typhoon")] == [2, 3]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "talks")] == []
    warehouse.execute("DELETE FROM translations WHERE model_version = '2'")
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "talks")] == [2]
    assert [row[0] for row in _articles(warehouse, ENGLISH_QUERY, "typhoon")] == []


def test_the_backlog_counts_no_originals(warehouse, feed_line):
    backlog = "SELECT source, language, pending, in_progress, failed FROM analyst.translation_backlog"
    assert warehouse.execute(backlog).fetchall() == [("baoquocte", "vi", 1, 0, 0)]
    # A changed English article stays an original (its old version becomes a revision).
    changed = {
        **ENGLISH_ARTICLE,
        "title": "Vietnam and Japan upgrade ties",
        "crawled_at": "2026-11-21T08:00:00+00:00",
    }
    result = load_feed(warehouse, [feed_line(1, source_article_id="248130", **changed)])
    assert result.updated == 1
    assert warehouse.execute(backlog).fetchall() == [("baoquocte", "vi", 1, 0, 0)]
    assert _articles(warehouse, "article_id = 1")[0][2:5] == (
        "original",
        "original",
        "Vietnam and Japan upgrade ties",
    )
    assert warehouse.execute("SELECT count(*) FROM article_revisions").fetchone() == (1,)


def test_an_article_is_original_only_in_the_target_language(warehouse_conn, feed_line):
    load_feed(
        warehouse_conn,
        [feed_line(1, language="en-GB", title="Talks continue"), feed_line(2, language="vi")],
        target_language="vi",
    )
    assert warehouse_conn.execute(
        "SELECT source_article_id, translation_status FROM articles ORDER BY 1"
    ).fetchall() == [("1", "pending"), ("2", "original")]
    # The English columns are about the language, not the queue: the en-GB article is English.
    assert _articles(warehouse_conn, "article_id = 1")[0][3:5] == ("original", "Talks continue")


def test_migration_004_turns_english_rows_of_an_older_warehouse_into_originals(empty_database_url):
    rows = [
        ("en", "pending"),
        ("en", "skipped"),
        ("en-US", "failed"),
        ("en", "in_progress"),
        ("vi", "pending"),
        ("vi", "skipped"),
    ]
    with db.connect(url=empty_database_url) as conn:
        migrate_through(conn, 3)
        for number, (language, status) in enumerate(rows):
            conn.execute(
                """INSERT INTO articles (canonical_url, source, url, title, body, language, crawled_at,
                       first_seen, last_seen, content_hash, extraction_layer, translation_status)
                   VALUES (%(url)s, 'baoquocte', %(url)s, 'Talks continue', '[{"kind": "paragraph",
                       "text": "The talks continue in Hanoi."}]', %(language)s, now(), now(), now(),
                       repeat('a', 64), 'selector', %(status)s)""",
                {"url": f"https://baoquocte.vn/{number}.html", "language": language, "status": status},
            )
        conn.commit()
        assert "004_english_originals.sql" in migrate(conn)
        statuses = conn.execute("SELECT language, translation_status FROM articles ORDER BY article_id")
        assert statuses.fetchall() == [
            ("en", "original"),
            ("en", "original"),
            ("en-US", "original"),
            ("en", "in_progress"),
            ("vi", "pending"),
            ("vi", "skipped"),
        ]
        found = conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE english_source = 'original') FROM analyst.articles"
            f" WHERE {ENGLISH_QUERY}",
            ("hanoi",),
        ).fetchone()
        assert found == (4, 4)
        indexes = conn.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%search_en%'")
        assert indexes.fetchall() == [("articles_search_en_idx",)]
