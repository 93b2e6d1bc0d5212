"""Apply the numbered SQL migrations in ``sql/migrations`` and the view definitions in ``sql/views``.

Versioned migrations (``NNN_name.sql``) run once each, in order, each in its own transaction, and are
recorded in ``schema_migrations`` with their SHA-256; a recorded file whose bytes changed is refused.
View files are repeatable: they are re-applied (after all versioned migrations) whenever their
checksum differs from the recorded one, so a view is changed by editing its file. A session-level
advisory lock keeps two runners from racing on the same database.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psycopg

from warehouse.sqlfile import SQL_DIR, statement

MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
# Idempotent seed rows, re-run by ``warehouse.db.reset_data`` after emptying the tables.
SEED_MIGRATION = "002_seed_sources.sql"
ADVISORY_LOCK_KEY = int.from_bytes(hashlib.sha256(b"news_ingest.migrations").digest()[:8], "big", signed=True)
_VERSIONED_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

MigrationKind = Literal["versioned", "repeatable"]

# The runner's own table; warehouse.db.reset_data keeps it.
BOOKKEEPING_TABLE = "schema_migrations"


class MigrationError(RuntimeError):
    """The migrations on disk and the ones recorded in the database disagree."""


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    kind: MigrationKind
    path: Path
    sql: str
    checksum: str


def discover(
    migrations_dir: Path = MIGRATIONS_DIR, views_dir: Path = VIEWS_DIR
) -> tuple[list[Migration], list[Migration]]:
    """The versioned migrations in version order, then the repeatable view files in name order."""
    versioned: list[Migration] = []
    seen_versions: dict[str, str] = {}
    for path in sorted(migrations_dir.glob("*.sql")):
        match = _VERSIONED_NAME.match(path.name)
        if match is None:
            raise MigrationError(
                f"{path}: migration files must be named NNN_lowercase_name.sql (e.g. 004_add_index.sql)"
            )
        version = match.group(1)
        if version in seen_versions:
            raise MigrationError(
                f"{path.name} and {seen_versions[version]} share version {version}; renumber one of them"
            )
        seen_versions[version] = path.name
        versioned.append(_read(path, "versioned"))
    repeatable = (
        [_read(path, "repeatable") for path in sorted(views_dir.glob("*.sql"))] if views_dir.is_dir() else []
    )
    return versioned, repeatable


def migrate(
    conn: psycopg.Connection,
    *,
    dry_run: bool = False,
    migrations_dir: Path = MIGRATIONS_DIR,
    views_dir: Path = VIEWS_DIR,
) -> list[str]:
    """Apply what is pending; returns the names applied (or, with ``dry_run``, that would be)."""
    versioned, repeatable = discover(migrations_dir, views_dir)
    if not conn.autocommit:
        conn.commit()
    previous_autocommit = conn.autocommit
    conn.autocommit = True
    try:
        conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        try:
            conn.execute(statement("migrate/create_bookkeeping.sql"))
            applied = {
                name: (kind, checksum)
                for name, kind, checksum in conn.execute(statement("migrate/applied.sql")).fetchall()
            }
            pending = _pending(versioned, repeatable, applied, migrations_dir)
            if not dry_run:
                for migration in pending:
                    _apply(conn, migration)
            return [migration.name for migration in pending]
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
    finally:
        conn.autocommit = previous_autocommit


def _pending(
    versioned: list[Migration],
    repeatable: list[Migration],
    applied: dict[str, tuple[str, str]],
    migrations_dir: Path,
) -> list[Migration]:
    on_disk = {migration.name for migration in versioned}
    missing = sorted(
        name for name, (kind, _) in applied.items() if kind == "versioned" and name not in on_disk
    )
    if missing:
        raise MigrationError(
            f"migration {missing[0]} is recorded as applied but is not in {migrations_dir}; restore the "
            "file (applied migrations are never deleted, add a new one that reverses it instead)"
        )
    pending = []
    for migration in versioned:
        recorded = applied.get(migration.name)
        if recorded is None:
            pending.append(migration)
        elif recorded[1] != migration.checksum:
            raise MigrationError(
                f"{migration.path} was changed after it was applied (recorded sha256 {recorded[1][:12]}…, "
                f"file now {migration.checksum[:12]}…). Applied migrations are immutable: restore the "
                "original file and put the change in a new numbered migration."
            )
    pending.extend(
        migration
        for migration in repeatable
        if applied.get(migration.name, ("", ""))[1] != migration.checksum
    )
    return pending


def _apply(conn: psycopg.Connection, migration: Migration) -> None:
    started = time.perf_counter()
    with conn.transaction():
        try:
            conn.execute(migration.sql.encode("utf-8"))
        except psycopg.Error as error:
            raise MigrationError(f"{migration.path} failed and was rolled back: {error}") from error
        conn.execute(
            statement("migrate/record.sql"),
            (
                migration.name,
                migration.kind,
                migration.checksum,
                round((time.perf_counter() - started) * 1000),
            ),
        )


def _read(path: Path, kind: MigrationKind) -> Migration:
    raw = path.read_bytes()
    return Migration(
        name=path.name if kind == "versioned" else f"views/{path.name}",
        kind=kind,
        path=path,
        sql=raw.decode("utf-8"),
        checksum=hashlib.sha256(raw).hexdigest(),
    )
