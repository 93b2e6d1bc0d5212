"""The language an article is written in, detected from its text (py3langid, offline): an edition
occasionally carries a page in another language, and the pipeline routes articles to translation by the
record's language. The translation package has its own paragraph-level identifier; the spiders decide per
article with the edition's language as the prior, and import nothing from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

MIN_LETTERS = 40
MIN_PROBABILITY = 0.95
SAMPLE_CHARS = 300
"""Enough text for a confident guess; the identifier's cost grows with the text."""
VIETNAMESE_SHARE = 0.2
_NOT_LETTER = re.compile(r"[\W\d_]+")
"""Letters are counted as what is left once the rest is deleted, and letters of a kind as what deleting
them removes: cheaper than listing every match."""
_VIETNAMESE_ONLY = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
"""Letters no other language writes: a text full of them is Vietnamese without asking the model."""
HAN_SHARE = 0.5
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
"""A text written mostly in Han characters and without kana or hangul is Chinese (not Japanese or
Korean) without asking the model."""
ENGLISH_SHARE = 0.15
_TYPOGRAPHY = str.maketrans("", "", "‘’“”–—…\u00a0")
"""Curly quotes, dashes, ellipses and no-break spaces, which English copy is full of: an English text
is ASCII once they are left out."""
_ENGLISH_WORDS = frozenset(
    [
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
        "it",
        "are",
        "be",
        "has",
        "have",
        "will",
        "said",
        "its",
        "this",
    ]
)
"""Function words common enough that an English text of a few sentences is full of them."""


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, expected: str) -> str:
    """``expected`` unless the text is long enough and confidently in another language."""
    text = text[:SAMPLE_CHARS]
    if len(text) < MIN_LETTERS or not _at_least(MIN_LETTERS, _letters, text):
        return expected
    words = text.split()
    if _at_least(VIETNAMESE_SHARE * len(words), _vietnamese_letters, text):
        return "vi"
    if text.translate(_TYPOGRAPHY).isascii():
        if sum(word.lower() in _ENGLISH_WORDS for word in words) >= ENGLISH_SHARE * len(words):
            return "en"
    elif len(_HAN.findall(text)) >= HAN_SHARE * _letters(text) and _KANA_HANGUL.search(text) is None:
        return "zh"
    language, probability = _identifier().classify(text)
    if language != expected and probability >= MIN_PROBABILITY:
        return str(language)
    return expected


def _letters(text: str) -> int:
    return len(_NOT_LETTER.sub("", text))


def _vietnamese_letters(text: str) -> int:
    return len(text) - len(_VIETNAMESE_ONLY.sub("", text))


def _at_least(needed: float, count: Callable[[str], int], text: str) -> bool:
    """``count(text) >= needed``, decided on the first quarter of the text when that already holds (the
    counts only grow with the text, and counting characters is the costly part)."""
    return count(text[: len(text) // 4]) >= needed or count(text) >= needed
