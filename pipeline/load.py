"""The load step: read a crawl's feed back from the data URI and merge it into the warehouse.

The warehouse loader does the work (COPY into staging, one merge transaction per batch, invalid
records to quarantine); this step adds what only the pipeline knows: the crawl's rejected pages go to
quarantine under stage ``crawl``, the feed's profile (body lengths, extraction layers) is measured
for the data-quality checks, and a dry run validates without writing. The profile is taken from the
records the loader parses (``observe``), so each line of the feed is parsed once.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from upath import UPath

from pipeline.crawl import FeedReference
from pipeline.mojibake import article_has_mojibake
from pipeline.settings import PipelineSettings
from pipeline.storage import fetch, raw_feed_uri, store_text
from warehouse.record import Article

if TYPE_CHECKING:
    from warehouse.sources import SourceRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedProfile:
    """What the quality checks need to know about one feed's content."""

    records: int = 0
    invalid: int = 0
    short_bodies: int = 0
    layers: dict[str, int] = field(default_factory=dict)
    mojibake: int = 0


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """One source's crawl and load in a run. The times (ISO 8601, UTC) span the source's ingest: from
    its crawl's start to its load's end."""

    source: str
    run_key: str
    dry_run: bool
    outcomes: dict[str, int]
    crawl_rejects: dict[str, int]
    profile: FeedProfile
    crawl_seconds: float
    load_seconds: float
    crawl_started_at: str
    load_finished_at: str

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, summary: dict) -> LoadSummary:
        return cls(**{**summary, "profile": FeedProfile(**summary["profile"])})


def load_crawled_feed(
    reference: FeedReference, *, dry_run: bool = False, settings: PipelineSettings | None = None
) -> LoadSummary:
    """Load (or, in a dry run, only validate) one crawled feed. The summary is stored next to the
    feed; when it is already there, this run's feed was loaded before and nothing is written again."""
    settings = settings or PipelineSettings.from_env()
    summary_uri = _summary_uri(settings, reference.source, reference.run_key, dry_run)
    if summary_uri.exists():
        log.info("this run already loaded %s; reusing %s", reference.source, summary_uri)
        return LoadSummary.from_dict(json.loads(summary_uri.read_text(encoding="utf-8")))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"load-{reference.source}-") as scratch:
        feed = fetch(reference.feed_uri, Path(scratch))
        rejects = _read_rejects(fetch(reference.rejects_uri, Path(scratch))) if reference.rejects_uri else []
        if dry_run:
            profile = profile_feed(feed, min_body_chars=settings.quality.min_body_chars)
            outcomes = {"valid": profile.records - profile.invalid, "invalid": profile.invalid}
        else:
            tally = ProfileTally(settings.quality.min_body_chars)
            outcomes = _load_into_warehouse(feed, reference, rejects, settings, observe=tally.observe)
            profile = tally.profile(invalid=outcomes["quarantined"])
    summary = LoadSummary(
        source=reference.source,
        run_key=reference.run_key,
        dry_run=dry_run,
        outcomes=outcomes,
        crawl_rejects=dict(Counter(str(reject.get("outcome", "unknown")) for reject in rejects)),
        profile=profile,
        crawl_seconds=reference.crawl_seconds,
        load_seconds=round(time.monotonic() - started, 3),
        crawl_started_at=reference.started_at,
        load_finished_at=datetime.now(UTC).isoformat(),
    )
    store_text(json.dumps(summary.as_dict(), sort_keys=True), summary_uri)
    log.info("%s %s: %s", "validated" if dry_run else "loaded", reference.source, outcomes)
    return summary


def stored_summaries(
    run_key: str, sources: list[str], *, dry_run: bool = False, settings: PipelineSettings | None = None
) -> dict[str, LoadSummary | None]:
    """The load summary of each source of a run, or None for a source whose crawl or load failed."""
    settings = settings or PipelineSettings.from_env()
    summaries: dict[str, LoadSummary | None] = {}
    for source in sources:
        uri = _summary_uri(settings, source, run_key, dry_run)
        summaries[source] = (
            LoadSummary.from_dict(json.loads(uri.read_text(encoding="utf-8"))) if uri.exists() else None
        )
    return summaries


def _summary_uri(settings: PipelineSettings, source: str, run_key: str, dry_run: bool) -> UPath:
    return raw_feed_uri(settings.data_uri, source, run_key, ".dry-run.json" if dry_run else ".loaded.json")


@dataclass(slots=True)
class ProfileTally:
    """Builds a feed's ``FeedProfile`` from its valid records as the loader parses them."""

    min_body_chars: int
    valid: int = 0
    short_bodies: int = 0
    mojibake: int = 0
    layers: Counter[str] = field(default_factory=Counter)

    def observe(self, article: Article) -> None:
        self.valid += 1
        self.layers[article.extraction_layer] += 1
        self.mojibake += article_has_mojibake(article)
        if sum(len(block.text) for block in article.body) < self.min_body_chars:
            self.short_bodies += 1

    def profile(self, *, invalid: int) -> FeedProfile:
        """The profile, given how many non-blank lines were not valid records."""
        return FeedProfile(
            records=self.valid + invalid,
            invalid=invalid,
            short_bodies=self.short_bodies,
            layers=dict(self.layers),
            mojibake=self.mojibake,
        )


def profile_feed(feed: Path, *, min_body_chars: int) -> FeedProfile:
    """A feed's profile without loading it (a dry run): the loader's validation, nothing written."""
    from warehouse.loader import validate_feed

    tally = ProfileTally(min_body_chars)
    validation = validate_feed(feed, observe=tally.observe)
    return tally.profile(invalid=validation.invalid)


def _load_into_warehouse(
    feed: Path,
    reference: FeedReference,
    rejects: list[dict],
    settings: PipelineSettings,
    *,
    observe: Callable[[Article], None],
) -> dict[str, int]:
    from warehouse.db import connect
    from warehouse.loader import load_feed
    from warehouse.runs import quarantine_record
    from warehouse.sources import register_sources

    with connect() as conn:
        register_sources(conn, declared_source_rows())
        result = load_feed(
            conn,
            feed,
            records_per_transaction=settings.warehouse.load_records_per_transaction,
            target_language=settings.target_language,
            observe=observe,
        )
        for reject in rejects:
            reason = f"{reject.get('outcome', 'rejected')}: {reject.get('reason', '')}".rstrip(": ")
            quarantine_record(conn, "crawl", reference.source, reject, reason)
    return result.counts()


def declared_source_rows() -> list[SourceRow]:
    """The ``sources`` rows of every source the spiders declare (display names for the warehouse)."""
    from spiders.registry import all_sources
    from warehouse.sources import SourceRow

    return [
        SourceRow(source.name, source.display_name, source.base_url, source.editions[0].language)
        for source in all_sources()
    ]


def _read_rejects(path: Path) -> list[dict]:
    rejects = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.strip():
                try:
                    rejects.append(json.loads(line))
                except json.JSONDecodeError:
                    rejects.append({"raw": line.strip(), "reason": "unreadable reject line"})
    return rejects
