"""Each quality check against its thresholds, and the ingest_runs records they produce."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pipeline.load import FeedProfile, LoadSummary
from pipeline.quality import (
    backlog_check,
    check_run,
    empty_body_check,
    layer_drift_check,
    record_runs,
    run_counts,
)
from pipeline.settings import PipelineSettings, QualityThresholds

THRESHOLDS = QualityThresholds()
CRAWL_STARTED_AT = datetime(2026, 11, 28, 5, 0, 3, 250000, tzinfo=UTC)
LOAD_FINISHED_AT = datetime(2026, 11, 28, 5, 0, 6, tzinfo=UTC)
RUN_STARTED_AT = datetime(2026, 11, 28, 5, 0, 1, tzinfo=UTC)


def summary(  # noqa: PLR0913 - keyword defaults of a test factory
    source="baoquocte", *, records=40, short=0, rejects=None, layers=None, inserted=None
):
    return LoadSummary(
        source=source,
        run_key="run-q",
        dry_run=False,
        outcomes={"records": records, "inserted": records if inserted is None else inserted, "unchanged": 0},
        crawl_rejects=rejects or {},
        profile=FeedProfile(
            records=records,
            short_bodies=short,
            layers=layers if layers is not None else {"selector": records},
        ),
        crawl_seconds=2.0,
        load_seconds=0.5,
        crawl_started_at=CRAWL_STARTED_AT.isoformat(),
        load_finished_at=LOAD_FINISHED_AT.isoformat(),
    )


@pytest.mark.parametrize(
    ("short", "missing_body", "level"),
    [(0, 0, "ok"), (2, 0, "ok"), (3, 1, "warn"), (8, 4, "fail")],
)
def test_empty_body_rate_counts_short_bodies_and_pages_without_body(short, missing_body, level):
    check = empty_body_check(
        summary(records=40, short=short, rejects={"missing_body": missing_body}), THRESHOLDS
    )
    assert check.level == level
    assert check.value == pytest.approx((short + missing_body) / (40 + missing_body), abs=1e-4)


def test_empty_body_rate_needs_enough_pages():
    check = empty_body_check(summary(records=3, short=3), THRESHOLDS)
    assert (check.level, check.value) == ("ok", None)


def test_layer_drift_compares_the_mix_with_earlier_runs():
    history = [{"selector": 40}, {"selector": 38, "metadata": 2}]
    steady = layer_drift_check(summary(layers={"selector": 39, "metadata": 1}), history, THRESHOLDS)
    redesign = layer_drift_check(summary(layers={"selector": 10, "generic": 30}), history, THRESHOLDS)
    drifting = layer_drift_check(summary(layers={"selector": 28, "metadata": 12}), history, THRESHOLDS)

    assert steady.level == "ok"
    assert redesign.level == "fail" and redesign.value == pytest.approx(0.75, abs=1e-3)
    assert drifting.level == "warn"


def test_layer_drift_is_not_evaluated_without_history_or_volume():
    assert layer_drift_check(summary(layers={"generic": 40}), [], THRESHOLDS).value is None
    assert layer_drift_check(summary(layers={"generic": 5}), [{"selector": 40}], THRESHOLDS).value is None


def test_backlog_warns_and_fails_and_names_the_missing_model():
    assert backlog_check({"pending": 10}, THRESHOLDS, None).level == "ok"
    assert backlog_check({"pending": 900, "failed": 200}, THRESHOLDS, None).level == "warn"
    assert backlog_check({"pending": 30_000}, THRESHOLDS, None).level == "fail"
    waiting = backlog_check({"pending": 5}, THRESHOLDS, "install it with python -m translate install")
    assert waiting.level == "warn" and "python -m translate install" in waiting.message


def test_a_run_is_recorded_per_source_with_its_status(warehouse_conn):
    settings = replace(PipelineSettings(), quality=replace(THRESHOLDS, backlog_warn=10_000))
    summaries = {"baoquocte": summary(records=40, short=5), "broken": None}

    report = check_run("run-q", summaries, conn=warehouse_conn, settings=settings)
    recording = datetime.now(UTC)
    record_runs(warehouse_conn, report, summaries, run_started_at=RUN_STARTED_AT.isoformat())

    rows = {
        source: (status, counts, errors)
        for source, status, counts, errors in warehouse_conn.execute(
            "SELECT source, status, counts, errors FROM ingest_runs WHERE run_key = 'run-q'"
        )
    }
    times = {
        source: (started, finished)
        for source, started, finished in warehouse_conn.execute(
            "SELECT source, started_at, finished_at FROM ingest_runs WHERE run_key = 'run-q'"
        )
    }
    assert times["baoquocte"] == (CRAWL_STARTED_AT, LOAD_FINISHED_AT)
    assert times["broken"][0] == RUN_STARTED_AT
    assert times["broken"][1] >= recording
    assert report.level == "warn"
    assert rows["broken"][0] == "failed"
    assert rows["broken"][2][0]["check"] == "crawl_failed"
    status, counts, errors = rows["baoquocte"]
    assert status == "partial"
    assert counts == run_counts(summaries["baoquocte"])
    assert counts["layer_selector"] == 40 and counts["short_bodies"] == 5
    assert [error["check"] for error in errors] == ["empty_body_rate"]


def test_earlier_runs_are_the_drift_baseline(warehouse_conn):
    for run in ("run-a", "run-b"):
        earlier = replace(summary(layers={"selector": 40}), run_key=run)
        report = check_run(run, {"baoquocte": earlier}, conn=warehouse_conn)
        record_runs(warehouse_conn, report, {"baoquocte": earlier})

    redesign = summary(layers={"selector": 5, "generic": 35})
    report = check_run("run-c", {"baoquocte": redesign}, conn=warehouse_conn)

    (drift,) = [check for check in report.checks if check.name == "extraction_layer_drift"]
    assert drift.level == "fail"
    assert report.level == "fail"


def test_when_every_source_failed_the_run_fails():
    report = check_run("run-x", {"baoquocte": None}, conn=None)
    assert report.level == "fail"
