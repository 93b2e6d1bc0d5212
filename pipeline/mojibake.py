"""Mojibake: text whose UTF-8 bytes were read in a legacy code page ("BĂ i bá»‹" for "Bài bị"), or
text with U+FFFD where undecodable bytes were. The quality checks measure its rate per source."""

from __future__ import annotations

import re

from warehouse.record import Article

# What UTF-8 Vietnamese (and Latin) letters become when read as Windows-1252/1258 or Latin-1: the
# lead bytes E1 BA/BB ("áº", "á»"), C4 91 ("Ä‘", đ), C6 B0/A1 ("Æ°", "Æ¡", ư/ơ), and C3 followed by a
# continuation byte ("Ã©", "Ã¡", …). None of these pairs occurs in Vietnamese or other real text.
_MOJIBAKE = re.compile(
    "á[º»¹]|Ä[‘\u0091\u0090]|Æ[°¡¯]|Ã[\u0080-\u00bf\u201a-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2122]"
    "|\ufffd"
)


def looks_like_mojibake(text: str) -> bool:
    return _MOJIBAKE.search(text) is not None


def article_has_mojibake(article: Article) -> bool:
    """Whether the title, lead or any paragraph carries mojibake or replaced bytes."""
    return any(
        looks_like_mojibake(text)
        for text in (article.title, article.lead or "", *(block.text for block in article.body))
    )
