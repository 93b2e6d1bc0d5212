import gzip
import json
from datetime import timedelta

from warehouse.loader import load_feed, staging_row
from warehouse.record import ARTICLE_COLUMNS, Article


def _article_row(conn, number):
    return conn.execute(
        "SELECT title, translation_status, crawled_at, first_seen, last_seen, content_hash"
        " FROM articles WHERE canonical_url = %s",
        (f"https://baoquocte.vn/bai-viet-{number}.html",),
    ).fetchone()


def test_new_articles_are_inserted_pending_with_their_content(warehouse_conn, feed_line):
    result = load_feed(warehouse_conn, [feed_line(number) for number in range(5)])

    assert (result.inserted, result.updated, result.unchanged, result.quarantined) == (5, 0, 0, 0)
    row = warehouse_conn.execute(
        "SELECT body, images, authors, tags, translation_status, first_seen = crawled_at,"
        " last_seen = crawled_at FROM articles WHERE source_article_id = '3'"
    ).fetchone()
    body, images, authors, tags, status, first_seen_is_crawl, last_seen_is_crawl = row
    assert [block["kind"] for block in body] == ["paragraph", "heading", "paragraph"]
    assert body[0]["text"] == "Đoạn mở đầu của bài 3 tại Đà Nẵng."
    assert images[0] == {
        "src": "https://media.baoquocte.vn/3.jpg",
        "caption": "Lễ ký kết.",
        "credit": "TTXVN",
    }
    assert images[1]["caption"] is None
    assert (authors, tags, status) == (["Minh Anh"], ["ngoại giao", "ASEAN"], "pending")
    assert first_seen_is_crawl and last_seen_is_crawl


def test_same_feed_twice_leaves_the_database_identical(warehouse_conn, feed_line, table_dump, tmp_path):
    feed = tmp_path / "baoquocte.jsonl"
    feed.write_text("".join(feed_line(number) + "\n" for number in range(30)), encoding="utf-8")
    load_feed(warehouse_conn, feed, records_per_transaction=7)
    before = table_dump(warehouse_conn)

    second = load_feed(warehouse_conn, feed, records_per_transaction=7)

    assert table_dump(warehouse_conn) == before
    assert (second.inserted, second.updated, second.refreshed, second.unchanged) == (0, 0, 0, 30)
    assert before["article_revisions"] == []
    assert len(before["articles"]) == 30


def test_changed_article_keeps_one_revision_and_is_pending_again(warehouse_conn, feed_line):
    load_feed(warehouse_conn, [feed_line(1), feed_line(2)])
    warehouse_conn.execute("UPDATE articles SET translation_status = 'done'")
    warehouse_conn.commit()
    old_title, _, old_crawled_at, first_seen, _, old_hash = _article_row(warehouse_conn, 1)
    later = (old_crawled_at + timedelta(hours=3)).isoformat()

    result = load_feed(warehouse_conn, [feed_line(1, title="Tiêu đề đã sửa", crawled_at=later), feed_line(2)])

    assert (result.updated, result.unchanged) == (1, 1)
    title, status, crawled_at, first_seen_after, last_seen, new_hash = _article_row(warehouse_conn, 1)
    assert (title, status, first_seen_after) == ("Tiêu đề đã sửa", "pending", first_seen)
    assert crawled_at == last_seen == old_crawled_at + timedelta(hours=3)
    assert new_hash != old_hash
    revisions = warehouse_conn.execute(
        "SELECT title, content_hash, valid_from, valid_to FROM article_revisions"
    ).fetchall()
    assert revisions == [(old_title, old_hash, old_crawled_at, crawled_at)]
    assert _article_row(warehouse_conn, 2)[1] == "done"


def test_one_batch_mixing_new_changed_unchanged_and_refreshed_records(warehouse_conn, feed_line):
    # Only new and changed records are staged; unchanged ones are settled from the batch's keys.
    crawled = "2026-11-20T08:00:00+00:00"
    load_feed(warehouse_conn, [feed_line(number, crawled_at=crawled) for number in (1, 2, 3)])
    next_day = "2026-11-21T09:00:00+00:00"

    result = load_feed(
        warehouse_conn,
        [
            feed_line(1, crawled_at=crawled),
            feed_line(2, title="Tiêu đề đã sửa", crawled_at=next_day),
            feed_line(3, crawled_at=next_day),
            feed_line(4, crawled_at=next_day),
        ],
    )

    assert (result.inserted, result.updated, result.refreshed, result.unchanged) == (1, 1, 1, 1)
    assert result.batches == 1
    assert _article_row(warehouse_conn, 2)[0] == "Tiêu đề đã sửa"
    assert _article_row(warehouse_conn, 3)[4].isoformat() == next_day
    assert warehouse_conn.execute("SELECT count(*) FROM article_revisions").fetchone() == (1,)


