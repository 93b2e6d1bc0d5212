"""The local mirror: real URL structure, content types, 404s, test hooks and generated articles."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from spiders.sources.baoquocte import SOURCE as BAOQUOCTE
from testkit.mirror import serve_mirror
from testkit.synthetic_pages import synthetic_sources


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_fixture_site_is_served_under_its_real_paths() -> None:
    access_log: list[str] = []
    with serve_mirror(access_log=access_log) as base:
        status, headers, body = fetch(
            f"{base}/baoquocte.vn/thu-tuong-tiep-dai-su-nhat-ban-chao-tu-biet-235001.html"
        )
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "Thủ tướng tiếp Đại sứ Nhật Bản".encode() in body
        status, headers, body = fetch(f"{base}/baoquocte.vn/rss_feed/")
        assert (status, headers["Content-Type"]) == (200, "application/rss+xml; charset=utf-8")
        assert b"<rss" in body
        assert fetch(f"{base}/baoquocte.vn/rss_feed/thoi-su")[0] == 200
        assert b"__MB_ARTICLE_PAGING" in fetch(f"{base}/baoquocte.vn/thoi-su/p2")[2]
        assert b"Disallow: /ban-in/" in fetch(f"{base}/en.baoquocte.vn/robots.txt")[2]
        assert fetch(f"{base}/baoquocte.vn/khong-ton-tai-1.html")[0] == 404
        assert fetch(f"{base}/baoquocte.vn/../../../etc/passwd")[0] == 404
    assert "baoquocte.vn/rss_feed/" in access_log


def test_bad_input_hooks() -> None:
    page = "hoi-nghi-cap-cao-asean-lan-thu-49-khai-mac-235002.html"
    with serve_mirror() as base:
        hooks = f"{base}/baoquocte.vn/__mirror__"
        assert fetch(f"{hooks}/status/410/bai-1.html")[0] == 410
        assert fetch(f"{hooks}/status/500/bai-1.html")[0] == 500
        status, headers, body = fetch(f"{hooks}/charset/iso-8859-1/{page}")
        assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
        assert "Hội nghị".encode() in body
        status, headers, body = fetch(f"{hooks}/charset/none/{page}")
        assert headers["Content-Type"] == "text/html" and b'charset="utf-8"' not in body
        status, headers, body = fetch(f"{hooks}/huge/1/bai-2.html")
        assert status == 200 and len(body) == 1024 * 1024 == int(headers["Content-Length"])


@pytest.mark.parametrize("count", [1, 45])
def test_synthetic_articles_are_listed_and_parse_as_distinct_articles(count: int) -> None:
    parser = BAOQUOCTE.instance
    now = datetime.now(UTC)
    with serve_mirror(synthetic_articles=count) as base:
        feed = fetch(f"{base}/baoquocte.vn/rss_feed/")[2].decode()
        category_feed = fetch(f"{base}/baoquocte.vn/rss_feed/tong-hop")[2].decode()
        listing = fetch(f"{base}/baoquocte.vn/tong-hop")[2].decode()
        links = re.findall(r"<link>(https://[^<]+\.html)</link>", category_feed)
        assert len(links) == count
        assert all(link in feed for link in links), "the main feed lists the generated articles too"
        assert links[0].rsplit("/", 1)[1] in listing
        if count > 20:
            assert fetch(f"{base}/baoquocte.vn/tong-hop/p3")[0] == 200
        ids = set()
        for link in links[:5]:
            path = link.removeprefix("https://")
            extraction = parser.extract(fetch(f"{base}/{path}")[2].decode(), link, now)
            article = extraction.article
            assert extraction.outcome == "item", extraction.reason
            assert article is not None and article.published_at is not None
            assert article.extraction_layer == "selector" and len(article.body) >= 3
            assert now - timedelta(days=8) < article.published_at <= now
            assert not any("Theo dõi" in block.text for block in article.body)
            ids.add(article.source_article_id)
        assert len(ids) == min(count, 5)


def test_mirror_serves_every_registered_host_and_no_other() -> None:
    from spiders.registry import all_hosts

    with serve_mirror() as base:
        for host in all_hosts():
            status, _, body = fetch(f"{base}/{host}/robots.txt")
            assert status == 200 and b"User-agent" in body, host
        assert fetch(f"{base}/unregistered.example/robots.txt")[0] == 404


@pytest.mark.parametrize("source", synthetic_sources(), ids=lambda source: source.name)
def test_every_source_renders_generated_articles_its_own_parser_reads_back(source) -> None:
    from testkit import synthetic_pages

    now = datetime.now(UTC)
    for content in synthetic_pages.generate(3, now, source=source):
        extraction = source.instance.extract(source.render_article(content), content.url, now)
        article = extraction.article
        assert extraction.outcome == "item", extraction.reason
        assert article.title == content.title
        assert [block.text for block in article.body] == list(content.paragraphs)
        assert article.lead == content.lead
        assert set(content.authors) <= set(article.authors)
        assert article.published_at == content.published_at
        assert article.source_article_id == content.article_id
        assert any(image.src == content.image_src and image.credit for image in article.images)
