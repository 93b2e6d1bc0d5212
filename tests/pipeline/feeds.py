"""Small hand-made feeds for the pipeline tests, stored where a crawl would store them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pipeline.crawl import FeedReference
from pipeline.storage import raw_feed_uri
from testkit.articles import article as testkit_article
from warehouse.record import Article, ExtractionLayer

CRAWLED_AT = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
CRAWL_STARTED_AT = datetime(2026, 11, 27, 7, 59, 58, 500000, tzinfo=UTC)


def article(
    number: int, *, layer: ExtractionLayer = "selector", body: str | None = None, published_day: int = 26
) -> Article:
    """testkit's article ``number`` as these tests look it up: titled ``Bài số <number>``, one paragraph
    long enough for the quality checks (or ``body``), crawled at ``CRAWLED_AT``."""
    return testkit_article(
        number,
        title=f"Bài số {number}",
        body=[{"kind": "paragraph", "text": body or f"Nội dung bài số {number}. " * 20}],
        crawled_at=CRAWLED_AT.isoformat(),
        extraction_layer=layer,
        published_at=datetime(2026, 11, published_day, 3, 0, tzinfo=UTC).isoformat(),
    )


def store_feed(
    data_uri: str, run_key: str, articles: list[Article], rejects: list[dict] | None = None
) -> FeedReference:
    feed = raw_feed_uri(data_uri, "baoquocte", run_key)
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text("".join(item.to_json() + "\n" for item in articles), encoding="utf-8")
    rejects_uri = None
    if rejects:
        rejects_uri = raw_feed_uri(data_uri, "baoquocte", run_key, ".rejects.jsonl")
        rejects_uri.write_text("".join(json.dumps(reject) + "\n" for reject in rejects), encoding="utf-8")
    return FeedReference(
        source="baoquocte",
        run_key=run_key,
        feed_uri=str(feed),
        rejects_uri=str(rejects_uri) if rejects_uri else None,
        items=len(articles),
        rejects=len(rejects or []),
        crawl_seconds=1.5,
        reused=False,
        outcome_counts={"item": len(articles)},
        started_at=CRAWL_STARTED_AT.isoformat(),
        finished_at=CRAWLED_AT.isoformat(),
    )
