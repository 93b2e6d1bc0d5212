"""What every part of the reliability campaign works with: throwaway databases, the mirror, crawls
through the pipeline's own crawl step, loads through the warehouse CLI, translation with a tiny
generated model, and the findings it reports."""

from __future__ import annotations

import os
import secrets
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from pipeline.crawl import CrawlRequest, FeedReference, crawl_source
from pipeline.settings import PipelineSettings
from testkit.faults import Fingerprint, fingerprint
from testkit.processes import python_process
from warehouse import db

if TYPE_CHECKING:
    from translate.engine import Engine


@dataclass(slots=True)
class Finding:
    name: str
    passed: bool
    detail: str = ""


class Workbench:
    def __init__(self, workdir: Path, mirror_base: str, mirror_down: threading.Event, access_log: list[str]):
        self.workdir = workdir
        self.mirror_base = mirror_base
        self.mirror_down = mirror_down
        self.access_log = access_log
        self.packages = workdir / "packages"
        self._runs = count(1)
        self._engine: Engine | None = None

    def next_run(self) -> int:
        return next(self._runs)

    @contextmanager
    def database(self, tag: str) -> Iterator[str]:
        """A fresh, migrated database, dropped afterwards."""
        name = f"news_campaign_{os.getpid()}_{tag.replace('-', '_')}_{secrets.token_hex(3)}"
        url = db.with_database(db.database_url(), name)
        try:
            yield db.ensure_database(url)
        finally:
            db.drop_database(url)

    def settings(self, data_dir: Path) -> PipelineSettings:
        return PipelineSettings(data_uri=str(data_dir), mirror_url=self.mirror_base)

    def crawl(self, data_dir: Path) -> FeedReference:
        """A full (not incremental) crawl of baoquocte on the mirror, stored under ``data_dir``."""
        request = CrawlRequest(source="baoquocte", run_key=f"campaign-{self.next_run()}", incremental=False)
        return crawl_source(request, self.settings(data_dir))

    def load_cli(self, url: str, feed: Path, *, batch_size: int = 1000) -> subprocess.CompletedProcess[str]:
        process = python_process(
            ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(batch_size)],
            {"DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stdout, stderr = process.communicate(timeout=300)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def translate_all(self, url: str) -> dict[str, int]:
        from translate.engine import Engine
        from translate.queue_worker import translate_pending

        if self._engine is None:
            self._engine = Engine(packages_dir=self.packages)
        with psycopg.connect(url) as conn:
            return translate_pending(
                conn, self._engine, PipelineSettings.from_env().claim_limits(), articles_per_claim=16
            )

    def state_after(self, url: str) -> Fingerprint:
        """Translate what is pending, then fingerprint the warehouse."""
        self.translate_all(url)
        return fingerprint(url)


def article_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return db.one_value(conn.execute("SELECT count(*) FROM articles"))
