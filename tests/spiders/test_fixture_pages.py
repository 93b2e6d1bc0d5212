"""Every fixture article page against its expected record, field by field (crawled_at fixed)."""

from __future__ import annotations

import pytest

from spiders.fixtures import FIXED_CRAWLED_AT, article_pages
from warehouse.record import Article

PAGES_WITH_EXPECTED = [page for page in article_pages() if page.expected() is not None]
REJECTED_PAGES = {
    "bai-viet-thieu-tieu-de-235011.html": "missing_title",
    "bai-viet-thieu-noi-dung-235012.html": "missing_body",
    "chu-de-bien-dong-247.html": "not_article",
}


def test_fixture_site_covers_the_required_cases() -> None:
    assert len(PAGES_WITH_EXPECTED) >= 8
    hosts = {page.host for page in PAGES_WITH_EXPECTED}
    assert hosts == {"baoquocte.vn", "en.baoquocte.vn"}
    layers = {page.expected()["extraction_layer"] for page in PAGES_WITH_EXPECTED}
    assert {"selector", "metadata"} <= layers
    kinds = {block["kind"] for page in PAGES_WITH_EXPECTED for block in page.expected()["body"]}
    assert {"paragraph", "heading", "quote", "list_item", "table"} <= kinds


@pytest.mark.parametrize("page", PAGES_WITH_EXPECTED, ids=lambda page: page.path)
def test_article_page_matches_expected_record(page) -> None:
    extraction = page.extract()
    assert extraction.outcome == "item", extraction.reason
    record = extraction.article.to_dict()
    expected = page.expected()
    for field in sorted(set(record) | set(expected)):
        assert record.get(field) == expected.get(field), f"{page.path}: field {field!r} differs"
    assert Article.from_dict(expected).to_dict() == expected, "expected JSON must itself be a valid record"
    assert expected["crawled_at"] == FIXED_CRAWLED_AT.isoformat()


@pytest.mark.parametrize(("path", "outcome"), sorted(REJECTED_PAGES.items()))
def test_broken_pages_are_rejected_with_a_reason(path: str, outcome: str) -> None:
    page = next(page for page in article_pages() if page.path == path)
    extraction = page.extract()
    assert extraction.article is None
    assert extraction.outcome == outcome
    assert extraction.reason
    assert page.expected() is None


def test_no_boilerplate_or_captions_leak_into_any_body() -> None:
    leaks = (
        "Theo dõi",
        "Follow baoquocte",
        "Bình luận (",
        "Tin liên quan",
        "Chia sẻ",
        "adsbygoogle",
        "gtag(",
    )
    for page in PAGES_WITH_EXPECTED:
        article = page.extract().article
        captions = {image.caption for image in article.images}
        for block in article.body:
            assert not any(leak in block.text for leak in leaks), (page.path, block.text)
            assert block.text not in captions, (page.path, block.text)
            assert block.text not in article.authors, (page.path, block.text)
