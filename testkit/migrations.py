"""A warehouse as an older release left it: only the numbered migrations up to a given one, no views
(today's views may name columns a later migration adds)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg

from warehouse.migrate import MIGRATIONS_DIR, migrate


def migrate_through(conn: psycopg.Connection, last: int) -> list[str]:
    """Apply migrations 001..``last`` to ``conn``'s database; returns what was applied. A later plain
    ``migrate(conn)`` then upgrades it as a deployment would."""
    with tempfile.TemporaryDirectory(prefix="migrations-through-") as scratch:
        folder = Path(scratch) / "migrations"
        folder.mkdir()
        for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
            if int(path.name[:3]) <= last:
                shutil.copy(path, folder)
        return migrate(conn, migrations_dir=folder, views_dir=Path(scratch) / "no-views")
