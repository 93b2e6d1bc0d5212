"""Daily upkeep: quarantine retries, ANALYZE, pruning of old raw feeds."""

import os
import time
from datetime import UTC, datetime, timedelta

from pipeline.maintenance import analyze_tables, prune_raw_feeds, retry_quarantined
from tests.pipeline.feeds import article
from warehouse.loader import load_feed
from warehouse.runs import quarantine_record


def test_a_quarantined_record_that_loads_now_is_resolved(warehouse_conn):
    quarantine_record(warehouse_conn, "load", "baoquocte", article(7).to_json(), "database was read-only")
    quarantine_record(warehouse_conn, "load", "baoquocte", '{"source": "baoquocte"}', "url: is missing")

    outcome = retry_quarantined(warehouse_conn, max_attempts=5)

    assert outcome.as_dict() == {"retried": 2, "resolved": 1, "still_failing": 1}
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    rows = warehouse_conn.execute(
        "SELECT resolved_at IS NOT NULL, attempts FROM quarantine ORDER BY quarantine_id"
    )
    assert rows.fetchall() == [(True, 1), (False, 2)]


def test_records_at_the_attempt_limit_wait_for_a_person(warehouse_conn):
    for _ in range(3):
        quarantine_record(warehouse_conn, "load", "baoquocte", '{"source": "baoquocte"}', "url: is missing")

    assert retry_quarantined(warehouse_conn, max_attempts=3).retried == 0


def test_only_load_stage_records_are_retried(warehouse_conn):
    quarantine_record(
        warehouse_conn, "crawl", "baoquocte", {"url": "https://baoquocte.vn/a.html"}, "http 500"
    )
    load_feed(warehouse_conn, [article(8).to_json()])
    warehouse_conn.execute("UPDATE articles SET translation_status = 'failed', translation_error = 'boom'")
    warehouse_conn.commit()

    assert retry_quarantined(warehouse_conn, max_attempts=5).retried == 0
    assert warehouse_conn.execute(
        "SELECT translation_status, translation_error FROM articles"
    ).fetchall() == [("failed", "boom")]


def test_analyze_covers_the_warehouse_tables(warehouse_conn):
    analysed = analyze_tables(warehouse_conn)

    assert {"articles", "translations", "translation_cache", "ingest_runs", "quarantine"} <= set(analysed)
    never_analysed = warehouse_conn.execute(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' AND last_analyze IS NULL"
    ).fetchall()
    assert never_analysed == []


def test_raw_feeds_older_than_the_retention_are_pruned(tmp_path):
    raw = tmp_path / "data" / "raw" / "baoquocte"
    raw.mkdir(parents=True)
    old, recent = raw / "scheduled__old.jsonl", raw / "scheduled__recent.jsonl"
    for path in (old, recent, raw / "scheduled__old.loaded.json"):
        path.write_text("{}\n", encoding="utf-8")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(old, (ten_days_ago, ten_days_ago))
    os.utime(raw / "scheduled__old.loaded.json", (ten_days_ago, ten_days_ago))

    deleted = prune_raw_feeds(str(tmp_path / "data"), retention_days=7)

    assert sorted(deleted) == [str(raw / "scheduled__old.jsonl"), str(raw / "scheduled__old.loaded.json")]
    assert recent.exists() and not old.exists()
    later = datetime.now(UTC) + timedelta(days=8)
    assert prune_raw_feeds(str(tmp_path / "data"), retention_days=7, now=later) == [str(recent)]
    assert prune_raw_feeds(str(tmp_path / "missing"), retention_days=7) == []
