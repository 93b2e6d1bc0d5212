"""VietnamPlus extraction beyond the fixture pages: layout generations falling back in order, an AMP page
without a canonical link, signatures that are and are not bylines."""

from __future__ import annotations

from datetime import UTC, datetime

from spiders.registry import source_info

SOURCE = source_info("vietnamplus")
CRAWLED_AT = datetime(2026, 11, 27, tzinfo=UTC)
PARAGRAPHS = (
    "<p>Đoạn thứ nhất của bài viết thử nghiệm về kinh tế biển và cảng biển nước sâu.</p>"
    "<p>Đoạn thứ hai nói về logistics, vận tải container và các trung tâm phân phối mới.</p>"
)


def extract(html: str, url: str = "https://www.vietnamplus.vn/bai-thu-nghiem-post1200001.vnp"):
    return SOURCE.instance.extract(html, url, CRAWLED_AT)


def test_an_unknown_template_of_the_family_is_read_through_its_cms_hooks() -> None:
    html = (
        '<html><head><meta property="og:type" content="article"></head><body>'
        '<h1 class="story-heading cms-title">Tiêu đề mẫu mới</h1><div class="summary cms-desc">Tóm tắt</div>'
        f'<div class="story-content cms-body">{PARAGRAPHS}</div></body></html>'
    )
    article = extract(html).article
    assert article.extraction_layer == "selector"
    assert (article.title, article.lead) == ("Tiêu đề mẫu mới", "Tóm tắt")
    assert len(article.body) == 2


def test_without_any_family_markup_the_metadata_layer_takes_over() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tin JSON-LD",'
        ' "articleBody": "Dòng một của bài.\\nDòng hai của bài."}</script></head>'
        "<body><div class='new-layout'><p>x</p></div></body></html>"
    )
    article = extract(html).article
    assert article.extraction_layer == "metadata"
    assert [block.text for block in article.body] == ["Dòng một của bài.", "Dòng hai của bài."]


def test_an_amp_page_without_a_canonical_link_maps_to_its_vnp_page() -> None:
    html = (
        '<html amp lang="vi"><body><h1 class="article__title cms-title">Bản AMP</h1>'
        f'<div class="article__body zce-content-body cms-body">{PARAGRAPHS}</div></body></html>'
    )
    article = extract(html, "https://www.vietnamplus.vn/ban-amp-post1200002.amp").article
    assert article.canonical_url == "https://www.vietnamplus.vn/ban-amp-post1200002.vnp"
    assert article.source_article_id == "1200002"


def test_a_set_apart_name_with_an_outlet_credit_signs_the_article_but_a_sentence_does_not() -> None:
    html = (
        '<html><body><h1 class="article__title">Tiêu đề</h1><div class="article__body">'
        f"{PARAGRAPHS}"
        '<p style="text-align:right"><strong>Thu Hà (Thông tấn xã Việt Nam/Vietnam+)</strong></p>'
        "</div></body></html>"
    )
    article = extract(html).article
    assert article.authors == ("Thu Hà",)
    assert article.attributions == ("VNA",)
    assert len(article.body) == 2
    ordinary = html.replace("Thu Hà (Thông tấn xã Việt Nam/Vietnam+)", "Giá tăng mạnh (so với năm trước)")
    kept = extract(ordinary).article
    assert kept.authors == () and kept.attributions == ()
    assert kept.body[-1].text == "Giá tăng mạnh (so với năm trước)"


def test_region_tag_and_print_links_are_not_articles() -> None:
    for url in (
        "https://www.vietnamplus.vn/region/ninh-binh/112.vnp",
        "https://www.vietnamplus.vn/tag/dau-tu-cong-tag3348.vnp",
        "https://www.vietnamplus.vn/print-1139201.html",
        "https://www.vietnamplus.vn/chinhtri/trang2.html",
    ):
        assert not SOURCE.article_url.search(url), url
    assert SOURCE.article_url.search("https://www.vietnamplus.vn/viet-nam-thuc-day-kinh-te-bien/812734.vnp")
