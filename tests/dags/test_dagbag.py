"""Every DAG file imports, and every task is robust: retries with backoff, a timeout, docs and tags."""

from __future__ import annotations

import os

import pytest

EXPECTED_DAGS = {"news_ingest", "news_retranslate", "news_maintenance"}


def load_dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])


@pytest.fixture(scope="module")
def dagbag():
    return load_dagbag()


def test_the_dag_files_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_every_task_retries_with_exponential_backoff_and_a_timeout(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.tasks
    for task in dag.tasks:
        assert task.retries >= 2, task.task_id
        assert task.retry_exponential_backoff > 1, task.task_id
        assert task.execution_timeout is not None, task.task_id
        assert task.execution_timeout.total_seconds() > 0, task.task_id


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_every_dag_has_tags_and_docs(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.tags
    assert dag.doc_md and dag.doc_md.strip().startswith(f"### {dag_id}")


def test_news_ingest_is_wired_as_documented(dagbag):
    from airflow.sdk import TriggerRule

    dag = dagbag.dags["news_ingest"]
    upstream = {task.task_id: set(task.upstream_task_ids) for task in dag.tasks}

    assert upstream["ingest_source.crawl"] == {"select_sources"}
    assert upstream["ingest_source.load"] == {"ingest_source.crawl"}
    assert upstream["plan_translation"] == {"ingest_source.load"}
    assert upstream["translate"] == {"plan_translation"}
    assert upstream["link_stories"] == {"translate"}
    assert upstream["check_quality"] == {"link_stories"}
    assert upstream["report_failures"] >= {"ingest_source.load", "translate", "check_quality"}
    assert dag.get_task("plan_translation").trigger_rule == TriggerRule.ALL_DONE
    assert dag.get_task("link_stories").trigger_rule == TriggerRule.ALL_DONE
    assert dag.get_task("check_quality").trigger_rule == TriggerRule.ALL_DONE
    assert dag.get_task("report_failures").trigger_rule == TriggerRule.ONE_FAILED
    assert upstream["announce_articles_updated"] == {"check_quality"}
    assert dag.get_task("check_quality").outlets == []
    assert [outlet.name for outlet in dag.get_task("announce_articles_updated").outlets] == [
        "articles_updated"
    ]


def test_news_ingest_is_hourly_unless_configured(monkeypatch, dagbag):
    assert dagbag.dags["news_ingest"].schedule == "@hourly"
    assert dagbag.dags["news_maintenance"].schedule == "@daily"
    assert dagbag.dags["news_retranslate"].schedule is None

    monkeypatch.setenv("NEWS_SCHEDULE", "*/30 * * * *")
    assert load_dagbag().dags["news_ingest"].schedule == "*/30 * * * *"
    monkeypatch.setenv("NEWS_SCHEDULE", "manual")
    assert load_dagbag().dags["news_ingest"].schedule is None


def test_the_params_form_offers_the_registry_sources_and_validates(dagbag):
    from airflow.sdk.definitions.param import ParamsDict
    from airflow.sdk.exceptions import ParamValidationError

    from spiders.registry import source_names

    params = dagbag.dags["news_ingest"].params
    assert params.get_param("sources").schema["items"]["enum"] == source_names()
    # A multi-select in the trigger form, not a free text area: it needs the top-level examples.
    assert params.get_param("sources").schema["examples"] == source_names()
    retranslate = dagbag.dags["news_retranslate"].params
    assert retranslate.get_param("sources").schema["examples"] == source_names()
    assert "kept" in params.get_param("since").description
    assert all(params.get_param(name).description for name in params)
    assert params.validate()["dry_run"] is False

    for bad in (
        {"sources": ["nosuchsource"]},
        {"sources": []},
        {"since": "yesterday"},
        {"max_articles": 0},
        {"dry_run": "yes"},
    ):
        candidate = ParamsDict({name: params.get_param(name) for name in params})
        with pytest.raises(ParamValidationError, match="Invalid input"):
            candidate.update(bad)
