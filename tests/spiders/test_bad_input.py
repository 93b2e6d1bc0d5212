"""Bad input never crashes a crawl: each page ends in a recorded outcome, rejects are written for the
quarantine, and retries happen (with backoff) where they can help."""

from __future__ import annotations

import pytest

from spiders.downloader import RetryBackoffMiddleware

SITE = "https://baoquocte.vn"
HOOKS = f"{SITE}/__mirror__"
ASEAN = "hoi-nghi-cap-cao-asean-lan-thu-49-khai-mac-235002.html"
ORDINARY = "thu-tuong-tiep-dai-su-nhat-ban-chao-tu-biet-235001.html"
BAD_INPUT = {
    f"{HOOKS}/status/404/bai-da-xoa-900404.html": "http_404",
    f"{HOOKS}/status/410/bai-go-bo-900410.html": "http_410",
    f"{HOOKS}/status/500/loi-may-chu-900500.html": "http_error",
    f"{HOOKS}/slow/5/may-chu-cham-900504.html": "timeout",
    f"{HOOKS}/huge/10/trang-10mb-900413.html": "too_large",
    f"{HOOKS}/stream/10/trang-10mb-khong-do-dai-900414.html": "too_large",
    f"{HOOKS}/charset/iso-8859-1/{ASEAN}": "bad_charset_recovered",
    f"{HOOKS}/charset/none/quan-he-viet-nam-hoa-ky-buoc-vao-giai-doan-moi-235003.html": "item",
    f"{HOOKS}/redirect/ngoai-giao-van-hoa-lan-toa-hinh-anh-viet-nam-98765.html": "item",
    f"{SITE}/bao-cao-thuong-nien-ve-dau-tu-235010.html": "truncated_recovered",
    f"{SITE}/bai-viet-thieu-tieu-de-235011.html": "missing_title",
    f"{SITE}/bai-viet-thieu-noi-dung-235012.html": "missing_body",
    f"{SITE}/chu-de-bien-dong-247.html": "not_article",
    f"{SITE}/ky-niem-ngay-thanh-lap-asean-235014.html": "future_date_flagged",
    f"{SITE}/tin-nhanh-ngoai-giao-trong-tuan-235015.html": "unparsable_date_flagged",
}
SAME_ARTICLE = [
    f"{SITE}/{ORDINARY}?utm_source=zalo&utm_medium=social",
    f"{SITE}/{ORDINARY}#binh-luan",
    f"{SITE}/amp/{ORDINARY}",
    f"https://m.baoquocte.vn/{ORDINARY}",
]
FAST_FAILURE = {"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "1"}


@pytest.mark.slow
def test_every_bad_page_ends_in_its_outcome_and_the_crawl_finishes(crawl) -> None:
    result = crawl("-a", "urls=" + ",".join([*BAD_INPUT, *SAME_ARTICLE]), settings=FAST_FAILURE)
    expected: dict[str, int] = {}
    for outcome in [*BAD_INPUT.values(), "item"]:
        expected[outcome] = expected.get(outcome, 0) + 1
    assert result.outcomes == expected
    assert "Spider closed (finished)" in result.log
    rejected = {reject["url"]: reject for reject in result.rejects}
    for url, outcome in BAD_INPUT.items():
        if outcome in {"http_404", "http_410", "http_error", "timeout", "too_large", "missing_title"}:
            assert rejected[url]["outcome"] == outcome
            assert rejected[url]["reason"]
    assert [article.canonical_url for article in result.articles].count(f"{SITE}/{ORDINARY}") == 1
    by_id = result.by_id()
    assert by_id["235002"].flags == ("charset_recovered",)
    assert by_id["235002"].title == "Hội nghị Cấp cao ASEAN lần thứ 49 khai mạc", "text decoded correctly"
    assert by_id["235003"].body[1].text == "Hợp tác kinh tế là động lực"
    assert by_id["235014"].flags == ("future_date",)
    assert by_id["98765"].url == f"{SITE}/ngoai-giao-van-hoa-lan-toa-hinh-anh-viet-nam-98765.html", (
        "a redirect inside the mirror lands on the original site's URL"
    )


@pytest.mark.slow
def test_server_errors_and_timeouts_are_retried_before_being_recorded(crawl) -> None:
    urls = [f"{HOOKS}/status/503/tam-ngung-900503.html", f"{HOOKS}/slow/5/cham-900505.html"]
    result = crawl("-a", "urls=" + ",".join(urls), settings={**FAST_FAILURE, "RETRY_TIMES": "2"})
    assert result.outcomes == {"http_error": 1, "timeout": 1}
    attempts = [path for path in result.mirror_requests if "__mirror__" in path]
    assert len(attempts) == 6, "each failing page is tried once and retried twice"


def test_retry_backoff_doubles_up_to_a_ceiling() -> None:
    backoff = RetryBackoffMiddleware(base=2.0, maximum=60.0)
    assert [backoff.delay(retry) for retry in range(8)] == [0.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


@pytest.mark.slow
def test_a_crawl_whose_discovery_fails_says_so(crawl) -> None:
    result = crawl("-a", "categories=khong-ton-tai", settings={"RETRY_TIMES": "0"})
    assert result.outcomes == {"discovery_failed": 2}
    assert {reject["url"] for reject in result.rejects} == {
        "https://baoquocte.vn/rss_feed/khong-ton-tai",
        "https://baoquocte.vn/khong-ton-tai",
    }
    assert all(reject["reason"].startswith("HttpError") for reject in result.rejects)
