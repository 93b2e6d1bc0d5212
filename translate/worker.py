"""The pipeline's translation stage: claim pending articles, translate them, store paragraph-aligned
translations. Any number of workers may run at once: claims use ``FOR UPDATE SKIP LOCKED`` and are
committed before translating, and results are written only while the claim still holds.

A claim belongs to the claiming database session: the worker holds a session-level advisory lock on a
random claim token written on every row it claims. When the worker dies (SIGKILL, crash, dropped
connection; a vanished machine once the server's TCP keepalives notice) PostgreSQL ends the session
and releases the lock, and the next worker recovers the rows at once; a live worker's claims are never
taken, however slow it is. ``claim_timeout`` only applies to claims made without a token (before
migration 005).
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

from translate.cache import PostgresSentenceCache, read_sql
from translate.engine import DocumentTranslation, Engine, SourceDocument

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=30)
MAX_ATTEMPTS = 3
_ENGINE_COUNTERS = (
    "sentences",
    "unique_sentences",
    "bypassed",
    "cache_hits",
    "model_sentences",
    "model_calls",
)


def translate_pending(
    conn: psycopg.Connection,
    engine: Engine,
    *,
    batch_size: int = 16,
    target_language: str = "en",
    limit: int | None = None,
    force: bool = False,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
    max_attempts: int = MAX_ATTEMPTS,
) -> dict[str, int]:
    """Translate pending articles in claimed batches until none are left (or ``limit`` articles were
    claimed) and return counts: original (already in the target language, finished without a model),
    claimed, done, skipped, failed, batches and the engine's sentence counters for this call
    (sentences, unique_sentences, bypassed, cache_hits, model_sentences, model_calls).

    ``force`` also re-translates articles that are done, skipped or failed (each at most once per
    call); the sentence cache on ``conn`` still answers every sentence it already knows for the
    installed model version. ``conn`` must not be in autocommit mode: this function commits.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    claim_token = secrets.randbelow(2**62) + 1
    conn.execute(read_sql("hold_claim_token.sql"), {"claim_token": claim_token})
    conn.commit()
    try:
        return _translate_claimed_batches(
            conn,
            engine,
            claim_token=claim_token,
            batch_size=batch_size,
            target_language=target_language,
            limit=limit,
            force=force,
            claim_timeout=claim_timeout,
            max_attempts=max_attempts,
        )
    finally:
        if not conn.closed and not conn.broken:
            conn.rollback()
            conn.execute(read_sql("release_claim_token.sql"), {"claim_token": claim_token})
            conn.commit()


