"""
### news_ingest — crawl every source, load the warehouse, translate, check quality

```
select_sources ─▶ ingest_source[source] (mapped: crawl ─▶ load) ─▶ plan_translation
    ─▶ translate[batch] (mapped) ─▶ link_stories ─▶ check_quality ─▶ announce_articles_updated
    ─▶ Asset "articles_updated"
report_failures turns the run red when any task failed; the other tasks still run to the end
```

* **crawl**: `scrapy crawl <source>` in its own process; the feed is stored at
  `$NEWS_DATA_URI/raw/<source>/<run id>.jsonl` (a folder or an object-store URI). A re-run of the
  same DAG run reuses that feed, so it leaves the warehouse as one run did.
* **load**: the warehouse loader merges the feed; rejected pages and invalid records go to quarantine.
* **translate**: each mapped task claims up to `NEWS_ARTICLES_PER_TRANSLATION_TASK` pending articles with
  `FOR UPDATE SKIP LOCKED`; with no translation package installed, articles wait as pending.
* **link_stories**: new English translations are signed, so an outlet's English edition joins its
  Vietnamese original's story (new articles join their stories at load time).
* **check_quality**: counts, empty-body rate, extraction-layer drift, translation backlog against the
  `NEWS_QUALITY_*` thresholds; writes one `ingest_runs` row per source. A dry run reports the
  thresholds it would break but never fails on them.
* **announce_articles_updated**: emits the `articles_updated` asset event (with counts) only when the
  run inserted or updated articles or stored translations; otherwise it is skipped and DAGs scheduled
  on the asset do not run.

A source whose crawl fails is retried, then marked failed; the other sources still load and translate.
Manual runs: trigger with the form ("Trigger DAG" in the UI), or from the command line:

```
airflow dags trigger news_ingest \
    --conf '{"sources": ["baoquocte"], "since": "2026-11-01", "max_articles": 50, "dry_run": true}'
```
"""

from __future__ import annotations

from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task, task_group
from airflow.sdk.exceptions import AirflowSkipException

from pipeline import stages
from pipeline.dag_defaults import ARTICLES_UPDATED_URI, START_DATE, published_window_params, task_defaults
from pipeline.plan import available_sources
from pipeline.settings import PipelineSettings

SETTINGS = PipelineSettings.from_env()
SOURCES = available_sources(SETTINGS)
ARTICLES_UPDATED = Asset(name="articles_updated", uri=ARTICLES_UPDATED_URI)


def _name_map_index(source: str) -> None:
    """A mapped task's ``map_index_template`` ("{{ source }}") renders from a key the task adds to its
    context; the ``Context`` type declares only Airflow's own keys."""
    get_current_context()["source"] = source  # type: ignore[typeddict-unknown-key]


@dag(
    dag_id="news_ingest",
    schedule=SETTINGS.schedule,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=task_defaults(SETTINGS),
    tags=["news", "ingest", "translation"],
    doc_md=__doc__,
    params={
        "sources": Param(
            SOURCES,
            type="array",
            items={"type": "string", "enum": SOURCES},
            # The trigger form draws a multi-select only from a top-level "examples" list.
            examples=SOURCES,
            minItems=1,
            uniqueItems=True,
            title="Sources",
            description="The sources to crawl in this run (all by default).",
        ),
        **published_window_params(),
        "max_articles": Param(
            SETTINGS.max_articles,
            type=["null", "integer"],
            minimum=1,
            title="Max articles per source",
            description="Stop each crawl after this many articles. Empty: NEWS_MAX_ARTICLES or no cap.",
        ),
        "force_retranslate": Param(
            False,
            type="boolean",
            title="Force re-translation",
            description="Translate the selected sources' articles in the date window again, even when "
            "they already have a translation.",
        ),
        "dry_run": Param(
            False,
            type="boolean",
            title="Dry run",
            description="Crawl and validate the feeds, but write nothing to the warehouse: no load, "
            "no translation, no ingest_runs record. Quality thresholds are reported, never fail the run.",
        ),
    },
)
def news_ingest():
    @task
    def select_sources(params: dict, run_id: str) -> list[dict]:
        return stages.select_sources(params, run_id)

    @task_group
    def ingest_source(request: dict):
        @task(map_index_template="{{ source }}")
        def crawl(request: dict) -> dict:
            _name_map_index(request["source"])
            return stages.crawl(request)

        @task(map_index_template="{{ source }}")
        def load(reference: dict, params: dict) -> dict:
            _name_map_index(reference["source"])
            return stages.load(reference, params)

        # At run time TaskFlow resolves crawl's XComArg to its dict and fills params from the context;
        # Airflow's Task type checks this call against load's signature as written (misc: its __call__).
        return load(crawl(request))  # type: ignore[call-arg, arg-type, misc]

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def plan_translation(params: dict) -> list[dict]:
        return stages.plan_translation(params)

    @task
    def translate(batch: dict) -> dict:
        return stages.translate(batch)

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def link_stories(params: dict) -> dict:
        return stages.link_stories(params)

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def check_quality(params: dict, run_id: str, dag_run=None) -> dict:
        return stages.check_quality(params, run_id, dag_run.start_date.isoformat())

    @task(trigger_rule=TriggerRule.ALL_DONE, outlets=[ARTICLES_UPDATED])
    def announce_articles_updated(params: dict, run_id: str, dag_run=None, outlet_events=None) -> dict:
        change = stages.articles_changed(params, run_id, dag_run.start_date.isoformat())
        if not any(change.values()):
            raise AirflowSkipException("no article or translation changed: articles_updated stays quiet")
        outlet_events[ARTICLES_UPDATED].extra = {"run_id": run_id, **change}
        return change

    @task(trigger_rule=TriggerRule.ONE_FAILED)
    def report_failures() -> None:
        stages.report_failures()

    requests = select_sources()
    ingested = ingest_source.expand(request=requests)
    batches = plan_translation()
    translated = translate.expand(batch=batches)
    stories = link_stories()
    quality = check_quality()
    announced = announce_articles_updated()
    ingested >> batches
    translated >> stories >> quality >> announced
    [requests, ingested, batches, translated, stories, quality, announced] >> report_failures()


news_ingest()
