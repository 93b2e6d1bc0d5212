"""Generated baoquocte.vn article pages for the mirror (``--synthetic N``): the same MasterCMS markup as
the recorded fixtures, distinct ids, publication times spread over the last days, Vietnamese sentences
from the FLORES-101 dev set when it is on this machine (else a small built-in set). Enough articles for
an end-to-end benchmark of crawl → load → translate."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from translate.flores import flores_dir

FLORES_SENTENCES = flores_dir() / "dev.vi"
SYNTHETIC_CATEGORY = "tong-hop"
FIRST_ID = 400001
PER_LISTING_PAGE = 20
SITE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

_BUILT_IN_SENTENCES = (
    "Bộ trưởng Ngoại giao đã có cuộc hội đàm với người đồng cấp tại Hà Nội.",
    "Hai bên nhất trí tăng cường hợp tác trong các lĩnh vực kinh tế, thương mại và đầu tư.",
    "Kim ngạch thương mại song phương tăng mạnh trong năm qua.",
    "Các doanh nghiệp bày tỏ mong muốn mở rộng hoạt động tại thị trường Việt Nam.",
    "Hội nghị đã thông qua tuyên bố chung về phát triển bền vững.",
    "Nhiều chuyên gia đánh giá cao kết quả của chuyến thăm.",
    "Cộng đồng người Việt ở nước ngoài luôn hướng về quê hương.",
    "Lễ hội thu hút hàng nghìn du khách trong và ngoài nước.",
    "Chính phủ cam kết tạo điều kiện thuận lợi cho các nhà đầu tư nước ngoài.",
    "Hai nước kỷ niệm 50 năm thiết lập quan hệ ngoại giao.",
    "Giá dầu thế giới biến động mạnh trong phiên giao dịch hôm qua.",
    "Các nhà khoa học đã công bố kết quả nghiên cứu mới về biến đổi khí hậu.",
)
_SECTIONS = (("thoi-su", "Thời sự"), ("the-gioi", "Thế giới"), ("kinh-te", "Kinh tế"), ("van-hoa", "Văn hóa"))
_AUTHORS = ("Minh Anh", "Hoàng Hà", "Thu Trang", "Ngọc Vân", "Quang Hòa", "Lan Phương")


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    article_id: int
    slug: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    published_at: datetime
    section: tuple[str, str]
    authors: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{self.slug}-{self.article_id}.html"

    @property
    def url(self) -> str:
        return f"https://baoquocte.vn/{self.path}"


def _sentences() -> list[str]:
    if FLORES_SENTENCES.exists():
        lines = FLORES_SENTENCES.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    return list(_BUILT_IN_SENTENCES)


def generate(count: int, now: datetime, seed: int = 2026) -> list[SyntheticArticle]:
    """``count`` articles, newest first, published over the 7 days before ``now``."""
    sentences = _sentences()
    rng = random.Random(seed)
    articles = []
    for index in range(count):
        picked = rng.sample(sentences, k=min(len(sentences), 1 + 2 * rng.randint(4, 8)))
        title = " ".join(picked[0].split()[:12]).rstrip(",.;:")
        paragraphs = tuple(" ".join(picked[i : i + 2]) for i in range(2, len(picked), 2))
        published = (now - timedelta(minutes=37 * index + rng.randint(0, 30))).astimezone(SITE_TIME)
        articles.append(
            SyntheticArticle(
                article_id=FIRST_ID + index,
                slug=f"ban-tin-tong-hop-so-{index + 1}",
                title=f"Bản tin {index + 1}: {title}",
                lead=picked[1],
                paragraphs=paragraphs,
                published_at=published.replace(second=0, microsecond=0),
                section=_SECTIONS[index % len(_SECTIONS)],
                authors=tuple(rng.sample(_AUTHORS, k=rng.randint(1, 2))),
            )
        )
    return articles


def article_page(article: SyntheticArticle) -> str:
    e = html.escape
    shown = article.published_at.strftime("%d/%m/%Y %H:%M")
    paragraphs = "\n".join(f"<p>{e(text)}</p>" for text in article.paragraphs)
    image = (
        '<table class="MASTERCMS_TPL_TABLE"><tbody><tr><td>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        f'data-src="/stores/news_dataimages/synthetic/{article.article_id}.jpg" alt=""></td></tr>'
        f"<tr><td><em>{e(article.title)}. (Ảnh: {e(article.authors[0])})</em></td></tr></tbody></table>"
    )
    body_parts = paragraphs.split("\n")
    middle = len(body_parts) // 2
    content = "\n".join([*body_parts[:middle], image, *body_parts[middle:]])
    category, section = article.section
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(article.title)} | Báo Thế giới và Việt Nam</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:description" content="{e(article.lead)}">
<meta property="article:published_time" content="{article.published_at.isoformat()}">
<link rel="canonical" href="{article.url}">
<script>var __MB_ARTICLE_ID={article.article_id};</script>
</head>
<body class="detail-page">
<header class="site-header"><nav class="menu-main"><ul><li><a href="/">Trang chủ</a></li>
<li><a href="/thoi-su">Thời sự</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></nav></header>
<main class="site-main"><div class="container">
<div class="breadcrumb"><a class="home" href="/">Trang chủ</a>
<a class="menu-alias" href="/{category}">{section}</a></div>
<div class="article-detail">
<h1 class="article-detail-title">{e(article.title)}</h1>
<div class="article-detail-info"><div class="article-date">{shown}</div>
<div class="article-member">{e(" - ".join(article.authors))}</div></div>
<div class="social-share"><a class="btn-share fb" href="#">Chia sẻ</a>
<a href="#comments">Bình luận (0)</a></div>
<div class="article-detail-desc">TGVN. {e(article.lead)}</div>
<div class="__MASTERCMS_CONTENT">
{content}
<p>Theo dõi Baoquocte.vn trên Google News</p>
</div>
<div class="article-tags"><a href="/tag/{category}">{section}</a></div>
</div>
</div></main>
<footer class="site-footer"><p>© Báo Thế giới &amp; Việt Nam</p></footer>
</body>
</html>
"""


