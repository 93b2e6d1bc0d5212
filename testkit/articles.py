"""The tests' article: a valid feed record numbered ``number``, as the spiders write it, with any field
replaced by an override. Every test and campaign case that needs an article starts from this one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from warehouse.record import Article

CRAWLED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def article_record(number: int, **overrides: Any) -> dict[str, Any]:
    """The record as a dict (the shape of one feed line); ``overrides`` replace or add fields as given,
    valid or not."""
    record: dict[str, Any] = {
        "source": "baoquocte",
        "url": f"https://baoquocte.vn/bai-viet-{number}.html?utm_source=rss",
        "canonical_url": f"https://baoquocte.vn/bai-viet-{number}.html",
        "source_article_id": str(number),
        "title": f"Việt Nam thúc đẩy hòa bình và hợp tác khu vực, bài {number}",
        "lead": "Bộ Ngoại giao khẳng định lập trường nhất quán về hòa bình.",
        "body": [
            {"kind": "paragraph", "text": f"Đoạn mở đầu của bài {number} tại Đà Nẵng."},
            {"kind": "heading", "text": "Hợp tác kinh tế"},
            {"kind": "paragraph", "text": "Hai bên nhất trí tăng cường thương mại và đầu tư."},
        ],
        "authors": ["Minh Anh"],
        "section": "Thời sự",
        "tags": ["ngoại giao", "ASEAN"],
        "images": [
            {"src": f"https://media.baoquocte.vn/{number}.jpg", "caption": "Lễ ký kết.", "credit": "TTXVN"},
            {"src": f"https://media.baoquocte.vn/{number}-b.jpg", "caption": None, "credit": None},
        ],
        "language": "vi",
        "published_at": (CRAWLED_AT - timedelta(hours=number % 48)).isoformat(),
        "updated_at": None,
        "crawled_at": CRAWLED_AT.isoformat(),
        "extraction_layer": "selector",
        "flags": [],
    }
    record.update(overrides)
    return record


def feed_line(number: int, *, ensure_ascii: bool = False, **overrides: Any) -> str:
    """The record as one JSON line; ``ensure_ascii`` escapes every non-ASCII character (a line that
    must carry lone surrogates)."""
    return json.dumps(article_record(number, **overrides), ensure_ascii=ensure_ascii)


def article(number: int, **overrides: Any) -> Article:
    """The record as the loader reads it."""
    return Article.from_dict(article_record(number, **overrides))
