"""Where the warehouse lives and how to get a connection to it.

``database_url()`` is the only place that resolves the connection string, for the warehouse CLI, the
spiders, the translation worker, the pipeline and the DAGs. Inside an Airflow task it is the Airflow
connection ``news_db`` and nothing else. Elsewhere ``AIRFLOW_CONN_NEWS_DB`` (a URI or Airflow's JSON
form) wins, then ``DATABASE_URL`` (a libpq URI or key=value string), then the embedded default
``postgresql://postgres@127.0.0.1:5432/news_ingest``, which ``ensure_database`` makes real: it starts
the machine's PostgreSQL cluster when that is down, creates the database when it is missing and applies
the migrations.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from warehouse.env import SettingError
from warehouse.migrate import BOOKKEEPING_TABLE, MIGRATIONS_DIR, SEED_MIGRATION, migrate
from warehouse.paths import PROJECT_ROOT
from warehouse.sqlfile import statement

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/news_ingest"
STATE_DIR = PROJECT_ROOT / "var"
STARTED_MARKER = STATE_DIR / "warehouse-started-cluster"
POSTGRES_CONFIG_DIR = Path("/etc/postgresql")
SERVER_WAIT_SECONDS = 30.0
WAREHOUSE_CONN_ID = "news_db"
AIRFLOW_CONNECTION_VARIABLE = "AIRFLOW_CONN_NEWS_DB"
MISSING_CONNECTION_HELP = (
    "the Airflow connection 'news_db' (the warehouse) is not defined; add it in the UI (Admin > "
    "Connections, type Postgres), with `airflow connections add news_db --conn-uri "
    "postgresql://USER:PASSWORD@HOST:5432/news_ingest`, in a secrets backend, or as the environment "
    "variable AIRFLOW_CONN_NEWS_DB"
)
# Connection extras libpq understands as URI parameters.
_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name")


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


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """The warehouse's connection string. Inside an Airflow task: the Airflow connection ``news_db``
    from the connection store (UI, CLI, secrets backend or ``AIRFLOW_CONN_NEWS_DB``), and nothing else:
    a missing connection is an error, never a fall-back to another database. Elsewhere (or with an
    explicit ``environ``): ``AIRFLOW_CONN_NEWS_DB`` (a URI or JSON), then ``DATABASE_URL``, then
    ``DEFAULT_DATABASE_URL``."""
    if environ is None and running_in_airflow_task():
        return airflow_connection_url(WAREHOUSE_CONN_ID)
    env = os.environ if environ is None else environ
    airflow_connection = env.get(AIRFLOW_CONNECTION_VARIABLE, "").strip()
    if airflow_connection:
        return _libpq_uri_from_airflow_connection(airflow_connection)
    return env.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def configured_by(environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable that chose the warehouse outside Airflow, or None for the default."""
    env = os.environ if environ is None else environ
    if env.get(AIRFLOW_CONNECTION_VARIABLE, "").strip():
        return AIRFLOW_CONNECTION_VARIABLE
    return "DATABASE_URL" if env.get("DATABASE_URL") else None


def running_in_airflow_task() -> bool:
    """True while an Airflow task executes in this process (a process that has not imported
    airflow.sdk runs no task, so this never imports Airflow itself)."""
    if "airflow.sdk" not in sys.modules:
        return False
    from airflow.sdk import get_current_context

    try:
        get_current_context()
    except RuntimeError:
        return False
    return True


def airflow_connection_url(conn_id: str) -> str:
    """A Postgres connection of Airflow's connection store as a libpq URI."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        connection = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        raise SettingError(MISSING_CONNECTION_HELP.replace(WAREHOUSE_CONN_ID, conn_id)) from None
    return libpq_uri_from_connection(connection)


class AirflowConnection(Protocol):
    """The fields read from an Airflow connection: the task SDK's ``Connection`` and the metadata
    database's model both have them."""

    @property
    def conn_id(self) -> str | None: ...
    @property
    def conn_type(self) -> str | None: ...
    @property
    def login(self) -> str | None: ...
    @property
    def password(self) -> str | None: ...
    @property
    def host(self) -> str | None: ...
    @property
    def port(self) -> int | None: ...
    @property
    def schema(self) -> str | None: ...
    @property
    def extra_dejson(self) -> dict[str, Any]: ...


def libpq_uri_from_connection(connection: AirflowConnection) -> str:
    """An Airflow ``Connection`` (task SDK or metadata model) of type Postgres as a libpq URI."""
    if connection.conn_type not in {"postgres", "postgresql"}:
        raise SettingError(
            f"the Airflow connection {connection.conn_id!r} has type {connection.conn_type!r}; "
            "it must be Postgres"
        )
    return _libpq_uri(
        login=connection.login,
        password=connection.password,
        host=connection.host,
        port=connection.port,
        database=connection.schema,
        options=connection.extra_dejson,
    )


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
    variable = configured_by()
    if variable is not None:
        raise DatabaseUnavailableError(
            f"{variable} points at a server that does not answer ({_redacted(url)}). Start that server, "
            f"or unset {variable} to use the local default at 127.0.0.1:5432."
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


def _libpq_uri_from_airflow_connection(value: str) -> str:
    if not value.startswith("{"):
        scheme, separator, rest = value.partition("://")
        if not separator or scheme not in {"postgres", "postgresql"}:
            raise SettingError(
                f"{AIRFLOW_CONNECTION_VARIABLE} must be a postgres:// or postgresql:// URI or an Airflow "
                f"connection in JSON form; got a value starting with {value[:12]!r}"
            )
        return f"postgresql://{rest}"
    try:
        connection = json.loads(value)
    except json.JSONDecodeError as error:
        raise SettingError(f"{AIRFLOW_CONNECTION_VARIABLE} is not valid JSON: {error.msg}") from None
    if connection.get("conn_type") not in {"postgres", "postgresql"}:
        raise SettingError(
            f"{AIRFLOW_CONNECTION_VARIABLE} has conn_type {connection.get('conn_type')!r}; "
            "it must be 'postgres'"
        )
    return _libpq_uri(
        login=connection.get("login"),
        password=connection.get("password"),
        host=connection.get("host"),
        port=connection.get("port"),
        database=connection.get("schema"),
        options=connection.get("extra") if isinstance(connection.get("extra"), dict) else {},
    )


def _libpq_uri(  # noqa: PLR0913 - one keyword per libpq connection field
    *,
    login: str | None,
    password: str | None,
    host: str | None,
    port: int | str | None,
    database: str | None,
    options: Mapping[str, object],
) -> str:
    credentials = ""
    if login:
        credentials = quote(str(login), safe="")
        if password:
            credentials += ":" + quote(str(password), safe="")
        credentials += "@"
    host_part = host or "127.0.0.1"
    port_part = f":{port}" if port else ""
    name = quote(str(database or "news_ingest"), safe="")
    query = urlencode({key: str(options[key]) for key in _LIBPQ_OPTIONS if options.get(key) is not None})
    return f"postgresql://{credentials}{host_part}{port_part}/{name}" + (f"?{query}" if query else "")


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
