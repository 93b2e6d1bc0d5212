"""``python -m testkit.campaign`` (``./run campaign``): the reliability campaign, against throwaway
databases on the warehouse server and the local mirror.

- R1: every input of the bad-input corpus (``testkit.corpus``: pages the mirror serves, lines and
  files given to the loader) ends as it must: its crawl outcome, loaded, or quarantined with a clear
  reason; the CLI answers bad files in one line with its documented exit code.
- R2: each injected fault (database connection dropped through a TCP proxy, loader SIGKILL mid-batch,
  translation worker SIGKILL mid-batch, parallel workers, mirror down mid-crawl, a full disk, a
  read-only feed folder, a load task retried after partial work) is survived: after a re-run the
  warehouse fingerprint (row counts and content hashes of articles, revisions and translations)
  equals a clean run's.
- R3: spurious revisions over three full crawl-and-load runs of unchanged sites (must be 0).
- R4: the analyst role's security checks.

Prints the table; exits 0 when everything passed, 1 otherwise. ``--json PATH`` writes the details.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import psycopg

from pipeline.crawl import CrawlError, CrawlRequest, FeedReference, crawl_source
from pipeline.load import load_crawled_feed
from pipeline.settings import PipelineSettings
from pipeline.storage import StorageError
from testkit.mirror import running_mirror
from spiders.outcomes import item_outcome
from testkit.corpus import FEED_CASES, INVALID_UTF8_LINE, MIRROR_PAGES, PAGE_CASES, generated_feed_lines
from testkit.faults import Fingerprint, TcpProxy, fingerprint, kill_when, python_process
from testkit.filesystems import FilesystemUnavailableError, mounted_tmpfs
from testkit.security import analyst_security_checks
from warehouse import db
from warehouse.record import Article
from warehouse.runs import storable_text

SYNTHETIC_ARTICLES = 30
FAULT_FEED_EXTRA_LINES = 120
SMALL_BATCH = 5
CORPUS_CRAWL_SETTINGS = {"DOWNLOAD_TIMEOUT": "8", "RETRY_TIMES": "0"}


@dataclass(slots=True)
class Finding:
    name: str
    passed: bool
    detail: str = ""


@dataclass(slots=True)
class CampaignReport:
    inputs: list[Finding] = field(default_factory=list)
    faults: list[Finding] = field(default_factory=list)
    spurious_revisions: int | None = None
    security: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return (
            all(f.passed for f in self.inputs + self.faults + self.security)
            and self.spurious_revisions == 0
            and bool(self.inputs and self.faults and self.security)
        )

    def table(self) -> str:
        def ratio(findings: list[Finding]) -> str:
            clean = sum(f.passed for f in findings)
            share = f"{clean / len(findings):.0%}" if findings else "–"
            return f"{len(findings)} / {clean} ({share})"

        rows = [
            ("R1", "inputs tried / handled cleanly", ratio(self.inputs)),
            ("R2", "faults survived / state identical to a clean run", ratio(self.faults)),
            ("R3", "spurious revisions over three runs", str(self.spurious_revisions)),
            ("R4", "security checks passed", ratio(self.security)),
        ]
        lines = ["| | measure | result |", "|---|---|---:|"]
        lines += [f"| {key} | {measure} | {result} |" for key, measure, result in rows]
        return "\n".join(lines)

    def failures(self) -> list[str]:
        return [
            f"{group}: {finding.name}: {finding.detail}"
            for group, findings in (("R1", self.inputs), ("R2", self.faults), ("R4", self.security))
            for finding in findings
            if not finding.passed
        ]


class Campaign:
    def __init__(self, workdir: Path, mirror_base: str, mirror_down: threading.Event, access_log: list[str]):
        self.workdir = workdir
        self.mirror_base = mirror_base
        self.mirror_down = mirror_down
        self.access_log = access_log
        self.packages = workdir / "packages"
        self.report = CampaignReport()
        self._runs = iter(range(1, 1000))
        self._engine = None

    # --- shared machinery ---------------------------------------------------------------------------

    @contextmanager
    def database(self, tag: str) -> Iterator[str]:
        url = db.with_database(
            db.database_url(), f"news_campaign_{os.getpid()}_{tag.replace('-', '_')}_{secrets.token_hex(3)}"
        )
        try:
            yield db.ensure_database(url)
        finally:
            db.drop_database(url)

    def settings(self, data_dir: Path) -> PipelineSettings:
        return PipelineSettings(data_uri=str(data_dir), mirror_url=self.mirror_base)

    def crawl(self, data_dir: Path) -> FeedReference:
        request = CrawlRequest(source="baoquocte", run_key=f"campaign-{next(self._runs)}", incremental=False)
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
        from translate.worker import translate_pending

        if self._engine is None:
            self._engine = Engine(packages_dir=self.packages)
        with psycopg.connect(url) as conn:
            return translate_pending(conn, self._engine, batch_size=16)

    def state_after(self, url: str) -> Fingerprint:
        self.translate_all(url)
        return fingerprint(url)

    def fault(self, name: str, expected: Fingerprint, run: Callable[[str], str]) -> None:
        """Run one fault scenario on its own database: ``run`` injects the fault, re-runs, and returns a
        note; the scenario passes when the final state equals ``expected``."""
        started = time.monotonic()
        try:
            with self.database(name) as url:
                os.environ["DATABASE_URL"] = url
                note = run(url)
                differences = self.state_after(url).differences(expected)
        except (FaultNotInjectedError, FilesystemUnavailableError) as error:
            self.report.faults.append(Finding(name, False, f"fault not injected: {error}"))
            return
        except Exception as error:  # a scenario that breaks is a failed finding, not an aborted campaign
            self.report.faults.append(Finding(name, False, f"{type(error).__name__}: {error}"))
            return
        detail = "; ".join(differences) if differences else f"identical to the clean run. {note}"
        self.report.faults.append(
            Finding(name, not differences, f"{detail} ({time.monotonic() - started:.1f} s)")
        )

    # --- R1: bad inputs -----------------------------------------------------------------------------

    def crawl_corpus(self) -> None:
        scratch = self.workdir / "corpus-crawl"
        scratch.mkdir()
        feed, stats, rejects = scratch / "feed.jsonl", scratch / "stats.json", scratch / "rejects.jsonl"
        command = ["-m", "scrapy", "crawl", "baoquocte", "-O", str(feed)]
        command += ["-a", "urls=" + ",".join(case.url for case in PAGE_CASES)]
        for setting, value in CORPUS_CRAWL_SETTINGS.items():
            command += ["-s", f"{setting}={value}"]
        env = {
            "NEWS_MIRROR_URL": self.mirror_base,
            "NEWS_STATS_FILE": str(stats),
            "NEWS_REJECTS_FILE": str(rejects),
        }
        completed = python_process(command, env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _, log = completed.communicate(timeout=600)
        articles = [Article.from_json(line) for line in feed.read_text(encoding="utf-8").splitlines() if line]
        per_page = {
            json.loads(line)["url"]: json.loads(line)["outcome"] for line in rejects.read_text().splitlines()
        }
        per_page.update({article.url: item_outcome(article.flags) for article in articles})
        outcomes = json.loads(stats.read_text())
        requested = [case for case in PAGE_CASES if case.outcome]
        expected_counts = Counter(case.outcome for case in requested)
        counts_match = outcomes == dict(expected_counts) and sum(outcomes.values()) == len(requested)
        for case in PAGE_CASES:
            if not case.outcome:
                canonical = next(c.url for c in PAGE_CASES if c.name == "variant")
                collapsed = [article.canonical_url for article in articles].count(canonical) == 1
                self.report.inputs.append(
                    Finding(f"page {case.name}", collapsed, "collapsed into one article")
                )
                continue
            got = per_page.get(
                case.url, "duplicate" if case.outcome == "duplicate" and counts_match else None
            )
            self.report.inputs.append(
                Finding(
                    f"page {case.name}", got == case.outcome, f"{case.note}: {got} (expected {case.outcome})"
                )
            )
        if completed.returncode != 0 or "ended without an outcome" in log or not counts_match:
            self.report.inputs.append(
                Finding("corpus crawl accounting", False, f"exit {completed.returncode}; outcomes {outcomes}")
            )

    def load_corpus(self, url: str) -> None:
        scratch = self.workdir / "corpus-feeds"
        scratch.mkdir()
        feed = scratch / "bad-lines.jsonl"
        feed.write_bytes(
            b"".join(case.line.encode("utf-8", "surrogatepass") + b"\n" for case in FEED_CASES)
            + INVALID_UTF8_LINE
            + b"\n"
        )
        completed = self.load_cli(url, feed, batch_size=7)
        one_json_line = completed.stdout.count("\n") == 1 and "Traceback" not in completed.stderr
        with psycopg.connect(url) as conn:
            loaded = {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}
            quarantined = dict(
                conn.execute("SELECT record_hash, reason FROM quarantine WHERE stage = 'load'").fetchall()
            )
        for case in FEED_CASES:
            if case.expect == "loaded":
                canonical = json.loads(case.line)["canonical_url"]
                ok, detail = canonical in loaded, "loaded"
            else:
                reason = quarantined.get(_record_hash(case.line), "")
                ok, detail = case.reason in reason, f"quarantined: {reason or 'NOT FOUND'}"
            self.report.inputs.append(Finding(f"feed line {case.name}", ok and one_json_line, detail))
        invalid_reason = quarantined.get(
            _record_hash(INVALID_UTF8_LINE.decode("utf-8", "surrogateescape")), ""
        )
        self.report.inputs.append(
            Finding("feed line not UTF-8", "not valid UTF-8" in invalid_reason, invalid_reason or "NOT FOUND")
        )
        self.report.inputs.append(
            Finding(
                "CLI exit code for quarantined lines",
                completed.returncode == 3,
                f"exit {completed.returncode}",
            )
        )
        self.file_inputs(url, scratch)

    def file_inputs(self, url: str, scratch: Path) -> None:
        lines = "".join(line + "\n" for line in generated_feed_lines(40, first=5000)).encode()
        whole = gzip.compress(lines)
        files = {
            "truncated gzip": (whole[: len(whole) // 2], ".jsonl.gz", 4),
            "corrupt gzip": (b"\x1f\x8b\x08\x00garbage", ".jsonl.gz", 4),
            "gzip of an empty file": (gzip.compress(b""), ".jsonl.gz", 0),
            "empty file": (b"", ".jsonl", 0),
            "binary garbage": (bytes(range(256)) * 50, ".jsonl", 3),
        }
        for name, (content, suffix, exit_code) in files.items():
            path = scratch / f"{name.replace(' ', '-')}{suffix}"
            path.write_bytes(content)
            completed = self.load_cli(url, path)
            clean = "Traceback" not in completed.stderr and len(completed.stderr.strip().splitlines()) <= 1
            names_file = exit_code != 4 or path.name in completed.stderr
            self.report.inputs.append(
                Finding(
                    f"feed file {name}",
                    completed.returncode == exit_code and clean and names_file,
                    f"exit {completed.returncode} (expected {exit_code}): {completed.stderr.strip()[:160]}",
                )
            )
        missing = self.load_cli(url, scratch / "does-not-exist.jsonl")
        self.report.inputs.append(
            Finding(
                "feed file missing",
                missing.returncode == 2 and "Traceback" not in missing.stderr,
                f"exit {missing.returncode}",
            )
        )

    # --- R2: faults ---------------------------------------------------------------------------------

    def run_faults(self, clean_crawl: FeedReference, fault_feed: Path) -> None:
        with self.database("clean-load") as url:
            if self.load_cli(url, fault_feed).returncode != 0:
                raise RuntimeError("the clean load of the fault feed failed")
            clean_load = self.state_after(url)
        with self.database("clean-crawl") as url:
            self.load_cli(url, Path(clean_crawl.feed_uri))
            clean_crawl_state = self.state_after(url)
        self.fault(
            "db-connection-dropped-mid-load", clean_load, lambda url: self.connection_dropped(url, fault_feed)
        )
        self.fault("loader-sigkill-mid-batch", clean_load, lambda url: self.loader_killed(url, fault_feed))
        self.fault(
            "translation-worker-sigkill-mid-batch",
            clean_load,
            lambda url: self.worker_killed(url, fault_feed),
        )
        self.fault("parallel-loaders-and-workers", clean_load, lambda url: self.parallel(url, fault_feed))
        self.fault("mirror-down-mid-crawl", clean_crawl_state, self.mirror_goes_down)
        self.fault("full-disk", clean_crawl_state, lambda url: self.storage_fails(url, read_only=False))
        self.fault(
            "read-only-feed-folder", clean_crawl_state, lambda url: self.storage_fails(url, read_only=True)
        )
        self.fault(
            "load-task-retried-after-partial-work", clean_load, lambda url: self.task_retried(url, fault_feed)
        )

    def connection_dropped(self, url: str, feed: Path) -> str:
        parts = psycopg.conninfo.conninfo_to_dict(url)
        proxy = TcpProxy(parts.get("host") or "127.0.0.1", int(parts.get("port") or 5432))
        proxied = psycopg.conninfo.make_conninfo(url, host="127.0.0.1", port=proxy.port)
        loader = python_process(
            ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(SMALL_BATCH)],
            {"DATABASE_URL": proxied},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while _article_count(url) < 3 * SMALL_BATCH and loader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        injected = loader.poll() is None
        proxy.kill()
        _, stderr = loader.communicate(timeout=60)
        if not injected:
            raise FaultNotInjectedError("the load finished before the connection could be dropped")
        partial = _article_count(url)
        one_line = len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
        if loader.returncode != 1 or not one_line:
            raise FaultNotInjectedError(f"loader exit {loader.returncode}, stderr {stderr[-300:]!r}")
        rerun = self.load_cli(url, feed)
        said = stderr.strip()[:100]
        return f"dropped after {partial} articles; loader said {said!r}; re-run exit {rerun.returncode}"

    def loader_killed(self, url: str, feed: Path) -> str:
        loader = python_process(
            ["-m", "warehouse", "load", str(feed), "--quiet", "--batch-size", str(SMALL_BATCH)],
            {"DATABASE_URL": url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not kill_when(loader, lambda: _article_count(url) >= 3 * SMALL_BATCH):
            raise FaultNotInjectedError("the load finished before the kill")
        partial = _article_count(url)
        rerun = self.load_cli(url, feed)
        return f"killed after {partial} articles; re-run exit {rerun.returncode}"

    def worker_killed(self, url: str, feed: Path) -> str:
        self.load_cli(url, feed)
        worker = python_process(
            [
                *("-m", "testkit.translation_worker", "--batch-size", "8", "--stall-seconds", "3600"),
                *("--packages-dir", str(self.packages)),
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
        counts = self.translate_all(url)
        with psycopg.connect(url) as conn:
            left = conn.execute(
                "SELECT count(*) FROM articles WHERE translation_status = 'in_progress'"
            ).fetchone()[0]
        if left:
            raise FaultNotInjectedError(f"{left} claims of the killed worker were not recovered")
        seconds = time.monotonic() - killed_at
        return (
            f"the next worker recovered the 8 claims at once ({counts['claimed']} claimed in {seconds:.1f} s)"
        )

    def parallel(self, url: str, feed: Path) -> str:
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
        workers = [
            python_process(
                [
                    "-m",
                    "testkit.translation_worker",
                    "--batch-size",
                    "8",
                    "--packages-dir",
                    str(self.packages),
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
        with psycopg.connect(url) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if claimed != articles:
            raise FaultNotInjectedError(f"2 workers claimed {claimed} times for {articles} articles")
        return f"3 loaders (exits {exits}) and 2 translation workers ({claimed} claims, none twice)"

    def mirror_goes_down(self, url: str) -> str:
        data_dir = self.workdir / f"data-mirror-down-{next(self._runs)}"
        seen = len(self.access_log)

        def take_down() -> None:
            while len(self.access_log) < seen + 12:
                time.sleep(0.005)
            self.mirror_down.set()

        watcher = threading.Thread(target=take_down, daemon=True)
        watcher.start()
        try:
            broken = self.crawl(data_dir)
            partial_items = broken.items
            load_crawled_feed(broken, settings=self.settings(data_dir))
        except CrawlError as error:  # a crawl that got no answer at all fails loudly: also a survival
            partial_items = f"none ({type(error).__name__})"
        finally:
            self.mirror_down.set()
            watcher.join(timeout=5)
            self.mirror_down.clear()
        again = self.crawl(data_dir)
        load_crawled_feed(again, settings=self.settings(data_dir))
        return (
            f"the crawl lost the mirror after 12 requests ({partial_items} articles); "
            f"the next run crawled {again.items}"
        )

    def storage_fails(self, url: str, *, read_only: bool) -> str:
        with mounted_tmpfs(64, read_only=read_only) as folder:
            try:
                self.crawl(folder)
            except StorageError as error:
                message = str(error)
            else:
                raise FaultNotInjectedError("the crawl stored its feed on a full or read-only folder")
            leftovers = [path.name for path in folder.rglob("*") if path.suffix == ".partial"]
        if "\n" in message or leftovers:
            raise FaultNotInjectedError(f"message {message!r}, leftovers {leftovers}")
        data_dir = self.workdir / f"data-after-storage-{next(self._runs)}"
        again = self.crawl(data_dir)
        load_crawled_feed(again, settings=self.settings(data_dir))
        return f"one line: {message!r}; no .partial left; the re-run stored and loaded {again.items} articles"

    def task_retried(self, url: str, feed: Path) -> str:
        data_dir = self.workdir / f"data-retry-{next(self._runs)}"
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
            {"DATABASE_URL": url, "NEWS_DATA_URI": str(data_dir), "NEWS_LOAD_BATCH_SIZE": str(SMALL_BATCH)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not kill_when(attempt, lambda: _article_count(url) >= 3 * SMALL_BATCH):
            raise FaultNotInjectedError("the first attempt finished before the kill")
        partial = _article_count(url)
        summary = self.settings(data_dir)
        retried = load_crawled_feed(reference, settings=replace(summary, load_batch_size=SMALL_BATCH))
        return f"the first attempt died after {partial} articles; the retry loaded {retried.outcomes}"

    # --- R3, R4 -------------------------------------------------------------------------------------

    def spurious_revisions(self) -> None:
        with self.database("three-runs") as url:
            os.environ["DATABASE_URL"] = url
            for run in range(3):
                data_dir = self.workdir / f"data-run-{run}"
                load_crawled_feed(self.crawl(data_dir), settings=self.settings(data_dir))
            with psycopg.connect(url) as conn:
                self.report.spurious_revisions = conn.execute(
                    "SELECT count(*) FROM article_revisions"
                ).fetchone()[0]

    def security(self, url: str) -> None:
        with psycopg.connect(url) as conn:
            for check in analyst_security_checks(conn):
                self.report.security.append(Finding(check.name, check.passed, check.detail))


class FaultNotInjectedError(RuntimeError):
    """The scenario could not put the system in the state it tests (or the system misbehaved)."""


def _article_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def _record_hash(line: str) -> str:
    return hashlib.sha256(storable_text(line.rstrip("\r\n")).encode()).hexdigest()


def run_campaign(workdir: Path) -> CampaignReport:
    from translate.packages import install_package
    from translate.synthetic import build_synthetic_package

    started = time.monotonic()
    os.environ.pop("AIRFLOW_CONN_NEWS_DB", None)
    access_log: list[str] = []
    with running_mirror(
        synthetic_articles=SYNTHETIC_ARTICLES, access_log=access_log, pages=MIRROR_PAGES
    ) as server:
        campaign = Campaign(workdir, server.base_url, server.down, access_log)
        install_package(
            build_synthetic_package(workdir / "vi_en.argosmodel", "vi", "en", seed=1), campaign.packages
        )
        with campaign.database("inputs") as url:
            os.environ["DATABASE_URL"] = url
            campaign.crawl_corpus()
            campaign.load_corpus(url)
            campaign.security(url)
        clean_crawl = campaign.crawl(workdir / "data-clean")
        fault_feed = workdir / "fault-feed.jsonl"
        fault_feed.write_text(
            Path(clean_crawl.feed_uri).read_text(encoding="utf-8")
            + "".join(line + "\n" for line in generated_feed_lines(FAULT_FEED_EXTRA_LINES)),
            encoding="utf-8",
        )
        campaign.run_faults(clean_crawl, fault_feed)
        campaign.spurious_revisions()
    campaign.report.seconds = time.monotonic() - started
    return campaign.report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the findings as JSON to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (feeds, logs)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="news-campaign-"))
    try:
        report = run_campaign(workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report.table())
    print(f"\n{len(report.inputs)} inputs, {len(report.faults)} faults, {report.seconds:.0f} s")
    for failure in report.failures():
        print(f"FAILED {failure}")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
