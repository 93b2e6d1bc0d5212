"""
### news_retranslate — queue articles for translation again (manual)

```
mark_pending  (articles ─▶ translation_status = 'pending')
```

Selects articles by the model that produced their current translation (after a model upgrade: the
old model id, optionally one version), by a published-date window, and/or by source, and marks them
pending. The next `news_ingest` run's translation stage picks them up; the sentence cache makes
unchanged sentences free for the same model version. Existing translations stay until replaced.

`airflow dags trigger news_retranslate --conf '{"model_id": "opus-mt-vi-en", "model_version": "1.0"}'`
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from pipeline import stages
from pipeline.dag_defaults import START_DATE, published_window_params, task_defaults
from pipeline.plan import available_sources
from pipeline.settings import PipelineSettings

SETTINGS = PipelineSettings.from_env()
SOURCES = available_sources(SETTINGS)


@dag(
    dag_id="news_retranslate",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    default_args=task_defaults(SETTINGS),
    tags=["news", "translation", "manual"],
    doc_md=__doc__,
    params={
        "model_id": Param(
            None,
            type=["null", "string"],
            title="Model id",
            description="Re-translate articles whose translation came from this model id.",
        ),
        "model_version": Param(
            None,
            type=["null", "string"],
            title="Model version",
            description="Only this version of the model (needs a model id).",
        ),
        **published_window_params(),
        "sources": Param(
            [],
            type="array",
            items={"type": "string", "enum": SOURCES},
            examples=SOURCES,
            uniqueItems=True,
            title="Sources",
            description="Only these sources (empty: every source).",
        ),
        "everything": Param(
            False,
            type="boolean",
            title="Everything",
            description="Queue every article again when no other filter is given.",
        ),
    },
)
def news_retranslate():
    @task
    def mark_pending(params: dict) -> dict:
        return stages.retranslate(params)

    mark_pending()


news_retranslate()
