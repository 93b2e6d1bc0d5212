"""The language an article is written in, detected from its text (py3langid, offline): an edition
occasionally carries a page in another language, and the pipeline routes articles to translation by the
record's language. The translation package has its own paragraph-level identifier; the spiders decide per
article with the edition's language as the prior, and import nothing from it."""

from __future__ import annotations

import re
from functools import cache

MIN_LETTERS = 40
MIN_PROBABILITY = 0.95
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, expected: str) -> str:
    """``expected`` unless the text is long enough and confidently in another language."""
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return expected
    language, probability = _identifier().classify(text)
    if language != expected and probability >= MIN_PROBABILITY:
        return str(language)
    return expected
