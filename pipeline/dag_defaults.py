"""What the project's DAGs share: every task's retries with exponential backoff, a timeout, and a
retry policy that fails ``PermanentError`` at once (retrying bad parameters or a failed quality check
would only repeat them); the published-date window of the trigger forms. Imported by the DAG files
only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline.settings import PipelineSettings

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
ARTICLES_UPDATED_URI = "news-ingest://warehouse/articles"


def task_defaults(settings: PipelineSettings) -> dict[str, Any]:
    from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

    return {
        "owner": "news-ingest",
        "retries": settings.task_retries,
        "retry_delay": timedelta(seconds=settings.retry_delay_seconds),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=settings.retry_max_delay_seconds),
        "execution_timeout": timedelta(seconds=settings.task_timeout_seconds),
        "retry_policy": ExceptionRetryPolicy(
            rules=[
                RetryRule(
                    exception="pipeline.errors.PermanentError",
                    action=RetryAction.FAIL,
                    reason="bad parameters or a failed quality check: a retry would fail the same way",
                )
            ]
        ),
    }


def published_window_params() -> dict[str, Any]:
    """The form's ``since``/``until`` fields: an optional published-date window, both ends included."""
    from airflow.sdk import Param

    return {
        name: Param(
            None,
            type=["null", "string"],
            format="date",
            title=f"Published {name}",
            description=f"Only articles published {relation} this day (YYYY-MM-DD, the site's local "
            "day). Articles whose page gives no readable date cannot be placed in the window: they are "
            "kept, with no published date (and flagged unparsable_date when the page had one the "
            "crawler could not read). Empty: no limit.",
        )
        for name, relation in (("since", "on or after"), ("until", "on or before"))
    }
