"""Settings come from the environment, with documented defaults and clear errors."""

import pytest

from pipeline.settings import DEFAULT_DATA_URI, PipelineSettings
from warehouse.env import SettingError


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