def test_an_older_sighting_never_replaces_newer_content(warehouse_conn, feed_line):
    load_feed(warehouse_conn, [feed_line(1, title="Bản mới", crawled_at="2026-11-21T08:00:00+00:00")])

    result = load_feed(warehouse_conn, [feed_line(1, title="Bản cũ", crawled_at="2026-11-20T08:00:00+00:00")])

    assert (result.updated, result.unchanged) == (0, 1)
    assert _article_row(warehouse_conn, 1)[0] == "Bản mới"
    assert warehouse_conn.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0


def test_duplicate_url_in_one_batch_keeps_the_latest_crawl(warehouse_conn, feed_line):
    lines = [
        feed_line(1, title="Sau", crawled_at="2026-11-20T10:00:00+00:00"),
        feed_line(1, title="Trước", crawled_at="2026-11-20T09:00:00+00:00"),
        feed_line(2),
    ]

    result = load_feed(warehouse_conn, lines)

    assert (result.inserted, result.duplicates, result.records) == (2, 1, 3)
    assert _article_row(warehouse_conn, 1)[0] == "Sau"


def test_invalid_records_are_quarantined_and_the_valid_ones_of_the_batch_load(warehouse_conn, feed_line):
    bad_json = '{"source": "baoquocte", "title": '
    no_body = feed_line(5, body=[])
    naive_time = feed_line(6, crawled_at="2026-11-20T08:00:00")
    with_nul = feed_line(7, lead="chứa \u0000 ký tự")
    lines = [feed_line(1), bad_json, no_body, feed_line(2), naive_time, "", with_nul, feed_line(3)]

    result = load_feed(warehouse_conn, lines)

    assert (result.inserted, result.quarantined) == (3, 4)
    quarantined = warehouse_conn.execute(
        "SELECT source, stage, reason, attempts, raw, record IS NOT NULL"
        " FROM quarantine ORDER BY quarantine_id"
    ).fetchall()
    assert [row[2].split(":")[0] for row in quarantined] == ["record", "body", "crawled_at", "lead"]
    assert "is not valid JSON" in quarantined[0][2]
    assert "no paragraphs" in quarantined[1][2]
    assert "NUL" in quarantined[3][2]
    assert [row[0] for row in quarantined] == [None, "baoquocte", "baoquocte", "baoquocte"]
    assert {row[1] for row in quarantined} == {"load"}
    assert quarantined[0][4] == bad_json and quarantined[0][5] is False
    assert quarantined[1][5] is True
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_the_same_bad_record_again_bumps_attempts(warehouse_conn, feed_line):
    bad = feed_line(9, language="Vietnamese")
    load_feed(warehouse_conn, [bad])

    again = load_feed(warehouse_conn, [bad, feed_line(1)])

    assert again.quarantined == 1
    rows = warehouse_conn.execute(
        "SELECT attempts, first_seen <= last_seen, reason FROM quarantine"
    ).fetchall()
    assert len(rows) == 1
    assert rows[0][0] == 2 and rows[0][1]
    assert rows[0][2].startswith("language:")


def test_last_seen_moves_at_most_once_per_interval(warehouse_conn, feed_line):
    load_feed(warehouse_conn, [feed_line(1, crawled_at="2026-11-20T08:00:00+00:00")])

    soon = load_feed(warehouse_conn, [feed_line(1, crawled_at="2026-11-20T20:00:00+00:00")])
    next_day = load_feed(warehouse_conn, [feed_line(1, crawled_at="2026-11-21T09:00:00+00:00")])
    hourly = load_feed(
        warehouse_conn,
        [feed_line(1, crawled_at="2026-11-21T10:00:00+00:00")],
        last_seen_interval=timedelta(hours=1),
    )

    assert (soon.unchanged, soon.refreshed) == (1, 0)
    assert (next_day.unchanged, next_day.refreshed) == (0, 1)
    assert hourly.refreshed == 1
    _, _, crawled_at, first_seen, last_seen, _ = _article_row(warehouse_conn, 1)
    assert crawled_at.isoformat() == first_seen.isoformat() == "2026-11-20T08:00:00+00:00"
    assert last_seen.isoformat() == "2026-11-21T10:00:00+00:00"


