"""End to end: ``scrapy crawl baoquocte`` against the mirror, in a subprocess per crawl."""

from __future__ import annotations

import json
import secrets

import pytest

from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow

EXPECTED_OUTCOMES = {
    "item": 9,
    "truncated_recovered": 1,
    "future_date_flagged": 1,
    "unparsable_date_flagged": 1,
    "missing_title": 1,
    "missing_body": 1,
    "not_article": 1,
    "robots_disallowed": 1,
}
EXPECTED = {
    page.record()["source_article_id"]: page.record()
    for page in article_pages()
    if page.expected_record() and page.source.name == "baoquocte"
}


def is_article_path(path: str) -> bool:
    return path.endswith(".html")


def test_full_crawl_yields_exactly_the_expected_feed(default_crawl) -> None:
    result = default_crawl
    assert result.outcomes == EXPECTED_OUTCOMES
    assert sorted(result.by_id()) == sorted(EXPECTED)
    for article_id, article in result.by_id().items():
        record = article.to_dict()
        record["crawled_at"] = EXPECTED[article_id]["crawled_at"]
        assert record == EXPECTED[article_id], article_id
    assert {(reject["outcome"], reject["url"].rsplit("/", 1)[1]) for reject in result.rejects} == {
        ("missing_title", "bai-viet-thieu-tieu-de-235011.html"),
        ("missing_body", "bai-viet-thieu-noi-dung-235012.html"),
        ("not_article", "chu-de-bien-dong-247.html"),
    }
    assert all(reject["reason"] for reject in result.rejects)
    assert "baoquocte crawl finished: 16 pages, 12 items (" in result.log


def test_robots_disallowed_path_is_never_fetched(default_crawl) -> None:
    result = default_crawl
    assert "baoquocte.vn/robots.txt" in result.mirror_requests
    assert not [path for path in result.mirror_requests if "/ban-in/" in path]
    assert result.outcomes["robots_disallowed"] == 1


def test_tracking_amp_and_mobile_variants_are_fetched_once_as_one_item(default_crawl) -> None:
    result = default_crawl
    article_paths = [path for path in result.mirror_requests if is_article_path(path)]
    assert article_paths.count("baoquocte.vn/thu-tuong-tiep-dai-su-nhat-ban-chao-tu-biet-235001.html") == 1
    assert not [path for path in article_paths if "/amp/" in path or "?" in path or path.startswith("m.")]
    assert [article.source_article_id for article in result.articles].count("235001") == 1


def test_incremental_rerun_from_previous_feed_fetches_no_known_article(crawl) -> None:
    first = crawl()
    second = crawl("-a", "incremental=true", "-a", f"known_feed={first.feed}")
    refetched = {path.rsplit("/", 1)[1] for path in second.mirror_requests if is_article_path(path)}
    assert refetched == {
        "bai-viet-thieu-tieu-de-235011.html",
        "bai-viet-thieu-noi-dung-235012.html",
        "chu-de-bien-dong-247.html",
    }, "only pages that were rejected last time are tried again"
    assert second.articles == []
    assert second.outcomes["skipped_known"] == len(first.articles) == 12


def test_incremental_refetches_an_article_listed_as_newer_than_the_stored_copy(crawl, tmp_path) -> None:
    first = crawl("-a", "categories=thoi-su")
    stale = []
    for line in first.feed.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["source_article_id"] == "235003":
            record["published_at"] = "2026-11-20T00:00:00+00:00"
        stale.append(json.dumps(record, ensure_ascii=False))
    known_feed = tmp_path / "stale.jsonl"
    known_feed.write_text("\n".join(stale) + "\n", encoding="utf-8")
    second = crawl("-a", "categories=thoi-su", "-a", f"known_feed={known_feed}")
    assert [article.source_article_id for article in second.articles] == ["235003"]
    assert second.outcomes["skipped_known"] == len(first.articles) - 1


def test_window_categories_and_max_articles(crawl) -> None:
    windowed = crawl("-a", "since=2026-11-24", "-a", "until=2026-11-26", "-a", "categories=thoi-su,the-gioi")
    assert sorted(windowed.by_id()) == ["235001", "235002", "235003", "235010", "235015"]
    assert windowed.by_id()["235015"].flags == ("unparsable_date",), "an undatable article is kept, flagged"
    assert windowed.outcomes["out_of_window"] >= 4
    assert not [path for path in windowed.mirror_requests if path.startswith("en.")], "vi categories only"
    assert "baoquocte.vn/rss_feed/" not in windowed.mirror_requests, "categories replace the main feed"
    limited = crawl("-a", "max_articles=3", "-a", "editions=vi")
    assert len([path for path in limited.mirror_requests if is_article_path(path)]) == 3
    assert sum(limited.outcomes.values()) == 3


def test_incremental_from_the_warehouse(crawl) -> None:
    db = pytest.importorskip("warehouse.db")
    loader = pytest.importorskip("warehouse.loader")
    migrate = pytest.importorskip("warehouse.migrate")
    if not db.server_reachable():
        pytest.skip("PostgreSQL is not reachable at DATABASE_URL / the default URL")
    url = db.with_database(db.database_url(), f"news_spiders_{secrets.token_hex(4)}")
    db.create_database(url)
    try:
        first = crawl()
        with db.connect(url=url) as connection:
            migrate.migrate(connection)
            loader.load_feed(connection, first.feed)
            connection.commit()
            stored = connection.execute(
                "SELECT count(*) FROM articles WHERE source = 'baoquocte'"
            ).fetchone()[0]
        assert stored == len(first.articles) == 12
        second = crawl("-a", "incremental=true", env={"DATABASE_URL": url})
        assert second.outcomes["skipped_known"] == 12
        assert second.articles == []
        assert json.loads(json.dumps(second.outcomes)).get("item", 0) == 0
    finally:
        db.drop_database(url)


def test_generated_articles_are_crawled_from_the_mirror(crawl_synthetic) -> None:
    result = crawl_synthetic()
    generated = [article for article in result.articles if article.source_article_id.startswith("4000")]
    assert len(generated) == 30
    assert len({article.canonical_url for article in generated}) == 30
    assert all(article.extraction_layer == "selector" and len(article.body) >= 3 for article in generated)
    assert len(result.articles) == 30 + len(EXPECTED)


def test_generic_spider_crawls_any_site_from_its_feed(crawl) -> None:
    result = crawl(
        "-a",
        "source=baoquocte_generic",
        "-a",
        "feeds=https://baoquocte.vn/rss_feed/",
        "-a",
        "language=vi",
        "-a",
        "timezone=Asia/Ho_Chi_Minh",
        spider="generic",
    )
    assert len(result.articles) == 7
    assert {article.source for article in result.articles} == {"baoquocte_generic"}
    assert {article.extraction_layer for article in result.articles} == {"generic"}
    by_url = {article.canonical_url: article for article in result.articles}
    asean = by_url["https://baoquocte.vn/hoi-nghi-cap-cao-asean-lan-thu-49-khai-mac-235002.html"]
    assert asean.published_at.isoformat() == EXPECTED["235002"]["published_at"]
    assert any(block.text.startswith("Sáng 25/11, Hội nghị Cấp cao ASEAN") for block in asean.body)
