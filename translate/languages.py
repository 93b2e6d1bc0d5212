"""Language codes: the two-letter codes Argos packages use, their ISO 639-3 forms (OPUS-MT's
``>>xxx<<`` tokens) and display names."""

from __future__ import annotations

_LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("ara", "Arabic"),
    "de": ("deu", "German"),
    "en": ("eng", "English"),
    "es": ("spa", "Spanish"),
    "fr": ("fra", "French"),
    "hi": ("hin", "Hindi"),
    "id": ("ind", "Indonesian"),
    "it": ("ita", "Italian"),
    "ja": ("jpn", "Japanese"),
    "km": ("khm", "Khmer"),
    "ko": ("kor", "Korean"),
    "lo": ("lao", "Lao"),
    "ms": ("zsm", "Malay"),
    "my": ("mya", "Burmese"),
    "nl": ("nld", "Dutch"),
    "pt": ("por", "Portuguese"),
    "ru": ("rus", "Russian"),
    "th": ("tha", "Thai"),
    "tl": ("tgl", "Tagalog"),
    "uk": ("ukr", "Ukrainian"),
    "vi": ("vie", "Vietnamese"),
    "zh": ("zho", "Chinese"),
}


def iso639_3(code: str) -> str:
    """``vi`` → ``vie``; a code that is already three letters (or unknown) comes back unchanged."""
    return _LANGUAGES.get(code, (code, ""))[0]


def language_name(code: str) -> str:
    return _LANGUAGES.get(code, ("", code))[1]
