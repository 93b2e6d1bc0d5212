"""Records of pipeline activity other parts write: ingest runs and quarantined records.

Each function is atomic: it commits when ``conn`` has no transaction open, and otherwise becomes a
savepoint of the caller's transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, get_args

import psycopg
from psycopg.types.json import Jsonb

from warehouse.sqlfile import statement

RunStatus = Literal["running", "success", "partial", "failed", "skipped"]
QuarantineStage = Literal["crawl", "load", "translate"]
RUN_STATUSES: frozenset[str] = frozenset(get_args(RunStatus))
QUARANTINE_STAGES: frozenset[str] = frozenset(get_args(QuarantineStage))


def start_run(
    conn: psycopg.Connection, run_key: str, source: str, *, started_at: datetime | str | None = None
) -> int:
    """Open (or re-open, for a retry of the same ``run_key``) the run of one source; returns run_id.

    ``started_at`` defaults to now; pass the real start when the run is recorded after the fact. An
    unknown source gets a ``sources`` row named after itself.
    """
    with conn.transaction():
        conn.execute(statement("runs/ensure_source.sql"), {"source": source})
        row = conn.execute(
            statement("runs/start_run.sql"), {"run_key": run_key, "source": source, "started_at": started_at}
        ).fetchone()
    assert row is not None
    return int(row[0])


def finish_run(  # noqa: PLR0913, PLR0917 - positional signature is the shared contract other parts call
    conn: psycopg.Connection,
    run_id: int,
    status: RunStatus,
    counts: Mapping[str, int],
    timings: Mapping[str, float],
    errors: Sequence[str | Mapping[str, Any]] = (),
    *,
    finished_at: datetime | str | None = None,
) -> None:
    """Close a run with its outcome counts (e.g. ``LoadResult.counts()``), timings and errors;
    ``finished_at`` defaults to now."""
    if status not in RUN_STATUSES:
        raise ValueError(f"run status {status!r} is not one of {sorted(RUN_STATUSES)}")
    with conn.transaction():
        row = conn.execute(
            statement("runs/finish_run.sql"),
            {
                "run_id": run_id,
                "status": status,
                "counts": Jsonb(dict(counts)),
                "timings": Jsonb(dict(timings)),
                "errors": Jsonb(list(errors)),
                "finished_at": finished_at,
            },
        ).fetchone()
    if row is None:
        raise LookupError(f"ingest run {run_id} does not exist; start it with start_run() first")


def quarantine_record(
    conn: psycopg.Connection,
    stage: QuarantineStage,
    source: str | None,
    record: str | Mapping[str, Any],
    reason: str,
) -> int:
    """Put a record that cannot go further into ``quarantine``; returns its ``quarantine_id``.

    ``record`` is the raw text as received or a JSON-serialisable mapping. The same record at the
    same stage again bumps ``attempts`` and ``last_seen`` instead of adding a row.
    """
    if stage not in QUARANTINE_STAGES:
        raise ValueError(f"quarantine stage {stage!r} is not one of {sorted(QUARANTINE_STAGES)}")
    raw = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False, sort_keys=True)
    raw = storable_text(raw.rstrip("\r\n"))
    with conn.transaction():
        row = conn.execute(
            statement("runs/quarantine_record.sql"),
            {
                "source": source,
                "stage": stage,
                "record": _as_json(raw),
                "raw": raw,
                "record_hash": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
                "reason": storable_text(reason),
            },
        ).fetchone()
    assert row is not None
    return int(row[0])


def storable_text(text: str) -> str:
    """``text`` as PostgreSQL can store it: NUL becomes U+FFFD, a byte that was not UTF-8 (decoded
    with ``surrogateescape``) becomes a visible ``\\xNN``, a lone surrogate a visible ``\\udNNN``."""
    text = text.replace("\x00", "\ufffd")
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _as_json(raw: str) -> Jsonb | None:
    """The record as JSON when PostgreSQL's jsonb can hold it (no NUL escape, finite numbers)."""
    if "\\u0000" in raw:
        return None
    try:
        decoded = json.loads(raw)
        json.dumps(decoded, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError, RecursionError):
        return None
    return Jsonb(decoded)
