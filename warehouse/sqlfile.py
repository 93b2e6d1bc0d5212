"""The one reader of the project's SQL. Every statement the code runs, the migrations, the views and the
example queries live in the top-level ``sql/`` folder (``sql/<area>/<name>.sql``), so a person can read
them and run them in psql.

In a checkout the folder is ``<checkout>/sql``; an installed wheel ships the same folder as
``warehouse/sql`` (``pyproject.toml`` maps it there), which is looked for first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psycopg import sql

from warehouse.paths import PROJECT_ROOT

_INSTALLED_SQL_DIR = Path(__file__).resolve().parent / "sql"
SQL_DIR = _INSTALLED_SQL_DIR if _INSTALLED_SQL_DIR.is_dir() else PROJECT_ROOT / "sql"


@cache
def text(relative_path: str) -> str:
    """The file ``sql/<relative_path>`` as written (SQLite statements, psql scripts), read once."""
    return (SQL_DIR / relative_path).read_text(encoding="utf-8")


@cache
def statement(relative_path: str) -> sql.SQL:
    """The PostgreSQL statement in ``sql/<relative_path>`` (e.g. ``"load/insert_new.sql"``), read once;
    ``.format()`` it when the file has ``{}`` placeholders for identifiers."""
    # psycopg is imported here, not above, so that reading SQLite statements needs no driver.
    from psycopg import sql

    return sql.SQL(text(relative_path).strip().rstrip(";"))
