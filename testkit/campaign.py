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
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg

from pipeline.load import load_crawled_feed
from testkit.corpus import MIRROR_PAGES, generated_feed_lines
from testkit.inputs import crawl_corpus, load_corpus
from testkit.mirror import running_mirror
from testkit.scenarios import run_faults
from testkit.security import analyst_security_checks
from testkit.workbench import Finding, Workbench
from warehouse.db import one_value

SYNTHETIC_ARTICLES = 30
FAULT_FEED_EXTRA_LINES = 120


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


def spurious_revisions(bench: Workbench) -> int:
    """Revisions after three full crawl-and-load runs of the unchanged mirror (each crawl fetches every
    page again, so any nondeterminism in extraction would show up as a revision)."""
    with bench.database("three-runs") as url:
        os.environ["DATABASE_URL"] = url
        for run in range(3):
            data_dir = bench.workdir / f"data-run-{run}"
            load_crawled_feed(bench.crawl(data_dir), settings=bench.settings(data_dir))
        with psycopg.connect(url) as conn:
            return one_value(conn.execute("SELECT count(*) FROM article_revisions"))


def security(url: str) -> list[Finding]:
    with psycopg.connect(url) as conn:
        return [Finding(check.name, check.passed, check.detail) for check in analyst_security_checks(conn)]


def run_campaign(workdir: Path) -> CampaignReport:
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    started = time.monotonic()
    report = CampaignReport()
    os.environ.pop("AIRFLOW_CONN_NEWS_DB", None)
    access_log: list[str] = []
    with running_mirror(
        synthetic_articles=SYNTHETIC_ARTICLES, access_log=access_log, pages=MIRROR_PAGES
    ) as server:
        bench = Workbench(workdir, server.base_url, server.down, access_log)
        model = build_synthetic_package(workdir / "vi_en.argosmodel", "vi", "en", seed=1)
        install_package(model, bench.packages)
        with bench.database("inputs") as url:
            os.environ["DATABASE_URL"] = url
            report.inputs = crawl_corpus(bench) + load_corpus(bench, url)
            report.security = security(url)
        clean_crawl = bench.crawl(workdir / "data-clean")
        fault_feed = workdir / "fault-feed.jsonl"
        fault_feed.write_text(
            Path(clean_crawl.feed_uri).read_text(encoding="utf-8")
            + "".join(line + "\n" for line in generated_feed_lines(FAULT_FEED_EXTRA_LINES)),
            encoding="utf-8",
        )
        report.faults = run_faults(bench, clean_crawl, fault_feed)
        report.spurious_revisions = spurious_revisions(bench)
    report.seconds = time.monotonic() - started
    return report


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
