"""Thanh Niên specifics the fixture pages do not show on their own: which URLs are articles."""

from __future__ import annotations

import pytest

from spiders.registry import source_info

ARTICLE_URL = source_info("thanhnien").article_url


@pytest.mark.parametrize(
    ("url", "article_id"),
    [
        ("https://thanhnien.vn/quoc-hoi-thong-qua-luat-185261126091203451.htm", "185261126091203451"),
        ("https://thanhnien.vn/thoi-su/thu-tuong-chi-dao-bao-dam-cung-ung-1465123.html", "1465123"),
        (
            "https://m.thanhnien.vn/ngam-mua-lua-chin-vang-185261124073000458.htm?utm_source=zalo",
            "185261124073000458",
        ),
    ],
)
def test_article_urls_of_both_layout_generations(url: str, article_id: str) -> None:
    match = ARTICLE_URL.search(url)
    assert match is not None and match["id"] == article_id


@pytest.mark.parametrize(
    "url",
    [
        "https://thanhnien.vn/chinh-tri.htm",
        "https://thanhnien.vn/timelinelist/185227/2.htm",
        "https://thanhnien.vn/tac-gia/tuan-minh-10385.htm",
        "https://thanhnien.vn/video/thoi-su-185261126180000777.htm",
        "https://thanhnien.vn/rss/home.rss",
        "https://tuoitre.vn/xe-buyt-dien-dau-tien-chay-tuyen-ben-thanh-can-gio-100261126170500215.htm",
    ],
)
def test_listing_author_video_and_other_site_urls_are_not_articles(url: str) -> None:
    assert ARTICLE_URL.search(url) is None
