"""Pipeline steps run without Airflow: against the local mirror, real PostgreSQL (the warehouse
fixtures of tests/conftest.py) and a data folder of the test's own."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.settings import PipelineSettings

RELEASE_NAME = "opus-2020-01-01.zip"


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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def release_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A generated OPUS-MT-style vi->en release served over HTTP; yields (url, sha256)."""
    from testkit.synthetic_models import write_opus_mt_release

    folder = tmp_path_factory.mktemp("release-server")
    release_dir = write_opus_mt_release(tmp_path_factory.mktemp("release") / "opus-mt-vi-en", seed=7)
    archive = Path(shutil.make_archive(str(folder / RELEASE_NAME.removesuffix(".zip")), "zip", release_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{archive.name}"
        yield url, hashlib.sha256(archive.read_bytes()).hexdigest()
    finally:
        server.shutdown()
