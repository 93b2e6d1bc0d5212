"""R2 of the reliability campaign: faults injected while the pipeline works, each followed by a re-run
and a comparison of the warehouse with a clean run's (``testkit.faults.Fingerprint``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg

from pipeline.crawl import CrawlError, FeedReference
from pipeline.load import load_crawled_feed
from pipeline.storage import StorageError
from testkit.faults import Fingerprint, TcpProxy, kill_when
from testkit.filesystems import FilesystemUnavailableError, mounted_tmpfs
from testkit.processes import python_process
from testkit.workbench import Finding, Workbench, article_count
from warehouse.translation_queue import status_counts

SMALL_BATCH = 5


class FaultNotInjectedError(RuntimeError):
    """The scenario could not put the system in the state it tests (or the system misbehaved)."""


def run_faults(bench: Workbench, clean_crawl: FeedReference, fault_feed: Path) -> list[Finding]:
    """Every fault scenario, each on its own database, compared with a clean load of the same input."""
    with bench.database("clean-load") as url:
        if bench.load_cli(url, fault_feed).returncode != 0:
            raise RuntimeError("the clean load of the fault feed failed")
        clean_load = bench.state_after(url)
    with bench.database("clean-crawl") as url:
        bench.load_cli(url, Path(clean_crawl.feed_uri))
        clean_crawl_state = bench.state_after(url)
    scenarios: list[tuple[str, Fingerprint, Callable[[str], str]]] = [
        (
            "db-connection-dropped-mid-load",
            clean_load,
            lambda url: connection_dropped(bench, url, fault_feed),
        ),
        ("loader-sigkill-mid-batch", clean_load, lambda url: loader_killed(bench, url, fault_feed)),
        (
            "translation-worker-sigkill-mid-batch",
            clean_load,
            lambda url: worker_killed(bench, url, fault_feed),
        ),
        ("parallel-loaders-and-workers", clean_load, lambda url: parallel(bench, url, fault_feed)),
        ("mirror-down-mid-crawl", clean_crawl_state, lambda url: mirror_goes_down(bench, url)),
        ("full-disk", clean_crawl_state, lambda url: storage_fails(bench, url, read_only=False)),
        ("read-only-feed-folder", clean_crawl_state, lambda url: storage_fails(bench, url, read_only=True)),
        (
            "load-task-retried-after-partial-work",
            clean_load,
            lambda url: task_retried(bench, url, fault_feed),
        ),
    ]
    return [fault(bench, name, expected, run) for name, expected, run in scenarios]


def fault(bench: Workbench, name: str, expected: Fingerprint, run: Callable[[str], str]) -> Finding:
    """One scenario on its own database: ``run`` injects the fault, re-runs, and returns a note; it
    passes when the final state equals ``expected``."""
    started = time.monotonic()
    try:
        with bench.database(name) as url:
            os.environ["DATABASE_URL"] = url
            note = run(url)
            differences = bench.state_after(url).differences(expected)
    except (FaultNotInjectedError, FilesystemUnavailableError) as error:
        return Finding(name, False, f"fault not injected: {error}")
    except Exception as error:  # a scenario that breaks is a failed finding, not an aborted campaign
        return Finding(name, False, f"{type(error).__name__}: {error}")
    detail = "; ".join(differences) if differences else f"identical to the clean run. {note}"
    return Finding(name, not differences, f"{detail} ({time.monotonic() - started:.1f} s)")


def connection_dropped(bench: Workbench, url: str, feed: Path) -> str:
    parts = psycopg.conninfo.conninfo_to_dict(url)
    proxy = TcpProxy(str(parts.get("host") or "127.0.0.1"), int(parts.get("port") or 5432))
    proxied = psycopg.conninfo.make_conninfo(url, host="127.0.0.1", port=proxy.port)
    loader = python_process(
        ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(SMALL_BATCH)],
        {"DATABASE_URL": proxied},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while article_count(url) < 3 * SMALL_BATCH and loader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    injected = loader.poll() is None
    proxy.kill()
    _, stderr = loader.communicate(timeout=60)
    if not injected:
        raise FaultNotInjectedError("the load finished before the connection could be dropped")
    partial = article_count(url)
    one_line = len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    if loader.returncode != 1 or not one_line:
        raise FaultNotInjectedError(f"loader exit {loader.returncode}, stderr {stderr[-300:]!r}")
    rerun = bench.load_cli(url, feed)
    said = stderr.strip()[:100]
    return f"dropped after {partial} articles; loader said {said!r}; re-run exit {rerun.returncode}"


def loader_killed(bench: Workbench, url: str, feed: Path) -> str:
    loader = python_process(
        ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(SMALL_BATCH)],
        {"DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not kill_when(loader, lambda: article_count(url) >= 3 * SMALL_BATCH):
        raise FaultNotInjectedError("the load finished before the kill")
    partial = article_count(url)
    rerun = bench.load_cli(url, feed)
    return f"killed after {partial} articles; re-run exit {rerun.returncode}"


def worker_killed(bench: Workbench, url: str, feed: Path) -> str:
    bench.load_cli(url, feed)
    worker = python_process(
        [
            *("-m", "testkit.translation_worker", "--batch-size", "8", "--stall-seconds", "3600"),
            *("--packages-dir", str(bench.packages)),
        ],
        {"DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    if not worker.stdout.readline().startswith("claimed"):
        worker.kill()
        raise FaultNotInjectedError("the worker claimed nothing")
    worker.kill()
    worker.wait(timeout=30)
    killed_at = time.monotonic()
    counts = bench.translate_all(url)
    with psycopg.connect(url) as conn:
        left = status_counts(conn, ["in_progress"]).get("in_progress", 0)
    if left:
        raise FaultNotInjectedError(f"{left} claims of the killed worker were not recovered")
    seconds = time.monotonic() - killed_at
    return f"the next worker recovered the 8 claims at once ({counts['claimed']} claimed in {seconds:.1f} s)"


def parallel(bench: Workbench, url: str, feed: Path) -> str:
    loaders = [
        python_process(
            ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(SMALL_BATCH)],
            {"DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    exits = [loader.wait(timeout=300) for loader in loaders]
    with psycopg.connect(url) as conn:
        # English originals are finished at load and never claimed: only what waits is the workers'.
        waiting = status_counts(conn, ["pending"]).get("pending", 0)
    workers = [
        python_process(
            [
                "-m",
                "testkit.translation_worker",
                "--batch-size",
                "8",
                "--packages-dir",
                str(bench.packages),
            ],
            {"DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    claimed = 0
    for worker in workers:
        stdout, _ = worker.communicate(timeout=300)
        claimed += json.loads(stdout.strip().splitlines()[-1])["claimed"]
    if claimed != waiting:
        raise FaultNotInjectedError(f"2 workers claimed {claimed} times for {waiting} waiting articles")
    return f"3 loaders (exits {exits}) and 2 translation workers ({claimed} claims, none twice)"


def mirror_goes_down(bench: Workbench, url: str) -> str:
    data_dir = bench.workdir / f"data-mirror-down-{bench.next_run()}"
    seen = len(bench.access_log)

    def take_down() -> None:
        while len(bench.access_log) < seen + 12:
            time.sleep(0.005)
        bench.mirror_down.set()

    watcher = threading.Thread(target=take_down, daemon=True)
    watcher.start()
    try:
        broken = bench.crawl(data_dir)
        partial_items: int | str = broken.items
        load_crawled_feed(broken, settings=bench.settings(data_dir))
    except CrawlError as error:  # a crawl that got no answer at all fails loudly: also a survival
        partial_items = f"none ({type(error).__name__})"
    finally:
        bench.mirror_down.set()
        watcher.join(timeout=5)
        bench.mirror_down.clear()
    again = bench.crawl(data_dir)
    load_crawled_feed(again, settings=bench.settings(data_dir))
    return (
        f"the crawl lost the mirror after 12 requests ({partial_items} articles); "
        f"the next run crawled {again.items}"
    )


def storage_fails(bench: Workbench, url: str, *, read_only: bool) -> str:
    with mounted_tmpfs(64, read_only=read_only) as folder:
        try:
            bench.crawl(folder)
        except StorageError as error:
            message = str(error)
        else:
            raise FaultNotInjectedError("the crawl stored its feed on a full or read-only folder")
        leftovers = [path.name for path in folder.rglob("*") if path.suffix == ".partial"]
    if "\n" in message or leftovers:
        raise FaultNotInjectedError(f"message {message!r}, leftovers {leftovers}")
    data_dir = bench.workdir / f"data-after-storage-{bench.next_run()}"
    again = bench.crawl(data_dir)
    load_crawled_feed(again, settings=bench.settings(data_dir))
    return f"one line: {message!r}; no .partial left; the re-run stored and loaded {again.items} articles"


def task_retried(bench: Workbench, url: str, feed: Path) -> str:
    data_dir = bench.workdir / f"data-retry-{bench.next_run()}"
    target = data_dir / "raw" / "baoquocte" / "retry.jsonl"
    target.parent.mkdir(parents=True)
    shutil.copyfile(feed, target)
    reference = FeedReference(
        source="baoquocte",
        run_key="retry",
        feed_uri=str(target),
        rejects_uri=None,
        items=0,
        rejects=0,
        crawl_seconds=0.0,
        reused=False,
        outcome_counts={},
        started_at="",
        finished_at="",
    )
    attempt = python_process(
        [
            "-c",
            "import json, sys; from pipeline.crawl import FeedReference; from pipeline.load import "
            "load_crawled_feed; load_crawled_feed(FeedReference.from_dict(json.loads(sys.argv[1])))",
            json.dumps(reference.as_dict()),
        ],
        {
            "DATABASE_URL": url,
            "NEWS_DATA_URI": str(data_dir),
            "NEWS_LOAD_RECORDS_PER_TRANSACTION": str(SMALL_BATCH),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not kill_when(attempt, lambda: article_count(url) >= 3 * SMALL_BATCH):
        raise FaultNotInjectedError("the first attempt finished before the kill")
    partial = article_count(url)
    summary = bench.settings(data_dir)
    small = replace(summary.warehouse, load_records_per_transaction=SMALL_BATCH)
    retried = load_crawled_feed(reference, settings=replace(summary, warehouse=small))
    return f"the first attempt died after {partial} articles; the retry loaded {retried.outcomes}"
