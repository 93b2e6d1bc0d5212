from datetime import UTC, datetime, timedelta

import pytest

from warehouse.runs import finish_run, quarantine_record, start_run


def test_a_run_is_recorded_and_a_retry_of_the_same_key_reuses_its_row(warehouse_conn):
    run_id = start_run(warehouse_conn, "scheduled__2026-11-20T08:00", "baoquocte")
    finish_run(warehouse_conn, run_id, "failed", {"inserted": 1}, {"load": 0.5}, ["timeout"])

    retry_id = start_run(warehouse_conn, "scheduled__2026-11-20T08:00", "baoquocte")
    assert warehouse_conn.execute("SELECT status, finished_at FROM ingest_runs").fetchall() == [
        ("running", None)
    ]
    finish_run(warehouse_conn, retry_id, "success", {"inserted": 12, "quarantined": 1}, {"load": 1.25})

    assert retry_id == run_id
    assert warehouse_conn.execute(
        "SELECT run_key, source, status, counts, timings, errors, finished_at >= started_at FROM ingest_runs"
    ).fetchall() == [
        (
            "scheduled__2026-11-20T08:00",
            "baoquocte",
            "success",
            {"inserted": 12, "quarantined": 1},
            {"load": 1.25},
            [],
            True,
        )
    ]


def test_a_run_recorded_after_the_fact_keeps_its_real_span(warehouse_conn):
    started = datetime(2026, 11, 20, 8, 0, 5, tzinfo=UTC)
    finished = started + timedelta(minutes=3)
    run_id = start_run(warehouse_conn, "scheduled__2026-11-20T08:00", "baoquocte", started_at=started)
    finish_run(warehouse_conn, run_id, "success", {}, {}, finished_at=finished.isoformat())

    assert warehouse_conn.execute("SELECT started_at, finished_at FROM ingest_runs").fetchall() == [
        (started, finished)
    ]


def test_a_run_for_an_unknown_source_creates_the_source(warehouse_conn):
    start_run(warehouse_conn, "manual__1", "tuoitre")

    assert warehouse_conn.execute("SELECT name FROM sources WHERE source = 'tuoitre'").fetchone() == (
        "tuoitre",
    )


def test_finish_run_rejects_unknown_status_and_unknown_run(warehouse_conn):
    run_id = start_run(warehouse_conn, "manual__2", "baoquocte")
    with pytest.raises(ValueError, match="not one of"):
        finish_run(warehouse_conn, run_id, "ok", {}, {})
    with pytest.raises(LookupError, match="does not exist"):
        finish_run(warehouse_conn, run_id + 1000, "success", {}, {})


def test_quarantine_record_from_another_stage_bumps_attempts_and_reopens(warehouse_conn):
    record = {"article_id": 42, "paragraph": 3}
    first = quarantine_record(warehouse_conn, "translate", "baoquocte", record, "model produced empty output")
    warehouse_conn.execute("UPDATE quarantine SET resolved_at = now()")
    warehouse_conn.commit()

    second = quarantine_record(warehouse_conn, "translate", "baoquocte", record, "decoder timeout")
    same_record_other_stage = quarantine_record(warehouse_conn, "crawl", "baoquocte", record, "http 500")

    assert second == first != same_record_other_stage
    assert warehouse_conn.execute(
        "SELECT stage, record, attempts, reason, resolved_at FROM quarantine ORDER BY quarantine_id"
    ).fetchall() == [
        ("translate", record, 2, "decoder timeout", None),
        ("crawl", record, 1, "http 500", None),
    ]
    with pytest.raises(ValueError, match="stage"):
        quarantine_record(warehouse_conn, "publish", None, "x", "y")
