"""End to end: ``scrapy crawl vietnamplus`` against the mirror (three edition hosts, ``.vnp`` pages, an AMP
link in the feed, a video-only page), in a subprocess per crawl."""

from __future__ import annotations

import pytest

from testkit.fixtures import article_pages

pytestmark = pytest.mark.slow

SPIDER = "vietnamplus"
EXPECTED = {
    page.record()["url"]: page.record()
    for page in article_pages()
    if page.source.name == SPIDER and page.expected_record() and not page.path.endswith(".amp")
}
VIDEO_ONLY = "https://www.vietnamplus.vn/khoanh-khac-binh-minh-tren-vinh-ha-long-post1139175.vnp"
PAID_TEASER = "https://www.vietnamplus.vn/toan-canh-kinh-te-viet-nam-quy-iv-va-du-bao-2027-post1139230.vnp"


def article_paths(requests: list[str]) -> list[str]:
    return [path for path in requests if path.split("?")[0].endswith((".vnp", ".amp"))]


def test_full_crawl_yields_exactly_the_expected_feed(crawl) -> None:
    result = crawl(spider=SPIDER)
    assert result.outcomes == {"item": len(EXPECTED), "not_article": 2}
    crawled = {article.url: article.to_dict() for article in result.articles}
    assert sorted(crawled) == sorted(EXPECTED)
    for url, record in crawled.items():
        record["crawled_at"] = EXPECTED[url]["crawled_at"]
        assert record == EXPECTED[url], url
    assert {record["language"] for record in crawled.values()} == {"vi", "en", "zh"}
    reasons = {
        reject["url"]: reject["reason"] for reject in result.rejects if reject["outcome"] == "not_article"
    }
    assert sorted(reasons) == sorted([VIDEO_ONLY, PAID_TEASER])
    assert "video-only" in reasons[VIDEO_ONLY] and "paid-content" in reasons[PAID_TEASER]


def test_amp_and_tracking_links_are_fetched_once_as_the_www_page(crawl) -> None:
    result = crawl(spider=SPIDER)
    paths = article_paths(result.mirror_requests)
    assert len(paths) == len(set(paths)) == len(EXPECTED) + 2, "every article page fetched exactly once"
    assert all(path.startswith(("www.", "en.", "zh.")) for path in paths), "fetched from the edition hosts"
    assert not [path for path in paths if path.endswith(".amp") or "?" in path]
    assert (
        "www.vietnamplus.vn/ha-noi-thi-diem-phan-lan-xe-buyt-dien-tren-duong-vanh-dai-2-post1139170.vnp"
        in paths
    )
    for host in ("www", "en", "zh"):
        assert f"{host}.vietnamplus.vn/robots.txt" in result.mirror_requests
    assert "www.vietnamplus.vn/sitemaps/google-news.xml" in result.mirror_requests
    assert "www.vietnamplus.vn/chinhtri/trang2.html" in result.mirror_requests, "listing paging followed"


def test_window_categories_and_max_articles(crawl) -> None:
    windowed = crawl(
        "-a",
        "since=2026-11-25",
        "-a",
        "until=2026-11-26",
        "-a",
        "categories=chinhtri,zh:politics",
        spider=SPIDER,
    )
    assert sorted(windowed.by_id()) == ["1139170", "1139201", "238415"]
    assert windowed.outcomes["out_of_window"] == 2, "the Mega Story of 22/11 and the 2022 archive page"
    assert "www.vietnamplus.vn/rss/home.rss" not in windowed.mirror_requests, "categories replace the feeds"
    assert not [path for path in windowed.mirror_requests if path.startswith("en.")]
    limited = crawl("-a", "max_articles=2", "-a", "editions=en,zh", spider=SPIDER)
    assert len(article_paths(limited.mirror_requests)) == 2
    assert {article.language for article in limited.articles} <= {"en", "zh"}


def test_incremental_rerun_fetches_only_the_pages_rejected_last_time(crawl) -> None:
    first = crawl(spider=SPIDER)
    second = crawl("-a", "incremental=true", "-a", f"known_feed={first.feed}", spider=SPIDER)
    assert sorted(article_paths(second.mirror_requests)) == sorted(
        url.removeprefix("https://") for url in (VIDEO_ONLY, PAID_TEASER)
    )
    assert second.articles == []
    assert second.outcomes["skipped_known"] == len(first.articles)


def test_bad_pages_end_in_their_outcome_and_a_redirected_or_miscoded_page_is_stored_once(crawl) -> None:
    hooks = "https://www.vietnamplus.vn/__mirror__"
    ordinary = "thu-tuong-chu-tri-phien-hop-chinh-phu-thuong-ky-thang-11-post1139201.vnp"
    miscoded = "kinh-te-the-gioi-2027-ba-rui-ro-lon-va-nhung-diem-sang-post1139188.vnp"
    urls = [
        f"{hooks}/status/404/bai-da-xoa-post1.vnp",
        f"{hooks}/status/410/bai-da-go-post2.vnp",
        f"{hooks}/status/503/loi-may-chu-post3.vnp",
        f"{hooks}/redirect/{ordinary}",
        f"{hooks}/charset/windows-1252/{miscoded}",
        "https://www.vietnamplus.vn/region/ninh-binh/112.vnp",
        "https://www.vietnamplus.vn/tag/dau-tu-cong-tag3348.vnp",
    ]
    result = crawl("-a", f"urls={','.join(urls)}", settings={"RETRY_TIMES": "1"}, spider=SPIDER)
    assert result.outcomes == {
        "http_404": 1,
        "http_410": 1,
        "http_error": 1,
        "item": 1,
        "bad_charset_recovered": 1,
    }, "region and tag pages are not article links; nothing else is lost"
    stored = result.by_id()
    assert stored["1139201"].url == f"https://www.vietnamplus.vn/{ordinary}", (
        "the redirect's target is stored"
    )
    assert stored["1139188"].title == EXPECTED[f"https://www.vietnamplus.vn/{miscoded}"]["title"]
    assert stored["1139188"].flags == ("charset_recovered",)
