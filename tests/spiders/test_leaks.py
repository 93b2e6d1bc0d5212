"""The leak classes real pages carry, on their own: related links, follow lines, datelines, end-of-body
bylines, wire attributions, photo credits in every written form, and the generic layer's fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from spiders.extract.article import ArticleParser, Page
from spiders.extract.leaks import (
    attribution_names,
    byline_names,
    is_related_box,
    normalize_attribution,
    peel_tail,
    split_attribution_suffix,
)
from spiders.extract.text import SiteNoise, split_caption_credit
from spiders.sources.baoquocte import SOURCE as BAOQUOCTE
from warehouse.record import Block


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("(Theo TTXVN)", ["VNA"]),
        ("Theo Reuters", ["Reuters"]),
        ("(Nguồn: VNA)", ["VNA"]),
        ("- TTXVN", ["VNA"]),
        ("Nguồn: Reuters, AFP", ["Reuters", "AFP"]),
        ("(Theo Tân Hoa xã)", ["Xinhua"]),
        ("Theo báo Nhân Dân", ["Nhân Dân"]),
        ("Theo VnExpress", ["VnExpress"]),
        ("Theo Bộ Ngoại giao, hai bên đã ký ba văn kiện.", None),
        ("Theo Minh Anh", None),
    ],
)
def test_attribution_lines_name_normalised_agencies(line: str, names: list[str] | None) -> None:
    assert attribution_names(line) == names


def test_ttxvn_and_vna_are_one_agency() -> None:
    assert normalize_attribution("TTXVN") == normalize_attribution("VNA") == "VNA"
    assert normalize_attribution("Thông tấn xã Việt Nam") == "VNA"
    assert split_attribution_suffix("Hai bên nhất trí. (Theo TTXVN)") == ("Hai bên nhất trí.", ["VNA"])
    assert split_attribution_suffix("Hai bên nhất trí. - TTXVN") == ("Hai bên nhất trí.", ["VNA"])
    assert split_attribution_suffix("Quan hệ Việt Nam - Nhật Bản") == ("Quan hệ Việt Nam - Nhật Bản", [])


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("P.V.", ["P.V."]),
        ("Nhóm PV", ["Nhóm PV"]),
        ("Minh Anh - Hà Nội", ["Minh Anh"]),
        ("Thu Trang/Hoàng Hà", ["Thu Trang", "Hoàng Hà"]),
        ("Ngọc Vân (tổng hợp)", ["Ngọc Vân"]),
        ("Kết luận", None),
        ("Hợp tác kinh tế", None),
        ("ASEAN", None),
        ("Báo Nhân Dân", None),
    ],
)
def test_end_of_body_bylines_are_people(line: str, names: list[str] | None) -> None:
    assert byline_names(line) == names


def test_peel_tail_moves_bylines_to_authors_and_attributions_to_their_field() -> None:
    body = [
        Block("paragraph", "Đoạn một."),
        Block("paragraph", "Đoạn hai kết thúc. (Theo Reuters)"),
        Block("heading", "Quang Hòa (theo AFP)"),
        Block("paragraph", "(Nguồn: VNA)"),
    ]
    tail = peel_tail(body)
    assert tail.body == [Block("paragraph", "Đoạn một."), Block("paragraph", "Đoạn hai kết thúc.")]
    assert tail.authors == ["Quang Hòa"]
    assert tail.attributions == ["VNA", "AFP", "Reuters"]
    only = [Block("paragraph", "Hai bên nhất trí tăng cường hợp tác.")]
    assert peel_tail(only).body == only, "a one-block body is never peeled away"


@pytest.mark.parametrize(
    ("caption", "split"),
    [
        ("Ảnh tư liệu/TTXVN", (None, "TTXVN")),
        ("Quang cảnh hội nghị. Ảnh tư liệu/TTXVN", ("Quang cảnh hội nghị.", "TTXVN")),
        ("Thủ tướng tại hội nghị. Ảnh TTXVN", ("Thủ tướng tại hội nghị.", "TTXVN")),
        ("Đoàn đại biểu. Ảnh do Đại sứ quán cung cấp", ("Đoàn đại biểu.", "Đại sứ quán")),
        ("Lãnh đạo hai nước. Photo: VNA", ("Lãnh đạo hai nước.", "VNA")),
        ("(Ảnh tư liệu)", (None, "Ảnh tư liệu")),
        ("Nhiều người dân xem ảnh triển lãm", ("Nhiều người dân xem ảnh triển lãm", None)),
    ],
)
def test_photo_credits_in_every_written_form(caption: str, split: tuple) -> None:
    assert split_caption_credit(caption) == split


def test_datelines_and_follow_lines_come_from_the_site_and_the_shared_conventions() -> None:
    noise = SiteNoise(datelines=(r"TTO\s*-\s*",), nicknames=("Tuổi Trẻ Online", "TTO"))
    assert noise.strip_dateline("TTO - Sáng nay, hội nghị khai mạc.") == "Sáng nay, hội nghị khai mạc."
    assert noise.strip_dateline("(Dân trí) - Sáng nay.") == "Sáng nay."
    assert noise.strip_dateline("VOV.VN - Sáng nay.") == "Sáng nay."
    assert noise.strip_dateline("ASEAN - Trung Quốc nhất trí.") == "ASEAN - Trung Quốc nhất trí."
    assert noise.is_boilerplate("Theo dõi Tuổi Trẻ Online trên Google News")
    assert noise.is_boilerplate("Follow TTO")
    assert not noise.is_boilerplate("Theo dõi diễn biến, Bộ Y tế khuyến cáo người dân.")


def test_related_boxes_are_told_from_content() -> None:
    def element(markup: str) -> etree._Element:
        body = etree.HTML(markup).find(".//body")
        assert body is not None and len(body), markup
        return body[0]

    assert is_related_box(element('<div class="box-related"><a href="/a-1.html">A</a></div>'))
    assert is_related_box(element('<p><strong>Xem thêm:</strong> <a href="/a-1.html">Bài A</a></p>'))
    image_table = (
        '<table><tr><td><a href="/a-1.html"><img src="x.jpg"></a></td>'
        '<td><a href="/a-1.html">Bài A</a></td></tr></table>'
    )
    assert is_related_box(element(image_table))
    assert not is_related_box(element("<p>Hai bên nhất trí <a href='/x'>tăng cường</a> hợp tác kinh tế.</p>"))
    assert not is_related_box(element("<table><tr><td>GDP</td><td>6,5%</td></tr></table>"))


def test_generic_layer_prefers_people_breadcrumb_section_and_figure_images() -> None:
    html = """<html lang="vi"><head>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Hội nghị", "author": [{"@type": "Organization", "name": "Báo Thế giới và Việt Nam"}],
 "datePublished": "2026-11-26T08:00:00"}</script>
<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": [
 {"@type": "ListItem", "position": 2, "name": "Thế giới"},
 {"@type": "ListItem", "position": 1, "name": "Trang chủ"}]}</script>
</head><body><p class="byline">Thu Trang</p>
<figure><img data-src="/a.jpg" src="data:image/gif;base64,R0lGOD">
<figcaption>Lễ ký. (Ảnh: TTXVN)</figcaption></figure>
</body></html>"""
    parser = BAOQUOCTE.instance
    page = parser.read_page(html, "https://baoquocte.vn/hoi-nghi-1.html")
    assert isinstance(page, Page), page
    assert parser.authors(page) == [], "the organisation JSON-LD names is not an author"
    assert parser.visible_byline(page) == ["Thu Trang"]
    assert page.metadata.breadcrumbs == ["Trang chủ", "Thế giới"]
    images = ArticleParser.images(parser, page)
    assert [(i.src, i.caption, i.credit) for i in images] == [
        ("https://baoquocte.vn/a.jpg", "Lễ ký.", "TTXVN")
    ]
    assert parser.published_at(page).value == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
