"""Every registered source's fixture article pages against their expected records, field by field
(crawled_at fixed). Pages are discovered from the registry: a new source's fixtures are picked up here
without editing this file (see testkit/fixtures.py for the layout)."""

from __future__ import annotations

import pytest

from spiders.registry import all_sources
from spiders.source import Source
from testkit.fixtures import FIXED_CRAWLED_AT, SITES, FixturePage, article_pages, source_pages
from warehouse.record import Article

PAGES = article_pages()
RECORD_PAGES = [page for page in PAGES if page.expected_record() is not None]
REJECTED_PAGES = [page for page in PAGES if (page.expected() or {}).get("outcome")]
SOURCES = all_sources()


def by_id(page: FixturePage) -> str:
    return page.id


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_each_source_has_the_required_fixtures(source: Source) -> None:
    pages = source_pages(source)
    records = [page.record() for page in pages if page.expected_record() is not None]
    assert len(records) >= 6, f"{source.name}: at least 6 article pages with expected records"
    assert {page.host for page in pages} == set(source.hosts), "every edition has article pages"
    missing = [page.id for page in pages if page.expected() is None]
    assert not missing, f"article pages without an expected JSON file: {missing}"
    kinds = {block["kind"] for record in records for block in record["body"]}
    assert {"paragraph", "heading"} <= kinds
    for edition in source.editions:
        root = SITES / edition.host
        assert (root / "robots.txt").is_file(), f"{edition.host}: robots.txt"
        for path in (*edition.feeds, *edition.news_sitemaps):
            assert any(
                (root / candidate).is_file()
                for candidate in (path.strip("/"), path.strip("/") + "/index.xml", path.strip("/") + ".xml")
            ), f"{edition.host}{path}: declared feed or sitemap has no fixture"


@pytest.mark.parametrize("page", RECORD_PAGES, ids=by_id)
def test_article_page_matches_expected_record(page: FixturePage) -> None:
    extraction = page.extract()
    assert extraction.outcome == "item", extraction.reason
    assert extraction.article is not None
    record = extraction.article.to_dict()
    expected = page.record()
    for field in sorted(set(record) | set(expected)):
        assert record.get(field) == expected.get(field), f"{page.id}: field {field!r} differs"
    assert Article.from_dict(expected).to_dict() == expected, "expected JSON must itself be a valid record"
    assert expected["crawled_at"] == FIXED_CRAWLED_AT.isoformat()
    assert expected["source"] == page.source.name


@pytest.mark.parametrize("page", REJECTED_PAGES, ids=by_id)
def test_broken_pages_are_rejected_with_a_reason(page: FixturePage) -> None:
    extraction = page.extract()
    assert extraction.article is None
    assert extraction.outcome == page.expected_outcome()
    assert extraction.reason


def test_baoquocte_fixtures_cover_layers_and_block_kinds() -> None:
    records = [page.record() for page in RECORD_PAGES if page.source.name == "baoquocte"]
    assert {"selector", "metadata"} <= {record["extraction_layer"] for record in records}
    kinds = {block["kind"] for record in records for block in record["body"]}
    assert {"paragraph", "heading", "quote", "list_item", "table"} <= kinds
    assert {"missing_title", "missing_body", "not_article"} <= {
        page.expected_outcome() for page in REJECTED_PAGES if page.source.name == "baoquocte"
    }


@pytest.mark.parametrize("page", RECORD_PAGES, ids=by_id)
def test_no_boilerplate_or_captions_leak_into_the_body(page: FixturePage) -> None:
    leaks = (
        "Theo dõi",
        "Bình luận (",
        "Tin liên quan",
        "Chia sẻ",
        "adsbygoogle",
        "gtag(",
        "Xem thêm:",
        "Đọc thêm:",
    )
    follow = tuple(f"Follow {name}" for name in page.source.nicknames)
    extraction = page.extract()
    assert extraction.article is not None, extraction.reason
    article = extraction.article
    captions = {image.caption for image in article.images}
    for block in article.body:
        assert not any(leak in block.text for leak in leaks + follow), block.text
        assert block.text not in captions, block.text
        assert block.text not in article.authors, block.text
