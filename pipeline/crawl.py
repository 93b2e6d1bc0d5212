"""The crawl step: ``scrapy crawl <source>`` in its own process, its feed stored under the data URI.

Twisted's reactor cannot restart inside one process, and a worker should survive a crawl that hangs,
so every crawl is a subprocess in its own process group with a hard timeout. The crawl needs no
database credentials unless it runs in incremental mode against the warehouse. It returns a small
reference (URIs and counts) for the load step, which may run on another worker.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.settings import PipelineSettings
from pipeline.storage import raw_feed_uri, store_text, upload
from warehouse.db import database_url
from warehouse.paths import PROJECT_ROOT

log = logging.getLogger(__name__)

LOG_TAIL_LINES = 25


class CrawlError(RuntimeError):
    """The crawl process failed, timed out, or reached none of the source's pages."""


@dataclass(frozen=True, slots=True)
class CrawlRequest:
    source: str
    run_key: str
    since: date | None = None
    until: date | None = None
    max_articles: int | None = None
    incremental: bool = True

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    @classmethod
    def from_dict(cls, request: dict) -> CrawlRequest:
        return cls(
            **{
                **request,
                "since": date.fromisoformat(request["since"]) if request.get("since") else None,
                "until": date.fromisoformat(request["until"]) if request.get("until") else None,
            }
        )


@dataclass(frozen=True, slots=True)
class FeedReference:
    """What the load step needs to find a crawl's output; small enough for XCom. ``started_at`` and
    ``finished_at`` (ISO 8601, UTC) are when the crawl ran: a re-run that reuses the feed keeps them."""

    source: str
    run_key: str
    feed_uri: str
    rejects_uri: str | None
    items: int
    rejects: int
    crawl_seconds: float
    reused: bool
    outcome_counts: dict[str, int]
    started_at: str
    finished_at: str

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, reference: dict) -> FeedReference:
        return cls(**reference)


def crawl_source(request: CrawlRequest, settings: PipelineSettings | None = None) -> FeedReference:
    """Crawl one source into ``$NEWS_DATA_URI/raw/<source>/<run>.jsonl``.

    A crawl already completed for this (source, run) is reused instead of crawling again: re-running
    a DAG run then loads exactly what the first attempt saw, records the first attempt's crawl times,
    and leaves the warehouse as one run did.
    """
    settings = settings or PipelineSettings.from_env()
    feed_uri = raw_feed_uri(settings.data_uri, request.source, request.run_key)
    rejects_uri = raw_feed_uri(settings.data_uri, request.source, request.run_key, ".rejects.jsonl")
    stats_uri = raw_feed_uri(settings.data_uri, request.source, request.run_key, ".stats.json")
    reference_uri = raw_feed_uri(settings.data_uri, request.source, request.run_key, ".crawl.json")
    if reference_uri.exists():
        log.info("reusing the crawl this run already stored at %s", feed_uri)
        stored = json.loads(reference_uri.read_text(encoding="utf-8"))
        return FeedReference.from_dict({**stored, "reused": True})
    with tempfile.TemporaryDirectory(prefix=f"crawl-{request.source}-") as scratch:
        folder = Path(scratch)
        feed, rejects, stats = folder / "feed.jsonl", folder / "rejects.jsonl", folder / "stats.json"
        counters = folder / "counters.json"
        started_at = datetime.now(UTC)
        started = time.monotonic()
        _run_scrapy(
            request,
            settings,
            feed=feed,
            output_files={
                "NEWS_STATS_FILE": stats,
                "NEWS_REJECTS_FILE": rejects,
                "NEWS_CRAWL_COUNTERS_FILE": counters,
            },
            log_file=folder / "crawl.log",
        )
        seconds = time.monotonic() - started
        outcome_counts = _outcome_counts(_read_crawl_output(stats, required=True))
        if not feed.exists():
            feed.touch()
        items = _count_lines(feed.read_text(encoding="utf-8", errors="replace"))
        _raise_when_feed_incomplete(request.source, outcome_counts, items, folder)
        _raise_when_unreachable(request.source, _read_crawl_output(counters), items)
        rejected = _count_lines(rejects.read_text(encoding="utf-8")) if rejects.exists() else 0
        if stats.exists():
            upload(stats, stats_uri)
        if rejected:
            upload(rejects, rejects_uri)
        upload(feed, feed_uri)
    reference = FeedReference(
        source=request.source,
        run_key=request.run_key,
        feed_uri=str(feed_uri),
        rejects_uri=str(rejects_uri) if rejected else None,
        items=items,
        rejects=rejected,
        crawl_seconds=round(seconds, 3),
        reused=False,
        outcome_counts=outcome_counts,
        started_at=started_at.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
    )
    # The reference goes last: its presence marks the crawl of this run as complete.
    store_text(json.dumps(reference.as_dict(), sort_keys=True), reference_uri)
    log.info("crawled %s: %d articles, %d rejected pages in %.1f s", request.source, items, rejected, seconds)
    return reference


