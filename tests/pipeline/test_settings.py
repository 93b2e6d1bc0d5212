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
        ("NEWS_ARTICLES_PER_TRANSLATION_TASK", "many", "not a whole number"),
        ("NEWS_RETRY_DELAY_SECONDS", "-3", "must not be negative"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(name, value, message):
    with pytest.raises(SettingError, match=f"{name}.*{message}|{message}"):
        PipelineSettings.from_env({name: value})


def test_each_batch_size_has_its_own_name_and_the_old_names_are_still_read():
    renamed = {
        "NEWS_TRANSLATION_BATCH_SIZE": "7",
        "NEWS_TRANSLATION_MAX_BATCHES": "3",
        "NEWS_LOAD_BATCH_SIZE": "11",
    }
    current = {
        "NEWS_ARTICLES_PER_TRANSLATION_TASK": "8",
        "NEWS_MAX_TRANSLATION_TASKS": "4",
        "NEWS_LOAD_RECORDS_PER_TRANSACTION": "12",
    }
    old = PipelineSettings.from_env(renamed)
    assert (old.articles_per_translation_task, old.max_translation_tasks) == (7, 3)
    assert old.warehouse.load_records_per_transaction == 11
    new = PipelineSettings.from_env({**renamed, **current})
    assert (new.articles_per_translation_task, new.max_translation_tasks) == (8, 4)
    assert new.warehouse.load_records_per_transaction == 12
    with pytest.raises(SettingError, match="NEWS_LOAD_BATCH_SIZE='x' is not a whole number"):
        PipelineSettings.from_env({"NEWS_LOAD_BATCH_SIZE": "x"})