def _translate_claimed_batches(
    conn: psycopg.Connection,
    engine: Engine,
    *,
    claim_token: int,
    batch_size: int,
    target_language: str,
    limit: int | None,
    force: bool,
    claim_timeout: timedelta,
    max_attempts: int,
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    before = engine.stats.as_dict()
    cache = PostgresSentenceCache(conn)
    counts["original"] += finish_originals(conn, target_language)
    with conn.cursor() as cursor:
        cursor.execute(
            read_sql("fail_abandoned.sql"), {"claim_timeout": claim_timeout, "max_attempts": max_attempts}
        )
        counts["failed"] += cursor.rowcount
        cursor.execute("SELECT clock_timestamp()")
        run_started_at = cursor.fetchone()[0]
    conn.commit()
    while limit is None or counts["claimed"] < limit:
        wanted = batch_size if limit is None else min(batch_size, limit - counts["claimed"])
        claimed = _claim(
            conn,
            wanted,
            claim_token=claim_token,
            force=force,
            run_started_at=run_started_at,
            claim_timeout=claim_timeout,
            max_attempts=max_attempts,
        )
        if not claimed:
            break
        counts["claimed"] += len(claimed)
        counts["batches"] += 1
        for status, total in _translate_batch(conn, engine, claimed, target_language, cache).items():
            counts[status] += total
    after = engine.stats.as_dict()
    for name in _ENGINE_COUNTERS:
        counts[name] = after[name] - before[name]
    return {
        name: counts[name]
        for name in ("original", "claimed", "done", "skipped", "failed", "batches", *_ENGINE_COUNTERS)
    }


def finish_originals(conn: psycopg.Connection, target_language: str) -> int:
    """Finish pending articles already in ``target_language`` as ``original`` (no model involved);
    returns how many. Commits."""
    with conn.cursor() as cursor:
        cursor.execute(read_sql("finish_originals.sql"), {"target_language": target_language})
        finished = cursor.rowcount
    conn.commit()
    return finished


def _claim(
    conn: psycopg.Connection,
    batch_size: int,
    *,
    claim_token: int,
    force: bool,
    run_started_at: datetime,
    claim_timeout: timedelta,
    max_attempts: int,
) -> list[dict[str, Any]]:
    with conn.cursor() as cursor:
        cursor.execute(
            read_sql("claim_pending.sql"),
            {
                "batch_size": batch_size,
                "claim_token": claim_token,
                "force": force,
                "run_started_at": run_started_at,
                "claim_timeout": claim_timeout,
                "max_attempts": max_attempts,
            },
        )
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    conn.commit()
    return sorted(rows, key=lambda row: row["article_id"])


def _document(row: dict[str, Any]) -> SourceDocument:
    return SourceDocument(
        key=str(row["article_id"]),
        title=row["title"],
        lead=row["lead"],
        body=tuple(block["text"] for block in row["body"]),
        captions=tuple(image.get("caption") for image in row["images"]),
        language=row["language"],
    )


def _translate_batch(
    conn: psycopg.Connection,
    engine: Engine,
    claimed: list[dict[str, Any]],
    target_language: str,
    cache: PostgresSentenceCache,
) -> Counter[str]:
    documents = [_document(row) for row in claimed]
    outcome: Counter[str] = Counter()
    try:
        results = engine.translate_documents(documents, target_language, cache=cache)
        for row, result in zip(claimed, results, strict=True):
            outcome[_store(conn, row, result)] += 1
        conn.commit()
    except Exception as error:
        conn.rollback()
        log.warning("batch of %d articles failed (%s); retrying one by one", len(claimed), error)
        return _translate_one_by_one(conn, engine, claimed, target_language, cache)
    return outcome


def _translate_one_by_one(
    conn: psycopg.Connection,
    engine: Engine,
    claimed: list[dict[str, Any]],
    target_language: str,
    cache: PostgresSentenceCache,
) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for row in claimed:
        document = _document(row)
        try:
            (result,) = engine.translate_documents([document], target_language, cache=cache)
            status = _store(conn, row, result)
        except Exception as error:
            conn.rollback()
            status = "failed"
            _finish(conn, row, "failed", f"{type(error).__name__}: {error}"[:2000])
        conn.commit()
        outcome[status] += 1
    return outcome


def _store(conn: psycopg.Connection, row: dict[str, Any], result: DocumentTranslation) -> str:
    if result.status == "passthrough":
        # note: set when the text, not the declared language, showed the article is in the target.
        _finish(conn, row, "original", result.note)
        return "original"
    if result.status != "translated":
        _finish(conn, row, "skipped", result.note)
        return "skipped"
    with conn.cursor() as cursor:
        cursor.execute(
            read_sql("store_translation.sql"),
            {
                "article_id": row["article_id"],
                "content_hash": row["content_hash"],
                "claimed_at": row["translation_claimed_at"],
                "target_language": result.target_language,
                "model_id": result.model_id,
                "model_version": result.model_version,
                "source_language": result.source_language,
                "title": result.title,
                "lead": result.lead,
                "body": Jsonb(list(result.body)),
                "captions": Jsonb(list(result.captions)),
            },
        )
    # a translated article's note (paragraphs left untranslated, a declared language the text overrode)
    _finish(conn, row, "done", result.note)
    return "done"


def _finish(conn: psycopg.Connection, row: dict[str, Any], status: str, error: str | None) -> None:
    with conn.cursor() as cursor:
        cursor.execute(
            read_sql("finish_article.sql"),
            {
                "article_id": row["article_id"],
                "content_hash": row["content_hash"],
                "claimed_at": row["translation_claimed_at"],
                "status": status,
                "error": error,
            },
        )
