"""VietnamPlus (Vietnam+, the Vietnam News Agency's online paper): www.vietnamplus.vn (Vietnamese),
en.vietnamplus.vn (English) and zh.vietnamplus.vn (Chinese), on the mcms.one CMS it shares with Nhân Dân.

Articles live at ``https://www.vietnamplus.vn/<slug>-post<id>.vnp`` (the host is ``www.``-only), with an
AMP twin at ``…-post<id>.amp``; archived articles of the pre-2023 site keep ``/<slug>/<id>.vnp``. Feeds are
``/rss/home.rss`` (English: ``/rss/news.rss``) and ``/rss/<category>.rss``; the Google News sitemap is
``/sitemaps/google-news.xml``; category listings ``/<category>/`` page through ``div.pagination`` links
(``/<category>/trang<n>.html``).

Layout generations tried in order: the current article template (``zce-article``, seen July 2026), the
Mega Story longform template (``megastory__*``), the pre-2023 template (``header.article-header > h1``,
``div.article-body``, seen in 2017-2019 scrapers) and the family's ``cms-*`` hooks; then JSON-LD/OpenGraph,
then the generic extractor.
Video pages keep their text (the first paragraph repeats the lead); a player without text is not stored,
nor is the public teaser of paid content ("Nội dung thu phí", a subscription box to pay.vietnamplus.vn).
Credits: "(TTXVN/Vietnam+)" closes wire copy, "Name (Vietnam+)" signs staff copy, paragraphs end in "./.",
the Chinese edition ends its copy with "（完）" and opens its leads with a "越通社<city>——" dateline.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import ClassVar

import scrapy

from warehouse.record import Block

from ..base import NewsSpider
from ..extract.article import Extraction, Page
from ..extract.fields import has_class, select, text_of
from ..extract.mcms import CMS_HOOKS, ZCE_ARTICLE, Layout, McmsParser
from ..extract.text import split_caption_credit
from ..source import ArticleContent, Edition, Listing, Source

MEGA_STORY = Layout(
    name="mega-story",
    body=(("div", "megastory__body"),),
    title=(("h1", "megastory__title"), ("h1", "cms-title")),
    lead=(("div", "megastory__sapo"), ("div", "cms-desc")),
    time=(("div", "megastory__meta"), ("meta", "cms-date")),
    tags=(("div", "article__tag"),),
    photo_classes=frozenset({"*"}),
)
PRE_2023 = Layout(
    name="pre-2023",
    body=(("div", "article-body"),),
    title=(("header", "article-header"),),
    lead=(("div", "article-summary"),),
    time=(("header", "article-header"),),
    tags=(("div", "article-tags"),),
    breadcrumb=(("div", "cate-header"),),
    photo_classes=frozenset({"*"}),
)
_END_MARK = re.compile(r"\.?\s*/\.$")
_CHINESE_END_MARK = re.compile(r"\s*（完）$")
_CHINESE_CREDIT = re.compile(
    r"\s*[（(]\s*(?:图片来源|图片|摄影|来源)\s*[：:]\s*(?P<credit>[^（）()]+?)\s*[）)]\s*$"
)
_MEGA_STORY_ROLES = re.compile(r"^(?:nội dung|bài|ảnh|bài và ảnh|text|photos?)\s*:\s*(?P<names>.+)$", re.I)
_PAYWALL = ("https://pay.vietnamplus.vn", "http://pay.vietnamplus.vn")
_AMP_PAGE = re.compile(r"(-post\d+)\.amp(?=$|[?#])")


class VietnamplusParser(McmsParser):
    LAYOUTS: ClassVar[tuple[Layout, ...]] = (ZCE_ARTICLE, MEGA_STORY, PRE_2023, CMS_HOOKS)
    OWN_NAMES = frozenset({"vietnam+", "vietnamplus", "vietnam plus", "vnp"})

    def read_page(self, html: str, url: str) -> Page | Extraction:
        page = super().read_page(html, url)
        if isinstance(page, Page) and self.is_video_only(page):
            return Extraction("not_article", "video-only page: a player and a title, no article text")
        if isinstance(page, Page) and self.is_paid_teaser(page):
            return Extraction(
                "not_article", "paid-content teaser: the rest of the text is behind pay.vietnamplus.vn"
            )
        return page

    def is_paid_teaser(self, page: Page) -> bool:
        """A "Nội dung thu phí" article: its body ends in a subscription box (``div.box-premium``) whose
        links go to pay.vietnamplus.vn."""
        found = self.layout(page)
        if found is None:
            return False
        return any((link.get("href") or "").startswith(_PAYWALL) for link in found[1].iter("a"))

    def is_video_only(self, page: Page) -> bool:
        """A video page (``body.video-page``) whose body and lead hold no text."""
        found = self.layout(page)
        body = page.tree.find("body")
        if found is None or body is None or not has_class(body, "video-page"):
            return False
        return not text_of(found[1]) and not self.lead(page)

    def canonical_url(self, page: Page) -> str:
        """The declared canonical URL; an AMP page that declares none maps to its ``.vnp`` page."""
        declared = page.metadata.canonical_url
        if declared and self.article_url.search(declared):
            return self.canonical_form(declared)
        return self.canonical_form(_AMP_PAGE.sub(r"\1.vnp", page.url))

    def clean_block(self, block: Block) -> Block:
        """Without the "./." and "（完）" marks that end the copy."""
        if not block.text.endswith(("/.", "）")):
            return block
        text = _CHINESE_END_MARK.sub("", _END_MARK.sub(".", block.text))
        return Block(block.kind, text)

    def caption_credit(self, caption: str) -> tuple[str | None, str | None]:
        chinese = _CHINESE_CREDIT.search(caption)
        if chinese:
            return caption[: chinese.start()].strip() or None, chinese.group("credit")
        return split_caption_credit(caption) if caption else (None, None)

    def authors(self, page: Page) -> list[str]:
        """A Mega Story's credits box (writers and photographers, not designers), else the family's."""
        credits = select(page.tree, "div.megastory__credits p") if self.is_mega_story(page) else []
        names: list[str] = []
        for credit in credits:
            role = _MEGA_STORY_ROLES.match(text_of(credit))
            if role:
                names.extend(name for name in self.byline_names(role.group("names")) if name not in names)
        names.extend(name for name in super().authors(page) if name not in names)
        return names

    def attribution_names(self, text: str) -> list[str]:
        """The family's reading, with the Chinese edition's name of the agency (越通社 = VNA)."""
        return ["VNA" if name == "越通社" else name for name in super().attribution_names(text)]

    def is_mega_story(self, page: Page) -> bool:
        return self.layout_name(page) == MEGA_STORY.name


class VietnamplusSpider(NewsSpider):
    """Discovery as declared, with one site fact: an AMP link (``…-post<id>.amp``) is followed as its
    ``.vnp`` page (``canonicalize`` only knows AMP paths and an ``.amp`` suffix after the real one)."""

    def article_request(self, url: str, listed_at: datetime | None) -> scrapy.Request | None:
        return super().article_request(_AMP_PAGE.sub(r"\1.vnp", url), listed_at)


_LAZY_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="


def render_article(article: ArticleContent) -> str:
    """A generated article in the current template (the mirror's ``--synthetic`` articles)."""
    e = html.escape
    stamp = article.published_at.isoformat()
    shown = f"{article.published_at:%d/%m/%Y %H:%M}"
    caption = f"{e(article.image_caption)} (Ảnh: {e(article.image_credit)})"
    photo = (
        '<table class="picture" align="center"><tbody><tr><td class="pic"><img class="lazyload cms-photo" '
        f'src="{_LAZY_GIF}" data-src="{e(article.image_src)}" alt=""></td></tr>'
        f'<tr><td class="caption"><p>{caption}</p></td></tr></tbody></table>'
    )
    tag = f'<a class="active" href="/tag/{article.section_slug}-tag1.vnp">#{e(article.section)}</a>'
    paragraphs = [f"<p>{e(text)}</p>" for text in article.paragraphs]
    paragraphs.insert(len(paragraphs) // 2, photo)
    paragraphs.insert(1, '<div class="sda_middle"><div class="rennab fyi"></div></div>')
    return f"""<!DOCTYPE html>
<html lang="{article.language}" class="vn"><head><title>{e(article.title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta property="og:type" content="article"/><meta property="og:title" content="{e(article.title)}"/>
<meta property="article:published_time" content="{stamp}"/>
<link rel="canonical" href="{article.url}" />
<script>var cmsConfig = {{ objectId: {article.article_id}, pageType: 1 }};</script></head>
<body><header class=" site-header"><ul class="menu"><li><a href="/">Trang chủ</a></li></ul></header>
<div class="container"><div class="breadcrumb "><div class="main">
<a href="/{article.section_slug}/" title="{e(article.section)}">{e(article.section)}</a></div></div>
<div class="col zone-4"><div class="main-col article">
<h1 class="article__title cms-title ">{e(article.title)}</h1>
<div class="article__sapo cms-desc"><p>{e(article.lead)}</p></div>
<div class="article__meta"><time class="time" datetime="{stamp}">{shown}</time></div>
<div class="wrap-social"><a class="google-news" href="#">Theo dõi VietnamPlus</a></div>
<div class="article__body zce-content-body cms-body" itemprop="articleBody">
{chr(10).join(paragraphs)}
<p style="text-align: right;"><strong>{e(" - ".join(article.authors))} (Vietnam+)</strong></p>
</div>
<div class="article__tag">{tag}</div>
<div class="wrap-comment" id="comment{article.article_id}"></div>
</div></div></div></body></html>
"""


def render_listing(articles: list[ArticleContent], page: int, pages: int, category: str) -> str:
    """Page ``page`` of ``pages`` of a generated category listing in the current template."""
    stories = "\n".join(
        f'<article class="story"><h2 class="story__heading"><a class="cms-link" href="{a.url}">'
        f'{html.escape(a.title)}</a></h2><time class="time">{a.published_at:%d/%m/%Y %H:%M}</time></article>'
        for a in articles
    )
    links = " ".join(
        f'<a class="page-item" href="/{category}/{"" if n == 1 else f"p{n}"}">{n}</a>'
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{category} | Vietnam+ (VietnamPlus)</title></head>
<body><div class="box-content content-list timeline">
{stories}
</div>
<div class="pagination">{links}</div>
</body></html>
"""


SOURCE = Source(
    name="vietnamplus",
    display_name="Vietnam+ (VietnamPlus)",
    description="The Vietnam News Agency's online paper: national and world news, wire copy of TTXVN",
    editions=(
        Edition(
            "vi",
            "www.vietnamplus.vn",
            "vi",
            feeds=("/rss/home.rss",),
            news_sitemaps=("/sitemaps/google-news.xml",),
            categories=("chinhtri", "thegioi"),
        ),
        Edition("en", "en.vietnamplus.vn", "en", feeds=("/rss/news.rss",), categories=("politics",)),
        Edition("zh", "zh.vietnamplus.vn", "zh", feeds=("/rss/home.rss",), categories=("politics",)),
    ),
    article_url=re.compile(
        r"^https?://(?:(?:www|en|zh|m|amp)\.)?vietnamplus\.vn/(?!region/|tag/|print-)(?:[^?#]*/)?"
        r"(?:[^/?#]+-post|[^/?#]+/)(?P<id>\d+)\.(?:vnp|amp)(?=$|[?#])"
    ),
    parser=VietnamplusParser,
    listing=Listing(
        path="/{category}/",
        feed_path="/rss/{category}.rss",
        entry="div.abf-cate article.story, div.timeline article.story",
        link="h2.story__heading a",
        time="time.time",
        paging="div.pagination a",
    ),
    nicknames=("VietnamPlus", "Vietnam+", "Vietnamplus.vn", "越通社 (VietnamPlus)"),
    datelines=(r"越通社[^\s，。—]{0,12}——",),
    render_article=render_article,
    render_listing=render_listing,
    synthetic_path="{slug}-post{id}.vnp",
    spider_base=VietnamplusSpider,
)
