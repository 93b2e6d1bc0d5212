"""One function per DAG task: plain JSON in, plain JSON out (only references and counts travel
through XCom). The DAG files wire these together; everything here runs and is tested without
Airflow."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from pipeline import maintenance
from pipeline.crawl import CrawlRequest, FeedReference, crawl_source
from pipeline.errors import PermanentError
from pipeline.load import load_crawled_feed, stored_summaries
from pipeline.plan import RunOptions, available_sources, run_options
from pipeline.quality import check_run, record_runs
from pipeline.retranslate import RetranslationScope, mark_pending, scope_from_params
from pipeline.settings import PipelineSettings
from pipeline.translation_batches import INSTALL_HINT, installed_package_pairs, plan_batches, translate_batch
from warehouse.db import connect, one_value
from warehouse.sqlfile import statement

log = logging.getLogger(__name__)


def options(params: Mapping, settings: PipelineSettings | None = None) -> RunOptions:
    settings = settings or PipelineSettings.from_env()
    return run_options(params, available_sources(settings), default_max_articles=settings.max_articles)


def select_sources(params: Mapping, run_key: str) -> list[dict]:
    """The crawl requests of this run, one per selected source."""
    return [request.as_dict() for request in options(params).crawl_requests(run_key)]


def crawl(request: Mapping) -> dict:
    return crawl_source(CrawlRequest.from_dict(dict(request))).as_dict()


def load(reference: Mapping, params: Mapping) -> dict:
    summary = load_crawled_feed(FeedReference.from_dict(dict(reference)), dry_run=options(params).dry_run)
    return {"source": summary.source, "outcomes": summary.outcomes}


def plan_translation(params: Mapping) -> list[dict]:
    """Queue forced re-translations, then plan the translation batches (none in a dry run)."""
    run = options(params)
    if run.dry_run:
        return []
    settings = PipelineSettings.from_env()
    with connect() as conn:
        if run.force_retranslate:
            mark_pending(
                conn,
                RetranslationScope(
                    sources=run.sources,
                    since=run.since,
                    until=run.until,
                    target_language=settings.target_language,
                    everything=True,
                ),
            )
        return plan_batches(conn, settings)


def translate(batch: Mapping) -> dict:
    return translate_batch(dict(batch))


def check_quality(params: Mapping, run_key: str, run_started_at: str | None = None) -> dict:
    """Run the quality checks, record ``ingest_runs`` (not in a dry run) and return the report;
    raises ``PermanentError`` after recording when a check fails, except in a dry run, which only
    reports (and logs) the checks a real run would fail on. ``run_started_at`` (ISO 8601): when
    the DAG run started, the start recorded for a source that has no crawl of its own to show."""
    run = options(params)
    settings = PipelineSettings.from_env()
    summaries = stored_summaries(run_key, list(run.sources), dry_run=run.dry_run, settings=settings)
    with connect() as conn:
        note = None if run.dry_run or installed_package_pairs() else INSTALL_HINT
        report = check_run(
            run_key, summaries, conn=conn, dry_run=run.dry_run, translation_note=note, settings=settings
        )
        if not run.dry_run:
            record_runs(conn, report, summaries, run_started_at=run_started_at)
    result = report.as_dict()
    failed = [check for check in result["checks"] if check["level"] == "fail"]
    findings = "; ".join(
        f"{check['name']} {check.get('source') or ''}: {check['message']}" for check in failed
    )
    if failed and run.dry_run:
        # A dry run reports what a real run would fail on; it writes nothing, so it fails nothing.
        log.warning("dry run: these data-quality checks would fail a real run: %s", findings)
    elif failed:
        raise PermanentError(f"data-quality checks failed (recorded in ingest_runs): {findings}")
    return result


def articles_changed(params: Mapping, run_key: str, run_started_at: str) -> dict:
    """What a run changed in the warehouse: articles inserted or updated by its loads, translations
    stored since it started. A dry run changes nothing."""
    run = options(params)
    if run.dry_run:
        return {"articles_changed": 0, "translations_added": 0}
    summaries = stored_summaries(run_key, list(run.sources))
    loaded = sum(
        summary.outcomes.get("inserted", 0) + summary.outcomes.get("updated", 0)
        for summary in summaries.values()
        if summary is not None
    )
    with connect() as conn:
        translated = one_value(
            conn.execute(statement("pipeline/translations_since.sql"), {"since": run_started_at})
        )
    return {"articles_changed": loaded, "translations_added": translated}


def report_failures() -> None:
    """Called only when some task of the run failed: fails the run without a retry."""
    raise PermanentError(
        "a task of this run failed after its retries; the failed sources are recorded in ingest_runs "
        "with status 'failed' and the error of each failed task is in its log"
    )


def retranslate(params: Mapping) -> dict:
    settings = PipelineSettings.from_env()
    scope = scope_from_params(
        model_id=params.get("model_id"),
        model_version=params.get("model_version"),
        since=params.get("since"),
        until=params.get("until"),
        sources=params.get("sources") or (),
        target_language=settings.target_language,
        everything=bool(params.get("everything", False)),
    )
    with connect() as conn:
        return {"marked_pending": mark_pending(conn, scope)}


def link_stories(params: Mapping) -> dict:
    """Sign the English translations made since the last run, so English editions join their
    originals' stories (new articles were signed at load time)."""
    from warehouse.stories import sign_pending_translations

    if options(params).dry_run:
        return {"skipped": "dry run"}
    with connect() as conn:
        update = sign_pending_translations(conn)
        conn.commit()
    return update.as_dict()


def rebuild_stories(params: Mapping) -> dict:
    """Every story from scratch when the ``rebuild_stories`` param asks for it (after a change of
    ``NEWS_STORY_THRESHOLD``); the log shows the progress."""
    from warehouse.stories import rebuild_stories as rebuild

    if not params.get("rebuild_stories"):
        return {"skipped": "rebuild_stories is off"}

    def report(done: int, total: int) -> None:
        log.info("stories rebuild: %d/%d steps (%.0f%%)", done, total, 100 * done / max(total, 1))

    with connect() as conn:
        return rebuild(conn, progress=report).as_dict()


def retry_quarantined() -> dict:
    settings = PipelineSettings.from_env()
    with connect() as conn:
        return maintenance.retry_quarantined(
            conn, settings.quarantine_max_attempts, settings.target_language
        ).as_dict()


def analyze_tables() -> list[str]:
    with connect() as conn:
        return maintenance.analyze_tables(conn)


def prune_raw_feeds() -> int:
    settings = PipelineSettings.from_env()
    return len(maintenance.prune_raw_feeds(settings.data_uri, settings.raw_retention_days))
