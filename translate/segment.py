"""Offline sentence segmentation that knows Vietnamese news text.

A boundary is terminal punctuation (``. ! ? …`` or ``...``), optionally followed by closing quotes or
brackets, then whitespace, then something that can open a sentence (an upper-case letter, a digit, an
opening quote or bracket, a dash). It is not a boundary after a known abbreviation ("TP.", "ThS.",
"PGS.TS.", "Q.", "Mr."), after an initial ("Nguyễn V. A."), after a list number at the start of a
sentence ("1. "), before a lower-case word (an ellipsis mid-sentence), or inside an open quotation.
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
        "Ô", "B", "TAND", "VKSND", "Đ/c", "đ/c", "Th", "Thạc sĩ", "ĐH",
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
_SENTENCE_OPENER = re.compile(r"[\"“‘«(\[\-–—•*]|\d|[^\W\d_]")


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
        pieces = _split_line(line)
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


def _split_line(line: str) -> list[str]:
    sentences = []
    start = 0
    for match in _TERMINATOR.finditer(line):
        end = match.end()
        if end >= len(line) or not line[end].isspace():
            continue
        rest = line[end:].lstrip()
        if not rest or not _SENTENCE_OPENER.match(rest):
            continue
        candidate = line[start:end]
        if not _is_boundary(candidate, match.group(), rest):
            continue
        sentences.append(candidate.strip())
        start = end
    tail = line[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _is_boundary(candidate: str, terminator: str, rest: str) -> bool:
    if _inside_quotation(candidate, terminator):
        return False
    first = rest[0]
    if terminator.startswith(("...", "…")) and first.isalpha() and first.islower():
        return False
    if terminator[0] != "." or len(terminator.rstrip(_CLOSING_QUOTES)) > 1:
        return first.isupper() or not first.isalpha()
    before = _WORD_BEFORE.search(candidate[: -len(terminator)])
    word = before.group(1).lstrip(_OPENING_QUOTES) if before else ""
    if word.lower() in ABBREVIATIONS or word.lower().rstrip(".") in ABBREVIATIONS:
        return False
    initial = len(word) == 1 and word.isalpha() and word.isupper()
    list_marker = _LIST_MARKER.match(word) is not None and candidate.strip() == word + terminator
    return not (initial or list_marker or (first.isalpha() and first.islower()))


def _inside_quotation(candidate: str, terminator: str) -> bool:
    """True when the text so far has opened a quotation the terminator does not close."""
    body = candidate[: -len(terminator)] if terminator else candidate
    closes = terminator[len(terminator.rstrip(_CLOSING_QUOTES)) :]
    curly = body.count("“") - body.count("”") - closes.count("”")
    straight = (body.count('"') + closes.count('"')) % 2
    return curly > 0 or straight == 1


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
