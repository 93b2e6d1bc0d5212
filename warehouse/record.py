"""The normalized article record: the one contract between the spiders and the warehouse.

Spiders write exactly this as JSON Lines (one ``Article.to_json()`` per line); the loader reads it
back with ``Article.from_dict``, which validates every field and raises ``RecordError`` naming the
field and the problem. Nothing here imports a database driver or Scrapy, so both sides can use it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

BlockKind = Literal["paragraph", "heading", "quote", "list_item", "table"]
ExtractionLayer = Literal["selector", "metadata", "generic"]

BLOCK_KINDS: frozenset[str] = frozenset(get_args(BlockKind))
EXTRACTION_LAYERS: frozenset[str] = frozenset(get_args(ExtractionLayer))

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
# What PostgreSQL and the indexes can store, checked per record so one bad record never aborts a batch.
MAX_JSON_DEPTH = 16
# The language analysts read: articles already in it are originals, every other one is translated into it.
DEFAULT_TARGET_LANGUAGE = "en"
MAX_URL_BYTES = 2048  # the unique btree index on canonical_url holds at most ~2.7 KB per entry
MAX_SOURCE_ARTICLE_ID_CHARS = 256
MAX_UTC_OFFSET = timedelta(hours=14)  # the real range is -12:00..+14:00; PostgreSQL rejects beyond ±15:59
_INT64 = 2**63
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class RecordError(ValueError):
    """A record that cannot enter the warehouse; ``field`` names the offending field."""

    def __init__(self, field_name: str, problem: str):
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


def normalize_text(text: str) -> str:
    """Unicode NFC with every run of whitespace (incl. NBSP, zero-width) folded to one space."""
    # The loader calls this for every paragraph: text that is already NFC (the usual case) skips the
    # normalisation copy, and str.split() treats exactly the characters regex \s matches as whitespace.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Block:
    """One body element, in document order. ``kind`` marks sub-headings, quotes, list items, tables
    (a table's rows are joined by newlines, its cells by " | ")."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    source: str
    url: str
    canonical_url: str
    title: str
    body: tuple[Block, ...]
    language: str
    crawled_at: datetime
    extraction_layer: ExtractionLayer
    source_article_id: str | None = None
    lead: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    flags: tuple[str, ...] = field(default=())
    attributions: tuple[str, ...] = ()
    """The news agencies or outlets the article credits ("Theo TTXVN", "(Nguồn: Reuters)"), normalised
    by the extractor (TTXVN and VNA are both "VNA"); never part of the body."""

    def __post_init__(self) -> None:
        _check_source(self.source)
        _check_url("url", self.url)
        _check_url("canonical_url", self.canonical_url)
        if not self.title.strip():
            raise RecordError("title", "is empty")
        if not self.body:
            raise RecordError("body", "has no paragraphs")
        for index, block in enumerate(self.body):
            if block.kind not in BLOCK_KINDS:
                raise RecordError(
                    f"body[{index}].kind", f"{block.kind!r} is not one of {sorted(BLOCK_KINDS)}"
                )
            if not block.text.strip():
                raise RecordError(f"body[{index}].text", "is empty")
        if not _LANGUAGE_CODE.match(self.language):
            raise RecordError("language", f"{self.language!r} is not a BCP 47 language code such as 'vi'")
        if self.extraction_layer not in EXTRACTION_LAYERS:
            raise RecordError(
                "extraction_layer", f"{self.extraction_layer!r} is not one of {sorted(EXTRACTION_LAYERS)}"
            )
        for name in ("crawled_at", "published_at", "updated_at"):
            _check_datetime(name, getattr(self, name))
        if self.source_article_id is not None and len(self.source_article_id) > MAX_SOURCE_ARTICLE_ID_CHARS:
            raise RecordError(
                "source_article_id",
                f"is {len(self.source_article_id)} characters long; an id has at most "
                f"{MAX_SOURCE_ARTICLE_ID_CHARS}",
            )
        for index, image in enumerate(self.images):
            _check_url(f"images[{index}].src", image.src)

    @property
    def content_hash(self) -> str:
        """SHA-256 over the content fields only: a re-crawl that changes nothing keeps the hash."""
        content = {
            "title": self.title,
            "lead": self.lead,
            "body": [[block.kind, block.text] for block in self.body],
            "authors": list(self.authors),
            "section": self.section,
            "tags": list(self.tags),
            "images": [[image.src, image.caption, image.credit] for image in self.images],
            "language": self.language,
            "published_at": _iso(self.published_at),
            "updated_at": _iso(self.updated_at),
        }
        if self.attributions:
            # Only when present, so records from before the field keep their hash.
            content["attributions"] = list(self.attributions)
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        for name in ("crawled_at", "published_at", "updated_at"):
            record[name] = _iso(getattr(self, name))
        record["body"] = [{"kind": block.kind, "text": block.text} for block in self.body]
        record["images"] = [asdict(image) for image in self.images]
        for name in ("authors", "tags", "flags", "attributions"):
            record[name] = list(record[name])
        return record

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, record: Any) -> Article:
        """Validate a decoded JSON object; raises ``RecordError`` on the first problem found."""
        if not isinstance(record, dict):
            raise RecordError("record", f"expected a JSON object, got {type(record).__name__}")
        _check_storable_values("", record, 0)
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(record) - known)
        if unknown:
            raise RecordError(unknown[0], "is not a field of the article record")
        for name in ("source", "url", "canonical_url", "title", "language", "crawled_at", "extraction_layer"):
            if record.get(name) in (None, ""):
                raise RecordError(name, "is missing")
        return cls(
            source=_string(record, "source"),
            url=_string(record, "url"),
            canonical_url=_string(record, "canonical_url"),
            title=normalize_text(_string(record, "title")),
            body=tuple(_block(index, item) for index, item in enumerate(_list(record, "body"))),
            language=_string(record, "language"),
            crawled_at=_datetime(record, "crawled_at"),
            extraction_layer=_string(record, "extraction_layer"),  # type: ignore[arg-type]
            source_article_id=_optional_string(record, "source_article_id"),
            lead=_optional_text(record, "lead"),
            authors=tuple(_strings(record, "authors")),
            published_at=_optional_datetime(record, "published_at"),
            updated_at=_optional_datetime(record, "updated_at"),
            section=_optional_text(record, "section"),
            tags=tuple(_strings(record, "tags")),
            images=tuple(_image(index, item) for index, item in enumerate(_list(record, "images"))),
            flags=tuple(_strings(record, "flags")),
            attributions=tuple(_strings(record, "attributions")),
        )

    @classmethod
    def from_json(cls, line: str) -> Article:
        """Parse one feed line. A line read from bytes with ``errors="surrogateescape"`` that was not
        valid UTF-8 is rejected as such."""
        invalid_byte = _SURROGATES.search(line)
        if invalid_byte is not None and 0xDC80 <= ord(invalid_byte.group()) <= 0xDCFF:
            raise RecordError(
                "record",
                f"is not valid UTF-8 (byte 0x{ord(invalid_byte.group()) - 0xDC00:02x} at character "
                f"{invalid_byte.start()}); re-encode the feed as UTF-8",
            )
        try:
            decoded = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError("record", f"is not valid JSON ({error.msg} at column {error.colno})") from None
        except RecursionError:
            raise RecordError("record", f"is JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
        except ValueError as error:  # e.g. an integer literal longer than Python's digit limit
            raise RecordError("record", f"is not storable JSON ({error})") from None
        return cls.from_dict(decoded)


# The warehouse columns one record fills: its fields in declaration order, then the hash of its content.
# The loader's staging table, its COPY column list and every staged row follow this one tuple, so a new
# field gets a column of its own (or the load fails loudly) and can never shift another field's value.
ARTICLE_COLUMNS: tuple[str, ...] = (*(item.name for item in fields(Article)), "content_hash")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _check_source(source: str) -> None:
    if not SOURCE_NAME.match(source):
        raise RecordError("source", f"{source!r} is not a source name (lowercase letters, digits, _)")


def _check_url(name: str, url: str) -> None:
    if not (url.startswith("http://") or url.startswith("https://")):
        raise RecordError(name, f"{url[:80]!r} is not an absolute http(s) URL")
    if len(url) > MAX_URL_BYTES // 4 and len(url.encode("utf-8", "surrogatepass")) > MAX_URL_BYTES:
        raise RecordError(name, f"{url[:80]!r}… is longer than {MAX_URL_BYTES} bytes")


def _check_datetime(name: str, value: datetime | None) -> None:
    """Aware, with a real UTC offset, and still within years 1..9999 once converted to UTC (PostgreSQL
    stores timestamptz as UTC; Python cannot represent the result outside those years)."""
    if value is None:
        return
    offset = value.utcoffset()
    if offset is None:
        raise RecordError(name, "is a naive datetime; give it a timezone")
    if abs(offset) > MAX_UTC_OFFSET:
        minutes = int(offset.total_seconds()) // 60
        shown = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        raise RecordError(
            name, f"{value.isoformat()!r} has UTC offset {shown}, beyond any real time zone (±14:00)"
        )
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise RecordError(
            name, f"{value.isoformat()!r} leaves the years 1..9999 when converted to UTC"
        ) from None


def _check_storable_values(path: str, value: Any, depth: int) -> None:
    """Every value of a decoded record, however deep (unknown keys of nested objects too): text
    without NUL or lone surrogates, integers within 64 bits, finite numbers, bounded nesting."""
    if isinstance(value, str):
        unstorable = _UNSTORABLE.search(value)
        if unstorable is None:
            return
        if unstorable.group() == "\x00":
            raise RecordError(path, "contains a NUL character (\\u0000), which PostgreSQL text cannot store")
        raise RecordError(path, "contains an unpaired UTF-16 surrogate (e.g. \\ud800), which is not text")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not -_INT64 <= value < _INT64:
            raise RecordError(path, "is an integer beyond the 64-bit range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise RecordError(path, f"is {value}, not a finite number")
    elif isinstance(value, dict | list):
        if depth >= MAX_JSON_DEPTH:
            raise RecordError(path or "record", f"is JSON nested deeper than {MAX_JSON_DEPTH} levels")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and _UNSTORABLE.search(key):
                raise RecordError(path or "record", "has a key that is not storable text")
            where = f"{path}[{key}]" if isinstance(value, list) else f"{path}.{key}" if path else str(key)
            _check_storable_values(where, item, depth + 1)


def _string(record: dict, name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise RecordError(name, f"expected a string, got {type(value).__name__}")
    return value


def _optional_string(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(record, name) or None


def _optional_text(record: dict, name: str) -> str | None:
    value = _optional_string(record, name)
    return normalize_text(value) or None if value is not None else None


def _list(record: dict, name: str) -> list:
    value = record.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(name, f"expected a list, got {type(value).__name__}")
    return value


def _strings(record: dict, name: str) -> list[str]:
    values = []
    for index, item in enumerate(_list(record, name)):
        if not isinstance(item, str):
            raise RecordError(f"{name}[{index}]", f"expected a string, got {type(item).__name__}")
        text = normalize_text(item)
        if text and text not in values:
            values.append(text)
    return values


def _block(index: int, item: Any) -> Block:
    if not isinstance(item, dict):
        raise RecordError(f"body[{index}]", 'expected an object {"kind": ..., "text": ...}')
    kind = item.get("kind", "paragraph")
    text = item.get("text")
    if not isinstance(text, str):
        raise RecordError(f"body[{index}].text", f"expected a string, got {type(text).__name__}")
    if kind == "table":
        text = "\n".join(normalize_text(row) for row in text.split("\n") if row.strip())
    else:
        text = normalize_text(text)
    return Block(kind=kind, text=text)


def _image(index: int, item: Any) -> Image:
    if not isinstance(item, dict) or not isinstance(item.get("src"), str):
        raise RecordError(f"images[{index}]", 'expected an object with a string "src"')
    return Image(
        src=item["src"],
        caption=_optional_text(item, "caption"),
        credit=_optional_text(item, "credit"),
    )


def _datetime(record: dict, name: str) -> datetime:
    value = record.get(name)
    if not isinstance(value, str):
        raise RecordError(name, f"expected an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(name, f"{value!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise RecordError(name, f"{value!r} has no timezone offset")
    _check_datetime(name, parsed)
    return parsed


def _optional_datetime(record: dict, name: str) -> datetime | None:
    return None if record.get(name) in (None, "") else _datetime(record, name)
