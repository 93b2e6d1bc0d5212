"""Where the warehouse lives and how to get a connection to it.

``DATABASE_URL`` (a libpq URI or key=value string) wins. Without it the embedded default
``postgresql://postgres@127.0.0.1:5432/news_ingest`` is used, and ``ensure_database`` makes it real: it
starts the machine's PostgreSQL cluster when that is down, creates the database when it is missing and
applies the migrations. This module is the only place that resolves the connection string.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from warehouse.migrate import BOOKKEEPING_TABLE, MIGRATIONS_DIR, SEED_MIGRATION, migrate
from warehouse.paths import PROJECT_ROOT
from warehouse.sqlfile import statement

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/news_ingest"
STATE_DIR = PROJECT_ROOT / "var"
STARTED_MARKER = STATE_DIR / "warehouse-started-cluster"
POSTGRES_CONFIG_DIR = Path("/etc/postgresql")
SERVER_WAIT_SECONDS = 30.0


class DatabaseUnavailableError(RuntimeError):
    """No PostgreSQL server can be reached or started; the message says what to install or set."""


@dataclass(frozen=True, slots=True)
class LocalCluster:
    """A Debian-style cluster managed with ``pg_ctlcluster`` (``/etc/postgresql/<version>/<name>``)."""

    version: str
    name: str = "main"

    def control(self, action: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action],
            capture_output=True,
            text=True,
            check=False,
        )


def database_url() -> str:
    """The warehouse connection string: ``DATABASE_URL`` when set, else the embedded default."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def connect(autocommit: bool = False, url: str | None = None) -> psycopg.Connection:
    """A psycopg 3 connection to the warehouse (``url`` overrides ``database_url()``)."""
    return psycopg.connect(url or database_url(), autocommit=autocommit)


def one_row(cursor: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    """The row of a statement that always returns one (an aggregate, ``SHOW``, ``RETURNING``)."""
    row = cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row where it always returns one")
    return row


def one_value(cursor: psycopg.Cursor[Any]) -> Any:
    """The first column of the row of a statement that always returns one (``count(*)``)."""
    return one_row(cursor)[0]


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials as ``url``, pointed at another database."""
    if "://" in url:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))
    return make_conninfo(url, dbname=dbname)


def database_name(url: str) -> str:
    return str(conninfo_to_dict(url).get("dbname") or "postgres")


def server_reachable(url: str | None = None) -> bool:
    try:
        with psycopg.connect(with_database(url or database_url(), "postgres"), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def local_cluster() -> LocalCluster | None:
    """The newest cluster configured on this machine, when ``pg_ctlcluster`` is installed."""
    if shutil.which("pg_ctlcluster") is None or not POSTGRES_CONFIG_DIR.is_dir():
        return None
    versions = sorted(
        (path.name for path in POSTGRES_CONFIG_DIR.iterdir() if (path / "main").is_dir()),
        key=lambda version: [int(part) for part in version.split(".") if part.isdigit()],
    )
    return LocalCluster(versions[-1]) if versions else None


def start_server(url: str | None = None) -> str:
    """Make sure the server behind ``url`` answers; start the local cluster if needed.

    Returns a short human-readable account of what happened. Raises ``DatabaseUnavailableError`` with
    instructions when nothing can be started.
    """
    url = url or database_url()
    if server_reachable(url):
        return "PostgreSQL is already running"
    if os.environ.get("DATABASE_URL"):
        raise DatabaseUnavailableError(
            f"DATABASE_URL points at a server that does not answer ({_redacted(url)}). Start that server, "
            "or unset DATABASE_URL to use the local default at 127.0.0.1:5432."
        )
    cluster = local_cluster()
    if cluster is None:
        raise DatabaseUnavailableError(
            "No PostgreSQL server answers at 127.0.0.1:5432 and none is installed here. Install one "
            "(Debian/Ubuntu: `apt-get install postgresql`, which provides pg_ctlcluster) or set "
            "DATABASE_URL=postgresql://USER@HOST:PORT/DBNAME to use an existing server."
        )
    result = cluster.control("start")
    if not _wait_until_reachable(url):
        raise DatabaseUnavailableError(
            f"Started cluster {cluster.version}/{cluster.name} but it does not answer at "
            f"{_redacted(url)}: {result.stderr.strip() or result.stdout.strip()}. Check "
            f"/var/log/postgresql/postgresql-{cluster.version}-{cluster.name}.log."
        )
    STATE_DIR.mkdir(exist_ok=True)
    STARTED_MARKER.write_text(f"{cluster.version} {cluster.name}\n")
    return f"started PostgreSQL cluster {cluster.version}/{cluster.name}"


def stop_server(force: bool = False) -> str:
    """Stop the local cluster, but only if this tool started it (or ``force`` asks for it)."""
    cluster = local_cluster()
    if cluster is None:
        return "no local PostgreSQL cluster is installed; nothing to stop"
    if not STARTED_MARKER.exists() and not force:
        return (
            f"cluster {cluster.version}/{cluster.name} was not started by this tool; leaving it running "
            "(pass --force to stop it anyway)"
        )
    result = cluster.control("stop")
    STARTED_MARKER.unlink(missing_ok=True)
    if result.returncode != 0:
        return f"pg_ctlcluster stop failed: {result.stderr.strip()}"
    return f"stopped PostgreSQL cluster {cluster.version}/{cluster.name}"


def server_status(url: str | None = None) -> dict[str, object]:
    url = url or database_url()
    status: dict[str, object] = {"url": _redacted(url), "reachable": server_reachable(url)}
    if status["reachable"]:
        with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
            status["server_version"] = one_value(conn.execute("SHOW server_version"))
            status["database_exists"] = _database_exists(conn, database_name(url))
    status["started_by_this_tool"] = STARTED_MARKER.exists()
    return status


def create_database(url: str) -> bool:
    """Create the database named in ``url`` when it is missing; True when it was created."""
    name = database_name(url)
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        if _database_exists(conn, name):
            return False
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return False
        return True


def drop_database(url: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def ensure_database(url: str | None = None) -> str:
    """Server up, database present, migrations applied; returns the URL that is now ready."""
    url = url or database_url()
    start_server(url)
    create_database(url)
    with connect(url=url) as conn:
        migrate(conn)
    return url


def _database_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _wait_until_reachable(url: str) -> bool:
    deadline = time.monotonic() + SERVER_WAIT_SECONDS
    while time.monotonic() < deadline:
        if server_reachable(url):
            return True
        time.sleep(0.5)
    return False


def _redacted(url: str) -> str:
    """The connection string without its password, for messages."""
    params = conninfo_to_dict(url)
    params.pop("password", None)
    return " ".join(f"{key}={value}" for key, value in params.items())


def reset_data(conn: psycopg.Connection) -> None:
    """Empty every warehouse table (not ``schema_migrations``) and restore the seeded sources.

    Commits, unless ``conn`` is already inside a transaction (then it is a savepoint of it).
    """
    with conn.transaction():
        tables = [
            name
            for (name,) in conn.execute(statement("warehouse/tables.sql")).fetchall()
            if name != BOOKKEEPING_TABLE
        ]
        conn.execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(sql.Identifier("public", name) for name in tables)
            )
        )
        conn.execute((MIGRATIONS_DIR / SEED_MIGRATION).read_bytes())
