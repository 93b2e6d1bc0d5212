"""Test-wide environment. This runs before any test module imports airflow or argostranslate, both
of which write into $HOME on import unless pointed elsewhere."""

import os
import tempfile
from pathlib import Path

from warehouse.paths import PROJECT_ROOT

_SCRATCH = Path(tempfile.mkdtemp(prefix="news-ingest-tests-"))

os.environ["AIRFLOW_HOME"] = str(_SCRATCH / "airflow")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(PROJECT_ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
os.environ["ARGOS_PACKAGES_DIR"] = str(_SCRATCH / "argos" / "packages")
os.environ["XDG_DATA_HOME"] = str(_SCRATCH / "xdg-data")
os.environ["XDG_CACHE_HOME"] = str(_SCRATCH / "xdg-cache")
os.environ["XDG_CONFIG_HOME"] = str(_SCRATCH / "xdg-config")
os.environ["NEWS_DATA_URI"] = str(_SCRATCH / "data")


# Shared fixtures (below the environment block on purpose: nothing above may import a driver).
import secrets  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import psycopg  # noqa: E402
import pytest  # noqa: E402

from warehouse import db  # noqa: E402


@pytest.fixture(scope="session")
def warehouse_url() -> Iterator[str]:
    """A fresh, fully migrated database of its own on the warehouse server, dropped afterwards.

    Its connection string is yielded, not exported: pass it on explicitly (``DATABASE_URL`` via
    ``monkeypatch.setenv`` for code that calls ``warehouse.db.connect()``).
    """
    url = db.with_database(db.database_url(), f"news_test_{os.getpid()}_{secrets.token_hex(4)}")
    try:
        yield db.ensure_database(url)
    finally:
        db.drop_database(url)


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    """The local mirror of every source's sites, with 30 generated articles per source besides the
    fixture pages, for the whole session (pass it on as ``NEWS_MIRROR_URL``)."""
    from testkit.mirror import serve_mirror

    with serve_mirror(port=0, synthetic_articles=30) as url:
        yield url


@pytest.fixture
def warehouse_conn(warehouse_url: str) -> Iterator[psycopg.Connection]:
    """A connection to the test database with every data table emptied and the sources re-seeded."""
    with db.connect(url=warehouse_url) as conn:
        db.reset_data(conn)
        yield conn
