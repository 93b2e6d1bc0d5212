"""Running the project's DAGs in-process with ``dag.test()``.

tests/conftest.py already points AIRFLOW_HOME at a temporary folder, DAGS_FOLDER at ``dags/`` and
switches the example DAGs off before anything imports airflow. Here: the Airflow metadata database is
reset once per session; each DAG run gets a fresh DagBag parsed under the environment of its test
(the DAG files read their settings at parse time); the warehouse, the mirror and a tiny generated
translation package make the chain real end to end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from warehouse import sqlfile

DAGS_FOLDER = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])


@pytest.fixture(scope="session", autouse=True)
def airflow_db() -> None:
    from airflow.utils.db import resetdb

    resetdb()


def load_dagbag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(DAGS_FOLDER))
    assert bag.import_errors == {}, bag.import_errors
    return bag


@pytest.fixture(scope="session")
def vi_en_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from testkit.synthetic_models import build_synthetic_package

    folder = tmp_path_factory.mktemp("argosmodels")
    return build_synthetic_package(folder / "vi_en.argosmodel", "vi", "en", seed=5)


@pytest.fixture(scope="session")
def packages_with_vi_en(tmp_path_factory: pytest.TempPathFactory, vi_en_package: Path) -> Path:
    from translate.packages import install_package

    folder = tmp_path_factory.mktemp("argos-packages")
    install_package(vi_en_package, folder)
    return folder


@dataclass
class Chain:
    """Everything a ``news_ingest`` run needs, pointed at test resources."""

    warehouse_url: str
    data_uri: Path
    monkeypatch: pytest.MonkeyPatch

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.warehouse_url)

    def run(self, dag_id: str = "news_ingest", run_conf: dict | None = None, logical_date=None):
        """Parse the DAG files under the current environment and run one DAG in-process."""
        dag = load_dagbag().dags[dag_id]
        if logical_date is None:
            return dag.test(run_conf=run_conf or {})
        # The run id of a manual run comes from run_after: the same one re-runs the same DAG run.
        return dag.test(run_conf=run_conf or {}, logical_date=logical_date, run_after=logical_date)

    def snapshot(self) -> dict[str, list]:
        """The warehouse's content as comparable JSON, table by table."""
        snapshot = {}
        with self.connect() as conn:
            for statement in filter(str.strip, sqlfile.text("testkit/warehouse_snapshot.sql").split(";")):
                cursor = conn.execute(statement)
                assert cursor.description is not None, f"the snapshot statement returns no rows: {statement}"
                snapshot[cursor.description[0].name] = [row[0] for row in cursor.fetchall()]
        return snapshot


@pytest.fixture
def chain(
    warehouse_url: str,
    mirror_url: str,
    packages_with_vi_en: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Chain]:
    from warehouse.db import reset_data

    with psycopg.connect(warehouse_url) as conn:
        reset_data(conn)
    data_uri = tmp_path / "data"
    # Tasks use the Airflow connection news_db, never DATABASE_URL.
    monkeypatch.setenv("AIRFLOW_CONN_NEWS_DB", warehouse_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEWS_DATA_URI", str(data_uri))
    monkeypatch.setenv("NEWS_MIRROR_URL", mirror_url)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_with_vi_en))
    monkeypatch.setenv("NEWS_RETRY_DELAY_SECONDS", "0.5")
    monkeypatch.setenv("NEWS_ARTICLES_PER_TRANSLATION_TASK", "20")
    monkeypatch.setenv("NEWS_TASK_TIMEOUT_SECONDS", "300")
    monkeypatch.setenv("NEWS_CRAWL_TIMEOUT_SECONDS", "120")
    monkeypatch.setenv("TRANSLATE_INTRA_THREADS", "1")
    monkeypatch.delenv("NEWS_SOURCES", raising=False)
    yield Chain(warehouse_url=warehouse_url, data_uri=data_uri, monkeypatch=monkeypatch)
