"""Offline sentence segmentation that knows Vietnamese news text.

A boundary is terminal punctuation (``. ! ? …`` or ``...``), optionally followed by closing quotes or
brackets, then whitespace, then something that can open a sentence (an upper-case letter, a digit, an
opening quote or bracket, a dash, a lower-case list item "b) "). It is not a boundary:

- after a known abbreviation ("TP.", "ThS.", "Q.", "Mr.") or a compound of abbreviations and single
  letters ("PGS.TS.", "GS.TSKH.", "ThS.BS.", "P.V.");
- after an initial ("Nguyễn V. A."; an initial is an unaccented capital or Đ: "châu Á." and "Ý." are
  words), unless the letter or a Roman numeral numbers something ("quý I.", "khóa XV.", "hạng A.");
- after a list marker that opens a sentence or follows a colon or semicolon ("1. ", "gồm: a. ");
- before a lower-case word (an ellipsis mid-sentence);
- inside a quotation, that is between an opening quote and *its* closing quote: an opening quote never
  closed in the paragraph (a quotation running on into the next paragraph) does not hold the rest of
  the paragraph together, and a quotation longer than ``max_chars`` is split at its own sentences.

Numbers ("1.000,5", "15/3", "3.5") and "Tp.HCM" never split because no whitespace follows their dots.
Newlines always separate. A sentence longer than ``max_chars`` is cut at the last space or comma
before the limit, so a 100,000-character paragraph becomes bounded pieces instead of one model input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS: frozenset[str] = frozenset(
    word.lower()
    for word in (
        # Vietnamese titles, degrees and administrative units
        "TP", "Tp", "ThS", "Th.S", "TS", "PGS", "GS", "PGS.TS", "GS.TS", "TS.BS", "BS", "BSCKI", "BSCKII",
        "KS", "CN", "NCS", "NSƯT", "NSND", "NXB", "Q", "P", "H", "TX", "TT", "X", "Tr", "tr", "Sđd", "St",
        "Ô", "B", "TAND", "VKSND", "Đ/c", "đ/c", "Th", "Thạc sĩ", "ĐH", "TSKH", "BSCK", "CKI", "CKII", "DS",
        "KTS", "LS", "NGƯT", "NGND", "TTƯT", "PTS", "GĐ", "PGĐ", "TGĐ", "PV", "CTV", "BTV", "HLV",
        # English and Latin abbreviations common in Vietnamese news copy
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "vs", "v", "etc", "e.g", "i.e", "No", "Inc", "Ltd",
        "Co", "Corp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    )
)  # fmt: skip

_OPENING_QUOTES = '"“‘«(['
_CLOSING_QUOTES = "\"”’»)]'"
_TERMINATOR = re.compile(r"(?:\.{2,}|…|[.!?])+[\"”’»)\]']*")
_WORD_BEFORE = re.compile(r"(\S+)$")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}|[a-zA-Z]|[IVXivx]{1,4})$")
_ROMAN_OR_LETTER = re.compile(r"^(?:[A-Z]|[IVXLC]{1,6})$")
_LOWER_CASE_ITEM = re.compile(r"^[a-hđ]\)\s")
_SENTENCE_OPENER = re.compile(r"[\"“‘«(\[\-–—•*]|\d|[^\W\d_]")
# words after which a capital letter or Roman numeral is a number: "quý I", "khóa XV", "hạng A"
NUMBERED_BY_LETTER: frozenset[str] = frozenset(
    word.lower()
    for word in (
        "quý", "khóa", "khoá", "phần", "chương", "hạng", "kỳ", "kì", "tập", "mục", "loại", "nhóm", "bảng",
        "lớp", "đợt", "vòng", "khu", "giai đoạn", "phụ lục", "điều", "cấp", "tầng", "dãy", "lô", "block",
        "phase", "part", "class", "group", "chapter", "level", "type", "world war",
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence and the whitespace that followed it in the paragraph (``""`` for the last one)."""

    text: str
    separator: str


def split_sentences(text: str, max_chars: int = 400) -> list[str]:
    return [segment.text for segment in segment_paragraph(text, max_chars)]


def join_segments(sentences: list[str], segments: list[Segment]) -> str:
    """Reassemble translated sentences with the original separators: newlines (table rows, lines)
    and " | " (table cells) come back where they were, any other whitespace as one space."""
    return "".join(
        sentence + segment.separator for sentence, segment in zip(sentences, segments, strict=True)
    ).strip()


