"""Tuổi Trẻ's own rules: which URLs are articles, feed dates, wire attributions, image URLs, sitemaps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from spiders.crawlers import SPIDERS
from spiders.extract.dates import parse_site_datetime
from spiders.extract.text import split_caption_credit
from spiders.extract.vccms import full_size_image
from spiders.sources.tuoitre import SOURCE, TuoitreSpider, feed_time_us
from testkit import synthetic_pages
from testkit.fixtures import FIXED_CRAWLED_AT, SITES

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("url", "article_id"),
    [
        ("https://tuoitre.vn/cong-an-tp-hcm-triet-pha-100261126083015482.htm", "100261126083015482"),
        ("https://tuoitre.vn/amp/cong-an-tp-hcm-triet-pha-100261126083015482.htm", "100261126083015482"),
        ("https://tuoitre.vn/khach-mice-nam-2027-10026100513194289.htm?utm_source=rss", "10026100513194289"),
        ("https://tuoitre.vn/xet-hoc-ba-20220124205059568.htm", "20220124205059568"),
        ("https://tuoitrenews.vn/news/society/20261125/metro-feeder-buses/91452.html", "91452"),
        ("https://tuoitre.vn/__mirror__/status/404/a-100261126083015482.htm", "100261126083015482"),
        ("https://tuoitre.vn/video/phong-su-dem-tuan-tra-203811.htm", None),
        ("https://tuoitre.vn/tac-gia/dan-thuan-39174.htm", None),
        ("https://tuoitre.vn/timeline/6/trang-2.htm", None),
        ("https://tuoitre.vn/su-kien/chong-hang-gia-hang-nhai-5391.htm", None),
        ("https://tuoitre.vn/video/tin-tuc/phong-su-moi-nhat-20381123.htm", None),
        ("https://tuoitre.vn/quan-binh-tan.html", None),
        ("https://tuoitre.vn/phap-luat.htm", None),
        ("https://tuoitre.vn.example.com/a-100261126083015482.htm", None),
    ],
)
def test_article_urls(url: str, article_id: str | None) -> None:
    match = SOURCE.article_url.search(url)
    assert (match.group("id") if match else None) == article_id


def test_feed_dates_are_month_first_twelve_hour_site_time() -> None:
    assert feed_time_us("11/26/2026 8:30:00 AM", SAIGON) == datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
    assert feed_time_us("11/26/2026 12:05:00 AM", SAIGON) == datetime(2026, 11, 25, 17, 5, tzinfo=UTC)
    assert feed_time_us("11/26/2026 3:42:00 PM", SAIGON) == datetime(2026, 11, 26, 8, 42, tzinfo=UTC)
    assert feed_time_us("26/11/2026 8:30:00 AM", SAIGON) is None
    assert feed_time_us("Thu, 26 Nov 2026 08:30:00 +0700", SAIGON) is None


def test_spider_reads_both_feed_date_forms() -> None:
    spider = SPIDERS["tuoitre"]()
    assert spider.feed_time("11/26/2026 8:30:00 AM") == spider.feed_time("Thu, 26 Nov 2026 08:30:00 +0700")


def test_resized_images_map_to_the_full_size_file() -> None:
    full = "https://cdn2.tuoitre.vn/471584752817336320/2026/11/26/a-1764.jpg"
    assert (
        full_size_image("https://cdn2.tuoitre.vn/thumb_w/730/471584752817336320/2026/11/26/a-1764.jpg")
        == full
    )
    assert full_size_image(full) == full
    assert full_size_image("https://static.tuoitrenews.vn/ttnew/r/2026/11/25/a.jpg").endswith(
        "/ttnew/r/2026/11/25/a.jpg"
    )


def test_shared_helpers_read_tuoitre_forms() -> None:
    assert parse_site_datetime("Wed, November 25, 2026 | 4:40 pm GMT+7", SAIGON) == datetime(
        2026, 11, 25, 9, 40, tzinfo=UTC
    )
    assert parse_site_datetime("November 1, 2026 12:15 am", SAIGON) == datetime(
        2026, 10, 31, 17, 15, tzinfo=UTC
    )
    assert split_caption_credit("Tang vật - Ảnh: Công an cung cấp") == ("Tang vật", "Công an cung cấp")
    assert split_caption_credit("Đoàn kiểm tra - Ảnh tư liệu: TTXVN") == ("Đoàn kiểm tra", "TTXVN")


def test_monthly_sitemaps_cover_the_window() -> None:
    def spider(**arguments: str) -> TuoitreSpider:
        made = SPIDERS["tuoitre"](**arguments)
        assert isinstance(made, TuoitreSpider)
        return made

    assert spider(since="2026-10-20", until="2026-12-02")._sitemap_months() == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]
    assert spider(until="2026-11-15")._sitemap_months() == [date(2026, 11, 1)]
    today = datetime.now(SAIGON).date()
    default = spider()._sitemap_months()
    assert default[-1] == today.replace(day=1) and len(default) == (2 if today.day <= 3 else 1)
    for edition in SOURCE.editions:
        for sitemap in edition.news_sitemaps:
            assert (SITES / edition.host / sitemap.strip("/")).is_file()


def test_a_members_only_preview_is_not_stored_even_with_its_text() -> None:
    page = (
        SITES
        / "tuoitre.vn"
        / "bi-quyet-giu-nhip-tang-truong-cua-doanh-nghiep-nho-giua-bao-chi-phi-100261126200000742.htm"
    )
    html = page.read_text(encoding="utf-8")
    url = "https://tuoitre.vn/" + page.name
    assert SOURCE.instance.extract(html, url, FIXED_CRAWLED_AT).outcome == "not_article"
    unlocked = html.replace('data-atc="atc-nonstar"', 'data-atc="atc-star"')
    extraction = SOURCE.instance.extract(unlocked, url, FIXED_CRAWLED_AT)
    assert extraction.outcome == "item"
    assert extraction.article is not None
    assert [block.text[:18] for block in extraction.article.body] == [
        "Chi phí thuê mặt b",
        "Một số chủ doanh n",
    ]


def test_generated_articles_read_like_the_site() -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    for generated in synthetic_pages.generate(3, now, source=SOURCE):
        assert SOURCE.article_url.search(generated.url), generated.url
        extraction = SOURCE.instance.extract(
            synthetic_pages.article_page(SOURCE, generated), generated.url, now
        )
        article = extraction.article
        assert article is not None, extraction.reason
        assert article.extraction_layer == "selector"
        assert [block.text for block in article.body] == list(generated.paragraphs)
        assert (article.title, article.lead, article.section) == (
            generated.title,
            generated.lead,
            generated.section,
        )
        assert article.authors == generated.authors
        assert article.published_at == generated.published_at
        assert [(image.src, image.credit) for image in article.images] == [
            (generated.image_src, generated.image_credit)
        ]
