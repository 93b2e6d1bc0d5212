"""The translation queue: the one owner of ``articles.translation_status`` and its claim columns.

An article waits as ``pending``; a worker claims it (``in_progress``, with its claim token and an
attempt more), translates it and finishes it as ``done``, ``original``, ``skipped`` or ``failed``.
Which articles are claimable is defined once, in ``sql/queue/claimable.sql``: ``claim`` and
``claimable_count`` both embed it, so planning counts exactly what the workers claim.

A claim belongs to the claiming database session: the worker holds a session-level advisory lock on a
random claim token (``claim_token``) written on every row it claims. When the worker dies PostgreSQL
ends the session and releases the lock, and the next ``claim`` takes the rows back at once while
attempts remain (``fail_abandoned_claims`` fails them after the last one); a live worker's claims are
never taken, however slow it is. ``ClaimLimits.claim_timeout`` only applies to claims made without a
token (before migration 005).

The loader owns the other way into the queue: a new or changed article starts as ``pending`` (or
``original``) in ``sql/load/``. Statements live in ``sql/queue/``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from warehouse.sqlfile import statement

FinishedStatus = Literal["done", "original", "skipped", "failed"]
# What still waits for the translation stage (the quality check's backlog).
WAITING_STATUSES = ("pending", "in_progress", "failed")


@dataclass(frozen=True, slots=True)
class ClaimLimits:
    """How long a claim without a token lasts and how many claims an article gets before it fails
    (``NEWS_TRANSLATION_CLAIM_TIMEOUT_SECONDS``, ``NEWS_TRANSLATION_MAX_ATTEMPTS``)."""

    claim_timeout: timedelta
    max_attempts: int

    def __post_init__(self) -> None:
        if self.claim_timeout < timedelta(0):
            raise ValueError(f"claim_timeout must not be negative, got {self.claim_timeout}")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")


@dataclass(frozen=True, slots=True)
class ClaimedArticle:
    """One claimed article: what the engine translates, and the claim that must still hold when its
    result is written (``article_id``, ``content_hash``, ``claimed_at``)."""

    article_id: int
    content_hash: str
    claimed_at: datetime
    title: str
    lead: str | None
    body: list[dict[str, Any]]
    images: list[dict[str, Any]]
    language: str | None


@dataclass(frozen=True, slots=True)
class ArticleTranslation:
    """A translation to store for a claimed article, paragraph-aligned with its body and images."""

    target_language: str
    model_id: str
    model_version: str
    source_language: str
    title: str
    lead: str | None
    body: Sequence[str]
    captions: Sequence[str | None]


@contextmanager
def claim_token(conn: psycopg.Connection) -> Iterator[int]:
    """A fresh claim token, held as a session-level advisory lock on ``conn`` until the block ends (or
    the session does, however it ends). Commits."""
    token = secrets.randbelow(2**62) + 1
    conn.execute(statement("queue/hold_claim_token.sql"), {"claim_token": token})
    conn.commit()
    try:
        yield token
    finally:
        if not conn.closed and not conn.broken:
            conn.rollback()
            conn.execute(statement("queue/release_claim_token.sql"), {"claim_token": token})
            conn.commit()


def claim(  # noqa: PLR0913 - the claim statement's parameters
    conn: psycopg.Connection,
    articles: int,
    limits: ClaimLimits,
    *,
    token: int,
    force: bool = False,
    run_started_at: datetime | None = None,
) -> list[ClaimedArticle]:
    """Claim up to ``articles`` claimable articles for the holder of ``token``, oldest crawl first;
    returns them by article id. ``force`` also claims finished articles not claimed since
    ``run_started_at``. Commits, so the claim is visible before the translating starts."""
    if force and run_started_at is None:
        raise ValueError("a forced claim needs run_started_at, or it would claim the same article again")
    with conn.cursor() as cursor:
        cursor.execute(
            _with_claimable("claim"),
            {
                **_claimable_parameters(limits, force=force, run_started_at=run_started_at),
                "articles": articles,
                "claim_token": token,
            },
        )
        rows = cursor.fetchall()
    conn.commit()
    claimed = [
        ClaimedArticle(
            article_id=article_id,
            title=title,
            lead=lead,
            body=body,
            images=images,
            language=language,
            content_hash=content_hash,
            claimed_at=claimed_at,
        )
        for article_id, title, lead, body, images, language, content_hash, claimed_at in rows
    ]
    return sorted(claimed, key=lambda article: article.article_id)


def claimable_count(conn: psycopg.Connection, limits: ClaimLimits) -> int:
    """How many articles ``claim`` would hand out now (without ``force``)."""
    row = conn.execute(
        _with_claimable("claimable_count"), _claimable_parameters(limits, force=False, run_started_at=None)
    ).fetchone()
    assert row is not None
    return int(row[0])


def store_translation(
    conn: psycopg.Connection, article: ClaimedArticle, translation: ArticleTranslation
) -> None:
    """Write ``article``'s translation while its claim still holds (a re-crawl that changed the article
    has made it pending again, and then nothing is written). Does not commit."""
    conn.execute(
        statement("queue/store_translation.sql"),
        {
            **_claim_parameters(article),
            "target_language": translation.target_language,
            "model_id": translation.model_id,
            "model_version": translation.model_version,
            "source_language": translation.source_language,
            "title": translation.title,
            "lead": translation.lead,
            "body": Jsonb(list(translation.body)),
            "captions": Jsonb(list(translation.captions)),
        },
    )


def finish(
    conn: psycopg.Connection, article: ClaimedArticle, status: FinishedStatus, note: str | None
) -> bool:
    """Close the claim on ``article`` as ``status`` with ``note`` (the error of a failure, what was left
    untranslated); returns whether the claim still held. Does not commit."""
    cursor = conn.execute(
        statement("queue/finish.sql"), {**_claim_parameters(article), "status": status, "error": note}
    )
    return cursor.rowcount == 1


def fail_abandoned_claims(conn: psycopg.Connection, limits: ClaimLimits) -> int:
    """Stale-claim recovery for articles out of attempts: a claim whose worker is gone after the last
    allowed attempt (the article keeps crashing its worker) becomes ``failed``; returns how many.
    Abandoned claims with attempts left need nothing here: ``claim`` takes them again. Commits."""
    with conn.cursor() as cursor:
        cursor.execute(
            statement("queue/fail_abandoned.sql"),
            {"claim_timeout": limits.claim_timeout, "max_attempts": limits.max_attempts},
        )
        failed = cursor.rowcount
    conn.commit()
    return failed


def finish_originals(conn: psycopg.Connection, target_language: str) -> int:
    """Finish pending articles already in ``target_language`` as ``original`` (no model involved);
    returns how many. Commits."""
    with conn.cursor() as cursor:
        cursor.execute(statement("queue/finish_originals.sql"), {"target_language": target_language})
        finished = cursor.rowcount
    conn.commit()
    return finished


def mark_pending(  # noqa: PLR0913 - keyword-only filters of a retranslation scope
    conn: psycopg.Connection,
    *,
    target_language: str,
    sources: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    model_id: str | None = None,
    model_version: str | None = None,
) -> int:
    """Put finished articles (``done``, ``failed``, ``skipped``) back in the queue with a fresh attempts
    budget; returns how many changed. Every filter narrows: ``sources``, ``published_at`` in
    ``[since, until)``, a current ``target_language`` translation by ``model_id`` (and
    ``model_version``). Claimed and already pending articles are left alone. Commits."""
    with conn.cursor() as cursor:
        cursor.execute(
            statement("queue/mark_pending.sql"),
            {
                "sources": list(sources) or None,
                "since": since,
                "until": until,
                "model_id": model_id,
                "model_version": model_version,
                "target_language": target_language,
            },
        )
        marked = cursor.rowcount
    conn.commit()
    return marked


def status_counts(conn: psycopg.Connection, statuses: Sequence[str] | None = None) -> dict[str, int]:
    """Articles by translation status, in status order; only ``statuses`` when given (statuses no
    article has are absent)."""
    rows = conn.execute(
        statement("queue/status_counts.sql"), {"statuses": list(statuses) if statuses is not None else None}
    ).fetchall()
    return {status: articles for status, articles in rows}


def _with_claimable(name: str) -> sql.Composed:
    return statement(f"queue/{name}.sql").format(claimable=statement("queue/claimable.sql"))


def _claimable_parameters(
    limits: ClaimLimits, *, force: bool, run_started_at: datetime | None
) -> dict[str, object]:
    return {
        "claim_timeout": limits.claim_timeout,
        "max_attempts": limits.max_attempts,
        "force": force,
        "run_started_at": run_started_at,
    }


def _claim_parameters(article: ClaimedArticle) -> dict[str, object]:
    return {
        "article_id": article.article_id,
        "content_hash": article.content_hash,
        "claimed_at": article.claimed_at,
    }
