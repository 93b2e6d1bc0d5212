"""Read the statements kept in the project's ``sql/`` folder (SQL lives in .sql files, not in Python)."""

from __future__ import annotations

from functools import cache

from psycopg import sql

from warehouse.db import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"


@cache
def statement(relative_path: str) -> sql.SQL:
    """The statement in ``sql/<relative_path>`` (e.g. ``"load/insert_new.sql"``), read once."""
    return sql.SQL((SQL_DIR / relative_path).read_text(encoding="utf-8").strip().rstrip(";"))