def test_unknown_source_gets_a_sources_row(warehouse_conn, feed_line):
    line = feed_line(
        1,
        source="vnexpress",
        url="https://vnexpress.net/a-1.html",
        canonical_url="https://vnexpress.net/a-1.html",
    )

    load_feed(warehouse_conn, [line])

    assert warehouse_conn.execute(
        "SELECT source, name, base_url, language FROM sources WHERE source = 'vnexpress'"
    ).fetchone() == ("vnexpress", "vnexpress", "https://vnexpress.net", "vi")


def test_gzipped_feed_reports_progress_in_bytes(warehouse_conn, feed_line, tmp_path):
    feed = tmp_path / "feed.jsonl.gz"
    payload = "".join(feed_line(number) + "\n" for number in range(10)).encode("utf-8")
    feed.write_bytes(gzip.compress(payload))
    progress: list[int] = []

    result = load_feed(warehouse_conn, feed, records_per_transaction=4, progress=progress.append)

    assert (result.inserted, result.batches) == (10, 3)
    assert sum(progress) == len(payload)
    assert len(progress) == 3


def test_result_counts_serialise_for_ingest_runs(warehouse_conn, feed_line):
    result = load_feed(warehouse_conn, [feed_line(1), "not json"])

    assert result.counts() == {
        "records": 2,
        "inserted": 1,
        "updated": 0,
        "refreshed": 0,
        "unchanged": 0,
        "duplicates": 0,
        "quarantined": 1,
    }
    summary = json.loads(json.dumps(result.to_dict()))
    assert set(summary["timings"]) == {"parse", "sign", "copy", "merge", "stories", "quarantine", "total"}


def test_attributions_are_stored_kept_in_revisions_and_shown_to_analysts(warehouse_conn, feed_line):
    load_feed(warehouse_conn, [feed_line(1, attributions=["VNA", "Reuters"])])
    later = "2026-11-21T08:00:00+00:00"
    load_feed(warehouse_conn, [feed_line(1, attributions=["AFP"], crawled_at=later)])

    stored = warehouse_conn.execute("SELECT attributions FROM articles").fetchone()[0]
    archived = warehouse_conn.execute("SELECT attributions FROM article_revisions").fetchone()[0]
    shown = warehouse_conn.execute("SELECT attributions FROM analyst.articles").fetchone()[0]
    assert (stored, archived, shown) == (["AFP"], ["VNA", "Reuters"], ["AFP"])
    credited = warehouse_conn.execute(
        "SELECT count(*) FROM articles WHERE attributions @> '{AFP}'"
    ).fetchone()
    assert credited == (1,)


def test_declared_sources_get_their_display_names(warehouse_conn):
    from pipeline.load import declared_source_rows
    from spiders.registry import all_sources
    from warehouse.sources import register_sources

    rows = declared_source_rows()
    assert [row.source for row in rows] == [source.name for source in all_sources()]
    warehouse_conn.execute("INSERT INTO sources (source, name) VALUES ('vnexpress', 'vnexpress')")
    register_sources(warehouse_conn, rows)
    assert register_sources(warehouse_conn, rows) == 0, "an unchanged declaration changes nothing"
    names = dict(warehouse_conn.execute("SELECT source, name FROM sources").fetchall())
    for source in all_sources():
        assert names[source.name] == source.display_name


def test_a_staged_row_holds_each_field_under_its_own_column(feed_line):
    article = Article.from_json(
        feed_line(3, updated_at="2026-01-02T03:04:05+00:00", flags=["paywall"], attributions=["VNA"])
    )
    staged = dict(zip(ARTICLE_COLUMNS, staging_row(article), strict=True))
    for name in ("body", "images"):
        staged[name] = json.loads(staged[name])
    for name in ("crawled_at", "published_at", "updated_at"):
        staged[name] = staged[name].isoformat()
    assert staged == {**article.to_dict(), "content_hash": article.content_hash}


def test_the_staging_table_has_one_column_per_record_column(warehouse_conn, feed_line):
    with warehouse_conn.transaction():
        load_feed(warehouse_conn, [feed_line(1)])
        columns = [
            name
            for (name,) in warehouse_conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'pg_temp.load_staging'::regclass"
                " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            )
        ]
    assert columns == list(ARTICLE_COLUMNS)
