"""The load step merges a stored feed into the warehouse, quarantines the crawl's rejects, and
writes nothing twice for the same run."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.load import load_crawled_feed, stored_summaries
from tests.pipeline.feeds import CRAWL_STARTED_AT, article, store_feed
from warehouse.record import Article

REJECTS = [
    {"url": "https://baoquocte.vn/trong-1.html", "reason": "no paragraphs", "outcome": "missing_body"},
    {"url": "https://baoquocte.vn/x-2.html", "reason": "HTTP 404", "outcome": "http_404"},
]


def test_a_feed_loads_and_its_rejects_go_to_quarantine(settings, warehouse_conn):
    reference = store_feed(settings.data_uri, "run-1", [article(1), article(2, layer="metadata")], REJECTS)

    loading = datetime.now(UTC)
    summary = load_crawled_feed(reference, settings=settings)

    assert summary.outcomes["inserted"] == 2
    assert datetime.fromisoformat(summary.crawl_started_at) == CRAWL_STARTED_AT
    assert loading <= datetime.fromisoformat(summary.load_finished_at) <= datetime.now(UTC)
    assert summary.crawl_rejects == {"missing_body": 1, "http_404": 1}
    assert summary.profile.layers == {"selector": 1, "metadata": 1}
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    quarantined = warehouse_conn.execute(
        "SELECT stage, reason, attempts FROM quarantine ORDER BY reason"
    ).fetchall()
    assert quarantined == [("crawl", "http_404: HTTP 404", 1), ("crawl", "missing_body: no paragraphs", 1)]
    assert stored_summaries("run-1", ["baoquocte", "other"], settings=settings) == {
        "baoquocte": summary,
        "other": None,
    }


def test_loading_the_same_run_again_writes_nothing(settings, warehouse_conn):
    reference = store_feed(settings.data_uri, "run-2", [article(1)], REJECTS)
    first = load_crawled_feed(reference, settings=settings)
    store_feed(settings.data_uri, "run-2", [article(1, body="Bài đã sửa. " * 30)], REJECTS)

    again = load_crawled_feed(reference, settings=settings)

    assert again == first
    assert warehouse_conn.execute("SELECT max(attempts) FROM quarantine").fetchone()[0] == 1
    assert warehouse_conn.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0


def test_a_dry_run_validates_without_writing(settings, warehouse_conn):
    reference = store_feed(settings.data_uri, "run-3", [article(1), article(2)], REJECTS)

    summary = load_crawled_feed(reference, dry_run=True, settings=settings)

    assert summary.outcomes == {"valid": 2, "invalid": 0}
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert warehouse_conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert stored_summaries("run-3", ["baoquocte"], settings=settings) == {"baoquocte": None}
    assert stored_summaries("run-3", ["baoquocte"], dry_run=True, settings=settings) == {"baoquocte": summary}


def test_short_bodies_are_counted_for_the_quality_checks(settings, warehouse_conn):
    reference = store_feed(settings.data_uri, "run-4", [article(1), article(2, body="Ngắn.")])

    summary = load_crawled_feed(reference, settings=settings)

    assert (summary.profile.records, summary.profile.short_bodies) == (2, 1)


def test_each_line_of_the_feed_is_parsed_once_and_the_profile_agrees_with_the_load(
    settings, warehouse_conn, monkeypatch
):
    articles = [article(1), article(2, body="Ngắn."), article(3, layer="metadata")]
    reference = store_feed(settings.data_uri, "run-5", [*articles, replace(articles[0], title="Bài sau")])
    with Path(reference.feed_uri).open("ab") as feed:
        feed.write(b'\n{"source": "baoquocte", "title": "no url"}\n\xff\xfe not utf-8\n   \n')
    parsed_lines = []
    from_json = Article.from_json.__func__

    def counting_from_json(cls, line):
        parsed_lines.append(line)
        return from_json(cls, line)

    monkeypatch.setattr(Article, "from_json", classmethod(counting_from_json))

    dry_run = load_crawled_feed(reference, dry_run=True, settings=settings)
    assert len(parsed_lines) == 6
    summary = load_crawled_feed(reference, settings=settings)

    assert len(parsed_lines) == 12
    assert summary.outcomes["records"] == summary.profile.records == 6
    assert summary.outcomes["quarantined"] == summary.profile.invalid == 2
    assert summary.outcomes["duplicates"] == 1
    assert (summary.profile.short_bodies, summary.profile.layers) == (1, {"selector": 3, "metadata": 1})
    assert dry_run.profile == summary.profile
    assert dry_run.outcomes == {"valid": 4, "invalid": 2}