def rss_items(articles: list[SyntheticArticle]) -> str:
    return "\n".join(
        f"""    <item>
      <title><![CDATA[{article.title}]]></title>
      <link>{article.url}</link>
      <guid isPermaLink="false">{article.article_id}</guid>
      <pubDate>{format_datetime(article.published_at)}</pubDate>
    </item>"""
        for article in articles
    )


def rss_feed(articles: list[SyntheticArticle]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
    <title>Tổng hợp - Báo Thế giới và Việt Nam</title>
    <link>https://baoquocte.vn/rss_feed/{SYNTHETIC_CATEGORY}</link>
    <description>Tổng hợp</description>
{rss_items(articles)}
</channel></rss>
"""


def listing_page(articles: list[SyntheticArticle], page: int) -> str | None:
    pages = max(1, -(-len(articles) // PER_LISTING_PAGE))
    if page > pages:
        return None
    shown = articles[(page - 1) * PER_LISTING_PAGE : page * PER_LISTING_PAGE]
    entries = "\n".join(
        f'<div class="article"><h3 class="article-title"><a href="/{a.path}">{html.escape(a.title)}</a></h3>'
        f'<span class="time">{a.published_at.strftime("%d/%m/%Y %H:%M")}</span></div>'
        for a in shown
    )
    links = " ".join(
        f'<a href="/{SYNTHETIC_CATEGORY}{"" if n == 1 else f"/p{n}"}">{n}</a>'
        if n != page
        else f"<span>{n}</span>"
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tổng hợp | Báo Thế giới và Việt Nam</title></head>
<body><div class="breadcrumb"><a class="menu-alias" href="/{SYNTHETIC_CATEGORY}">Tổng hợp</a></div>
<div class="bx-listing">
{entries}
</div>
<div class="__MB_ARTICLE_PAGING">{links}</div>
</body></html>
"""
