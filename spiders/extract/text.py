"""Text cleaning shared by all sources: boilerplate lines that must never reach a record, author
bylines split into names, and photo credits split out of captions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from lxml import etree

BOILERPLATE_LINES: tuple[str, ...] = (
    r"^theo dõi\b.{0,60}\btrên\s+(google news|zalo|facebook|youtube|tiktok|mạng xã hội)\b",
    r"^follow\b.{0,60}\bon\s+(google news|zalo|facebook|youtube|tiktok|social media)\b",
    r"^bình luận\s*\(\d+\)$",
    r"^comments?\s*\(\d+\)$",
    r"^(chia sẻ|share)(\s*:)?$",
    r"^(tin|bài) liên quan\s*:?$",
    r"^(tin|bài|bài viết) cùng (chủ đề|chuyên mục)\s*:?$",
    r"^(xem thêm|đọc thêm|related( news| articles)?|read more)\s*:?$",
    r"^(quảng cáo|advertisement)$",
    r"^(in bài|print)$",
)
"""Lines no site's article body contains: true of every site. A site's own lines (follow lines naming
it, its promotional blurbs) are declared in its source module (``Source.boilerplate``/``nicknames``)."""
MAX_BOILERPLATE_CHARS = 160
"""Boilerplate lines are short: longer text is never tested against the patterns."""


def _line_finder(lines: list[str] | tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """One search for any of ``lines`` (case-insensitive); a ``match`` when every pattern is anchored at
    the start, which spares the regex engine a failed attempt at every later position."""
    pattern = re.compile("|".join(f"(?:{line})" for line in lines), re.IGNORECASE)
    return pattern.match if all(line.startswith("^") for line in lines) else pattern.search


_BOILERPLATE = _line_finder(BOILERPLATE_LINES)


DATELINE_PREFIXES: tuple[str, ...] = (
    r"\((?=[^()]{2,25}\))[^()]*[A-ZĐ][^()]*\)\s*[-–—]\s*",
    r"[A-Za-z][\w-]*\.(?:vn|VN|Vn|com\.vn)\s*[-–—.:]\s+",
)
"""An outlet's name in parentheses and a dash ("(Dân trí) -", "(NLĐO) -"), or its domain ("VOV.VN -",
"Baoquocte.vn."), before the first sentence: a convention of every Vietnamese site, whatever the outlet."""


class SiteNoise:
    """The boilerplate lines and dateline prefixes of one site: the shared lines plus the site's own
    patterns, and follow lines / datelines built from the names the outlet calls itself."""

    __slots__ = ("_boilerplate", "_dateline")

    def __init__(
        self,
        boilerplate: tuple[str, ...] = (),
        datelines: tuple[str, ...] = (),
        nicknames: tuple[str, ...] = (),
    ):
        names = "|".join(re.escape(name) for name in sorted(nicknames, key=len, reverse=True))
        lines = list(BOILERPLATE_LINES) + list(boilerplate)
        prefixes = [*datelines, *DATELINE_PREFIXES]
        if names:
            lines.append(rf"^(theo dõi|follow)\s+({names})(\s|$)")
            prefixes.append(rf"\(?(?:{names})\)?\s*[.:\-–—]\s*")
        self._boilerplate = _line_finder(lines)
        self._dateline = (
            re.compile("^(?:" + "|".join(f"(?:{p})" for p in prefixes) + ")") if prefixes else None
        )

    def is_boilerplate(self, text: str) -> bool:
        return len(text) <= MAX_BOILERPLATE_CHARS and self._boilerplate(text) is not None

    def strip_dateline(self, text: str) -> str:
        """``"TTO - Sáng nay..."`` → ``"Sáng nay..."``; text without the site's dateline is unchanged."""
        if self._dateline is None:
            return text
        dateline = self._dateline.match(text)  # not ``sub``: it would try every position of the text
        return (text[dateline.end() :] if dateline else text).lstrip()


