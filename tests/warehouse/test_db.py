import contextlib
import json

import pytest

from warehouse import db
from warehouse.env import SettingError
from warehouse.migrate import discover

ETL_URI = "postgres://etl:s3cr%40t@db.internal:5433/warehouse"
ETL_LIBPQ = "postgresql://etl:s3cr%40t@db.internal:5433/warehouse"
ETL_JSON = json.dumps(
    {
        "conn_type": "postgres",
        "login": "etl",
        "password": "p@ss/word",
        "host": "db",
        "port": 5432,
        "schema": "news_ingest",
        "extra": {"sslmode": "require", "unrelated": "dropped"},
    }
)
OTHER = "postgresql://analyst_app@127.0.0.1:6432/other"


@pytest.mark.parametrize(
    ("environment", "in_task", "expected"),
    [
        ({}, False, db.DEFAULT_DATABASE_URL),
        ({"DATABASE_URL": OTHER}, False, OTHER),
        ({"DATABASE_URL": "host=h dbname=d"}, False, "host=h dbname=d"),
        ({"AIRFLOW_CONN_NEWS_DB": ETL_URI, "DATABASE_URL": OTHER}, False, ETL_LIBPQ),
        ({"AIRFLOW_CONN_NEWS_DB": ETL_LIBPQ}, False, ETL_LIBPQ),
        (
            {"AIRFLOW_CONN_NEWS_DB": ETL_JSON, "DATABASE_URL": OTHER},
            False,
            "postgresql://etl:p%40ss%2Fword@db:5432/news_ingest?sslmode=require",
        ),
        ({"AIRFLOW_CONN_NEWS_DB": "  ", "DATABASE_URL": OTHER}, False, OTHER),
        ({"AIRFLOW_CONN_NEWS_DB": "mysql://x@y/z"}, False, SettingError("must be a postgres://")),
        ({"AIRFLOW_CONN_NEWS_DB": '{"conn_type": "http"}'}, False, SettingError("conn_type 'http'")),
        ({"AIRFLOW_CONN_NEWS_DB": "{not json"}, False, SettingError("not valid JSON")),
        ({"AIRFLOW_CONN_NEWS_DB": ETL_URI, "DATABASE_URL": OTHER}, True, ETL_LIBPQ),
        ({"DATABASE_URL": OTHER}, True, SettingError(db.MISSING_CONNECTION_HELP)),
        ({}, True, SettingError(db.MISSING_CONNECTION_HELP)),
    ],
)
def test_database_url_precedence(monkeypatch, environment, in_task, expected):
    """Outside Airflow: AIRFLOW_CONN_NEWS_DB (URI or JSON), then DATABASE_URL, then the default. Inside
    an Airflow task: the connection news_db and nothing else, its absence an error."""
    for name in ("AIRFLOW_CONN_NEWS_DB", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    task = contextlib.nullcontext()
    if in_task:
        from airflow.sdk.execution_time.context import set_current_context

        task = set_current_context({})
    with task:
        if isinstance(expected, SettingError):
            with pytest.raises(SettingError) as error:
                db.database_url()
            assert str(expected) in str(error.value)
        else:
            assert db.database_url() == expected
            if not in_task:
                assert db.database_url(dict(environment)) == expected


def test_with_database_swaps_only_the_database_name():
    assert (
        db.with_database("postgresql://u:secret@h:6432/news?sslmode=disable", "other")
        == "postgresql://u:secret@h:6432/other?sslmode=disable"
    )
    assert db.database_name(db.with_database("host=h port=5 user=u dbname=news", "other")) == "other"


def test_ensure_database_creates_and_migrates_a_missing_database(warehouse_url):
    url = db.with_database(warehouse_url, db.database_name(warehouse_url) + "_ensure")
    try:
        assert db.ensure_database(url) == url
        assert db.create_database(url) is False
        with db.connect(url=url) as conn:
            applied = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        versioned, repeatable = discover()
        assert applied == len(versioned) + len(repeatable)
    finally:
        db.drop_database(url)
    assert db.server_status(url)["database_exists"] is False


def test_no_server_and_nothing_to_start_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_NEWS_DB", raising=False)
    monkeypatch.setattr(db, "POSTGRES_CONFIG_DIR", tmp_path / "no-postgresql-here")
    with pytest.raises(db.DatabaseUnavailableError, match="apt-get install postgresql"):
        db.start_server("postgresql://postgres@127.0.0.1:1/news_ingest")


def test_stop_leaves_a_cluster_it_did_not_start_running(monkeypatch, tmp_path):
    monkeypatch.setattr(db, "STARTED_MARKER", tmp_path / "not-started-by-us")
    message = db.stop_server()
    assert "nothing to stop" in message or "leaving it running" in message
    assert db.server_reachable()
