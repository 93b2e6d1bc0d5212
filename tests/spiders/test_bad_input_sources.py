"""Bad input for every registered source, from the framework's side (no source-specific knowledge: each
case is built from the source's declaration and its fixture pages): a feed frozen for months, a sitemap
with one lastmod on every URL, a redirect to a consent or login page, a page in an unexpected language,
AMP and print variants of an article; and the mirror's failure hooks end to end."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from lxml import etree
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from spiders.article_validation import ArticleValidationPipeline
from spiders.crawlers import SPIDERS
from spiders.known import KnownArticle
from spiders.registry import all_sources
from spiders.source import Source
from testkit.fixtures import FixturePage, source_pages
from testkit.noise import body_paragraphs

SOURCES = all_sources()
ENGLISH = (
    "The two ministers agreed to expand cooperation in trade, investment and education next year.",
    "Officials said the new agreement would help small businesses reach markets across the region.",
    "Both sides also discussed climate change, public health and the safety of shipping lanes.",
)
VIETNAMESE = (
    "Hai bộ trưởng nhất trí mở rộng hợp tác trong các lĩnh vực thương mại, đầu tư và giáo dục.",
    "Các quan chức cho biết hiệp định mới sẽ giúp doanh nghiệp nhỏ tiếp cận thị trường khu vực.",
    "Hai bên cũng thảo luận về biến đổi khí hậu, y tế công cộng và an toàn hàng hải.",
)


def record_pages(source: Source) -> list[FixturePage]:
    return [page for page in source_pages(source) if page.expected_record() is not None]


def make_spider(source: Source, **arguments: str):
    spider_class = SPIDERS[source.name]
    crawler = get_crawler(spider_class, {"NEWS_MAX_LISTING_PAGES": 5})
    spider = spider_class.from_crawler(crawler, **arguments)
    crawler.spider = spider
    return spider


def stat(spider, name: str) -> int:
    return spider.crawler.stats.get_value(name) or 0


def rss(urls: list[str], published: datetime) -> str:
    items = "".join(
        f"<item><title>t</title><link>{url}</link><pubDate>{format_datetime(published)}</pubDate></item>"
        for url in urls
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_a_feed_frozen_for_months_makes_no_work_and_no_error(source: Source) -> None:
    urls = [page.url for page in record_pages(source)]
    feed = XmlResponse(
        url=f"{source.base_url}/feed.xml",
        body=rss(urls, datetime(2026, 6, 1, 8, 0, tzinfo=UTC)).encode(),
        encoding="utf-8",
    )
    windowed = make_spider(source, since="2026-11-20")
    assert list(windowed.parse_feed(feed)) == []
    # One outcome per article: a fixture's AMP twin shares its article's canonical URL.
    articles = {page.record()["canonical_url"] for page in record_pages(source)}
    assert stat(windowed, "news/outcome/out_of_window") == len(articles)
    incremental = make_spider(source)
    incremental.known = {
        page.record()["canonical_url"]: KnownArticle(
            page.record()["canonical_url"], "hash", datetime(2026, 11, 1, tzinfo=UTC)
        )
        for page in record_pages(source)
    }
    assert list(incremental.parse_feed(feed)) == []
    incremental.settle_outcomes()
    assert stat(incremental, "news/outcome/skipped_known") == len(set(incremental.known))
    for spider in (windowed, incremental):
        assert stat(spider, "news/outcome/discovery_failed") == 0


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_a_sitemap_with_one_lastmod_everywhere_does_not_refetch_known_articles(source: Source) -> None:
    pages = record_pages(source)
    known, new = pages[: len(pages) // 2], pages[len(pages) // 2 :]
    urls = "".join(
        f"<url><loc>{page.url}</loc><lastmod>2026-11-27T00:00:00+07:00</lastmod></url>" for page in pages
    )
    sitemap = XmlResponse(
        url=f"{source.base_url}/sitemap.xml",
        body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
        encoding="utf-8",
    )
    spider = make_spider(source)
    spider.known = {
        page.record()["canonical_url"]: KnownArticle(
            page.record()["canonical_url"], "hash", datetime(2026, 11, 20, tzinfo=UTC)
        )
        for page in known
    }
    requested = {request.url for request in spider.parse_sitemap(sitemap)}
    assert requested == {page.record()["canonical_url"] for page in new} - set(spider.known)
    assert stat(spider, "news/discovery/sitemap_uniform_lastmod") == 1


def amp_and_mobile_variants(page: FixturePage) -> list[str]:
    return [
        f"https://{page.host}/amp/{page.path}",
        f"https://m.{page.host}/{page.path}",
        f"https://{page.host}/{page.path}?amp=1&utm_source=zalo",
        f"https://{page.host}/{page.path}#binh-luan",
    ]


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_amp_and_print_variants_are_one_article(source: Source) -> None:
    page = next(p for p in record_pages(source) if p.record()["canonical_url"] == p.url)
    spider = make_spider(source)
    requests = [
        spider.article_request(url, listed_at=None) for url in [page.url, *amp_and_mobile_variants(page)]
    ]
    assert [request.url for request in requests if request is not None] == [page.url]
    print_url = f"https://{page.host}/print/{page.path}?print=1"
    printed = page.source.instance.extract(page.html(), print_url, datetime(2026, 11, 27, tzinfo=UTC))
    assert printed.article is not None, printed.reason
    assert printed.article.canonical_url == page.url, "the page's rel=canonical names the article"
    pipeline = ArticleValidationPipeline(spider.crawler)
    pipeline.process_item(page.article().to_dict())
    with pytest.raises(Exception, match="duplicate"):
        pipeline.process_item(printed.article.to_dict())


def rewritten_in(page: FixturePage, title: str, sentences: tuple[str, ...]) -> str:
    tree = etree.HTML(page.html())
    for index, paragraph in enumerate(body_paragraphs(page, tree)):
        for child in list(paragraph):
            paragraph.remove(child)
        paragraph.text = sentences[index % len(sentences)]
    lead = page.record()["lead"] or "\0"
    for element in list(tree.iter()):
        text = " ".join("".join(element.itertext()).split()) if isinstance(element.tag, str) else ""
        if text.endswith(lead) and element.tag not in ("html", "body") and len(text) < len(lead) + 40:
            for child in list(element):
                element.remove(child)
            element.text = sentences[-1]
    for heading in tree.iter("h1"):
        for child in list(heading):
            heading.remove(child)
        heading.text = title
    return etree.tostring(tree, method="html", encoding="unicode")


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_a_page_in_an_unexpected_language_is_detected_and_routed(source: Source) -> None:
    checked = 0
    for page in record_pages(source):
        expected = page.record()
        if len(body_paragraphs(page, etree.HTML(page.html()))) < 2 or expected["language"] not in (
            "vi",
            "en",
        ):
            continue
        other, sentences, title = (
            ("en", ENGLISH, "Ministers agree to expand cooperation")
            if expected["language"] == "vi"
            else ("vi", VIETNAMESE, "Hai bộ trưởng nhất trí mở rộng hợp tác")
        )
        article = page.extract(rewritten_in(page, title, sentences)).article
        assert article is not None
        assert article.language == other, page.id
        assert "unexpected_language" in article.flags
        assert page.article().language == expected["language"], "the original stays as it was"
        checked += 1
    assert checked >= 1, f"{source.name}: no fixture page with <p> body paragraphs to rewrite"


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_failures_redirects_and_variants_end_in_their_outcomes_for_every_source(
    source: Source, crawl
) -> None:
    pages = record_pages(source)
    page = next(p for p in pages if p.record()["canonical_url"] == p.url)
    other = next(
        (p for p in pages if p.record()["canonical_url"] != page.url and not p.html().isascii()),
        page,
    )
    hooks = f"https://{page.host}/__mirror__"
    slug = page.path.rsplit("/", 1)[-1]
    bad_input = {
        f"{hooks}/status/404/{slug}": "http_404",
        f"{hooks}/status/410/{slug}": "http_410",
        f"{hooks}/status/500/{slug}": "http_error",
        f"{hooks}/huge/10/{slug}": "too_large",
        f"{hooks}/consent/{slug}": "redirected_away",
    }
    urls = [*bad_input, page.url, *amp_and_mobile_variants(page)]
    if other is not page:
        urls.append(f"{hooks}/charset/iso-8859-1/{other.path}")
    result = crawl("-a", "urls=" + ",".join(urls), settings={"RETRY_TIMES": "0"}, spider=source.name)
    assert "Spider closed (finished)" in result.log
    rejected = {reject["url"]: reject["outcome"] for reject in result.rejects}
    for url, outcome in bad_input.items():
        assert rejected.get(url) == outcome, (url, result.rejects)
    assert [article.canonical_url for article in result.articles].count(page.url) == 1
    assert not any("__mirror__/consent" in article.url for article in result.articles)
    if other is not page:
        assert result.outcomes.get("bad_charset_recovered") == 1
        recovered = next(a for a in result.articles if a.canonical_url == other.record()["canonical_url"])
        assert recovered.title == other.record()["title"]
