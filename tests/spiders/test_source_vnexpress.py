"""VnExpress specifics: bylines and wire attributions, English dates and credits, and end-to-end crawls of
both editions against the mirror (the field-by-field fixture comparison is the shared fixture test)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.extract.article import Page
from spiders.extract.text import split_caption_credit
from spiders.sources.vnexpress import SOURCE, Byline, read_byline
from testkit import synthetic_pages
from testkit.fixtures import source_pages

EXPECTED_ITEMS = {
    page.url: page.record() for page in source_pages(SOURCE) if page.expected_record() is not None
}


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Võ Hải", Byline(("Võ Hải",), ())),
        ("Thi Hà - Phương Anh", Byline(("Thi Hà", "Phương Anh"), ())),
        ("Thanh Tâm (Theo Reuters, AFP)", Byline(("Thanh Tâm",), ("Reuters", "AFP"))),
        ("Minh Nga (theo TTXVN)", Byline(("Minh Nga",), ("VNA",))),
        ("Theo TTXVN", Byline((), ("VNA",))),
        ("Theo Reuters/AP", Byline((), ("Reuters", "AP"))),
        ("Theo TTXVN và Tân Hoa Xã", Byline((), ("VNA", "Xinhua"))),
        ("Reuters", Byline((), ("Reuters",))),
        ("Bài: Phạm Chiểu - Ảnh: Giang Huy", Byline(("Phạm Chiểu", "Giang Huy"), ())),
    ],
)
def test_byline_separates_people_from_credited_agencies(line: str, byline: Byline) -> None:
    assert read_byline(line) == byline


@pytest.mark.parametrize(
    ("caption", "split"),
    [
        ("Xe buýt điện chạy thử. Ảnh: Giang Huy", ("Xe buýt điện chạy thử.", "Giang Huy")),
        ("Công nhân dựng cột điện. (Ảnh: Giang Huy)", ("Công nhân dựng cột điện.", "Giang Huy")),
        (
            "A train at the depot. Photo by VnExpress/Quynh Tran",
            ("A train at the depot.", "VnExpress/Quynh Tran"),
        ),
        ("Leaders meet in Tokyo. Photo courtesy of the ministry", ("Leaders meet in Tokyo.", "the ministry")),
        ("Một bức ảnh không ghi nguồn", ("Một bức ảnh không ghi nguồn", None)),
    ],
)
def test_the_sites_caption_credit_forms(caption: str, split: tuple[str | None, str | None]) -> None:
    assert split_caption_credit(caption) == split


ENGLISH_PAGE = """<html><head><meta charset="utf-8"></head><body><h1 class="title_post">T</h1>
<div class="author">{shown}</div>
<div class="fck_detail"><p class="Normal">One paragraph.</p></div></body></html>"""
VIETNAMESE_PAGE = """<html><head><meta charset="utf-8"></head><body><h1 class="title-detail">T</h1>
<span class="date">{shown}</span>
<article class="fck_detail "><p class="Normal">Một đoạn.</p></article></body></html>"""


@pytest.mark.parametrize(
    ("page", "shown", "utc"),
    [
        (
            ENGLISH_PAGE,
            "By Hoang Phong   November 26, 2026 | 09:14 pm GMT+7",
            datetime(2026, 11, 26, 14, 14, tzinfo=UTC),
        ),
        (ENGLISH_PAGE, "November 26, 2026 | 12:05 am GMT+7", datetime(2026, 11, 25, 17, 5, tzinfo=UTC)),
        (ENGLISH_PAGE, "November 26, 2026 | 12:05 pm GMT+7", datetime(2026, 11, 26, 5, 5, tzinfo=UTC)),
        (VIETNAMESE_PAGE, "Thứ năm, 26/11/2026, 07:00 (GMT+7)", datetime(2026, 11, 26, 0, 0, tzinfo=UTC)),
    ],
)
def test_shown_dates_are_read_in_site_time(page: str, shown: str, utc: datetime) -> None:
    crawled_at = datetime(2026, 11, 27, tzinfo=UTC)
    extraction = SOURCE.instance.extract(
        page.format(shown=shown), "https://vnexpress.net/a-1234567.html", crawled_at
    )
    assert extraction.article is not None, extraction.reason
    assert extraction.article.published_at == utc


@pytest.mark.slow
def test_crawl_of_both_editions_yields_exactly_the_expected_records(crawl) -> None:
    result = crawl(spider="vnexpress")
    records = {article.url: article.to_dict() for article in result.articles}
    canonical_pages = {
        url: record for url, record in EXPECTED_ITEMS.items() if url == record["canonical_url"]
    }
    assert set(records) == set(canonical_pages)
    for url, record in records.items():
        expected = dict(canonical_pages[url], crawled_at=record["crawled_at"])
        assert record == expected, url
    assert result.outcomes == {"item": len(canonical_pages), "not_article": 1}
    assert [reject["outcome"] for reject in result.rejects] == ["not_article"]
    requested = set(result.mirror_requests)
    assert {
        "vnexpress.net/rss/tin-moi-nhat.rss",
        "vnexpress.net/rss/thoi-su.rss",
        "e.vnexpress.net/rss/news.rss",
    } <= requested
    assert {"vnexpress.net/thoi-su-p2", "e.vnexpress.net/news/news-p2"} <= requested


@pytest.mark.slow
def test_amp_and_tracking_variants_are_one_canonical_article(crawl) -> None:
    canonical = "https://vnexpress.net/ha-noi-mo-them-ba-tuyen-xe-buyt-dien-noi-san-bay-5171842.html"
    variants = [
        "https://vnexpress.net/amp/ha-noi-mo-them-ba-tuyen-xe-buyt-dien-noi-san-bay-5171842.html",
        canonical + "?utm_source=facebook&vn_source=Detail#box_comment_vne",
    ]
    result = crawl("-a", "urls=" + ",".join(variants), spider="vnexpress")
    assert [article.canonical_url for article in result.articles] == [canonical]


@pytest.mark.slow
def test_incremental_rerun_window_and_categories(crawl) -> None:
    first = crawl("-a", "categories=en:news/news", spider="vnexpress")
    assert {article.source_article_id for article in first.articles} == {"5164112", "5164150", "5164188"}
    rerun = crawl("-a", "categories=en:news/news", "-a", f"known_feed={first.feed}", spider="vnexpress")
    assert rerun.articles == []
    assert rerun.outcomes == {"skipped_known": 3}
    windowed = crawl(
        "-a", "categories=thoi-su", "-a", "since=2026-11-25", "-a", "max_articles=5", spider="vnexpress"
    )
    assert {article.source_article_id for article in windowed.articles} == {"5171842", "5171990"}
    assert windowed.outcomes.get("out_of_window") == 1


ATTRIBUTIONS = {
    "vnexpress.net/nga-va-ukraine-trao-doi-tu-binh-dot-moi-5171955.html": ["Reuters", "AFP"],
    "e.vnexpress.net/news/world/japan-raises-defense-budget-to-record-high-5164150.html": ["Reuters"],
}


@pytest.mark.parametrize("page", [page for page in source_pages(SOURCE) if page.expected_record()], ids=str)
def test_wire_attributions_of_every_fixture_page(page) -> None:
    parsed = SOURCE.instance.read_page(page.html(), page.url)
    assert isinstance(parsed, Page), parsed
    assert SOURCE.instance.attributions(parsed) == ATTRIBUTIONS.get(page.id, [])
    assert not set(ATTRIBUTIONS.get(page.id, [])) & set(page.record()["authors"])


def test_generated_articles_round_trip_through_the_parser() -> None:
    crawled_at = datetime(2026, 11, 27, tzinfo=UTC)
    for content in synthetic_pages.generate(5, crawled_at, source=SOURCE):
        extraction = SOURCE.instance.extract(
            synthetic_pages.article_page(SOURCE, content), content.url, crawled_at
        )
        article = extraction.article
        assert article is not None, extraction.reason
        assert [block.text for block in article.body] == list(content.paragraphs)
        assert (article.title, article.lead, article.section) == (
            content.title,
            content.lead,
            content.section,
        )
        assert article.authors == content.authors
        assert article.published_at == content.published_at
        assert [(image.src, image.caption, image.credit) for image in article.images] == [
            (content.image_src, content.image_caption, content.image_credit)
        ]


def test_a_redesigned_page_leaves_the_selector_layer() -> None:
    """Renamed classes (a site redesign) must show up as another extraction layer, not as empty or
    wrong selector output: JSON-LD has no articleBody here, so the generic layer takes over."""
    page = next(page for page in source_pages(SOURCE) if page.path.startswith("ha-noi-mo-them-ba-tuyen"))
    redesigned = page.html()
    for old, new in (("title-detail", "headline-v2"), ("fck_detail", "content-v2"), ('class="Normal"', "")):
        redesigned = redesigned.replace(old, new)
    extraction = page.extract(redesigned)
    assert extraction.article is not None, extraction.reason
    assert extraction.article.extraction_layer == "generic"
    assert extraction.article.title == page.record()["title"]
    expected_first = page.record()["body"][0]["text"]
    assert expected_first in [block.text for block in extraction.article.body]


@pytest.mark.slow
@pytest.mark.parametrize("charset", ["none", "iso-8859-1"])
def test_a_page_whose_charset_comes_late_or_wrong_is_read_as_utf8(crawl, charset: str) -> None:
    """The real pages declare ``<meta charset>`` after byte 512, behind ~180 KB of CSS: without an HTTP
    charset, or with a wrong one, the Vietnamese text must still come out right."""
    path = "ha-noi-mo-them-ba-tuyen-xe-buyt-dien-noi-san-bay-5171842.html"
    result = crawl(
        "-a", f"urls=https://vnexpress.net/__mirror__/charset/{charset}/{path}", spider="vnexpress"
    )
    [article] = result.articles
    expected = EXPECTED_ITEMS["https://vnexpress.net/" + path]
    assert article.title == expected["title"]
    assert [block.text for block in article.body] == [block["text"] for block in expected["body"]]


def test_a_related_box_laid_out_as_an_image_table_is_neither_image_nor_text() -> None:
    page = next(page for page in source_pages(SOURCE) if page.path.startswith("gia-lua-gao"))
    link = '<a href="https://vnexpress.net/gia-gao-thai-lan-tang-manh-5170001.html">'
    related = (
        f'<table class="tplCaption" align="center"><tbody><tr><td>{link}<img class="lazy" '
        'src="data:image/gif;base64,R0lGOD" data-src="https://i1-vnexpress.vnecdn.net/r.jpg"></a></td></tr>'
        f"<tr><td>{link}Giá gạo Thái Lan tăng mạnh</a></td></tr></tbody></table>"
    )
    anchor = '<p class="Normal">Trong 10 tháng'
    html = page.html().replace(anchor, related + anchor, 1)
    assert html != page.html()
    article = page.article(html)
    expected = page.record()
    assert [{"kind": block.kind, "text": block.text} for block in article.body] == expected["body"]
    assert [image.src for image in article.images] == [image["src"] for image in expected["images"]]
