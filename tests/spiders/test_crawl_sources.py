"""End to end for every registered source: ``scrapy crawl <source>`` with its default discovery against
the mirror reaches every edition, stays on the source's hosts, fails no discovery, stores each article
once, and stores exactly the record its fixture test expects."""

from __future__ import annotations

import pytest

from spiders.registry import all_sources
from spiders.source import Source
from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("source", all_sources(), ids=lambda source: source.name)
def test_default_crawl_of_every_source_reaches_every_edition(source: Source, crawl) -> None:
    result = crawl(spider=source.name)

    assert "Spider closed (finished)" in result.log
    assert "discovery_failed" not in result.outcomes, result.rejects
    assert result.articles, result.outcomes
    hosts = {request.split("/", 1)[0] for request in result.mirror_requests}
    assert hosts <= set(source.hosts), "requests stay on the source's edition hosts"
    crawled_hosts = {article.canonical_url.split("/")[2] for article in result.articles}
    assert crawled_hosts == set(source.hosts)
    canonical = [article.canonical_url for article in result.articles]
    assert len(canonical) == len(set(canonical))
    expected = {
        page.record()["canonical_url"]: page.record()
        for page in article_pages()
        if page.expected_record() and page.source is source
    }
    compared = 0
    for article in result.articles:
        record = expected.get(article.canonical_url)
        if record is not None and record["url"] == article.url:
            stored = article.to_dict()
            assert {k: v for k, v in stored.items() if k != "crawled_at"} == {
                k: v for k, v in record.items() if k != "crawled_at"
            }, article.canonical_url
            compared += 1
    assert compared >= 1
