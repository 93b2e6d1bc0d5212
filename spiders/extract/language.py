"""The language an article is written in, detected from its text (py3langid, offline): an edition
occasionally carries a page in another language, and the pipeline routes articles to translation by the
record's language. The translation package has its own paragraph-level identifier; the spiders decide per
article with the edition's language as the prior, and import nothing from it."""

from __future__ import annotations

import re
from functools import cache

MIN_LETTERS = 40
MIN_PROBABILITY = 0.95
SAMPLE_CHARS = 300
"""Enough text for a confident guess; the identifier's cost grows with the text."""
VIETNAMESE_SHARE = 0.2
_LETTER = re.compile(r"[^\W\d_]")
_VIETNAMESE_ONLY = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
"""Letters no other language writes: a text full of them is Vietnamese without asking the model."""
ENGLISH_SHARE = 0.15
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
    if len(text) < MIN_LETTERS or len(_LETTER.findall(text)) < MIN_LETTERS:
        return expected
    words = text.split()
    if len(_VIETNAMESE_ONLY.findall(text)) >= VIETNAMESE_SHARE * len(words):
        return "vi"
    if text.isascii() and sum(word.lower() in _ENGLISH_WORDS for word in words) >= ENGLISH_SHARE * len(words):
        return "en"
    language, probability = _identifier().classify(text)
    if language != expected and probability >= MIN_PROBABILITY:
        return str(language)
    return expected