_AUTHOR_PREFIX = re.compile(
    r"^(theo|by|bài(\s+và\s+ảnh)?|ảnh|tin|pv|phóng viên|nhóm phóng viên|written by|story and photos by)"
    r"\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_AUTHOR_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*/\s*|\s*,\s*|\s*;\s*|\s+và\s+|\s+and\s+|\s*&\s*")
_AUTHOR_TRAILER = re.compile(r"\s*\((st|tổng hợp|compiled)\)\s*$", re.IGNORECASE)

_CREDIT_LABELS = (
    r"nguồn(?:\s+ảnh)?|ảnh(?:\s+(?:tư liệu|minh họa|minh hoạ|chụp màn hình|internet))?|source|photos?|"
    r"file photo|credit|video|đồ họa|đồ hoạ|infographic|graphic"
)
_CREDIT_IN_PARENTHESES = re.compile(
    r"\s*\(\s*(?:" + _CREDIT_LABELS + r")\s*[:/]\s*([^()]+?)\s*\)\s*\.?\s*$", re.I
)
_CREDIT_TRAILING = re.compile(
    r"(?:^|(?<=[\s.|—–-]))(?:" + _CREDIT_LABELS + r")\s*[:/]\s*([^()]+?)\s*\.?\s*$", re.I
)
_CREDIT_GIVEN_BY = re.compile(
    r"(?:^|\s)\(?\s*(?:photos?\s+(?:by|courtesy of)|courtesy of|ảnh\s+do)\s+"
    r"([^()]+?)(?:\s+cung cấp)?\s*\)?\.?\s*$",
    re.I,
)
_CREDIT_ACRONYM = re.compile(r"(?:^|\s)\(?\s*(?:[Ảả]nh|[Pp]hoto)\s+([A-ZĐ]{2,}(?:/[A-ZĐ]{2,})*)\s*\)?\.?\s*$")
_CREDIT_ALONE = re.compile(r"^\(?\s*(ảnh tư liệu|file photo)\s*\)?\.?$", re.I)
_CREDIT_WORD = re.compile(r"ảnh|nguồn|source|photo|credit|video|đồ ho|graphic|courtesy")
"""Searched in the lowercased caption: three times cheaper than a case-insensitive search, which the
regex engine runs letter by letter at every position (and every body line is tested)."""
_CREDIT_PATTERNS = (_CREDIT_IN_PARENTHESES, _CREDIT_TRAILING, _CREDIT_GIVEN_BY, _CREDIT_ACRONYM)


def clean_text(text: str) -> str:
    """Exactly ``warehouse.record.normalize_text`` (NFC, zero-width characters dropped, whitespace runs
    folded to one space, trimmed), about three times faster: extraction calls it for every text node."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def raw_text(element: etree._Element) -> str:
    """All the text under ``element``, as XPath ``string()`` gives it, serialised by libxml2: a quarter
    of the cost of the XPath call or of joining ``itertext()``."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def is_boilerplate(text: str) -> bool:
    return len(text) <= MAX_BOILERPLATE_CHARS and _BOILERPLATE(text) is not None


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
    """The caption and the photo credit written into it, in every form seen: ``"… (Nguồn: Reuters)"``,
    ``"… Ảnh: Tuấn Anh"``, ``"(Ảnh: TTXVN)"``, ``"Ảnh tư liệu/TTXVN"``, ``"… Ảnh TTXVN"``,
    ``"Photo: VNA"``, ``"Photo courtesy of …"``, ``"Ảnh do … cung cấp"``; ``"(Ảnh tư liệu)"`` alone
    is a credit too ("archive photo")."""
    caption = clean_text(caption)
    if _CREDIT_WORD.search(caption.lower()) is None:
        return caption or None, None
    alone = _CREDIT_ALONE.match(caption)
    if alone:
        return None, alone.group(1)
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(caption)
        if match:
            credit = match.group(1).strip()
            remainder = caption[: match.start()].strip().rstrip(" -–—|").strip()
            return remainder or None, credit or None
    return caption or None, None
