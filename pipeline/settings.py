"""Every setting of the pipeline chain and its DAGs, read from the environment in one place.

Defaults run the whole chain on one machine; a deployment overrides only the variables it sets
(see ``.env.example``). Each area declares its own settings and reads them with ``warehouse.env``: the
loader's are ``warehouse.settings.WarehouseSettings`` (nested here as ``warehouse``), the translation
engine's tuning (threads, beam size, compute type) ``translate.settings.EngineSettings`` from
``TRANSLATE_*`` variables; the warehouse connection is ``warehouse.db.database_url()``.
``PipelineSettings.from_env()`` is cheap and imports nothing heavy, so DAG files call it at parse time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from warehouse.env import EnvReader
from warehouse.paths import PROJECT_ROOT
from warehouse.record import DEFAULT_TARGET_LANGUAGE
from warehouse.settings import WarehouseSettings

if TYPE_CHECKING:
    from warehouse.translation_queue import ClaimLimits

DEFAULT_DATA_URI = str(PROJECT_ROOT / "var" / "data")
DEFAULT_AIRFLOW_HOME = PROJECT_ROOT / "var" / "airflow"
# The vi->en release the README recommends (Tatoeba-Challenge many-to-English aav-eng: chrF 57.4 on
# FLORES-200 devtest against about 53 for opus-mt-vi-en). Its checksum is not pinned here: it could not
# be fetched from this machine; `./run main` prints the sha256 of what it downloads, to pin it.
RECOMMENDED_MODEL_RELEASE_URL = (
    "https://object.pouta.csc.fi/Tatoeba-MT-models/aav-eng/opus4m+btTCv20210807-2021-09-30.zip"
)
RECOMMENDED_MODEL_ID = "opus-mt-aav-eng"


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """Limits the data-quality task compares each run against: ``warn`` logs and records the
    finding, ``fail`` also fails the task (and with it the DAG run)."""

    empty_body_warn: float = 0.05
    empty_body_fail: float = 0.25
    empty_body_min_pages: int = 10
    min_body_chars: int = 200
    layer_drift_warn: float = 0.20
    layer_drift_fail: float = 0.50
    layer_drift_min_articles: int = 10
    layer_drift_history_runs: int = 5
    backlog_warn: int = 1_000
    backlog_fail: int = 20_000
    mojibake_warn: float = 0.0
    mojibake_fail: float = 0.10
    mojibake_min_articles: int = 1


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    data_uri: str = DEFAULT_DATA_URI
    schedule: str | None = "@hourly"
    sources: tuple[str, ...] = ()
    mirror_url: str | None = None
    crawl_timeout_seconds: int = 1_800
    max_articles: int | None = None
    task_retries: int = 2
    retry_delay_seconds: float = 60.0
    retry_max_delay_seconds: float = 1_800.0
    task_timeout_seconds: int = 3_600
    # A translation run maps over tasks of at most this many pending articles, at most this many tasks.
    articles_per_translation_task: int = 50
    max_translation_tasks: int = 16
    translation_claim_timeout_seconds: int = 1_800
    translation_max_attempts: int = 3
    target_language: str = DEFAULT_TARGET_LANGUAGE
    model_release_url: str = RECOMMENDED_MODEL_RELEASE_URL
    model_release_sha256: str | None = None
    model_id: str = RECOMMENDED_MODEL_ID
    raw_retention_days: int = 30
    quarantine_max_attempts: int = 5
    quality: QualityThresholds = QualityThresholds()
    # The loader's own settings (records per load transaction, story threshold), read by the warehouse.
    warehouse: WarehouseSettings = field(default_factory=WarehouseSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PipelineSettings:
        env = EnvReader() if environ is None else EnvReader(environ)
        defaults = cls()
        quality = QualityThresholds()
        return cls(
            data_uri=env.string("NEWS_DATA_URI", defaults.data_uri),
            # Unlike the others, a blank NEWS_SCHEDULE is a choice: no schedule.
            schedule=_schedule(env.string("NEWS_SCHEDULE", ""))
            if env.is_set("NEWS_SCHEDULE")
            else defaults.schedule,
            sources=_names(env.string("NEWS_SOURCES", "")),
            mirror_url=env.optional_string("NEWS_MIRROR_URL"),
            crawl_timeout_seconds=env.integer("NEWS_CRAWL_TIMEOUT_SECONDS", defaults.crawl_timeout_seconds),
            max_articles=env.integer("NEWS_MAX_ARTICLES", 0) or None,
            task_retries=env.integer("NEWS_TASK_RETRIES", defaults.task_retries, minimum=2),
            retry_delay_seconds=env.number("NEWS_RETRY_DELAY_SECONDS", defaults.retry_delay_seconds),
            retry_max_delay_seconds=env.number(
                "NEWS_RETRY_MAX_DELAY_SECONDS", defaults.retry_max_delay_seconds
            ),
            task_timeout_seconds=env.integer("NEWS_TASK_TIMEOUT_SECONDS", defaults.task_timeout_seconds),
            articles_per_translation_task=env.integer(
                "NEWS_ARTICLES_PER_TRANSLATION_TASK",
                defaults.articles_per_translation_task,
                minimum=1,
                formerly="NEWS_TRANSLATION_BATCH_SIZE",
            ),
            max_translation_tasks=env.integer(
                "NEWS_MAX_TRANSLATION_TASKS",
                defaults.max_translation_tasks,
                minimum=1,
                formerly="NEWS_TRANSLATION_MAX_BATCHES",
            ),
            translation_claim_timeout_seconds=env.integer(
                "NEWS_TRANSLATION_CLAIM_TIMEOUT_SECONDS", defaults.translation_claim_timeout_seconds
            ),
            translation_max_attempts=env.integer(
                "NEWS_TRANSLATION_MAX_ATTEMPTS", defaults.translation_max_attempts, minimum=1
            ),
            target_language=env.string("NEWS_TARGET_LANGUAGE", defaults.target_language),
            model_release_url=env.string("NEWS_MODEL_RELEASE_URL", defaults.model_release_url),
            model_release_sha256=env.string("NEWS_MODEL_RELEASE_SHA256", "").lower() or None,
            model_id=env.string("NEWS_MODEL_ID", defaults.model_id),
            raw_retention_days=env.integer("NEWS_RAW_RETENTION_DAYS", defaults.raw_retention_days, minimum=1),
            quarantine_max_attempts=env.integer(
                "NEWS_QUARANTINE_MAX_ATTEMPTS", defaults.quarantine_max_attempts, minimum=1
            ),
            quality=QualityThresholds(
                empty_body_warn=env.number("NEWS_QUALITY_EMPTY_BODY_WARN", quality.empty_body_warn),
                empty_body_fail=env.number("NEWS_QUALITY_EMPTY_BODY_FAIL", quality.empty_body_fail),
                empty_body_min_pages=env.integer(
                    "NEWS_QUALITY_EMPTY_BODY_MIN_PAGES", quality.empty_body_min_pages
                ),
                min_body_chars=env.integer("NEWS_QUALITY_MIN_BODY_CHARS", quality.min_body_chars),
                layer_drift_warn=env.number("NEWS_QUALITY_LAYER_DRIFT_WARN", quality.layer_drift_warn),
                layer_drift_fail=env.number("NEWS_QUALITY_LAYER_DRIFT_FAIL", quality.layer_drift_fail),
                layer_drift_min_articles=env.integer(
                    "NEWS_QUALITY_LAYER_DRIFT_MIN_ARTICLES", quality.layer_drift_min_articles
                ),
                layer_drift_history_runs=env.integer(
                    "NEWS_QUALITY_LAYER_DRIFT_HISTORY_RUNS", quality.layer_drift_history_runs, minimum=1
                ),
                backlog_warn=env.integer("NEWS_QUALITY_BACKLOG_WARN", quality.backlog_warn),
                backlog_fail=env.integer("NEWS_QUALITY_BACKLOG_FAIL", quality.backlog_fail),
                mojibake_warn=env.number("NEWS_QUALITY_MOJIBAKE_WARN", quality.mojibake_warn),
                mojibake_fail=env.number("NEWS_QUALITY_MOJIBAKE_FAIL", quality.mojibake_fail),
                mojibake_min_articles=env.integer(
                    "NEWS_QUALITY_MOJIBAKE_MIN_ARTICLES", quality.mojibake_min_articles
                ),
            ),
            warehouse=WarehouseSettings.from_env(env.environ),
        )

    def claim_limits(self) -> ClaimLimits:
        """The translation queue's claim timeout and attempts limit."""
        from warehouse.translation_queue import ClaimLimits

        return ClaimLimits(
            claim_timeout=timedelta(seconds=self.translation_claim_timeout_seconds),
            max_attempts=self.translation_max_attempts,
        )


def _schedule(value: str) -> str | None:
    value = value.strip()
    return None if value.lower() in {"", "none", "manual"} else value


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())
