"""The ``sources`` rows of the sources the spiders declare: display name, home page and language come
from each source module (``spiders.registry``), so the warehouse shows the same names the README does."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from warehouse.sqlfile import statement


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: str
    name: str
    base_url: str | None
    language: str | None


def register_sources(conn: psycopg.Connection, rows: list[SourceRow]) -> int:
    """Insert or update one ``sources`` row per declared source; returns how many rows changed."""
    changed = 0
    with conn.transaction():
        for row in rows:
            cursor = conn.execute(
                statement("load/register_sources.sql"),
                {"source": row.source, "name": row.name, "base_url": row.base_url, "language": row.language},
            )
            changed += cursor.rowcount
    return changed
