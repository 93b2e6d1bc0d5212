"""Text cleaning shared by all sources: boilerplate lines that must never reach a record, author
bylines split into names, and photo credits split out of captions."""

from __future__ import annotations

import re
import unicodedata

BOILERPLATE_LINES: tuple[str, ...] = (
    r"^theo dõi (baoquocte\.vn|báo thế giới (và|&) việt nam|tg&vn)\b",
    r"^follow (baoquocte|tg&vn|wvr|the world (and|&) vietnam report)\b",
    r"^bình luận\s*\(\d+\)$",
    r"^comments?\s*\(\d+\)$",
    r"^(chia sẻ|share)(\s*:)?$",
    r"^(tin|bài) liên quan\s*:?$",
    r"^(tin|bài|bài viết) cùng (chủ đề|chuyên mục)\s*:?$",
    r"^(xem thêm|đọc thêm|related( news| articles)?|read more)\s*:?$",
    r"^(quảng cáo|advertisement)$",
    r"^(in bài|print)$",
)
_BOILERPLATE = re.compile("|".join(f"(?:{line})" for line in BOILERPLATE_LINES), re.IGNORECASE)

_AUTHOR_PREFIX = re.compile(
    r"^(theo|by|bài(\s+và\s+ảnh)?|ảnh|tin|pv|phóng viên|nhóm phóng viên|written by|story and photos by)"
    r"\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_AUTHOR_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*/\s*|\s*,\s*|\s*;\s*|\s+và\s+|\s+and\s+|\s*&\s*")
_AUTHOR_TRAILER = re.compile(r"\s*\((st|tổng hợp|compiled)\)\s*$", re.IGNORECASE)

_CREDIT_LABELS = r"nguồn|ảnh|source|photo|photos|credit|video"
_CREDIT_IN_PARENTHESES = re.compile(
    r"\s*\(\s*(?:" + _CREDIT_LABELS + r")\s*:\s*([^()]+?)\s*\)\s*\.?\s*$", re.I
)
_CREDIT_TRAILING = re.compile(r"(?:^|\s)(?:" + _CREDIT_LABELS + r")\s*:\s*([^()]+?)\s*\.?\s*$", re.I)


def clean_text(text: str) -> str:
    """Exactly ``warehouse.record.normalize_text`` (NFC, zero-width characters dropped, whitespace runs
    folded to one space, trimmed), about three times faster: extraction calls it for every text node."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def is_boilerplate(text: str) -> bool:
    return _BOILERPLATE.search(text) is not None


def split_authors(byline: str) -> list[str]:
    """``"Theo Minh Anh - Hoàng Hà"`` → ``["Minh Anh", "Hoàng Hà"]``; prefixes like Theo/By dropped."""
    names: list[str] = []
    byline = _without_prefixes(_AUTHOR_TRAILER.sub("", clean_text(byline)))
    for part in _AUTHOR_SEPARATORS.split(byline):
        name = _without_prefixes(part)
        if name and name not in names:
            names.append(name)
    return names


def _without_prefixes(name: str) -> str:
    name = name.strip(" .:-–")
    while (stripped := _AUTHOR_PREFIX.sub("", name).strip(" .:-–")) != name:
        name = stripped
    return name


def split_caption_credit(caption: str) -> tuple[str | None, str | None]:
    """``"Hội nghị tại Hà Nội. (Nguồn: Reuters)"`` → ``("Hội nghị tại Hà Nội.", "Reuters")``."""
    caption = clean_text(caption)
    for pattern in (_CREDIT_IN_PARENTHESES, _CREDIT_TRAILING):
        match = pattern.search(caption)
        if match:
            credit = match.group(1).strip()
            remainder = caption[: match.start()].strip()
            return remainder or None, credit or None
    return caption or None, None
