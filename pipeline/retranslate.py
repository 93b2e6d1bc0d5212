"""Put translated articles back in the queue: after a model upgrade (everything a model id/version
produced), or for a date window, or for some sources. The next translation stage of ``news_ingest``
picks them up; translations already stored stay until the new ones replace them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import psycopg

from pipeline.errors import PermanentError
from pipeline.plan import parse_date
from warehouse import translation_queue as queue
from warehouse.record import DEFAULT_TARGET_LANGUAGE

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetranslationScope:
    """Which articles to re-translate; every field narrows the selection, ``everything`` must be set
    to select all articles on purpose."""

    model_id: str | None = None
    model_version: str | None = None
    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    target_language: str = DEFAULT_TARGET_LANGUAGE
    everything: bool = False

    def __post_init__(self) -> None:
        if self.model_version and not self.model_id:
            raise PermanentError("a model version needs its model id")
        if self.since and self.until and self.since > self.until:
            raise PermanentError(f"since ({self.since}) is after until ({self.until})")
        narrowed = self.model_id or self.since or self.until or self.sources
        if not narrowed and not self.everything:
            raise PermanentError(
                "give a model id, a date window or sources to re-translate, or set everything=True "
                "to queue every article again"
            )


def mark_pending(conn: psycopg.Connection, scope: RetranslationScope) -> int:
    """Mark the articles in ``scope`` pending translation; returns how many changed. Commits."""
    marked = queue.mark_pending(
        conn,
        target_language=scope.target_language,
        sources=scope.sources,
        since=_start_of_day(scope.since),
        # until is inclusive: articles published on that day are included.
        until=_start_of_day(scope.until + timedelta(days=1)) if scope.until else None,
        model_id=scope.model_id,
        model_version=scope.model_version,
    )
    log.info("marked %d articles pending translation (%s)", marked, scope)
    return marked


def _start_of_day(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def scope_from_params(  # noqa: PLR0913 - one keyword per DAG param of news_retranslate
    *,
    model_id: str | None = None,
    model_version: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    sources: Sequence[str] = (),
    target_language: str = DEFAULT_TARGET_LANGUAGE,
    everything: bool = False,
) -> RetranslationScope:
    return RetranslationScope(
        model_id=model_id or None,
        model_version=model_version or None,
        since=parse_date("since", since),
        until=parse_date("until", until),
        sources=tuple(sources or ()),
        target_language=target_language,
        everything=everything,
    )
