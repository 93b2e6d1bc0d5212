"""The ``articles_updated`` asset announces real changes only, so a DAG scheduled on it runs after a
run that changed articles and not after a dry run or a run that changed nothing; a dry run reports
the quality thresholds a real run would fail on, and never fails on them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pipeline.dag_defaults import ARTICLES_UPDATED_URI

pytestmark = pytest.mark.slow

CONSUMER_DAG = f'''
from datetime import datetime, timezone

from airflow.sdk import Asset, dag, task


@dag(
    dag_id="articles_consumer",
    schedule=[Asset(name="articles_updated", uri="{ARTICLES_UPDATED_URI}")],
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
)
def articles_consumer():
    @task
    def read_new_articles() -> None:
        pass

    read_new_articles()


articles_consumer()
'''


@pytest.fixture
def consumer_dag(tmp_path: Path):
    """A downstream DAG scheduled on articles_updated, registered (and unpaused) in the metadata DB;
    returns a function counting the runs it has queued (and clearing them)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db
    from airflow.models.asset import AssetDagRunQueue
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session

    folder = tmp_path / "consumer_dags"
    folder.mkdir()
    (folder / "articles_consumer.py").write_text(textwrap.dedent(CONSUMER_DAG), encoding="utf-8")
    bag = DagBag(str(folder))
    assert bag.import_errors == {}
    with create_session() as session:
        DagBundlesManager().sync_bundles_to_db(session=session)
    sync_bag_to_db(bag, "dags-folder", None)
    with create_session() as session:
        session.query(DagModel).filter(DagModel.dag_id == "articles_consumer").update({"is_paused": False})

    def queued_runs() -> int:
        with create_session() as session:
            query = session.query(AssetDagRunQueue).filter(
                AssetDagRunQueue.target_dag_id == "articles_consumer"
            )
            count = query.count()
            query.delete()
        return count

    queued_runs()
    yield queued_runs
    with create_session() as session:
        session.query(DagModel).filter(DagModel.dag_id == "articles_consumer").update({"is_paused": True})


def asset_events() -> list[dict]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        return [
            event.extra
            for event in session.query(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.uri == ARTICLES_UPDATED_URI)
            .order_by(AssetEvent.id)
        ]


def task_state(dag_run, task_id: str) -> str:
    return str(dag_run.get_task_instance(task_id).state)


def test_articles_updated_fires_only_when_articles_changed(chain, consumer_dag):
    before = len(asset_events())

    # Crawls the whole mirror, so that the next incremental run finds nothing new.
    changed = chain.run()
    assert str(changed.state) == "success"
    assert task_state(changed, "announce_articles_updated") == "success"
    events = asset_events()
    assert len(events) == before + 1
    assert events[-1]["run_id"] == changed.run_id
    assert events[-1]["articles_changed"] >= 1
    assert consumer_dag() == 1

    unchanged = chain.run()
    assert str(unchanged.state) == "success"
    assert task_state(unchanged, "announce_articles_updated") == "skipped"

    dry = chain.run(run_conf={"max_articles": 3, "dry_run": True})
    assert str(dry.state) == "success"
    assert task_state(dry, "announce_articles_updated") == "skipped"

    assert len(asset_events()) == before + 1
    assert consumer_dag() == 0


def test_a_dry_run_reports_failing_quality_thresholds_without_failing(chain):
    # Every body counts as too short: the empty-body check fails.
    chain.monkeypatch.setenv("NEWS_QUALITY_MIN_BODY_CHARS", "1000000")
    chain.monkeypatch.setenv("NEWS_QUALITY_EMPTY_BODY_MIN_PAGES", "1")

    dry = chain.run(run_conf={"max_articles": 3, "dry_run": True})
    assert str(dry.state) == "success"
    report = dry.get_task_instance("check_quality").xcom_pull(task_ids="check_quality")
    assert report["dry_run"] is True
    assert "fail" in {check["level"] for check in report["checks"] if check["name"] == "empty_body_rate"}

    real = chain.run(run_conf={"max_articles": 3})
    assert str(real.state) == "failed"
    assert task_state(real, "check_quality") == "failed"
