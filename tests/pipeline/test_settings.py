"""Settings come from the environment, with documented defaults and clear errors."""

import json

import pytest

from pipeline.settings import DEFAULT_DATA_URI, PipelineSettings, SettingError, database_url


def test_defaults_run_everything_on_one_machine():
    settings = PipelineSettings.from_env({})
    assert settings.data_uri == DEFAULT_DATA_URI
    assert settings.data_uri.endswith("var/data")
    assert settings.schedule == "@hourly"
    assert settings.task_retries == 2
    assert settings.max_articles is None
    assert settings.quality.empty_body_warn < settings.quality.empty_body_fail


def test_environment_overrides_only_what_it_sets():
    settings = PipelineSettings.from_env(
        {
            "NEWS_DATA_URI": "s3://news-feeds/prod",
            "NEWS_SCHEDULE": "*/15 * * * *",
            "NEWS_SOURCES": "baoquocte, vnexpress",
            "NEWS_MAX_ARTICLES": "50",
            "NEWS_QUALITY_BACKLOG_WARN": "10",
        }
    )
    assert settings.data_uri == "s3://news-feeds/prod"
    assert settings.schedule == "*/15 * * * *"
    assert settings.sources == ("baoquocte", "vnexpress")
    assert settings.max_articles == 50
    assert settings.quality.backlog_warn == 10
    assert settings.quality.backlog_fail == PipelineSettings().quality.backlog_fail


@pytest.mark.parametrize("value", ["", "none", "manual"])
def test_the_schedule_can_be_switched_off(value):
    assert PipelineSettings.from_env({"NEWS_SCHEDULE": value}).schedule is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWS_TASK_RETRIES", "1", "below the minimum of 2"),
        ("NEWS_TRANSLATION_BATCH_SIZE", "many", "not a whole number"),
        ("NEWS_RETRY_DELAY_SECONDS", "-3", "must not be negative"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(name, value, message):
    with pytest.raises(SettingError, match=f"{name}.*{message}|{message}"):
        PipelineSettings.from_env({name: value})


def test_the_airflow_connection_wins_over_database_url():
    env = {
        "AIRFLOW_CONN_NEWS_DB": "postgres://etl:s3cr%40t@db.internal:5433/warehouse",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/other",
    }
    assert database_url(env) == "postgresql://etl:s3cr%40t@db.internal:5433/warehouse"


def test_an_airflow_connection_in_json_form_becomes_a_libpq_uri():
    connection = {
        "conn_type": "postgres",
        "login": "etl",
        "password": "p@ss/word",
        "host": "db",
        "port": 5432,
        "schema": "news_ingest",
    }
    assert database_url({"AIRFLOW_CONN_NEWS_DB": json.dumps(connection)}) == (
        "postgresql://etl:p%40ss%2Fword@db:5432/news_ingest"
    )


@pytest.mark.parametrize("value", ["mysql://x@y/z", '{"conn_type": "http"}', "{not json"])
def test_an_unusable_airflow_connection_is_refused(value):
    with pytest.raises(SettingError, match="AIRFLOW_CONN_NEWS_DB"):
        database_url({"AIRFLOW_CONN_NEWS_DB": value})


def test_database_url_then_the_warehouse_default(monkeypatch):
    from warehouse.db import DEFAULT_DATABASE_URL

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url({"DATABASE_URL": "postgresql://u@h/d"}) == "postgresql://u@h/d"
    assert database_url({}) == DEFAULT_DATABASE_URL
