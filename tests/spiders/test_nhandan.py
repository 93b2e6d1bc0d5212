"""Nhân Dân extraction beyond the fixture pages: the URL forms, the breadcrumb without JSON-LD, wire
credit lines that are and are not attributions, the video-only rule."""

from __future__ import annotations

from datetime import UTC, datetime

from spiders.registry import source_info

SOURCE = source_info("nhandan")
CRAWLED_AT = datetime(2026, 11, 27, tzinfo=UTC)
PARAGRAPHS = (
    "<p>Đoạn thứ nhất của bài viết thử nghiệm về hạ tầng giao thông và đường cao tốc Bắc - Nam.</p>"
    "<p>Đoạn thứ hai nói về tiến độ giải phóng mặt bằng và vốn đầu tư công của các địa phương.</p>"
)


def page(body_end: str = "", body_class: str = "detail-normal", body: str = PARAGRAPHS) -> str:
    return (
        f'<html><head><meta property="og:type" content="article"></head><body class="{body_class}">'
        '<div class="breadcrumb breadcrumb-detail"><h2 class="main"><a href="/kinhte/">Kinh tế</a></h2>'
        '<h2 class="main"><a class="active" href="/kinhte/dau-tu/">Đầu tư</a></h2></div>'
        '<h1 class="article__title cms-title">Tiêu đề</h1>'
        '<div class="article__sapo cms-desc"><p>NDO - Tóm tắt bài viết.</p></div>'
        f'<div class="article__body zce-content-body cms-body">{body}{body_end}</div></body></html>'
    )


def extract(html: str, url: str = "https://nhandan.vn/bai-thu-nghiem-post1100001.html"):
    return SOURCE.instance.extract(html, url, CRAWLED_AT)


def test_the_deepest_breadcrumb_level_is_the_section_and_the_dateline_leaves_the_lead() -> None:
    article = extract(page()).article
    assert article.section == "Đầu tư"
    assert article.lead == "Tóm tắt bài viết."
    assert len(article.body) == 2


def test_a_source_line_credits_an_agency_but_an_ordinary_closing_sentence_stays() -> None:
    credited = extract(page("<p>(Source: VNA)</p>")).article
    assert credited.attributions == ("VNA",)
    assert len(credited.body) == 2
    ordinary = extract(page("<p>Theo kế hoạch, dự án hoàn thành vào năm 2028.</p>")).article
    assert ordinary.attributions == ()
    assert ordinary.body[-1].text == "Theo kế hoạch, dự án hoàn thành vào năm 2028."


def test_a_video_page_without_text_is_not_stored_but_a_video_page_with_text_is() -> None:
    empty = extract(page(body_class="detail-video", body='<div class="video-embed"><video></video></div>'))
    assert empty.article is None and empty.outcome == "not_article"
    assert "video-only" in empty.reason
    assert extract(page(body_class="detail-video")).article is not None


def test_the_older_detail_template_is_read_by_its_own_layout() -> None:
    html = (
        '<html><body><h1 class="detail-title">Tiêu đề cũ</h1><div class="detail-sapo">NDO - Tóm tắt cũ.</div>'
        f'<div class="detail-content-body">{PARAGRAPHS}</div>'
        '<div class="box-author"><p class="name">Minh Anh</p></div></body></html>'
    )
    article = extract(html).article
    assert article.extraction_layer == "selector"
    assert (article.title, article.lead, article.authors) == ("Tiêu đề cũ", "Tóm tắt cũ.", ("Minh Anh",))


def test_article_urls_on_both_hosts_but_not_tag_print_or_listing_pages() -> None:
    for url in (
        "https://nhandan.vn/tu-khoa/WorldCup2026-tag78669.html",
        "https://nhandan.vn/print.html?id=976641",
        "https://nhandan.vn/chinhtri/trang2.html",
        "https://nhandan.vn/megastory/2026/hanh-trinh-moi/",
    ):
        assert not SOURCE.article_url.search(url), url
    for url, article_id in (
        ("https://nhandan.vn/danh-bai-argentina-post976641.html", "976641"),
        ("https://en.nhandan.vn/rice-exports-post150322.html", "150322"),
    ):
        match = SOURCE.article_url.search(url)
        assert match is not None, url
        assert match["id"] == article_id
