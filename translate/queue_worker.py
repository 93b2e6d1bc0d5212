"""Translate articles from the translation queue: claim a batch (``warehouse.translation_queue``),
translate it with the engine, store paragraph-aligned translations and finish each claim. Any number of
workers may run at once: claims use ``FOR UPDATE SKIP LOCKED`` and are committed before translating,
and results are written only while the claim still holds. Claims belong to the worker's database
session (see ``warehouse.translation_queue``), so a dead worker's articles are claimed again at once.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from translate.cache import PostgresSentenceCache
from translate.engine import DocumentTranslation, Engine, SourceDocument
from warehouse import translation_queue as queue
from warehouse.record import DEFAULT_TARGET_LANGUAGE
from warehouse.translation_queue import ArticleTranslation, ClaimedArticle, ClaimLimits

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

_ENGINE_COUNTERS = (
    "sentences",
    "unique_sentences",
    "bypassed",
    "cache_hits",
    "model_sentences",
    "model_calls",
)


def translate_pending(  # noqa: PLR0913 - keyword-only options of the worker (CLI and DAG)
    conn: psycopg.Connection,
    engine: Engine,
    limits: ClaimLimits,
    *,
    articles_per_claim: int = 16,
    target_language: str = DEFAULT_TARGET_LANGUAGE,
    limit: int | None = None,
    force: bool = False,
) -> dict[str, int]:
    """Translate pending articles, claimed ``articles_per_claim`` at a time, until none are left (or
    ``limit`` articles were claimed) and return counts: original (already in the target language,
    finished without a model), claimed, done, skipped, failed, batches and the engine's sentence
    counters for this call (sentences, unique_sentences, bypassed, cache_hits, model_sentences,
    model_calls). ``limits``: the queue's claim timeout and attempts (``PipelineSettings.claim_limits()``).

    ``force`` also re-translates articles that are done, skipped or failed (each at most once per
    call); the sentence cache on ``conn`` still answers every sentence it already knows for the
    installed model version. ``conn`` must not be in autocommit mode: this function commits.
    """
    if articles_per_claim < 1:
        raise ValueError("articles_per_claim must be at least 1")
    with queue.claim_token(conn) as token:
        return _translate_claimed_batches(
            conn,
            engine,
            limits,
            token=token,
            articles_per_claim=articles_per_claim,
            target_language=target_language,
            limit=limit,
            force=force,
        )


def _translate_claimed_batches(  # noqa: PLR0913 - translate_pending's options, passed on
    conn: psycopg.Connection,
    engine: Engine,
    limits: ClaimLimits,
    *,
    token: int,
    articles_per_claim: int,
    target_language: str,
    limit: int | None,
    force: bool,
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    before = engine.stats.as_dict()
    cache = PostgresSentenceCache(conn)
    counts["original"] += queue.finish_originals(conn, target_language)
    counts["failed"] += queue.fail_abandoned_claims(conn, limits)
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    run_started_at = row[0]
    conn.commit()
    while limit is None or counts["claimed"] < limit:
        wanted = articles_per_claim if limit is None else min(articles_per_claim, limit - counts["claimed"])
        claimed = queue.claim(conn, wanted, limits, token=token, force=force, run_started_at=run_started_at)
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


def _document(article: ClaimedArticle) -> SourceDocument:
    return SourceDocument(
        key=str(article.article_id),
        title=article.title,
        lead=article.lead,
        body=tuple(block["text"] for block in article.body),
        captions=tuple(image.get("caption") for image in article.images),
        language=article.language,
    )


def _translate_batch(
    conn: psycopg.Connection,
    engine: Engine,
    claimed: list[ClaimedArticle],
    target_language: str,
    cache: PostgresSentenceCache,
) -> Counter[str]:
    documents = [_document(article) for article in claimed]
    outcome: Counter[str] = Counter()
    try:
        results = engine.translate_documents(documents, target_language, cache=cache)
        for article, result in zip(claimed, results, strict=True):
            outcome[_store(conn, article, result)] += 1
        conn.commit()
    except Exception as error:
        conn.rollback()
        log.warning("batch of %d articles failed (%s); retrying one by one", len(claimed), error)
        return _translate_one_by_one(conn, engine, claimed, target_language, cache)
    return outcome


def _translate_one_by_one(
    conn: psycopg.Connection,
    engine: Engine,
    claimed: list[ClaimedArticle],
    target_language: str,
    cache: PostgresSentenceCache,
) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for article in claimed:
        document = _document(article)
        try:
            (result,) = engine.translate_documents([document], target_language, cache=cache)
            status = _store(conn, article, result)
        except Exception as error:
            conn.rollback()
            status = "failed"
            queue.finish(conn, article, "failed", f"{type(error).__name__}: {error}"[:2000])
        conn.commit()
        outcome[status] += 1
    return outcome


def _store(conn: psycopg.Connection, article: ClaimedArticle, result: DocumentTranslation) -> str:
    if result.status == "passthrough":
        # note: set when the text, not the declared language, showed the article is in the target.
        queue.finish(conn, article, "original", result.note)
        return "original"
    if result.status != "translated":
        queue.finish(conn, article, "skipped", result.note)
        return "skipped"
    assert result.model_id and result.model_version, "a translated document names its model"
    translation = ArticleTranslation(
        target_language=result.target_language,
        model_id=result.model_id,
        model_version=result.model_version,
        source_language=result.source_language,
        title=result.title,
        lead=result.lead,
        body=result.body,
        captions=result.captions,
    )
    queue.store_translation(conn, article, translation)
    # a translated article's note (paragraphs left untranslated, a declared language the text overrode)
    queue.finish(conn, article, "done", result.note)
    return "done"
