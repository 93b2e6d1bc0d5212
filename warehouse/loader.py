"""Load JSON Lines feeds of ``Article`` records into the warehouse.

Each batch of lines is parsed and validated in Python; invalid lines go to ``quarantine``. One query
finds which valid records are new or changed (canonical URL and content hash against ``articles``);
only those are COPYed into a session-local staging table, and the batch is merged in ONE transaction:

- new canonical URL: inserted, ``first_seen = last_seen = crawled_at``, pending translation (or
  ``original``, finished, when it is already in the target language: nothing to translate);
- changed content (``content_hash`` differs, sighting not older than the stored version): the stored
  version is copied to ``article_revisions``, the row takes the new content and is pending again (or
  ``original``);
- unchanged content: nothing is written, except that a strictly newer sighting moves ``last_seen``
  forward when the stored ``last_seen`` is at least ``last_seen_interval`` old (default one day). Loading
  the same feed twice therefore leaves the database identical.

Each new or changed article is then signed and joined to its story (``warehouse.stories``) in the same
transaction.

Within one batch, the same canonical URL twice keeps the record with the latest ``crawled_at`` (the
later line on a tie).

Each line is parsed once: a caller that wants to know more about the feed (the pipeline's profile for
its quality checks) passes ``observe``, which sees every valid record as it is parsed. ``validate_feed``
parses and validates the same way without writing (a dry run).
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from os import PathLike
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from warehouse.record import (
    ARTICLE_COLUMNS,
    DEFAULT_TARGET_LANGUAGE,
    SOURCE_NAME,
    Article,
    Block,
    Image,
    RecordError,
)
from warehouse.runs import quarantine_record
from warehouse.settings import WarehouseSettings
from warehouse.sqlfile import statement
from warehouse.stories import Signature, article_signature, assign_stories

DEFAULT_LAST_SEEN_INTERVAL = timedelta(days=1)
# A crawl time further ahead of the loader's clock than this is a broken clock or a forged record:
# it is clamped to the load time (flag FUTURE_CRAWLED_AT), so that real later sightings still apply.
CRAWLED_AT_TOLERANCE = timedelta(minutes=10)
FUTURE_CRAWLED_AT = "future_crawled_at"


class FeedDamagedError(OSError):
    """A feed file that cannot be read to its end (a truncated or corrupt gzip stream). Everything
    before the damage was loaded; ``result`` says what."""

    result: LoadResult | None = None


FeedSource = str | PathLike[str] | Iterable[str] | Iterable[bytes]
ProgressCallback = Callable[[int], object]
RecordObserver = Callable[[Article], None]


@dataclass(slots=True)
class LoadResult:
    """What one load did. Every non-blank input line is counted exactly once across ``inserted``,
    ``updated``, ``refreshed`` (unchanged content, ``last_seen`` moved forward), ``unchanged`` (nothing
    written, including sightings older than the stored version), ``duplicates`` (an earlier sighting of a
    URL repeated in the same batch) and ``quarantined``. ``timings`` are seconds per phase."""

    inserted: int = 0
    updated: int = 0
    refreshed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0
    batches: int = 0
    quarantine_reasons: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(
        default_factory=lambda: {
            "parse": 0.0,
            "sign": 0.0,
            "copy": 0.0,
            "merge": 0.0,
            "stories": 0.0,
            "quarantine": 0.0,
            "total": 0.0,
        }
    )

    @property
    def records(self) -> int:
        return (
            self.inserted
            + self.updated
            + self.refreshed
            + self.unchanged
            + self.duplicates
            + self.quarantined
        )

    def counts(self) -> dict[str, int]:
        """The outcome counts, as stored in ``ingest_runs.counts``."""
        return {
            "records": self.records,
            "inserted": self.inserted,
            "updated": self.updated,
            "refreshed": self.refreshed,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
        }

    def add(self, other: LoadResult) -> None:
        """Fold another load's result into this one (several feeds in one command)."""
        for name in ("inserted", "updated", "refreshed", "unchanged", "duplicates", "quarantined", "batches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.quarantine_reasons.extend(other.quarantine_reasons)
        for phase, seconds in other.timings.items():
            self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def to_dict(self) -> dict[str, Any]:
        summary = asdict(self)
        summary["records"] = self.records
        summary["timings"] = {phase: round(seconds, 3) for phase, seconds in self.timings.items()}
        return summary


@dataclass(slots=True)
class FeedValidation:
    """What ``validate_feed`` found: non-blank lines that are valid records and lines that are not."""

    valid: int = 0
    invalid: int = 0


@dataclass(frozen=True, slots=True)
class _Rejected:
    raw: str
    reason: str


@dataclass(slots=True)
class _ParsedBatch:
    """One batch after validation: the staging rows to merge (latest sighting per canonical URL)."""

    rows: list[tuple[Any, ...]]
    rejected: list[_Rejected]
    duplicates: int
    consumed: int
    parse_seconds: float
    # Each kept record's story signature by canonical URL, computed here, off the database's path.
    signatures: dict[str, Signature] | None  # None: the load links no stories
    sign_seconds: float


def load_feed(  # noqa: PLR0913 - keyword-only load options (CLI and pipeline)
    conn: psycopg.Connection,
    lines_or_path: FeedSource,
    *,
    records_per_transaction: int = WarehouseSettings().load_records_per_transaction,
    last_seen_interval: timedelta = DEFAULT_LAST_SEEN_INTERVAL,
    progress: ProgressCallback | None = None,
    target_language: str = DEFAULT_TARGET_LANGUAGE,
    observe: RecordObserver | None = None,
    link_stories: bool = True,
) -> LoadResult:
    """Load a feed: a path (``.jsonl`` or ``.jsonl.gz``) or an iterable of JSON lines.

    Each batch of ``records_per_transaction`` non-blank lines commits on its own (if ``conn`` is
    already inside a transaction, batches become savepoints of it and the caller commits). ``progress``
    is called after each batch with the number of input bytes (for a path) or lines (for an iterable)
    that batch consumed. The next batch is
    parsed in a background thread while the database merges the current one, so the ``parse`` timing
    overlaps the others. Articles in ``target_language`` are stored with translation status
    ``original``. ``observe`` is called with every valid record (duplicates too), in feed order, in
    that background thread. With ``link_stories=False`` (a bulk backfill) articles are neither signed
    nor linked to stories; run ``python -m warehouse stories rebuild`` afterwards.
    """
    if records_per_transaction < 1:
        raise ValueError(f"records_per_transaction must be at least 1, got {records_per_transaction}")
    result = LoadResult()
    started = time.perf_counter()
    lines = _FeedLines(lines_or_path)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parse") as parser:
        parsing: Future[_ParsedBatch] | None = None
        for batch_lines, consumed in _batches(lines, records_per_transaction):
            upcoming = parser.submit(_parse_batch, batch_lines, consumed, observe, link_stories)
            if parsing is not None:
                _write_batch(
                    conn,
                    parsing.result(),
                    result,
                    last_seen_interval,
                    progress,
                    target_language=target_language,
                )
            parsing = upcoming
        if parsing is not None:
            _write_batch(
                conn, parsing.result(), result, last_seen_interval, progress, target_language=target_language
            )
    result.timings["total"] = time.perf_counter() - started
    if lines.damage is not None:
        lines.damage.result = result
        raise lines.damage
    return result


class _FeedLines:
    """The feed's lines; a damaged file ends the iteration early and is remembered in ``damage``, so
    the batches before the damage are still written."""

    def __init__(self, lines_or_path: FeedSource):
        self.lines_or_path = lines_or_path
        self.damage: FeedDamagedError | None = None

    def __iter__(self) -> Iterator[tuple[str, int]]:
        try:
            yield from _feed_lines(self.lines_or_path)
        except FeedDamagedError as error:
            self.damage = error


def validate_feed(lines_or_path: FeedSource, *, observe: RecordObserver | None = None) -> FeedValidation:
    """Parse and validate a feed exactly as ``load_feed`` does, writing nothing. A damaged file raises
    ``FeedDamagedError`` after the lines before the damage were counted."""
    validation = FeedValidation()
    load_time = datetime.now(UTC)
    for line, _ in _feed_lines(lines_or_path):
        if not line.strip():
            continue
        try:
            article, _ = _parse_line(line, load_time)
        except RecordError:
            validation.invalid += 1
            continue
        validation.valid += 1
        if observe is not None:
            observe(article)
    return validation


def _batches(lines: Iterable[tuple[str, int]], records: int) -> Iterator[tuple[list[str], int]]:
    """Non-blank lines in groups of ``records``, each with the input size it consumed."""
    batch: list[str] = []
    consumed = 0
    for line, size in lines:
        consumed += size
        if not line.strip():
            continue
        batch.append(line)
        if len(batch) >= records:
            yield batch, consumed
            batch, consumed = [], 0
    if batch or consumed:
        yield batch, consumed


def _parse_batch(
    lines: list[str], consumed: int, observe: RecordObserver | None, link_stories: bool
) -> _ParsedBatch:
    started = time.perf_counter()
    latest: dict[str, tuple[Article, tuple[Any, ...]]] = {}
    rejected: list[_Rejected] = []
    duplicates = 0
    load_time = datetime.now(UTC)
    for line in lines:
        try:
            article, row = _parse_line(line, load_time)
        except RecordError as error:
            rejected.append(_Rejected(line, str(error)))
            continue
        if observe is not None:
            observe(article)
        previous = latest.get(article.canonical_url)
        if previous is not None:
            duplicates += 1
            if previous[0].crawled_at > article.crawled_at:
                continue
        latest[article.canonical_url] = (article, row)
    signing_started = time.perf_counter()
    signatures = (
        {url: article_signature(article) for url, (article, _) in latest.items()} if link_stories else None
    )
    return _ParsedBatch(
        rows=[row for _, row in latest.values()],
        rejected=rejected,
        duplicates=duplicates,
        consumed=consumed,
        parse_seconds=signing_started - started,
        signatures=signatures,
        sign_seconds=_since(signing_started),
    )


def _parse_line(line: str, load_time: datetime) -> tuple[Article, tuple[Any, ...]]:
    """The line's record (its crawl time clamped to ``load_time``) and staging row; ``RecordError`` when
    the line is not a valid record."""
    article = _clamp_crawled_at(Article.from_json(line), load_time)
    return article, staging_row(article)


def _clamp_crawled_at(article: Article, load_time: datetime) -> Article:
    if article.crawled_at <= load_time + CRAWLED_AT_TOLERANCE:
        return article
    flags = article.flags if FUTURE_CRAWLED_AT in article.flags else (*article.flags, FUTURE_CRAWLED_AT)
    return replace(article, crawled_at=load_time, flags=flags)


def _write_batch(  # noqa: PLR0913 - load_feed's batch state and options, passed on
    conn: psycopg.Connection,
    batch: _ParsedBatch,
    result: LoadResult,
    last_seen_interval: timedelta,
    progress: ProgressCallback | None,
    *,
    target_language: str,
) -> None:
    result.timings["parse"] += batch.parse_seconds
    result.timings["sign"] += batch.sign_seconds
    result.duplicates += batch.duplicates
    rejected, rows = batch.rejected, batch.rows
    with conn.transaction():
        if rejected:
            phase_started = time.perf_counter()
            for rejection in rejected:
                quarantine_record(conn, "load", _source_of(rejection.raw), rejection.raw, rejection.reason)
                result.quarantine_reasons.append(rejection.reason)
            result.quarantined += len(rejected)
            result.timings["quarantine"] += _since(phase_started)
        if rows:
            phase_started = time.perf_counter()
            batch_keys = {
                "canonical_urls": [row[_CANONICAL_URL] for row in rows],
                "content_hashes": [row[_CONTENT_HASH] for row in rows],
            }
            new_or_changed = {
                url for (url,) in conn.execute(statement("load/new_or_changed.sql"), batch_keys)
            }
            if new_or_changed:
                conn.execute(statement("load/create_staging.sql").format(columns=_STAGING_COLUMNS))
                conn.execute(statement("load/empty_staging.sql"))
                copy_staging = statement("load/copy_staging.sql").format(columns=_STAGING_COLUMNS)
                with conn.cursor().copy(copy_staging) as copy:
                    for row in rows:
                        if row[_CANONICAL_URL] in new_or_changed:
                            copy.write_row(row)
                conn.execute(statement("load/analyze_staging.sql"))
            result.timings["copy"] += _since(phase_started)

            phase_started = time.perf_counter()
            updated = inserted = 0
            if new_or_changed:
                conn.execute(statement("load/add_sources.sql"))
                target = {"target_language": target_language}
                changed = conn.execute(statement("load/update_changed.sql"), target).fetchall()
                changed += (added := conn.execute(statement("load/insert_new.sql"), target).fetchall())
                updated, inserted = len(changed) - len(added), len(added)
                conn.execute(statement("load/empty_staging.sql"))
                if batch.signatures is not None:
                    signatures = batch.signatures
                    stories_started = time.perf_counter()
                    assign_stories(
                        conn,
                        [article_id for article_id, _, _ in changed],
                        signed={
                            article_id: (signatures[url], content_hash)
                            for article_id, url, content_hash in changed
                            if url in signatures
                        },
                    )
                    result.timings["stories"] += _since(stories_started)
                    phase_started += _since(stories_started)
            refreshed = conn.execute(
                statement("load/refresh_last_seen.sql"),
                {
                    **batch_keys,
                    "crawled_ats": [row[_CRAWLED_AT] for row in rows],
                    "interval": last_seen_interval,
                },
            ).rowcount
            conn.execute(
                statement("load/resolve_crawl_quarantine.sql"),
                {"urls": [url for row in rows for url in (row[_CANONICAL_URL], row[_URL])]},
            )
            result.timings["merge"] += _since(phase_started)
            result.inserted += inserted
            result.updated += updated
            result.refreshed += refreshed
            result.unchanged += len(rows) - inserted - updated - refreshed
    if rows or rejected:
        result.batches += 1
    _report(progress, batch.consumed)


_STAGING_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, ARTICLE_COLUMNS))
_CANONICAL_URL, _URL, _CRAWLED_AT, _CONTENT_HASH = map(
    ARTICLE_COLUMNS.index, ("canonical_url", "url", "crawled_at", "content_hash")
)
_column_values = attrgetter(*ARTICLE_COLUMNS)