def segment_paragraph(text: str, max_chars: int = 400) -> list[Segment]:
    segments: list[Segment] = []
    for line, separator in _lines(text):
        pieces = _split_line(line, max_chars)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            for chunk_index, chunk in enumerate(chunks := _bounded(piece, max_chars)):
                final = last and chunk_index == len(chunks) - 1
                segments.append(Segment(chunk, separator if final else " "))
    if segments:
        segments[-1] = Segment(segments[-1].text, "")
    return segments


def _lines(text: str) -> list[tuple[str, str]]:
    """Lines and table cells, each with the separator that follows it."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        cells = [cell.strip() for cell in match.group().split(" | ")]
        cells = [cell for cell in cells if cell]
        for index, cell in enumerate(cells):
            lines.append((cell, "\n" if index == len(cells) - 1 else " | "))
    return lines


def _split_line(line: str, max_chars: int) -> list[str]:
    sentences = []
    start = 0
    quotations = _quotations(line, max_chars)
    for match in _TERMINATOR.finditer(line):
        end = match.end()
        if end >= len(line) or not line[end].isspace():
            continue
        rest = line[end:].lstrip()
        if not rest or not _SENTENCE_OPENER.match(rest):
            continue
        if any(opening < match.start() and closing >= end for opening, closing in quotations):
            continue
        if not _is_boundary(line[start:end], match.group(), rest):
            continue
        sentences.append(line[start:end].strip())
        start = end
    tail = line[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _is_boundary(candidate: str, terminator: str, rest: str) -> bool:
    first = rest[0]
    lower_case_item = _LOWER_CASE_ITEM.match(rest) is not None
    if terminator.startswith(("...", "…")) and first.isalpha() and first.islower() and not lower_case_item:
        return False
    if terminator[0] != "." or len(terminator.rstrip(_CLOSING_QUOTES)) > 1:
        return first.isupper() or not first.isalpha() or lower_case_item
    before = candidate[: -len(terminator)]
    word_match = _WORD_BEFORE.search(before)
    word = word_match.group(1).lstrip(_OPENING_QUOTES) if word_match else ""
    preceding = before[: word_match.start()].rstrip() if word_match else ""
    if _ROMAN_OR_LETTER.match(word) and _previous_word(preceding) in NUMBERED_BY_LETTER:
        return first.isupper() or not first.isalpha()
    if _is_abbreviation(word):
        return False
    initial = len(word) == 1 and (("A" <= word <= "Z") or word == "Đ")
    list_marker = _LIST_MARKER.match(word) is not None and (not preceding or preceding.endswith((":", ";")))
    return not (initial or list_marker or (first.isalpha() and first.islower() and not lower_case_item))


def _is_abbreviation(word: str) -> bool:
    """A known abbreviation, or a compound of them and single letters ("GS.TSKH", "ThS.BS", "P.V")."""
    lowered = word.lower().rstrip(".")
    if lowered in ABBREVIATIONS:
        return True
    parts = lowered.split(".")
    return len(parts) > 1 and all(
        part in ABBREVIATIONS or (len(part) == 1 and part.isalpha()) for part in parts
    )


def _previous_word(text: str) -> str:
    """The last one or two words of ``text``, lower-cased, as they appear in ``NUMBERED_BY_LETTER``."""
    words = text.lower().split()
    if len(words) >= 2 and " ".join(words[-2:]) in NUMBERED_BY_LETTER:
        return " ".join(words[-2:])
    return words[-1] if words else ""


def _quotations(line: str, max_chars: int) -> list[tuple[int, int]]:
    """(opening, closing) positions of the quotations that close within the line and are at most
    ``max_chars`` long. A straight quote opens when it follows a space, a bracket or the line start and
    a non-space follows it; otherwise it closes. An opening quote never closed holds nothing together."""
    quotations = []
    open_at: list[int] = []
    for position, character in enumerate(line):
        if character not in '"“”«»':
            continue
        before = line[position - 1] if position else " "
        after = line[position + 1] if position + 1 < len(line) else " "
        opens = character in "“«" or (
            character == '"' and (before.isspace() or before in "([{–—-") and not after.isspace()
        )
        if opens:
            open_at.append(position)
        elif open_at:
            opening = open_at.pop()
            if position - opening <= max_chars:
                quotations.append((opening, position))
    return quotations


def _bounded(sentence: str, max_chars: int) -> list[str]:
    chunks = []
    while len(sentence) > max_chars:
        window = sentence[:max_chars]
        cut = max(window.rfind(" "), window.rfind(", ") + 1)
        cut = cut if cut > max_chars // 2 else max_chars
        chunks.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        chunks.append(sentence)
    return chunks
