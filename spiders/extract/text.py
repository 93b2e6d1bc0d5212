"""Text cleaning shared by all sources: boilerplate lines that must never reach a record, author
bylines split into names, and photo credits split out of captions."""

from __future__ import annotations

import re

from warehouse.record import normalize_text

BOILERPLATE_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^theo dõi (baoquocte\.vn|báo thế giới (và|&) việt nam|tg&vn)\b",
        r"^follow (baoquocte|tg&vn|wvr|the world (and|&) vietnam report)\b",
        r"^bình luận\s*\(\d+\)$",
        r"^comments?\s*\(\d+\)$",
        r"^(chia sẻ|share)(\s*:)?$",
        r"^(tin|bài) liên quan\s*:?$",
        r"^(xem thêm|đọc thêm|related( news| articles)?|read more)\s*:?$",
        r"^(quảng cáo|advertisement)$",
        r"^(in bài|print)$",
    )
)

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


def is_boilerplate(text: str) -> bool:
    return any(pattern.search(text) for pattern in BOILERPLATE_LINES)


def split_authors(byline: str) -> list[str]:
    """``"Theo Minh Anh - Hoàng Hà"`` → ``["Minh Anh", "Hoàng Hà"]``; prefixes like Theo/By dropped."""
    names: list[str] = []
    byline = _without_prefixes(_AUTHOR_TRAILER.sub("", normalize_text(byline)))
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
    caption = normalize_text(caption)
    for pattern in (_CREDIT_IN_PARENTHESES, _CREDIT_TRAILING):
        match = pattern.search(caption)
        if match:
            credit = match.group(1).strip()
            remainder = caption[: match.start()].strip()
            return remainder or None, credit or None
    return caption or None, None