def scrapy_command(request: CrawlRequest, feed: Path) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", request.source, "-O", f"{feed}:jsonlines"]
    arguments = {
        "since": request.since.isoformat() if request.since else None,
        "until": request.until.isoformat() if request.until else None,
        "max_articles": str(request.max_articles) if request.max_articles else None,
        "incremental": "1" if request.incremental else None,
    }
    for name, value in arguments.items():
        if value is not None:
            command += ["-a", f"{name}={value}"]
    return command


def _run_scrapy(
    request: CrawlRequest,
    settings: PipelineSettings,
    *,
    feed: Path,
    output_files: dict[str, Path],
    log_file: Path,
) -> None:
    """``output_files`` name the files the spider writes, by the environment variable that tells it."""
    env = {**os.environ, **{name: str(path) for name, path in output_files.items()}}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    if settings.mirror_url:
        env["NEWS_MIRROR_URL"] = settings.mirror_url
    if request.incremental:
        # The spider gets the URL resolved here (in a task: the connection news_db), not its own choice.
        env["DATABASE_URL"] = database_url()
        env.pop("AIRFLOW_CONN_NEWS_DB", None)
    command = scrapy_command(request, feed)
    log.info("running %s", " ".join(command))
    with log_file.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            returncode = process.wait(timeout=settings.crawl_timeout_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise CrawlError(
                f"crawling {request.source} did not finish within {settings.crawl_timeout_seconds} s "
                f"(NEWS_CRAWL_TIMEOUT_SECONDS); the crawl was killed. Last output:\n{_tail(log_file)}"
            ) from None
    tail = _tail(log_file)
    if returncode != 0:
        raise CrawlError(
            f"`scrapy crawl {request.source}` exited with status {returncode}. Last output:\n{tail}"
        )
    log.info("crawl output (last lines):\n%s", tail)


def _raise_when_unreachable(source: str, counters: dict, items: int) -> None:
    """Scrapy exits 0 even when every request failed. A crawl that received no response at all while
    its downloads failed means the site (or the mirror) is down: the task should retry, then report the
    source failed. A crawl with nothing new to fetch is legitimate."""
    if items == 0 and counters.get("responses", 0) == 0 and counters.get("download_errors", 0) > 0:
        raise CrawlError(
            f"crawling {source} received no response from the site ({counters['download_errors']} "
            "download errors); check that the site, or NEWS_MIRROR_URL when set, is reachable from "
            "this worker"
        )


def _outcome_counts(crawl_stats: dict) -> dict[str, int]:
    return {
        outcome: count
        for outcome, count in sorted(crawl_stats.items())
        if isinstance(count, int) and not isinstance(count, bool)
    }


def _raise_when_feed_incomplete(source: str, outcomes: dict[str, int], items: int, folder: Path) -> None:
    """Scrapy logs a failed feed write (a full scratch disk) and carries on: a feed with fewer lines
    than the articles the crawl extracted lost some of them."""
    from spiders.outcomes import ITEM_OUTCOMES

    extracted = sum(count for outcome, count in outcomes.items() if outcome in ITEM_OUTCOMES)
    if items < extracted:
        raise CrawlError(
            f"the feed of {source} holds {items} of the {extracted} articles the crawl extracted: writing "
            f"it failed ({_free_space(folder)}); free space for the crawl's scratch folder and retry"
        )


def _read_crawl_output(path: Path, *, required: bool = False) -> dict:
    """A JSON file the crawl process writes at its end (statistics, counters)."""
    if not path.exists() and not required:
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise CrawlError(
            f"the crawl's {path.name} is missing or unreadable ({_free_space(path.parent)}); a crawl that "
            "could not write its own statistics cannot be trusted: free space and retry"
        ) from None


def _free_space(folder: Path) -> str:
    return f"{shutil.disk_usage(folder).free} bytes free in {folder}"


def _count_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def _tail(log_file: Path) -> str:
    lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])
