"""What one ``news_ingest`` run does, decided from its parameters: which sources, which window,
how many articles, whether it writes. Invalid parameters are a ``PermanentError``: retrying the same
run cannot fix them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.crawl import CrawlRequest
from pipeline.errors import PermanentError
from pipeline.settings import PipelineSettings


@dataclass(frozen=True, slots=True)
class RunOptions:
    sources: tuple[str, ...]
    since: date | None = None
    until: date | None = None
    max_articles: int | None = None
    force_retranslate: bool = False
    dry_run: bool = False

    def crawl_requests(self, run_key: str) -> list[CrawlRequest]:
        return [
            CrawlRequest(
                source=source,
                run_key=run_key,
                since=self.since,
                until=self.until,
                max_articles=self.max_articles,
            )
            for source in self.sources
        ]


def available_sources(settings: PipelineSettings | None = None) -> list[str]:
    """The sources a run may crawl: ``NEWS_SOURCES`` when set, else every source in the spiders'
    registry."""
    settings = settings or PipelineSettings.from_env()
    if settings.sources:
        return list(settings.sources)
    from spiders.registry import source_names

    return list(source_names())


def run_options(
    params: Mapping, available: Sequence[str], default_max_articles: int | None = None
) -> RunOptions:
    sources = params.get("sources") or list(available)
    if isinstance(sources, str):
        sources = [name.strip() for name in sources.split(",") if name.strip()]
    unknown = sorted(set(sources) - set(available))
    if unknown:
        raise PermanentError(
            f"unknown source(s) {', '.join(unknown)}; this deployment crawls {', '.join(available)} "
            "(spiders.registry, or NEWS_SOURCES when set)"
        )
    since = parse_date("since", params.get("since"))
    until = parse_date("until", params.get("until"))
    if since and until and since > until:
        raise PermanentError(f"since ({since}) is after until ({until}); swap them or clear one")
    max_articles = params.get("max_articles") or default_max_articles
    if max_articles is not None and (not isinstance(max_articles, int) or max_articles < 1):
        raise PermanentError(f"max_articles must be a positive whole number, got {max_articles!r}")
    return RunOptions(
        sources=tuple(dict.fromkeys(sources)),
        since=since,
        until=until,
        max_articles=max_articles,
        force_retranslate=bool(params.get("force_retranslate", False)),
        dry_run=bool(params.get("dry_run", False)),
    )


def parse_date(name: str, value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise PermanentError(f"{name} must be a date like 2026-11-28, got {value!r}") from None