def _blocks_json(body: tuple[Block, ...]) -> str:
    return json.dumps([{"kind": block.kind, "text": block.text} for block in body], ensure_ascii=False)


def _images_json(images: tuple[Image, ...]) -> str:
    return json.dumps(
        [{"src": image.src, "caption": image.caption, "credit": image.credit} for image in images],
        ensure_ascii=False,
    )


# The columns whose value is staged in another form than the record holds it (JSON text for the nested
# records, lists, which psycopg COPYs as arrays, for the tuples of strings); every other value as it is.
_STAGED_AS: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
    (ARTICLE_COLUMNS.index(name), encode)
    for name, encode in (
        ("body", _blocks_json),
        ("images", _images_json),
        ("authors", list),
        ("tags", list),
        ("flags", list),
        ("attributions", list),
    )
)


def staging_row(article: Article) -> tuple[Any, ...]:
    """The article as one staged row, its values in the order of ``ARTICLE_COLUMNS`` (``Article`` has
    already checked that PostgreSQL can store every value)."""
    row = list(_column_values(article))
    for index, encode in _STAGED_AS:
        row[index] = encode(row[index])
    return tuple(row)


def _feed_lines(lines_or_path: FeedSource) -> Iterator[tuple[str, int]]:
    """(line, size) pairs; size is in bytes for a file and 1 per line for an iterable. Bytes are
    decoded with ``surrogateescape``, so a line that is not UTF-8 reaches validation (and quarantine)
    instead of stopping the read. A damaged gzip file raises ``FeedDamagedError`` after the last line
    that could be read."""
    if isinstance(lines_or_path, str | PathLike):
        path = Path(lines_or_path)
        opener = gzip.open if path.suffix == ".gz" else Path.open
        read = 0
        try:
            with opener(path, "rb") as feed:
                for raw in feed:
                    read += len(raw)
                    yield raw.decode("utf-8", "surrogateescape"), len(raw)
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise FeedDamagedError(
                f"{path}: compressed feed is truncated or corrupt after {read} decompressed bytes "
                f"({error}); the lines before the damage were loaded"
            ) from None
    else:
        for line in lines_or_path:
            if isinstance(line, bytes):
                yield line.decode("utf-8", "surrogateescape"), 1
            else:
                yield line, 1


def _source_of(raw: str) -> str | None:
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    source = decoded.get("source") if isinstance(decoded, dict) else None
    return source if isinstance(source, str) and SOURCE_NAME.match(source) else None


def _report(progress: ProgressCallback | None, consumed: int) -> None:
    if progress is not None and consumed:
        progress(consumed)


def _since(started: float) -> float:
    return time.perf_counter() - started
