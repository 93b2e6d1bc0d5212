"""A crawl against the local mirror, run the only way Scrapy allows: one OS process per crawl."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from testkit.mirror import serve_mirror
from testkit.processes import run_python
from warehouse.record import Article


@dataclass
class CrawlResult:
    articles: list[Article]
    outcomes: dict[str, int]
    rejects: list[dict[str, str]]
    log: str
    feed: Path
    mirror_requests: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Article]:
        articles = {}
        for article in self.articles:
            assert article.source_article_id is not None, f"{article.url} has no source article id"
            articles[article.source_article_id] = article
        return articles


@pytest.fixture
def mirror() -> Iterator[tuple[str, list[str]]]:
    access_log: list[str] = []
    with serve_mirror(access_log=access_log) as base_url:
        yield base_url, access_log


@pytest.fixture
def crawl(mirror: tuple[str, list[str]], tmp_path: Path) -> Callable[..., CrawlResult]:
    """``crawl("-a", "since=2026-11-24", settings={...}, env={...})`` crawls baoquocte on the mirror."""
    return crawl_runner(*mirror, tmp_path)


@pytest.fixture(scope="module")
def default_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    """One crawl with default arguments, shared by the tests that only read its results."""
    access_log: list[str] = []
    with serve_mirror(access_log=access_log) as base_url:
        yield crawl_runner(base_url, access_log, tmp_path_factory.mktemp("default-crawl"))()


@pytest.fixture
def crawl_synthetic(tmp_path: Path) -> Iterator[Callable[..., CrawlResult]]:
    """The same, on a mirror that also serves 30 generated articles."""
    access_log: list[str] = []
    with serve_mirror(synthetic_articles=30, access_log=access_log) as base_url:
        yield crawl_runner(base_url, access_log, tmp_path)


def crawl_runner(base_url: str, access_log: list[str], tmp_path: Path) -> Callable[..., CrawlResult]:
    runs = iter(range(1, 100))

    def run(
        *arguments: str,
        settings: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        spider: str = "baoquocte",
        python_code: str | None = None,
    ) -> CrawlResult:
        """``python_code``: run the crawl through this code (it receives the arguments after ``crawl
        baoquocte``) instead of ``python -m scrapy``, e.g. to patch the extractor first."""
        number = next(runs)
        feed = tmp_path / f"feed-{number}.jsonl"
        stats = tmp_path / f"stats-{number}.json"
        rejects = tmp_path / f"rejects-{number}.jsonl"
        environment = {
            "NEWS_MIRROR_URL": base_url,
            "NEWS_STATS_FILE": str(stats),
            "NEWS_REJECTS_FILE": str(rejects),
            **(env or {}),
        }
        command = ["-m", "scrapy", "crawl", spider, "-O", str(feed), *arguments]
        if python_code is not None:
            command = ["-c", python_code, "-O", str(feed), *arguments]
        for name, value in (settings or {}).items():
            command += ["-s", f"{name}={value}"]
        first_request = len(access_log)
        completed = run_python(command, environment)
        assert completed.returncode == 0, completed.stderr[-4000:]
        lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
        return CrawlResult(
            articles=[Article.from_json(line) for line in lines if line.strip()],
            outcomes=json.loads(stats.read_text(encoding="utf-8")),
            rejects=[json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()],
            log=completed.stderr,
            feed=feed,
            mirror_requests=access_log[first_request:],
        )

    return run


@pytest.fixture
def crawl_corpus(tmp_path: Path) -> Iterator[Callable[..., CrawlResult]]:
    """A crawl runner on a mirror that also serves the reliability campaign's bad pages."""
    from testkit.corpus import MIRROR_PAGES

    access_log: list[str] = []
    with serve_mirror(access_log=access_log, pages=MIRROR_PAGES) as base_url:
        yield crawl_runner(base_url, access_log, tmp_path)
