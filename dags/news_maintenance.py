"""
### news_maintenance — daily upkeep of the warehouse and the raw feeds

```
retry_quarantined ─▶ analyze_tables
prune_raw_feeds
rebuild_stories (only when the run's `rebuild_stories` param is on)
```

* **retry_quarantined**: load-stage records go through the loader again (resolved when they load now);
  at most `NEWS_QUARANTINE_MAX_ATTEMPTS` attempts, after which they wait for a person. (A failed
  translation stays `failed` on its article; `news_retranslate` queues it again.)
* **analyze_tables**: `ANALYZE` of the warehouse tables so the planner knows today's sizes.
* **rebuild_stories**: every story signature, link and membership from scratch, for after a change of
  `NEWS_STORY_THRESHOLD`; trigger with `{"rebuild_stories": true}`. The log shows its progress.
* **prune_raw_feeds**: deletes stored feeds under `$NEWS_DATA_URI/raw` older than
  `NEWS_RAW_RETENTION_DAYS` days.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from pipeline import stages
from pipeline.dag_defaults import START_DATE, task_defaults
from pipeline.settings import PipelineSettings

SETTINGS = PipelineSettings.from_env()


@dag(
    dag_id="news_maintenance",
    schedule="@daily",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=task_defaults(SETTINGS),
    tags=["news", "maintenance"],
    params={
        "rebuild_stories": Param(
            False,
            type="boolean",
            title="Rebuild stories",
            description="Re-sign every article and re-cluster stories from scratch (after changing "
            "NEWS_STORY_THRESHOLD).",
        )
    },
    doc_md=__doc__,
)
def news_maintenance():
    @task
    def retry_quarantined() -> dict:
        return stages.retry_quarantined()

    @task
    def analyze_tables() -> list[str]:
        return stages.analyze_tables()

    @task
    def prune_raw_feeds() -> int:
        return stages.prune_raw_feeds()

    @task
    def rebuild_stories(params: dict) -> dict:
        return stages.rebuild_stories(params)

    retry_quarantined() >> analyze_tables()
    prune_raw_feeds()
    rebuild_stories()


news_maintenance()
