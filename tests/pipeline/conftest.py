"""Pipeline steps run without Airflow: against the local mirror, real PostgreSQL (the warehouse
fixtures of tests/conftest.py) and a data folder of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.settings import PipelineSettings


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    from testkit.mirror import serve_mirror

    with serve_mirror(port=0, synthetic_articles=12) as url:
        yield url


@pytest.fixture
def settings(
    tmp_path: Path, mirror_url: str, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> PipelineSettings:
    """Settings of a test: its own data folder, the mirror, the test warehouse."""
    monkeypatch.setenv("DATABASE_URL", warehouse_url)
    monkeypatch.delenv("AIRFLOW_CONN_NEWS_DB", raising=False)
    return PipelineSettings.from_env(
        {
            "NEWS_DATA_URI": str(tmp_path / "data"),
            "NEWS_MIRROR_URL": mirror_url,
            "NEWS_CRAWL_TIMEOUT_SECONDS": "120",
        }
    )
