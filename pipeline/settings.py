"""Every setting of the pipeline chain and its DAGs, read from the environment in one place.

Defaults run the whole chain on one machine; a deployment overrides only the variables it sets
(see ``.env.example``). The translation engine's own tuning (threads, beam size, compute type) is
read by ``translate.settings.EngineSettings`` from ``TRANSLATE_*`` variables.
``PipelineSettings.from_env()`` is cheap and imports nothing heavy, so DAG files call it at parse time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from warehouse.env import SettingError
from warehouse.paths import PROJECT_ROOT

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
    load_batch_size: int = 1_000
    translation_batch_size: int = 50
    translation_max_batches: int = 16
    translation_claim_timeout_seconds: int = 1_800
    translation_max_attempts: int = 3
    target_language: str = "en"
    model_release_url: str = RECOMMENDED_MODEL_RELEASE_URL
    model_release_sha256: str | None = None
    model_id: str = RECOMMENDED_MODEL_ID
    raw_retention_days: int = 30
    quarantine_max_attempts: int = 5
    quality: QualityThresholds = QualityThresholds()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PipelineSettings:
        env = os.environ if environ is None else environ
        defaults = cls()
        quality = QualityThresholds()
        return cls(
            data_uri=env.get("NEWS_DATA_URI") or defaults.data_uri,
            schedule=_schedule(env.get("NEWS_SCHEDULE", defaults.schedule or "")),
            sources=_names(env.get("NEWS_SOURCES", "")),
            mirror_url=env.get("NEWS_MIRROR_URL") or None,
            crawl_timeout_seconds=_int(env, "NEWS_CRAWL_TIMEOUT_SECONDS", defaults.crawl_timeout_seconds),
            max_articles=_int(env, "NEWS_MAX_ARTICLES", 0) or None,
            task_retries=_int(env, "NEWS_TASK_RETRIES", defaults.task_retries, minimum=2),
            retry_delay_seconds=_float(env, "NEWS_RETRY_DELAY_SECONDS", defaults.retry_delay_seconds),
            retry_max_delay_seconds=_float(
                env, "NEWS_RETRY_MAX_DELAY_SECONDS", defaults.retry_max_delay_seconds
            ),
            task_timeout_seconds=_int(env, "NEWS_TASK_TIMEOUT_SECONDS", defaults.task_timeout_seconds),
            load_batch_size=_int(env, "NEWS_LOAD_BATCH_SIZE", defaults.load_batch_size, minimum=1),
            translation_batch_size=_int(
                env, "NEWS_TRANSLATION_BATCH_SIZE", defaults.translation_batch_size, minimum=1
            ),
            translation_max_batches=_int(
                env, "NEWS_TRANSLATION_MAX_BATCHES", defaults.translation_max_batches, minimum=1
            ),
            translation_claim_timeout_seconds=_int(
                env, "NEWS_TRANSLATION_CLAIM_TIMEOUT_SECONDS", defaults.translation_claim_timeout_seconds
            ),
            translation_max_attempts=_int(
                env, "NEWS_TRANSLATION_MAX_ATTEMPTS", defaults.translation_max_attempts, minimum=1
            ),
            target_language=env.get("NEWS_TARGET_LANGUAGE") or defaults.target_language,
            model_release_url=env.get("NEWS_MODEL_RELEASE_URL") or defaults.model_release_url,
            model_release_sha256=(env.get("NEWS_MODEL_RELEASE_SHA256") or "").strip().lower() or None,
            model_id=env.get("NEWS_MODEL_ID") or defaults.model_id,
            raw_retention_days=_int(env, "NEWS_RAW_RETENTION_DAYS", defaults.raw_retention_days, minimum=1),
            quarantine_max_attempts=_int(
                env, "NEWS_QUARANTINE_MAX_ATTEMPTS", defaults.quarantine_max_attempts, minimum=1
            ),
            quality=QualityThresholds(
                empty_body_warn=_float(env, "NEWS_QUALITY_EMPTY_BODY_WARN", quality.empty_body_warn),
                empty_body_fail=_float(env, "NEWS_QUALITY_EMPTY_BODY_FAIL", quality.empty_body_fail),
                empty_body_min_pages=_int(
                    env, "NEWS_QUALITY_EMPTY_BODY_MIN_PAGES", quality.empty_body_min_pages
                ),
                min_body_chars=_int(env, "NEWS_QUALITY_MIN_BODY_CHARS", quality.min_body_chars),
                layer_drift_warn=_float(env, "NEWS_QUALITY_LAYER_DRIFT_WARN", quality.layer_drift_warn),
                layer_drift_fail=_float(env, "NEWS_QUALITY_LAYER_DRIFT_FAIL", quality.layer_drift_fail),
                layer_drift_min_articles=_int(
                    env, "NEWS_QUALITY_LAYER_DRIFT_MIN_ARTICLES", quality.layer_drift_min_articles
                ),
                layer_drift_history_runs=_int(
                    env, "NEWS_QUALITY_LAYER_DRIFT_HISTORY_RUNS", quality.layer_drift_history_runs, minimum=1
                ),
                backlog_warn=_int(env, "NEWS_QUALITY_BACKLOG_WARN", quality.backlog_warn),
                backlog_fail=_int(env, "NEWS_QUALITY_BACKLOG_FAIL", quality.backlog_fail),
                mojibake_warn=_float(env, "NEWS_QUALITY_MOJIBAKE_WARN", quality.mojibake_warn),
                mojibake_fail=_float(env, "NEWS_QUALITY_MOJIBAKE_FAIL", quality.mojibake_fail),
                mojibake_min_articles=_int(
                    env, "NEWS_QUALITY_MOJIBAKE_MIN_ARTICLES", quality.mojibake_min_articles
                ),
            ),
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


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise SettingError(f"{name}={value} is below the minimum of {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number") from None
    if value < 0:
        raise SettingError(f"{name}={value} must not be negative")
    return value
