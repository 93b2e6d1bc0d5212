"""Text hygiene before translation: repairing what cannot be encoded, deciding what needs a model at all,
and identifying languages with py3langid (offline, a few MB, ~0.1 ms per paragraph)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LETTER = re.compile(r"[^\W\d_]")

_WORD = re.compile(r"[^\W\d_]+")
# letters only Vietnamese uses among the Latin-script languages here: a-breve, circumflex vowels, d-bar,
# horn vowels, and the five tone marks on any vowel (NFC)
_VIETNAMESE_LETTER = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)

MIN_LETTERS_FOR_PARAGRAPH_ID = 40
PARAGRAPH_ID_CONFIDENCE = 0.9
# a Vietnamese paragraph has diacritics on ~40-70% of its words; below this share it is identified
VIETNAMESE_MARKED_SHARE = 0.15
MIN_LETTERS_FOR_SHORT_LINE_ID = 6
LATIN_SCRIPT_LANGUAGES = frozenset(
    [
        "vi",
        "en",
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "id",
        "ms",
        "tl",
        "pl",
        "cs",
        "ro",
        "sv",
        "da",
        "no",
        "fi",
        "tr",
    ]
)


def clean_text(text: str) -> str:
    """NFC, lone surrogates replaced by U+FFFD (valid pairs are joined), control characters dropped.
    Newlines survive: they separate table rows and lines."""
    repaired = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    repaired = _CONTROL.sub(" ", repaired.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", repaired)


def needs_model(sentence: str) -> bool:
    """False for segments with nothing to translate: numbers, dates, times, URLs, e-mail addresses,
    punctuation. They bypass the model and come out unchanged."""
    rest = _EMAIL.sub(" ", _URL.sub(" ", sentence))
    return _LETTER.search(rest) is not None


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str
    probability: float


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> LanguageGuess:
    """py3langid's naive-Bayes guess with a normalised probability. From 0.4 on it scores only the
    features a text has (~0.1 ms per paragraph here; 0.3's dense product over all ~7,500 features took
    3-4 ms, more than segmenting, hashing and SentencePiece together)."""
    language, probability = _identifier().classify(clean_text(text))
    return LanguageGuess(language, float(probability))


def vietnamese_marked_share(text: str) -> float:
    """Share of words carrying a letter only Vietnamese uses (``ă â đ ê ô ơ ư`` or a tone mark)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for word in words if _VIETNAMESE_LETTER.search(word)) / len(words)


def is_latin_script(text: str) -> bool:
    """True when most letters are Latin (basic, extended, and the Vietnamese block U+1E00-U+1EFF)."""
    letters = _LETTER.findall(text)
    latin = sum(1 for letter in letters if letter < "\u0250" or "\u1e00" <= letter <= "\u1eff")
    return latin * 2 > len(letters)


# scripts that name their language on their own (Han without kana is taken as Chinese)
_SCRIPT_LANGUAGES = (
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7af\u1100-\u11ff]")),
    ("zh", re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("lo", re.compile("[\u0e80-\u0eff]")),
    ("km", re.compile("[\u1780-\u17ff]")),
    ("my", re.compile("[\u1000-\u109f]")),
)


def script_language(text: str) -> str | None:
    """The language a non-Latin script alone identifies (``中国`` → zh, kana → ja), else None."""
    for language, script in _SCRIPT_LANGUAGES:
        if script.search(text):
            return language
    return None


def paragraph_language(
    text: str, document_language: str, candidates: frozenset[str] = frozenset({"en"})
) -> str:
    """The language to route one paragraph (or a whole article's text) by, given the language the
    article is in (declared or identified). URLs and e-mail addresses do not count.

    - A paragraph in another script than the article's language (a Chinese line in a Vietnamese
      article) is identified whatever its length: by its script when that names one language, else
      by the identifier.
    - In a Vietnamese article the diacritics decide first: a paragraph where at least
      ``VIETNAMESE_MARKED_SHARE`` of the words carry them is Vietnamese. A Latin line of two or more
      words without them is identified even when short ("Photo: Reuters"): the full identifier when
      it is long enough to trust, else the identifier's likeliest among Vietnamese and ``candidates``
      (the target and the languages with an installed pair; on a two-word line the identifier's top
      guess over 97 languages is noise).
    - Otherwise a paragraph of at least ``MIN_LETTERS_FOR_PARAGRAPH_ID`` letters that the identifier
      gives another language with at least ``PARAGRAPH_ID_CONFIDENCE`` is in that language.
    The result may be a language without an installed pair; the engine passes such text through."""
    text = _EMAIL.sub(" ", _URL.sub(" ", text))
    letters = letter_count(text)
    if letters == 0:
        return document_language
    latin = is_latin_script(text)
    if latin != (document_language in LATIN_SCRIPT_LANGUAGES):
        return (not latin and script_language(text)) or identify_language(text).language
    if document_language == "vi" and latin:
        return _line_in_vietnamese_article(text, letters, candidates)
    return _confident_guess(text, letters, document_language)


def _confident_guess(text: str, letters: int, document_language: str) -> str:
    if letters >= MIN_LETTERS_FOR_PARAGRAPH_ID:
        guess = identify_language(text)
        if guess.language != document_language and guess.probability >= PARAGRAPH_ID_CONFIDENCE:
            return guess.language
    return document_language


def _line_in_vietnamese_article(text: str, letters: int, candidates: frozenset[str]) -> str:
    if vietnamese_marked_share(text) >= VIETNAMESE_MARKED_SHARE:
        return "vi"
    if letters < MIN_LETTERS_FOR_SHORT_LINE_ID or len(_WORD.findall(text)) < 2:
        return "vi"
    if letters >= MIN_LETTERS_FOR_PARAGRAPH_ID:
        return _confident_guess(text, letters, "vi")
    ranking = _identifier().rank(clean_text(text))
    return max((entry for entry in ranking if entry[0] in candidates | {"vi"}), key=lambda entry: entry[1])[0]
