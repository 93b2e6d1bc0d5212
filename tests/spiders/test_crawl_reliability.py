"""Every page of the campaign's bad-page corpus ends in its one outcome, URL variants collapse into one
article, the crawl's page count equals the sum of its outcomes, and the crawl finishes."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from spiders.base import NewsSpider, decode_page
from spiders.crawlers import SPIDERS
from spiders.outcomes import ExtractionErrorMiddleware, OutcomeRecorder, item_outcome
from testkit.corpus import PAGE_CASES, article_html, to_cp1258

TITLE = "Bài viết về hợp tác kinh tế khu vực"

BaoquocteSpider = SPIDERS["baoquocte"]
FAST_FAILURE = {"DOWNLOAD_TIMEOUT": "8", "RETRY_TIMES": "0"}


@pytest.mark.slow
def test_every_corpus_page_ends_in_its_outcome_and_pages_equal_outcomes(crawl_corpus) -> None:
    result = crawl_corpus("-a", "urls=" + ",".join(case.url for case in PAGE_CASES), settings=FAST_FAILURE)

    requested = [case for case in PAGE_CASES if case.outcome]
    per_page = {reject["url"]: reject["outcome"] for reject in result.rejects}
    per_page.update({article.url: item_outcome(article.flags) for article in result.articles})
    wrong = {
        case.name: per_page.get(case.url)
        for case in requested
        if case.outcome != "duplicate" and per_page.get(case.url) != case.outcome
    }
    assert wrong == {}, "\n".join(f"{name}: {got}" for name, got in wrong.items())
    assert sum(result.outcomes.values()) == len(requested), "every requested page ends in exactly one outcome"
    assert result.outcomes == dict(Counter(case.outcome for case in requested))
    assert "ended without an outcome" not in result.log
    assert "Spider closed (finished)" in result.log
    variant = next(case for case in PAGE_CASES if case.name == "variant")
    assert [article.canonical_url for article in result.articles].count(variant.url) == 1


def _response(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse("https://baoquocte.vn/a-1.html", body=body, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    ("body", "content_type", "flags"),
    [
        (article_html(TITLE).encode(), "text/html; charset=utf-8", ()),
        (
            article_html(TITLE).encode().replace("kinh tế".encode(), b"kinh t\xe1"),
            "text/html; charset=utf-8",
            ("invalid_utf8",),
        ),
        (
            article_html(TITLE).encode()[:-20] + "Á".encode()[:1],
            "text/html; charset=utf-8",
            ("invalid_utf8",),
        ),
        (article_html(TITLE).encode(), "text/html; charset=iso-8859-1", ("charset_recovered",)),
        (to_cp1258(article_html(TITLE)), "text/html; charset=utf-8", ("charset_recovered",)),
        (to_cp1258(article_html(TITLE)), "text/html; charset=windows-1258", ()),
    ],
    ids=[
        "utf8",
        "one-bad-byte",
        "cut-mid-character",
        "utf8-declared-latin1",
        "cp1258-declared-utf8",
        "cp1258",
    ],
)
def test_a_page_is_read_as_utf8_unless_it_really_is_in_a_legacy_code_page(body, content_type, flags) -> None:
    text, got = decode_page(_response(body, content_type))

    assert got == flags
    assert "Bài viết về hợp tác" in unicodedata.normalize("NFC", text), "never mojibake"
    assert "BĂ i" not in text and "á»" not in text


def test_an_exception_in_a_callback_is_an_extraction_error_and_the_crawl_goes_on() -> None:
    crawler = get_crawler(BaoquocteSpider)
    spider = crawler._create_spider()
    assert isinstance(spider, NewsSpider)
    spider.outcomes = OutcomeRecorder(crawler)
    crawler.spider = spider
    request = Request("https://baoquocte.vn/a-1.html", meta={"article_page": True})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)

    remaining = ExtractionErrorMiddleware.from_crawler(crawler).process_spider_exception(
        response, OverflowError("date value out of range")
    )

    assert remaining == []
    assert spider.outcomes.counts() == {"extraction_error": 1}


_RAISING_CRAWL = """
import sys
from spiders.extract.article import ArticleParser
extract = ArticleParser.extract

def extract_or_raise(self, html, url, *args, **kwargs):
    if "9006" in url and "plain" not in url:
        raise OverflowError("date value out of range")
    return extract(self, html, url, *args, **kwargs)

ArticleParser.extract = extract_or_raise
from scrapy.cmdline import execute
execute(["scrapy", "crawl", "baoquocte", *sys.argv[1:]])
"""


@pytest.mark.slow
def test_a_callback_that_raises_ends_its_page_as_extraction_error_and_the_crawl_goes_on(crawl_corpus) -> None:
    plain, year = (next(case for case in PAGE_CASES if case.name == name) for name in ("plain", "year-0001"))
    result = crawl_corpus("-a", f"urls={year.url},{plain.url}", python_code=_RAISING_CRAWL)

    assert result.outcomes == {"extraction_error": 1, "item": 1}
    assert [reject["outcome"] for reject in result.rejects] == ["extraction_error"]
    assert "OverflowError: date value out of range" in result.rejects[0]["reason"]
