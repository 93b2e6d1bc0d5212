"""The translation stage of ``news_ingest`` in batches: plan batches of pending articles, translate
each batch (one mapped task each).

Planning only counts the queue (``warehouse.translation_queue``); each mapped translation task then
claims up to its share of pending articles (``translate.queue_worker``) with ``FOR UPDATE SKIP
LOCKED``, so any number of them may run at once, on any worker, without translating an article twice.
Articles already in the target language need no model: planning finishes any still pending as
``original`` first, package or not. When no translation package is installed the stage plans nothing
more: the other articles wait as ``pending`` and the quality report says how to install one.
"""

from __future__ import annotations

import logging
import math

import psycopg

from pipeline.settings import PipelineSettings
from warehouse import translation_queue as queue
from warehouse.db import connect

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "No translation package is installed, so articles wait as pending. Build and install the vi->en "
    "package with `python -m translate build-package --opus-mt RELEASE_DIR --from vi --to en "
    "--out vi_en.argosmodel --install` (or `python -m translate install vi_en.argosmodel`); the next "
    "run translates the backlog."
)


def plan_batches(conn: psycopg.Connection, settings: PipelineSettings | None = None) -> list[dict[str, int]]:
    """One batch descriptor per mapped translation task: enough batches of at most
    ``articles_per_translation_task`` articles for the queue, at most ``max_translation_tasks`` of
    them. The queue is spread evenly over the batches (212 pending at 50: five tasks of 43, not
    four of 50 and one of 12), so parallel workers finish together."""
    settings = settings or PipelineSettings.from_env()
    originals = queue.finish_originals(conn, settings.target_language)
    if originals:
        log.info(
            "%d pending articles are already in %s: finished as original", originals, settings.target_language
        )
    pending = queue.claimable_count(conn, settings.claim_limits())
    if not installed_package_pairs():
        log.warning("%s (%d articles pending)", INSTALL_HINT, pending)
        return []
    count = min(math.ceil(pending / settings.articles_per_translation_task), settings.max_translation_tasks)
    articles = min(settings.articles_per_translation_task, math.ceil(pending / count)) if count else 0
    log.info("%d articles pending translation: %d batches of up to %d", pending, count, articles)
    return [{"batch": index, "articles": articles} for index in range(count)]


def translate_batch(batch: dict[str, int], settings: PipelineSettings | None = None) -> dict[str, int]:
    """Claim and translate up to ``batch["articles"]`` pending articles; returns the worker's counts."""
    from translate.engine import Engine
    from translate.queue_worker import translate_pending

    settings = settings or PipelineSettings.from_env()
    engine = Engine()
    with connect() as conn:
        counts = translate_pending(
            conn,
            engine,
            settings.claim_limits(),
            limit=batch["articles"],
            target_language=settings.target_language,
        )
    log.info("translation batch %d: %s", batch["batch"], counts)
    return counts


def installed_package_pairs() -> list[str]:
    from translate.packages import installed_packages

    return [package.pair for package in installed_packages()]
