"""The sentence translation cache, keyed by (model id, model version, SHA-256 of the normalized source
sentence). A new model version misses by key and nothing is ever deleted, so a model upgrade and a
rollback both keep their translations.

``PostgresSentenceCache`` works on the warehouse table ``translation_cache`` through the caller's
connection (the caller owns the transaction); ``SqliteSentenceCache`` is the CLI's local file with the
same key; ``MemorySentenceCache`` lives as long as the process.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from warehouse import sqlfile
from warehouse.record import normalize_text

if TYPE_CHECKING:
    import psycopg


def source_hash(sentence: str) -> str:
    """SHA-256 hex of the normalized sentence (NFC, whitespace folded): the cache's sentence key."""
    return hashlib.sha256(normalize_text(sentence).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ModelKey:
    model_id: str
    model_version: str


@dataclass(frozen=True, slots=True)
class CacheEntry:
    source_hash: str
    source_text: str
    target_text: str


class SentenceCache(Protocol):
    def lookup(self, model: ModelKey, source_hashes: Sequence[str]) -> dict[str, str]:
        """The cached target sentence for each hash that has one."""
        ...

    def store(self, model: ModelKey, entries: Sequence[CacheEntry]) -> None: ...


class MemorySentenceCache:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], str] = {}

    def lookup(self, model: ModelKey, source_hashes: Sequence[str]) -> dict[str, str]:
        found = {}
        for key in source_hashes:
            target = self._entries.get((model.model_id, model.model_version, key))
            if target is not None:
                found[key] = target
        return found

    def store(self, model: ModelKey, entries: Sequence[CacheEntry]) -> None:
        for entry in entries:
            self._entries.setdefault(
                (model.model_id, model.model_version, entry.source_hash), entry.target_text
            )

    def __len__(self) -> int:
        return len(self._entries)


class SqliteSentenceCache:
    """A local cache file for the CLI (``--cache PATH`` or ``TRANSLATE_CACHE``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(self.path, check_same_thread=False)
        self._connection.executescript(sqlfile.text("cache/sqlite_schema.sql"))
        self._lookup_sql = sqlfile.text("cache/sqlite_lookup.sql")
        self._store_sql = sqlfile.text("cache/sqlite_store.sql")

    def lookup(self, model: ModelKey, source_hashes: Sequence[str]) -> dict[str, str]:
        found = {}
        for key in source_hashes:
            row = self._connection.execute(
                self._lookup_sql,
                {"model_id": model.model_id, "model_version": model.model_version, "source_hash": key},
            ).fetchone()
            if row is not None:
                found[row[0]] = row[1]
        return found

    def store(self, model: ModelKey, entries: Sequence[CacheEntry]) -> None:
        with self._connection:
            self._connection.executemany(self._store_sql, _store_rows(model, entries))

    def close(self) -> None:
        self._connection.close()


class PostgresSentenceCache:
    """The warehouse's ``translation_cache`` table, read and written on the caller's connection."""

    def __init__(self, conn: psycopg.Connection):
        self._conn = conn
        self._lookup_sql = sqlfile.statement("cache/lookup.sql")
        self._store_sql = sqlfile.statement("cache/store.sql")

    def lookup(self, model: ModelKey, source_hashes: Sequence[str]) -> dict[str, str]:
        if not source_hashes:
            return {}
        with self._conn.cursor() as cursor:
            cursor.execute(
                self._lookup_sql,
                {
                    "model_id": model.model_id,
                    "model_version": model.model_version,
                    "source_hashes": list(source_hashes),
                },
            )
            return dict(cursor.fetchall())

    def store(self, model: ModelKey, entries: Sequence[CacheEntry]) -> None:
        if not entries:
            return
        with self._conn.cursor() as cursor:
            cursor.executemany(self._store_sql, _store_rows(model, entries))


def _store_rows(model: ModelKey, entries: Sequence[CacheEntry]) -> list[dict[str, str]]:
    """The parameters of ``sql/cache/store.sql`` and ``sql/cache/sqlite_store.sql``."""
    return [
        {
            "model_id": model.model_id,
            "model_version": model.model_version,
            "source_hash": entry.source_hash,
            "source_text": entry.source_text,
            "target_text": entry.target_text,
        }
        for entry in entries
    ]
