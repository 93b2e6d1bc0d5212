"""Synthetic but realistic article records for the load and scale benchmarks.

Text is assembled from the FLORES-200 Vietnamese/English sentences (dev + devtest, ~2,000 sentences
each side) in ``NEWS_FLORES_DIR``, default ``../shared/data/flores-vi-en`` beside the checkout, when
present, else from a built-in generator of Vietnamese-looking syllables and English-looking words.
Everything is seeded, so two runs build the same corpus.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from testkit.flores import flores_dir

FLORES_DIR = flores_dir()

SOURCES = (
    "baoquocte",
    "vnexpress",
    "tuoitre",
    "thanhnien",
    "vietnamnet",
    "dantri",
    "nhandan",
    "vov",
    "laodong",
    "zingnews",
)
# English editions: their articles are written in English (FLORES English sentences), like
# en.baoquocte.vn, e.vnexpress.net or tuoitrenews.vn.
ENGLISH_EDITIONS = ("baoquocte_en", "vnexpress_en")
SECTIONS = ("Thời sự", "Thế giới", "Kinh tế", "Văn hóa", "Thể thao", "Ngoại giao", "Người Việt bốn phương")
TAGS = (
    "ASEAN",
    "Liên hợp quốc",
    "ngoại giao",
    "kinh tế số",
    "biến đổi khí hậu",
    "hòa bình",
    "Biển Đông",
    "du lịch",
    "đầu tư",
    "giáo dục",
    "y tế",
    "năng lượng",
    "Hà Nội",
    "Đà Nẵng",
    "TP. Hồ Chí Minh",
    "Mỹ",
    "Trung Quốc",
    "Nhật Bản",
    "EU",
    "Nga",
)
AUTHORS = ("Minh Anh", "Thu Trang", "Quang Huy", "Ngọc Lan", "Đức Thịnh", "Hải Yến", "Văn Toàn", "Bảo Châu")
_SYLLABLES = [
    "anh",
    "bà",
    "bình",
    "các",
    "cho",
    "của",
    "cùng",
    "đã",
    "đến",
    "được",
    "giữa",
    "hai",
    "hòa",
    "hội",
    "không",
    "khi",
    "là",
    "lại",
    "lên",
    "làm",
    "một",
    "mới",
    "người",
    "nhà",
    "nhiều",
    "những",
    "năm",
    "nước",
    "phát",
    "quốc",
    "ra",
    "rằng",
    "sẽ",
    "sự",
    "tại",
    "tế",
    "thể",
    "theo",
    "thì",
    "trong",
    "trên",
    "từ",
    "vào",
    "về",
    "với",
    "việc",
    "Việt",
    "Nam",
    "kinh",
    "đầu",
    "tư",
    "hợp",
    "tác",
    "ngoại",
    "giao",
    "an",
    "ninh",
    "khu",
    "vực",
    "chính",
    "phủ",
    "tổng",
    "thống",
    "bộ",
    "trưởng",
    "đối",
    "thoại",
]
_ENGLISH_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "was",
    "by",
    "at",
    "from",
    "government",
    "minister",
    "said",
    "talks",
    "peace",
    "economic",
    "cooperation",
    "region",
    "security",
    "trade",
    "investment",
    "agreement",
    "country",
    "people",
    "year",
    "new",
    "meeting",
]


def vietnamese_sentences() -> list[str]:
    return _sentences("vi") or _generated_sentences(_SYLLABLES, seed=11)


def english_sentences() -> list[str]:
    return _sentences("en") or _generated_sentences(_ENGLISH_WORDS, seed=12)


def corpus_origin() -> str:
    return "FLORES-200 dev+devtest sentences" if _sentences("vi") else "built-in syllable generator"


def article_records(  # noqa: PLR0913 - keyword-only corpus knobs, each with a default
    count: int,
    *,
    seed: int = 2026,
    body_bytes: tuple[int, int] = (5000, 8000),
    first_id: int = 1,
    sources: tuple[str, ...] = ("baoquocte",),
    published_from: datetime = datetime(2026, 11, 1, tzinfo=UTC),
    published_span: timedelta = timedelta(days=20),
    english_sources: tuple[str, ...] = (),
) -> Iterator[dict[str, Any]]:
    """``count`` article records (as ``Article.to_dict()`` would give) with ``body_bytes`` of body text.
    Articles of ``english_sources`` are in English, the others in Vietnamese."""
    text_by_language = {"vi": vietnamese_sentences(), "en": english_sentences()}
    rng = random.Random(seed)
    span_seconds = int(published_span.total_seconds())
    for number in range(first_id, first_id + count):
        source = sources[number % len(sources)]
        language = "en" if source in english_sources else "vi"
        sentences = text_by_language[language]
        published_at = published_from + timedelta(seconds=span_seconds * (number - first_id) // max(count, 1))
        crawled_at = published_at + timedelta(minutes=rng.randint(5, 600))
        yield {
            "source": source,
            "url": f"https://{source}.example.vn/tin-tuc/bai-viet-{number}.html?utm_source=rss",
            "canonical_url": f"https://{source}.example.vn/tin-tuc/bai-viet-{number}.html",
            "source_article_id": str(number),
            "title": _clip(rng.choice(sentences), 14),
            "lead": " ".join(rng.sample(sentences, 2)),
            "body": _body(rng, sentences, rng.randint(*body_bytes)),
            "authors": rng.sample(AUTHORS, rng.randint(1, 2)),
            "section": rng.choice(SECTIONS),
            "tags": rng.sample(TAGS, rng.randint(2, 6)),
            "images": [
                {
                    "src": f"https://media.{source}.example.vn/2026/{number}-{index}.jpg",
                    "caption": _clip(rng.choice(sentences), 20),
                    "credit": rng.choice(("TTXVN", "Reuters", "AFP", None)),
                }
                for index in range(rng.randint(1, 4))
            ],
            "language": language,
            "published_at": published_at.isoformat(),
            "updated_at": None,
            "crawled_at": crawled_at.isoformat(),
            "extraction_layer": "selector",
            "flags": [],
        }


def write_feed(path: Path, records: Iterator[dict[str, Any]]) -> int:
    """Write records as JSON Lines; returns the file size in bytes."""
    with path.open("w", encoding="utf-8") as feed:
        for record in records:
            feed.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return path.stat().st_size


def _body(rng: random.Random, sentences: list[str], target_bytes: int) -> list[dict[str, str]]:
    body: list[dict[str, str]] = []
    size = 0
    while size < target_bytes:
        if len(body) == 3:
            block = {"kind": "heading", "text": _clip(rng.choice(sentences), 8)}
        elif len(body) == 6 and rng.random() < 0.3:
            block = {"kind": "quote", "text": rng.choice(sentences)}
        else:
            block = {"kind": "paragraph", "text": " ".join(rng.sample(sentences, rng.randint(2, 4)))}
        body.append(block)
        size += len(block["text"].encode("utf-8"))
    return body


def _clip(sentence: str, words: int) -> str:
    return " ".join(sentence.split()[:words]).rstrip(".,;:")


def _sentences(language: str) -> list[str]:
    lines: list[str] = []
    for split in ("dev", "devtest"):
        path = FLORES_DIR / f"{split}.{language}"
        if path.is_file():
            lines.extend(
                line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            )
    return lines


def _generated_sentences(words: list[str], *, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(12, 30))).capitalize() + "."
        for _ in range(2000)
    ]
