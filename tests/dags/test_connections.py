"""Inside Airflow the DAGs reach the warehouse through the Airflow connection ``news_db`` wherever it is
defined (here: the metadata database, as the UI or ``airflow connections add`` store it), and nowhere
else: without it a task fails with the commands to define it, never falling back to DATABASE_URL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from warehouse.db import MISSING_CONNECTION_HELP, airflow_connection_url
from warehouse.env import SettingError

pytestmark = pytest.mark.slow

UNREACHABLE_DATABASE = "postgresql://postgres@127.0.0.1:5432/news_no_such_database"


@pytest.fixture
def stored_connection() -> Iterator[Callable[[str], None]]:
    """Adds ``news_db`` to Airflow's metadata database; removed afterwards."""
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    def store(uri: str) -> None:
        with create_session() as session:
            session.add(Connection(conn_id="news_db", uri=uri))

    def remove() -> None:
        with create_session() as session:
            session.query(Connection).filter(Connection.conn_id == "news_db").delete()

    remove()
    yield store
    remove()


def test_the_dags_use_news_db_from_airflows_connection_store(chain, stored_connection):
    chain.monkeypatch.delenv("AIRFLOW_CONN_NEWS_DB")
    chain.monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DATABASE)
    stored_connection(chain.warehouse_url)

    dag_run = chain.run(run_conf={"max_articles": 3})

    assert str(dag_run.state) == "success"
    with chain.connect() as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1


def test_without_news_db_the_tasks_fail_instead_of_using_database_url(chain, stored_connection):
    chain.monkeypatch.delenv("AIRFLOW_CONN_NEWS_DB")
    chain.monkeypatch.setenv("DATABASE_URL", chain.warehouse_url)
    chain.monkeypatch.setenv("NEWS_TASK_RETRIES", "2")

    dag_run = chain.run(run_conf={"max_articles": 3})

    assert str(dag_run.state) == "failed"
    states = {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}
    assert "failed" in {states["ingest_source.crawl"], states["ingest_source.load"]}
    with chain.connect() as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 0
    with pytest.raises(SettingError) as error:
        airflow_connection_url("news_db")
    assert str(error.value) == MISSING_CONNECTION_HELP
    assert "airflow connections add news_db" in str(error.value)
