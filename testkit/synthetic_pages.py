"""Generated article pages for the mirror (``--synthetic N``): N articles per registered source that
declares a ``render_article`` hook, on its first edition's host, rendered in that site's markup by the
hook; distinct ids, publication times spread over the last days, Vietnamese sentences from the
FLORES-101 dev set when it is on this machine (else a small built-in set). Enough articles for an
end-to-end benchmark of crawl → load → translate."""

from __future__ import annotations

import html
import random
from datetime import datetime, timedelta
from email.utils import format_datetime

from spiders.registry import all_sources
from spiders.source import ArticleContent, Source
from testkit.flores import flores_dir

FLORES_SENTENCES = flores_dir() / "dev.vi"
SYNTHETIC_CATEGORY = "tong-hop"
FIRST_ID = 400001
PER_LISTING_PAGE = 20

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


def _sentences() -> list[str]:
    if FLORES_SENTENCES.exists():
        lines = FLORES_SENTENCES.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    return list(_BUILT_IN_SENTENCES)


def synthetic_sources() -> list[Source]:
    """The registered sources that can render generated articles."""
    return [source for source in all_sources() if source.render_article is not None]


def generate(
    count: int, now: datetime, seed: int = 2026, source: Source | None = None
) -> list[ArticleContent]:
    """``count`` articles of ``source`` (default: the first that renders them), newest first, published
    over the 7 days before ``now``."""
    source = source or synthetic_sources()[0]
    edition = source.editions[0]
    sentences = _sentences()
    rng = random.Random(f"{seed}-{source.name}")
    articles = []
    for index in range(count):
        picked = rng.sample(sentences, k=min(len(sentences), 1 + 2 * rng.randint(4, 8)))
        title = " ".join(picked[0].split()[:12]).rstrip(",.;:")
        paragraphs = tuple(" ".join(picked[i : i + 2]) for i in range(2, len(picked), 2))
        published = (now - timedelta(minutes=37 * index + rng.randint(0, 30))).astimezone(source.zone)
        article_id = str(FIRST_ID + index)
        path = source.synthetic_path.format(slug=f"ban-tin-tong-hop-so-{index + 1}", id=article_id)
        authors = tuple(rng.sample(_AUTHORS, k=rng.randint(1, 2)))
        slug, section = _SECTIONS[index % len(_SECTIONS)]
        full_title = f"Bản tin {index + 1}: {title}"
        articles.append(
            ArticleContent(
                url=f"{edition.base_url}/{path}",
                article_id=article_id,
                title=full_title,
                lead=picked[1],
                paragraphs=paragraphs,
                published_at=published.replace(second=0, microsecond=0),
                section=section,
                section_slug=slug,
                authors=authors,
                image_src=f"{edition.base_url}/synthetic/images/{article_id}.jpg",
                image_caption=f"{full_title}.",
                image_credit=authors[0],
                language=edition.language,
            )
        )
    return articles


def path_of(article: ArticleContent) -> str:
    return article.url.split("/", 3)[3]


def article_page(source: Source, article: ArticleContent) -> str:
    assert source.render_article is not None
    return source.render_article(article)


def rss_items(articles: list[ArticleContent]) -> str:
    return "\n".join(
        f"""    <item>
      <title><![CDATA[{article.title}]]></title>
      <link>{article.url}</link>
      <guid isPermaLink="false">{article.article_id}</guid>
      <pubDate>{format_datetime(article.published_at)}</pubDate>
    </item>"""
        for article in articles
    )


def rss_feed(source: Source, articles: list[ArticleContent]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
    <title>{html.escape(SYNTHETIC_CATEGORY)} - {html.escape(source.display_name)}</title>
    <link>{source.base_url}</link>
    <description>{SYNTHETIC_CATEGORY}</description>
{rss_items(articles)}
</channel></rss>
"""


def listing_pages(articles: list[ArticleContent]) -> int:
    return max(1, -(-len(articles) // PER_LISTING_PAGE))


def listing_path(source: Source, page: int) -> str:
    """The path of page ``page`` of the generated category's listing (no leading slash)."""
    template = (
        source.listing.path
        if page == 1
        else (source.listing.page_path or source.listing.path.rstrip("/") + "/p{page}")
    )
    return template.format(category=SYNTHETIC_CATEGORY, page=page).lstrip("/")


def listing_page(source: Source, articles: list[ArticleContent], page: int) -> str | None:
    pages = listing_pages(articles)
    if page > pages or source.render_listing is None:
        return None
    shown = articles[(page - 1) * PER_LISTING_PAGE : page * PER_LISTING_PAGE]
    return source.render_listing(shown, page, pages, SYNTHETIC_CATEGORY)
