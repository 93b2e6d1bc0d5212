"""The shared extraction helpers: URL canonicalisation, site-time dates, bylines, captions, charsets,
and the layered fallback down to the generic extractor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from scrapy.http import HtmlResponse

from spiders.base import decode_page
from spiders.extract.dates import parse_day, parse_iso_datetime, parse_rfc822_datetime, parse_site_datetime
from spiders.extract.text import is_boilerplate, split_authors, split_caption_credit
from spiders.extract.urls import canonicalize
from spiders.sources.baoquocte import SOURCE as BAOQUOCTE

SITE = ZoneInfo("Asia/Ho_Chi_Minh")
ARTICLE = "https://baoquocte.vn/thu-tuong-tiep-dai-su-235001.html"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        ARTICLE + "?utm_source=rss&utm_medium=feed",
        ARTICLE + "#comments",
        ARTICLE + "?fbclid=IwAR3&gclid=abc",
        "https://m.baoquocte.vn/thu-tuong-tiep-dai-su-235001.html",
        "https://baoquocte.vn/amp/thu-tuong-tiep-dai-su-235001.html",
        "http://www.baoquocte.vn/thu-tuong-tiep-dai-su-235001.html?amp",
        "HTTPS://BAOQUOCTE.VN/thu-tuong-tiep-dai-su-235001.html?utm_campaign=x#top",
        ARTICLE + "/",
        "http://www.baoquocte.vn/thu-tuong-tiep-dai-su-235001.html/#binh-luan",
        "https://baoquocte.vn/print/thu-tuong-tiep-dai-su-235001.html",
        "https://baoquocte.vn/thu-tuong-tiep-dai-su-235001.html/amp",
        ARTICLE + "?print=1",
        ARTICLE + "?view=print&utm_source=zalo",
        ARTICLE + "?",
    ],
)
def test_variants_of_one_article_share_its_canonical_url(variant: str) -> None:
    assert canonicalize(variant) == ARTICLE


def test_canonicalisation_keeps_meaningful_parameters_and_subdomains() -> None:
    assert canonicalize("https://baoquocte.vn/tim-kiem?q=asean&utm_source=x&page=2") == (
        "https://baoquocte.vn/tim-kiem?page=2&q=asean"
    )
    assert canonicalize("https://m.en.baoquocte.vn/a-1.html") == "https://en.baoquocte.vn/a-1.html"


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Thứ Năm, 26/11/2026 08:30", datetime(2026, 11, 26, 1, 30, tzinfo=UTC)),
        ("08:30 | 26/11/2026", datetime(2026, 11, 26, 1, 30, tzinfo=UTC)),
        ("01/01/2027 03:15", datetime(2026, 12, 31, 20, 15, tzinfo=UTC)),
        ("November 26, 2026 | 15:40", datetime(2026, 11, 26, 8, 40, tzinfo=UTC)),
        ("15/03/2019", datetime(2019, 3, 14, 17, 0, tzinfo=UTC)),
    ],
)
def test_site_dates_are_read_in_site_time_and_stored_as_utc(shown: str, expected: datetime) -> None:
    assert parse_site_datetime(shown, SITE) == expected


@pytest.mark.parametrize("shown", ["Đang cập nhật", "31/02/2026 10:00", "", "99/99/9999 99:99"])
def test_impossible_or_missing_dates_are_none(shown: str) -> None:
    assert parse_site_datetime(shown, SITE) is None


def test_machine_readable_dates() -> None:
    assert parse_iso_datetime("2026-11-26T10:15:00+07:00", SITE) == datetime(2026, 11, 26, 3, 15, tzinfo=UTC)
    assert parse_iso_datetime("2026-11-26T10:15:00", SITE) == datetime(2026, 11, 26, 3, 15, tzinfo=UTC)
    assert parse_iso_datetime("hôm qua", SITE) is None
    assert parse_rfc822_datetime("Thu, 26 Nov 2026 08:30:00 +0700") == datetime(
        2026, 11, 26, 1, 30, tzinfo=UTC
    )
    assert parse_rfc822_datetime("not a date") is None
    assert parse_day("2026-11-20") == date(2026, 11, 20) == parse_day("20/11/2026")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("yesterday")


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Theo Minh Anh - Hoàng Hà/Lan Phương", ["Minh Anh", "Hoàng Hà", "Lan Phương"]),
        ("Bài và ảnh: Thu Trang", ["Thu Trang"]),
        ("By Thu Hang", ["Thu Hang"]),
        ("Hải Yến (tổng hợp)", ["Hải Yến"]),
        ("Ngọc Vân, Quang Hòa và Minh Anh", ["Ngọc Vân", "Quang Hòa", "Minh Anh"]),
    ],
)
def test_bylines_split_into_names_without_prefixes(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("caption", "split"),
    [
        ("Lễ ký kết tại Hà Nội. (Nguồn: Reuters)", ("Lễ ký kết tại Hà Nội.", "Reuters")),
        ("Thủ tướng phát biểu. Ảnh: Tuấn Anh", ("Thủ tướng phát biểu.", "Tuấn Anh")),
        ("The talks in Hanoi. (Photo: AFP)", ("The talks in Hanoi.", "AFP")),
        ("(Ảnh: TTXVN)", (None, "TTXVN")),
        ("Ảnh minh họa.", ("Ảnh minh họa.", None)),
    ],
)
def test_photo_credits_are_split_out_of_captions(caption: str, split: tuple) -> None:
    assert split_caption_credit(caption) == split


def test_boilerplate_lines() -> None:
    assert is_boilerplate("Theo dõi Baoquocte.vn trên Google News")
    assert is_boilerplate("Bình luận (0)")
    assert not is_boilerplate("Theo Bộ Ngoại giao, hai bên đã ký kết ba văn kiện hợp tác.")


def _response(body: bytes, content_type: bytes) -> HtmlResponse:
    return HtmlResponse(ARTICLE, body=body, headers={"Content-Type": content_type})


def test_wrong_declared_charset_is_recovered() -> None:
    body = "<html><body><p>Hội nghị Cấp cao ASEAN</p></body></html>".encode()
    text, recovered = decode_page(_response(body, b"text/html; charset=iso-8859-1"))
    assert recovered and "Hội nghị Cấp cao ASEAN" in text
    text, recovered = decode_page(_response(body, b"text/html; charset=utf-8"))
    assert not recovered and "Hội nghị Cấp cao ASEAN" in text
    legacy = "<html><body><p>Hà Đông</p></body></html>".encode("cp1258")
    text, recovered = decode_page(_response(legacy, b"text/html; charset=utf-8"))
    assert recovered and "Hà Đông" in text


def test_generic_layer_takes_over_when_selectors_and_metadata_find_nothing() -> None:
    paragraphs = "".join(
        f"<p>Đoạn {n}: Bộ Ngoại giao tổ chức họp báo thường kỳ, trả lời nhiều câu hỏi của phóng viên "
        f"trong và ngoài nước về tình hình khu vực và các hoạt động đối ngoại sắp tới.</p>"
        for n in range(1, 6)
    )
    html = (
        '<html lang="vi"><head><meta property="og:type" content="article">'
        '<meta property="og:title" content="Họp báo thường kỳ Bộ Ngoại giao"></head><body>'
        '<nav><a href="/">Trang chủ</a><a href="/thoi-su">Thời sự</a></nav>'
        '<article class="redesign"><h1 class="headline">Họp báo thường kỳ Bộ Ngoại giao</h1>'
        f"{paragraphs}</article>"
        "<footer>© Báo Thế giới &amp; Việt Nam</footer></body></html>"
    )
    extraction = BAOQUOCTE.instance.extract(html, ARTICLE, datetime(2026, 11, 27, tzinfo=UTC))
    assert extraction.outcome == "item", extraction.reason
    article = extraction.article
    assert article is not None
    assert article.extraction_layer == "generic"
    assert article.title == "Họp báo thường kỳ Bộ Ngoại giao"
    assert any(block.text.startswith("Đoạn 3: Bộ Ngoại giao") for block in article.body)
    assert not any("Trang chủ" in block.text for block in article.body)
