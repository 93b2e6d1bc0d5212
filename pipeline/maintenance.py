"""Daily upkeep: retry quarantined records that can be retried, refresh planner statistics, and
prune raw feeds older than the retention setting (``NEWS_RAW_RETENTION_DAYS``)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg import sql
from upath import UPath

from pipeline.storage import RAW_FOLDER, data_root
from warehouse.record import DEFAULT_TARGET_LANGUAGE
from warehouse.sqlfile import statement

log = logging.getLogger(__name__)


@dataclass(slots=True)
class QuarantineRetry:
    retried: int = 0
    resolved: int = 0
    still_failing: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def retry_quarantined(
    conn: psycopg.Connection, max_attempts: int, target_language: str = DEFAULT_TARGET_LANGUAGE
) -> QuarantineRetry:
    """Give quarantined load-stage records another chance: each goes through the loader again and
    resolves when it loads now; otherwise the loader re-quarantines it (one more attempt). Records at
    ``max_attempts`` stay open for a person to look at. Crawl-stage records are not retried here: the
    next crawl fetches their pages again. (A failed translation is not quarantined: the article keeps
    ``translation_status = 'failed'`` with its error, and ``news_retranslate`` queues it again.)"""
    from warehouse.loader import load_feed

    outcome = QuarantineRetry()
    rows = conn.execute(
        statement("pipeline/retryable_quarantine.sql"), {"max_attempts": max_attempts}
    ).fetchall()
    conn.commit()
    for quarantine_id, raw in rows:
        outcome.retried += 1
        if load_feed(conn, [raw], target_language=target_language).quarantined == 0:
            conn.execute(statement("pipeline/resolve_quarantine.sql"), {"quarantine_id": quarantine_id})
            outcome.resolved += 1
        else:
            outcome.still_failing += 1
        conn.commit()
    log.info("quarantine retry: %s", outcome)
    return outcome


def analyze_tables(conn: psycopg.Connection) -> list[str]:
    """``ANALYZE`` every warehouse table; returns their names."""
    tables = [table for (table,) in conn.execute(statement("warehouse/tables.sql")).fetchall()]
    for table in tables:
        conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("public", table)))
    conn.commit()
    return tables


def prune_raw_feeds(data_uri: str, retention_days: int, now: datetime | None = None) -> list[str]:
    """Delete stored feed files (and their rejects, stats and summaries) last modified more than
    ``retention_days`` ago; returns the deleted URIs."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    raw = data_root(data_uri) / RAW_FOLDER
    if not raw.exists():
        return []
    deleted = []
    for path in sorted(_files(raw), key=str):
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff:
            path.unlink()
            deleted.append(str(path))
    log.info("pruned %d raw files older than %d days under %s", len(deleted), retention_days, raw)
    return deleted


def _files(folder: UPath) -> list[UPath]:
    files = []
    for path in folder.iterdir():
        if path.is_dir():
            files.extend(_files(path))
        else:
            files.append(path)
    return files
