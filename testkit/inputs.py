"""R1 of the reliability campaign: every bad input of ``testkit.corpus`` through the real crawl and the
real loader CLI, each ending as it must."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
from collections import Counter
from pathlib import Path

import psycopg

from spiders.outcomes import item_outcome
from testkit.corpus import FEED_CASES, INVALID_UTF8_LINE, PAGE_CASES, generated_feed_lines
from testkit.processes import python_process
from testkit.workbench import Finding, Workbench
from warehouse.record import Article
from warehouse.runs import storable_text

CORPUS_CRAWL_SETTINGS = {"DOWNLOAD_TIMEOUT": "8", "RETRY_TIMES": "0"}


def crawl_corpus(bench: Workbench) -> list[Finding]:
    """Crawl every corpus page in one crawl; each must end in its expected outcome."""
    findings: list[Finding] = []
    scratch = bench.workdir / "corpus-crawl"
    scratch.mkdir()
    feed, stats, rejects = scratch / "feed.jsonl", scratch / "stats.json", scratch / "rejects.jsonl"
    command = ["-m", "scrapy", "crawl", "baoquocte", "-O", str(feed)]
    command += ["-a", "urls=" + ",".join(case.url for case in PAGE_CASES)]
    for setting, value in CORPUS_CRAWL_SETTINGS.items():
        command += ["-s", f"{setting}={value}"]
    env = {
        "NEWS_MIRROR_URL": bench.mirror_base,
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
            findings.append(Finding(f"page {case.name}", collapsed, "collapsed into one article"))
            continue
        got = per_page.get(case.url, "duplicate" if case.outcome == "duplicate" and counts_match else None)
        findings.append(
            Finding(f"page {case.name}", got == case.outcome, f"{case.note}: {got} (expected {case.outcome})")
        )
    if completed.returncode != 0 or "ended without an outcome" in log or not counts_match:
        findings.append(
            Finding("corpus crawl accounting", False, f"exit {completed.returncode}; outcomes {outcomes}")
        )
    return findings


def load_corpus(bench: Workbench, url: str) -> list[Finding]:
    """Give every corpus feed line to the loader CLI in one feed; each is loaded or quarantined as it must."""
    findings: list[Finding] = []
    scratch = bench.workdir / "corpus-feeds"
    scratch.mkdir()
    feed = scratch / "bad-lines.jsonl"
    feed.write_bytes(
        b"".join(case.line.encode("utf-8", "surrogatepass") + b"\n" for case in FEED_CASES)
        + INVALID_UTF8_LINE
        + b"\n"
    )
    completed = bench.load_cli(url, feed, batch_size=7)
    one_json_line = completed.stdout.count("\n") == 1 and "Traceback" not in completed.stderr
    with psycopg.connect(url) as conn:
        loaded = {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}
        quarantined: dict[str, str] = dict(
            conn.execute("SELECT record_hash, reason FROM quarantine WHERE stage = 'load'").fetchall()
        )
    for case in FEED_CASES:
        if case.expect == "loaded":
            canonical = json.loads(case.line)["canonical_url"]
            ok, detail = canonical in loaded, "loaded"
        else:
            reason = quarantined.get(record_hash(case.line), "")
            ok, detail = case.reason in reason, f"quarantined: {reason or 'NOT FOUND'}"
        findings.append(Finding(f"feed line {case.name}", ok and one_json_line, detail))
    invalid_reason = quarantined.get(record_hash(INVALID_UTF8_LINE.decode("utf-8", "surrogateescape")), "")
    findings.append(
        Finding("feed line not UTF-8", "not valid UTF-8" in invalid_reason, invalid_reason or "NOT FOUND")
    )
    findings.append(
        Finding(
            "CLI exit code for quarantined lines",
            completed.returncode == 3,
            f"exit {completed.returncode}",
        )
    )
    return findings + file_inputs(bench, url, scratch)


def file_inputs(bench: Workbench, url: str, scratch: Path) -> list[Finding]:
    """Damaged and odd feed files: the CLI answers each with its documented exit code, in one line."""
    findings: list[Finding] = []
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
        completed = bench.load_cli(url, path)
        clean = "Traceback" not in completed.stderr and len(completed.stderr.strip().splitlines()) <= 1
        names_file = exit_code != 4 or path.name in completed.stderr
        findings.append(
            Finding(
                f"feed file {name}",
                completed.returncode == exit_code and clean and names_file,
                f"exit {completed.returncode} (expected {exit_code}): {completed.stderr.strip()[:160]}",
            )
        )
    missing = bench.load_cli(url, scratch / "does-not-exist.jsonl")
    findings.append(
        Finding(
            "feed file missing",
            missing.returncode == 2 and "Traceback" not in missing.stderr,
            f"exit {missing.returncode}",
        )
    )
    return findings


def record_hash(line: str) -> str:
    """The quarantine's key of a raw feed line (``warehouse.runs.quarantine_record``)."""
    return hashlib.sha256(storable_text(line.rstrip("\r\n")).encode()).hexdigest()
