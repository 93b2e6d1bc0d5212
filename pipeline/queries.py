"""The pipeline's SQL, kept in ``pipeline/sql/*.sql`` so a person can read and run it in psql."""

from functools import cache
from pathlib import Path

SQL_FOLDER = Path(__file__).resolve().parent / "sql"


@cache
def query(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")
